"""Fixtures that start real mail servers on loopback for each test.

Every test in this folder gets the ``integration`` marker (deselect with ``-m "not integration"``).
Without Dovecot (not installed, not root, ...) the tests that need it are skipped locally and
fail on CI (``CI=true``), so a broken CI image cannot pass silently.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import NoReturn

import pytest

from tests.integration.servers import (
    DovecotServer,
    DovecotUnavailable,
    SmtpSink,
    running_dovecot,
    running_smtp_sink,
)

INTEGRATION_DIR = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected test in the session, not just this folder's.
    for item in items:
        if item.path.is_relative_to(INTEGRATION_DIR):
            item.add_marker(pytest.mark.integration)


def _server_unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"Dovecot unavailable on CI: {reason}", pytrace=False)
    pytest.skip(f"Dovecot unavailable: {reason}")


@pytest.fixture
def dovecot() -> Iterator[DovecotServer]:
    """A fresh Dovecot (empty INBOX) for this test, in a temporary folder of its own.

    Not under pytest's tmp_path: Dovecot's mail user must traverse every parent folder, and
    pytest prunes old tmp_path trees (another pytest run may do so while this one runs).
    """
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="helpdesk-dovecot-")))
        try:
            server = stack.enter_context(running_dovecot(workdir))
        except DovecotUnavailable as exc:
            _server_unavailable(str(exc))
        yield server


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """An SMTP server without AUTH that keeps what it receives."""
    with running_smtp_sink() as sink:
        yield sink
