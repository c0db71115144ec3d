"""One read of everything the dashboard shows, in one short transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from monitor.alerts.escalation import pair_scores
from monitor.alerts.timing import as_utc
from monitor.models import Alert, AlertDetection, Article, Detection, Source, utcnow
from monitor.store import Store

OPEN_STATUSES = ("new", "acknowledged")


@dataclass(frozen=True)
class PairRow:
    """Escalation of one pair of states: weekly scores, highest step, latest event."""

    pair: str
    series: list[float]
    top_step: int | None
    last_event: str
    alerts: int


@dataclass(frozen=True)
class Snapshot:
    """What the dashboard shows at one moment."""

    taken_at: datetime
    alerts: list[tuple[Alert, str]]  # open alerts by severity, with an article title
    pairs: list[PairRow]
    sources: list[Source]
    counts: dict[str, tuple[int, int]]  # articles/detections/alerts: (last hour, last day)
    weeks_end: datetime


def take_snapshot(store: Store, now: datetime | None = None, weeks: int = 12) -> Snapshot:
    """Read alerts, pairs, sources and counters; the transaction ends before returning."""
    now = now or utcnow()
    with store.session(readonly=True) as session:
        top = session.exec(
            select(Alert)
            .where(col(Alert.status).in_(OPEN_STATUSES))
            .order_by(col(Alert.severity).desc(), col(Alert.last_seen).desc(), col(Alert.id).desc())
            .limit(60)
        ).all()
        titles = _titles(session, [a.id for a in top if a.id is not None])
        newest = session.exec(
            select(func.max(Alert.first_seen)).where(col(Alert.pair).is_not(None))
        ).one()
        # the sparkline window ends at the newest event (now, on a live service)
        end = min(as_utc(newest), now) if newest else now
        end += timedelta(seconds=1)
        recent_alerts = session.exec(
            select(Alert).where(
                col(Alert.pair).is_not(None),
                col(Alert.status) != "dismissed",
                col(Alert.first_seen) >= end - timedelta(weeks=weeks),
            )
        ).all()
        sources = list(session.exec(select(Source).order_by(col(Source.name))))
        counts = {
            "articles": _count(session, Article.ingested_at, now),
            "detections": _count(session, Detection.created_at, now),
            "alerts": _count(session, Alert.created_at, now),
        }
    series = pair_scores(list(recent_alerts), end, weeks)
    pairs = []
    for pair, values in series.items():
        mine = [a for a in recent_alerts if a.pair == pair]
        latest = max(mine, key=lambda a: (as_utc(a.first_seen), a.id or 0))
        steps = [a.ladder_step for a in mine if a.ladder_step is not None]
        pairs.append(PairRow(pair, values, max(steps) if steps else None, latest.event, len(mine)))
    pairs.sort(key=lambda p: (-sum(p.series), p.pair))
    return Snapshot(now, [(a, titles.get(a.id or 0, "")) for a in top], pairs, sources, counts, end)


def _titles(session: Session, alert_ids: list[int]) -> dict[int, str]:
    rows = session.exec(
        select(AlertDetection.alert_id, Article.title)
        .join(Detection, col(Detection.id) == col(AlertDetection.detection_id))
        .join(Article, col(Article.id) == col(Detection.article_id))
        .where(col(AlertDetection.alert_id).in_(alert_ids))
        .order_by(col(Article.id))
    )
    titles: dict[int, str] = {}
    for alert_id, title in rows:
        titles.setdefault(alert_id, title)
    return titles


def _count(session: Session, column: object, now: datetime) -> tuple[int, int]:
    def since(delta: timedelta) -> int:
        query = select(func.count()).where(col(column) >= now - delta)
        return int(session.exec(query).one())

    return since(timedelta(hours=1)), since(timedelta(days=1))
