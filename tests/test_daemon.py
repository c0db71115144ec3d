"""The daemon in-process: one pass, reload keeping the last good set, heartbeat."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.config import Settings, load_settings
from monitor.daemon import Daemon
from monitor.notify import Notifier
from monitor.store import Store, open_store
from monitor.store.schedule import all_sources
from tests.feedserver import Server, feed, feed_server, hang, rss

__all__ = ["feed_server"]


def config(tmp_path: Path, server: Server, extra: str = "") -> Path:
    articles = tmp_path / "articles"
    articles.mkdir(exist_ok=True)
    (articles / "a.txt").write_text("Ambasador Rosji został wezwany do MSZ.", encoding="utf-8")
    path = tmp_path / "monitor.toml"
    path.write_text(
        '[fetch]\nread_timeout = "1s"\ndeadline = "2s"\nworkers = 4\n'
        '[[sources]]\nname = "files"\nkind = "files"\npath = "articles"\n'
        f'[[sources]]\nname = "good"\nkind = "feed"\nurl = "{server.url("/good")}"\n'
        f'interval = "1h"\n'
        f'[[sources]]\nname = "slow"\nkind = "feed"\nurl = "{server.url("/hang")}"\n' + extra,
        encoding="utf-8",
    )
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'monitor.db'}")
    yield store
    store.dispose()


def test_run_once_checks_every_due_source_then_nothing(
    tmp_path: Path, feed_server: Server, store: Store
) -> None:
    feed_server.routes["/good"] = feed(rss([("g1", "Wezwanie", "Treść")]))
    feed_server.routes["/hang"] = hang
    path = config(tmp_path, feed_server)
    daemon = Daemon(lambda: load_settings(path), store)
    outcomes = {o.source: o for o in daemon.run_once()}
    assert outcomes["files"].report.new == 1 and outcomes["good"].report.new == 1
    assert outcomes["slow"].error == "fetch: read timed out (server silent)"
    assert daemon.run_once() == []  # nothing is due again yet
    with store.session() as session:
        rows = {r.name: r for r in all_sources(session)}
    assert rows["good"].interval_s == 3600 and rows["slow"].error_count == 1


def test_reload_keeps_the_running_config_when_the_new_one_is_bad(
    tmp_path: Path, feed_server: Server, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    path = config(tmp_path, feed_server)
    daemon = Daemon(lambda: load_settings(path), store)
    path.write_text(path.read_text() + "bogus = 1\n", encoding="utf-8")
    assert not daemon.reload()
    assert [s.name for s in daemon.settings.sources] == ["files", "good", "slow"]
    assert f"{path}:18: sources[2].bogus: unknown setting" in caplog.text
    config(tmp_path, feed_server, f'[[sources]]\nkind = "feed"\nurl = "{feed_server.url("/n")}"\n')
    assert daemon.reload()
    assert [s.name for s in daemon.settings.sources] == ["files", "good", "slow", "127.0.0.1"]


def test_reload_keeps_the_last_good_rules(
    tmp_path: Path, feed_server: Server, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    path = config(tmp_path, feed_server)
    versions = iter(["rules v1", ValueError("rules/a.yaml:3: rule x: bad field"), "rules v3"])

    def load_rules(_settings: Settings) -> object:
        value = next(versions)
        if isinstance(value, Exception):
            raise value
        return value

    daemon = Daemon(lambda: load_settings(path), store, rules_loader=load_rules)
    assert daemon.rules == "rules v1"
    assert daemon.reload() and daemon.rules == "rules v1"
    assert "keeping the last good set: rules/a.yaml:3: rule x: bad field" in caplog.text
    assert daemon.reload() and daemon.rules == "rules v3"


def test_heartbeat_pets_the_watchdog_only_while_no_check_is_stuck(
    tmp_path: Path, feed_server: Server, store: Store
) -> None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify.sock"))
    sock.settimeout(1)
    path = config(tmp_path, feed_server)
    daemon = Daemon(
        lambda: load_settings(path), store, notifier=Notifier(str(tmp_path / "notify.sock"))
    )
    daemon.heartbeat()
    assert sock.recv(100) == b"WATCHDOG=1"
    assert sock.recv(200).startswith(b"STATUS=3 sources, 0 checks")
    daemon._running["slow"] = time.monotonic() - 3600  # a worker that never came back
    daemon.heartbeat()
    with pytest.raises(TimeoutError):
        sock.recv(100)
    sock.close()
