"""`helpdesk run` keeps going until it is told to stop, and stops cleanly."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select

from helpdesk.daemon import run_forever
from helpdesk.models import MailboxState
from tests.conftest import Helpdesk
from tests.test_cli import write_config


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_daemon_picks_up_mail_that_arrives_while_it_runs(helpdesk: Helpdesk) -> None:
    config = replace(helpdesk.config, mailbox=replace(helpdesk.config.mailbox, poll_seconds=1))
    stop = threading.Event()
    daemon = threading.Thread(target=run_forever, args=(helpdesk.db, config, stop))
    daemon.start()
    try:
        helpdesk.deliver("objection_newsletter_nl_known.eml")
        assert wait_until(lambda: len(helpdesk.requests()) == 1)
    finally:
        stop.set()
        daemon.join(timeout=10)
    assert not daemon.is_alive()
    assert helpdesk.requests()[0].kinds == ["objection"]


def first_pass_done(helpdesk: Helpdesk) -> bool:
    with helpdesk.db.session() as session:
        return session.scalar(select(MailboxState.last_checked_at)) is not None


def test_sigterm_ends_the_daemon_after_its_pass(helpdesk: Helpdesk) -> None:
    config = write_config(helpdesk)
    config.write_text(config.read_text().replace("[mailbox]", "[mailbox]\npoll_seconds = 3600"))
    process = subprocess.Popen(
        [sys.executable, "-m", "helpdesk", "--config", str(config), "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert wait_until(lambda: first_pass_done(helpdesk))  # now it sleeps for an hour
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0
    assert b"stopping after the current pass" in stderr
