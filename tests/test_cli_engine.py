"""The engine's commands: rules check/test/explain, scan, eval; and analysis on ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from monitor.cli import main
from monitor.config import bundled_seeds_dir
from monitor.models import Article, Detection
from monitor.store import open_store
from tests.conftest import REPO
from tests.test_engine import SEED_EVENTS
from tests.test_rulebook_loader import GOOD_RULE, make_rules


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_rules_check_passes_on_the_shipped_rules() -> None:
    code, out, err = run("rules", "check", "--rules", str(REPO / "rules"))
    assert code == 0, err
    assert "0 errors" in out


def test_rules_check_reports_every_error_and_exits_1(tmp_path: Path) -> None:
    bad = GOOD_RULE.replace("    severity: -2.0\n", "    severity: -2.0\n    colour: red\n")
    root = make_rules(tmp_path, {"pl/a.yaml": bad, "pl/b.yaml": "rules: [\n"})
    code, out, err = run("rules", "check", "--rules", str(root))
    assert code == 1
    assert f"error: {root / 'pl/a.yaml'}:7: rule pl-test-summons: unknown key 'colour'" in err
    assert f"error: {root / 'pl/b.yaml'}:2: bad YAML" in err
    assert "2 errors" in out


def test_rules_test_passes_and_reports_failures(tmp_path: Path) -> None:
    code, out, _ = run("rules", "test", "--rules", str(REPO / "rules"))
    assert code == 0, out
    bad = GOOD_RULE.replace("Ambasador przyjechał.", "MSZ wezwało ambasadora Francji.")
    code, out, _ = run("rules", "test", "--rules", str(make_rules(tmp_path, {"pl/a.yaml": bad})))
    assert code == 1
    assert "FAIL" in out and "'MSZ wezwało ambasadora Francji.'" in out and "1 failed" in out


def test_rules_explain_shows_lemmas_terms_roles_and_modality() -> None:
    code, out, _ = run("rules", "explain", "MSZ nie wezwało ambasadora Rosji.", "--lang", "pl")
    assert code == 0
    assert "ambasadora[ambasador]" in out
    assert "country: RUS 'Rosji' (names)" in out
    assert "rule pl-summons (summons): HIT, negated" in out and "not counted" in out
    code, out, _ = run("rules", "explain", "Polski MSZ wezwał ambasadora Rosji.")
    assert "language: pl" in out
    assert "actor = POL via institution" in out and "target = RUS via attached envoy" in out
    assert "summons asserted actor=POL target=RUS" in out


def test_scan_jsonl_on_the_seeds() -> None:
    code, out, _ = run("scan", str(bundled_seeds_dir()), "--format", "jsonl")
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["id"] == "000_f409f92c391b5b88.txt" and first["lang"] == "pl"
    found = {
        (
            d["signal"],
            d["event"],
            d["actor"],
            d["target"],
            d["subject"],
            d["place"],
            d["place_countries"],
        )
        for d in first["detections"]
    }
    assert found == SEED_EVENTS
    demand = first["detections"][0]
    assert set(demand) >= {"signal", "event", "rule", "modality", "severity", "evidence"}
    assert demand["evidence"]["sentence"].startswith("Żądania Rosji")
    assert [d["event"] for d in second["detections"]] == ["mobilization_exodus"]


def test_scan_table_and_rejections(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Polski MSZ wezwał ambasadora Rosji.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\nnot json\n', encoding="utf-8")
    code, out, err = run("scan", str(tmp_path / "a.txt"), str(tmp_path / "b.jsonl"))
    assert code == 1
    assert "summons" in out and "POL" in out and "RUS" in out
    assert f"rejected: {tmp_path / 'b.jsonl'}:2: not JSON" in err


def test_eval_scores_and_gates(tmp_path: Path) -> None:
    passages = [
        {
            "id": "a",
            "lang": "pl",
            "label": "ambassador_dispute",
            "title": "",
            "text": "Polski MSZ wezwał ambasadora Rosji.",
        },
        {"id": "b", "lang": "pl", "label": "none", "text": "Ambasador marki odwiedził sklep."},
        {
            "id": "c",
            "lang": "pl",
            "label": "border_mobilization",
            "text": "Minister spotkał się z rolnikami.",
        },
    ]
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in passages), "utf-8")
    code, out, err = run("eval", str(path), "--min-precision", "0.9", "--min-recall", "0.85")
    assert code == 1
    lines = out.splitlines()
    assert any(
        line.split() == ["ambassador_dispute", "pl", "1", "0", "0", "1.00", "1.00"]
        for line in lines
    )
    assert any(
        line.split() == ["border_mobilization", "all", "0", "1", "0", "1.00", "0.00"]
        for line in lines
    )
    assert "MISS border_mobilization c (pl)" in out
    assert "border_mobilization" in err
    code, _, _ = run("eval", str(path), "--min-recall", "0")
    assert code == 0


def test_eval_reports_a_bad_line_with_its_location(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a", "label": "none"}\n{oops\n', encoding="utf-8")
    code, _, err = run("eval", str(path))
    assert code == 2
    assert f"error: {path}:2: not JSON" in err


def test_eval_on_the_dev_set_meets_the_gate(shared_dir: Path) -> None:
    dev = str(shared_dir / "dev" / "articles.jsonl")
    code, out, _ = run("eval", dev, "--min-precision", "0.9", "--min-recall", "0.85")
    assert code == 0, out
    rows = {tuple(line.split()[:2]): line.split() for line in out.splitlines() if line.strip()}
    for signal in ("ambassador_dispute", "border_mobilization"):
        for lang in ("pl", "all"):
            precision, recall = rows[(signal, lang)][5:7]
            assert float(precision) >= 0.9 and float(recall) >= 0.85, rows[(signal, lang)]


def test_ingest_stores_detections_once(tmp_path: Path, sqlite_url: str) -> None:
    env = {"MONITOR_DATABASE_URL": sqlite_url}
    code, out, err = run("ingest", env=env)
    assert code == 0, err
    assert "seeds: 2 new, 0 known, 0 rejected, 7 detections" in out
    code, out, _ = run("ingest", env=env)
    assert "seeds: 0 new, 2 known, 0 rejected, 0 detections" in out
    store = open_store(sqlite_url)
    try:
        with store.session() as session:
            rows = session.exec(select(Detection)).all()
            articles = session.exec(select(Article)).all()
            assert len(rows) == 7
            assert {a.lang for a in articles} == {"pl"}
            assert all(a.analysed_at is not None for a in articles)
            point = next(r for r in rows if r.event == "mobilization_point")
            assert (point.actor, point.place, point.place_countries) == (
                "RUS",
                "Astrakhan oblast",
                "RUS-KAZ",
            )
            article = next(a for a in articles if a.id == point.article_id)
            assert (
                article.text[point.evidence_start : point.evidence_end] == point.evidence_sentence
            )
            assert len(point.rule_version) == 16
            assert json.loads(point.matched)[0]["group"] == "point"
    finally:
        store.dispose()


@pytest.mark.parametrize("command", [["rules", "--help"], ["scan", "--help"], ["eval", "--help"]])
def test_help_is_available(command: list[str]) -> None:
    code, out, _ = run(*command)
    assert code == 0 and "Usage" in out
