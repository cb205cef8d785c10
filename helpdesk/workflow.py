"""Workflow: decide what a mail means for the requests, then apply that decision.

`decide` is pure: from what intake, the classifier and the identity check found, it returns a
Decision with its reasons. `apply` is the only place that opens requests and queues drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from classifiers import Classification, RequestKind
from classifiers.behalf import acts_for_someone_else
from classifiers.kinds import ordered
from classifiers.text import own_text, prepare
from helpdesk.config import Config
from helpdesk.deadline import deadline, extended_deadline
from helpdesk.drafting import create_draft, rerender
from helpdesk.effects import propose_changes, record_objection, set_change
from helpdesk.errors import ReviewError
from helpdesk.events import EventKind, change_state, record
from helpdesk.identity import (
    CONFIRMED_BY_REPLY,
    ID_DOCUMENT,
    MANUAL_METHODS,
    ORDER_AND_POSTCODE,
    Claim,
    authentication,
    denies_sending,
    establish,
    find_customer,
    find_likely_customer,
    is_known_address,
    order_and_postcode,
)
from helpdesk.intake import Inbound, erase_attachments, parse
from helpdesk.models import (
    ENDED_STATES,
    Customer,
    DraftPurpose,
    DraftState,
    InboundMail,
    MailStatus,
    PrivacyRequest,
    RequestState,
    utcnow,
)
from helpdesk.threads import ThreadMatch


@dataclass(frozen=True)
class Decision:
    """What to do with one mail, and why."""

    mail_status: MailStatus
    open_request: bool
    possible: bool  # open it as a possible request, for the privacy contact to confirm or dismiss
    reasons: tuple[str, ...]


def decide(inbound: Inbound, classification: Classification, thread: ThreadMatch | None = None) -> Decision:
    """Open a request for anything that reads as a rights request; label everything else.

    `thread` is a request this mail refers to but whose requester did not write it.
    """
    if thread is not None and not thread.resent_from_known_address and not inbound.is_automatic:
        # Someone quotes another person's request: never joined to it, always seen by a person.
        why = f"refers to {thread.request.reference} ({thread.via}) but is not from its requester"
        kinds = ", ".join(classification.kinds)
        return Decision(
            MailStatus.PROCESSED,
            open_request=True,
            possible=not classification.is_request,
            reasons=(f"classified as {kinds}" if kinds else "may be a rights request", why),
        )
    if classification.is_request:
        reasons = [f"classified as {', '.join(classification.kinds)}"]
        if inbound.flags & {"auto-reply", "bulk"}:
            # Headers decide whether we answer automatically, never whether we read (FreeScout #2833).
            reasons.append("carries automatic/bulk headers; opened anyway, a person approves every reply")
        return Decision(MailStatus.PROCESSED, open_request=True, possible=False, reasons=tuple(reasons))
    status = MailStatus.AUTOMATIC if inbound.is_automatic else MailStatus.PROCESSED
    if classification.possible and not inbound.is_automatic:
        # Below the threshold, but a missed request breaks the law: a person decides.
        reasons = ["may be a rights request"]
        if classification.mailing:
            reasons.append("reads like one, but its footer says it was sent to many (a newsletter or notice)")
        return Decision(status, open_request=True, possible=True, reasons=tuple(reasons))
    return Decision(status, open_request=False, possible=False, reasons=("not a rights request",))


def next_reference(session: Session, year: int) -> str:
    """The next free reference of `year`, like PR-2026-0001."""
    prefix = f"PR-{year}-"
    last = session.scalar(
        select(func.max(PrivacyRequest.reference)).where(PrivacyRequest.reference.like(f"{prefix}%"))
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def open_request(
    session: Session,
    config: Config,
    mail: InboundMail,
    inbound: Inbound,
    classification: Classification,
    decision: Decision,
    thread: ThreadMatch | None = None,
) -> PrivacyRequest:
    """Open a request for `mail`; a sure one goes on at once to identity and the first draft.

    The requester is the From address, or, for a forwarded mail, the sender of what was forwarded;
    never the Reply-To, never an address in the text.
    """
    received_at: datetime = mail.received_at
    forwarded = inbound.forwarded
    request = PrivacyRequest(
        reference=next_reference(session, received_at.astimezone(config.tz).year),
        state=RequestState.POSSIBLE if decision.possible else RequestState.NEW,
        kinds=[str(kind) for kind in classification.kinds],
        language=classification.language,
        requester=forwarded.address if forwarded else inbound.from_address,
        requester_name=(forwarded.name if forwarded else inbound.from_name) or None,
        received_at=received_at,
        deadline=deadline(received_at, config.tz),  # the clock runs from receipt, possible or not
        flags=[],
    )
    session.add(request)
    session.flush()
    mail.request = request
    if thread is not None and thread.resent_from_known_address:
        request.related_request_pk = thread.request.id
        flag(
            session,
            thread.request,
            "resent-from-known-address",
            f"sent again from a known address: {request.reference}",
        )
    elif thread is not None:
        request.related_request_pk = thread.request.id  # for the privacy contact only, never in a reply
        flag(session, request, "foreign-reference", decision.reasons[-1])
    record(
        session,
        EventKind.REQUEST_OPENED,
        request=request,
        mail=mail,
        state=request.state,
        kinds=request.kinds,
        language=request.language,
        confidence={str(kind): round(score, 3) for kind, score in classification.confidence.items()},
        evidence=[item.to_json() for item in classification.evidence],
        deadline=request.deadline.isoformat(),
        reasons=list(decision.reasons),
    )
    if not decision.possible:
        start(session, config, request, mail, inbound)
    return request


# What to send while identity is not established, and why the request waits.
_IDENTITY_STEPS = {
    "confirm": (DraftPurpose.CONFIRMATION, "asking the known address to confirm the request"),
    "identify": (DraftPurpose.IDENTITY, "sender not known; asking for identification"),
    "authorise": (DraftPurpose.AUTHORISATION, "asked on someone's behalf; asking for a signed authorisation"),
}


def start(
    session: Session,
    config: Config,
    request: PrivacyRequest,
    mail: InboundMail,
    inbound: Inbound | None = None,
) -> None:
    """Establish identity and queue the first draft: the answer, or the question who is asking."""
    inbound = inbound or parse(mail.raw or b"", own_domain=config.message_id_domain)
    claim = Claim(
        address=request.requester,
        authentication=authentication(
            inbound.authentication_results, config.mailbox.trusted_authserv_id, inbound.from_address
        ),
        forwarded_by=inbound.from_address if inbound.forwarded else None,
        on_behalf=acts_for_someone_else(prepare(inbound.subject, inbound.text)),
    )
    known = find_customer(session, request.requester)
    likely = None if known else find_likely_customer(session, request.requester)
    verdict = establish(claim, request.kinds, known, likely)
    request.customer_pk = verdict.customer_id
    request.likely_customer_pk = verdict.likely_customer_id
    request.authenticated = claim.authentication.authenticated
    request.identity_verified = verdict.verified
    request.identity_method = verdict.method
    request.identity_reasons = list(verdict.reasons)
    for name in verdict.flags:
        flag(session, request, name, verdict.reasons[-1])
    if verdict.verified:
        request.identity_verified_at = utcnow()
    record(
        session,
        EventKind.IDENTITY_CHECKED,
        request=request,
        verified=verdict.verified,
        method=verdict.method,
        authenticated=claim.authentication.authenticated,
        authentication=claim.authentication.reason,
        next_step=verdict.next_step,
        reasons=list(verdict.reasons),
    )
    session.refresh(request, ["customer", "likely_customer"])
    record_objection(session, request)  # at once, as the policy promises: before any approval
    if verdict.verified:
        change_state(
            session, request, RequestState.IN_PROGRESS, "identity established: " + verdict.reasons[0]
        )
        propose_changes(request, own_text(inbound.text), config)
        create_draft(session, config, request, DraftPurpose.ANSWER, mail)
        return
    purpose, why = _IDENTITY_STEPS[verdict.next_step]
    change_state(session, request, RequestState.AWAITING_IDENTITY, why)
    request.awaiting_identity_since = utcnow()
    create_draft(session, config, request, purpose, mail)


def flag(session: Session, request: PrivacyRequest, name: str, why: str) -> None:
    """Mark something on the request for the privacy contact, once, with the reason."""
    if name not in request.flags:
        request.flags.append(name)
        record(session, EventKind.REQUEST_FLAGGED, request=request, flag=name, why=why)


def follow_up(
    session: Session,
    config: Config,
    mail: InboundMail,
    inbound: Inbound,
    thread: ThreadMatch,
    classification: Classification,
) -> None:
    """A mail from the requester in the thread of their request joins it; an answer to our identity
    question moves the request on."""
    request = thread.request
    mail.request = request
    mail.status = MailStatus.AUTOMATIC if inbound.is_automatic else MailStatus.FOLLOW_UP
    record(session, EventKind.FOLLOW_UP_RECEIVED, request=request, mail=mail, via=thread.via)
    if inbound.is_automatic:
        return  # an out-of-office reply to our question answers nothing
    asked = sorted(set(map(str, classification.kinds)) - set(request.kinds))
    if asked and request.state not in ENDED_STATES:
        flag(session, request, "asks-more", f"a follow-up also reads as {', '.join(asked)}")
    if request.state != RequestState.AWAITING_IDENTITY:
        return
    text = own_text(inbound.text)
    if thread.draft is not None and thread.draft.purpose == DraftPurpose.CONFIRMATION:
        _answer_to_confirmation(session, config, request, mail, inbound, text)
        return
    if DraftPurpose.AUTHORISATION in {draft.purpose for draft in request.drafts}:
        if inbound.attachments:
            flag(session, request, "authorisation-received", "a follow-up carries an attachment to check")
        return
    customer, why = order_and_postcode(session, text)
    if customer is not None:
        verified(session, config, request, ORDER_AND_POSTCODE, why, mail, customer=customer)
        return
    record(session, EventKind.IDENTITY_CHECKED, request=request, mail=mail, verified=False, reasons=[why])
    if inbound.attachments:
        flag(
            session, request, "id-document-received",
            "a follow-up carries an attachment: check it, then `helpdesk requests verify "
            f"{request.reference} --method id-document`",
        )  # fmt: skip


def _answer_to_confirmation(
    session: Session, config: Config, request: PrivacyRequest, mail: InboundMail, inbound: Inbound, text: str
) -> None:
    customer = request.customer
    if customer is None or not is_known_address(customer, inbound.from_address):
        return  # only the known address can confirm; threads.py already kept strangers out
    if denies_sending(text):
        record(session, EventKind.IDENTITY_DENIED, request=request, mail=mail)
        flag(
            session, request, "denied-by-known-address", "the known address says it did not send this request"
        )
        return
    verified(
        session, config, request, CONFIRMED_BY_REPLY,
        f"customer {customer.customer_id}'s known address answered our confirmation question", mail,
    )  # fmt: skip


def verified(
    session: Session,
    config: Config,
    request: PrivacyRequest,
    method: str,
    why: str,
    mail: InboundMail,
    customer: Customer | None = None,
    actor: str = "helpdesk",
) -> None:
    """Identity is established after all: record how, and draft the answer."""
    if customer is not None:
        request.customer = customer
    request.identity_verified = True
    request.identity_method = method
    request.identity_verified_at = utcnow()
    request.identity_reasons = [*request.identity_reasons, why]
    record(
        session, EventKind.IDENTITY_VERIFIED, actor=actor, request=request, mail=mail, method=method, why=why
    )
    change_state(session, request, RequestState.IN_PROGRESS, f"identity established ({method})", actor=actor)
    record_objection(session, request)
    propose_changes(request, own_text(request.mails[0].text or ""), config)
    create_draft(session, config, request, DraftPurpose.ANSWER, mail)


def verify_by_hand(
    session: Session, config: Config, reference: str, method: str, by: str, customer_id: str | None, note: str
) -> PrivacyRequest:
    """The privacy contact establishes identity herself (an ID document, a signed authorisation).

    For an ID document the attachments are erased from storage at once: only the fact is kept.
    """
    request = find_request(session, reference)
    if request.state != RequestState.AWAITING_IDENTITY:
        raise ReviewError(f"{reference} is {request.state}; only a request awaiting identity is verified")
    if method not in MANUAL_METHODS:
        raise ReviewError(f"unknown method {method}; use one of {', '.join(MANUAL_METHODS)}")
    customer = request.customer
    if customer_id:
        customer = session.scalar(select(Customer).where(Customer.customer_id == customer_id))
        if customer is None:
            raise ReviewError(f"there is no customer {customer_id}")
    if method == ID_DOCUMENT:
        erased = sum(erase_attachments(mail) for mail in request.mails)
        record(session, EventKind.ID_DOCUMENT_ERASED, actor=by, request=request, attachments=erased)
    why = f"{method} checked by {by}" + (f": {note}" if note else "")
    verified(session, config, request, method, why, request.mails[-1], customer=customer, actor=by)
    return request


def confirm(session: Session, config: Config, reference: str, kinds: list[str], by: str) -> PrivacyRequest:
    """The privacy contact says a possible request is one (of these kinds): it goes on as any other."""
    request = _possible(session, reference)
    if not kinds:
        raise ReviewError(f"say which kind of request {reference} is (--kind)")
    request.kinds = [str(kind) for kind in ordered([RequestKind(kind) for kind in kinds])]
    record(session, EventKind.REQUEST_CONFIRMED, actor=by, request=request, kinds=request.kinds)
    change_state(session, request, RequestState.NEW, "confirmed as a rights request", actor=by)
    start(session, config, request, request.mails[0])
    return request


def dismiss(session: Session, reference: str, by: str, reason: str) -> PrivacyRequest:
    """The privacy contact says a possible request is none. Recorded, never deleted."""
    request = _possible(session, reference)
    if not reason.strip():
        raise ReviewError("a dismissal needs a reason")
    record(session, EventKind.REQUEST_DISMISSED, actor=by, request=request, reason=reason)
    change_state(session, request, RequestState.DISMISSED, reason, actor=by)
    request.closed_at = utcnow()
    return request


def likeliest_kind(session: Session, reference: str) -> str:
    """The kind the classifier gave the highest confidence for a possible request's mail."""
    request = _possible(session, reference)
    confidence: dict[str, float] = (request.mails[0].classification or {}).get("confidence") or {}
    if not confidence:
        raise ReviewError(f"nothing suggests a kind for {reference}; say which (--kind)")
    return max(confidence, key=lambda kind: confidence[kind])


