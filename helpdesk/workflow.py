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
from classifiers.kinds import ordered
from helpdesk.config import Config
from helpdesk.deadline import deadline
from helpdesk.drafting import create_draft
from helpdesk.errors import ReviewError
from helpdesk.events import EventKind, change_state, record
from helpdesk.identity import find_customer, verify
from helpdesk.intake import Inbound
from helpdesk.models import (
    DraftPurpose,
    InboundMail,
    MailStatus,
    PrivacyRequest,
    RequestState,
    utcnow,
)


@dataclass(frozen=True)
class Decision:
    """What to do with one mail, and why."""

    mail_status: MailStatus
    open_request: bool
    possible: bool  # open it as a possible request, for the privacy contact to confirm or dismiss
    reasons: tuple[str, ...]


def decide(inbound: Inbound, classification: Classification) -> Decision:
    """Open a request for anything that reads as a rights request; label everything else."""
    if classification.is_request:
        reasons = [f"classified as {', '.join(classification.kinds)}"]
        if inbound.flags & {"auto-reply", "bulk"}:
            # Headers decide whether we answer automatically, never whether we read (FreeScout #2833).
            reasons.append("carries automatic/bulk headers; opened anyway, a person approves every reply")
        return Decision(MailStatus.PROCESSED, open_request=True, possible=False, reasons=tuple(reasons))
    status = MailStatus.AUTOMATIC if inbound.is_automatic else MailStatus.PROCESSED
    if classification.possible and not inbound.is_automatic:
        # Below the threshold, but a missed request breaks the law: a person decides.
        return Decision(status, open_request=True, possible=True, reasons=("may be a rights request",))
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
) -> PrivacyRequest:
    """Open a request for `mail`; a sure one goes on at once to identity and the first draft."""
    received_at: datetime = mail.received_at
    request = PrivacyRequest(
        reference=next_reference(session, received_at.astimezone(config.tz).year),
        state=RequestState.POSSIBLE if decision.possible else RequestState.NEW,
        kinds=[str(kind) for kind in classification.kinds],
        language=classification.language,
        requester=inbound.from_address,
        requester_name=inbound.from_name or None,
        received_at=received_at,
        deadline=deadline(received_at, config.tz),  # the clock runs from receipt, possible or not
    )
    session.add(request)
    session.flush()
    mail.request = request
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
        start(session, config, request, mail)
    return request


def start(session: Session, config: Config, request: PrivacyRequest, mail: InboundMail) -> None:
    """Establish identity and queue the first draft: the answer, or the question who is asking."""
    verdict = verify(request.requester, find_customer(session, request.requester))
    request.customer_pk = verdict.customer_id
    request.identity_verified = verdict.verified
    request.identity_method = verdict.method
    request.identity_reasons = list(verdict.reasons)
    if verdict.verified:
        request.identity_verified_at = utcnow()
    record(
        session,
        EventKind.IDENTITY_CHECKED,
        request=request,
        verified=verdict.verified,
        method=verdict.method,
        reasons=list(verdict.reasons),
    )
    session.refresh(request, ["customer"])
    if verdict.verified:
        change_state(
            session, request, RequestState.IN_PROGRESS, "identity established: " + verdict.reasons[0]
        )
        create_draft(session, config, request, DraftPurpose.ANSWER, mail)
    else:
        change_state(
            session, request, RequestState.AWAITING_IDENTITY, "sender not known; asking for identification"
        )
        create_draft(session, config, request, DraftPurpose.IDENTITY, mail)


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
    request = session.scalar(select(PrivacyRequest).where(PrivacyRequest.reference == reference))
    if request is None:
        raise ReviewError(f"there is no request {reference}")
    if request.state != RequestState.POSSIBLE:
        raise ReviewError(
            f"{reference} is {request.state}; only a possible request is confirmed or dismissed"
        )
    return request
