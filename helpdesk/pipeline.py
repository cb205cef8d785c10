"""The way a mail travels, in one place.

    mailbox -> store raw -> read -> screen -> classify -> identify -> workflow (+ draft)

Each mail is stored raw and committed before anything else happens, so nothing received can be
lost; the later steps run in a transaction of their own, and any exception there parks the
mail in quarantine (with its error) and the loop goes on with the next one.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from classifiers import classify
from helpdesk.config import Config
from helpdesk.errors import HelpdeskError
from helpdesk.events import EventKind, record
from helpdesk.intake import Inbound, earlier_copy, fill_row, parse, store_raw
from helpdesk.mailbox import Mailbox, Position
from helpdesk.models import Draft, InboundMail, MailboxState, MailStatus, utcnow
from helpdesk.storage import Database
from helpdesk.threads import find_thread
from helpdesk.workflow import decide, follow_up, open_request

log = logging.getLogger("helpdesk.intake")


@dataclass
class PassReport:
    """What one look at the mailbox did; printed by `run --once`, logged by the daemon."""

    stored: int = 0
    processed: int = 0
    requests: list[str] = field(default_factory=list)
    quarantined: int = 0

    def __str__(self) -> str:
        return (
            f"{self.stored} new mails, {len(self.requests)} requests opened, {self.quarantined} quarantined"
        )


def read_mailbox(
    db: Database, config: Config, mailbox: Mailbox, stop: threading.Event | None = None
) -> PassReport:
    """Store every new mail of an open mailbox, then send each through the pipeline.

    When `stop` is set (SIGTERM) the mail at hand is finished and the pass ends; the next run
    goes on from there: the last UID only ever moves past mail that is stored.
    """
    report = PassReport()
    with db.session() as session:
        state = _state(session, mailbox)
        position = Position(uidvalidity=state.uidvalidity, last_uid=state.last_uid)
        since = (state.first_seen_at - timedelta(days=config.mailbox.first_run_days)).date()
        if state.uidvalidity is not None and state.uidvalidity != mailbox.uidvalidity:
            # The UIDs we know mean nothing now: read again what arrived around and since the
            # last look; mails stored before are recognised by Message-ID and content.
            since = ((state.last_checked_at or state.first_seen_at) - timedelta(days=1)).date()
            record(
                session, EventKind.MAILBOX_RESET, mailbox=mailbox.name,
                old=state.uidvalidity, new=mailbox.uidvalidity,
            )  # fmt: skip
            log.warning("UIDVALIDITY of %s changed; reading the folder again by date", mailbox.name)
    keys = _not_stored(db, mailbox, mailbox.keys_since(position, since))
    for raw in mailbox.fetch(keys):
        if stop is not None and stop.is_set():
            return report
        with db.session() as session:
            row = store_raw(session, raw)
            _advance(_state(session, mailbox), mailbox, raw.uid)
            if row is not None:
                record(session, EventKind.MAIL_STORED, mail=row, mailbox=raw.mailbox, key=raw.source_key)
                report.stored += 1
                log.info("stored mail=%s key=%s size=%d", row.id, raw.source_key, len(raw.raw))
    with db.session() as session:
        # Everything up to what existed at open was read (or was older than the first-run
        # window): the next pass starts after it, so years of history are never read.
        _advance(_state(session, mailbox), mailbox, mailbox.highest_uid)
    process_waiting(db, config, report, stop)
    return report


def _state(session: Session, mailbox: Mailbox) -> MailboxState:
    """The folder's row; on first contact a new one whose uidvalidity is still unknown (None)."""
    state = session.scalar(select(MailboxState).where(MailboxState.mailbox == mailbox.name))
    if state is None:
        state = MailboxState(mailbox=mailbox.name, uidvalidity=None, last_uid=0, first_seen_at=utcnow())
        session.add(state)
    return state


def _advance(state: MailboxState, mailbox: Mailbox, uid: int | None) -> None:
    if state.uidvalidity != mailbox.uidvalidity:
        state.uidvalidity, state.last_uid = mailbox.uidvalidity, 0
    if uid is not None:
        state.last_uid = max(state.last_uid, uid)
    state.last_checked_at = utcnow()
    state.last_error = None


def _not_stored(db: Database, mailbox: Mailbox, keys: list[str]) -> list[str]:
    """The keys of `keys` that no stored mail has (a Maildir lists every key on every pass)."""
    stored: set[str] = set()
    with db.session() as session:
        for start in range(0, len(keys), 500):
            stored.update(
                session.scalars(
                    select(InboundMail.source_key).where(
                        InboundMail.mailbox == mailbox.name,
                        InboundMail.uidvalidity == mailbox.uidvalidity,
                        InboundMail.source_key.in_(keys[start : start + 500]),
                    )
                )
            )
    return [key for key in keys if key not in stored]


