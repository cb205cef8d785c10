"""What the daemon sends the privacy contact by itself, each exactly once (restarts included).

- the weekly digest, at `digest.weekday` `digest.time` (organisation time zone); a daemon that was
  down then sends it when it is back, the same week;
- reminders for a request 7 days and 2 days before its deadline, and once it is overdue;
- a notice of new drafts waiting for approval, when `digest.new_drafts` is "immediately".

Each one is keyed in `notices_sent` before it is sent; a failed send removes the key so the next
pass tries again. `now` is a parameter: the tests control the clock.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.config import WEEKDAYS, Config
from helpdesk.digest import digest_facts, digest_message, notice_message, record_sent
from helpdesk.errors import SendFailed
from helpdesk.models import NoticeSent, utcnow
from helpdesk.outbox import Outbox
from helpdesk.storage import Database
from replies.digest import DraftLine, OpenRequestLine, render_digest, render_reminder

log = logging.getLogger("helpdesk.schedule")
REMIND_AT = (7, 2)  # days before the deadline


def run_schedules(db: Database, config: Config, outbox: Outbox, now: datetime | None = None) -> list[str]:
    """Send what is due now and was not sent before; returns the keys sent."""
    now = now or utcnow()
    sent = []
    with db.session() as session:
        due = _due(session, config, now)
    for keys, message in due:
        if _send_once(db, outbox, keys, message):
            sent += keys
            if keys[0].startswith("digest:"):
                with db.session() as session:
                    record_sent(session, message)
    return sent


def _due(session: Session, config: Config, now: datetime) -> list[tuple[list[str], EmailMessage]]:
    language = config.digest.language
    done = set(session.scalars(select(NoticeSent.key)))
    due: list[tuple[list[str], EmailMessage]] = []
    facts = digest_facts(session, config, now)

    week_key = f"digest:{now.astimezone(config.tz).strftime('%G-W%V')}"
    if week_key not in done and now >= digest_time_this_week(config, now):
        due.append(([week_key], digest_message(config, render_digest(language, facts))))

    reminders: list[OpenRequestLine] = []
    keys = []
    for line in facts.open_requests:
        for key in _reminder_keys(line):
            if key not in done:
                reminders.append(line)
                keys.append(key)
                break
    new_drafts: tuple[DraftLine, ...] = ()
    if config.digest.new_drafts == "immediately":
        new_drafts = tuple(line for line in facts.drafts_waiting if f"draft:{line.id}" not in done)
        keys += [f"draft:{line.id}" for line in new_drafts]
    if reminders or new_drafts:
        subject, text = render_reminder(language, tuple(reminders), new_drafts)
        due.append((keys, notice_message(config, subject, text)))
    return due


def _reminder_keys(line: OpenRequestLine) -> list[str]:
    """The reminders this request has reached, most urgent first."""
    keys = []
    if line.days_left < 0:
        keys.append(f"reminder:{line.reference}:overdue")
    keys += [f"reminder:{line.reference}:{days}" for days in sorted(REMIND_AT) if line.days_left <= days]
    return keys


def digest_time_this_week(config: Config, now: datetime) -> datetime:
    """This week's digest moment (Monday-based weeks, organisation time zone)."""
    local = now.astimezone(config.tz)
    monday = local.date() - timedelta(days=local.weekday())
    day = monday + timedelta(days=WEEKDAYS.index(config.digest.weekday.lower()))
    hour, minute = (int(part) for part in config.digest.time.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=config.tz)


def _send_once(db: Database, outbox: Outbox, keys: list[str], message: EmailMessage) -> bool:
    """One mail that stands for `keys` (a reminder may cover several requests and drafts)."""
    with db.session() as session:
        session.add_all(NoticeSent(key=key) for key in keys)
    try:
        outbox.send(message)
    except SendFailed as error:
        log.warning("scheduled mail %s not sent, retried next pass: %s", keys[0].split(":")[0], error)
        with db.session() as session:
            for key in keys:
                session.delete(session.get_one(NoticeSent, key))
        return False
    return True
