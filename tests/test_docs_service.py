"""README.md and docs/service.md document every feed setting, [fetch] key and service command."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from monitor.cli import main
from monitor.config import FeedSource, FetchSettings, FilesSource

ROOT = Path(__file__).resolve().parents[1]
DOC = "\n".join(
    (ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "docs/service.md")
)


@pytest.mark.parametrize("key", sorted(FeedSource.model_fields))
def test_feed_keys_are_documented(key: str) -> None:
    assert f"\n{key} = " in DOC, f"feed setting {key!r} is missing from docs/service.md"


@pytest.mark.parametrize("key", sorted(FetchSettings.model_fields))
def test_fetch_keys_are_documented(key: str) -> None:
    assert f"| `{key}` |" in DOC, f"[fetch] key {key!r} is missing from docs/service.md"


def test_files_interval_is_documented() -> None:
    assert "interval" in FilesSource.model_fields and 'interval = "5m"' in DOC


def test_commands_are_documented() -> None:
    sources = main.commands["sources"]
    assert isinstance(sources, click.Group)
    for name in sources.commands:
        assert f"monitor sources {name}" in DOC, name
    assert "monitor run --once" in DOC
    run = main.commands["run"]
    assert {p.name for p in run.params} >= {"once"}
