"""Alert lifecycle: ``new`` -> ``acknowledged`` -> ``resolved``, or ``dismissed``.

``resolved`` and ``dismissed`` are final. Each change is recorded in ``alert_audit``
(who, when, why) and in the alert log. The verdict (true, false_alarm, duplicate) feeds
per-rule precision; resolving defaults it to ``true``, dismissing to ``false_alarm``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from monitor.alerts.outbox import enqueue_status
from monitor.errors import InputError
from monitor.models import Alert, AlertAudit, utcnow

STATUSES = ("new", "acknowledged", "resolved", "dismissed")
VERDICTS = ("true", "false_alarm", "duplicate")


@dataclass(frozen=True, slots=True)
class Action:
    """A review action: the status it leads to, from which statuses, its default verdict."""

    name: str
    to: str
    allowed_from: tuple[str, ...]
    default_verdict: str | None


ACTIONS = {
    "ack": Action("ack", "acknowledged", ("new",), None),
    "resolve": Action("resolve", "resolved", ("new", "acknowledged"), "true"),
    "dismiss": Action("dismiss", "dismissed", ("new", "acknowledged"), "false_alarm"),
}


class TransitionError(InputError):
    """One or more alerts cannot take the requested status change."""


def check_transition(alert: Alert, action: Action) -> str | None:
    """Why the action is refused for this alert, or None when it is allowed."""
    if alert.status in action.allowed_from:
        return None
    if alert.status == action.to:
        return f"is already {alert.status}"
    allowed = ", ".join(action.allowed_from)
    return f"is {alert.status}; cannot {action.name} it (only from: {allowed})"


def apply_action(
    session: Session,
    alert_ids: Sequence[int],
    action_name: str,
    *,
    by: str,
    note: str | None = None,
    verdict: str | None = None,
    now: datetime | None = None,
) -> list[Alert]:
    """Apply the action to every alert, or to none: all problems are reported together."""
    action = ACTIONS[action_name]
    if verdict is not None and verdict not in VERDICTS:
        raise InputError("--verdict", f"{verdict!r} is not one of {', '.join(VERDICTS)}")
    now = now or utcnow()
    problems: list[str] = []
    alerts: list[Alert] = []
    for alert_id in dict.fromkeys(alert_ids):
        alert = session.get(Alert, alert_id)
        if alert is None:
            problems.append(f"alert {alert_id}: no such alert")
            continue
        refused = check_transition(alert, action)
        if refused:
            problems.append(f"alert {alert_id}: {refused}")
        alerts.append(alert)
    if problems:
        raise TransitionError(action.name, "nothing changed:\n" + "\n".join(problems))
    for alert in alerts:
        audit = AlertAudit(
            alert_id=alert.id or 0,
            at=now,
            by=by,
            action=action.name,
            from_status=alert.status,
            to_status=action.to,
            verdict=verdict or action.default_verdict,
            note=note,
        )
        alert.status = action.to
        alert.verdict = audit.verdict or alert.verdict
        alert.status_changed_at, alert.status_by, alert.status_note = now, by, note
        alert.updated_at = now
        session.add(alert)
        session.add(audit)
        enqueue_status(session, alert, audit, now)
    session.flush()
    return alerts
