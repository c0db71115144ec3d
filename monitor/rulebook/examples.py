"""Run every rule's examples: hits must hit (with the roles given), misses must not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from monitor.rulebook.engine import Engine
from monitor.rulebook.loader import LoadedRule


@dataclass(frozen=True)
class ExampleFailure:
    """An example that did not behave; ``why`` says what the engine saw."""

    rule: LoadedRule
    lang: str
    kind: str
    text: str
    line: int
    why: str

    def __str__(self) -> str:
        return (
            f"{self.rule.path}:{self.line}: rule {self.rule.rule.id}: {self.lang} {self.kind} "
            f"example failed: {self.text!r}\n    {self.why}"
        )


def run_examples(engine: Engine) -> tuple[int, list[ExampleFailure]]:
    """``(examples run, failures)`` over every rule of the engine's rule book."""
    total = 0
    failures: list[ExampleFailure] = []
    for loaded in engine.book.rules:
        for lang, examples in loaded.rule.examples.items():
            for kind, items in (("hit", examples.hit), ("miss", examples.miss)):
                for number, example in enumerate(items):
                    total += 1
                    line = loaded.example_lines.get((lang, kind, number), loaded.line)
                    roles = {str(k): v for k, v in example.roles.items()}
                    why = check_example(engine, loaded, lang, kind, example.text, roles)
                    if why:
                        failures.append(ExampleFailure(loaded, lang, kind, example.text, line, why))
    return total, failures


def check_example(
    engine: Engine, loaded: LoadedRule, lang: str, kind: str, text: str, roles: Mapping[str, str]
) -> str | None:
    """None when the example behaves, else why not."""
    rule_id = loaded.rule.id
    result = engine.analyse(text, lang, explain=True, detect=False)
    hits = [h for h in result.hits if h.rule.loaded.rule.id == rule_id]
    counted = [h for h in hits if h.counted]
    if kind == "miss":
        if not counted:
            return None
        hit = counted[0]
        terms = ", ".join(f"{m.group}={m.text!r}" for m in hit.matched)
        return f"hit ({hit.modality}: {hit.why}) on {terms}"
    if not counted:
        if hits:
            return f"matched but {hits[0].modality} ({hits[0].why}) does not count"
        misses = [m.why for m in result.misses if m.rule.loaded.rule.id == rule_id]
        return "missed: " + (misses[0] if misses else "no trigger term of the rule in the text")
    hit = counted[0]
    fast = engine.analyse(text, lang, detect=False)  # the path ingest takes, with the pre-check
    if not any(f.event == loaded.rule.event for f in fast.findings):
        return "hits when explained but the pre-check skipped the sentence (engine bug)"
    wrong = []
    for role, expected in roles.items():
        got = hit.roles.get(role)
        value = got.value if got else None
        if value != expected:
            how = got.how if got else "no strategy found one"
            wrong.append(f"{role} is {value} ({how}), want {expected}")
    return "; ".join(wrong) or None
