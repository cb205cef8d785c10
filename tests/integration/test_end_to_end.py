"""The acceptance test of the first issue, told as the story it is.

Mail arrives in the shop's shared IMAP mailbox (a real Dovecot). The helpdesk, driven only
through its `helpdesk` command, reads it without touching the mailbox, opens the privacy
requests, and drafts the answers. Linda approves one answer; the next run sends it over SMTP
(a real SMTP server), once, however often the helpdesk runs afterwards.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from helpdesk.deadline import deadline
from tests.conftest import FIXTURES, fixture_mail
from tests.integration.servers import DovecotServer, SmtpSink

REPO = Path(__file__).resolve().parents[2]
PASSWORD_ENV = "HELPDESK_IMAP_PASSWORD"
SHOP = "info@momgemstone.nl"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

JAN = "jan.jansen@example.nl"
JAN_ACCESS_ID = "<5b1e4c2a-93f0-4d7e-b6a8-2f7c0e9d4a31@mail.example.nl>"  # access_nl_known.eml
SOPHIE_UNKNOWN = "sophie.dv1987@example.org"
SOPHIE_ACCESS_ID = "<pbk3w9xq2ml7-f0a1c6e3b8d2@mail.example.org>"  # access_nl_unknown.eml
ORDER_QUESTION_ID = "<7d4f0a93-1e6b-4b2c-9a57-c3e8f21d6b04@mail.example.nl>"  # order_question_nl.eml
AUTO_REPLY_ID = "<autoreply.1794842462.24117@mail.example.nl>"  # auto_reply_nl.eml
REPLY_TO_ID = "<1c8e6b3d-f24a-4d07-b9c1-5a0e7f3d2b68@mail.example.nl>"  # reply_to_differs.eml
REPLY_TO_ADDRESS = "jan.jansen.privacy@mailbox.example.net"

SEEN = b"\\Seen"
FLAGGED = b"\\Flagged"


@dataclass
class Helpdesk:
    """The `helpdesk` command, run as a separate process against one configuration file."""

    config: Path
    env: dict[str, str]
    cwd: Path

    def __call__(self, *args: str) -> str:
        command = [sys.executable, "-m", "helpdesk", "--config", str(self.config), *args]
        result = subprocess.run(
            command, env=self.env, cwd=self.cwd, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, (
            f"helpdesk {' '.join(args)} exited with {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
        return result.stdout

    def json(self, *args: str) -> list[dict[str, Any]]:
        value = json.loads(self(*args, "--json"))
        assert isinstance(value, list)
        return value

    def run_once(self) -> str:
        return self("run", "--once")

    def requests(self) -> list[dict[str, Any]]:
        return self.json("requests", "list")

    def drafts(self) -> list[dict[str, Any]]:
        return self.json("drafts", "list")

    def approve(self, draft_id: int) -> None:
        self("drafts", "approve", str(draft_id))

    def fixed_message_id(self, draft_id: int) -> str:
        """The Message-ID a draft got when it was created, as `drafts list --json` shows it."""
        [draft] = [d for d in self.drafts() if d["id"] == draft_id]
        assert draft["message_id"], f"draft {draft_id} has no Message-ID"
        return str(draft["message_id"])


def cli_environment() -> dict[str, str]:
    """The environment for a `helpdesk` process: no stray HELPDESK_* settings, this checkout's code."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HELPDESK_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


@pytest.fixture
def helpdesk(tmp_path: Path, dovecot: DovecotServer, smtp_sink: SmtpSink) -> Helpdesk:
    """A configured helpdesk with the sample customers imported through the CLI."""
    database_url = f"sqlite:///{tmp_path / 'helpdesk.sqlite3'}"
    config = tmp_path / "helpdesk.toml"
    config.write_text(
        f"""\
[organisation]
address = {toml_string(SHOP)}
privacy_contact = {toml_string("Linda de Boer <privacy@momgemstone.nl>")}

[mailbox]
url = {toml_string(dovecot.url())}
password_env = {toml_string(PASSWORD_ENV)}
trusted_authserv_id = "mx.momgemstone.nl"

[smtp]
url = {toml_string(smtp_sink.url())}

[database]
url = {toml_string(database_url)}
""",
        encoding="utf-8",
    )
    env = cli_environment()
    env |= {PASSWORD_ENV: dovecot.password, "HELPDESK_REVIEWER": "Linda de Boer"}
    desk = Helpdesk(config=config, env=env, cwd=tmp_path)
    imported = desk(
        "customers", "import", str(FIXTURES / "customers.csv"), "--orders", str(FIXTURES / "orders.csv")
    )
    assert "8 added" in imported
    return desk


