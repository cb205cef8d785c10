"""The weekly digest and a reminder go out over real SMTP (aiosmtpd) once, restarts included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpdesk.config import SmtpConfig
from helpdesk.outbox import open_outbox
from helpdesk.schedule import run_schedules
from helpdesk.storage import Database
from tests.conftest import make_config
from tests.integration.servers import SmtpSink

MONDAY_0800 = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam


def test_the_digest_goes_once_over_smtp_and_not_again_after_a_restart(
    tmp_path: Path, smtp_sink: SmtpSink
) -> None:
    config = make_config(tmp_path, smtp=SmtpConfig(url=smtp_sink.url()))
    db = Database(config.database.url)
    db.upgrade()
    try:
        assert run_schedules(db, config, open_outbox(config), MONDAY_0800 - timedelta(minutes=1)) == []
        assert run_schedules(db, config, open_outbox(config), MONDAY_0800) == ["digest:2026-W49"]
    finally:
        db.close()
    restarted = Database(config.database.url)  # a new process would open the same file
    try:
        assert run_schedules(restarted, config, open_outbox(config), MONDAY_0800 + timedelta(hours=1)) == []
    finally:
        restarted.close()
    [digest] = smtp_sink.messages
    assert digest.rcpt_tos == ["privacy@momgemstone.nl"]
    assert digest.message.get_content_type() == "multipart/alternative"
    assert str(digest.message["Subject"]).strip().startswith("Privacyverzoeken: 0 open")
