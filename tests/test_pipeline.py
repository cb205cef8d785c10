"""The way a mail travels, on the embedded kind of setup (Maildir in, folder out, real SQLite)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from helpdesk.deadline import deadline
from helpdesk.drafting import create_draft
from helpdesk.errors import ReviewError
from helpdesk.events import EventKind
from helpdesk.intake import store_raw
from helpdesk.mailbox import RawMail
from helpdesk.models import AuditEvent, Draft, DraftPurpose, InboundMail, PrivacyRequest
from helpdesk.pipeline import requeue
from helpdesk.queries import list_quarantine, list_requests
from helpdesk.review import approve
from helpdesk.workflow import confirm, dismiss
from tests.conftest import Helpdesk, fixture_mail


def test_unknown_sender_is_asked_for_identification_and_gets_no_data(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_unknown.eml")
    helpdesk.run_once()
    [request] = helpdesk.requests()
    assert request.state == "awaiting_identity"
    assert not request.identity_verified
    assert request.customer_pk is None
    [draft] = helpdesk.drafts()
    assert draft.purpose == "identity"
    assert draft.to_address == "sophie.dv1987@example.org"
    assert not draft.carries_personal_data
    assert "Sophie" in draft.body and "postcode" in draft.body  # asks for order number + postcode
    assert "sophie.devries@example.nl" not in draft.body  # never reveals the customer it might be


def test_an_answer_for_an_unverified_requester_can_never_be_approved(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_unknown.eml")
    helpdesk.run_once()
    with helpdesk.db.session() as session:
        request = session.scalars(select(PrivacyRequest)).one()
        answer = create_draft(session, helpdesk.config, request, DraftPurpose.ANSWER, request.mails[0])
        answer_id = answer.id
    with pytest.raises(ReviewError, match="identity"), helpdesk.db.session() as session:
        approve(session, answer_id, "Linda de Boer", helpdesk.config)


def test_reply_to_never_receives_the_answer(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("reply_to_differs.eml")
    helpdesk.run_once()
    [draft] = helpdesk.drafts()
    assert draft.to_address == "jan.jansen@example.nl"
    helpdesk.approve(draft.id)
    helpdesk.run_once()
    [sent] = helpdesk.sent()
    assert sent["To"] == "jan.jansen@example.nl"
    assert "jan.jansen.privacy@mailbox.example.net" not in sent.as_string()


def test_display_name_and_upper_case_still_match_the_known_address(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("rectification_nl_known_variant.eml")
    helpdesk.run_once()
    [request] = helpdesk.requests()
    assert request.kinds == ["rectification"]
    assert request.identity_verified and request.identity_method == "authenticated-known-address"
    assert helpdesk.drafts()[0].to_address == "p.bakker@example.nl"


def test_deadline_runs_from_arrival_in_the_mailbox_not_from_reading(helpdesk: Helpdesk) -> None:
    arrived = datetime.now(UTC) - timedelta(days=3)
    helpdesk.deliver("erasure_en_known.eml", when=arrived)
    helpdesk.run_once()
    [request] = helpdesk.requests()
    assert abs(request.received_at - arrived) < timedelta(seconds=1)
    assert request.deadline == deadline(arrived, helpdesk.config.tz)


def test_a_mail_delivered_twice_is_one_request(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml")
    helpdesk.deliver("access_nl_known_copy.eml")
    helpdesk.run_once()
    assert len(helpdesk.requests()) == 1
    statuses = sorted(mail.status for mail in helpdesk.mails())
    assert statuses == ["duplicate", "processed"]
    original, copy = sorted(helpdesk.mails(), key=lambda mail: mail.status != "processed")
    assert copy.request_pk == original.request_pk
    assert (copy.raw, copy.text) == (None, None)  # the content is stored once, with the original


def test_a_reused_message_id_does_not_hide_a_different_mail(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml", when=datetime.now(UTC) - timedelta(hours=2))
    helpdesk.deliver("reused_message_id.eml")
    helpdesk.run_once()
    first, second = helpdesk.mails()
    assert first.message_id == second.message_id
    assert second.status == "processed" and "reused-message-id" in second.flags


def test_auto_replies_are_read_but_open_nothing(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("auto_reply_nl.eml")
    helpdesk.run_once()
    [mail] = helpdesk.mails()
    assert mail.status == "automatic"
    assert helpdesk.requests() == []


def test_a_genuine_request_with_bulk_headers_is_still_drafted(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("bulk_precedence_request.eml")
    helpdesk.run_once()
    [request] = helpdesk.requests()
    assert request.kinds == ["erasure"]
    assert [d.purpose for d in helpdesk.drafts()] == ["answer"]


def test_our_own_mail_looping_back_is_ignored(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml")
    helpdesk.run_once()
    [draft] = helpdesk.drafts()
    helpdesk.approve(draft.id)
    helpdesk.run_once()
    [sent] = helpdesk.sent()
    helpdesk.deliver(sent.as_bytes())  # e.g. the shop Bcc's itself, or a misconfigured alias
    helpdesk.run_once()
    assert helpdesk.mails()[-1].status == "own"
    assert len(helpdesk.requests()) == 1


def test_a_bounce_of_our_reply_alerts_instead_of_opening_a_request(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("erasure_en_known.eml")
    helpdesk.run_once()
    [draft] = helpdesk.drafts()
    with helpdesk.db.session() as session:
        # The fixture bounce quotes this Message-ID: make it the one our draft was given.
        session.get_one(Draft, draft.id).message_id = "<helpdesk.5f2c1e9a7b3d4c60@momgemstone.nl>"
    helpdesk.approve(draft.id)
    helpdesk.run_once()
    helpdesk.deliver("bounce_dsn.eml")
    helpdesk.run_once()
    assert len(helpdesk.requests()) == 1
    bounce = helpdesk.mails()[-1]
    assert bounce.status == "bounce" and bounce.request_pk == helpdesk.requests()[0].id
    [draft] = helpdesk.drafts()
    assert draft.needs_attention and "delivery failure" in (draft.last_error or "")
    with helpdesk.db.session() as session:
        kinds = session.scalars(select(AuditEvent.kind).where(AuditEvent.draft_pk == draft.id)).all()
    assert EventKind.DELIVERY_FAILED in kinds


def test_a_broken_mail_is_quarantined_and_the_rest_goes_on(helpdesk: Helpdesk) -> None:
    now = datetime.now(UTC)
    helpdesk.deliver("broken_from.eml", when=now - timedelta(minutes=3))  # oldest first
    helpdesk.deliver("access_nl_known.eml", when=now - timedelta(minutes=2))
    helpdesk.deliver("erasure_en_known.eml", when=now - timedelta(minutes=1))
    report = helpdesk.run_once()
    assert report.mailbox.quarantined == 1
    assert len(helpdesk.requests()) == 2
    with helpdesk.db.session() as session:
        [parked] = list_quarantine(session)
    assert "From header" in parked["error"]
    broken = helpdesk.mails()[0]
    assert broken.raw == fixture_mail("broken_from.eml")  # kept whole, never dropped

    requeue(helpdesk.db, broken.id, actor="operator")
    helpdesk.run_once()
    assert helpdesk.mails()[0].status == "quarantined"  # still unreadable, still kept
    assert helpdesk.mails()[0].attempts == 2


def test_a_mail_stored_before_a_crash_is_processed_by_the_next_run(helpdesk: Helpdesk) -> None:
    with helpdesk.db.session() as session:
        raw = RawMail(
            "maildir:elsewhere", 0, "k1", None, datetime.now(UTC), fixture_mail("access_nl_known.eml")
        )
        store_raw(session, raw)  # the process died right after this commit
    helpdesk.run_once()
    [request] = helpdesk.requests()
    assert request.kinds == ["access"]


def test_reading_the_mailbox_twice_stores_nothing_twice(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml")
    first = helpdesk.run_once()
    second = helpdesk.run_once()
    assert (first.mailbox.stored, second.mailbox.stored) == (1, 0)
    assert len(helpdesk.mails()) == 1


def test_the_maildir_is_left_as_it_was(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml")
    before = sorted(p.relative_to(helpdesk.maildir) for p in helpdesk.maildir.rglob("*"))
    helpdesk.run_once()
    after = sorted(p.relative_to(helpdesk.maildir) for p in helpdesk.maildir.rglob("*"))
    assert before == after


def test_an_interrupted_send_is_never_repeated_by_itself(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml")
    helpdesk.run_once()
    [draft] = helpdesk.drafts()
    helpdesk.approve(draft.id)
    with helpdesk.db.session() as session:
        # As if the process died between "send started" and "sent".
        session.get_one(Draft, draft.id).send_started_at = datetime.now(UTC)
    report = helpdesk.run_once()
    assert report.outbox.held == 1
    assert helpdesk.sent() == []
    [draft] = helpdesk.drafts()
    assert draft.needs_attention and "interrupted" in (draft.last_error or "")


def test_an_answer_whose_address_was_changed_after_approval_is_held(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml")
    helpdesk.run_once()
    [draft] = helpdesk.drafts()
    helpdesk.approve(draft.id)
    with helpdesk.db.session() as session:
        session.get_one(Draft, draft.id).to_address = "someone.else@example.org"
    helpdesk.run_once()
    assert helpdesk.sent() == []
    assert helpdesk.drafts()[0].needs_attention


def test_every_step_of_a_request_is_in_its_history(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml")
    helpdesk.run_once()
    helpdesk.approve(helpdesk.drafts()[0].id, by="Linda de Boer")
    helpdesk.run_once()
    with helpdesk.db.session() as session:
        request = session.scalars(select(PrivacyRequest)).one()
        events = session.scalars(select(AuditEvent).where(AuditEvent.request_pk == request.id)).all()
        kinds = [event.kind for event in events]
        approver = next(event.actor for event in events if event.kind == EventKind.DRAFT_APPROVED)
    assert kinds == [
        "request_opened",
        "identity_checked",
        "state_changed",
        "draft_created",
        "draft_approved",
        "draft_sent",
        "state_changed",
    ]
    assert approver == "Linda de Boer"


def test_requests_list_keeps_the_json_contract(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("multi_kind_en_known.eml")
    helpdesk.run_once()
    with helpdesk.db.session() as session:
        [row] = list_requests(session, helpdesk.config)
    assert row["reference"].startswith("PR-20") and len(row["reference"]) == len("PR-2026-0001")
    assert row["kinds"] == ["access", "erasure"]
    assert row["requester"] == "emma.smith@example.co.uk"
    assert row["identity_verified"] is True
    assert datetime.fromisoformat(row["received_at"]).tzinfo is not None
    assert isinstance(row["days_left"], int)
    with helpdesk.db.session() as session:
        mail = session.scalars(select(InboundMail)).one()
    assert row["message_ids"] == [mail.message_id]


def test_logs_name_mails_by_number_never_by_address_or_content(
    helpdesk: Helpdesk, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("access_nl_known.eml", "erasure_en_known.eml", "access_nl_unknown.eml", "broken_from.eml"):
        helpdesk.deliver(name)
    helpdesk.run_once()
    helpdesk.approve(helpdesk.drafts()[0].id)
    helpdesk.run_once()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "stored mail=" in logged and "handled mail=" in logged
    handled = [line for line in logged.splitlines() if line.startswith("handled mail=")]
    assert len(handled) == 3  # one line per mail handled (the broken one is quarantined)
    assert any(re.search(r"request=PR-\d{4}-\d{4} kinds=access ms=\d+$", line) for line in handled)
    for secret in ("jan.jansen", "emma.smith", "sophie", "example.", "gegevens", "Jansen", "delete"):
        assert secret.lower() not in logged.lower()


def test_first_contact_reads_only_recent_mail_and_history_stays_unread(helpdesk: Helpdesk) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=helpdesk.config.mailbox.first_run_days + 10)
    helpdesk.deliver("access_nl_known.eml", when=long_ago)  # history from before the helpdesk existed
    assert helpdesk.run_once().mailbox.stored == 0
    assert helpdesk.run_once().mailbox.stored == 0  # and it stays history
    helpdesk.deliver("erasure_en_known.eml")
    assert helpdesk.run_once().mailbox.stored == 1


POSSIBLE_REQUEST = b"""From: Jan Jansen <jan.jansen@example.nl>
To: info@momgemstone.nl
Subject: Vraag
Date: Tue, 24 Nov 2026 10:00:00 +0100
Message-ID: <possible.1@example.nl>
Content-Type: text/plain; charset=utf-8

