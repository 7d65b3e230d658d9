"""What python-calamine loses from a sheet, gathered from the XML the safety scan already holds.

calamine

- reads a cell showing a formula error as an empty cell;
- reads the totals row of an Excel Table as one more row of data;
- knows no merged cells in an ``.ods`` (those of an ``.xlsx`` are read here
  too, so that both formats go one way);
- drops a tab or a line break inside ``.ods`` text.

Each is found here by searching for its mark first, so a sheet without any
costs a substring search per mark, never a second parse of the sheet.
Positions are 0-based ``(row, column)`` in calamine's grid, which starts at A1.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sheetkit.errors import ArgumentError


@dataclass
class SheetFacts:
    """The facts about one sheet that calamine does not hand over."""

    # Each cell showing a formula error, with the error as the spreadsheet shows it.
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    # Each cell whose text calamine reads short, with its full text.
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    # Each merged area spanning rows: first row, first column, last row, last column.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    # Each Table totals row: the row, and the first and last column of the Table.
    totals: list[tuple[int, int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.errors or self.texts or self.merges or self.totals)


def column_number(letters: bytes) -> int:
    """Column letters, in either case, to the column's 1-based number (A → 1, AA → 27)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def cell_position(ref: bytes) -> tuple[int, int]:
    """``B7`` → ``(6, 1)``."""
    m = _REF.fullmatch(ref.strip())
    if m is None:
        raise ArgumentError(f"not a cell reference: {ref!r}")
    return int(m[2]) - 1, column_number(m[1]) - 1


def cell_range(ref: bytes) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """``A1:C4`` (or one cell) → its first and last positions; None for anything else.

    What the scan gathers must never refuse a workbook: a range that does not
    parse is left out, and the parser is left to make of it what it does.
    """
    first, _, last = ref.partition(b":")
    try:
        return cell_position(first), cell_position(last or first)
    except ValueError:
        return None


_REF = re.compile(rb"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


# --- .xlsx -------------------------------------------------------------------------

# Excel and LibreOffice write t="e" on a cell whose formula gave an error, and the
# error's text (#N/A, #VALUE!, …) as its cached value. Both put r first on a cell.
# Every error's text starts with "#", which a sheet whose text is in the shared
# strings hardly holds: that byte is looked for first, at the speed of memchr.
_ERROR_MARKS = (b"#", b't="e"')
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\s+r="([A-Za-z]{1,3}[0-9]{1,7})"[^>]*?\st="e"[^>]*?(?<!/)>(.*?)</(?:\w+:)?c>', re.S
)
_CACHED_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([^"]*)"')


def xlsx_facts(xml: bytes, tables: Iterable[tuple[str, int]] = ()) -> SheetFacts:
    """The facts of one worksheet part; ``tables`` are its Tables' ``ref`` and totals row count."""
    facts = SheetFacts()
    if all(mark in xml for mark in _ERROR_MARKS):
        for m in _ERROR_CELL.finditer(xml):
            value = _CACHED_VALUE.search(m[2])
            shown = html.unescape(value[1].decode("utf-8", "replace")).strip() if value else ""
            facts.errors[cell_position(m[1])] = shown or "#VALUE!"
    # Merged areas are listed after the cells, near the end of the part.
    tail = xml[max(xml.rfind(b"sheetData>"), 0):]
    for m in _MERGE_CELL.finditer(tail):
        merged = cell_range(m[1])
        if merged and merged[1][0] > merged[0][0]:
            (r0, c0), (r1, c1) = merged
            facts.merges.append((r0, c0, r1, c1))
    for ref, count in tables:
        table = cell_range(ref.encode("ascii", "replace"))
        if table:
            (r0, c0), (r1, c1) = table
            # Below the header row, at most: Excel writes a count of 0 or 1.
            facts.totals.extend((r, c0, c1) for r in range(max(r1 - count + 1, r0 + 1), r1 + 1))
    return facts


# --- .ods --------------------------------------------------------------------------

# The parser ignores a self-closing <table:table-row/>; so do these.
ODS_TABLE = re.compile(rb"<table:table(?=[\s>])([^>]*)(?<!/)>(.*?)</table:table>", re.S)
ODS_ROW = re.compile(rb"<table:table-row(?=[\s>])([^>]*)(?<!/)>(.*?)</table:table-row>", re.S)
ODS_NAME = re.compile(rb'table:name\s*=\s*"([^"]*)"')
ODS_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated\s*=\s*"\s*([0-9]+)')
ODS_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated\s*=\s*"\s*([0-9]+)')
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])([^>]*?)(/?)>")
_ODS_ROWS_SPANNED = re.compile(rb'table:number-rows-spanned\s*=\s*"\s*([0-9]+)')
_ODS_COLUMNS_SPANNED = re.compile(rb'table:number-columns-spanned\s*=\s*"\s*([0-9]+)')
_ODS_ERROR = b'calcext:value-type="error"'
# Text marks the parser skips over: a tab and a line break inside a paragraph.
_ODS_LOST = (b"<text:tab", b"<text:line-break")
_ODS_MARKS = (_ODS_ERROR, b"table:number-rows-spanned", *_ODS_LOST)
_ODS_ANNOTATION = re.compile(rb"<office:annotation(?=[\s>]).*?</office:annotation>", re.S)
_ODS_TEXT_TAG = re.compile(rb"<text:(p|h|s|tab|line-break)(?=[\s/>])([^>]*)>|<[^>]*>")
_ODS_SPACES = re.compile(rb'text:c\s*=\s*"\s*([0-9]+)')


