"""What a request does to the data, kind by kind: the policy's promises, kept in one place.

- objection: processing stops at once, when the request is recorded (before any approval), and
  the newsletter is cancelled; the privacy contact then handles the objection itself.
- rectification: on approval, the stored values change as the draft listed them (old -> new);
  a replaced e-mail address stays known.
- restriction: on approval the profile is marked restricted.
- erasure: on approval the profile is anonymised; orders stay (they are the invoices the law
  makes us keep for seven years) but no longer name anyone; once the confirmation is sent, the
  request itself keeps no personal data either (the register keeps it anonymised).

Every change is an audit event naming the processors that must be told (GDPR art. 19).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from classifiers.changes import proposed_changes
from helpdesk.config import Config
from helpdesk.events import EventKind, record
from helpdesk.identity import normalise_address
from helpdesk.models import AuditEvent, Customer, KnownAddress, PrivacyRequest, utcnow

CHANGEABLE = ("name", "email", "street", "postcode", "city", "country", "phone")
ERASED = "(erased)"


def processors_to_inform(config: Config, kind: str) -> list[str]:
    """The processors the register says must be told of a change of this kind."""
    return [processor.name for processor in config.processors if kind in processor.informed_of]


def record_objection(session: Session, request: PrivacyRequest) -> None:
    """An objection stops processing at once, pending its handling, and ends the newsletter."""
    customer = request.customer
    if "objection" not in request.kinds or customer is None or customer.processing_stopped_at:
        return
    customer.processing_stopped_at = utcnow()
    was_subscribed, customer.newsletter = customer.newsletter, False
    record(
        session,
        EventKind.DATA_CHANGED,
        request=request,
        effect="processing stopped (objection), pending its handling",
        newsletter_cancelled=was_subscribed,
    )


def propose_changes(request: PrivacyRequest, text: str, config: Config) -> None:
    """Fill in the old -> new values a rectification asks for, as far as the mail states them."""
    customer = request.customer
    if "rectification" not in request.kinds or customer is None or request.changes:
        return
    current = {name: getattr(customer, name) for name in CHANGEABLE}
    own = {
        normalise_address(config.organisation.address),
        normalise_address(config.organisation.privacy_contact),
    }
    found = proposed_changes(text, current, own)
    request.changes = [{"field": name, "old": current[name] or "", "new": new} for name, new in found.items()]


def set_change(request: PrivacyRequest, field: str, new: str) -> None:
    """The privacy contact sets (or corrects) one change; an empty value removes it."""
    if field not in CHANGEABLE:
        raise ValueError(f"{field} cannot be changed; one of {', '.join(CHANGEABLE)}")
    old = getattr(request.customer, field) or "" if request.customer else ""
    kept = [change for change in request.changes if change["field"] != field]
    request.changes = kept + ([{"field": field, "old": old, "new": new}] if new else [])


def on_approval(session: Session, config: Config, request: PrivacyRequest, by: str) -> None:
    """Carry out what the approved answer says was done."""
    customer = request.customer
    if customer is None:
        return
    if "rectification" in request.kinds and request.changes:
        _rectify(session, config, request, customer, by)
    if "restriction" in request.kinds and customer.restricted_at is None:
        customer.restricted_at = utcnow()
        record(
            session, EventKind.DATA_CHANGED, actor=by, request=request, effect="profile restricted",
            inform=processors_to_inform(config, "restriction"),
        )  # fmt: skip
    if "erasure" in request.kinds and customer.anonymised_at is None:
        anonymise_customer(customer)
        record(
            session, EventKind.DATA_CHANGED, actor=by, request=request,
            effect="profile anonymised; orders kept as invoices, naming no one",
            inform=processors_to_inform(config, "erasure"),
        )  # fmt: skip


def _rectify(session: Session, config: Config, request: PrivacyRequest, customer: Customer, by: str) -> None:
    for change in request.changes:
        field, new = change["field"], change["new"]
        if field == "email":
            new = normalise_address(new)
            old = customer.email
            if old != new and all(known.address != old for known in customer.earlier_addresses):
                customer.earlier_addresses.append(KnownAddress(address=old, source="rectification"))
        setattr(customer, field, new)
    record(
        session, EventKind.DATA_CHANGED, actor=by, request=request,
        effect="profile rectified", fields=[change["field"] for change in request.changes],
        inform=processors_to_inform(config, "rectification"),
    )  # fmt: skip


def anonymise_customer(customer: Customer) -> None:
    """Keep the customer number and the orders (invoices); forget who it was."""
    for field in ("name", "street", "postcode", "city", "country", "phone"):
        setattr(customer, field, None)
    customer.email = f"anonymised-{customer.id}@invalid"
    customer.newsletter = False
    customer.earlier_addresses.clear()
    customer.anonymised_at = utcnow()


def after_sending(session: Session, request: PrivacyRequest) -> None:
    """An erasure confirmed: the request keeps no personal data, only what the register needs."""
    if "erasure" not in request.kinds or request.anonymised_at is not None:
        return
    request.requester, request.requester_name = ERASED, None
    request.identity_reasons = []
    request.changes = []
    for mail in request.mails:
        mail.raw = mail.text = mail.subject = None
        mail.from_address = mail.from_name = mail.reply_to = None
        mail.attachments = []
        mail.classification = None
    for draft in request.drafts:
        draft.body = ERASED
        draft.to_address = ERASED
        for attachment in draft.attachments:
            attachment.content = None
    # The history keeps every row (who did what, when), without the words and addresses in it.
    for event in session.scalars(select(AuditEvent).where(AuditEvent.request_pk == request.id)):
        event.details = {
            key: ERASED if key in _PERSONAL_DETAILS else value for key, value in event.details.items()
        }
    request.anonymised_at = utcnow()
    record(session, EventKind.DATA_CHANGED, request=request, effect="request anonymised after the erasure")


_PERSONAL_DETAILS = {"to", "evidence", "reasons", "why", "authentication", "confidence"}
