"""Shared test vocabulary: a helpdesk in a temp folder, fixture mails, steps that read like the story.

def test_something(helpdesk):
    helpdesk.deliver("access_nl_known.eml")
    helpdesk.run_once()
    assert helpdesk.drafts()[0].to_address == "jan.jansen@example.nl"
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk.config import Config, DatabaseConfig, MailboxConfig, SmtpConfig
from helpdesk.customers import import_files
from helpdesk.daemon import RunReport, run_once
from helpdesk.mailbox import deliver_to_maildir
from helpdesk.models import Draft, InboundMail, PrivacyRequest
from helpdesk.review import approve
from helpdesk.storage import Database

FIXTURES = Path(__file__).parent / "fixtures"
EMAILS = FIXTURES / "emails"


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll `condition` until it holds (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def write_config(helpdesk: Helpdesk) -> Path:
    """The helpdesk's own configuration as a TOML file, to drive the command line with."""
    config = helpdesk.config
    path = helpdesk.root / "helpdesk.toml"
    path.write_text(
        f"""
[organisation]
name = "{config.organisation.name}"
address = "{config.organisation.address}"
privacy_contact = "{config.organisation.privacy_contact}"

[mailbox]
url = "{config.mailbox.url}"
trusted_authserv_id = "{config.mailbox.trusted_authserv_id}"

[smtp]
url = "{config.smtp.url}"

[database]
url = "{config.database.url}"
""",
        encoding="utf-8",
    )
    return path


def fixture_mail(name: str) -> bytes:
    """The bytes of tests/fixtures/emails/NAME."""
    return (EMAILS / name).read_bytes()


@dataclass
class Helpdesk:
    """A helpdesk on the embedded kind of setup (Maildir in, folder out, SQLite) in a temp folder."""

    config: Config
    db: Database
    root: Path

    @property
    def maildir(self) -> Path:
        return self.root / "mail"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    def import_customers(self) -> None:
        with self.db.session() as session:
            import_files(session, FIXTURES / "customers.csv", FIXTURES / "orders.csv", actor="test")

    def deliver(self, name_or_bytes: str | bytes, when: datetime | None = None) -> str:
        """Put a fixture mail (by file name) or raw bytes into the Maildir, as an MTA would."""
        raw = fixture_mail(name_or_bytes) if isinstance(name_or_bytes, str) else name_or_bytes
        return deliver_to_maildir(self.maildir, raw, when=when)

    def run_once(self) -> RunReport:
        return run_once(self.db, self.config)

    def requests(self) -> list[PrivacyRequest]:
        with self.db.session() as session:
            return list(session.scalars(select(PrivacyRequest).order_by(PrivacyRequest.id)))

    def drafts(self) -> list[Draft]:
        with self.db.session() as session:
            return list(session.scalars(select(Draft).order_by(Draft.id)))

    def mails(self) -> list[InboundMail]:
        with self.db.session() as session:
            return list(session.scalars(select(InboundMail).order_by(InboundMail.id)))

    def approve(self, draft_id: int, by: str = "Linda de Boer") -> None:
        with self.db.session() as session:
            approve(session, draft_id, by, self.config)

    def sent(self) -> list[EmailMessage]:
        """Mail the folder outbox holds, oldest file first."""
        files = sorted(self.outbox.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
        return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]  # type: ignore[misc]


def make_config(root: Path, **sections: object) -> Config:
    """A configuration whose every path lies under `root`; keyword arguments replace whole sections."""
    config = Config(
        mailbox=MailboxConfig(url=f"maildir:{root / 'mail'}", trusted_authserv_id="mx.momgemstone.nl"),
        smtp=SmtpConfig(url=f"folder:{root / 'outbox'}"),
        database=DatabaseConfig(url=f"sqlite:///{root / 'helpdesk.sqlite3'}"),
        source="tests",
    )
    return replace(config, **sections)  # type: ignore[arg-type]


@pytest.fixture
def helpdesk(tmp_path: Path) -> Iterator[Helpdesk]:
    """A fresh helpdesk with the sample customers imported and an empty Maildir."""
    config = make_config(tmp_path)
    db = Database(config.database.url)
    db.upgrade()
    desk = Helpdesk(config=config, db=db, root=tmp_path)
    desk.maildir.mkdir()
    for sub in ("cur", "new", "tmp"):
        (desk.maildir / sub).mkdir()
    desk.import_customers()
    yield desk
    db.close()
