"""`helpdesk run` keeps going until it is told to stop, and stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import select

from helpdesk.cli import main
from helpdesk.daemon import run_forever, run_once
from helpdesk.heartbeat import acquire, stale_after, this_process
from helpdesk.mailbox import open_mailbox
from helpdesk.models import DaemonState, MailboxState
from helpdesk.pipeline import process_waiting, read_mailbox
from tests.conftest import Helpdesk, wait_until, write_config


@contextmanager
def daemon_running(helpdesk: Helpdesk) -> Iterator[threading.Thread]:
    """`run_forever` in a thread, polling every second; told to stop and joined on the way out."""
    config = replace(helpdesk.config, mailbox=replace(helpdesk.config.mailbox, poll_seconds=1))
    stop = threading.Event()
    daemon = threading.Thread(target=run_forever, args=(helpdesk.db, config, stop))
    daemon.start()
    try:
        yield daemon
    finally:
        stop.set()
        daemon.join(timeout=10)


def test_the_daemon_picks_up_mail_that_arrives_while_it_runs(helpdesk: Helpdesk) -> None:
    with daemon_running(helpdesk) as daemon:
        helpdesk.deliver("objection_newsletter_nl_known.eml")
        assert wait_until(lambda: len(helpdesk.requests()) == 1)
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
    assert b"stopping after the mail at hand" in stderr


def test_one_daemon_per_database_and_its_heartbeat_shows_in_status(helpdesk: Helpdesk) -> None:
    with daemon_running(helpdesk):
        helpdesk.deliver("access_nl_known.eml")
        assert wait_until(lambda: len(helpdesk.drafts()) == 1)
        assert wait_until(lambda: daemon_state(helpdesk).last_pass_at is not None)
        env = {"HELPDESK_CONFIG": str(write_config(helpdesk))}
        for command in (["run"], ["run", "--once"]):  # another process: refused, naming the holder
            other = subprocess.run(
                [sys.executable, "-m", "helpdesk", *command],
                env=os.environ | env,
                capture_output=True,
                timeout=60,
            )
            assert other.returncode != 0 and this_process().encode() in other.stderr, other.stderr
        shown = json.loads(CliRunner().invoke(main, ["status", "--json"], env=env).output)
        assert shown["daemon"]["holder"] == this_process() and shown["daemon"]["heartbeat_at"]
        assert shown["drafts"]["waiting_for_approval"] == 1 and shown["requests"]["open"] == 1
        assert shown["mailboxes"][0]["last_contact_at"] and shown["backlog"] == {
            "waiting": 0,
            "quarantined": 0,
        }
    assert daemon_state(helpdesk).holder is None  # released on a clean stop
    text = CliRunner().invoke(main, ["status"], env={"HELPDESK_CONFIG": str(write_config(helpdesk))}).output
    assert "not running" in text and "1 waiting for approval" in text


def test_a_dead_daemons_lock_is_taken_over(helpdesk: Helpdesk) -> None:
    with helpdesk.db.session() as session:
        state = session.get_one(DaemonState, 1)
        state.holder, state.heartbeat_at = "old-host:4242", datetime.now(UTC) - timedelta(hours=2)
    assert acquire(helpdesk.db, "new-host:1", stale_after(60)) is None
    held = acquire(helpdesk.db, "third-host:2", stale_after(60))
    assert held is not None and held.holder == "new-host:1"


def daemon_state(helpdesk: Helpdesk) -> DaemonState:
    with helpdesk.db.session() as session:
        return session.get_one(DaemonState, 1)


def test_a_stop_ends_the_pass_after_the_mail_at_hand_and_the_next_run_goes_on(helpdesk: Helpdesk) -> None:
    for name in ("access_nl_known.eml", "erasure_en_known.eml", "order_question_nl.eml"):
        helpdesk.deliver(name)
    stopped = threading.Event()
    stopped.set()  # SIGTERM came before the first mail
    report = run_once(helpdesk.db, helpdesk.config, stop=stopped)
    assert report.mailbox.stored == 0 and helpdesk.requests() == []
    report = run_once(helpdesk.db, helpdesk.config)  # the next run: nothing was skipped
    assert report.mailbox.stored == 3 and len(helpdesk.requests()) == 2


def test_stored_mail_waits_for_the_next_run_when_stopped_before_its_turn(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml")
    with open_mailbox(helpdesk.config) as mailbox:
        stopped = threading.Event()
        report = read_mailbox(helpdesk.db, helpdesk.config, mailbox)
    assert report.processed == 1
    helpdesk.deliver("erasure_en_known.eml")
    with open_mailbox(helpdesk.config) as mailbox:
        stopped.set()
        assert read_mailbox(helpdesk.db, helpdesk.config, mailbox, stopped).stored == 0
    assert process_waiting(helpdesk.db, helpdesk.config).processed == 0
    assert run_once(helpdesk.db, helpdesk.config).mailbox.processed == 1
