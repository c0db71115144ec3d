"""The command line: ingest, articles, db, and errors reported as one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    for name in ("MONITOR_DATABASE_URL", "MONITOR_RULES_DIR", "MONITOR_STATE_DIR"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def test_ingest_defaults_twice(runner: CliRunner, tmp_path: Path) -> None:
    first = runner.invoke(main, ["ingest"])
    assert first.exit_code == 0, first.output
    assert "seeds: 2 new, 0 known, 0 rejected" in first.output
    assert (tmp_path / "state" / "monitor.db").is_file()
    second = runner.invoke(main, ["ingest"])
    assert second.exit_code == 0
    assert "seeds: 0 new, 2 known, 0 rejected" in second.output


def test_ingest_paths_reports_rejections_and_exit_code(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "in"
    data.mkdir()
    (data / "ok.jsonl").write_text(
        json.dumps({"id": "1", "text": "Rosja wydaliła dyplomatów."}) + "\n{oops\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["ingest", str(data), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "cli: 1 new, 0 known, 1 rejected" in result.output
    assert f"rejected: {data / 'ok.jsonl'}:2: not JSON" in result.stderr
    assert f"rejected: {tmp_path / 'missing.txt'}: no such file or folder" in result.stderr


def test_articles_list_and_show(runner: CliRunner) -> None:
    runner.invoke(main, ["ingest"])
    listing = runner.invoke(main, ["articles", "list", "--format", "json"])
    rows = [json.loads(line) for line in listing.output.splitlines()]
    assert [r["date"] for r in rows] == ["2022-09", "2022-10"]
    assert all(r["source"] == "seeds" and r["lang"] == "pl" for r in rows)
    table = runner.invoke(main, ["articles", "list"])
    assert "2 article(s)" in table.output and "seeds" in table.output
    shown = runner.invoke(main, ["articles", "show", str(rows[1]["id"])])
    assert shown.exit_code == 0
    assert "obwodzie astrachańskim" in shown.output and "date: 2022-10" in shown.output
    missing = runner.invoke(main, ["articles", "show", "999"])
    assert missing.exit_code == 1 and "no article with id 999" in missing.output


def test_db_upgrade_and_status(runner: CliRunner, tmp_path: Path) -> None:
    status = runner.invoke(main, ["db", "status"])
    assert "at (empty)" in status.output and "needs `monitor db upgrade`" in status.output
    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0 and "applied 0001" in upgraded.output
    again = runner.invoke(main, ["db", "upgrade"])
    assert "already at" in again.output


def test_config_errors_exit_2_without_traceback(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("database_url = \n", encoding="utf-8")
    result = runner.invoke(main, ["--config", str(bad), "ingest"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}: invalid TOML")
    assert "Traceback" not in result.output
    sub = runner.invoke(main, ["articles", "list", "--config", str(bad)])
    assert sub.exit_code == 2 and f"error: {bad}: invalid TOML" in sub.stderr


def test_unopenable_database_url(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_DATABASE_URL", "postgresql+psycopg://x@127.0.0.1:1/db")
    result = runner.invoke(main, ["ingest"])
    assert result.exit_code == 2
    assert "error: cannot open database postgresql+psycopg://x@127.0.0.1:1/db" in result.stderr


def test_every_command_has_help(runner: CliRunner) -> None:
    import click

    def walk(group: click.Group, prefix: list[str]) -> list[list[str]]:
        found = []
        for name, command in group.commands.items():
            found.append([*prefix, name])
            if isinstance(command, click.Group):
                found.extend(walk(command, [*prefix, name]))
        return found

    for path in walk(main, []):
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        command = main
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        assert command.help, f"monitor {' '.join(path)} has no help text"
