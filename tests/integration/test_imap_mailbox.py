"""The mailbox edge against a real Dovecot: UIDs, UIDVALIDITY, the first-run window, poison mail, outages.

These call the helpdesk's own code (open_mailbox, read_mailbox, run_once) directly, with a
SQLite database in tmp_path. The `dovecot` helpers act as *another* mail client: a person
reading, deleting or reorganising the shared mailbox while the helpdesk works.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk.config import Config, MailboxConfig, SmtpConfig, mailbox_endpoint
from helpdesk.customers import import_files
from helpdesk.daemon import run_forever, run_once
from helpdesk.mailbox import ImapMailbox, Position, open_mailbox
from helpdesk.models import Draft, InboundMail, MailboxState, MailStatus, PrivacyRequest
from helpdesk.pipeline import PassReport, read_mailbox
from helpdesk.review import approve
from helpdesk.storage import Database
from tests.conftest import FIXTURES, fixture_mail, make_config, wait_until
from tests.integration.servers import DovecotServer, SmtpSink

REPO = Path(__file__).resolve().parents[2]
PASSWORD_ENV = "HELPDESK_IMAP_PASSWORD"
JAN_ACCESS_ID = "<5b1e4c2a-93f0-4d7e-b6a8-2f7c0e9d4a31@mail.example.nl>"  # access_nl_known.eml


# --- helpers ------------------------------------------------------------------------------------


def a_mail(number: int) -> bytes:
    """A small ordinary customer mail with its own Message-ID (not a privacy request)."""
    return (
        f"From: Klant {number} <klant{number}@example.nl>\r\n"
        f"To: info@momgemstone.nl\r\n"
        f"Subject: Vraag over bestelling MOM-{10000 + number}\r\n"
        f"Message-ID: <mail-{number}@example.nl>\r\n"
        f"Date: Mon, 23 Nov 2026 10:00:00 +0100\r\n"
        f"\r\n"
        f"Wanneer wordt bestelling MOM-{10000 + number} verzonden?\r\n"
    ).encode()


def imap_config(tmp_path: Path, dovecot: DovecotServer, folder: str = "INBOX", **sections: object) -> Config:
    return make_config(
        tmp_path, mailbox=MailboxConfig(url=dovecot.url(folder), password_env=PASSWORD_ENV), **sections
    )


def read(db: Database, config: Config) -> PassReport:
    """One look at the mailbox, as the daemon takes it."""
    with open_mailbox(config) as mailbox:
        return read_mailbox(db, config, mailbox)


def stored(db: Database) -> list[InboundMail]:
    with db.session() as session:
        return list(session.scalars(select(InboundMail).order_by(InboundMail.id)))


def stored_message_ids(db: Database) -> list[str | None]:
    return [mail.message_id for mail in stored(db)]


def requests(db: Database) -> list[PrivacyRequest]:
    with db.session() as session:
        return list(session.scalars(select(PrivacyRequest).order_by(PrivacyRequest.id)))


def mailbox_state(db: Database) -> MailboxState:
    with db.session() as session:
        [state] = session.scalars(select(MailboxState))
        return state


def days_ago(days: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=days)


@pytest.fixture(autouse=True)
def imap_password(dovecot: DovecotServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)


@pytest.fixture
def config(tmp_path: Path, dovecot: DovecotServer) -> Config:
    return imap_config(tmp_path, dovecot)


@contextmanager
def database_for(config: Config) -> Iterator[Database]:
    """The helpdesk's database for `config`, migrated, with the sample customers."""
    database = Database(config.database.url)
    try:
        database.upgrade()
        with database.session() as session:
            import_files(session, FIXTURES / "customers.csv", FIXTURES / "orders.csv", actor="test")
        yield database
    finally:
        database.close()


@pytest.fixture
def open_database() -> Iterator[Callable[[Config], Database]]:
    """For a test with a configuration of its own: open_database(config) -> Database, closed at the end."""
    with ExitStack() as stack:
        yield lambda config: stack.enter_context(database_for(config))


