"""Escalation per pair of states: ladder moves, tit-for-tat, and the pair's score over time."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from monitor.alerts.ladder import MIRRORED_EVENTS, severity_of
from monitor.alerts.timing import as_utc, gap
from monitor.config import AlertSettings
from monitor.models import Alert


def _span(alert: Alert) -> tuple[datetime, datetime]:
    return as_utc(alert.first_seen), as_utc(alert.last_seen)


def assess(session: Session, alert: Alert, cfg: AlertSettings) -> list[str]:
    """Raise a new alert's severity when it moves its pair up the ladder or mirrors an event.

    Earlier alerts are those recorded before it (lower id) whose interval does not start
    after it; the ladder looks back ``ladder_window``, a mirror ``mirror_window``.
    """
    reasons: list[str] = []
    if alert.pair and alert.ladder_step is not None:
        earlier = [
            a
            for a in session.exec(
                select(Alert).where(
                    Alert.pair == alert.pair,
                    col(Alert.ladder_step).is_not(None),
                    col(Alert.id) < (alert.id or 0),
                    col(Alert.status) != "dismissed",
                    col(Alert.first_seen) <= alert.last_seen,
                    col(Alert.last_seen) >= as_utc(alert.first_seen) - cfg.ladder_window,
                )
            )
            if as_utc(a.first_seen) <= as_utc(alert.last_seen)
            and gap(_span(a), _span(alert)) <= cfg.ladder_window
        ]
        top = max((a.ladder_step or 0 for a in earlier), default=None)
        if top is not None and alert.ladder_step > top:
            reasons.append(
                f"moves {alert.pair} up the ladder from step {top} to {alert.ladder_step}"
            )
    if alert.event in MIRRORED_EVENTS and alert.actor and alert.target:
        mirror = session.exec(
            select(Alert)
            .where(
                Alert.event == alert.event,
                Alert.actor == alert.target,
                Alert.target == alert.actor,
                col(Alert.id) < (alert.id or 0),
                col(Alert.status) != "dismissed",
                col(Alert.first_seen) <= as_utc(alert.last_seen) + cfg.mirror_window,
                col(Alert.last_seen) >= as_utc(alert.first_seen) - cfg.mirror_window,
            )
            .order_by(col(Alert.id).desc())
        ).all()
        answered = [a for a in mirror if gap(_span(a), _span(alert)) <= cfg.mirror_window]
        if answered:
            first = answered[0]
            alert.tit_for_tat = True
            reasons.append(
                f"tit-for-tat: answers {first.event} #{first.id} ({first.actor} -> {first.target})"
            )
    if reasons:
        alert.raised_reason = "; ".join(reasons)
        alert.severity = severity_of(alert.weight, len(reasons))
    return reasons


def pair_scores(alerts: list[Alert], end: datetime, weeks: int) -> dict[str, list[float]]:
    """Per pair, the escalation score of each of the last ``weeks`` weeks up to ``end``.

    A week's score is the sum of the weight magnitudes of the pair's alerts that started in
    it (GDELT's Goldstein sum, sign flipped so that higher means more hostile).
    """
    start = end - timedelta(weeks=weeks)
    series: dict[str, list[float]] = defaultdict(lambda: [0.0] * weeks)
    for alert in alerts:
        if not alert.pair or alert.status == "dismissed":
            continue
        seen = as_utc(alert.first_seen)
        if not start <= seen <= end:
            continue
        index = min(weeks - 1, int((seen - start) / timedelta(weeks=1)))
        series[alert.pair][index] += abs(alert.weight)
    return dict(series)
