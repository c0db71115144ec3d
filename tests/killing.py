"""SIGKILL `monitor run` at random points during ingestion; check nothing is lost or doubled."""

from __future__ import annotations

import random
import signal
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.feedserver import Server, feed, rss
from tests.service import Service, integrity, query

FEEDS = ("alpha", "beta", "gamma")
FIRST_ITEMS = 600  # per feed in the first round; each later round adds STEP_ITEMS more
STEP_ITEMS = 300
# The final pass stores what the last kills cut off: every synthetic entry is analysed and
# merges into one of two ever-growing alerts (the worst case for alerting), so give it time.
FINAL_PASS_TIMEOUT_S = 600
FILLER = "Ambasador Rosji został wezwany do MSZ w sprawie wydalenia dyplomatów. " * 8


@dataclass
class KillReport:
    """What the rounds saw: when each kill landed and what was stored then."""

    kills_after_s: list[float] = field(default_factory=list)
    stored_at_kill: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def serve_feeds(server: Server, count: int) -> None:
    for name in FEEDS:
        items = [(f"{name}-{i}", f"{name} wiadomość {i}", f"{FILLER}{i}") for i in range(count)]
        server.routes[f"/{name}"] = feed(rss(items, name))


def write_config(folder: Path, server: Server) -> Path:
    blocks = "".join(
        f'[[sources]]\nname = "{n}"\nkind = "feed"\nurl = "{server.url("/" + n)}"\n'
        'interval = "1s"\n'
        for n in FEEDS
    )
    path = folder / "monitor.toml"
    path.write_text('database_url = "sqlite:///state/monitor.db"\n' + blocks, encoding="utf-8")
    return path


def check_database(db: Path, report: KillReport, *, expected: int | None) -> None:
    if (verdict := integrity(db)) != "ok":
        report.problems.append(f"integrity_check: {verdict}")
    rows = query(
        db,
        "SELECT s.name, count(*), count(DISTINCT a.identity) FROM articles a "
        "JOIN sources s ON s.id = a.source_id GROUP BY s.name",
    )
    for name, total, distinct in rows:
        if total != distinct:
            report.problems.append(f"{name}: {total} rows but {distinct} identities")
        if expected is not None and total != expected:
            report.problems.append(f"{name}: {total} articles stored, {expected} served")
    if expected is not None and len(rows) != len(FEEDS):
        report.problems.append(f"only {len(rows)} of {len(FEEDS)} feeds stored anything")


def stored(db: Path) -> int:
    """Articles committed so far (0 before the database exists)."""
    if not db.exists():
        return 0
    try:
        return int(query(db, "SELECT count(*) FROM articles")[0][0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def kill_rounds(
    folder: Path, server: Server, rounds: int, seed: int = 0, step: int = STEP_ITEMS
) -> KillReport:
    """``rounds`` runs killed at random moments after ingestion starts, then a final pass."""
    rng = random.Random(seed)
    config = write_config(folder, server)
    db = folder / "state" / "monitor.db"
    report = KillReport()
    count = FIRST_ITEMS
    for round_ in range(rounds):
        count = FIRST_ITEMS + round_ * step  # every round has new entries to store
        serve_feeds(server, count)
        service = Service(config)
        try:
            started = time.monotonic()
            # Kill while articles are being written: once this round's first batch is
            # committed, at a random moment of the next fraction of a second.
            before = stored(db)
            service.wait_for(lambda b=before: stored(db) > b, 20)
            time.sleep(rng.uniform(0.0, 0.3))
            service.proc.send_signal(signal.SIGKILL)
            service.proc.wait(10)
            report.kills_after_s.append(time.monotonic() - started)
        finally:
            service.close()
        check_database(db, report, expected=None)
        report.stored_at_kill.append(stored(db))
    time.sleep(1.2)  # every source is due again
    final = Service(config, once=True)
    try:
        final.proc.wait(FINAL_PASS_TIMEOUT_S)
    finally:
        final.close()
    check_database(db, report, expected=count)
    return report
