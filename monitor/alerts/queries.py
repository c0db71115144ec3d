"""Read queries for review: filtered alert lists, one alert's evidence, per-rule stats."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from monitor.errors import InputError
from monitor.models import (
    Alert,
    AlertAudit,
    AlertDetection,
    Article,
    ArticleFingerprint,
    Detection,
    OutboxEntry,
    Source,
)


@dataclass(frozen=True)
class AlertFilter:
    """What ``alerts list`` / ``export`` narrow by; None means any."""

    since: datetime | None = None
    until: datetime | None = None
    signal: str | None = None
    event: str | None = None
    country: str | None = None
    status: str | None = None
    min_severity: float | None = None
    limit: int | None = None


def list_alerts(session: Session, flt: AlertFilter) -> list[Alert]:
    """Alerts whose event interval meets [since, until], newest event first."""
    query = select(Alert)
    if flt.since is not None:
        query = query.where(col(Alert.last_seen) >= flt.since)
    if flt.until is not None:
        query = query.where(col(Alert.first_seen) <= flt.until)
    for name in ("signal", "event", "status"):
        value = getattr(flt, name)
        if value is not None:
            query = query.where(getattr(Alert, name) == value)
    if flt.country is not None:
        code = flt.country.upper()
        query = query.where(
            sa.or_(
                col(Alert.actor) == code,
                col(Alert.target) == code,
                col(Alert.subject) == code,
                col(Alert.place_countries).contains(code),
            )
        )
    if flt.min_severity is not None:
        query = query.where(col(Alert.severity) >= flt.min_severity)
    query = query.order_by(col(Alert.last_seen).desc(), col(Alert.id).desc())
    if flt.limit is not None:
        query = query.limit(flt.limit)
    return list(session.exec(query))


@dataclass(frozen=True)
class Evidence:
    """One detection behind an alert, with its article and source."""

    detection: Detection
    article: Article
    source: str
    duplicate_of: int | None


@dataclass(frozen=True)
class AlertDetail:
    """An alert, every piece of its evidence, and its review history."""

    alert: Alert
    evidence: list[Evidence] = field(default_factory=list)
    history: list[AlertAudit] = field(default_factory=list)
    notifications: list[OutboxEntry] = field(default_factory=list)


def get_alert_detail(session: Session, alert_id: int) -> AlertDetail:
    """One alert with its evidence; an unknown id is an InputError."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise InputError(f"alert {alert_id}", "no such alert")
    rows = session.exec(
        select(Detection, Article, Source.name, ArticleFingerprint.duplicate_of)
        .join(AlertDetection, col(AlertDetection.detection_id) == col(Detection.id))
        .join(Article, col(Article.id) == col(Detection.article_id))
        .join(Source, col(Source.id) == col(Article.source_id))
        .join(
            ArticleFingerprint,
            col(ArticleFingerprint.article_id) == col(Article.id),
            isouter=True,
        )
        .where(AlertDetection.alert_id == alert_id)
        .order_by(col(Article.published_at), col(Article.id), col(Detection.evidence_start))
    )
    evidence = [Evidence(d, a, s, dup) for d, a, s, dup in rows]
    history = session.exec(
        select(AlertAudit).where(AlertAudit.alert_id == alert_id).order_by(col(AlertAudit.id))
    )
    outbox = session.exec(
        select(OutboxEntry).where(OutboxEntry.alert_id == alert_id).order_by(col(OutboxEntry.id))
    )
    return AlertDetail(alert, evidence, list(history), list(outbox))


@dataclass(frozen=True)
class RuleStats:
    """How one rule fared with the analysts."""

    rule_id: str
    detections: int
    alerts: int
    confirmed: int
    dismissed: int
    duplicates: int

    @property
    def precision(self) -> float | None:
        """Confirmed / (confirmed + false alarms); None before any verdict."""
        judged = self.confirmed + self.dismissed
        return self.confirmed / judged if judged else None


def rule_stats(session: Session) -> list[RuleStats]:
    """Per rule: detections, alerts it fed, and the verdicts on those alerts."""
    counts = dict(
        session.exec(select(Detection.rule_id, func.count()).group_by(Detection.rule_id)).all()
    )
    verdicts: dict[str, dict[int, str | None]] = defaultdict(dict)
    rows = session.exec(
        select(Detection.rule_id, Alert.id, Alert.verdict)
        .join(AlertDetection, col(AlertDetection.detection_id) == col(Detection.id))
        .join(Alert, col(Alert.id) == col(AlertDetection.alert_id))
    )
    for rule_id, alert_id, verdict in rows:
        verdicts[rule_id][alert_id or 0] = verdict
    out = []
    for rule_id in sorted(counts):
        seen = list(verdicts[rule_id].values())
        out.append(
            RuleStats(
                rule_id,
                int(counts[rule_id]),
                len(seen),
                seen.count("true"),
                seen.count("false_alarm"),
                seen.count("duplicate"),
            )
        )
    return out
