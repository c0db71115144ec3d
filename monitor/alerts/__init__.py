"""Alerts: detections merged into event alerts, ranked on the escalation ladder, reviewed.

The pipeline calls :func:`raise_alerts_for_articles` inside the transaction that stored
the detections, then :func:`deliver_due` after it commits.
"""

from monitor.alerts.deliver import DeliveryReport, deliver_due
from monitor.alerts.merge import AlertChange
from monitor.alerts.raising import raise_alerts, raise_alerts_for_articles

__all__ = [
    "AlertChange",
    "DeliveryReport",
    "deliver_due",
    "raise_alerts",
    "raise_alerts_for_articles",
]
