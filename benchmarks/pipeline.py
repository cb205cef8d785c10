"""Throughput of the whole way on the embedded kind of setup; prints figures, asserts nothing.

    .venv/bin/python benchmarks/pipeline.py [--mails 2000]

Delivers copies of the fixture mails (each with its own Message-ID) into a Maildir in a temp
folder, runs one pass (store, parse, classify, identify, open requests, draft), approves every
draft and runs the outbox (folder outbox). Reports mails per second and peak memory.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from helpdesk.daemon import run_once
from helpdesk.models import Draft, DraftState
from helpdesk.review import approve
from helpdesk.storage import Database
from tests.conftest import EMAILS, FIXTURES, Helpdesk, make_config


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=2000)
    args = parser.parse_args()
    samples = [p.read_bytes() for p in sorted(EMAILS.glob("*.eml")) if p.name != "broken_from.eml"]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = make_config(root)
        db = Database(config.database.url)
        started = time.perf_counter()
        db.upgrade()
        print(f"schema migration on a new SQLite file: {time.perf_counter() - started:.2f} s")
        desk = Helpdesk(config=config, db=db, root=root)
        for sub in ("cur", "new", "tmp"):
            (desk.maildir / sub).mkdir(parents=True)
        desk.import_customers()
        for number in range(args.mails):
            raw = samples[number % len(samples)]
            unique = f"<bench.{number}@example.net>".encode()
            raw = re.sub(rb"(?im)^Message-ID:[^\n]*\n", b"", raw)
            desk.deliver(b"Message-ID: " + unique + b"\n" + raw)

        started = time.perf_counter()
        report = run_once(db, config)
        elapsed = time.perf_counter() - started
        rate = args.mails / elapsed
        print(f"one pass over {args.mails} mails: {elapsed:.2f} s, {rate:.0f} mails/s ({report})")

        with db.session() as session:
            ids = session.scalars(select(Draft.id).where(Draft.state == DraftState.PENDING)).all()
            for draft_id in ids:
                approve(session, draft_id, "benchmark", config)
        started = time.perf_counter()
        report = run_once(db, config)
        elapsed = time.perf_counter() - started
        print(f"outbox: {len(ids)} approved drafts written in {elapsed:.2f} s, {len(ids) / elapsed:.0f}/s")
        print(f"database size: {(root / 'helpdesk.sqlite3').stat().st_size / 1e6:.1f} MB")
        db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:.0f} MB")
    print(f"fixture mails for reference: {FIXTURES}")


if __name__ == "__main__":
    main()
