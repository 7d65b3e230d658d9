"""What reaches a console: control characters escaped."""

from __future__ import annotations

import json

from sheetkit.terminal import json_text, visible


def test_visible_escapes_controls_and_bidi_keeps_line_feeds_tabs_and_scripts() -> None:
    """Controls, bidi characters and separators become escapes; line feeds, tabs and any script stay as typed."""
    assert visible("Zoë 李小龍 مريم\tx\ny") == "Zoë 李小龍 مريم\tx\ny"
    assert visible("a\x1b[31mb\x07\x7f\x9b\u202e\u2066\u200f\u2028\ud800") == (
        "a\\x1b[31mb\\x07\\x7f\\x9b\\u202e\\u2066\\u200f\\u2028\\ud800"
    )
    assert visible("one\r\ntwo\rthree") == "one\ntwo\\x0dthree"


def test_json_is_ascii_where_asked_and_never_carries_raw_bidi_or_controls() -> None:
    """ASCII-only JSON escapes everything; UTF-8 JSON keeps scripts and escapes only what a terminal must not see."""
    data = {"contact": "李\u202eZoë\x85\x7f\u2028"}
    narrow = json_text(data, indent=None, ascii_only=True)
    wide = json_text(data, indent=2, ascii_only=False)
    assert narrow.isascii()
    assert "李" in wide and "Zoë" in wide and "\\u202e" in wide and "\\u0085" in wide and "\\u007f" in wide
    assert not any(ch in wide for ch in "\u202e\x85\x7f\u2028")
    assert json.loads(narrow) == json.loads(wide) == data
