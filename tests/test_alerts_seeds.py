"""The two bundled seeds, ingested for real, raise the alerts DOMAIN.md lists for them.

Detections come from the rule engine inside `monitor ingest`; these tests check that it
found the seed events and what the alerts make of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import col, select

from monitor.alerts import deliver_due, raise_alerts
from monitor.config import bundled_seeds_dir, load_settings
from monitor.models import Alert, Detection
from monitor.store import open_store
from tests.alerts_support import (
    Project,
    alerts_json,
    detect_seed_events,
    make_project,
)


def seeded(tmp_path: Path) -> Project:
    project = make_project(tmp_path)
    result = project.run("ingest")
    assert result.exit_code == 0, result.output
    assert "seeds: 2 new" in result.output
    with project.store.session(readonly=True) as session:
        found = session.exec(select(Detection)).all()
    # the rule engine itself found the seed events during ingest (no hand-written rows)
    assert sorted(d.event for d in found) == [
        "expulsion_demand",
        "mobilization_exodus",
        "mobilization_exodus",
        "mobilization_point",
        "replacement_request",
        "summons",
        "summons",
    ]
    detect_seed_events(project)
    return project


def by_event(rows: list[dict[str, object]], event: str) -> list[dict[str, object]]:
    return [r for r in rows if r["event"] == event]


def test_seeds_yield_the_six_events(tmp_path: Path) -> None:
    rows = alerts_json(seeded(tmp_path))
    assert sorted(r["event"] for r in rows) == [
        "expulsion_demand",
        "mobilization_exodus",
        "mobilization_point",
        "replacement_request",
        "summons",
        "summons",
    ]
    (demand,) = by_event(rows, "expulsion_demand")
    assert (demand["actor"], demand["target"], demand["subject"]) == ("RUS", "KAZ", "UKR")
    assert demand["num_articles"] == 1  # two sentences of one article, one event
    assert (demand["ladder_step"], demand["weight"], demand["cameo"]) == (1, -5.0, "10")
    (replace,) = by_event(rows, "replacement_request")
    assert (replace["actor"], replace["target"], replace["ladder_step"]) == ("KAZ", "UKR", 3)
    first, second = sorted(by_event(rows, "summons"), key=lambda r: int(str(r["id"])))
    assert (first["actor"], first["target"], first["tit_for_tat"]) == ("RUS", "KAZ", False)
    assert "up the ladder from step 1 to 2" in str(first["raised_reason"])
    assert (second["actor"], second["target"], second["tit_for_tat"]) == ("KAZ", "RUS", True)
    assert f"answers summons #{first['id']}" in str(second["raised_reason"])
    assert float(str(second["severity"])) > abs(float(str(second["weight"])))
    (point,) = by_event(rows, "mobilization_point")
    assert (point["actor"], point["place_countries"], point["pair"]) == (
        "RUS",
        "RUS-KAZ",
        "KAZ-RUS",
    )
    assert point["place"] == "Astrakhan oblast"
    assert (point["severity"], point["cameo"]) == (7.2, "154")
    (exodus,) = by_event(rows, "mobilization_exodus")
    assert (exodus["num_articles"], exodus["num_sources"]) == (2, 1)
    assert exodus["event_date"] == "2022-09"
    # newest first: the October events before the exodus that started in September
    assert rows[-1]["event"] == "mobilization_exodus"


def test_exodus_keeps_every_evidence_sentence(tmp_path: Path) -> None:
    project = seeded(tmp_path)
    (exodus,) = alerts_json(project, "--event", "mobilization_exodus")
    with project.store.session() as session:
        dets = session.exec(select(Detection).where(Detection.event == "mobilization_exodus")).all()
    assert {d.article_id for d in dets} == {1, 2}  # both seeds report it
    shown = project.run("alerts", "show", str(exodus["id"]))
    assert shown.exit_code == 0, shown.output
    assert f"Evidence ({len(dets)}):" in shown.output
    for det in dets:
        hit = min(json.loads(det.matched), key=lambda h: h["start"])
        start, end = hit["start"] - det.evidence_start, hit["end"] - det.evidence_start
        # the sentence up to its first matched word, then that word highlighted
        assert det.evidence_sentence[:start] + "**" + det.evidence_sentence[start:end] + "**" in (
            shown.output
        )


def test_reingesting_changes_no_counts(tmp_path: Path) -> None:
    project = seeded(tmp_path)
    before = alerts_json(project)
    again = project.run("ingest")
    assert "seeds: 0 new, 2 known" in again.output
    detect_seed_events(project)  # the same detections again: nothing new
    # the same articles arriving through another source (a republished copy): new rows,
    # new detections, but near-duplicates of what is known, so nothing is counted twice
    copy = project.run("ingest", str(bundled_seeds_dir() / "*.txt"), "--language", "pl")
    assert "cli: 2 new" in copy.output
    with project.store.session() as session:
        # the engine in the pipeline has analysed the copies already
        copies = list(session.exec(select(Detection).where(col(Detection.article_id) >= 3)))
        assert len(copies) == 7
        changes = raise_alerts(session, copies, project.settings)
        assert changes == []  # linked as evidence, nothing new to report
        assert len(session.exec(select(Alert)).all()) == len(before)
    deliver_due(project.store, project.settings)
    after = alerts_json(project)
    strip = ("updated_at",)
    assert [{k: v for k, v in r.items() if k not in strip} for r in after] == [
        {k: v for k, v in r.items() if k not in strip} for r in before
    ]


def test_alert_log_holds_every_seed_alert(tmp_path: Path) -> None:
    project = seeded(tmp_path)
    lines = project.settings.alert_log_path.read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines]
    assert sorted(d["alert"]["event"] for d in docs if d["kind"] == "new") == sorted(
        r["event"] for r in alerts_json(project)
    )
    assert all(d["evidence"] for d in docs)


@pytest.mark.postgres
def test_seed_alerts_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    """The same story on PostgreSQL (a fresh schema from conftest)."""
    config = tmp_path / "monitor.toml"
    config.write_text(f'database_url = "{postgres_url}"\nstate_dir = "state"\n', encoding="utf-8")
    settings = load_settings(config)
    project = Project(tmp_path, config, settings, open_store(settings.database_url))
    try:
        assert project.run("ingest").exit_code == 0
        detect_seed_events(project)
        rows = alerts_json(project)
        assert len(rows) == 6
        assert [r["tit_for_tat"] for r in by_event(rows, "summons")] == [True, False]
        assert by_event(rows, "mobilization_exodus")[0]["num_articles"] == 2
        assert project.run("alerts", "resolve", str(rows[0]["id"])).exit_code == 0
        assert "precision" in project.run("rules", "stats").output
    finally:
        project.store.dispose()
