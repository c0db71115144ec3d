"""Benchmark: analysis speed on real Polish feed items (plus the dev passages when present).

Run: .venv/bin/python tests/benchmarks/bench_analyse.py [--shared DIR] [--rules DIR]

Prints, from one run: articles/s and MB/s with cold caches and warm; bare tokenisation of the
same text as the baseline and the ratio to it; the same with the rule set inflated 10x by
generated rules; rule compile time; peak memory (max RSS). Single-threaded: one core.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import feedparser

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from monitor.config import bundled_seeds_dir  # noqa: E402
from monitor.rulebook import Engine, RuleBook, load_rulebook  # noqa: E402
from monitor.rulebook.loader import LoadedRule  # noqa: E402
from monitor.sources.draft import ArticleDraft  # noqa: E402
from monitor.sources.files import read_path  # noqa: E402
from monitor.text import morph  # noqa: E402
from monitor.text.tokens import WORD  # noqa: E402

Article = tuple[str, str | None]


def load_articles(shared: Path) -> tuple[list[Article], str]:
    """Polish feed items (title + summary) and the dev passages; the seeds when absent."""
    articles: list[Article] = []
    for path in sorted((shared / "feeds").glob("pl_*.xml")):
        feed = feedparser.parse(path.read_bytes())
        lang = (feed.feed.get("language") or "pl")[:2]
        for entry in feed.entries:
            text = f"{entry.get('title', '')}\n{entry.get('summary', '')}".strip()
            if text:
                articles.append((text, lang))
    dev = shared / "dev" / "articles.jsonl"
    if dev.exists():
        for line in dev.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            articles.append((f"{record.get('title', '')}\n{record['text']}", record.get("lang")))
    if articles:
        return articles, f"{shared}/feeds/pl_*.xml + dev passages"
    drafts = [d for d in read_path(str(bundled_seeds_dir())) if isinstance(d, ArticleDraft)]
    return [(d.text, "pl") for d in drafts], "bundled seeds"


def clear_caches() -> None:
    """Empty every per-form cache: the next run is cold."""
    morph._lemmas.cache_clear()
    for cls in (morph.PolishMorphology, morph.SlavicMorphology, morph.EnglishMorphology):
        cls.readings.cache_clear()  # type: ignore[attr-defined]


def inflate(book: RuleBook, factor: int, vocabulary: list[str], seed: int = 7) -> RuleBook:
    """The rule book with (factor - 1) generated variants of every rule.

    Each variant keeps the rule's groups and adds three real words from the corpus to every
    group, so the index, the hot set and the candidate rules all grow as in a bigger book.
    """
    rng = random.Random(seed)
    rules: list[LoadedRule] = list(book.rules)
    for copy in range(1, factor):
        for loaded in book.rules:
            match = loaded.rule.match
            groups = {
                kind: {
                    name: (*terms, *rng.sample(vocabulary, 3))
                    for name, terms in getattr(match, kind).items()
                }
                for kind in ("all", "any", "none")
            }
            rule = loaded.rule.model_copy(
                update={
                    "id": f"{loaded.rule.id}-gen{copy}",
                    "match": match.model_copy(update=groups),
                }
            )
            rules.append(dataclasses.replace(loaded, rule=rule))
    return dataclasses.replace(book, rules=tuple(rules))


def vocabulary_of(articles: list[Article], size: int = 2000) -> list[str]:
    """Mid-frequency words of the corpus (not the 300 commonest): realistic extra terms."""
    counts = Counter(
        w.lower() for text, _ in articles for w in WORD.findall(text) if len(w) >= 5 and w.isalpha()
    )
    ranked = [w for w, _ in counts.most_common(300 + size)]
    return ranked[300:]


def timed_run(engine: Engine, articles: list[Article]) -> tuple[float, int]:
    gc.collect()
    started = time.perf_counter()
    detections = 0
    for text, lang in articles:
        detections += len(engine.analyse(text, lang).findings)
    return time.perf_counter() - started, detections


def bare_tokenise(articles: list[Article]) -> float:
    started = time.perf_counter()
    for text, _ in articles:
        WORD.findall(text.lower())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(os.environ.get("MONITOR_SHARED_DIR", REPO.parent / "shared"))
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--rules", type=Path, default=REPO / "rules")
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()

    articles, origin = load_articles(args.shared)
    megabytes = sum(len(t.encode("utf-8")) for t, _ in articles) / 1e6
    print(f"corpus: {len(articles)} articles, {megabytes:.2f} MB ({origin})")

    book = load_rulebook(args.rules)
    started = time.perf_counter()
    engine = Engine(book)
    for lang in sorted(book.languages()):
        engine.index(lang)
    print(f"rules: {len(book.rules)}, compiled in {time.perf_counter() - started:.2f} s")

    def report(label: str, seconds: float) -> None:
        print(
            f"{label:<28} {seconds:7.3f} s  {len(articles) / seconds:9.0f} articles/s  "
            f"{megabytes / seconds:6.2f} MB/s"
        )

    bare = min(bare_tokenise(articles) for _ in range(3))
    report("bare tokenisation", bare)
    clear_caches()
    cold, found = timed_run(engine, articles)
    report("analysis, cold caches", cold)
    warm, _ = timed_run(engine, articles)
    report("analysis, warm caches", warm)
    print(f"ratio cold / bare tokenisation: {cold / bare:.1f}x  (warm: {warm / bare:.1f}x)")
    print(f"detections: {found}")

    big_book = inflate(book, args.factor, vocabulary_of(articles))
    started = time.perf_counter()
    big = Engine(big_book)
    for lang in sorted(big_book.languages()):
        big.index(lang)
    compiled_s = time.perf_counter() - started
    print(f"rules x{args.factor}: {len(big_book.rules)}, compiled in {compiled_s:.2f} s")
    clear_caches()
    big_cold, _ = timed_run(big, articles)
    report(f"analysis x{args.factor} rules, cold", big_cold)
    big_warm, _ = timed_run(big, articles)
    report(f"analysis x{args.factor} rules, warm", big_warm)
    cost_cold, cost_warm = big_cold / cold, big_warm / warm
    print(f"x{args.factor} rules cost: {cost_cold:.2f}x the time (cold), {cost_warm:.2f}x (warm)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
