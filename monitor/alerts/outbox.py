"""The durable outbox: every alert change becomes one row per channel, delivered later.

Every change goes to the alert log. Webhook and e-mail rows are added only when the
change is neither silenced nor throttled (another notification for the same merge key
within ``throttle``); a suppressed change still reaches the log, marked ``suppressed``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from monitor.alerts.merge import AlertChange
from monitor.alerts.records import alert_record
from monitor.alerts.silences import list_silences, matching_silence
from monitor.config import Settings
from monitor.models import Alert, AlertAudit, Article, Detection, OutboxEntry, Silence

CHANNEL_LOG = "log"
CHANNEL_WEBHOOK = "webhook"
CHANNEL_EMAIL = "email"
MAX_EVIDENCE = 20


def notifier_channels(settings: Settings) -> list[str]:
    """The channels configured besides the log."""
    cfg = settings.alerts
    channels = []
    if cfg.webhook_url:
        channels.append(CHANNEL_WEBHOOK)
    if cfg.smtp_host and cfg.email_to:
        channels.append(CHANNEL_EMAIL)
    return channels


def suppression(
    session: Session,
    alert: Alert,
    change: AlertChange,
    settings: Settings,
    now: datetime,
    silences: Sequence[Silence],
) -> str | None:
    """Why this change is not notified (silence or throttle), or None."""
    silence = matching_silence(silences, alert, change.rule_ids, now)
    if silence is not None:
        return f"silenced by #{silence.id} until {silence.ends_at.isoformat()}"
    since = now - settings.alerts.throttle
    recent = session.exec(
        select(Alert)
        .where(Alert.key == alert.key, col(Alert.last_notified_at) >= since)
        .order_by(col(Alert.last_notified_at).desc())
    ).first()
    if recent is not None and recent.last_notified_at is not None:
        return f"throttled: #{recent.id} notified at {recent.last_notified_at.isoformat()}"
    return None


def evidence_of(session: Session, detection_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The evidence sentences of some detections, with their articles."""
    rows = session.exec(
        select(Detection, Article)
        .join(Article, col(Article.id) == col(Detection.article_id))
        .where(col(Detection.id).in_(list(detection_ids)[:MAX_EVIDENCE]))
        .order_by(col(Detection.id))
    )
    return [
        {
            "detection_id": det.id,
            "rule_id": det.rule_id,
            "modality": det.modality,
            "article_id": art.id,
            "title": art.title,
            "url": art.url,
            "date": art.published,
            "sentence": det.evidence_sentence,
        }
        for det, art in rows
    ]


def enqueue_changes(
    session: Session, changes: Sequence[AlertChange], settings: Settings, now: datetime
) -> None:
    """Queue each change for the log and, unless suppressed, for the notifiers."""
    channels = notifier_channels(settings)
    silences = list_silences(session, now=now) if changes else []
    for change in changes:
        alert = session.get(Alert, change.alert_id)
        assert alert is not None
        why = suppression(session, alert, change, settings, now, silences)
        doc = {
            "kind": change.kind,
            "at": now.isoformat(),
            "suppressed": why,
            "alert": alert_record(alert),
            "evidence": evidence_of(session, change.detection_ids),
        }
        targets = [CHANNEL_LOG] + ([] if why else channels)
        _add(session, alert, change.kind, doc, targets, now)
        if not why:
            alert.last_notified_at = now
            session.add(alert)
    session.flush()


def enqueue_status(session: Session, alert: Alert, audit: AlertAudit, now: datetime) -> None:
    """A status change goes to the alert log (the notifiers hear only of new evidence)."""
    doc = {
        "kind": "status",
        "at": now.isoformat(),
        "suppressed": None,
        "alert": alert_record(alert),
        "change": {
            "action": audit.action,
            "from": audit.from_status,
            "to": audit.to_status,
            "by": audit.by,
            "verdict": audit.verdict,
            "note": audit.note,
        },
    }
    _add(session, alert, "status", doc, [CHANNEL_LOG], now)


def _add(
    session: Session,
    alert: Alert,
    kind: str,
    doc: dict[str, Any],
    channels: list[str],
    now: datetime,
) -> None:
    assert alert.id is not None
    payload = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    for channel in channels:
        session.add(
            OutboxEntry(
                alert_id=alert.id,
                kind=kind,
                channel=channel,
                payload=payload,
                next_attempt_at=now,
                created_at=now,
            )
        )
