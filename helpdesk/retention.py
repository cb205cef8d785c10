"""Retention: personal data is kept no longer than the policy says.

- A customer profile with no contact and no order for `retention.profile_days` (two years) is
  anonymised as an erasure would be; the orders stay, as invoices naming no one.
- The stored text of mail (raw bytes, text, attachments) is purged `retention.mail_text_days`
  after its request was closed or answered, or after it arrived when it was no request at all;
  the row, its Message-ID and its place in the history stay.
- Attachments of sent drafts (the data exports) are purged on the same clock.

`plan` decides and changes nothing; `apply` carries a plan out. The command shows the plan unless
told `--apply`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from helpdesk.config import Config
from helpdesk.effects import anonymise_customer
from helpdesk.events import EventKind, record
from helpdesk.models import (
    ENDED_STATES,
    Customer,
    Draft,
    DraftAttachment,
    DraftState,
    InboundMail,
    Order,
    PrivacyRequest,
    RequestState,
    utcnow,
)

OPEN = [RequestState.POSSIBLE, RequestState.NEW, RequestState.AWAITING_IDENTITY, RequestState.IN_PROGRESS]


@dataclass
class RetentionPlan:
    customers: list[tuple[int, str, datetime | None]] = field(
        default_factory=list
    )  # pk, customer_id, last seen
    mails: list[int] = field(default_factory=list)
    attachments: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.customers or self.mails or self.attachments)


def plan(session: Session, config: Config, now: datetime | None = None) -> RetentionPlan:
    """What retention would do now."""
    now = now or utcnow()
    result = RetentionPlan()
    profile_cutoff = now - timedelta(days=config.retention.profile_days)
    last_order = (
        select(Order.customer_pk, func.max(Order.ordered_at).label("at"))
        .group_by(Order.customer_pk)
        .subquery()
    )
    rows = session.execute(
        select(
            Customer.id, Customer.customer_id, Customer.last_contact_at, Customer.created_at, last_order.c.at
        )
        .outerjoin(last_order, last_order.c.customer_pk == Customer.id)
        .where(Customer.anonymised_at.is_(None))
        .order_by(Customer.customer_id)
    )
    for pk, customer_id, contact, created, ordered in rows:
        seen = max((moment for moment in (contact, created, ordered) if moment is not None), default=None)
        if seen is not None and seen < profile_cutoff and not _has_open_request(session, pk):
            result.customers.append((pk, customer_id, seen))

    text_cutoff = now - timedelta(days=config.retention.mail_text_days)
    ended = or_(PrivacyRequest.state.in_(ENDED_STATES), PrivacyRequest.state == RequestState.ANSWERED)
    finished_at = func.coalesce(
        PrivacyRequest.closed_at, PrivacyRequest.answered_at, PrivacyRequest.updated_at
    )
    of_closed_requests = (
        select(InboundMail.id)
        .join(PrivacyRequest, InboundMail.request_pk == PrivacyRequest.id)
        .where(
            ended, finished_at < text_cutoff, or_(InboundMail.raw.is_not(None), InboundMail.text.is_not(None))
        )
    )
    of_no_request = select(InboundMail.id).where(
        InboundMail.request_pk.is_(None),
        InboundMail.received_at < text_cutoff,
        or_(InboundMail.raw.is_not(None), InboundMail.text.is_not(None)),
        InboundMail.status != "quarantined",  # the operator still has to look at it
    )
    result.mails = sorted({*session.scalars(of_closed_requests), *session.scalars(of_no_request)})
    result.attachments = list(
        session.scalars(
            select(DraftAttachment.id)
            .join(Draft)
            .where(
                Draft.state == DraftState.SENT,
                Draft.sent_at < text_cutoff,
                DraftAttachment.content.is_not(None),
            )
        )
    )
    return result


def _has_open_request(session: Session, customer_pk: int) -> bool:
    # A request being handled keeps its data until it is answered.
    return (
        session.scalar(
            select(func.count())
            .select_from(PrivacyRequest)
            .where(PrivacyRequest.customer_pk == customer_pk, PrivacyRequest.state.in_(OPEN))
        )
        or 0
    ) > 0


def apply(session: Session, retention: RetentionPlan, by: str) -> None:
    """Carry out a plan; each step is an audit event (numbers only, no personal data)."""
    for pk, customer_id, _ in retention.customers:
        customer = session.get_one(Customer, pk)
        anonymise_customer(customer)
        record(
            session,
            EventKind.DATA_CHANGED,
            actor=by,
            effect="profile anonymised by retention",
            customer=customer_id,
        )
    for mail_id in retention.mails:
        mail = session.get_one(InboundMail, mail_id)
        mail.raw = mail.text = None
        mail.attachments = []
    for attachment_id in retention.attachments:
        session.get_one(DraftAttachment, attachment_id).content = None
    if retention.mails or retention.attachments:
        record(
            session, EventKind.DATA_CHANGED, actor=by, effect="mail text purged by retention",
            mails=retention.mails, draft_attachments=retention.attachments,
        )  # fmt: skip