def sheet_name(raw: bytes) -> str:
    """An .ods table name as the parser gives it, entities resolved."""
    return html.unescape(raw.decode("utf-8", "replace"))


def ods_facts(xml: bytes) -> dict[str, SheetFacts]:
    """The facts of each table in an .ods ``content.xml`` that has any, by sheet name."""
    if not any(mark in xml for mark in _ODS_MARKS):
        return {}
    out: dict[str, SheetFacts] = {}
    for table in ODS_TABLE.finditer(xml):
        facts = SheetFacts()
        row = 0
        for r in ODS_ROW.finditer(table[2]):
            rep = ODS_ROWS_REPEATED.search(r[1])
            repeat = int(rep[1]) if rep else 1
            if any(mark in r[2] for mark in _ODS_MARKS):
                _ods_row(r[2], row, repeat, facts)
            row += repeat
        name = ODS_NAME.search(table[1])
        if facts and name:
            out[sheet_name(name[1])] = facts
    return out


def _ods_row(cells: bytes, row: int, repeat: int, facts: SheetFacts) -> None:
    column = 0
    found = list(_ODS_CELL.finditer(cells))
    for k, m in enumerate(found):
        attrs = m[1]
        rep = ODS_COLUMNS_REPEATED.search(attrs)
        width = int(rep[1]) if rep else 1
        content = b"" if m[2] else cells[m.end(): found[k + 1].start() if k + 1 < len(found) else len(cells)]
        if _ODS_ERROR in attrs:
            shown = _ods_text(content).strip() or "Err"
            facts.errors.update(((row + i, column + j), shown) for i in range(repeat) for j in range(width))
        elif (any(mark in content for mark in _ODS_LOST) and b'office:value-type="string"' in attrs
              and b"office:string-value" not in attrs):  # with string-value, the parser reads that instead
            text = _ods_text(content)
            facts.texts.update(((row + i, column + j), text) for i in range(repeat) for j in range(width))
        down = _ODS_ROWS_SPANNED.search(attrs)
        if down and int(down[1]) > 1:
            across = _ODS_COLUMNS_SPANNED.search(attrs)
            right = max(int(across[1]), 1) if across else 1
            facts.merges.append((row, column, row + int(down[1]) - 1, column + right - 1))
        column += width


def _ods_text(content: bytes) -> str:
    """A cell's text as shown: paragraphs on lines, spaces, tabs and breaks kept, comments left out."""
    first = True

    def tag(m: re.Match[bytes]) -> bytes:
        nonlocal first
        kind = m[1]
        if kind in (b"p", b"h"):
            if first:
                first = False
                return b""
            return b"\n"
        if kind == b"s":
            count = _ODS_SPACES.search(m[2])
            return b" " * (int(count[1]) if count else 1)
        if kind == b"tab":
            return b"\t"
        if kind == b"line-break":
            return b"\n"
        return b""

    text = _ODS_TEXT_TAG.sub(tag, _ODS_ANNOTATION.sub(b"", content))
    return html.unescape(text.decode("utf-8", "replace"))
