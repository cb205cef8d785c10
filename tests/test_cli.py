"""The `helpdesk` command as people and other tools use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from helpdesk.cli import main
from tests.conftest import EMAILS, FIXTURES, Helpdesk, write_config


def helpdesk_cli(*args: str, config: Path | None = None) -> Result:
    prefix = ["--config", str(config)] if config else []
    return CliRunner().invoke(main, [*prefix, *args], catch_exceptions=False)


def test_run_once_then_review_and_send(helpdesk: Helpdesk) -> None:
    config = write_config(helpdesk)
    helpdesk.deliver("access_nl_known.eml")
    helpdesk.deliver("access_nl_unknown.eml")
    result = helpdesk_cli("run", "--once", config=config)
    assert result.exit_code == 0, result.output
    assert "2 new mails, 2 requests opened" in result.output

    requests = json.loads(helpdesk_cli("requests", "list", "--json", config=config).output)
    assert {r["state"] for r in requests} == {"in_progress", "awaiting_identity"}
    for request in requests:
        assert {
            "reference",
            "state",
            "kinds",
            "requester",
            "identity_verified",
            "received_at",
            "deadline",
            "message_ids",
        } <= set(request)

    drafts = json.loads(helpdesk_cli("drafts", "list", "--json", config=config).output)
    for draft in drafts:
        assert {"id", "request", "state", "purpose", "to", "subject", "language"} <= set(draft)
    answer = next(d for d in drafts if d["purpose"] == "answer")
    shown = helpdesk_cli("drafts", "show", str(answer["id"]), config=config).output
    assert "To: jan.jansen@example.nl" in shown and "Keizersgracht 212-2" in shown

    approved = helpdesk_cli("drafts", "approve", str(answer["id"]), "--by", "Linda de Boer", config=config)
    assert "approved" in approved.output
    identity = next(d for d in drafts if d["purpose"] == "identity")
    rejected = helpdesk_cli(
        "drafts", "reject", str(identity["id"]), "--reason", "phoned her instead", config=config
    )
    assert "rejected" in rejected.output
    assert "1 sent" in helpdesk_cli("run", "--once", config=config).output
    assert len(helpdesk.sent()) == 1

    shown = helpdesk_cli("requests", "show", answer["request"], config=config).output
    assert "draft_approved" in shown and "Linda de Boer" in shown and "artikel 15" in shown


def test_approving_twice_is_refused_with_one_clear_line(helpdesk: Helpdesk) -> None:
    config = write_config(helpdesk)
    helpdesk.deliver("erasure_en_known.eml")
    helpdesk_cli("run", "--once", config=config)
    helpdesk_cli("drafts", "approve", "1", config=config)
    again = CliRunner().invoke(main, ["--config", str(config), "drafts", "approve", "1"])
    assert again.exit_code == 1
    assert "only a pending draft can be approved" in again.output
    missing = CliRunner().invoke(main, ["--config", str(config), "drafts", "approve", "99"])
    assert "there is no draft 99" in missing.output


def test_config_check_names_the_key_and_the_fix(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[mailbox]\nurl = "ftp://mail.example.nl/INBOX"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "config", "check"])
    assert result.exit_code == 1
    assert "mailbox.url" in result.output and "Fix: use imaps://" in result.output


def test_config_check_wants_the_password_variable_for_imap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HELPDESK_IMAP_PASSWORD", raising=False)
    config = tmp_path / "imap.toml"
    config.write_text(
        '[mailbox]\nurl = "imaps://info%40momgemstone.nl@mail.example.nl/INBOX"\n', encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["--config", str(config), "config", "check"])
    assert "HELPDESK_IMAP_PASSWORD" in result.output and "mailbox.password_env" in result.output
    monkeypatch.setenv("HELPDESK_IMAP_PASSWORD", "secret")
    result = CliRunner().invoke(main, ["--config", str(config), "config", "check"])
    assert result.exit_code == 0 and "configuration OK" in result.output


def test_classify_prints_one_json_object_per_file() -> None:
    files = [EMAILS / "multi_kind_en_known.eml", EMAILS / "order_question_nl.eml", EMAILS / "broken_from.eml"]
    result = helpdesk_cli("classify", *map(str, files), "--json")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["file"] for line in lines] == [str(f) for f in files]
    assert lines[0]["is_request"] is True and lines[0]["kinds"] == ["access", "erasure"]
    assert lines[0]["language"] == "en" and lines[0]["evidence"]
    assert lines[1] == {**lines[1], "is_request": False, "kinds": [], "language": "nl"}
    assert lines[2]["is_request"] is False and "error" in lines[2]


def test_customers_import_reports_counts_and_rejects_a_bad_file(helpdesk: Helpdesk) -> None:
    config = write_config(helpdesk)
    result = helpdesk_cli("customers", "import", str(FIXTURES / "customers.csv"), config=config)
    assert "0 added, 8 updated" in result.output
    bad = CliRunner().invoke(
        main, ["--config", str(config), "customers", "import", str(FIXTURES / "customers_bad.csv")]
    )
    assert bad.exit_code == 1 and "line 3" in bad.output


def test_demo_runs_on_the_embedded_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HELPDESK_CONFIG", raising=False)
    result = CliRunner().invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "requests opened" in result.output and "drafts waiting for approval" in result.output
    assert (tmp_path / "var" / "helpdesk.sqlite3").exists()
    requests = json.loads(CliRunner().invoke(main, ["requests", "list", "--json"]).output)
    assert len(requests) >= 10
    assert any(r["state"] == "awaiting_identity" for r in requests)
    again = CliRunner().invoke(main, ["demo"], catch_exceptions=False)
    assert "delivered" in again.output and "before" in again.output
    assert len(json.loads(CliRunner().invoke(main, ["requests", "list", "--json"]).output)) == len(requests)


def test_the_demo_refuses_a_real_mailbox(tmp_path: Path) -> None:
    config = tmp_path / "real.toml"
    config.write_text(
        '[mailbox]\nurl = "imaps://info%40momgemstone.nl@mail.example.nl/INBOX"\n', encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["--config", str(config), "demo"])
    assert result.exit_code == 1 and "only on a local Maildir" in result.output


def test_possible_requests_are_confirmed_or_dismissed_from_the_command_line(helpdesk: Helpdesk) -> None:
    from tests.test_pipeline import POSSIBLE_REQUEST

    config = write_config(helpdesk)
    helpdesk.deliver(POSSIBLE_REQUEST)
    helpdesk.deliver(POSSIBLE_REQUEST.replace(b"possible.1@", b"possible.2@"))
    helpdesk_cli("run", "--once", config=config)
    first, second = (
        r["reference"] for r in json.loads(helpdesk_cli("requests", "list", "--json", config=config).output)
    )
    confirmed = helpdesk_cli("requests", "confirm", first, "--kind", "access", config=config)
    assert "confirmed as access; now in_progress" in confirmed.output
    dismissed = helpdesk_cli("requests", "dismiss", second, "--reason", "general question", config=config)
    assert "dismissed" in dismissed.output
    states = {
        r["reference"]: r["state"]
        for r in json.loads(helpdesk_cli("requests", "list", "--json", config=config).output)
    }
    assert states == {first: "in_progress", second: "dismissed"}
