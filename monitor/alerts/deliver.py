"""Deliver due outbox rows: the alert log, then the webhook, then e-mail.

Each row is tried once a pass. A failure is logged, counted on the row and retried after
an exponential backoff (``retry_base`` doubling up to ``retry_max``); the first failure
on a channel stops that channel for the pass, so a dead endpoint costs one timeout, not
one per alert. Delivery is at least once: a line may repeat in the log after a crash
between writing and marking it, and each carries its outbox ``id`` to tell.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlmodel import col, func, select

from monitor.alerts.alertlog import AlertLogError, append_lines
from monitor.alerts.mail import send_email
from monitor.alerts.outbox import CHANNEL_EMAIL, CHANNEL_LOG, CHANNEL_WEBHOOK
from monitor.alerts.webhook import NotifyError, post_webhook
from monitor.config import AlertSettings, Settings
from monitor.models import OutboxEntry, utcnow
from monitor.store import Store

log = logging.getLogger(__name__)
BATCH = 500


@dataclass
class DeliveryReport:
    """What one pass delivered, what failed (and why), what is still queued."""

    sent: int = 0
    failed: int = 0
    pending: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(cfg: AlertSettings, attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: base, 2*base, 4*base, ... up to the max."""
    delay: timedelta = cfg.retry_base * (2 ** max(0, attempts - 1))
    return min(cfg.retry_max, delay)


def deliver_due(
    store: Store,
    settings: Settings,
    now: datetime | None = None,
    transport: httpx.BaseTransport | None = None,
) -> DeliveryReport:
    """Try every due outbox row once; never raises for a failing channel."""
    now = now or utcnow()
    cfg = settings.alerts
    senders: dict[str, Callable[[str], None]] = {CHANNEL_LOG: lambda _p: None}
    if cfg.webhook_url:
        senders[CHANNEL_WEBHOOK] = lambda p: post_webhook(cfg, p, transport)
    if cfg.smtp_host and cfg.email_to:
        senders[CHANNEL_EMAIL] = lambda p: send_email(cfg, p)
    report = DeliveryReport()
    failed: set[str] = set()
    while True:
        # rows of channels no longer configured wait until they are configured again
        channels = [c for c in senders if c not in failed]
        with store.session() as session:
            due = session.exec(
                select(OutboxEntry)
                .where(
                    OutboxEntry.status == "pending",
                    col(OutboxEntry.next_attempt_at) <= now,
                    col(OutboxEntry.channel).in_(channels),
                )
                .order_by(col(OutboxEntry.id))
                .limit(BATCH)
            ).all()
        if not due:
            break
        _deliver_batch(store, settings, senders, due, now, report, failed)
        if len(due) < BATCH:
            break
    return report


def _deliver_batch(
    store: Store,
    settings: Settings,
    senders: dict[str, Callable[[str], None]],
    due: Sequence[OutboxEntry],
    now: datetime,
    report: DeliveryReport,
    failed: set[str],
) -> None:
    cfg = settings.alerts
    outcome: dict[int, str | None] = {}  # id -> None when sent, else the error
    logs = [e for e in due if e.channel == CHANNEL_LOG]
    if logs:
        lines = [
            json.dumps({"id": e.id, **json.loads(e.payload)}, ensure_ascii=False) for e in logs
        ]
        try:
            append_lines(settings.alert_log_path, lines, cfg.log_max_bytes, cfg.log_backups)
            outcome.update({e.id or 0: None for e in logs})
        except AlertLogError as exc:
            outcome.update({e.id or 0: str(exc) for e in logs})
            failed.add(CHANNEL_LOG)
    deferred: list[int] = []  # not tried: the channel failed earlier in this pass
    for channel, send in senders.items():
        entries = [e for e in due if e.channel == channel and channel != CHANNEL_LOG]
        for index, entry in enumerate(entries):
            try:
                send(entry.payload)
                outcome[entry.id or 0] = None
            except NotifyError as exc:
                outcome[entry.id or 0] = str(exc)
                deferred += [e.id or 0 for e in entries[index + 1 :]]
                failed.add(channel)
                break
    _record(store, cfg, outcome, now, report)
    _defer(store, cfg, deferred, now)


def _defer(store: Store, cfg: AlertSettings, entry_ids: list[int], now: datetime) -> None:
    """Rows of a failing channel wait with it, keeping their order and attempt count."""
    if not entry_ids:
        return
    with store.session() as session:
        for entry_id in entry_ids:
            entry = session.get(OutboxEntry, entry_id)
            assert entry is not None
            entry.next_attempt_at = now + backoff(cfg, entry.attempts + 1)
            session.add(entry)


def _record(
    store: Store,
    cfg: AlertSettings,
    outcome: dict[int, str | None],
    now: datetime,
    report: DeliveryReport,
) -> None:
    with store.session() as session:
        for entry_id, error in outcome.items():
            entry = session.get(OutboxEntry, entry_id)
            assert entry is not None
            entry.attempts += 1
            if error is None:
                entry.status, entry.sent_at, entry.last_error = "sent", now, None
                report.sent += 1
            else:
                entry.last_error = error
                entry.next_attempt_at = now + backoff(cfg, entry.attempts)
                report.failed += 1
                if error not in report.errors:
                    report.errors.append(error)
                    log.warning(
                        "notify failed channel=%s attempts=%s retry_at=%s error=%s",
                        entry.channel,
                        entry.attempts,
                        entry.next_attempt_at.isoformat(),
                        error,
                    )
            session.add(entry)
        report.pending = int(
            session.exec(
                select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status == "pending")
            ).one()
        )
