"""Soak: SIGKILL `monitor run` at random points during ingestion, many times (default 60).

Run: .venv/bin/python tests/benchmarks/soak_kill.py [--rounds N] [--seed S]
Prints when each kill landed and what was stored, then whether any article was lost or
duplicated and whether `PRAGMA integrity_check` stayed ok. Exit code 1 on any problem.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.feedserver import Server
from tests.killing import FEEDS, FIRST_ITEMS, kill_rounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--step", type=int, default=60, help="new entries per feed per round")
    args = parser.parse_args()
    server = Server()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        report = kill_rounds(Path(folder), server, args.rounds, args.seed, args.step)
    server.stopping.set()
    server.shutdown()
    final = FIRST_ITEMS + (args.rounds - 1) * args.step
    print(f"rounds: {args.rounds}, feeds: {len(FEEDS)}, final entries per feed: {final}")
    for n, (after, stored) in enumerate(
        zip(report.kills_after_s, report.stored_at_kill, strict=True), 1
    ):
        print(f"  kill {n:3d}: {after:5.2f}s after start, {stored} articles stored")
    full = [len(FEEDS) * (FIRST_ITEMS + n * args.step) for n in range(args.rounds)]
    partial = sum(1 for s, f in zip(report.stored_at_kill, full, strict=True) if s < f)
    print(f"kills that left the round's entries part-stored: {partial} of {args.rounds}")
    print(f"took {time.monotonic() - started:.1f}s")
    if report.problems:
        print("PROBLEMS:")
        for problem in report.problems:
            print(f"  {problem}")
        return 1
    print("no article lost or duplicated; integrity_check ok after every kill")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
