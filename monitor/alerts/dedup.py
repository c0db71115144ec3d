"""Near-duplicate articles (republished agency copy, updated versions) via MinHash LSH.

Each article that feeds an alert gets a MinHash of its word 3-shingles. When it joins an
alert, it is compared (LSH, then the estimated Jaccard similarity) with the articles
already behind that alert; at or above the threshold it is recorded as a duplicate of
their original, and alerts count it once. Comparing within the alert keeps the cost
proportional to the story, not to the whole archive.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlmodel import Session, col, select

from monitor.models import AlertDetection, Article, ArticleFingerprint, Detection

NUM_PERM = 128
SHINGLE_WORDS = 3
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


@functools.lru_cache(maxsize=8)
def _bands(threshold: float) -> tuple[int, int]:
    """LSH bands and rows for the threshold (datasketch integrates numerically: do it once)."""
    probe = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return int(probe.b), int(probe.r)


def _to_bytes(mh: MinHash) -> bytes:
    return bytes(mh.hashvalues.astype(np.uint64).tobytes())


class DuplicateFinder:
    """Fingerprints articles and finds their near-duplicates among an alert's articles."""

    def __init__(self, session: Session, threshold: float) -> None:
        self.session = session
        self.threshold = threshold
        self.prints: dict[int, ArticleFingerprint] = {}
        self.hashes: dict[int, MinHash] = {}
        self.indexes: dict[int, tuple[MinHashLSH, set[int]]] = {}

    def fingerprint(self, articles: Iterable[Article]) -> None:
        """Load or compute (and store) the fingerprints of these articles."""
        wanted = {a.id: a for a in articles if a.id is not None and a.id not in self.prints}
        for fp in self.session.exec(
            select(ArticleFingerprint).where(col(ArticleFingerprint.article_id).in_(list(wanted)))
        ):
            self.prints[fp.article_id] = fp
        for article_id, article in sorted(wanted.items()):
            if article_id not in self.prints:
                mh = minhash_of(article.text)
                fp = ArticleFingerprint(article_id=article_id, hashvalues=_to_bytes(mh))
                self.session.add(fp)
                self.prints[article_id], self.hashes[article_id] = fp, mh
        self.session.flush()

    def _hash(self, article_id: int) -> MinHash:
        if article_id not in self.hashes:
            self.hashes[article_id] = _from_bytes(self.prints[article_id].hashvalues)
        return self.hashes[article_id]

    def check(self, article_id: int, alert_id: int) -> int | None:
        """Record whether the article nearly duplicates one behind the alert; its original."""
        fp = self.prints[article_id]
        known = self.indexes.get(alert_id)
        lsh, members = known or (
            MinHashLSH(num_perm=NUM_PERM, params=_bands(self.threshold)),
            set(),
        )
        self.indexes[alert_id] = (lsh, members)
        # The alert's articles are read once per pass; later ones join as they are checked
        # (the caller links every checked article to the alert), so a big story costs one
        # query, not one per article.
        linked: set[int] = set()
        if known is None:
            linked = set(
                self.session.exec(
                    select(Detection.article_id)
                    .join(AlertDetection, col(AlertDetection.detection_id) == col(Detection.id))
                    .where(AlertDetection.alert_id == alert_id)
                )
            )
        fresh = linked - members - {article_id}
        if fresh:
            self.fingerprint(self.session.exec(select(Article).where(col(Article.id).in_(fresh))))
            for other in fresh:
                lsh.insert(str(other), self._hash(other))
                members.add(other)
        mine = self._hash(article_id)
        if fp.duplicate_of is not None:
            self._join(lsh, members, article_id, mine)
            return fp.duplicate_of
        close = [
            int(key)
            for key in lsh.query(mine)
            if self._hash(int(key)).jaccard(mine) >= self.threshold
        ]
        # an article already counted as the original of another one stays the original
        roots = {self.prints[c].duplicate_of or c for c in close} - {article_id}
        if roots:
            fp.duplicate_of = min(roots)
            self.session.add(fp)
        self._join(lsh, members, article_id, mine)
        return fp.duplicate_of

    @staticmethod
    def _join(lsh: MinHashLSH, members: set[int], article_id: int, mh: MinHash) -> None:
        if article_id not in members:
            lsh.insert(str(article_id), mh)
            members.add(article_id)
