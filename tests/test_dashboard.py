"""``monitor dashboard`` in a real pseudo-terminal (tmux), reading the screen back."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.alerts import raise_alerts
from monitor.dashboard.view import sparkline
from monitor.models import Article, Source, utcnow
from tests.alerts_support import (
    Hit,
    Project,
    alerts_json,
    make_project,
    seed_alerts,
    write_detections,
)

EVIL_TITLE = "[bold red]PWNED[/bold red] \x1b[31mred\x1b[0m \x1b]0;owned\x07tail"
EVIL_TEXT = "Moskwa wezwała ambasadora Polski do MSZ w sprawie incydentu."

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def dashboard_project(tmp_path: Path) -> Project:
    """The seeds plus an article titled with rich markup and terminal escapes."""
    project = make_project(tmp_path)
    seed_alerts(project)
    with project.store.session() as session:
        source = session.exec(select(Source)).one()
        article = Article(
            source_id=source.id or 0,
            identity="evil",
            content_hash="evil",
            origin="test",
            title=EVIL_TITLE,
            text=EVIL_TEXT,
            published="2022-10-05",
            published_at=datetime(2022, 10, 5, tzinfo=UTC),
        )
        session.add(article)
        session.flush()
        hit = Hit("Moskwa wezwała", EVIL_TEXT, "summons", actor="RUS", target="POL")
        raise_alerts(session, write_detections(session, [hit]), project.settings)
        source.last_error = "fetch: HTTP 503 \x1b[2J[blink]x[/blink]"
        source.error_count = 3
        source.next_check_at = utcnow() + timedelta(minutes=30)
        session.add(source)
    return project


@pytest.fixture
def tmux() -> Iterator[str]:
    name = f"monitor-test-{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)


def screen_of(session: str, *until: str, timeout_s: float = 20.0) -> str:
    """Poll the pane until every ``until`` shows up (start-up, and a frame being drawn)."""
    deadline = time.monotonic() + timeout_s
    screen = ""
    while time.monotonic() < deadline:
        screen = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if all(text in screen for text in until):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{until!r} never appeared; screen was:\n{screen}")


def start(session: str, project: Project, *args: str, width: int = 80, height: int = 24) -> None:
    command = [sys.executable, "-m", "monitor", "dashboard", "--config", str(project.config), *args]
    shell = f"env -u COLUMNS -u LINES {shlex.join(command)}; echo EXITED-$?; sleep 30"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), shell],
        check=True,
    )


@needs_tmux
def test_live_dashboard_at_80x24(tmp_path: Path, tmux: str) -> None:
    project = dashboard_project(tmp_path)
    start(tmux, project, "--refresh", "0.5")
    screen = screen_of(tmux, "open alerts by severity", "KAZ-RUS", "seeds", "PWNED")
    lines = screen.splitlines()
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
    assert "open alerts by severity" in screen
    assert "mobilization_point" in screen and "7.2" in screen
    assert "KAZ-RUS" in screen and "seeds" in screen
    assert "[bold red]PWNED[/bold red]" in screen  # markup shown literally
    assert "\x1b" not in screen and "\x07" not in screen
    # a new alert written meanwhile shows up on a later refresh
    with project.store.session() as session:
        text = "Litwa wydaliła rosyjskiego dyplomatę za działalność szpiegowską."
        article = Article(
            source_id=1,
            identity="ltu",
            content_hash="ltu",
            origin="test",
            title="Litwa",
            text=text,
            published="2022-10-06",
            published_at=datetime(2022, 10, 6, tzinfo=UTC),
        )
        session.add(article)
        session.flush()
        hit = Hit("Litwa wydaliła", text, "expulsion", actor="LTU", target="RUS")
        raise_alerts(session, write_detections(session, [hit]), project.settings)
    assert "LTU→RUS" in screen_of(tmux, "LTU→RUS")
    subprocess.run(["tmux", "send-keys", "-t", tmux, "C-c"], check=True)
    assert "EXITED-0" in screen_of(tmux, "EXITED-")


@needs_tmux
def test_dashboard_once_uses_a_big_terminal(tmp_path: Path, tmux: str) -> None:
    project = dashboard_project(tmp_path)
    start(tmux, project, "--once", width=160, height=48)
    screen = screen_of(tmux, "EXITED-0", "fetch: HTTP 503")
    assert "status" in screen and "date" in screen  # the wide layout's extra columns
    assert "2022-10" in screen
    # ESC and BEL are dropped: what is left of the sequences is shown as plain text
    assert "[bold red]PWNED[/bold red] [31mred[0m ]0;ownedtail" in screen
    assert re.search(r"in 2\dm: fetch: HTTP 503 \[2J\[blink\]x\[/blink\]", screen)
    assert max(len(line) for line in screen.splitlines()) > 120


def test_once_without_a_terminal_prints_one_frame(tmp_path: Path) -> None:
    project = dashboard_project(tmp_path)
    result = project.run("dashboard", "--once")
    assert result.exit_code == 0, result.output
    assert "[bold red]PWNED[/bold red]" in result.output
    assert "\x1b" not in result.output
    assert "summons" in result.output


def test_sparkline_scales_to_the_largest_week() -> None:
    assert sparkline([0.0, 1.0, 2.0, 4.0]) == "·▂▄█"
    assert sparkline([0.0, 0.0]) == "··"


def test_review_output_shows_untrusted_text_literally(tmp_path: Path) -> None:
    project = dashboard_project(tmp_path)
    rows = [r for r in alerts_json(project, "--country", "POL")]
    shown = project.run("alerts", "show", str(rows[0]["id"]))
    assert shown.exit_code == 0, shown.output
    assert "[bold red]PWNED[/bold red] [31mred[0m ]0;ownedtail" in shown.output
    assert "\x1b" not in shown.output and "\x07" not in shown.output
