"""The unit file: `systemd-analyze verify` is clean and the security exposure is <= 2.0."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parents[1] / "systemd" / "monitor.service"
ANALYZE = shutil.which("systemd-analyze")
pytestmark = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    """The unit with ExecStart pointing at this venv's `monitor` (verify checks it exists)."""
    program = Path(sys.executable).parent / "monitor"
    assert program.exists()
    text = UNIT.read_text(encoding="utf-8").replace("/opt/monitor/venv/bin/monitor", str(program))
    path = tmp_path / "monitor.service"
    path.write_text(text, encoding="utf-8")
    return path


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    return subprocess.run([ANALYZE, *args], capture_output=True, text=True, timeout=60)


def test_unit_verifies_cleanly(unit: Path) -> None:
    result = analyze("verify", str(unit))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "" and result.stdout.strip() == ""


def test_security_exposure_is_at_most_2(unit: Path) -> None:
    result = analyze("security", "--offline=true", str(unit))
    assert result.returncode == 0, result.stderr
    match = re.search(r"Overall exposure level for monitor\.service: (\d+\.\d+)", result.stdout)
    assert match, result.stdout
    assert float(match.group(1)) <= 2.0


def test_every_directive_is_commented() -> None:
    lines = UNIT.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            above = next(
                (
                    lines[i]
                    for i in range(n - 1, -1, -1)
                    if "=" not in lines[i] or lines[i].startswith("#")
                ),
                "",
            )
            assert above.startswith("#"), f"monitor.service:{n + 1}: {line} has no comment"


def test_unit_matches_the_sample_config() -> None:
    text = UNIT.read_text(encoding="utf-8")
    assert "ExecStart=/opt/monitor/venv/bin/monitor --config /etc/monitor/monitor.toml run" in text
    assert "Type=notify" in text and "WatchdogSec=" in text and "Restart=on-failure" in text
    sample = UNIT.with_name("monitor.toml").read_text(encoding="utf-8")
    assert 'database_url = "sqlite:////var/lib/monitor/monitor.db"' in sample