@pytest.fixture
def db(config: Config, open_database: Callable[[Config], Database]) -> Database:
    return open_database(config)


# --- new mail, once ---------------------------------------------------------------------------


def test_a_second_run_stores_nothing_new_and_a_later_mail_is_picked_up(
    db: Database, config: Config, dovecot: DovecotServer
) -> None:
    dovecot.append(a_mail(1))
    second = dovecot.append(a_mail(2))

    assert read(db, config).stored == 2
    state = mailbox_state(db)
    assert (state.uidvalidity, state.last_uid) == (dovecot.uidvalidity(), second)

    assert read(db, config).stored == 0
    assert len(stored(db)) == 2

    later = dovecot.append(a_mail(3))
    assert read(db, config).stored == 1
    assert stored(db)[-1].source_key == str(later)
    assert mailbox_state(db).last_uid == later


# --- renumbering: another client expunges mail --------------------------------------------------


def test_mail_expunged_by_someone_else_between_runs_hides_no_other_mail(
    db: Database, config: Config, dovecot: DovecotServer
) -> None:
    uids = [dovecot.append(a_mail(n)) for n in range(1, 7)]
    assert read(db, config).stored == 6

    # A person deletes two mails the helpdesk already read: the sequence numbers of the rest shift.
    dovecot.expunge_uids([uids[1], uids[3]])
    for n in range(7, 10):
        dovecot.append(a_mail(n))
    mailbox_before = dovecot.snapshot()

    assert read(db, config).stored == 3
    assert stored_message_ids(db) == [f"<mail-{n}@example.nl>" for n in range(1, 10)]
    assert dovecot.snapshot() == mailbox_before


class ExpungeAfterSearch(ImapMailbox):
    """A real ImapMailbox; right after its search another client expunges some mails."""

    def __init__(self, config: Config, dovecot: DovecotServer, expunge: list[int]) -> None:
        super().__init__(mailbox_endpoint(config), dovecot.password, timeout=10)
        self.dovecot = dovecot
        self.expunge = expunge

    def keys_since(self, position: Position, since: date) -> list[str]:
        keys = super().keys_since(position, since)
        self.dovecot.expunge_uids(self.expunge)
        return keys


def test_mail_expunged_by_someone_else_during_a_run_leaves_every_other_mail_read_once(
    db: Database, config: Config, dovecot: DovecotServer
) -> None:
    uids = [dovecot.append(a_mail(n)) for n in range(1, 7)]
    deleted = [uids[0], uids[3]]  # the oldest and one in the middle

    with ExpungeAfterSearch(config, dovecot, expunge=deleted) as mailbox:
        report = read_mailbox(db, config, mailbox)
    mailbox_after_person = dovecot.snapshot()
    assert sorted(mailbox_after_person) == [uid for uid in uids if uid not in deleted]

    assert report.stored == 4
    assert sorted(int(mail.source_key) for mail in stored(db)) == sorted(mailbox_after_person)
    assert read(db, config).stored == 0
    assert stored_message_ids(db) == [f"<mail-{n}@example.nl>" for n in (2, 3, 5, 6)]
    assert dovecot.snapshot() == mailbox_after_person


# --- UIDVALIDITY changes ------------------------------------------------------------------------


