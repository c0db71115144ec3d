"""`monitor sources list|add|remove|check` and `monitor run --once` through click."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main
from tests.feedserver import Server, feed, feed_server, rss, status

__all__ = ["feed_server"]

CONFIG = """\
# My monitor.
database_url = "sqlite:///state/monitor.db"

# Seed articles.
[[sources]]
name = "seeds"   # the bundled ones
kind = "files"
path = "articles"

# Polish press agency.
[[sources]]
name = "pap"
kind = "feed"
url = "https://www.pap.pl/rss.xml"

# Fetch limits.
[fetch]
deadline = "5s"
"""


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_add_then_remove_keeps_comments(cwd: Path) -> None:
    (cwd / "monitor.toml").write_text(CONFIG, encoding="utf-8")
    code, out, _ = invoke("sources", "add", "https://tass.ru/rss/v2.xml", "--language", "ru")
    assert code == 0 and "added feed 'tass.ru'" in out
    text = (cwd / "monitor.toml").read_text(encoding="utf-8")
    assert text.startswith(CONFIG)
    assert text.endswith(
        '[[sources]]\nname = "tass.ru"\nkind = "feed"\n'
        'url = "https://tass.ru/rss/v2.xml"\ninterval = "15m"\nlanguage = "ru"\n'
    )
    code, out, _ = invoke("sources", "remove", "pap")
    assert code == 0 and "removed source 'pap'" in out
    text = (cwd / "monitor.toml").read_text(encoding="utf-8")
    assert "pap" not in text and "# Polish press agency." not in text
    assert "# Fetch limits.\n[fetch]" in text and "# the bundled ones" in text
    code, out, _ = invoke("sources", "list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["NAME", "seeds", "tass.ru"]
    assert out.splitlines()[2].split()[1:6] == ["feed", "15m", "-", "0", "never"]


def test_add_refuses_duplicates_and_bad_urls_leaving_the_file(cwd: Path) -> None:
    (cwd / "monitor.toml").write_text(CONFIG, encoding="utf-8")
    code, _, err = invoke("sources", "add", "https://www.pap.pl/rss.xml")
    assert code == 2 and "https://www.pap.pl/rss.xml is already configured" in err
    code, _, err = invoke("sources", "add", "https://www.pap.pl/other.xml", "--name", "pap")
    assert (
        code == 2 and "monitor.toml: sources: Value error, source name 'pap' is used twice" in err
    )
    code, _, err = invoke("sources", "add", "file:///etc/passwd")
    assert code == 2 and "'file:///etc/passwd' is not an http:// or https:// URL" in err
    code, _, err = invoke("sources", "remove", "nope")
    assert code == 2 and "monitor.toml: no source named 'nope'" in err
    assert (cwd / "monitor.toml").read_text(encoding="utf-8") == CONFIG


def test_add_creates_a_config_and_warns_about_short_intervals(cwd: Path) -> None:
    code, _, err = invoke("sources", "add", "http://127.0.0.1:1/f.xml", "--interval", "10s")
    assert code == 0 and "interval 10s is under a minute" in err
    assert (cwd / "monitor.toml").is_file()


def test_check_says_what_it_found_and_stores_nothing(cwd: Path, feed_server: Server) -> None:
    body = rss([("a", "Wezwanie ambasadora", "Treść"), ("b", "Wydalenie", "Treść")], "Agencja")
    feed_server.routes["/rss"] = feed(body)
    feed_server.routes["/gone"] = status(404)
    code, out, _ = invoke("sources", "check", feed_server.url("/rss"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"{feed_server.url('/rss')}: HTTP 200, {len(body)} bytes")
    assert lines[1:] == [
        "  feed 'Agencja': rss20, encoding utf-8, language ?",
        "  2 entries usable, 0 rejected",
        "  2026-11-10 Wezwanie ambasadora",
        "  2026-11-10 Wydalenie",
    ]
    assert not (cwd / "state").exists()
    code, _, err = invoke("sources", "check", feed_server.url("/gone"))
    assert code == 1 and err.strip() == f"{feed_server.url('/gone')}: fetch: HTTP 404"


def test_run_once_on_defaults_ingests_the_seeds_once(cwd: Path) -> None:
    code, out, _ = invoke("run", "--once")
    assert code == 0
    assert out.count("new  [seeds] #") == 2
    assert out.splitlines()[-1].startswith("checked 1 sources: 2 new articles, 0 failed")
    code, out, _ = invoke("run", "--once")
    assert code == 0 and out.startswith("checked 0 sources: 0 new articles")


def test_run_once_exit_code_says_a_check_failed(cwd: Path, feed_server: Server) -> None:
    feed_server.routes["/down"] = status(503)
    (cwd / "monitor.toml").write_text(
        f'[[sources]]\nname = "down"\nkind = "feed"\nurl = "{feed_server.url("/down")}"\n',
        encoding="utf-8",
    )
    code, out, _ = invoke("run", "--once")
    assert code == 1
    assert "fail [down] fetch: HTTP 503; next try " in out
