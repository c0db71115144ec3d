"""The README and docs/alerts.md stay true: every [alerts] setting and review command."""

from __future__ import annotations

from pathlib import Path

from monitor.cli.alerts import alerts
from monitor.cli.alerts_silence import silence
from monitor.config import AlertSettings

ROOT = Path(__file__).resolve().parents[1]
DOC = "\n".join(
    (ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "docs/alerts.md")
)


def test_every_alert_setting_is_documented() -> None:
    missing = [name for name in AlertSettings.model_fields if f"\n{name} = " not in DOC]
    assert missing == []


def test_every_review_command_is_documented() -> None:
    for name in alerts.commands:
        if name != "silence":
            assert f"monitor alerts {name}" in DOC or f"|{name}" in DOC or f"{name}|" in DOC, name
    for name in silence.commands:
        assert f"monitor alerts silence {name}" in DOC, name
    assert "monitor rules stats" in DOC and "monitor dashboard" in DOC
