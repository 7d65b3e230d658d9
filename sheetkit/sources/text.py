"""A text source's bytes as text, whatever encoding a contacts export was saved in.

A byte-order mark says UTF-8 or UTF-16; otherwise UTF-8 is tried strictly and
Windows-1252 is what Excel on Windows saves a "CSV (comma delimited)" in.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from sheetkit.errors import UsageError

MAX_BYTES = 200 << 20  # a LinkedIn export of 30,000 people is about 3 MB


def decoded(path: Path) -> str:
    """The file's text; refused when it is too large to be a contacts export."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"is larger than {MAX_BYTES >> 20} MB, too large for a contacts export",
                             "split it into smaller files", path)
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot be read ({exc.strerror or exc})", "check the file's permissions", path) from None
    return decode(data)


def decode(data: bytes) -> str:
    """``data`` as text: by its byte-order mark, else UTF-8, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