def process_waiting(
    db: Database, config: Config, report: PassReport | None = None, stop: threading.Event | None = None
) -> PassReport:
    """Send every stored mail that has not been through the pipeline yet, oldest first (until `stop`)."""
    report = report or PassReport()
    with db.session() as session:
        waiting = session.scalars(
            select(InboundMail.id)
            .where(InboundMail.status == MailStatus.RECEIVED)
            .order_by(InboundMail.received_at, InboundMail.id)
        ).all()
    for mail_id in waiting:
        if stop is not None and stop.is_set():
            break  # stored, so the next run handles it
        process_mail(db, config, mail_id, report)
    return report


def process_mail(db: Database, config: Config, mail_id: int, report: PassReport) -> None:
    """One stored mail through the pipeline; an exception parks it in quarantine."""
    started = time.monotonic()
    try:
        with db.session() as session:
            mail = session.get_one(InboundMail, mail_id)
            reference = handle(session, config, mail)
            status = mail.status
            request = mail.request  # opened by this mail, or the one it follows up
            linked = request.reference if request else "-"
            kinds = ",".join(request.kinds) if request and request.kinds else "-"
    except Exception as error:  # any failure parks this mail; the next one must still be read
        quarantine(db, mail_id, error)
        report.quarantined += 1
        log.warning("quarantined mail=%s error=%s", mail_id, type(error).__name__)
        return
    report.processed += 1
    if reference:
        report.requests.append(reference)
    # One line per mail, key=value, never an address or a word of the mail (grep- and parse-able).
    log.info(
        "handled mail=%s status=%s request=%s kinds=%s ms=%d",
        mail_id, status, linked, kinds, (time.monotonic() - started) * 1000,
    )  # fmt: skip


def handle(session: Session, config: Config, mail: InboundMail) -> str | None:
    """The steps after storage, in order. Returns the reference of a request it opened."""
    inbound = parse(mail.raw or b"", own_domain=config.message_id_domain)
    fill_row(mail, inbound)
    if "own" in inbound.flags:
        mail.status = MailStatus.OWN  # our own mail looped back into the mailbox
        return None
    if "bounce" in inbound.flags:
        _link_bounce(session, mail, inbound)
        return None
    earlier = earlier_copy(session, mail, inbound)
    if earlier is not None:
        # The mail is stored once: this row only remembers that its key was seen.
        mail.status = MailStatus.DUPLICATE
        mail.raw, mail.text = None, None
        mail.request_pk = earlier.request_pk
        record(
            session,
            EventKind.MAIL_LINKED,
            mail=mail,
            duplicate_of=earlier.id,
            request_pk=earlier.request_pk,
        )
        return None
    classification = classify(inbound.subject, inbound.text)
    mail.classification = classification.to_json()
    thread = find_thread(session, inbound)
    if thread is not None and thread.same_sender:
        follow_up(session, config, mail, inbound, thread, classification)
        return None
    decision = decide(inbound, classification, thread)
    mail.status = decision.mail_status
    if not decision.open_request:
        return None
    request = open_request(session, config, mail, inbound, classification, decision, thread)
    return request.reference


def _link_bounce(session: Session, mail: InboundMail, inbound: Inbound) -> None:
    """A bounce of one of our replies: the requester did not get the answer; tell the privacy contact."""
    mail.status = MailStatus.BOUNCE
    if not inbound.bounced_message_ids:
        return
    draft = session.scalar(select(Draft).where(Draft.message_id.in_(inbound.bounced_message_ids)))
    if draft is None:
        return
    mail.request_pk = draft.request_pk
    draft.last_error = "a delivery failure report came back for this mail"
    draft.needs_attention = True
    record(session, EventKind.DELIVERY_FAILED, request=draft.request, draft=draft, mail=mail)


def quarantine(db: Database, mail_id: int, error: Exception) -> None:
    """Park a mail with a readable note of what went wrong; its raw bytes stay stored."""
    note = _safe_error(error)
    with db.session() as session:
        mail = session.get_one(InboundMail, mail_id)
        mail.status = MailStatus.QUARANTINED
        mail.error = note
        mail.attempts += 1
        record(session, EventKind.MAIL_QUARANTINED, mail=mail, error=note)


def requeue(db: Database, mail_id: int, actor: str) -> None:
    """Put a quarantined mail back in line for the pipeline."""
    with db.session() as session:
        mail = session.get(InboundMail, mail_id)
        if mail is None or mail.status != MailStatus.QUARANTINED:
            raise HelpdeskError(f"mail {mail_id} is not in quarantine")
        mail.status = MailStatus.RECEIVED
        record(session, EventKind.MAIL_REQUEUED, actor=actor, mail=mail)


def _safe_error(error: Exception) -> str:
    # The error text itself must be storable, whatever bytes the mail held (Zammad #3019).
    text = f"{type(error).__name__}: {error}"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")[:2000]
