"""Queries on sources and articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from monitor.models import Article, Source
from monitor.sources.draft import ArticleDraft


def ensure_source(session: Session, name: str, kind: str, location: str) -> Source:
    """The source row called ``name``, created (or its location updated) as needed."""
    source = session.exec(select(Source).where(Source.name == name)).first()
    if source is None:
        source = Source(name=name, kind=kind, location=location)
        session.add(source)
        session.flush()
    elif source.location != location or source.kind != kind:
        source.location, source.kind = location, kind
        session.add(source)
    return source


def known_identities(session: Session, source_id: int, identities: Sequence[str]) -> set[str]:
    """Which of ``identities`` are already stored for this source."""
    known: set[str] = set()
    for start in range(0, len(identities), 500):
        chunk = identities[start : start + 500]
        rows = session.exec(
            select(Article.identity).where(
                Article.source_id == source_id, col(Article.identity).in_(chunk)
            )
        )
        known.update(rows)
    return known


def add_articles(session: Session, source_id: int, drafts: Sequence[ArticleDraft]) -> list[Article]:
    """Store the drafts not yet known for this source; return the new rows (with ids)."""
    known = known_identities(session, source_id, [d.identity for d in drafts])
    new: list[Article] = []
    for draft in drafts:
        if draft.identity in known:
            continue
        known.add(draft.identity)  # the same text twice in one batch is stored once
        article = Article(
            source_id=source_id,
            identity=draft.identity,
            content_hash=draft.content_hash,
            external_id=draft.external_id,
            origin=draft.origin,
            url=draft.url,
            title=draft.title,
            text=draft.text,
            lang=draft.lang,
            published=draft.published,
            published_at=draft.published_at,
        )
        session.add(article)
        new.append(article)
    session.flush()
    return new


@dataclass(frozen=True)
class ArticleRow:
    """An article with the name of its source, for listings."""

    article: Article
    source: str


def list_articles(
    session: Session, *, limit: int = 50, source: str | None = None, lang: str | None = None
) -> list[ArticleRow]:
    """Newest ingested first."""
    query = select(Article, Source.name).join(Source, col(Source.id) == col(Article.source_id))
    if source:
        query = query.where(Source.name == source)
    if lang:
        query = query.where(Article.lang == lang)
    query = query.order_by(col(Article.ingested_at).desc(), col(Article.id).desc()).limit(limit)
    return [ArticleRow(article, name) for article, name in session.exec(query)]


def get_article(session: Session, article_id: int) -> ArticleRow | None:
    row = session.exec(
        select(Article, Source.name)
        .join(Source, col(Source.id) == col(Article.source_id))
        .where(Article.id == article_id)
    ).first()
    return ArticleRow(row[0], row[1]) if row else None


def count_articles(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Article)).one())


def count_by_source(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Source.name, func.count(col(Article.id)))
        .join(Article, col(Article.source_id) == col(Source.id), isouter=True)
        .group_by(Source.name)
    )
    return {name: int(n) for name, n in rows}


def delete_all(session: Session) -> None:
    """Remove every article and source (tests and `db reset` only)."""
    session.execute(sa.delete(Article))
    session.execute(sa.delete(Source))
