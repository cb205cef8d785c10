"""Who is asking: the known address, authentication, confirmation, follow-ups, forwards, mandates.

Each story starts from real fixture mails (tests/fixtures/emails/identity/) on a Maildir helpdesk
whose own receiving server is mx.momgemstone.nl.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from helpdesk.cli import main
from helpdesk.errors import ReviewError
from helpdesk.events import EventKind
from helpdesk.identity import (
    Authentication,
    authentication,
    normalise_address,
    order_and_postcode,
    without_plus_tag,
)
from helpdesk.models import AuditEvent, Customer, Draft, InboundMail, PrivacyRequest
from helpdesk.workflow import verify_by_hand
from tests.conftest import Helpdesk, fixture_mail, write_config

RECEIVED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # fixes the year in the references


def receive(helpdesk: Helpdesk, *names: str) -> None:
    for name in names:
        helpdesk.deliver(name if name.endswith(".eml") else f"identity/{name}.eml", when=RECEIVED)
    helpdesk.run_once()


def only_request(helpdesk: Helpdesk) -> PrivacyRequest:
    [request] = helpdesk.requests()
    return request


def purposes_and_recipients(helpdesk: Helpdesk) -> list[tuple[str, str]]:
    return [(draft.purpose, draft.to_address) for draft in helpdesk.drafts()]


def events(helpdesk: Helpdesk, kind: EventKind) -> list[AuditEvent]:
    with helpdesk.db.session() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.kind == str(kind))))


def mails_of(helpdesk: Helpdesk, request: PrivacyRequest) -> int:
    return sum(mail.request_pk == request.id for mail in helpdesk.mails())


def send_everything_approved(helpdesk: Helpdesk) -> None:
    for draft in helpdesk.drafts():
        if draft.state == "pending":
            helpdesk.approve(draft.id)
    helpdesk.run_once()


def reply_to_draft(name: str, draft: Draft) -> bytes:
    """A fixture reply, made to answer `draft` (its placeholder Message-ID replaced by the draft's)."""
    return fixture_mail(f"identity/{name}.eml").replace(
        b"<confirmation-draft-placeholder@momgemstone.nl>", draft.message_id.encode()
    )


# --- matching the known address ---------------------------------------------------------------


def test_upper_case_and_display_name_match_the_known_address(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "known_sender_uppercase_display_name")
    request = only_request(helpdesk)
    assert request.identity_verified and request.identity_method == "authenticated-known-address"
    assert request.authenticated is True
    assert purposes_and_recipients(helpdesk) == [("answer", "jan.jansen@example.nl")]


def test_an_earlier_address_from_the_import_still_counts_as_known(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "earlier_address")
    request = only_request(helpdesk)
    assert request.identity_verified
    assert purposes_and_recipients(helpdesk) == [("answer", "s.devries@example.org")]
    helpdesk.approve(helpdesk.drafts()[0].id)  # an earlier known address may receive the answer


def test_a_plus_address_is_unknown_but_shows_the_likely_customer(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "plus_address")
    request = only_request(helpdesk)
    assert not request.identity_verified and request.state == "awaiting_identity"
    assert "plus-address" in request.flags
    with helpdesk.db.session() as session:
        likely = session.get(Customer, request.likely_customer_pk)
        assert likely is not None and likely.customer_id == "C001"
    assert purposes_and_recipients(helpdesk) == [("identity", "jan.jansen+shop@example.nl")]


def test_addresses_are_normalised_including_internationalised_domains() -> None:
    assert normalise_address('"Jansen, Jan" < Jan.Jansen@EXAMPLE.NL >') == "jan.jansen@example.nl"
    assert normalise_address("jan@xn--bcher-kva.nl") == normalise_address("JAN@Bücher.NL")
    assert without_plus_tag("jan.jansen+shop@example.nl") == "jan.jansen@example.nl"
    assert without_plus_tag("jan.jansen@example.nl") is None


# --- authentication ---------------------------------------------------------------------------

OURS = "mx.momgemstone.nl"


@pytest.mark.parametrize(
    ("headers", "verdict"),
    [
        ([f"{OURS}; dmarc=pass header.from=example.nl"], True),
        ([f"{OURS}; dkim=pass header.d=mail.example.nl; dmarc=none"], True),  # aligned subdomain
        ([f"{OURS}; spf=pass smtp.mailfrom=bounce@example.nl"], True),
        ([f"{OURS}; spf=pass smtp.mailfrom=bounce@mailer.example.com"], False),  # not aligned
        ([f"{OURS}; dkim=pass header.d=example.com"], False),
        ([f"{OURS}; dmarc=fail header.from=example.nl"], False),
        ([f"{OURS}; none"], False),
        (["relay.example; dmarc=pass header.from=example.nl"], None),  # another server's word
        ([f"{OURS}; dmarc=fail", f"{OURS}; dmarc=pass"], False),  # a lower one claiming to be ours
        (["this is ; not = a header", f"{OURS}; dmarc=pass"], True),  # unreadable ones are skipped
        ([], None),
    ],
)
def test_only_the_topmost_results_of_our_own_server_count(headers: list[str], verdict: bool | None) -> None:
    assert authentication(headers, OURS, "Jan <jan@example.nl>").authenticated is verdict


def test_without_a_trusted_server_configured_nobody_is_authenticated() -> None:
    result = authentication([f"{OURS}; dmarc=pass"], "", "jan@example.nl")
    assert result == Authentication(None, result.reason) and "trusted_authserv_id" in result.reason


# --- spoofing defence -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "authenticated"),
    [
        ("spoofed_known_sender_dmarc_fail", False),
        ("forged_results_foreign_authserv", False),
        ("forged_results_only_foreign", None),
    ],
)
def test_a_change_from_an_unauthenticated_known_address_is_first_confirmed_there(
    helpdesk: Helpdesk, fixture: str, authenticated: bool | None
) -> None:
    receive(helpdesk, fixture)
    request = only_request(helpdesk)
    assert request.state == "awaiting_identity" and not request.identity_verified
    assert request.authenticated is authenticated
    [(purpose, to)] = purposes_and_recipients(helpdesk)
    assert purpose == "confirmation" and to == request.requester  # the known address itself
    [checked] = events(helpdesk, EventKind.IDENTITY_CHECKED)
    assert checked.details["next_step"] == "confirm" and checked.details["authentication"]


