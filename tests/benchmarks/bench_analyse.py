"""Benchmark: analysis speed on real Polish feed items (plus the dev passages when present).

Run: .venv/bin/python tests/benchmarks/bench_analyse.py [--shared DIR] [--rules DIR]

Prints, from one run: articles/s and MB/s with cold caches and warm; bare tokenisation of the
same text as the baseline and the ratio to it; the same with the rule set inflated 10x by
generated rules; rule compile time; peak memory (max RSS). Single-threaded: one core.
Times are CPU time of this process (time.process_time), so other load on the machine does
not distort them; each figure is the best of three runs.
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
from monitor.text.tokens import WORD, split_sentences  # noqa: E402

Article = tuple[str, str | None]
RUNS = 3
COMMON = 3_000


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


def clear_caches(engine: Engine) -> None:
    """Empty every per-form cache: the next run is cold."""
    engine.clear_caches()
    morph._lemmas.cache_clear()
    for cls in (morph.PolishMorphology, morph.SlavicMorphology, morph.EnglishMorphology):
        cls.readings.cache_clear()  # type: ignore[attr-defined]


def inflate(book: RuleBook, factor: int, vocabulary: list[str], seed: int = 7) -> RuleBook:
    """The rule book with (factor - 1) generated rules per rule, as a bigger book would be.

    A generated rule is a variant of a real one (same groups, window, roles, examples) in
    which one group, in turn, is replaced by as many real words of the corpus: more rules on
    the same subjects, each with new terms, growing the index and the hot set.
    """
    rng = random.Random(seed)
    rules: list[LoadedRule] = list(book.rules)
    for copy in range(1, factor):
        for loaded in book.rules:
            match = loaded.rule.match
            names = [name for kind in ("all", "any") for name in getattr(match, kind)]
            replaced = names[copy % len(names)]
            groups = {
                kind: {
                    name: tuple(rng.sample(vocabulary, len(terms))) if name == replaced else terms
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


def vocabulary_of(articles: list[Article], size: int = 5000) -> list[str]:
    """Topic words of the corpus: below its 3,000 commonest, which no rule requires."""
    counts = Counter(
        w.lower() for text, _ in articles for w in WORD.findall(text) if len(w) >= 5 and w.isalpha()
    )
    ranked = [w for w, _ in counts.most_common(COMMON + size)]
    return ranked[COMMON:]


def best_of(
    runs: int, engine: Engine, articles: list[Article], *, cold: bool
) -> tuple[float, int, int]:
    """The fastest of a few runs (the machine is shared); caches emptied first when cold."""
    results = []
    for _ in range(runs):
        if cold:
            clear_caches(engine)
        results.append(timed_run(engine, articles))
    return min(results)


def timed_run(engine: Engine, articles: list[Article]) -> tuple[float, int, int]:
    """``(CPU seconds, detections, sentences looked at closely)`` of one pass."""
    gc.collect()
    started = time.process_time()
    detections = viewed = 0
    for text, lang in articles:
        result = engine.analyse(text, lang)
        detections += len(result.findings)
        viewed += result.sentences_viewed
    return time.process_time() - started, detections, viewed


def sentences(articles: list[Article]) -> int:
    return sum(len(split_sentences(text)) for text, _ in articles)


def bare_tokenise(articles: list[Article]) -> float:
    started = time.process_time()
    for text, _ in articles:
        WORD.findall(text.lower())
    return time.process_time() - started


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
    started = time.process_time()
    engine = Engine(book)
    for lang in sorted(book.languages()):
        engine.index(lang)
    print(f"rules: {len(book.rules)}, compiled in {time.process_time() - started:.2f} s")

    def report(label: str, seconds: float) -> None:
        print(
            f"{label:<28} {seconds:7.3f} s  {len(articles) / seconds:9.0f} articles/s  "
            f"{megabytes / seconds:6.2f} MB/s"
        )

    bare = min(bare_tokenise(articles) for _ in range(3))
    report("bare tokenisation", bare)
    cold, found, viewed = best_of(RUNS, engine, articles, cold=True)
    report("analysis, cold caches", cold)
    warm, _, _ = best_of(RUNS, engine, articles, cold=False)
    report("analysis, warm caches", warm)
    print(f"ratio cold / bare tokenisation: {cold / bare:.1f}x  (warm: {warm / bare:.1f}x)")
    print(f"detections: {found}; sentences looked at closely: {viewed} of {sentences(articles)}")

    big_book = inflate(book, args.factor, vocabulary_of(articles))
    started = time.process_time()
    big = Engine(big_book)
    for lang in sorted(big_book.languages()):
        big.index(lang)
    compiled_s = time.process_time() - started
    print(f"rules x{args.factor}: {len(big_book.rules)}, compiled in {compiled_s:.2f} s")
    big_cold, big_found, big_viewed = best_of(RUNS, big, articles, cold=True)
    report(f"analysis x{args.factor} rules, cold", big_cold)
    big_warm, _, _ = best_of(RUNS, big, articles, cold=False)
    print(f"detections x{args.factor}: {big_found}; sentences looked at closely: {big_viewed}")
    report(f"analysis x{args.factor} rules, warm", big_warm)
    cost_cold, cost_warm = big_cold / cold, big_warm / warm
    print(f"x{args.factor} rules cost: {cost_cold:.2f}x the time (cold), {cost_warm:.2f}x (warm)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
