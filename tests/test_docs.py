"""The README stays true: every setting and every command is documented there."""

from __future__ import annotations

import click

from monitor.cli import main
from monitor.config import FilesSource, Settings
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"`{name}`" in README, f"setting {name} is missing from the README"
    for name in FilesSource.model_fields:
        assert f"`{name}`" in README, f"source key {name} is missing from the README"


def test_every_command_is_documented() -> None:
    def walk(group: click.Group, prefix: str) -> list[str]:
        names = []
        for name, command in group.commands.items():
            full = f"{prefix} {name}"
            if isinstance(command, click.Group):
                names.extend(walk(command, full))
            else:
                names.append(full)
        return names

    for command in walk(main, "monitor"):
        assert command in README, f"`{command}` is missing from the README"


def test_quick_start_has_exactly_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    commands = [line for line in block.splitlines()[1:] if line.strip()]
    assert commands == ["make run", "make test"]
