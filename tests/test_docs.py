"""The README is the admin's manual: every configuration key and every command must be in it."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from helpdesk.cli import main
from helpdesk.config import Config, describe

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "helpdesk") -> list[str]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix} {name}")
        else:
            found.append(f"{prefix} {name}")
    return found


@pytest.mark.parametrize("key", [key for key, _, _ in describe(Config())])
def test_every_configuration_key_is_documented(key: str) -> None:
    assert f"`{key}`" in README


@pytest.mark.parametrize("command", commands(main))
def test_every_command_is_documented(command: str) -> None:
    assert f"`{command}" in README