def test_access_from_an_unauthenticated_known_address_is_answered_only_there(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "reply_to_differs.eml")  # no Authentication-Results; a Reply-To elsewhere
    request = only_request(helpdesk)
    assert request.identity_method == "known-address" and request.authenticated is None
    assert purposes_and_recipients(helpdesk) == [("answer", "jan.jansen@example.nl")]
    assert "not authenticated" in request.identity_reasons[0]


def known_address_answers_the_confirmation(helpdesk: Helpdesk, answer: str) -> PrivacyRequest:
    """A request from a spoofed known address; its confirmation is sent and the known address answers."""
    receive(helpdesk, "spoofed_known_sender_dmarc_fail")
    send_everything_approved(helpdesk)
    [confirmation] = helpdesk.drafts()
    helpdesk.deliver(reply_to_draft(answer, confirmation), when=RECEIVED)
    helpdesk.run_once()
    return only_request(helpdesk)


def test_the_known_address_confirming_makes_the_request_verified(helpdesk: Helpdesk) -> None:
    request = known_address_answers_the_confirmation(helpdesk, "confirmation_reply_yes")
    assert request.identity_verified and request.identity_method == "confirmed-by-reply"
    assert request.state == "in_progress"
    assert purposes_and_recipients(helpdesk)[-1] == ("answer", "jan.jansen@example.nl")
    assert mails_of(helpdesk, request) == 2  # the confirmation joined the request


def test_the_known_address_denying_stops_everything(helpdesk: Helpdesk) -> None:
    request = known_address_answers_the_confirmation(helpdesk, "confirmation_reply_no")
    assert not request.identity_verified and request.state == "awaiting_identity"
    assert "denied-by-known-address" in request.flags
    assert [d.purpose for d in helpdesk.drafts()] == ["confirmation"]
    assert events(helpdesk, EventKind.IDENTITY_DENIED)


# --- unknown senders ---------------------------------------------------------------------------


def test_an_unknown_sender_is_asked_for_the_least_intrusive_proof_first(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "access_nl_unknown.eml")
    [draft] = helpdesk.drafts()
    assert draft.purpose == "identity" and draft.to_address == "sophie.dv1987@example.org"
    body = draft.body
    known_address, order, id_copy = (
        body.index("vanaf het e-mailadres"),
        body.index("postcode"),
        body.index("identiteitsbewijs"),
    )
    assert known_address < order < id_copy
    assert "burgerservicenummer" in body and "onleesbaar" in body


