"""Intake: reading raw mail into an Inbound, labelling it, and recognising copies.

The cases come from notes/email-ingestion-pitfalls.md section 2 (items 5, 7, 8, 10, 11, 13, 14, 15, 22).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from classifiers.text import html_to_text, own_text
from helpdesk.intake import (
    Inbound,
    UnreadableMail,
    earlier_copy,
    fill_row,
    fingerprint,
    parse,
    repair_cp1252,
    store_raw,
)
from helpdesk.mailbox import RawMail
from helpdesk.models import InboundMail
from helpdesk.own_mail import is_own_message_id, new_message_id
from tests.conftest import Helpdesk, fixture_mail

OWN_DOMAIN = "momgemstone.nl"
JANS_REPLY_TO = "jan.jansen.privacy@mailbox.example.net"
ACCESS_MESSAGE_ID = "<5b1e4c2a-93f0-4d7e-b6a8-2f7c0e9d4a31@mail.example.nl>"


def read(name: str) -> Inbound:
    return parse(fixture_mail(name), OWN_DOMAIN)


def mail(headers: str, body: str, content_type: str = "text/plain; charset=utf-8") -> bytes:
    """A small mail built inline; `headers` are extra header lines."""
    return (
        "From: Anna Visser <anna.visser@example.nl>\r\n"
        "To: MOM Gemstone <info@momgemstone.nl>\r\n"
        "Date: Fri, 13 Nov 2026 14:36:51 +0100\r\n"
        f"{headers}"
        "MIME-Version: 1.0\r\n"
        f"Content-Type: {content_type}\r\n"
        "\r\n"
        f"{body}"
    ).encode()


# -- charsets (item 7) ---------------------------------------------------------------------------


def test_cp1252_bytes_labelled_latin1_are_repaired() -> None:
    inbound = read("cp1252_as_latin1.eml")
    assert "€ 49,95" in inbound.text
    assert "“Noëlle”" in inbound.text  # curly quotes and the diaeresis both survive
    assert inbound.subject == "Prijs ketting Noëlle"
    assert not re.search("[\x80-\x9f]", inbound.text + inbound.subject)  # no C1 control characters left


def test_cp1252_in_an_encoded_subject_is_repaired() -> None:
    subject = "Subject: =?iso-8859-1?Q?=93No=EBlle=94_voor_=80_49,95?=\r\n"
    raw = mail(f"{subject}Message-ID: <s@example.nl>\r\n", "Hoi\r\n")
    assert parse(raw, OWN_DOMAIN).subject == "“Noëlle” voor € 49,95"


@pytest.mark.parametrize(
    ("garbled", "repaired"),
    [
        ("\x80 49,95", "€ 49,95"),
        ("\x93Noëlle\x94", "“Noëlle”"),
        ("al gereed \x96 dank", "al gereed \u2013 dank"),  # en dash
        ("gewoon Nederlands, geen reparatie nodig: één", "gewoon Nederlands, geen reparatie nodig: één"),
        ("UTF-8 already: € “ok”", "UTF-8 already: € “ok”"),
    ],
)
def test_repair_cp1252(garbled: str, repaired: str) -> None:
    assert repair_cp1252(garbled) == repaired


def test_unknown_8bit_charset_still_gives_readable_text() -> None:
    inbound = read("unknown_8bit.eml")
    assert inbound.subject == "Question about ring sizes"
    assert "“Aurora” ring" in inbound.text
    assert "Ø 17,2 mm = 54" in inbound.text
    assert "\ufffd" not in inbound.text  # no replacement characters


# -- HTML-only mail (item 8) ---------------------------------------------------------------------


def test_outlook_html_only_mail_gives_its_sentence_without_css() -> None:
    inbound = read("html_only_nl.eml")
    assert "html-only" in inbound.flags
    assert "graag al mijn gegevens verwijderen" in inbound.text.lower()
    assert "Anna Visser" in inbound.text
    for css in ("font-family", "MsoNormal", "{", "<", "&nbsp;"):
        assert css not in inbound.text


def test_a_2000_level_nested_div_does_not_crash() -> None:
    html = "<html><body>" + "<div>" * 2000 + "Graag al mijn gegevens verwijderen." + "</div>" * 2000
    raw = mail("Subject: verwijderen\r\nMessage-ID: <deep@example.nl>\r\n", html, "text/html; charset=utf-8")
    inbound = parse(raw, OWN_DOMAIN)
    assert inbound.text == "Graag al mijn gegevens verwijderen."
    assert "html-only" in inbound.flags


def test_a_text_part_is_preferred_over_its_html_alternative() -> None:
    inbound = read("portability_en_known.eml")
    assert "html-only" not in inbound.flags
    assert "<" not in inbound.text


def test_html_to_text_keeps_line_breaks_and_drops_scripts() -> None:
    html = (
        "<head><title>Mail</title><style>p {color: red}</style></head>"
        "<p>Beste&nbsp;MOM,</p><script>alert(1)</script><p>Graag <b>inzage</b>.<br>Groet, Jan</p>"
    )
    assert html_to_text(html) == "Beste MOM,\n\nGraag inzage.\nGroet, Jan"


# -- senders (items 5, 16) -----------------------------------------------------------------------


def test_a_mail_without_a_readable_sender_is_unreadable() -> None:
    with pytest.raises(UnreadableMail):
        read("broken_from.eml")


@pytest.mark.parametrize(
    ("name", "from_address", "from_name", "reply_to"),
    [
        ("rectification_nl_known_variant.eml", "p.bakker@example.nl", "Pieter Bakker", None),
        ("reply_to_differs.eml", "jan.jansen@example.nl", "Jan Jansen", JANS_REPLY_TO),
        ("cp1252_as_latin1.eml", "m.hoekstra@example.nl", "Marieke Hoekstra", None),
        ("bounce_dsn.eml", "mailer-daemon@mx.momgemstone.nl", "Mail Delivery System", None),
        ("access_de_other.eml", "lucas.mueller@example.de", "Lucas Müller", None),  # RFC 2047 name
    ],
)
def test_sender_display_name_and_reply_to(
    name: str, from_address: str, from_name: str, reply_to: str | None
) -> None:
    inbound = read(name)
    assert (inbound.from_address, inbound.from_name, inbound.reply_to) == (from_address, from_name, reply_to)


def test_threading_headers_are_read() -> None:
    inbound = read("quoted_thread_nl.eml")
    assert inbound.in_reply_to == "<order-10233.shipped.1794488520@momgemstone.nl>"
    assert inbound.references == ("<order-10233.shipped.1794488520@momgemstone.nl>",)
    assert inbound.date == datetime(2026, 11, 13, 17, 12, 40, tzinfo=UTC)


# -- flags: labels decide whether we answer, never whether we read (items 13, 14, 15) -------------


@pytest.mark.parametrize(
    ("name", "present", "absent"),
    [
        ("access_nl_known.eml", set(), {"auto-reply", "bulk", "bounce", "own", "no-message-id", "html-only"}),
        ("auto_reply_nl.eml", {"auto-reply"}, {"bounce", "own"}),
        ("bounce_dsn.eml", {"bounce"}, {"own"}),
        # A web-form relay marks the mail Precedence: bulk; that is not an auto-reply (FreeScout #2833).
        ("bulk_precedence_request.eml", {"bulk"}, {"auto-reply", "bounce"}),
        ("no_message_id.eml", {"no-message-id"}, {"auto-reply", "bulk"}),
        ("html_only_nl.eml", {"html-only"}, {"auto-reply", "bulk"}),
    ],
)
def test_flags(name: str, present: set[str], absent: set[str]) -> None:
    flags = read(name).flags
    assert present <= flags
    assert not absent & flags


def test_a_flagged_request_is_still_read() -> None:
    inbound = read("bulk_precedence_request.eml")
    assert not inbound.is_automatic
    assert "al mijn\npersoonsgegevens worden verwijderd" in inbound.text


def test_an_auto_reply_is_automatic() -> None:
    assert read("auto_reply_nl.eml").is_automatic


def test_a_bounce_names_the_message_that_could_not_be_delivered() -> None:
    inbound = read("bounce_dsn.eml")
    assert "<helpdesk.5f2c1e9a7b3d4c60@momgemstone.nl>" in inbound.bounced_message_ids
    assert all(is_own_message_id(mid, OWN_DOMAIN) for mid in inbound.bounced_message_ids)


def test_a_bounce_that_returns_the_whole_message_names_it_too() -> None:
    # Postfix returns the full message as message/rfc822 unless told to return headers only.
    headers_only, whole = b"Content-Type: text/rfc822-headers", b"Content-Type: message/rfc822"
    raw = fixture_mail("bounce_dsn.eml").replace(headers_only, whole)
    inbound = parse(raw, OWN_DOMAIN)
    assert "bounce" in inbound.flags
    assert inbound.bounced_message_ids == ("<helpdesk.5f2c1e9a7b3d4c60@momgemstone.nl>",)


def test_no_bounced_ids_for_an_ordinary_mail() -> None:
    assert read("access_nl_known.eml").bounced_message_ids == ()


def test_our_own_mail_coming_back_is_flagged_own() -> None:
    message_id = new_message_id(OWN_DOMAIN)
    raw = mail(f"Subject: Open verzoeken\r\nMessage-ID: {message_id}\r\n", "Drie open verzoeken.\r\n")
    inbound = parse(raw, OWN_DOMAIN)
    assert inbound.message_id == message_id
    assert "own" in inbound.flags
    assert "own" not in parse(raw, "example.nl").flags  # someone else's helpdesk is not us


def test_a_look_alike_message_id_is_not_own() -> None:
    raw = mail("Subject: hoi\r\nMessage-ID: <helpdesk.not-ours@momgemstone.nl>\r\n", "Hoi\r\n")
    assert "own" not in parse(raw, OWN_DOMAIN).flags


def test_a_mail_without_message_id() -> None:
    inbound = read("no_message_id.eml")
    assert inbound.message_id is None
    assert "no-message-id" in inbound.flags
    assert inbound.from_address == "sophie.devries@example.nl"


# -- attachments ---------------------------------------------------------------------------------


def test_a_pdf_attachment_is_listed_with_name_type_and_size() -> None:
    [attachment] = read("attachment_pdf_nl.eml").attachments
    assert attachment.filename == "factuur-MOM-10240.pdf"
    assert attachment.content_type == "application/pdf"
    assert 850 <= attachment.size <= 900  # the decoded PDF is 878 bytes


# -- fingerprints and copies (item 11) -----------------------------------------------------------


def test_the_same_mail_delivered_twice_has_one_fingerprint() -> None:
    original, copy = fixture_mail("access_nl_known.eml"), fixture_mail("access_nl_known_copy.eml")
    assert original != copy  # the copy has an extra Received line
    assert fingerprint(original) == fingerprint(copy)
    assert fingerprint(original) == fingerprint(original.replace(b"\n", b"\r\n"))  # IMAP sends CRLF


def test_a_reused_message_id_on_another_mail_has_another_fingerprint() -> None:
    assert read("reused_message_id.eml").message_id == read("access_nl_known.eml").message_id
    original, other = fixture_mail("access_nl_known.eml"), fixture_mail("reused_message_id.eml")
    assert fingerprint(original) != fingerprint(other)


def raw_mail(name: str, key: str, uidvalidity: int = 1) -> RawMail:
    return RawMail(
        mailbox="imap://info@mail.example.net:993/INBOX",
        uidvalidity=uidvalidity,
        source_key=key,
        uid=int(key),
        received_at=datetime(2026, 11, 16, 18, 52, tzinfo=UTC),
        raw=fixture_mail(name),
    )


def ingest(session: Session, name: str, key: str) -> tuple[InboundMail, InboundMail | None]:
    """Store, read and record a fixture mail as intake does; returns the row and the copy it repeats."""
    row = store_raw(session, raw_mail(name, key))
    assert row is not None
    inbound = parse(row.raw or b"", OWN_DOMAIN)
    fill_row(row, inbound)
    return row, earlier_copy(session, row, inbound)


def test_the_same_mailbox_key_is_stored_once(helpdesk: Helpdesk) -> None:
    with helpdesk.db.session() as session:
        first = store_raw(session, raw_mail("access_nl_known.eml", "101"))
        assert first is not None
        assert first.raw == fixture_mail("access_nl_known.eml")
    with helpdesk.db.session() as session:
        assert store_raw(session, raw_mail("access_nl_known.eml", "101")) is None
        # After a UIDVALIDITY change UID 101 is another mail.
        assert store_raw(session, raw_mail("access_nl_known.eml", "101", uidvalidity=2)) is not None
    assert len(helpdesk.mails()) == 2


def test_a_copy_is_recognised_and_a_reused_message_id_is_not_a_copy(helpdesk: Helpdesk) -> None:
    with helpdesk.db.session() as session:
        original, earlier = ingest(session, "access_nl_known.eml", "101")
        assert earlier is None
        _copy, earlier = ingest(session, "access_nl_known_copy.eml", "102")
        assert earlier is not None and earlier.id == original.id
        other, earlier = ingest(session, "reused_message_id.eml", "103")
        assert earlier is None  # a different mail, however equal its Message-ID (FreeScout #5591)
        assert "reused-message-id" in other.flags
        assert "reused-message-id" not in original.flags
    rows = helpdesk.mails()
    assert [row.message_id for row in rows] == [ACCESS_MESSAGE_ID] * 3  # all three were kept
    assert [row.from_address for row in rows] == ["jan.jansen@example.nl"] * 2 + ["p.bakker@example.nl"]


def test_a_copy_without_message_id_is_recognised_by_its_fingerprint(helpdesk: Helpdesk) -> None:
    with helpdesk.db.session() as session:
        first, _ = ingest(session, "no_message_id.eml", "201")
        _, earlier = ingest(session, "no_message_id.eml", "202")
        assert earlier is not None and earlier.id == first.id
        _, earlier = ingest(session, "order_question_nl.eml", "203")
        assert earlier is None


def test_a_date_header_in_the_future_is_kept_and_flagged(helpdesk: Helpdesk) -> None:
    with helpdesk.db.session() as session:
        row, _ = ingest(session, "future_date.eml", "301")
        assert row.date_header is not None and row.date_header.year == 2031
        assert "future-date" in row.flags
        assert row.received_at.year == 2026  # the clock runs from receipt


# -- own_text: the sender's new text without quoted history --------------------------------------

NEW = "Graag inzage in mijn gegevens."


@pytest.mark.parametrize(
    "quoted",
    [
        "Op di 3 nov. 2026 om 09:14 schreef MOM Gemstone <info@momgemstone.nl>:\n"
        "> Uw recht op vergetelheid staat in onze privacyverklaring.\n",
        "On Tue, 3 Nov 2026 at 09:14, MOM Gemstone <info@momgemstone.nl> wrote:\n"
        "> You have the right to be forgotten.\n",
        "> Uw recht op vergetelheid staat in onze privacyverklaring.\n> Groet, MOM Gemstone\n",
        "Van: MOM Gemstone <info@momgemstone.nl>\nVerzonden: dinsdag 3 november 2026 09:14\n"
        "Aan: Jan Jansen\nOnderwerp: Uw bestelling\n\nUw recht op vergetelheid.\n",
        "From: MOM Gemstone <info@momgemstone.nl>\nSent: Tuesday, 3 November 2026 09:14\n"
        "To: Jan Jansen\nSubject: Your order\n\nYou have the right to be forgotten.\n",
        "-----Original Message-----\nFrom: MOM Gemstone\nSent: Tuesday\n\nRight to be forgotten.\n",
        "-----Oorspronkelijk bericht-----\nVan: MOM Gemstone\n\nUw recht op vergetelheid.\n",
    ],
    ids=["op-schreef", "on-wrote", "quote-lines", "outlook-nl", "outlook-en", "original", "oorspronkelijk"],
)
def test_own_text_cuts_quoted_history(quoted: str) -> None:
    assert own_text(f"{NEW}\n\n{quoted}") == NEW


def test_own_text_keeps_the_text_between_quotes() -> None:
    text = "> Welke maat?\nMaat 54 graag.\n> En de kleur?\nRoségoud.\n"
    assert own_text(text) == "Maat 54 graag.\nRoségoud."


def test_own_text_keeps_an_inline_forwarded_request() -> None:
    text = (
        "Hoi Linda, deze kwam bij mij binnen.\n\n"
        "---------- Doorgestuurd bericht ----------\n"
        "Van: Sophie de Vries <sophie.devries@example.nl>\n"
        "Datum: di 3 nov. 2026 om 09:14\n"
        "Onderwerp: gegevens\n"
        "Aan: <verkoop@momgemstone.nl>\n\n"
        "Ik wil graag inzage in mijn persoonsgegevens.\n"
    )
    kept = own_text(text)
    assert kept.startswith("Hoi Linda")
    assert "Van: Sophie de Vries" in kept
    assert kept.endswith("Ik wil graag inzage in mijn persoonsgegevens.")


def test_own_text_cuts_a_quote_that_holds_a_forward() -> None:
    text = (
        "Dank je, dat was hem.\n\n"
        "Op di 3 nov. 2026 om 09:14 schreef Linda de Boer <privacy@momgemstone.nl>:\n"
        "> ---------- Doorgestuurd bericht ----------\n"
        "> Ik wil graag inzage in mijn persoonsgegevens.\n"
    )
    assert own_text(text) == "Dank je, dat was hem."


def test_own_text_of_a_thank_you_reply_drops_the_privacy_footer() -> None:
    kept = own_text(read("quoted_thread_nl.eml").text)
    assert "Dank jullie wel voor de snelle levering" in kept
    assert "inzage" not in kept
    assert "MOM-10233 is vandaag met PostNL verzonden" not in kept
