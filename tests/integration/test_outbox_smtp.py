"""The outbox against real SMTP servers that misbehave: at most one copy per approved draft, ever."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from aiosmtpd.controller import Controller

from helpdesk.config import SmtpConfig
from helpdesk.models import Draft
from tests.conftest import Helpdesk
from tests.integration.servers import SmtpSink, free_port


class Misbehaving:
    """An aiosmtpd handler that answers DATA as told, and counts what it really received."""

    def __init__(self, data_replies: list[str], rcpt_reply: str | None = None, hang_up: bool = False) -> None:
        self.data_replies = data_replies
        self.rcpt_reply = rcpt_reply
        self.hang_up = hang_up
        self.received: list[bytes] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = self.data_replies.pop(0) if self.data_replies else "250 OK"
        if reply.startswith("250"):
            self.received.append(envelope.content)
        if self.hang_up:
            server.transport.close()  # took the mail, then the line went dead before "250"
        return reply


@contextmanager
def smtp_server(handler: Misbehaving) -> Iterator[str]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


def approved_answer(helpdesk: Helpdesk, smtp_url: str) -> int:
    helpdesk.config = replace(helpdesk.config, smtp=SmtpConfig(url=smtp_url, timeout_seconds=5))
    helpdesk.deliver("erasure_en_known.eml")
    helpdesk.run_once()
    [draft] = helpdesk.drafts()
    helpdesk.approve(draft.id)
    return draft.id


def draft(helpdesk: Helpdesk, draft_id: int) -> Draft:
    with helpdesk.db.session() as session:
        return session.get_one(Draft, draft_id)


def test_a_real_smtp_server_gets_the_reply_with_thread_headers(
    helpdesk: Helpdesk, smtp_sink: SmtpSink
) -> None:
    draft_id = approved_answer(helpdesk, smtp_sink.url())
    report = helpdesk.run_once()
    assert report.outbox.sent == 1
    [mail] = smtp_sink.wait_for(1)
    assert mail.rcpt_tos == ["emma.smith@example.co.uk"]
    assert mail.message["Message-ID"] == draft(helpdesk, draft_id).message_id
    assert mail.message["In-Reply-To"] == helpdesk.mails()[0].message_id
    assert mail.message["From"] == "MOM Gemstone <info@momgemstone.nl>"


def test_a_permanent_refusal_waits_for_a_person(helpdesk: Helpdesk) -> None:
    handler = Misbehaving([], rcpt_reply="550 5.1.1 mailbox unavailable")
    with smtp_server(handler) as url:
        draft_id = approved_answer(helpdesk, url)
        assert helpdesk.run_once().outbox.failed == 1
        helpdesk.run_once()
    refused = draft(helpdesk, draft_id)
    assert (refused.state, refused.needs_attention, refused.attempts) == ("approved", True, 1)
    assert "550" in (refused.last_error or "")


def test_a_temporary_failure_is_retried_later_and_sent_once(helpdesk: Helpdesk) -> None:
    handler = Misbehaving(["451 4.3.0 try again later"])
    with smtp_server(handler) as url:
        draft_id = approved_answer(helpdesk, url)
        assert helpdesk.run_once().outbox.failed == 1
        waiting = draft(helpdesk, draft_id)
        assert not waiting.needs_attention and waiting.next_attempt_at is not None
        assert waiting.next_attempt_at > datetime.now(UTC)
        assert helpdesk.run_once().outbox.sent == 0  # not due yet
        with helpdesk.db.session() as session:
            session.get_one(Draft, draft_id).next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
        assert helpdesk.run_once().outbox.sent == 1
        helpdesk.run_once()
    assert len(handler.received) == 1
    assert draft(helpdesk, draft_id).state == "sent"


def test_a_hang_up_after_data_is_never_sent_again(helpdesk: Helpdesk) -> None:
    handler = Misbehaving([], hang_up=True)
    with smtp_server(handler) as url:
        draft_id = approved_answer(helpdesk, url)
        helpdesk.run_once()
        helpdesk.run_once()
        helpdesk.run_once()
    assert len(handler.received) == 1  # the server had it; we must not send a second copy
    held = draft(helpdesk, draft_id)
    assert held.needs_attention and "connection lost" in (held.last_error or "")


def test_an_unreachable_server_keeps_the_draft_queued(helpdesk: Helpdesk) -> None:
    draft_id = approved_answer(helpdesk, f"smtp://127.0.0.1:{free_port()}")
    report = helpdesk.run_once()
    assert report.outbox.failed == 1
    queued = draft(helpdesk, draft_id)
    assert queued.state == "approved" and not queued.needs_attention
    assert "cannot reach" in (queued.last_error or "")
