"""The burst rule (EMM-style): a signal's article count for a pair of states today, well
above its own baseline of the previous days, raises an alert of its own (event ``burst``).

Days are UTC days of arrival (ingestion time): a burst is about how much is being written
now, whatever date the articles give. Burst when today's count >= ``burst_min_count`` and
> mean + ``burst_k`` * sd of the previous ``burst_days`` days' counts.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from monitor.alerts.counting import recount
from monitor.alerts.ladder import BURST_EVENT, BURST_SEVERITY, pair_of
from monitor.alerts.merge import AlertChange, merge_key
from monitor.alerts.timing import as_utc
from monitor.config import AlertSettings
from monitor.models import Alert, AlertDetection, Article, ArticleFingerprint, Detection


def day_start(stamp: datetime) -> datetime:
    return as_utc(stamp).replace(hour=0, minute=0, second=0, microsecond=0)


def check_bursts(
    session: Session, keys: set[tuple[str, str]], cfg: AlertSettings, now: datetime
) -> list[AlertChange]:
    """Burst alerts for the (signal, pair) keys touched by this pass."""
    changes: list[AlertChange] = []
    today = day_start(now)
    since = today - timedelta(days=cfg.burst_days)
    for signal in sorted({signal for signal, _ in keys}):
        pairs = {pair for s, pair in keys if s == signal}
        rows = session.exec(
            select(Detection, Article.ingested_at, ArticleFingerprint.duplicate_of)
            .join(Article, col(Article.id) == col(Detection.article_id))
            .join(
                ArticleFingerprint,
                col(ArticleFingerprint.article_id) == col(Detection.article_id),
                isouter=True,
            )
            .where(Detection.signal == signal, col(Article.ingested_at) >= since)
        ).all()
        per_day: dict[tuple[str, datetime], set[int]] = defaultdict(set)
        todays: dict[str, list[Detection]] = defaultdict(list)
        for det, ingested, dup in rows:
            pair = pair_of(det.actor, det.target, det.place_countries)
            if pair not in pairs:
                continue
            day = day_start(ingested)
            per_day[pair, day].add(dup or det.article_id)
            if day == today:
                todays[pair].append(det)
        for pair in sorted(p for p in pairs if p is not None):
            count = len(per_day.get((pair, today), ()))
            baseline = [
                len(per_day.get((pair, since + timedelta(days=i)), ()))
                for i in range(cfg.burst_days)
            ]
            mean = statistics.fmean(baseline)
            sd = statistics.pstdev(baseline)
            if count < cfg.burst_min_count or count <= mean + cfg.burst_k * sd:
                continue
            change = _record_burst(session, signal, pair, today, count, mean, todays[pair], now)
            if change:
                changes.append(change)
    return changes


def _record_burst(
    session: Session,
    signal: str,
    pair: str,
    today: datetime,
    count: int,
    mean: float,
    dets: list[Detection],
    now: datetime,
) -> AlertChange | None:
    probe = Alert(key="", signal=signal, event=BURST_EVENT, place_countries=pair)
    key = merge_key(probe)
    alert = session.exec(
        select(Alert).where(Alert.key == key, col(Alert.first_seen) == today)
    ).first()
    kind = "merged"
    if alert is None:
        kind = "new"
        alert = Alert(
            key=key,
            signal=signal,
            event=BURST_EVENT,
            place_countries=pair,
            pair=pair,
            severity=BURST_SEVERITY,
            first_seen=today,
            last_seen=today + timedelta(days=1),
            created_at=now,
        )
    elif alert.num_articles == count:
        return None
    alert.raised_reason = f"{count} articles today against a baseline of {mean:.1f} a day"
    alert.updated_at = now
    session.add(alert)
    session.flush()
    assert alert.id is not None
    linked = set(
        session.exec(select(AlertDetection.detection_id).where(AlertDetection.alert_id == alert.id))
    )
    fresh = [d for d in dets if d.id is not None and d.id not in linked]
    for det in fresh:
        assert det.id is not None
        session.add(AlertDetection(alert_id=alert.id, detection_id=det.id))
    session.flush()
    recount(session, alert)
    ids = tuple(d.id for d in fresh if d.id is not None)
    return AlertChange(alert.id, kind, ids, tuple(sorted({d.rule_id for d in fresh})))
