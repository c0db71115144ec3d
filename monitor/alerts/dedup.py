"""Near-duplicate articles (republished agency copy, updated versions) via MinHash LSH.

Each article that feeds an alert gets a MinHash of its word 3-shingles. A new article whose
estimated Jaccard similarity with a recent one reaches the threshold is recorded as a
duplicate of that one's original, and alerts count it once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlmodel import Session, col, select

from monitor.models import Article, ArticleFingerprint

NUM_PERM = 128
SHINGLE_WORDS = 3
LOOKBACK = timedelta(days=30)
MAX_CANDIDATES = 20_000
_WORD = re.compile(r"\w+")


def minhash_of(text: str) -> MinHash:
    """MinHash of the text's casefolded word 3-shingles."""
    words = _WORD.findall(text.casefold())
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words))}
    mh = MinHash(num_perm=NUM_PERM)
    mh.update_batch([s.encode("utf-8") for s in shingles or {""}])
    return mh


def _from_bytes(data: bytes) -> MinHash:
    # Set the values on a default MinHash: same seed and scheme as minhash_of (datasketch 2
    # refuses hashvalues= without naming a scheme, datasketch 1 knows no scheme).
    mh = MinHash(num_perm=NUM_PERM)
    mh.hashvalues = np.frombuffer(data, dtype=np.uint64).astype(mh.hashvalues.dtype)
    return mh


def fingerprint_articles(
    session: Session, articles: Iterable[Article], threshold: float, now: datetime
) -> dict[int, int]:
    """Fingerprint the articles not yet seen; return ``{article_id: canonical article_id}``."""
    wanted = {a.id: a for a in articles if a.id is not None}
    known = {
        fp.article_id: fp
        for fp in session.exec(
            select(ArticleFingerprint).where(col(ArticleFingerprint.article_id).in_(list(wanted)))
        )
    }
    canonical = {aid: fp.duplicate_of or aid for aid, fp in known.items()}
    fresh = [a for aid, a in sorted(wanted.items()) if aid not in known]
    if not fresh:
        return canonical
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    roots: dict[int, int] = {}
    recent = session.exec(
        select(ArticleFingerprint)
        .join(Article, col(Article.id) == col(ArticleFingerprint.article_id))
        .where(col(Article.ingested_at) >= now - LOOKBACK)
        .order_by(col(Article.id).desc())
        .limit(MAX_CANDIDATES)
    )
    hashes: dict[int, MinHash] = {}
    for fp in recent:
        hashes[fp.article_id] = _from_bytes(fp.hashvalues)
        lsh.insert(str(fp.article_id), hashes[fp.article_id])
        roots[fp.article_id] = fp.duplicate_of or fp.article_id
    for article in fresh:
        assert article.id is not None
        mh = minhash_of(article.text)
        matches = [int(k) for k in lsh.query(mh)]
        close = [m for m in matches if hashes[m].jaccard(mh) >= threshold]
        root = min(roots[m] for m in close) if close else None
        session.add(
            ArticleFingerprint(
                article_id=article.id,
                hashvalues=mh.hashvalues.astype(np.uint64).tobytes(),
                duplicate_of=root,
            )
        )
        canonical[article.id] = root or article.id
        hashes[article.id] = mh
        roots[article.id] = root or article.id
        lsh.insert(str(article.id), mh)
    session.flush()
    return canonical