def by_message_id(requests: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {message_id: request for request in requests for message_id in request["message_ids"]}


def three_days_ago() -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)


def test_a_request_is_drafted_approved_and_sent_once_and_the_mailbox_is_left_as_it_was(
    helpdesk: Helpdesk, dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    # Five mails reached the shop's mailbox three days ago, while the helpdesk was not running.
    arrived = three_days_ago()
    for minute, name in enumerate(
        [
            "access_nl_known.eml",  # Jan asks for his data, from his known address
            "access_nl_unknown.eml",  # Sophie asks, from an address we do not know
            "order_question_nl.eml",  # Jan asks where his order is: not a privacy request
            "reply_to_differs.eml",  # Jan asks for a copy, with another Reply-To address
            "auto_reply_nl.eml",  # Jan's out-of-office
        ]
    ):
        dovecot.append(fixture_mail(name), msg_time=arrived + timedelta(minutes=minute))
    mailbox_before = dovecot.snapshot()

    helpdesk.run_once()

    # Three privacy requests are open; the order question and the auto-reply opened none.
    requests = helpdesk.requests()
    assert len(requests) == 3
    assert all(re.fullmatch(rf"PR-{arrived.year}-\d{{4}}", r["reference"]) for r in requests)
    assert len({r["reference"] for r in requests}) == 3
    requests_by_mail = by_message_id(requests)
    assert ORDER_QUESTION_ID not in requests_by_mail
    assert AUTO_REPLY_ID not in requests_by_mail

    jan = requests_by_mail[JAN_ACCESS_ID]
    assert jan["message_ids"] == [JAN_ACCESS_ID]
    assert (jan["state"], jan["kinds"], jan["requester"]) == ("in_progress", ["access"], JAN)
    assert jan["identity_verified"] is True

    sophie = requests_by_mail[SOPHIE_ACCESS_ID]
    assert (sophie["state"], sophie["kinds"], sophie["requester"]) == (
        "awaiting_identity",
        ["access"],
        SOPHIE_UNKNOWN,
    )
    assert sophie["identity_verified"] is False

    # The legal clock started when the mail reached the mailbox (INTERNALDATE), not at this run.
    assert datetime.fromisoformat(jan["received_at"]) == arrived
    due = date.fromisoformat(jan["deadline"])
    assert due == deadline(arrived, AMSTERDAM)
    assert due <= arrived.astimezone(AMSTERDAM).date() + timedelta(days=30)  # counted from arrival

    # Drafts wait for Linda; nothing has been sent.
    drafts = helpdesk.drafts()
    assert all(d["state"] == "pending" for d in drafts)
    [answer] = [d for d in drafts if d["request"] == jan["reference"]]
    assert (answer["purpose"], answer["to"], answer["language"]) == ("answer", JAN, "nl")
    assert jan["reference"] in answer["subject"]
    [identity] = [d for d in drafts if d["request"] == sophie["reference"]]
    assert (identity["purpose"], identity["to"], identity["language"]) == ("identity", SOPHIE_UNKNOWN, "nl")
    assert smtp_sink.messages == []
    message_id = helpdesk.fixed_message_id(answer["id"])

    # Linda approves the answer to Jan; the next run sends it, and later runs send nothing more.
    helpdesk.approve(answer["id"])
    helpdesk.run_once()
    helpdesk.run_once()

    [sent] = smtp_sink.messages
    assert sent.rcpt_tos == [JAN]
    assert sent.envelope_from == SHOP
    mail = sent.message
    assert mail["To"] == JAN
    assert mail["In-Reply-To"] == JAN_ACCESS_ID
    assert JAN_ACCESS_ID in mail["References"].split()
    assert jan["reference"] in mail["Subject"]
    assert mail["Message-ID"] == message_id

    [answer_now] = [d for d in helpdesk.drafts() if d["id"] == answer["id"]]
    assert answer_now["state"] == "sent"
    assert by_message_id(helpdesk.requests())[JAN_ACCESS_ID]["state"] == "answered"

    # The shared mailbox is exactly as it was: same mails, same flags, nothing marked \Seen.
    assert dovecot.snapshot() == mailbox_before
    assert all(SEEN not in flags for flags in mailbox_before.values())


def test_mail_a_person_already_read_is_still_ingested_and_keeps_her_flags(
    helpdesk: Helpdesk, dovecot: DovecotServer
) -> None:
    read_by_linda = dovecot.append(fixture_mail("access_nl_known.eml"))
    unread = dovecot.append(fixture_mail("order_question_nl.eml"))
    dovecot.set_flags([read_by_linda], [SEEN, FLAGGED])  # Linda opened it and flagged it first
    mailbox_before = dovecot.snapshot()
    assert mailbox_before == {read_by_linda: frozenset({SEEN, FLAGGED}), unread: frozenset()}

    helpdesk.run_once()

    [request] = helpdesk.requests()
    assert request["message_ids"] == [JAN_ACCESS_ID]
    assert dovecot.snapshot() == mailbox_before


def test_no_draft_is_ever_addressed_to_the_reply_to_address(
    helpdesk: Helpdesk, dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    dovecot.append(fixture_mail("reply_to_differs.eml"))

    helpdesk.run_once()

    [request] = helpdesk.requests()
    assert request["message_ids"] == [REPLY_TO_ID]
    assert request["requester"] == JAN  # the From address, never Reply-To
    drafts = helpdesk.drafts()
    assert drafts, "the request got no draft at all"
    assert all(d["to"] == JAN for d in drafts)

    # Even approved and sent, the reply goes to the known address only.
    for draft in drafts:
        helpdesk.approve(draft["id"])
    helpdesk.run_once()
    sent = smtp_sink.messages
    assert len(sent) == len(drafts)
    for mail in sent:
        assert mail.rcpt_tos == [JAN]
        assert mail.message["To"] == JAN
        assert all(REPLY_TO_ADDRESS not in str(value) for value in mail.message.values())


def test_a_forged_sender_is_asked_at_the_known_address_and_only_the_reply_from_there_counts(
    helpdesk: Helpdesk, dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    # Someone writes as Jan, from a server that fails DMARC for Jan's domain, asking to erase him;
    # another forges Authentication-Results headers to pass as Pieter.
    dovecot.append(fixture_mail("identity/spoofed_known_sender_dmarc_fail.eml"))
    dovecot.append(fixture_mail("identity/forged_results_foreign_authserv.eml"))
    helpdesk.run_once()

    requests = helpdesk.requests()
    assert [(r["state"], r["identity_verified"], r["authenticated"]) for r in requests] == [
        ("awaiting_identity", False, False),
        ("awaiting_identity", False, False),
    ]
    drafts = helpdesk.drafts()
    assert sorted((d["purpose"], d["to"]) for d in drafts) == [
        ("confirmation", JAN),
        ("confirmation", "p.bakker@example.nl"),
    ]

    # Linda sends the question to Jan's known address; Jan answers it from there.
    [question] = [d for d in drafts if d["to"] == JAN]
    helpdesk.approve(question["id"])
    helpdesk.run_once()
    [sent] = smtp_sink.messages
    assert sent.rcpt_tos == [JAN]
    reply = fixture_mail("identity/confirmation_reply_yes.eml").replace(
        b"<confirmation-draft-placeholder@momgemstone.nl>", str(sent.message["Message-ID"]).encode()
    )
    dovecot.append(reply)
    helpdesk.run_once()

    jan = next(r for r in helpdesk.requests() if r["requester"] == JAN)
    assert (jan["state"], jan["identity_verified"], jan["identity_method"]) == (
        "in_progress",
        True,
        "confirmed-by-reply",
    )
    assert len(jan["message_ids"]) == 2
    answers = [d for d in helpdesk.drafts() if d["purpose"] == "answer"]
    assert [(d["request"], d["to"]) for d in answers] == [(jan["reference"], JAN)]
