"""Feed sources and the [fetch] table in the config file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from monitor.config import FeedSource, FilesSource, load_settings
from monitor.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_feed_source_keys_as_documented(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'database_url = "sqlite:///state/monitor.db"\nrules_dir = "rules"\n'
        '[[sources]]\nname = "seeds"\nkind = "files"\npath = "articles/*.txt"\n'
        '[[sources]]\nname = "pap"\nkind = "feed"\nurl = "https://example.org/rss.xml"\n'
        'interval = "15m"\n'
        '[[sources]]\nkind = "feed"\nurl = "https://www.pap.pl/rss.xml"\ninterval = "30s"\n'
        'language = "pl"\nenabled = false\n',
    )
    settings = load_settings(path)
    files, pap, derived = settings.sources
    assert isinstance(files, FilesSource) and files.interval == timedelta(minutes=5)
    assert isinstance(pap, FeedSource) and pap.interval == timedelta(minutes=15)
    assert isinstance(derived, FeedSource)
    assert (derived.name, derived.language, derived.enabled) == ("pap.pl", "pl", False)
    assert settings.warnings() == [
        "source 'pap.pl': interval 30s is under a minute; fine for testing, "
        "impolite to a real server"
    ]


def test_fetch_table_defaults_and_overrides(tmp_path: Path) -> None:
    defaults = load_settings(write(tmp_path, "")).fetch
    assert defaults.max_body_bytes == 15 * 1024 * 1024 and defaults.max_redirects == 5
    assert defaults.backoff_ceiling == timedelta(hours=24)
    assert defaults.user_agent.startswith("monitor/")
    fetch = load_settings(
        write(tmp_path, '[fetch]\ndeadline = "20s"\nper_host = 1\nbackoff_ceiling = "6h"\n')
    ).fetch
    assert (fetch.deadline, fetch.per_host) == (timedelta(seconds=20), 1)
    assert fetch.backoff_ceiling == timedelta(hours=6)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[sources]]\nkind = "feed"\nurl = "ftp://x/feed"\n',
            "monitor.toml:3: sources[0].url: Value error, 'ftp://x/feed' is not an "
            "http:// or https:// URL",
        ),
        (
            '[[sources]]\nkind = "feed"\nurl = "https://x/feed"\ninterval = "soon"\n',
            "monitor.toml:4: sources[0].interval: Value error, 'soon' is not a duration "
            "(write e.g. 30s, 15m, 1h, 7d)",
        ),
        ('[fetch]\ntimeout = "5s"\n', "monitor.toml:2: fetch.timeout: unknown setting"),
        (
            '[[sources]]\nkind = "feed"\nurl = "https://x.org/a"\n'
            '[[sources]]\nkind = "feed"\nurl = "https://x.org/b"\n',
            "sources: Value error, source name 'x.org' is used twice",
        ),
    ],
)
def test_bad_feed_config_names_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text))
    assert message in str(info.value)
