"""The weekly digest: what is due when, for the privacy contact, without full addresses."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

from click.testing import CliRunner
from sqlalchemy import select

from helpdesk.cli import main
from helpdesk.models import PrivacyRequest
from replies.digest import mask
from tests.conftest import Helpdesk, write_config
from tests.test_answers import approve_and_send


def a_week_of_requests(helpdesk: Helpdesk) -> None:
    """Jan's access (draft waiting), Sophie unknown (waiting 31 days), Fatima overdue, Emma answered."""
    for name in ("access_nl_known.eml", "access_nl_unknown.eml", "restriction_nl_known.eml"):
        helpdesk.deliver(name)
    helpdesk.run_once()
    helpdesk.deliver("portability_en_known.eml")
    helpdesk.run_once()
    approve_and_send(helpdesk)  # Thomas's portability answer went out this week
    with helpdesk.db.session() as session:
        for request in session.scalars(select(PrivacyRequest)):
            if request.requester == "sophie.dv1987@example.org":
                assert request.awaiting_identity_since is not None
                request.awaiting_identity_since -= timedelta(days=31)
            if request.requester == "fatima.elamrani@example.nl":
                request.deadline -= timedelta(days=40)


def test_the_preview_lists_what_is_due_most_urgent_first_without_full_addresses(helpdesk: Helpdesk) -> None:
    a_week_of_requests(helpdesk)
    result = CliRunner().invoke(
        main, ["digest", "--preview"], env={"HELPDESK_CONFIG": str(write_config(helpdesk))}
    )
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("Subject: Privacyverzoeken: 3 open, 1 te laat")
    open_part = text[text.index("OPEN VERZOEKEN") : text.index("CONCEPTEN")]
    lines = [line for line in open_part.splitlines() if line.startswith(("PR-", "!!"))]
    assert lines[0].startswith("!! TE LAAT") and "f***@example.nl" in lines[0]  # overdue first
    assert len(lines) == 3
    assert "wacht 31 dagen  -> voorstel: sluiten" in text and "s***@example.org" in text
    handled = text[text.index("AFGEHANDELD DEZE WEEK") :]
    assert "portability  answered" in handled
    for full in ("jan.jansen@example.nl", "sophie.dv1987@example.org", "fatima.elamrani@example.nl"):
        assert full not in text


def test_the_digest_is_sent_as_text_and_html_to_the_privacy_contact(helpdesk: Helpdesk) -> None:
    a_week_of_requests(helpdesk)
    env = {"HELPDESK_CONFIG": str(write_config(helpdesk))}
    result = CliRunner().invoke(main, ["digest", "--send"], env=env)
    assert result.exit_code == 0, result.output
    newest = max(helpdesk.outbox.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    mail = message_from_bytes(newest.read_bytes(), policy=policy.default)
    assert mail["To"] == "Linda de Boer <privacy@momgemstone.nl>"
    assert mail.get_content_type() == "multipart/alternative"
    html = mail.get_body(("html",))
    assert html is not None and 'style="background:#fdd"' in html.get_content()  # overdue marked
    # Our own Message-ID: a copy that lands in the shared mailbox is ignored by intake.
    helpdesk.deliver(newest.read_bytes())
    report = helpdesk.run_once()
    assert report.mailbox.stored == 1 and report.mailbox.requests == []


def test_the_digest_can_be_english(helpdesk: Helpdesk) -> None:
    a_week_of_requests(helpdesk)
    path = write_config(helpdesk)
    path.write_text(path.read_text() + '[digest]\nlanguage = "en"\n')
    text = CliRunner().invoke(main, ["digest"], env={"HELPDESK_CONFIG": str(path)}).output
    assert "OPEN REQUESTS (3, 1 OVERDUE)" in text and "proposed: close" in text


def test_masking_keeps_the_first_letter_and_the_domain() -> None:
    assert mask("jan.jansen@example.nl") == "j***@example.nl"
    assert mask("(erased)") == "***"
