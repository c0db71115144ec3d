"""SIGKILL during ingestion, a handful of times: no article lost or doubled, database intact.

``tests/benchmarks/soak_kill.py`` does the same at least 50 times.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from tests.feedserver import Server, feed_server
from tests.killing import FEEDS, STEP_ITEMS, kill_rounds

__all__ = ["feed_server"]


def test_sigkill_during_ingestion_loses_and_doubles_nothing(
    tmp_path: Path, feed_server: Server
) -> None:
    report = kill_rounds(tmp_path, feed_server, rounds=5, seed=4)
    assert report.problems == []
    assert len(report.kills_after_s) == 5
    # The kills really landed mid-ingestion at least once (not all before or all after).
    stored = report.stored_at_kill
    assert any(b - a not in (0, len(FEEDS) * STEP_ITEMS) for a, b in pairwise(stored)), stored