def test_a_recreated_folder_with_the_same_mails_creates_nothing_twice(
    tmp_path: Path, dovecot: DovecotServer, open_database: Callable[[Config], Database]
) -> None:
    config = imap_config(tmp_path, dovecot, folder="Test")
    db = open_database(config)
    dovecot.create_folder("Test")
    same_mails = [fixture_mail("access_nl_unknown.eml"), fixture_mail("order_question_nl.eml")]
    arrived = days_ago(0.1)
    for raw in same_mails:
        dovecot.append(raw, folder="Test", msg_time=arrived)
    assert read(db, config).stored == 2
    [request] = requests(db)
    old_validity = dovecot.uidvalidity("Test")

    # The admin moves the folder away and builds a new "Test" holding the same mails,
    # and one new mail arrives there before the helpdesk looks again.
    with dovecot.client() as client:
        client.rename_folder("Test", "Test-old")
        client.create_folder("Test")
    for raw in same_mails:
        dovecot.append(raw, folder="Test", msg_time=arrived)
    dovecot.append(fixture_mail("access_nl_known.eml"), folder="Test")
    assert dovecot.uidvalidity("Test") != old_validity

    read(db, config)

    copies = [mail for mail in stored(db) if mail.uidvalidity != old_validity]
    by_message_id = {mail.message_id: mail for mail in copies}
    assert len(copies) == 3
    for original in stored(db)[:2]:
        copy = by_message_id[original.message_id]
        assert copy.status == MailStatus.DUPLICATE
        assert copy.request_pk == original.request_pk
    assert by_message_id[JAN_ACCESS_ID].status == MailStatus.PROCESSED
    assert [r.requester for r in requests(db)] == [request.requester, "jan.jansen@example.nl"]
    with db.session() as session:
        assert session.query(Draft).count() == 2  # one per request: none for the copies
    assert mailbox_state(db).uidvalidity == dovecot.uidvalidity("Test")


# --- first contact with a mailbox full of old mail ------------------------------------------------


def test_first_contact_reads_only_mail_of_the_last_first_run_days(
    db: Database, config: Config, dovecot: DovecotServer
) -> None:
    assert config.mailbox.first_run_days == 30
    dovecot.append(a_mail(1), msg_time=days_ago(400))
    dovecot.append(a_mail(2), msg_time=days_ago(31))
    recent = dovecot.append(a_mail(3), msg_time=days_ago(2))
    dovecot.append(a_mail(4), msg_time=days_ago(45))  # old mail moved in later: a higher UID

    read(db, config)

    assert [mail.source_key for mail in stored(db)] == [str(recent)]


@pytest.mark.parametrize(
    "ages_in_days",
    [
        pytest.param([400, 200, 45], id="only-old-mail"),
        pytest.param([400, 2, 45], id="old-mail-with-a-higher-uid-than-recent-mail"),
    ],
)
def test_old_mail_is_not_read_on_later_runs_either(
    db: Database, config: Config, dovecot: DovecotServer, ages_in_days: list[int]
) -> None:
    for number, age in enumerate(ages_in_days, start=1):
        dovecot.append(a_mail(number), msg_time=days_ago(age))
    read(db, config)
    first_run = stored_message_ids(db)

    read(db, config)

    assert stored_message_ids(db) == first_run  # the next run must not backfill years of mail
    dovecot.append(a_mail(99))
    read(db, config)
    assert stored_message_ids(db) == [*first_run, "<mail-99@example.nl>"]


# --- a poison mail ---------------------------------------------------------------------------------


def test_a_poison_mail_is_quarantined_and_the_mail_behind_it_is_processed(
    tmp_path: Path, db: Database, config: Config, dovecot: DovecotServer
) -> None:
    broken = fixture_mail("broken_from.eml")
    dovecot.append(broken, msg_time=days_ago(0.3))  # the oldest: first in line
    dovecot.append(fixture_mail("access_nl_known.eml"), msg_time=days_ago(0.2))
    dovecot.append(fixture_mail("order_question_nl.eml"), msg_time=days_ago(0.1))

    report = read(db, config)

    assert (report.stored, report.processed, report.quarantined) == (3, 2, 1)
    [request] = requests(db)
    assert request.requester == "jan.jansen@example.nl"
    [parked] = [mail for mail in stored(db) if mail.status == MailStatus.QUARANTINED]
    assert parked.raw is not None
    assert parked.raw.replace(b"\r\n", b"\n") == broken.replace(b"\r\n", b"\n")
    assert parked.error and "From" in parked.error

    listed = quarantine_list_json(tmp_path, config)
    assert [(row["id"], row["error"]) for row in listed] == [(parked.id, parked.error)]


