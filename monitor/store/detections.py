"""Queries on detections: storing an article's findings, listing them."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlmodel import Session, col, select

from monitor.models import Article, Detection, utcnow
from monitor.rulebook.engine import Finding


def store_findings(
    session: Session, article: Article, lang: str, findings: Sequence[Finding]
) -> list[Detection]:
    """Record an article's analysis: its language, when, and one row per finding."""
    assert article.id is not None
    article.lang = lang
    article.analysed_at = utcnow()
    session.add(article)
    rows = []
    seen: set[tuple[str, int]] = set()
    for f in findings:
        if (f.rule_id, f.start) in seen:  # the unique key: one row per rule and sentence
            continue
        seen.add((f.rule_id, f.start))
        row = Detection(
            article_id=article.id,
            rule_id=f.rule_id,
            rule_version=f.rule_version,
            signal=f.signal,
            event=f.event,
            modality=f.modality,
            lang=f.lang,
            actor=f.actor,
            target=f.target,
            subject=f.subject,
            place=f.place,
            place_countries=f.place_countries,
            severity=f.severity,
            evidence_sentence=f.sentence,
            evidence_start=f.start,
            evidence_end=f.end,
            matched=json.dumps(
                [
                    {
                        "group": m.group,
                        "term": m.term,
                        "text": m.text,
                        "start": m.start,
                        "end": m.end,
                    }
                    for m in f.matched
                ],
                ensure_ascii=False,
            ),
        )
        session.add(row)
        rows.append(row)
    return rows  # flushed with the batch (one round trip for all, not one per article)


def list_detections(session: Session, article_id: int | None = None) -> list[Detection]:
    query = select(Detection)
    if article_id is not None:
        query = query.where(Detection.article_id == article_id)
    return list(session.exec(query.order_by(col(Detection.id))))