def _possible(session: Session, reference: str) -> PrivacyRequest:
    request = find_request(session, reference)
    if request.state != RequestState.POSSIBLE:
        raise ReviewError(
            f"{reference} is {request.state}; only a possible request is confirmed or dismissed"
        )
    return request


def find_request(session: Session, reference: str) -> PrivacyRequest:
    """The request with this reference, or a ReviewError naming it."""
    request = session.scalar(select(PrivacyRequest).where(PrivacyRequest.reference == reference))
    if request is None:
        raise ReviewError(f"there is no request {reference}")
    return request


def extend(
    session: Session, config: Config, reference: str, reason: str, months: int, by: str
) -> PrivacyRequest:
    """Move the deadline by one or two more months (GDPR art. 12(3)), once, with the reason, and
    draft the notice that must reach the requester within the first period."""
    request = find_request(session, reference)
    if request.state in ENDED_STATES or request.state == RequestState.ANSWERED:
        raise ReviewError(f"{reference} is {request.state}; there is nothing left to extend")
    if request.first_deadline is not None:
        raise ReviewError(f"{reference} was extended already (to {request.deadline}); the law allows it once")
    if not reason.strip():
        raise ReviewError("an extension needs its reason: the requester is told why")
    today = utcnow().astimezone(config.tz).date()
    if today > request.deadline:
        raise ReviewError(
            f"the first period of {reference} ended on {request.deadline}; it can no longer be extended"
        )
    try:
        new_deadline = extended_deadline(request.received_at, config.tz, months)
    except ValueError as error:
        raise ReviewError(str(error)) from None
    # The notice names the first deadline, so it is drafted before the deadline moves.
    create_draft(
        session,
        config,
        request,
        DraftPurpose.EXTENSION,
        request.mails[0],
        new_deadline=new_deadline,
        reason=reason,
    )
    request.first_deadline, request.deadline = request.deadline, new_deadline
    request.extension_reason = reason
    record(
        session, EventKind.REQUEST_EXTENDED, actor=by, request=request,
        reason=reason, first_deadline=request.first_deadline.isoformat(), deadline=new_deadline.isoformat(),
    )  # fmt: skip
    return request


def change_data(
    session: Session, config: Config, reference: str, field: str, new: str, by: str
) -> PrivacyRequest:
    """The privacy contact sets what a rectification changes; the pending answer is drafted again."""
    request = find_request(session, reference)
    if "rectification" not in request.kinds:
        raise ReviewError(f"{reference} is not a rectification request")
    if request.customer is None:
        raise ReviewError(f"{reference} has no customer yet: establish identity first")
    try:
        set_change(request, field, new)
    except ValueError as error:
        raise ReviewError(str(error)) from None
    for draft in request.drafts:
        if draft.purpose == DraftPurpose.ANSWER and draft.state == DraftState.PENDING:
            rerender(session, config, draft, by)
    return request
