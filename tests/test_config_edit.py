"""Editing [[sources]] blocks as text: comments kept, exactly one block removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config_edit import add_source_text, format_source_block, remove_source_text
from monitor.errors import ConfigError

PATH = Path("monitor.toml")
TEXT = """\
# top comment
[[sources]]
name = "a"
kind = "feed"
url = "https://a.example/rss"

# about b
# (two lines)
[[sources]]
name = "b"   # trailing comment
kind = "feed"
url = "https://b.example/rss"

# about fetch
[fetch]
deadline = "5s"
"""


def test_remove_cuts_the_block_and_its_own_comments_only() -> None:
    assert remove_source_text(TEXT, PATH, "b") == TEXT.replace(
        '# about b\n# (two lines)\n[[sources]]\nname = "b"   # trailing comment\n'
        'kind = "feed"\nurl = "https://b.example/rss"\n\n',
        "",
    )
    by_url = remove_source_text(TEXT, PATH, "https://a.example/rss")
    assert by_url.startswith("# top comment\n\n# about b\n")  # the top comment is not a's


def test_remove_refuses_what_it_cannot_edit_safely() -> None:
    with pytest.raises(ConfigError, match=r"monitor\.toml: no source named 'c'"):
        remove_source_text(TEXT, PATH, "c")
    inline = 'sources = [{name = "a", kind = "feed", url = "https://a.example/"}]\n'
    with pytest.raises(ConfigError, match="not all written as \\[\\[sources\\]\\] blocks"):
        remove_source_text(inline, PATH, "a")
    with pytest.raises(ConfigError, match=r"monitor\.toml: invalid TOML"):
        remove_source_text("[[sources]\n", PATH, "a")


def test_add_appends_a_valid_block_with_escaped_values() -> None:
    block = format_source_block({"name": 'say "hi"', "kind": "feed", "full_text": True})
    assert block == '[[sources]]\nname = "say \\"hi\\""\nkind = "feed"\nfull_text = true\n'
    assert add_source_text("x = 1", {"name": "n"}) == 'x = 1\n\n[[sources]]\nname = "n"\n'
    assert add_source_text("", {"name": "n"}) == '[[sources]]\nname = "n"\n'
