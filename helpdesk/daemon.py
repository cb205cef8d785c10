"""The runner: one pass reads the mailbox and empties the outbox; `run` repeats passes for ever."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from helpdesk.config import Config
from helpdesk.errors import DaemonRunning, MailboxUnavailable
from helpdesk.heartbeat import acquire, beat, release, stale_after, this_process
from helpdesk.mailbox import open_mailbox
from helpdesk.models import MailboxState, utcnow
from helpdesk.outbox import SendReport, open_outbox, send_approved
from helpdesk.pipeline import PassReport, process_waiting, read_mailbox
from helpdesk.schedule import run_schedules
from helpdesk.storage import Database

log = logging.getLogger("helpdesk.daemon")


@dataclass
class RunReport:
    mailbox: PassReport
    outbox: SendReport
    mailbox_error: str | None = None

    def __str__(self) -> str:
        mailbox = f"mailbox unavailable ({self.mailbox_error})" if self.mailbox_error else str(self.mailbox)
        return f"mailbox: {mailbox}; outbox: {self.outbox}"


def run_once(
    db: Database, config: Config, attempts: int = 3, stop: threading.Event | None = None
) -> RunReport:
    """Read what is new, then send what is approved. A mailbox outage does not stop the outbox.
    `stop` (set by SIGTERM) ends the pass after the mail at hand."""
    mailbox_report, error = PassReport(), None
    try:
        for attempt in Retrying(
            retry=retry_if_exception_type(MailboxUnavailable),
            stop=stop_after_attempt(attempts),
            wait=wait_exponential_jitter(initial=1, max=30),
            reraise=True,
        ):
            with attempt, open_mailbox(config) as mailbox:
                mailbox_report = read_mailbox(db, config, mailbox, stop)
    except MailboxUnavailable as failure:
        error = str(failure)
    except Exception as failure:  # a server quirk or our own bug must not stop the outbox
        log.exception("reading the mailbox failed")
        error = f"{type(failure).__name__}: {failure}"
    if error is not None:
        _note_mailbox_error(db, config, error)
        log.error("mailbox unavailable: %s", error)
        process_waiting(db, config, mailbox_report, stop)  # mail stored before the failure still goes through
    outbox_report = send_approved(db, config, open_outbox(config))
    return RunReport(mailbox_report, outbox_report, error)


def _note_mailbox_error(db: Database, config: Config, error: str) -> None:
    with db.session() as session:
        for state in session.query(MailboxState).all():
            state.last_error = error
            state.last_checked_at = utcnow()


@contextmanager
def holding_the_lock(db: Database, config: Config) -> Iterator[str]:
    """Run as the one daemon of this database, or raise DaemonRunning naming the one that is."""
    holder = this_process()
    held_by = acquire(db, holder, stale_after(config.mailbox.poll_seconds))
    if held_by is not None:
        since = held_by.heartbeat_at.isoformat(timespec="seconds") if held_by.heartbeat_at else "?"
        raise DaemonRunning(f"another helpdesk ({held_by.holder}, alive at {since}) works on this database")
    try:
        yield holder
    finally:
        release(db, holder)


def run_forever(db: Database, config: Config, stop: threading.Event | None = None) -> None:
    """Pass after pass, `mailbox.poll_seconds` apart, until SIGTERM/SIGINT (the current pass finishes)."""
    with holding_the_lock(db, config) as holder:
        _passes(db, config, holder, stop or threading.Event())


def _passes(db: Database, config: Config, holder: str, stop: threading.Event) -> None:
    def _request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: stopping after the mail at hand", signum)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _request_stop)
        signal.signal(signal.SIGINT, _request_stop)
    while not stop.is_set():
        try:
            report = run_once(db, config, stop=stop)
            log.info("pass done: %s", report)
            beat(db, holder, str(report), report.mailbox_error)
            for key in run_schedules(db, config, open_outbox(config)):
                log.info("sent to the privacy contact: %s", key.split(":")[0])
        except Exception as failure:  # the daemon must outlive any one failure; the next pass tries again
            log.exception("pass failed")
            beat(db, holder, "pass failed", f"{type(failure).__name__}")
        wait_for_mail(config, stop)


def wait_for_mail(config: Config, stop: threading.Event) -> None:
    """Until the next pass: IMAP IDLE wakes us as soon as mail arrives; else `poll_seconds`.

    Even with IDLE a pass comes every `poll_seconds`, for the outbox and the schedules.
    """
    try:
        with open_mailbox(config) as mailbox:
            mailbox.wait_for_news(config.mailbox.poll_seconds, stop)
    except MailboxUnavailable as error:
        log.warning("cannot wait on the mailbox (%s); polling instead", type(error).__name__)
        stop.wait(config.mailbox.poll_seconds)
    except Exception:  # never let waiting kill the daemon
        log.exception("waiting on the mailbox failed; polling instead")
        stop.wait(config.mailbox.poll_seconds)
