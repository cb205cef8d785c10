"""The digest and reminders fire once at their time, on a clock the test controls, and never
again after a restart (the schedule lives in the database, not in the process)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

from sqlalchemy import select

from helpdesk.errors import SendFailed
from helpdesk.models import PrivacyRequest
from helpdesk.outbox import open_outbox
from helpdesk.schedule import run_schedules
from tests.conftest import Helpdesk

# Monday 30 November 2026, 08:00 in Amsterdam is 07:00 UTC.
MONDAY_0759 = datetime(2026, 11, 30, 6, 59, tzinfo=UTC)
MONDAY_0800 = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


def notices(helpdesk: Helpdesk) -> list[EmailMessage]:
    return [
        mail
        for mail in (
            message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in helpdesk.outbox.glob("*.eml")
        )
        if mail["To"] == "Linda de Boer <privacy@momgemstone.nl>"
    ]  # type: ignore[misc]


def schedules(helpdesk: Helpdesk, now: datetime) -> list[str]:
    return run_schedules(helpdesk.db, helpdesk.config, open_outbox(helpdesk.config), now)


def test_the_weekly_digest_goes_once_at_its_time_and_not_again_after_a_restart(helpdesk: Helpdesk) -> None:
    assert schedules(helpdesk, MONDAY_0759) == []
    assert schedules(helpdesk, MONDAY_0800) == ["digest:2026-W49"]
    assert schedules(helpdesk, MONDAY_0800 + timedelta(minutes=1)) == []
    # A restart is a new process on the same database: the schedule is in the database.
    helpdesk.db.close()
    assert schedules(helpdesk, MONDAY_0800 + timedelta(hours=3)) == []
    assert schedules(helpdesk, MONDAY_0800 + timedelta(days=7)) == ["digest:2026-W50"]
    subjects = sorted(str(mail["Subject"]).strip() for mail in notices(helpdesk))
    assert [subject.startswith("Privacyverzoeken") for subject in subjects] == [True, True]


def test_a_daemon_that_was_down_at_digest_time_sends_it_when_back_the_same_week(helpdesk: Helpdesk) -> None:
    wednesday = MONDAY_0800 + timedelta(days=2)
    assert schedules(helpdesk, wednesday) == ["digest:2026-W49"]


def test_reminders_at_seven_and_two_days_and_when_overdue_each_once(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml", when=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    helpdesk.run_once()
    [request] = helpdesk.requests()
    due = datetime.combine(request.deadline, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    sunday = MONDAY_0800 - timedelta(days=1)  # keep the weekly digest out of this story
    first = [key for key in schedules(helpdesk, sunday) if not key.startswith("digest:")]
    assert first == [f"draft:{helpdesk.drafts()[0].id}"]  # the new draft, once
    reference = request.reference
    for moment, expected in [
        (due - timedelta(days=9), []),
        (due - timedelta(days=7), [f"reminder:{reference}:7"]),
        (due - timedelta(days=6), []),
        (due - timedelta(days=2), [f"reminder:{reference}:2"]),
        (due, []),
        (due + timedelta(days=1), [f"reminder:{reference}:overdue"]),
        (due + timedelta(days=2), []),
    ]:
        sent = [key for key in schedules(helpdesk, moment) if not key.startswith("digest:")]
        assert sent == expected, moment
    subjects = [
        str(mail["Subject"]) for mail in notices(helpdesk) if "Privacyverzoeken" not in str(mail["Subject"])
    ]
    assert f"TE LAAT: privacyverzoek {reference}" in subjects
    for mail in notices(helpdesk):
        body = mail.get_body(("plain",))
        assert body is not None and "jan.jansen@example.nl" not in body.get_content()  # masked


def test_a_failed_send_is_tried_again_on_the_next_pass(helpdesk: Helpdesk, monkeypatch: object) -> None:
    class Down:
        def send(self, message: EmailMessage) -> None:
            raise SendFailed("connection refused", permanent=False)

    assert run_schedules(helpdesk.db, helpdesk.config, Down(), MONDAY_0800) == []  # type: ignore[arg-type]
    assert schedules(helpdesk, MONDAY_0800) == ["digest:2026-W49"]


def test_new_drafts_can_wait_for_the_digest(helpdesk: Helpdesk) -> None:
    from dataclasses import replace

    helpdesk.config = replace(helpdesk.config, digest=replace(helpdesk.config.digest, new_drafts="digest"))
    helpdesk.deliver("access_nl_known.eml")
    helpdesk.run_once()
    assert schedules(helpdesk, MONDAY_0759) == []
    with helpdesk.db.session() as session:
        assert session.scalar(select(PrivacyRequest.reference)) is not None
