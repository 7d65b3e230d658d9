"""What reaches a console: control characters escaped, and text any encoding can take."""

from __future__ import annotations

import io
import json

import pytest

from sheetkit.terminal import ERRORS, is_utf8, json_text, tolerate_any_encoding, visible


def test_visible_escapes_controls_and_bidi_keeps_line_feeds_tabs_and_scripts() -> None:
    """Controls, bidi characters and separators become escapes; line feeds, tabs and any script stay as typed."""
    assert visible("Zoë 李小龍 مريم\tx\ny") == "Zoë 李小龍 مريم\tx\ny"
    assert visible("a\x1b[31mb\x07\x7f\x9b\u202e\u2066\u200f\u2028\ud800") == (
        "a\\x1b[31mb\\x07\\x7f\\x9b\\u202e\\u2066\\u200f\\u2028\\ud800"
    )
    assert visible("one\r\ntwo\rthree") == "one\ntwo\\x0dthree"


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "latin-1"])
def test_a_narrow_console_gets_ascii_symbols_and_escapes_never_an_error(encoding: str) -> None:
    """sheetkit's symbols fall back to ASCII, anything else the console lacks to its escape; nothing raises."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding)
    tolerate_any_encoding(stream)
    assert stream.errors == ERRORS
    stream.write("✓ done — 李 ✗ … ↵ 😀 \ud800")
    stream.flush()
    text = raw.getvalue().decode(encoding)
    assert text.startswith("OK done ") and " \\u674e X " in text and "\\U0001f600 \\ud800" in text
    assert ("—" in text) == (encoding == "cp1252") and ("…" in text) == (encoding == "cp1252")


def test_json_is_ascii_where_asked_and_never_carries_raw_bidi_or_controls() -> None:
    """ASCII-only JSON escapes everything; UTF-8 JSON keeps scripts and escapes only what a terminal must not see."""
    data = {"contact": "李\u202eZoë\x85\x7f\u2028"}
    narrow = json_text(data, indent=None, ascii_only=True)
    wide = json_text(data, indent=2, ascii_only=False)
    assert narrow.isascii()
    assert "李" in wide and "Zoë" in wide and "\\u202e" in wide and "\\u0085" in wide and "\\u007f" in wide
    assert not any(ch in wide for ch in "\u202e\x85\x7f\u2028")
    assert json.loads(narrow) == json.loads(wide) == data


@pytest.mark.parametrize(("encoding", "utf8"), [("utf-8", True), ("UTF8", True), ("cp1252", False),
                                                ("ascii", False), ("utf-16", False)])
def test_is_utf8(encoding: str, utf8: bool) -> None:
    """A stream is UTF-8 whatever the spelling of its encoding's name."""
    assert is_utf8(io.TextIOWrapper(io.BytesIO(), encoding=encoding)) is utf8
