"""`helpdesk demo`: the whole way on the embedded defaults, with the sample data from tests/fixtures."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from helpdesk.config import mailbox_endpoint, smtp_endpoint
from helpdesk.customers import import_files
from helpdesk.daemon import run_once
from helpdesk.errors import HelpdeskError
from helpdesk.mailbox import deliver_to_maildir
from helpdesk.models import DraftState, utcnow
from helpdesk.queries import list_drafts, list_requests

if TYPE_CHECKING:
    from helpdesk.cli import App

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def run_demo(app: App, console: Console) -> None:
    """Import sample customers, deliver the sample mails, run one pass, print what is waiting."""
    mailbox, outbox = mailbox_endpoint(app.config), smtp_endpoint(app.config)
    if mailbox.scheme != "maildir" or outbox.scheme != "folder":
        raise HelpdeskError(
            "the demo runs only on a local Maildir and outbox folder; start it without --config"
        )
    if not (FIXTURES / "emails").is_dir():
        raise HelpdeskError(f"the demo needs the sample data of a source checkout ({FIXTURES} is missing)")
    assert mailbox.path is not None and outbox.path is not None

    with app.session() as session:
        imported = import_files(session, FIXTURES / "customers.csv", FIXTURES / "orders.csv", actor="demo")
    console.print(f"sample customers: {imported}")
    mails = sorted((FIXTURES / "emails").glob("*.eml"))
    if (mailbox.path / "new").is_dir() and any((mailbox.path / "new").iterdir()):
        console.print(f"sample mails were delivered to {mailbox.path} before; reading what is there")
    else:
        now = utcnow()
        for number, path in enumerate(mails):
            # Spread arrivals over the last three weeks, so the deadlines differ as they would.
            deliver_to_maildir(
                mailbox.path,
                path.read_bytes(),
                when=now - timedelta(days=number % 22, hours=number),
            )
        console.print(f"delivered {len(mails)} sample mails to {mailbox.path}")

    report = run_once(app.db, app.config)
    console.print(f"one pass: {report}\n")
    from helpdesk.cli import print_drafts, print_requests

    with app.session() as session:
        requests = list_requests(session, app.config)
        drafts = list_drafts(session, DraftState.PENDING)
    print_requests(requests, title="requests opened")
    print_drafts(drafts, title="drafts waiting for approval")
    console.print(
        "\nNext: [bold]helpdesk drafts show ID[/] to read a draft,"
        " [bold]helpdesk drafts approve ID[/] to approve it,"
        f" then [bold]helpdesk run --once[/]: approved mail is written to {outbox.path}/."
        " Mails that could not be read: [bold]helpdesk quarantine list[/]."
    )
