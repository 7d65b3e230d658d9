"""What reaches a console: a cell's control characters made visible, and text every console can encode.

Both concern whatever sheetkit prints, so both live here, apart from how
results are laid out (:mod:`sheetkit.output`), and import nothing heavy: the
command line sets its streams up before anything else.

- A cell may hold an ESC that recolours the terminal, a carriage return that
  overwrites the line, or a bidi override that reorders what is shown after it.
  Text output shows each as its escape (``\\x1b``, ``\\u202e``), and JSON as a
  ``\\u`` escape, so nothing raw from a workbook reaches the terminal.
- A Windows console (cp1252), or ``PYTHONIOENCODING=ascii``, cannot encode
  ``✓`` or a CJK name. Output degrades instead of crashing: sheetkit's own
  symbols become ASCII (``✓`` → ``OK``), anything else its escape; JSON is
  ASCII-only there, still valid and lossless.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import sys
from typing import Any, TextIO

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


# sheetkit's own symbols, as ASCII for a console that cannot show them.
FALLBACK = {
    "✓": "OK", "✗": "X", "—": "-", "–": "-", "…": "...", "↵": "\\n", "→": "->", "‘": "'", "’": "'",
    "“": '"', "”": '"', "•": "*", "·": ".", "×": "x", "≤": "<=", "≥": ">=", "\u00a0": " ",
}
ERRORS = "sheetkit-fallback"


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    """The codec error handler: each character the console cannot encode as ASCII or as its escape."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start : exc.end]:
        code = ord(ch)
        out.append(FALLBACK.get(ch) or (f"\\x{code:02x}" if code < 0x100 else
                                        f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"))
    return "".join(out), exc.end


codecs.register_error(ERRORS, _fallback)


def tolerate_any_encoding(*streams: TextIO) -> None:
    """Make ``streams`` (stdout and stderr by default) write what their encoding cannot hold as :data:`FALLBACK`."""
    for stream in streams or (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=ERRORS)


def is_utf8(stream: TextIO) -> bool:
    """Whether ``stream`` encodes as UTF-8, so that any text can be written to it as it is."""
    try:
        return codecs.lookup(stream.encoding or "ascii").name == "utf-8"
    except (LookupError, AttributeError):
        return False


def json_text(data: Any, *, indent: int | None, ascii_only: bool) -> str:
    """JSON for a console: ASCII-only when asked, else UTF-8 with only :data:`RAW` characters escaped."""
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    return text if ascii_only else _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