def test_order_number_and_postcode_verify_the_request(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "access_nl_unknown.eml", "identity_answer_order_postcode")
    request = only_request(helpdesk)  # the answer joined the request: no second one
    assert request.identity_verified and request.identity_method == "order-number-and-postcode"
    with helpdesk.db.session() as session:
        customer = session.get(Customer, request.customer_pk)
        assert customer is not None and customer.customer_id == "C002"
    assert purposes_and_recipients(helpdesk)[-1] == ("answer", "sophie.dv1987@example.org")
    helpdesk.approve(helpdesk.drafts()[-1].id)  # proven identity: the address written from may receive it
    assert events(helpdesk, EventKind.IDENTITY_VERIFIED)[0].details["method"] == "order-number-and-postcode"


def test_a_wrong_postcode_verifies_nothing(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "access_nl_unknown.eml", "identity_answer_order_postcode_wrong")
    request = only_request(helpdesk)
    assert not request.identity_verified and request.state == "awaiting_identity"
    assert [d.purpose for d in helpdesk.drafts()] == ["identity"]
    last = events(helpdesk, EventKind.IDENTITY_CHECKED)[-1]
    assert last.details == {"verified": False, "reasons": [last.details["reasons"][0]]}
    assert "postcode" in last.details["reasons"][0]


def test_order_and_postcode_are_read_loosely_but_must_both_match(helpdesk: Helpdesk) -> None:
    with helpdesk.db.session() as session:
        assert order_and_postcode(session, "bestelling mom-10233, postcode 3511az")[0] is not None
        assert order_and_postcode(session, "MOM-10233 en 3511 AZ")[0] is not None
        assert order_and_postcode(session, "MOM-10233 en 1016 DZ")[0] is None  # someone else's postcode
        assert order_and_postcode(session, "MOM-99999 en 3511 AZ")[0] is None
        assert order_and_postcode(session, "postcode 3511 AZ")[0] is None


def test_an_id_document_is_erased_once_identity_is_verified(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "access_nl_unknown.eml", "identity_answer_id_document")
    request = only_request(helpdesk)
    assert "id-document-received" in request.flags
    with helpdesk.db.session() as session:
        verify_by_hand(
            session, helpdesk.config, request.reference, "id-document", "Linda", "C002", "rijbewijs"
        )
    with helpdesk.db.session() as session:
        stored = session.scalar(
            select(InboundMail).where(InboundMail.message_id == "<qw83-answer-id@mail.example.org>")
        )
        assert stored is not None and stored.raw is not None
        assert b"/9j/4AAQ" not in stored.raw and b"rijbewijs-gemaskeerd" not in stored.raw
        assert b"erased after the identity check" in stored.raw
        assert stored.attachments == [{"erased": True}]
    request = only_request(helpdesk)
    assert request.identity_verified and request.identity_method == "id-document"
    assert events(helpdesk, EventKind.ID_DOCUMENT_ERASED)[0].details == {"attachments": 1}
    assert purposes_and_recipients(helpdesk)[-1] == ("answer", "sophie.dv1987@example.org")


def test_verifying_by_hand_is_refused_for_a_request_not_waiting(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "access_nl_known.eml")
    with helpdesk.db.session() as session, pytest.raises(ReviewError, match="only a request awaiting"):
        verify_by_hand(
            session, helpdesk.config, only_request(helpdesk).reference, "id-document", "L", None, ""
        )


# --- follow-ups -------------------------------------------------------------------------------


def test_a_follow_up_with_the_reference_in_the_subject_joins_its_request(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "erasure_en_known.eml")
    receive(helpdesk, "followup_subject_reference")
    request = only_request(helpdesk)
    assert request.reference == "PR-2026-0001" and mails_of(helpdesk, request) == 2
    [joined] = events(helpdesk, EventKind.FOLLOW_UP_RECEIVED)
    assert joined.details == {"via": "subject-reference"}


def test_a_stranger_quoting_someone_elses_reference_gets_a_request_of_their_own(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "erasure_en_known.eml")
    receive(helpdesk, "stranger_quotes_reference")
    first, stranger = helpdesk.requests()
    assert mails_of(helpdesk, first) == 1
    assert stranger.requester == "k.kwaad@example.com" and "foreign-reference" in stranger.flags
    assert stranger.related_request_pk == first.id and not stranger.identity_verified
    for draft in helpdesk.drafts():
        if draft.request_pk == stranger.id:
            assert draft.to_address == "k.kwaad@example.com"
            assert "Emma" not in draft.body and "emma.smith" not in draft.body


def answer_our_identity_question(helpdesk: Helpdesk, fixture: str, subject: bytes) -> None:
    """Sophie (unknown address) asks; our identity question goes out; `fixture` replies to it."""
    receive(helpdesk, "access_nl_unknown.eml")
    send_everything_approved(helpdesk)
    [question] = helpdesk.drafts()
    reply = fixture_mail(f"identity/{fixture}.eml").replace(
        b"Subject: " + subject, b"In-Reply-To: " + question.message_id.encode() + b"\nSubject: Re: vraagje"
    )
    helpdesk.deliver(reply, when=RECEIVED)
    helpdesk.run_once()


