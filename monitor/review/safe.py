"""Untrusted text (titles, evidence from feeds) made safe for a terminal.

Control characters (C0 including ESC, DEL, C1) and bidirectional overrides are removed,
so no escape sequence from an article reaches the terminal; line breaks become spaces.
Callers put the result in ``rich.text.Text`` (never in markup), so ``[bold]`` stays literal.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\t\n\r]+")


def clean(text: str | None) -> str:
    """The text with control characters dropped and line breaks folded to spaces."""
    if not text:
        return ""
    return _CONTROLS.sub("", _BREAKS.sub(" ", text))
