"""Every review command's output: list, show, ack/resolve/dismiss, export, silence, stats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from sqlmodel import select

from monitor.alerts.queries import AlertFilter, list_alerts
from monitor.models import AlertAudit
from monitor.review.format import format_alert_table
from tests.alerts_support import Project, alerts_json, make_project, seed_alerts


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = make_project(tmp_path)
    seed_alerts(project)
    return project


def ids_of(project: Project, event: str) -> list[str]:
    return [str(r["id"]) for r in alerts_json(project, "--event", event)]


def test_list_table_newest_first(project: Project) -> None:
    result = project.run("alerts", "list")
    assert result.exit_code == 0, result.output
    assert "6 alert(s)" in result.output
    assert "(tit-for-tat)" in result.output
    assert "RUS -> KAZ about UKR" in result.output
    assert "RUS -> ? at Astrakhan oblast (RUS-KAZ)" in result.output
    body = result.output.splitlines()
    assert next(i for i, line in enumerate(body) if "mobilization_exodus" in line) > max(
        i for i, line in enumerate(body) if "summons" in line
    )


def test_list_filters(project: Project) -> None:
    assert {r["event"] for r in alerts_json(project, "--signal", "border_mobilization")} == {
        "mobilization_point",
        "mobilization_exodus",
    }
    assert {r["event"] for r in alerts_json(project, "--country", "ukr")} == {
        "expulsion_demand",
        "replacement_request",
    }
    assert [r["event"] for r in alerts_json(project, "--min-severity", "7")] == [
        "mobilization_point"
    ]
    assert [r["event"] for r in alerts_json(project, "--until", "2022-09-15")] == [
        "mobilization_exodus"
    ]
    assert len(alerts_json(project, "--since", "2022-10-02")) == 6  # the October month
    assert alerts_json(project, "--since", "2023-01-01") == []
    assert alerts_json(project, "--since", "30d") == []  # a duration back from now
    assert len(alerts_json(project, "--status", "new", "--limit", "2")) == 2
    assert alerts_json(project, "--status", "resolved") == []


def test_list_csv(project: Project) -> None:
    result = project.run("alerts", "list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 6
    (point,) = [r for r in rows if r["event"] == "mobilization_point"]
    assert (point["place"], point["place_countries"], point["cameo"]) == (
        "Astrakhan oblast",
        "RUS-KAZ",
        "154",
    )


def test_bad_filters_are_refused(project: Project) -> None:
    result = project.run("alerts", "list", "--since", "last tuesday")
    assert result.exit_code == 2
    assert "Invalid value for '--since': 'last tuesday' is neither a date" in result.output
    result = project.run("alerts", "list", "--status", "open")
    assert result.exit_code == 2 and "'open' is not one of" in result.output


def test_show_lists_every_article_with_highlighted_words(project: Project) -> None:
    (demand,) = ids_of(project, "expulsion_demand")
    result = project.run("alerts", "show", demand)
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"Alert #{demand}  expulsion_demand  [new]  severity 5.0" in out
    assert "actor: RUS   target: KAZ   subject: UKR" in out
    assert "pair: KAZ-RUS   ladder step: 1   weight: -5.0" in out
    assert "Evidence (2):" in out
    assert "Po tym stwierdzeniu dyplomaty **Kreml** **zażądał** od **Astany** **wydalenia**" in out
    assert "demanded  rule ambassador_dispute.expulsion_demand" in out
    (point,) = ids_of(project, "mobilization_point")
    out = project.run("alerts", "show", point).output
    assert "place: Astrakhan oblast   border: RUS-KAZ" in out
    assert "new -> log sent" in out
    assert "**obwodzie astrachańskim**" in out


def test_show_unknown_alert(project: Project) -> None:
    result = project.run("alerts", "show", "999")
    assert result.exit_code == 2
    assert "error: alert 999: no such alert" in result.output


def test_lifecycle_through_the_cli(project: Project) -> None:
    first, second = ids_of(project, "summons")
    result = project.run("alerts", "ack", first, second, "--by", "ana", "--note", "looking")
    assert result.exit_code == 0, result.output
    assert f"alert {first}: acknowledged (verdict -) by ana" in result.output
    result = project.run("alerts", "resolve", first, "--by", "ana", "--note", "confirmed by MFA")
    assert f"alert {first}: resolved (verdict true) by ana" in result.output
    result = project.run("alerts", "dismiss", second, "--verdict", "duplicate", "--by", "bo")
    assert f"alert {second}: dismissed (verdict duplicate) by bo" in result.output
    shown = project.run("alerts", "show", first).output
    assert "ack by ana new -> acknowledged: looking" in shown
    assert "resolve by ana acknowledged -> resolved verdict=true: confirmed by MFA" in shown
    with project.store.session() as session:
        assert len(session.exec(select(AlertAudit)).all()) == 4
    log = project.settings.alert_log_path.read_text(encoding="utf-8").splitlines()
    status = [json.loads(x) for x in log if json.loads(x)["kind"] == "status"]
    assert [d["change"]["to"] for d in status] == [
        "acknowledged",
        "acknowledged",
        "resolved",
        "dismissed",
    ]


def test_invalid_transitions_change_nothing(project: Project) -> None:
    first, second = ids_of(project, "summons")
    assert project.run("alerts", "dismiss", second).exit_code == 0
    result = project.run("alerts", "resolve", first, second, "999")
    assert result.exit_code == 2
    assert "error: resolve: nothing changed:" in result.output
    assert (
        f"error: alert {second}: is dismissed; cannot resolve it (only from: new, acknowledged)"
        in result.output
    )
    assert "error: alert 999: no such alert" in result.output
    assert alerts_json(project, "--status", "resolved") == []  # the valid one was not applied
    again = project.run("alerts", "ack", second)
    assert f"alert {second}: is dismissed; cannot ack it" in again.output
    ack = project.run("alerts", "ack", first)
    assert ack.exit_code == 0
    assert f"alert {first}: is already acknowledged" in project.run("alerts", "ack", first).output


def test_export_jsonl_and_csv(project: Project, tmp_path: Path) -> None:
    result = project.run("alerts", "export")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 6 and {"key", "cameo", "pair", "num_sources"} <= set(records[0])
    target = tmp_path / "out.csv"
    result = project.run(
        "alerts", "export", "--format", "csv", "-o", str(target), "--event", "summons"
    )
    assert result.exit_code == 0
    assert "2 alert(s) -> " in result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert sorted(r["tit_for_tat"] for r in rows) == ["False", "True"]


def test_silence_create_list_expire(project: Project) -> None:
    result = project.run(
        "alerts", "silence", "create", "--pair", "rus-kaz", "--for", "2h", "--by", "ops"
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("silence 1: pair=KAZ-RUS until ")
    listed = project.run("alerts", "silence", "list").output
    assert "pair=KAZ-RUS" in listed and "2h" in listed and "ops" in listed
    assert project.run("alerts", "silence", "expire", "1").output.startswith("silence 1: ended at")
    assert "0 silence(s)" in project.run("alerts", "silence", "list").output
    assert "1 silence(s)" in project.run("alerts", "silence", "list", "--all").output
    again = project.run("alerts", "silence", "expire", "1")
    assert again.exit_code == 2 and "error: silence 1: already ended at" in again.output
    assert (
        "error: silence 7: no such silence"
        in project.run("alerts", "silence", "expire", "7").output
    )


def test_silence_bad_input(project: Project) -> None:
    result = project.run("alerts", "silence", "create", "--for", "1h")
    assert result.exit_code == 2
    assert "error: silence: name at least one of --signal, --event, --rule, --pair" in result.output
    result = project.run("alerts", "silence", "create", "--pair", "RUSSIA")
    assert (
        "error: --pair: 'RUSSIA' is not a pair of ISO alpha-3 codes like RUS-KAZ" in result.output
    )
    result = project.run("alerts", "silence", "create", "--signal", "x", "--for", "soon")
    assert result.exit_code == 2 and "'soon' is not a duration" in result.output


def test_rules_stats_precision(project: Project) -> None:
    first, second = ids_of(project, "summons")
    (demand,) = ids_of(project, "expulsion_demand")
    project.run("alerts", "resolve", first, demand)
    project.run("alerts", "dismiss", second)
    result = project.run("rules", "stats", "--format", "json")
    stats = {r["rule_id"]: r for r in map(json.loads, result.output.splitlines())}
    summons = stats["ambassador_dispute.summons"]
    assert (summons["detections"], summons["alerts"]) == (2, 2)
    assert (summons["confirmed"], summons["dismissed"], summons["precision"]) == (1, 1, 0.5)
    assert stats["ambassador_dispute.expulsion_demand"]["precision"] == 1.0
    assert stats["border_mobilization.mobilization_exodus"]["detections"] == 3
    assert stats["border_mobilization.mobilization_exodus"]["precision"] is None
    table = project.run("rules", "stats").output
    assert "ambassador_dispute.summons" in table and "0.50" in table and "precision" in table


def test_table_fits_80_columns(project: Project) -> None:
    with project.store.session() as session:
        rows = list_alerts(session, AlertFilter())
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(format_alert_table(rows))
    lines = console.export_text().splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert sum("2022-10" in line for line in lines) == 5  # the date column survives
    assert any("replacement_request" in line for line in lines)