Hoe gaan jullie eigenlijk om met privacy? Ik twijfel of ik nog iets bestel.
"""


def test_a_possible_request_waits_for_the_privacy_contact_and_never_gets_a_draft_by_itself(
    helpdesk: Helpdesk,
) -> None:
    helpdesk.deliver(POSSIBLE_REQUEST)
    helpdesk.run_once()
    [request] = helpdesk.requests()
    assert (request.state, request.kinds, request.customer_pk) == ("possible", [], None)
    assert request.deadline is not None  # the clock runs anyway
    assert helpdesk.drafts() == []


def test_confirming_a_possible_request_sends_it_on_its_way(helpdesk: Helpdesk) -> None:
    helpdesk.deliver(POSSIBLE_REQUEST)
    helpdesk.run_once()
    reference = helpdesk.requests()[0].reference
    with helpdesk.db.session() as session:
        confirm(session, helpdesk.config, reference, ["access"], by="Linda de Boer")
    [request] = helpdesk.requests()
    assert (request.state, request.kinds, request.identity_verified) == ("in_progress", ["access"], True)
    assert [d.purpose for d in helpdesk.drafts()] == ["answer"]


def test_dismissing_a_possible_request_keeps_it_on_record(helpdesk: Helpdesk) -> None:
    helpdesk.deliver(POSSIBLE_REQUEST)
    helpdesk.run_once()
    reference = helpdesk.requests()[0].reference
    with helpdesk.db.session() as session:
        dismiss(session, reference, by="Linda de Boer", reason="a question about the policy, no request")
    with pytest.raises(ReviewError, match="only a possible request"), helpdesk.db.session() as session:
        dismiss(session, reference, by="Linda de Boer", reason="again")
    [request] = helpdesk.requests()
    assert request.state == "dismissed" and request.closed_at is not None
    with helpdesk.db.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.request_pk == request.id)).all()
        dismissal = next(event for event in events if event.kind == EventKind.REQUEST_DISMISSED)
    assert dismissal.actor == "Linda de Boer" and "policy" in dismissal.details["reason"]


VENDOR_MAILING = b"""From: Shop Privacy Weekly <news@shopprivacy.example>
To: info@momgemstone.nl
Subject: Black Friday and your customers' rights
Date: Tue, 24 Nov 2026 10:00:00 +0100
Message-ID: <weekly.212@shopprivacy.example>
Content-Type: text/plain; charset=utf-8

"Please delete my data": the right to erasure is not absolute, you may keep invoices.
"Send me a copy of everything you hold on me": answer a subject access request within a month.

You're receiving this email because you signed up at shopprivacy.example. Unsubscribe | Privacy
"""


def test_a_mailing_full_of_rights_words_waits_as_a_possible_request_with_its_reason(
    helpdesk: Helpdesk,
) -> None:
    helpdesk.deliver(VENDOR_MAILING)
    helpdesk.run_once()
    [request] = helpdesk.requests()
    assert request.state == "possible" and helpdesk.drafts() == []
    with helpdesk.db.session() as session:
        opened = session.scalars(select(AuditEvent).where(AuditEvent.kind == EventKind.REQUEST_OPENED)).one()
    assert any("sent to many" in reason for reason in opened.details["reasons"])
    assert opened.details["evidence"]  # the words that looked like a request, for the privacy contact
