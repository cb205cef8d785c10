"""The same story on PostgreSQL (127.0.0.1:5432 on these machines): any SQLAlchemy URL must work."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from helpdesk.config import DatabaseConfig
from helpdesk.storage import Database
from tests.conftest import Helpdesk, make_config

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@pytest.fixture
def postgres_helpdesk(tmp_path: Path) -> Iterator[Helpdesk]:
    """A helpdesk on a fresh PostgreSQL database, dropped afterwards."""
    name = f"helpdesk_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        pytest.skip(f"no PostgreSQL on 127.0.0.1:5432: {error.orig}")
    config = replace(make_config(tmp_path), database=DatabaseConfig(url=f"{SERVER}/{name}"))
    db = Database(config.database.url)
    try:
        db.upgrade()
        desk = Helpdesk(config=config, db=db, root=tmp_path)
        for sub in ("cur", "new", "tmp"):
            (desk.maildir / sub).mkdir(parents=True)
        desk.import_customers()
        yield desk
    finally:
        db.close()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_main_story_on_postgresql(postgres_helpdesk: Helpdesk) -> None:
    helpdesk = postgres_helpdesk
    helpdesk.deliver("multi_kind_en_known.eml")
    helpdesk.deliver("access_nl_unknown.eml")
    helpdesk.deliver("access_nl_known.eml")
    helpdesk.deliver("access_nl_known_copy.eml")
    helpdesk.run_once()
    assert sorted(r.state for r in helpdesk.requests()) == ["awaiting_identity", "in_progress", "in_progress"]
    assert sorted(m.status for m in helpdesk.mails()).count("duplicate") == 1
    answer = next(d for d in helpdesk.drafts() if d.to_address == "emma.smith@example.co.uk")
    helpdesk.approve(answer.id)
    helpdesk.run_once()
    helpdesk.run_once()
    [sent] = helpdesk.sent()
    assert sent["To"] == "emma.smith@example.co.uk"
    year = datetime.now(helpdesk.config.tz).year
    assert {r.reference for r in helpdesk.requests()} == {f"PR-{year}-000{n}" for n in (1, 2, 3)}


def test_the_schema_upgrade_is_idempotent_on_postgresql(postgres_helpdesk: Helpdesk) -> None:
    second_start = Database(postgres_helpdesk.config.database.url)
    second_start.upgrade()  # changes nothing, fails on nothing
    second_start.close()
