"""Alerts as plain JSON-ready records: one shape for the log, webhooks, exports and lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from monitor.alerts.ladder import CAMEO
from monitor.models import Alert

FIELDS = (
    "id",
    "signal",
    "event",
    "actor",
    "target",
    "subject",
    "place",
    "place_countries",
    "pair",
    "ladder_step",
    "weight",
    "severity",
    "tit_for_tat",
    "raised_reason",
    "status",
    "verdict",
    "num_articles",
    "num_sources",
    "event_date",
    "first_seen",
    "last_seen",
    "created_at",
    "updated_at",
    "status_changed_at",
    "status_by",
    "status_note",
    "key",
)


def _plain(value: object) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def alert_record(alert: Alert) -> dict[str, Any]:
    """Every field of an alert, datetimes as ISO 8601 UTC."""
    record = {name: _plain(getattr(alert, name)) for name in FIELDS}
    record["cameo"] = CAMEO.get(alert.event)
    return record
