"""Outbox: send approved drafts, each exactly once.

A draft's Message-ID is fixed when it is created. Before a send starts we commit that it
started; if the process dies mid-send, the next pass finds that mark and asks a person to
check instead of sending again (FreeScout #3607: one reply sent 25 times). Temporary failures
are retried with growing pauses; permanent ones wait for a person.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Protocol

import aiosmtplib
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from helpdesk.config import Config, Endpoint, secret, smtp_endpoint
from helpdesk.effects import after_sending
from helpdesk.errors import SendFailed
from helpdesk.events import EventKind, change_state, record
from helpdesk.models import Draft, DraftPurpose, DraftState, RequestState, utcnow
from helpdesk.review import check_sendable
from helpdesk.storage import Database

log = logging.getLogger("helpdesk.outbox")

MAX_BACKOFF = timedelta(hours=1)


class Outbox(Protocol):
    """Where approved mail goes: an SMTP server, or a folder of .eml files."""

    def send(self, message: EmailMessage) -> None:
        """Hand one message over; raise SendFailed when it was not accepted."""
        ...


class SmtpOutbox:
    """Sends over SMTP with aiosmtplib: smtps:// is TLS, smtp:// uses STARTTLS when offered."""

    def __init__(self, endpoint: Endpoint, password: str | None, timeout: float) -> None:
        self.endpoint = endpoint
        self.password = password
        self.timeout = timeout

    def send(self, message: EmailMessage) -> None:
        asyncio.run(self._send(message))

    async def _send(self, message: EmailMessage) -> None:
        endpoint = self.endpoint
        tls = endpoint.scheme == "smtps"
        try:
            await aiosmtplib.send(
                message,
                hostname=endpoint.host,
                port=endpoint.port,
                username=endpoint.username or None,
                password=self.password if endpoint.username else None,
                use_tls=tls,
                start_tls=None if not tls else False,  # None: STARTTLS when the server offers it
                tls_context=ssl.create_default_context(),
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPServerDisconnected as error:
            # The server may have taken the mail before it hung up: never guess, ask a person.
            raise SendFailed(f"connection lost during the send: {error}", permanent=True) from error
        except aiosmtplib.SMTPResponseException as error:
            raise SendFailed(
                f"server answered {error.code}: {error.message}", permanent=error.code >= 500
            ) from error
        except aiosmtplib.SMTPRecipientsRefused as error:
            raise SendFailed(f"recipient refused: {error}", permanent=True) from error
        except (aiosmtplib.SMTPException, OSError) as error:
            raise SendFailed(
                f"cannot reach {endpoint.host}:{endpoint.port}: {error}", permanent=False
            ) from error


class FolderOutbox:
    """Writes each message as an .eml file: the embedded default, for trying things out."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = str(message["Message-ID"]).strip("<>").replace("/", "_") + ".eml"
        target = self.folder / name
        if target.exists():
            return  # written before: the same Message-ID is never written twice
        temporary = target.with_suffix(".tmp")
        temporary.write_bytes(message.as_bytes())
        temporary.rename(target)


def open_outbox(config: Config) -> Outbox:
    """The outbox the configuration names."""
    endpoint = smtp_endpoint(config)
    if endpoint.scheme == "folder":
        assert endpoint.path is not None
        return FolderOutbox(endpoint.path)
    password = secret(config.smtp.password_env, "smtp.password_env", required=bool(endpoint.username))
    return SmtpOutbox(endpoint, password, timeout=config.smtp.timeout_seconds)


def build_message(draft: Draft, config: Config) -> EmailMessage:
    """The mail for an approved draft, with its fixed Message-ID and thread headers."""
    name, address = parseaddr(config.organisation.address)
    message = EmailMessage()
    message["From"] = formataddr((name or config.organisation.name, address))
    message["To"] = draft.to_address
    message["Subject"] = draft.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = draft.message_id
    if draft.in_reply_to:
        message["In-Reply-To"] = draft.in_reply_to
    if draft.references:
        message["References"] = " ".join(draft.references)
    # Asks other systems not to auto-reply; our own reply is approved by a person, so not Auto-Submitted.
    message["X-Auto-Response-Suppress"] = "All"
    message["Content-Language"] = draft.language
    message.set_content(draft.body)
    for attachment in draft.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.content or b"", maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    held: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.failed} failed, {self.held} need attention"


def send_approved(db: Database, config: Config, outbox: Outbox) -> SendReport:
    """Send every approved draft that is due; each in its own transactions."""
    report = SendReport()
    with db.session() as session:
        due = session.scalars(
            select(Draft.id)
            .where(
                Draft.state == DraftState.APPROVED,
                Draft.needs_attention.is_(False),
                or_(Draft.next_attempt_at.is_(None), Draft.next_attempt_at <= utcnow()),
            )
            .order_by(Draft.reviewed_at, Draft.id)
        ).all()
    for draft_id in due:
        _send_one(db, config, outbox, draft_id, report)
    return report


def _send_one(db: Database, config: Config, outbox: Outbox, draft_id: int, report: SendReport) -> None:
    with db.session() as session:
        draft = session.get_one(Draft, draft_id)
        if draft.send_started_at is not None:
            _hold(
                session,
                draft,
                "an earlier send was interrupted; it may have been delivered. Check, then retry",
            )
            report.held += 1
            return
        problem = check_sendable(draft)
        if problem:
            _hold(session, draft, problem)
            report.held += 1
            return
        message = build_message(draft, config)
        draft.send_started_at = utcnow()
        draft.attempts += 1
    try:
        outbox.send(message)
    except SendFailed as error:
        _failed(db, draft_id, error)
        report.failed += 1
        return
    with db.session() as session:
        draft = session.get_one(Draft, draft_id)
        draft.state = DraftState.SENT
        draft.sent_at = utcnow()
        draft.send_started_at = None
        draft.last_error = None
        record(
            session,
            EventKind.DRAFT_SENT,
            request=draft.request,
            draft=draft,
            message_id=draft.message_id,
        )
        if draft.purpose == DraftPurpose.ANSWER and draft.request.state == RequestState.IN_PROGRESS:
            draft.request.answered_at = draft.sent_at
            change_state(session, draft.request, RequestState.ANSWERED, f"answer draft {draft.id} sent")
            after_sending(session, draft.request)
        log.info("sent draft=%s request=%s", draft.id, draft.request.reference)
    report.sent += 1


def _hold(session: Session, draft: Draft, why: str) -> None:
    draft.needs_attention = True
    draft.last_error = why
    record(
        session,
        EventKind.SEND_FAILED,
        request=draft.request,
        draft=draft,
        error=why,
        permanent=True,
    )
    log.warning("held draft=%s request=%s: %s", draft.id, draft.request.reference, why)


def _failed(db: Database, draft_id: int, error: SendFailed) -> None:
    with db.session() as session:
        draft = session.get_one(Draft, draft_id)
        draft.send_started_at = None
        draft.last_error = str(error)
        if error.permanent:
            draft.needs_attention = True
        else:
            pause = min(timedelta(minutes=2 ** min(draft.attempts, 10)), MAX_BACKOFF)
            draft.next_attempt_at = utcnow() + pause
        record(
            session, EventKind.SEND_FAILED, request=draft.request, draft=draft,
            error=str(error), permanent=error.permanent,
        )  # fmt: skip
        log.warning("send failed draft=%s permanent=%s", draft.id, error.permanent)
