"""Counting an alert's articles and sources (GDELT NumArticles / NumSources)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from monitor.models import Alert, AlertDetection, Article, ArticleFingerprint, Detection


def recount(session: Session, alert: Alert) -> None:
    """Articles and distinct sources behind an alert, near-duplicates counted once."""
    rows = session.exec(
        select(Article.id, Article.source_id, Article.published, ArticleFingerprint.duplicate_of)
        .join(Detection, col(Detection.article_id) == col(Article.id))
        .join(AlertDetection, col(AlertDetection.detection_id) == col(Detection.id))
        .join(
            ArticleFingerprint,
            col(ArticleFingerprint.article_id) == col(Article.id),
            isouter=True,
        )
        .where(AlertDetection.alert_id == alert.id)
        .order_by(col(Article.id))
    ).all()
    groups: dict[int, int] = {}  # canonical article -> source of its first copy seen here
    dates: list[str] = []
    for article_id, source_id, published, duplicate_of in rows:
        assert article_id is not None
        groups.setdefault(duplicate_of or article_id, source_id)
        if published:
            dates.append(published)
    alert.num_articles = len(groups)
    alert.num_sources = len(set(groups.values()))
    alert.event_date = min(dates) if dates else alert.event_date
    session.add(alert)
