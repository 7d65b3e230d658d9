"""What reaches a console: a cell's control characters made visible.

A cell may hold an ESC that recolours the terminal, a carriage return that
overwrites the line, or a bidi override that reorders what is shown after it.
Text output shows each as its escape (``\\x1b``, ``\\u202e``), and JSON as a
``\\u`` escape, so nothing raw from a workbook reaches the terminal. This
module imports nothing heavy, as the command line's error line uses it too.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Controls other than the line feeds and tabs a table lays out, bidi marks, embeddings,
# overrides and isolates, line and paragraph separators, and lone surrogates.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
# The same characters, less those a JSON encoder escapes itself.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every character of :data:`RAW` shown as its escape; a CR LF line end is a line feed."""
    if text.isprintable():  # nearly every cell: nothing to look for
        return text
    return RAW.sub(_escape, text.replace("\r\n", "\n"))


def json_text(data: Any, *, indent: int | None, ascii_only: bool) -> str:
    """JSON for a console: ASCII-only when asked, else UTF-8 with only :data:`RAW` characters escaped."""
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    return text if ascii_only else _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
