"""``raise_alerts``: the alert stage the pipeline calls once detections are stored."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from monitor.alerts.burst import check_bursts
from monitor.alerts.counting import recount
from monitor.alerts.dedup import DuplicateFinder
from monitor.alerts.escalation import assess
from monitor.alerts.ladder import pair_of
from monitor.alerts.merge import AlertChange, absorb, detection_span, find_alert, open_alert
from monitor.alerts.outbox import enqueue_changes
from monitor.config import Settings
from monitor.models import Alert, AlertDetection, Article, Detection, utcnow

log = logging.getLogger(__name__)


def raise_alerts_for_articles(
    session: Session, article_ids: Sequence[int], settings: Settings, now: datetime | None = None
) -> list[AlertChange]:
    """Raise alerts from every detection stored for these articles."""
    if not article_ids:
        return []
    dets = session.exec(
        select(Detection).where(col(Detection.article_id).in_(list(article_ids)))
    ).all()
    return raise_alerts(session, dets, settings, now)


def raise_alerts(
    session: Session,
    detections: Iterable[Detection],
    settings: Settings,
    now: datetime | None = None,
) -> list[AlertChange]:
    """Merge detections into event alerts, rank them, and queue their notifications.

    Idempotent: a detection already linked to an alert is skipped, so re-running a pass
    changes nothing.
    """
    now = now or utcnow()
    cfg = settings.alerts
    dets = [d for d in detections if d.id is not None]
    linked = set(
        session.exec(
            select(AlertDetection.detection_id).where(
                col(AlertDetection.detection_id).in_([d.id for d in dets])
            )
        )
    )
    dets = [d for d in dets if d.id not in linked]
    if not dets:
        return []
    articles = {
        a.id: a
        for a in session.exec(
            select(Article).where(col(Article.id).in_({d.article_id for d in dets}))
        )
    }
    dups = DuplicateFinder(session, cfg.duplicate_threshold)
    dups.fingerprint(articles.values())
    spans = {aid: detection_span(a) for aid, a in articles.items()}
    dets.sort(key=lambda d: (spans[d.article_id][0], d.article_id, d.evidence_start))
    created: dict[int, Alert] = {}
    touched: dict[int, list[Detection]] = defaultdict(list)
    for det in dets:
        span = spans[det.article_id]
        alert = find_alert(session, det, span, cfg)
        if alert is None:
            alert = open_alert(det, span, now)
            session.add(alert)
            session.flush()
            assert alert.id is not None
            created[alert.id] = alert
            assess(session, alert, cfg)
        else:
            absorb(alert, det, span, now)
            session.add(alert)
            assert alert.id is not None
            dups.check(det.article_id, alert.id)
        assert alert.id is not None and det.id is not None
        session.add(AlertDetection(alert_id=alert.id, detection_id=det.id))
        touched[alert.id].append(det)
    changes: list[AlertChange] = []
    for alert_id, alert_dets in touched.items():
        alert = session.get(Alert, alert_id)
        assert alert is not None
        before = alert.num_articles
        recount(session, alert)
        if alert_id not in created and alert.num_articles == before:
            continue  # only near-duplicate evidence: recorded, nothing new to say
        kind = "new" if alert_id in created else "merged"
        ids = tuple(d.id for d in alert_dets if d.id is not None)
        changes.append(
            AlertChange(alert_id, kind, ids, tuple(sorted({d.rule_id for d in alert_dets})))
        )
    bursts = {
        (d.signal, pair)
        for d in dets
        if (pair := pair_of(d.actor, d.target, d.place_countries)) is not None
    }
    changes.extend(check_bursts(session, bursts, cfg, now))
    enqueue_changes(session, changes, settings, now)
    for change in changes:
        log.info(
            "alert %s id=%s detections=%s", change.kind, change.alert_id, len(change.detection_ids)
        )
    return changes