def cli_environment() -> dict[str, str]:
    """The environment for a `helpdesk` process: no stray HELPDESK_* settings, this checkout's code."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HELPDESK_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def quarantine_list_json(tmp_path: Path, config: Config) -> list[dict[str, object]]:
    """`helpdesk quarantine list --json`, run as the operator would, on the same database."""
    toml = tmp_path / "quarantine.toml"
    toml.write_text(f"[database]\nurl = {json.dumps(config.database.url)}\n", encoding="utf-8")
    env = cli_environment()
    result = subprocess.run(
        [sys.executable, "-m", "helpdesk", "--config", str(toml), "quarantine", "list", "--json"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


# --- the mailbox refuses us ----------------------------------------------------------------------


def test_a_wrong_password_is_reported_without_a_crash_and_the_outbox_still_runs(
    tmp_path: Path,
    dovecot: DovecotServer,
    smtp_sink: SmtpSink,
    monkeypatch: pytest.MonkeyPatch,
    open_database: Callable[[Config], Database],
) -> None:
    config = imap_config(tmp_path, dovecot, smtp=SmtpConfig(url=smtp_sink.url()))
    db = open_database(config)
    dovecot.append(fixture_mail("access_nl_known.eml"))
    run_once(db, config)
    with db.session() as session:
        [draft] = session.scalars(select(Draft))
        approve(session, draft.id, "Linda de Boer", config)

    monkeypatch.setenv(PASSWORD_ENV, "not-the-password")
    report = run_once(db, config, attempts=1)

    assert report.mailbox_error is not None
    assert "authentication failed" in report.mailbox_error.lower()
    assert mailbox_endpoint(config).host in report.mailbox_error
    assert "not-the-password" not in report.mailbox_error
    assert "mailbox unavailable" in str(report)
    assert mailbox_state(db).last_error == report.mailbox_error
    assert report.outbox.sent == 1
    [sent] = smtp_sink.messages
    assert sent.message["In-Reply-To"] == JAN_ACCESS_ID


# --- waiting: IMAP IDLE -------------------------------------------------------------------------


def test_a_mail_appended_while_the_daemon_idles_becomes_a_request_within_seconds(
    tmp_path: Path, dovecot: DovecotServer, open_database: Callable[[Config], Database]
) -> None:
    # An hour between passes: only IDLE can bring the new mail in quickly.
    config = imap_config(tmp_path, dovecot)
    config = replace(config, mailbox=replace(config.mailbox, poll_seconds=3600))
    db = open_database(config)
    stop = threading.Event()
    daemon = threading.Thread(target=run_forever, args=(db, config, stop))
    daemon.start()
    try:
        assert wait_until(lambda: mailbox_state_or_none(db) is not None)  # first pass done, now idling
        time.sleep(0.5)
        appended = time.monotonic()
        dovecot.append(fixture_mail("access_nl_known.eml"))
        assert wait_until(lambda: len(requests(db)) == 1, timeout=15)
        latency = time.monotonic() - appended
    finally:
        stop.set()
        daemon.join(timeout=10)
    assert not daemon.is_alive()  # the stop is honoured while idling, within a second or so
    assert latency < 10


def test_idle_returns_when_its_time_is_up_and_when_told_to_stop(
    config: Config, dovecot: DovecotServer
) -> None:
    stop = threading.Event()
    with open_mailbox(config) as mailbox:
        started = time.monotonic()
        mailbox.wait_for_news(1.5, stop)  # nothing arrives: back after the time given
        assert 1.0 < time.monotonic() - started < 5
        threading.Timer(0.5, stop.set).start()
        started = time.monotonic()
        mailbox.wait_for_news(60, stop)
        assert time.monotonic() - started < 3


def mailbox_state_or_none(db: Database) -> MailboxState | None:
    with db.session() as session:
        return session.scalar(select(MailboxState).where(MailboxState.last_checked_at.is_not(None)))
