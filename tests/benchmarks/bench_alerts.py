"""Benchmark: raising alerts from many detections, then one dashboard snapshot.

Run: ``.venv/bin/python tests/benchmarks/bench_alerts.py [ARTICLES]``. Prints figures;
asserts nothing about time.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.alerts import deliver_due, raise_alerts
from monitor.config import load_settings
from monitor.dashboard.snapshot import take_snapshot
from monitor.models import Article, Detection, Source
from monitor.store import open_store

STATES = ["RUS", "KAZ", "UKR", "POL", "GEO", "BLR", "LTU", "FIN"]
EVENTS = [("ambassador_dispute", e) for e in ("summons", "expulsion", "recall", "threat")]
EVENTS += [("border_mobilization", "mobilization_exodus")]
WORDS = "ambasador wezwany MSZ granica pobór nota protest wydalenie placówka".split()  # noqa: SIM905


def main(articles: int) -> None:
    rng = random.Random(7)
    root = Path(tempfile.mkdtemp())
    (root / "monitor.toml").write_text('database_url = "sqlite:///state/m.db"\n', encoding="utf-8")
    settings = load_settings(root / "monitor.toml")
    store = open_store(settings.database_url)
    start_day = datetime(2024, 1, 1, tzinfo=UTC)
    batch, total_dets, t_raise = 200, 0, 0.0
    for first in range(0, articles, batch):
        with store.session() as session:
            source = Source(name=f"s{first}", kind="files", location="bench")
            session.add(source)
            session.flush()
            dets = []
            for i in range(first, min(articles, first + batch)):
                text = " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(120))
                day = start_day + timedelta(days=i * 90 // articles)
                art = Article(
                    source_id=source.id or 0,
                    identity=str(i),
                    content_hash=str(i),
                    origin="b",
                    title=text[:60],
                    text=text,
                    published=day.date().isoformat(),
                    published_at=day,
                )
                session.add(art)
                session.flush()
                signal, event = rng.choice(EVENTS)
                actor, target = rng.sample(STATES, 2)
                det = Detection(
                    article_id=art.id or 0,
                    rule_id=f"{signal}.{event}",
                    rule_version="b",
                    signal=signal,
                    event=event,
                    modality="asserted",
                    lang="pl",
                    actor=actor,
                    target=target,
                    evidence_sentence=text[:80],
                    evidence_start=0,
                    evidence_end=80,
                )
                session.add(det)
                dets.append(det)
            session.flush()
            started = time.perf_counter()
            raise_alerts(session, dets, settings)
            t_raise += time.perf_counter() - started
            total_dets += len(dets)
    started = time.perf_counter()
    report = deliver_due(store, settings)
    t_deliver = time.perf_counter() - started
    started = time.perf_counter()
    snap = take_snapshot(store)
    t_snap = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles={articles} detections={total_dets}")
    print(f"raise_alerts: {t_raise:.2f}s total, {total_dets / t_raise:.0f} detections/s")
    print(f"deliver_due: {report.sent} log lines in {t_deliver:.2f}s")
    print(f"dashboard snapshot: {t_snap * 1000:.0f} ms, {len(snap.pairs)} pairs")
    print(f"max RSS: {rss_mb:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
