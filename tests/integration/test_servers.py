"""Self-tests of the harness: they show how to use the servers and prove they behave."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from email.message import EmailMessage

import aiosmtplib
import pytest

from tests.integration.servers import DovecotServer, SmtpSink, running_smtp_sink

MAIL_1 = (
    b"From: Anna de Vries <anna@example.nl>\r\n"
    b"To: info@momgemstone.nl\r\n"
    b"Subject: Inzageverzoek\r\n"
    b"Message-ID: <mail-1@example.nl>\r\n"
    b"Date: Mon, 03 Mar 2025 10:00:00 +0100\r\n"
    b"\r\n"
    b"Graag wil ik weten welke gegevens u van mij heeft.\r\n"
)
MAIL_2 = (
    b"From: Bob Jansen <bob@example.com>\r\n"
    b"To: info@momgemstone.nl\r\n"
    b"Subject: Where is my order?\r\n"
    b"Message-ID: <mail-2@example.com>\r\n"
    b"Date: Mon, 03 Mar 2025 11:00:00 +0100\r\n"
    b"\r\n"
    b"Order 1234 has not arrived yet.\r\n"
)

SEEN = b"\\Seen"


# --- Dovecot ----------------------------------------------------------------------------------


def test_appended_mails_are_visible_with_examine(dovecot: DovecotServer) -> None:
    received = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    uid_1 = dovecot.append(MAIL_1, msg_time=received)
    uid_2 = dovecot.append(MAIL_2)

    assert uid_2 > uid_1
    with dovecot.client() as client:
        selected = client.select_folder("INBOX", readonly=True)  # EXAMINE
        assert selected[b"EXISTS"] == 2
        fetched = client.fetch([uid_1, uid_2], ["ENVELOPE", "INTERNALDATE"])
    assert fetched[uid_1][b"ENVELOPE"].subject == b"Inzageverzoek"
    assert fetched[uid_2][b"ENVELOPE"].subject == b"Where is my order?"
    assert fetched[uid_1][b"INTERNALDATE"].replace(tzinfo=None) == received.replace(tzinfo=None)
    assert dovecot.snapshot() == {uid_1: frozenset(), uid_2: frozenset()}


def test_peek_fetch_changes_no_flags(dovecot: DovecotServer) -> None:
    uid = dovecot.append(MAIL_1)
    before = dovecot.snapshot()

    with dovecot.client() as client:
        client.select_folder("INBOX")  # read-write, as the helpdesk selects it
        body = client.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]

    assert body == MAIL_1
    assert dovecot.snapshot() == before
    assert SEEN not in dovecot.snapshot()[uid]


def test_snapshot_sees_the_seen_flag_a_plain_body_fetch_sets(dovecot: DovecotServer) -> None:
    # The counter-check for the test above: the snapshot is not blind to \Seen.
    uid = dovecot.append(MAIL_1)
    with dovecot.client() as client:
        client.select_folder("INBOX")
        client.fetch([uid], ["BODY[]"])

    assert dovecot.snapshot() == {uid: frozenset({SEEN})}


def test_flags_set_by_a_human_show_in_snapshot(dovecot: DovecotServer) -> None:
    read_uid = dovecot.append(MAIL_1)
    unread_uid = dovecot.append(MAIL_2, flags=[b"\\Flagged"])

    dovecot.set_flags([read_uid], [SEEN])

    assert dovecot.snapshot() == {
        read_uid: frozenset({SEEN}),
        unread_uid: frozenset({b"\\Flagged"}),
    }
    dovecot.clear_flags([read_uid], [SEEN])
    assert dovecot.snapshot()[read_uid] == frozenset()


def test_expunge_by_another_client_renumbers_but_keeps_uids(dovecot: DovecotServer) -> None:
    uids = [dovecot.append(raw) for raw in (MAIL_1, MAIL_2, MAIL_1)]
    uidvalidity = dovecot.uidvalidity()

    dovecot.expunge_uids([uids[0]])

    assert sorted(dovecot.snapshot()) == uids[1:]
    with dovecot.client() as client:
        client.select_folder("INBOX", readonly=True)
        client.use_uid = False  # message sequence numbers: these shift down after an expunge
        assert sorted(client.search("ALL")) == [1, 2]
    assert dovecot.uidvalidity() == uidvalidity


def test_folders_are_separate_mailboxes(dovecot: DovecotServer) -> None:
    dovecot.create_folder("Privacy")
    uid = dovecot.append(MAIL_1, folder="Privacy")

    assert dovecot.snapshot("Privacy") == {uid: frozenset()}
    assert dovecot.snapshot() == {}
    assert dovecot.url("Privacy").endswith(f"@127.0.0.1:{dovecot.port}/Privacy")
    assert dovecot.url().startswith("imap://info%40momgemstone.nl@")


def test_idle_wakes_up_when_another_client_appends(dovecot: DovecotServer) -> None:
    with dovecot.client() as client:
        client.select_folder("INBOX")
        client.idle()
        try:
            dovecot.append(MAIL_1)
            responses = client.idle_check(timeout=5)
        finally:
            client.idle_done()

    assert (1, b"EXISTS") in responses


# --- SMTP sink ------------------------------------------------------------------------------


def _reply() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Momgemstone privacy <info@momgemstone.nl>"
    message["To"] = "Anna de Vries <anna@example.nl>"
    message["Subject"] = "Re: Inzageverzoek"
    message["In-Reply-To"] = "<mail-1@example.nl>"
    message.set_content("Wij hebben uw verzoek ontvangen.\n")
    return message


def test_smtp_sink_receives_a_mail(smtp_sink: SmtpSink) -> None:
    asyncio.run(
        aiosmtplib.send(
            _reply(),
            hostname=smtp_sink.host,
            port=smtp_sink.port,
            recipients=["anna@example.nl", "archive@momgemstone.nl"],  # e.g. an extra Bcc
            timeout=5,
        )
    )

    [mail] = smtp_sink.wait_for(1)
    assert mail.envelope_from == "info@momgemstone.nl"
    assert mail.rcpt_tos == ["anna@example.nl", "archive@momgemstone.nl"]
    assert mail.message["Subject"] == "Re: Inzageverzoek"
    assert mail.message["In-Reply-To"] == "<mail-1@example.nl>"
    assert mail.message.get_content() == "Wij hebben uw verzoek ontvangen.\n"
    assert b"Subject: Re: Inzageverzoek" in mail.raw
    assert mail.auth_user is None
    assert smtp_sink.url() == f"smtp://127.0.0.1:{smtp_sink.port}"


def _send_as_helpdesk(sink: SmtpSink, password: str) -> None:
    message = _reply()
    asyncio.run(
        aiosmtplib.send(
            message, hostname=sink.host, port=sink.port, username="helpdesk", password=password, timeout=5
        )
    )


def test_smtp_sink_with_auth_accepts_the_right_password() -> None:
    with running_smtp_sink(auth_user="helpdesk", auth_password="s3cret") as sink:
        _send_as_helpdesk(sink, password="s3cret")
        [mail] = sink.wait_for(1)

    assert mail.auth_user == "helpdesk"


def test_smtp_sink_with_auth_accepts_auth_login_too() -> None:
    async def send_with_auth_login(sink: SmtpSink) -> None:
        async with aiosmtplib.SMTP(hostname=sink.host, port=sink.port, timeout=5) as smtp:
            await smtp.auth_login("helpdesk", "s3cret")
            await smtp.send_message(_reply())

    with running_smtp_sink(auth_user="helpdesk", auth_password="s3cret") as sink:
        asyncio.run(send_with_auth_login(sink))
        [mail] = sink.wait_for(1)

    assert mail.auth_user == "helpdesk"


def test_smtp_sink_with_auth_refuses_a_wrong_password_promptly() -> None:
    with running_smtp_sink(auth_user="helpdesk", auth_password="s3cret") as sink:
        started = time.monotonic()
        with pytest.raises(aiosmtplib.SMTPAuthenticationError) as refused:
            _send_as_helpdesk(sink, password="wrong")
        elapsed = time.monotonic() - started

        assert refused.value.code == 535
        assert elapsed < 2  # an answer, not a client timeout
        assert sink.messages == []


def test_smtp_sink_with_auth_refuses_mail_without_login() -> None:
    with running_smtp_sink(auth_user="helpdesk", auth_password="s3cret") as sink:
        with pytest.raises(aiosmtplib.SMTPSenderRefused) as refused:
            asyncio.run(aiosmtplib.send(_reply(), hostname=sink.host, port=sink.port, timeout=5))

        assert refused.value.code == 530
        assert sink.messages == []
