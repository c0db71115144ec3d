"""Sources: turn files (and later feeds) into article drafts."""

from monitor.sources.draft import ArticleDraft, Rejection

__all__ = ["ArticleDraft", "Rejection"]
