"""The weekly digest: gather the facts from the database and mail them to the privacy contact."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from helpdesk.config import Config
from helpdesk.deadline import days_left
from helpdesk.events import EventKind, record
from helpdesk.models import ENDED_STATES, Draft, DraftState, PrivacyRequest, RequestState, utcnow
from helpdesk.own_mail import new_message_id
from helpdesk.queries import proposed_for_closure, waiting_for_identity_days
from replies.digest import (
    DigestFacts,
    DraftLine,
    HandledLine,
    IdentityWaitLine,
    OpenRequestLine,
    RenderedDigest,
    mask,
    render_digest,
)


def digest_facts(session: Session, config: Config, now: datetime | None = None) -> DigestFacts:
    """What the digest says now."""
    now = now or utcnow()
    today = now.astimezone(config.tz).date()
    still_open = session.scalars(
        select(PrivacyRequest)
        .where(PrivacyRequest.state.not_in([RequestState.ANSWERED, *ENDED_STATES]))
        .order_by(PrivacyRequest.deadline, PrivacyRequest.reference)
    ).all()
    week_ago = now - timedelta(days=7)
    handled = session.scalars(
        select(PrivacyRequest)
        .where(or_(PrivacyRequest.answered_at >= week_ago, PrivacyRequest.closed_at >= week_ago))
        .order_by(PrivacyRequest.reference)
    ).all()
    drafts = session.scalars(select(Draft).where(Draft.state == DraftState.PENDING).order_by(Draft.id)).all()
    waits = [
        IdentityWaitLine(r.reference, mask(r.requester), waited, proposed_for_closure(r))
        for r in still_open
        if r.state == RequestState.AWAITING_IDENTITY and (waited := waiting_for_identity_days(r)) is not None
    ]
    return DigestFacts(
        organisation=config.organisation.name,
        made_on=today,
        open_requests=tuple(
            OpenRequestLine(
                r.reference,
                tuple(r.kinds),
                mask(r.requester),
                r.state,
                r.deadline,
                days_left(r.deadline, today),
            )
            for r in still_open
        ),
        drafts_waiting=tuple(
            DraftLine(d.id, d.request.reference, d.purpose, mask(d.to_address)) for d in drafts
        ),
        identity_waits=tuple(waits),
        handled_this_week=tuple(HandledLine(r.reference, tuple(r.kinds), r.state) for r in handled),
    )


def notice_message(config: Config, subject: str, text: str) -> EmailMessage:
    """A mail of ours to the privacy contact (digest, reminder), never to a requester."""
    name, address = parseaddr(config.organisation.address)
    message = EmailMessage()
    message["From"] = formataddr((name or config.organisation.name, address))
    message["To"] = config.organisation.privacy_contact
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    # Ours (own_mail): if the privacy contact's copy lands in the shared mailbox, intake ignores it.
    message["Message-ID"] = new_message_id(config.message_id_domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    return message


def digest_message(config: Config, rendered: RenderedDigest) -> EmailMessage:
    """The digest as a mail to the privacy contact: plain text, with an HTML alternative."""
    message = notice_message(config, rendered.subject, rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


def record_sent(session: Session, message: EmailMessage) -> None:
    record(session, EventKind.DIGEST_SENT, message_id=str(message["Message-ID"]))


def render_now(
    session: Session, config: Config, now: datetime | None = None
) -> tuple[DigestFacts, RenderedDigest]:
    facts = digest_facts(session, config, now)
    return facts, render_digest(config.digest.language, facts)
