"""Log lines: key=value when not on a terminal, one line per record."""

from __future__ import annotations

import logging

import pytest

from monitor.logs import KeyValueFormatter, setup_logging


def test_key_value_lines_are_single_and_quoted() -> None:
    record = logging.LogRecord(
        "monitor.pipeline", logging.WARNING, __file__, 1, 'bad "line"\nnext', None, None
    )
    line = KeyValueFormatter().format(record)
    assert line == 'level=WARNING logger=monitor.pipeline msg="bad \\"line\\"\\nnext"'


def test_setup_installs_one_handler(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", stream_is_tty=False)
    setup_logging("INFO", stream_is_tty=False)
    ours = [h for h in logging.getLogger().handlers if h.get_name() == "monitor"]
    assert len(ours) == 1
    logging.getLogger("monitor.test").info("hello %s", "world")
    assert 'level=INFO logger=monitor.test msg="hello world"' in capsys.readouterr().err
