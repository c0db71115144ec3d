"""Benchmark: feed ingestion throughput and memory, side by side with bare feedparser.

Run: .venv/bin/python tests/benchmarks/bench_ingest.py [--repeat N]

Serves the Polish feeds of ../shared/feeds (or generated ones when that folder is absent)
from a local HTTP server and measures, on the same bytes:
  1. feedparser.parse(bytes) alone;
  2. our parse (DTD neutralising, HTML to text, identities) = monitor.sources.feeds;
  3. the whole check without analysis: HTTP fetch -> parse -> store into a fresh SQLite file;
  4. the same with analysis (rules in rules/) and alerting: fetch -> parse -> analyse -> store
     articles and detections -> raise alerts;
  5. a re-poll of the unchanged feeds (no ETag): parse + dedup, nothing written.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import feedparser

from monitor import pipeline
from monitor.config import FeedSource, Settings
from monitor.rulebook import load_engine
from monitor.sources.feeds import parse_feed
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.store import open_store
from tests.feedserver import Server, feed, rss, shared_dir


def corpus() -> dict[str, bytes]:
    folder = shared_dir()
    if folder is not None:
        return {p.name: p.read_bytes() for p in sorted((folder / "feeds").glob("pl_*.xml"))}
    text = "Ambasador Rosji został wezwany do MSZ w sprawie wydalenia dyplomatów. " * 10
    return {
        f"generated_{n}.xml": rss([(f"{n}-{i}", f"Wiadomość {i}", text) for i in range(400)])
        for n in range(5)
    }


def timed(action: Callable[[], int], repeat: int) -> tuple[float, int]:
    """Best wall time of ``repeat`` runs, and the item count of one run."""
    best, items = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        items = action()
        best = min(best, time.perf_counter() - started)
    return best, items


def peak_mib(action: Callable[[], int]) -> float:
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    feeds = corpus()
    total_mb = sum(map(len, feeds.values())) / 2**20
    server = Server()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    for name, body in feeds.items():
        server.routes[f"/{name}"] = feed(body, "application/rss+xml")
    settings = Settings()
    engine = load_engine(Path(__file__).resolve().parents[2] / "rules")
    plain = pipeline.Stages(settings=settings)
    analysing = pipeline.Stages(settings=settings, engine=engine)

    def bare() -> int:
        return sum(len(feedparser.parse(body).entries) for body in feeds.values())

    def ours() -> int:
        return sum(len(parse_feed(b, {}, f"http://x/{n}").drafts) for n, b in feeds.items())

    folder = Path(tempfile.mkdtemp())
    sources = [FeedSource(name=n, url=server.url(f"/{n}")) for n in feeds]
    runs = iter(range(1 << 20))

    def check_all(db: Path, stages: pipeline.Stages = plain) -> int:
        store = open_store(f"sqlite:///{db}")
        with Fetcher(FetchLimits()) as fetcher:
            reports = [
                pipeline.check_source(
                    store,
                    s,
                    fetcher,
                    backoff_ceiling=timedelta(hours=1),
                    rng=random.Random(0),
                    stages=stages,
                ).report
                for s in sources
            ]
        store.dispose()
        return sum(r.new + r.known for r in reports)

    def fresh() -> int:
        return check_all(folder / f"fresh-{next(runs)}.db")

    def fresh_analysed() -> int:
        return check_all(folder / f"fresh-{next(runs)}.db", analysing)

    repoll_db = folder / "repoll.db"
    check_all(repoll_db)

    def repoll() -> int:
        return check_all(repoll_db)

    print(f"corpus: {len(feeds)} feeds, {total_mb:.1f} MiB; best of {args.repeat} runs")
    columns = ("seconds", "items", "items/s", "MiB/s", "peak MiB")
    print(f"{'stage':46s} " + " ".join(f"{c:>9s}" for c in columns))
    for label, action in (
        ("feedparser.parse(bytes) alone", bare),
        ("monitor parse (feeds.parse_feed)", ours),
        ("fetch+parse+store into fresh SQLite", fresh),
        ("fetch+parse+analyse+store+alert, fresh SQLite", fresh_analysed),
        ("re-poll unchanged (parse + dedup, no writes)", repoll),
    ):
        seconds, items = timed(action, args.repeat)
        peak = peak_mib(action)
        print(
            f"{label:46s} {seconds:9.2f} {items:9d} {items / seconds:9.0f} "
            f"{total_mb / seconds:9.1f} {peak:9.1f}"
        )
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {rss_mib:.0f} MiB")
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