def test_a_reply_to_our_identity_question_from_someone_else_does_not_join(helpdesk: Helpdesk) -> None:
    answer_our_identity_question(
        helpdesk, "stranger_quotes_reference", b"Re: [PR-2026-0001] Delete my account pls"
    )
    first, second = helpdesk.requests()
    assert mails_of(helpdesk, first) == 1 and second.related_request_pk == first.id


def test_our_identity_question_answered_from_the_known_address_is_the_request_sent_again(
    helpdesk: Helpdesk,
) -> None:
    answer_our_identity_question(helpdesk, "earlier_address", b"Kopie van mijn gegevens")
    first, again_request = helpdesk.requests()
    assert "resent-from-known-address" in first.flags
    assert again_request.related_request_pk == first.id and "foreign-reference" not in again_request.flags
    assert again_request.identity_verified and again_request.requester == "s.devries@example.org"


# --- forwards and mandates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "requester", "forwarder"),
    [
        ("forward_inline", "sophie.devries@example.nl", "admin@boekhouding-hendriks.example.nl"),
        ("forward_attached", "fatima.elamrani@example.nl", "support@webwinkelkeur.example.nl"),
    ],
)
def test_a_forwarded_request_is_the_inner_senders_and_unverified(
    helpdesk: Helpdesk, fixture: str, requester: str, forwarder: str
) -> None:
    receive(helpdesk, fixture)
    request = only_request(helpdesk)
    assert request.requester == requester and not request.identity_verified
    assert "forwarded" in request.flags
    assert purposes_and_recipients(helpdesk) == [("confirmation", requester)]  # asked at the known address
    assert all(draft.to_address != forwarder for draft in helpdesk.drafts())


def test_a_lawyer_on_behalf_of_a_client_is_asked_for_a_signed_authorisation(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "on_behalf_lawyer")
    request = only_request(helpdesk)
    assert request.kinds == ["access", "erasure"] and "on-behalf" in request.flags
    assert not request.identity_verified and request.state == "awaiting_identity"
    [draft] = helpdesk.drafts()
    assert (draft.purpose, draft.to_address) == ("authorisation", "e.degroot@degroot-advocaten.example.nl")
    assert "machtiging" in draft.body and "ondertekend" in draft.body


# --- time ---------------------------------------------------------------------------------------


def test_requests_show_tells_how_long_identity_has_been_awaited(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "access_nl_unknown.eml")
    reference = only_request(helpdesk).reference
    with helpdesk.db.session() as session:
        request = session.scalar(select(PrivacyRequest).where(PrivacyRequest.reference == reference))
        assert request is not None and request.awaiting_identity_since is not None
        request.awaiting_identity_since -= timedelta(days=31)
    runner = CliRunner()
    env = {"HELPDESK_CONFIG": str(write_config(helpdesk))}
    shown = json.loads(runner.invoke(main, ["requests", "show", reference, "--json"], env=env).output)
    assert shown["waiting_for_identity_days"] == 31 and shown["proposed_for_closure"] is True
    text = runner.invoke(main, ["requests", "show", reference], env=env).output
    assert "waiting for identity: 31 days" in text and "proposed for closure" in text


def test_requests_verify_on_the_command_line(helpdesk: Helpdesk) -> None:
    receive(helpdesk, "access_nl_unknown.eml", "identity_answer_id_document")
    env = {"HELPDESK_CONFIG": str(write_config(helpdesk))}
    reference = only_request(helpdesk).reference
    result = CliRunner().invoke(
        main,
        ["requests", "verify", reference, "--method", "id-document", "--customer", "C002", "--by", "Linda"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert "identity verified (id-document)" in result.output
    assert only_request(helpdesk).identity_verified


def test_an_out_of_office_reply_to_our_question_joins_as_automatic_and_proves_nothing(
    helpdesk: Helpdesk,
) -> None:
    receive(helpdesk, "access_nl_unknown.eml")
    out_of_office = fixture_mail("identity/identity_answer_order_postcode.eml").replace(
        b"MIME-Version: 1.0", b"Auto-Submitted: auto-replied\nMIME-Version: 1.0", 1
    )
    helpdesk.deliver(out_of_office, when=RECEIVED)
    helpdesk.run_once()
    request = only_request(helpdesk)
    assert not request.identity_verified and mails_of(helpdesk, request) == 2
    assert [mail.status for mail in helpdesk.mails()] == ["processed", "automatic"]
