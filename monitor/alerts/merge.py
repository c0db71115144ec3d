"""Detections -> event alerts: one alert per real-world event, however many articles.

Merge rule. A detection joins an alert of the same signal and event when its article is
dated within ``merge_window`` of every article already in the alert (dates keep their
precision: ``2022-10`` is the whole month, so it may be one day from ``2022-09``), and
when their roles are compatible: for each of actor, target, subject, place_countries and
place, either side is unknown or both are equal. Among compatible alerts an exact match
on every role wins; otherwise a single compatible alert is taken and the roles it lacks
are filled from the detection; two or more compatible alerts (say RUS->KAZ and RUS->GEO
for a detection that names no target) are ambiguous, and the detection opens an alert of
its own rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from monitor.alerts.ladder import pair_of, rung_of, severity_of
from monitor.alerts.timing import article_interval, as_utc
from monitor.config import AlertSettings
from monitor.models import Alert, Article, Detection

ROLES = ("actor", "target", "subject", "place_countries", "place")


@dataclass(frozen=True, slots=True)
class AlertChange:
    """What one pass did to one alert: ``new`` (created) or ``merged`` (more evidence)."""

    alert_id: int
    kind: str
    detection_ids: tuple[int, ...]
    rule_ids: tuple[str, ...]


def merge_key(alert: Alert | Detection) -> str:
    """signal/event/actor/target/subject/place_countries, '-' for an unknown role."""
    parts = [alert.signal, alert.event, alert.actor, alert.target, alert.subject]
    parts.append(alert.place_countries)
    return "/".join(p or "-" for p in parts)


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


def _compatible(alert: Alert, det: Detection) -> bool:
    for role in ROLES:
        mine, theirs = getattr(alert, role), getattr(det, role)
        if mine and theirs and not _same(mine, theirs):
            return False
    return True


def _exact(alert: Alert, det: Detection) -> bool:
    return all(_same(getattr(alert, r), getattr(det, r)) for r in ROLES)


def find_alert(
    session: Session, det: Detection, span: tuple[datetime, datetime], cfg: AlertSettings
) -> Alert | None:
    """The alert this detection belongs to by the merge rule, or None for a new one."""
    window = cfg.merge_window
    query = select(Alert).where(
        Alert.signal == det.signal,
        Alert.event == det.event,
        col(Alert.first_seen) <= span[1] + window,
        col(Alert.last_seen) >= span[0] - window,
    )
    for role in ("actor", "target", "subject", "place_countries"):  # codes: exact case
        value = getattr(det, role)
        if value:
            column = col(getattr(Alert, role))
            query = query.where(sa.or_(column == value, column.is_(None)))
    rows = session.exec(query).all()
    near = [a for a in rows if within_window(a, span, window) and _compatible(a, det)]
    exact = [a for a in near if _exact(a, det)]
    if exact:
        return min(exact, key=lambda a: a.id or 0)
    return near[0] if len(near) == 1 else None


def within_window(alert: Alert, span: tuple[datetime, datetime], window: timedelta) -> bool:
    """Whether an article dated ``span`` is within ``window`` of every article of the alert.

    The closest two date intervals can be is their gap, so it is enough to meet the alert's
    latest article start and earliest article end.
    """
    latest_start = as_utc(alert.latest_start or alert.first_seen)
    earliest_end = as_utc(alert.earliest_end or alert.last_seen)
    return span[0] <= earliest_end + window and span[1] >= latest_start - window


def open_alert(det: Detection, span: tuple[datetime, datetime], now: datetime) -> Alert:
    """A new alert carrying the detection's roles, ladder step and weight."""
    rung = rung_of(det.event)
    alert = Alert(
        key="",
        signal=det.signal,
        event=det.event,
        actor=det.actor,
        target=det.target,
        subject=det.subject,
        place=det.place,
        place_countries=det.place_countries,
        ladder_step=rung.step,
        weight=rung.weight,
        severity=severity_of(rung.weight, 0),
        first_seen=span[0],
        last_seen=span[1],
        latest_start=span[0],
        earliest_end=span[1],
        created_at=now,
        updated_at=now,
    )
    alert.key = merge_key(alert)
    alert.pair = pair_of(alert.actor, alert.target, alert.place_countries)
    return alert


def absorb(alert: Alert, det: Detection, span: tuple[datetime, datetime], now: datetime) -> None:
    """Widen the alert's interval and fill the roles it lacks from the detection."""
    for role in ROLES:
        if not getattr(alert, role) and getattr(det, role):
            setattr(alert, role, getattr(det, role))
    alert.key = merge_key(alert)
    alert.pair = pair_of(alert.actor, alert.target, alert.place_countries)
    alert.first_seen = min(as_utc(alert.first_seen), span[0])
    alert.last_seen = max(as_utc(alert.last_seen), span[1])
    alert.latest_start = max(as_utc(alert.latest_start or alert.first_seen), span[0])
    alert.earliest_end = min(as_utc(alert.earliest_end or alert.last_seen), span[1])
    alert.updated_at = now


def detection_span(article: Article) -> tuple[datetime, datetime]:
    start, end = article_interval(article)
    return as_utc(start), as_utc(end)
