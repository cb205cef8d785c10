"""The files an admin installs from deploy/ work with this version of the helpdesk."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from helpdesk.cli import main
from helpdesk.config import load_config

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def test_the_example_configuration_is_valid_and_passes_config_check() -> None:
    example = DEPLOY / "helpdesk.example.toml"
    config = load_config(example)
    assert config.mailbox.trusted_authserv_id == "mx.momgemstone.nl"
    env = {"HELPDESK_IMAP_PASSWORD": "x", "HELPDESK_SMTP_PASSWORD": "y"}
    result = CliRunner().invoke(main, ["--config", str(example), "config", "check"], env=env)
    assert result.exit_code == 0, result.output
    missing = CliRunner().invoke(
        main,
        ["--config", str(example), "config", "check"],
        env={"HELPDESK_IMAP_PASSWORD": "", "HELPDESK_SMTP_PASSWORD": "y"},
    )
    assert missing.exit_code != 0 and "HELPDESK_IMAP_PASSWORD" in missing.output


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name)
    return parser


@pytest.mark.parametrize(
    ("name", "commands"),
    [
        ("helpdesk.service", [["config", "check"], ["run"]]),
        ("helpdesk-retention.service", [["retention", "run", "--apply"]]),
    ],
)
def test_the_systemd_units_run_commands_that_exist(name: str, commands: list[list[str]]) -> None:
    service = unit(name)["Service"]
    lines = [service[key] for key in ("ExecStartPre", "ExecStart") if key in service]
    assert [shlex.split(line)[1:] for line in lines] == commands
    for line in lines:
        words = shlex.split(line)
        assert words[0].endswith("/helpdesk")
        command: click.Command = main
        for word in words[1:]:
            if word.startswith("--"):
                assert word in {option for p in command.params for option in getattr(p, "opts", [])}
                continue
            assert isinstance(command, click.Group) and word in command.commands, word
            command = command.commands[word]
    assert "Environment=HELPDESK_CONFIG=/etc/helpdesk/helpdesk.toml" in (DEPLOY / name).read_text()


def test_the_daemon_stops_on_sigterm_and_restarts_after_a_failure() -> None:
    service = unit("helpdesk.service")["Service"]
    assert service["KillSignal"] == "SIGTERM" and service["Restart"] == "on-failure"
    timer = unit("helpdesk-retention.timer")["Timer"]
    assert timer["Persistent"] == "true" and timer["OnCalendar"]
