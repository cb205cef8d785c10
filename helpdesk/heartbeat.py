"""One daemon per database, and a heartbeat that says it is alive.

The lock is a lease in the database (works the same on SQLite and PostgreSQL): a daemon takes the
row when nobody holds it, or when the holder's heartbeat is older than `stale_after` (a daemon
killed with -9 never releases it). Every pass renews the heartbeat.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from typing import Any

from sqlalchemy import CursorResult, or_, update

from helpdesk.models import DaemonState, utcnow
from helpdesk.storage import Database


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def acquire(db: Database, holder: str, stale_after: timedelta) -> DaemonState | None:
    """Take the lock for `holder`; None when a live daemon holds it (the row says which)."""
    now = utcnow()
    with db.session() as session:
        result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(DaemonState)
            .where(
                DaemonState.id == 1,
                or_(
                    DaemonState.holder.is_(None),
                    DaemonState.holder == holder,
                    DaemonState.heartbeat_at < now - stale_after,
                ),
            )
            .values(holder=holder, started_at=now, heartbeat_at=now)
        )
        taken = result.rowcount
        state = session.get_one(DaemonState, 1)
        session.expunge(state)
    return None if taken == 1 else state


def beat(db: Database, holder: str, report: str | None = None, error: str | None = None) -> None:
    """Renew the heartbeat; after a pass, keep what it did (counts only) and its error, if any."""
    now = utcnow()
    values: dict[str, object] = {"heartbeat_at": now}
    if report is not None:
        values |= {"last_pass_at": now, "last_pass": report, "last_error": error}
    with db.session() as session:
        session.execute(
            update(DaemonState).where(DaemonState.id == 1, DaemonState.holder == holder).values(**values)
        )


def release(db: Database, holder: str) -> None:
    with db.session() as session:
        session.execute(
            update(DaemonState).where(DaemonState.id == 1, DaemonState.holder == holder).values(holder=None)
        )


def stale_after(poll_seconds: int) -> timedelta:
    # A pass over a big first mailbox can take minutes; a heartbeat this old means a dead daemon.
    return timedelta(seconds=max(600, 3 * poll_seconds))
