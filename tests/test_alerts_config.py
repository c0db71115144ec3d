"""The [alerts] settings: defaults, durations, paths, and located errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from monitor.config import load_settings
from monitor.errors import ConfigError


def config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text(f'state_dir = "var"\n[alerts]\n{body}\n', encoding="utf-8")
    return path


def test_defaults_and_paths(tmp_path: Path) -> None:
    settings = load_settings(config(tmp_path, ""))
    assert settings.alerts.merge_window == timedelta(days=7)
    assert settings.alerts.throttle == timedelta(hours=1)
    assert settings.alert_log_path == tmp_path / "var" / "alerts.jsonl"
    moved = load_settings(config(tmp_path, 'log_path = "logs/a.jsonl"\nmerge_window = "3d"'))
    assert moved.alert_log_path == tmp_path / "logs" / "a.jsonl"
    assert moved.alerts.merge_window == timedelta(days=3)


def test_secrets_are_not_shown(tmp_path: Path) -> None:
    settings = load_settings(
        config(tmp_path, 'webhook_url = "http://h/x"\nwebhook_secret = "hush"')
    )
    assert "hush" not in repr(settings) and "hush" not in str(settings.alerts)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('merge_window = "soon"', ":4: alerts.merge_window: Value error, 'soon' is not a duration"),
        (
            'webhook_url = "ftp://x"',
            ":4: alerts.webhook_url: Value error, 'ftp://x' is not an http",
        ),
        ('smtp_host = "mail"', ": alerts: Value error, smtp_host is set but email_to names no"),
        ("burst_k = -1", ":4: alerts.burst_k: Input should be greater than 0"),
        ("bogus = 1", ":4: alerts.bogus: unknown setting"),
    ],
)
def test_bad_settings_say_where(tmp_path: Path, body: str, message: str) -> None:
    path = config(tmp_path, "\n" + body)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}{message}")


def test_secrets_from_the_environment_join_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_ALERTS__WEBHOOK_SECRET", "from-env")
    settings = load_settings(config(tmp_path, 'webhook_url = "http://h/x"\nthrottle = "2h"'))
    assert settings.alerts.webhook_secret is not None
    assert settings.alerts.webhook_secret.get_secret_value() == "from-env"
    assert settings.alerts.throttle == timedelta(hours=2)  # the file's other keys stay
