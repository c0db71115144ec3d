"""Rule-file loading: every problem reported with its file and line; bad files never stop others."""

from __future__ import annotations

from pathlib import Path

from monitor.rulebook import Engine, check_rulebook, load_rulebook
from monitor.rulebook.examples import run_examples
from tests.conftest import REPO

GOOD_RULE = """\
rules:
  - id: pl-test-summons
    title: A test rule
    signal: ambassador_dispute
    event: summons
    severity: -2.0
    languages: [pl]
    match:
      all:
        act: [wezwać]
        envoy: [ambasador]
    roles:
      target: [attached envoy]
    examples:
      pl:
        hit: [MSZ wezwał ambasadora Rosji., Ambasador Niemiec został wezwany.]
        miss: [Ambasador przyjechał., MSZ nie wezwał ambasadora.]
"""


def make_rules(tmp_path: Path, files: dict[str, str]) -> Path:
    """A rules folder with the real gazetteer and cue files plus the given rule files."""
    root = tmp_path / "rules"
    for sub in ("gazetteer", "lang"):
        (root / sub).mkdir(parents=True)
        for src in (REPO / "rules" / sub).glob("*.yaml"):
            (root / sub / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def messages(root: Path, level: str = "error") -> list[str]:
    book = load_rulebook(root)
    return [str(p) for p in check_rulebook(book) if p.level == level]


def test_the_shipped_rules_load_without_errors_or_warnings() -> None:
    """Also: every rule has >= 2 hit and >= 2 miss examples in each language it declares."""
    book = load_rulebook(REPO / "rules")
    assert {lang for loaded in book.rules for lang in loaded.rule.languages} == {
        "pl",
        "en",
        "ru",
        "uk",
    }
    assert [str(p) for p in check_rulebook(book)] == []


def test_a_good_file_loads(tmp_path: Path) -> None:
    root = make_rules(tmp_path, {"pl/a.yaml": GOOD_RULE})
    book = load_rulebook(root)
    assert [r.rule.id for r in book.rules] == ["pl-test-summons"]
    assert messages(root) == [] and messages(root, "warning") == []
    assert len(book.rules[0].version) == 16


def test_bad_yaml_is_reported_with_its_line_and_other_files_still_load(tmp_path: Path) -> None:
    root = make_rules(tmp_path, {"pl/a.yaml": GOOD_RULE, "pl/b.yaml": "rules:\n  - id: [x\n"})
    book = load_rulebook(root)
    assert [r.rule.id for r in book.rules] == ["pl-test-summons"]
    errors = messages(root)
    assert len(errors) == 1
    assert errors[0].startswith(f"{root / 'pl/b.yaml'}:3: bad YAML")


def test_unknown_key_names_the_rule_and_its_line(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("    severity: -2.0\n", "    severity: -2.0\n    colour: red\n")
    root = make_rules(tmp_path, {"pl/a.yaml": text})
    assert messages(root) == [f"{root / 'pl/a.yaml'}:7: rule pl-test-summons: unknown key 'colour'"]


def test_missing_field_points_at_the_rule(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("    title: A test rule\n", "")
    root = make_rules(tmp_path, {"pl/a.yaml": text})
    assert messages(root) == [
        f"{root / 'pl/a.yaml'}:2: rule pl-test-summons: missing field 'title'"
    ]


def test_unknown_signal_and_unknown_event(tmp_path: Path) -> None:
    bad_signal = GOOD_RULE.replace("signal: ambassador_dispute", "signal: weather")
    bad_event = GOOD_RULE.replace("event: summons", "event: hailstorm").replace(
        "pl-test-summons", "pl-test-two"
    )
    root = make_rules(tmp_path, {"pl/a.yaml": bad_signal, "pl/b.yaml": bad_event})
    errors = messages(root)
    assert errors[0].startswith(
        f"{root / 'pl/a.yaml'}:4: rule pl-test-summons: signal: Input should be"
    )
    assert errors[1] == (
        f"{root / 'pl/b.yaml'}:5: rule pl-test-two: event 'hailstorm' is not an event of "
        "ambassador_dispute (expulsion_demand, expulsion, summons, recall, replacement_request, "
        "downgrade, threat)"
    )


def test_duplicate_keys_and_aliases_are_rejected(tmp_path: Path) -> None:
    duplicate = GOOD_RULE.replace(
        "    severity: -2.0\n", "    severity: -2.0\n    severity: -3.0\n"
    )
    alias = "rules:\n  - &one {id: a}\n  - *one\n"
    root = make_rules(tmp_path, {"pl/a.yaml": duplicate, "pl/b.yaml": alias})
    assert messages(root) == [
        f"{root / 'pl/a.yaml'}:7: duplicate key 'severity' (first on line 6)",
        f"{root / 'pl/b.yaml'}:2: YAML anchors (&one) are not allowed",
    ]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    root = make_rules(tmp_path, {"pl/a.yaml": GOOD_RULE, "pl/b.yaml": GOOD_RULE})
    assert messages(root) == [
        f"{root / 'pl/b.yaml'}:2: rule pl-test-summons: duplicate id "
        f"(first at {root / 'pl/a.yaml'}:2)"
    ]


def test_bad_term_and_bad_role_strategy_are_errors(tmp_path: Path) -> None:
    bad_term = GOOD_RULE.replace("act: [wezwać]", "act: [wezwa(c|ć)]")
    bad_role = GOOD_RULE.replace("[attached envoy]", "[attached nothing]").replace(
        "pl-test-summons", "pl-test-two"
    )
    root = make_rules(tmp_path, {"pl/a.yaml": bad_term, "pl/b.yaml": bad_role})
    errors = messages(root)
    assert errors[0].startswith(
        f"{root / 'pl/a.yaml'}:10: rule pl-test-summons: match.all.act.0: term"
    )
    assert "no regular expressions" in errors[0]
    assert errors[1] == (
        f"{root / 'pl/b.yaml'}:13: rule pl-test-two: roles.target: 'attached nothing' "
        "names no group of this rule's match"
    )


def test_unknown_term_and_few_examples_are_lint_warnings(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("envoy: [ambasador]", "envoy: [ambasadxr]").replace(
        "miss: [Ambasador przyjechał., MSZ nie wezwał ambasadora.]", "miss: [Ambasador przyjechał.]"
    )
    root = make_rules(tmp_path, {"pl/a.yaml": text})
    assert messages(root) == []
    assert messages(root, "warning") == [
        f"{root / 'pl/a.yaml'}:2: rule pl-test-summons: language 'pl': 2 hit and 1 miss examples "
        "(want at least 2 of each)",
        f"{root / 'pl/a.yaml'}:2: rule pl-test-summons: term 'ambasadxr': 'ambasadxr' is not a pl "
        "dictionary lemma (matches that form only; use =form or prefix* if intended)",
    ]


def test_a_failing_example_is_reported_with_its_line_and_why(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("Ambasador przyjechał.", "MSZ wezwało ambasadora Francji.")
    root = make_rules(tmp_path, {"pl/a.yaml": text})
    total, failures = run_examples(Engine(load_rulebook(root)))
    assert total == 4
    assert [str(f).splitlines()[0] for f in failures] == [
        f"{root / 'pl/a.yaml'}:17: rule pl-test-summons: pl miss example failed: "
        "'MSZ wezwało ambasadora Francji.'"
    ]
    assert "hit (asserted" in str(failures[0]) and "act='wezwało'" in str(failures[0])


def test_the_example_in_the_rules_readme_is_valid_and_its_examples_pass(tmp_path: Path) -> None:
    readme = (REPO / "rules" / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    root = make_rules(tmp_path, {"pl/example.yaml": example})
    assert messages(root) == [] and messages(root, "warning") == []
    total, failures = run_examples(Engine(load_rulebook(root)))
    assert total == 4 and [str(f) for f in failures] == []
