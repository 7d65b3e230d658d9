"""A change to a workbook as a value: which cell, what goes in, and cell addresses.

Nothing here touches a file. :class:`CellChange` is what ``record``,
``import`` and ``validate --annotate`` compute and what the editor applies;
the helpers turn column letters and ranges into numbers and back, the same
for both formats.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sheetkit.errors import EditError
from sheetkit.reader import column_letter

Value = str | dt.date | dt.datetime | int | float | None

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
_LETTERS = re.compile(r"[A-Z]{1,3}")


@dataclass(frozen=True)
class Address:
    """A cell of a sheet: ``row`` as Excel and Calc show it, ``column`` its letters (``"Q"``)."""

    sheet: str
    row: int
    column: str

    @property
    def cell(self) -> str:
        """The cell reference, e.g. ``Q7``."""
        return f"{self.column}{self.row}"

    @property
    def column_number(self) -> int:
        """The column as a number, A = 1."""
        return column_number(self.column)


@dataclass(frozen=True)
class CellChange(Address):
    """Put ``new`` in ``column``/``row`` of ``sheet``; ``None`` empties the cell.

    ``row`` is the row number as Excel and Calc show it, ``column`` its letters
    (``"Q"``). A change addressed below the last row holding a value appends a
    row: it takes the formats and drop-downs of the last row, and the ranges of
    Tables, filters, drop-downs and conditional formats grow over it.
    ``old`` is what the cell held, for listings only; the editor ignores it.
    """

    new: Value
    old: object = None

    def to_dict(self, columns: Mapping[str, str]) -> dict[str, Any]:
        """The change as ``--format json`` lists it (README, "Writing back"); ``columns`` names each letter."""
        old, new = self.old, self.new
        # Most values are text or empty: an import lists a hundred thousand of them.
        return {"sheet": self.sheet, "cell": self.cell, "row": self.row,
                "column": columns.get(self.column, self.column),
                "old": old if old is None or old.__class__ is str else json_value(old),
                "new": new if new is None or new.__class__ is str else json_value(new)}


def json_value(value: object) -> object:
    """A cell value as JSON holds it: a date as ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


@functools.cache
def column_number(letters: str) -> int:
    """Column letters to their number: A → 1, Z → 26, AA → 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    """A column number (A = 1) to its letters."""
    return column_letter(number - 1)


def find_sheet(name: str, names: Iterable[str]) -> str:
    """The sheet ``name`` as the workbook spells it: exactly, else ignoring case and surrounding spaces."""
    names = list(names)
    if name in names:
        return name
    folded = [n for n in names if n.casefold() == name.strip().casefold()]
    if len(folded) != 1:
        raise EditError(f"the workbook has no sheet `{name}`", f"sheets: {', '.join(names) or 'none'}")
    return folded[0]


def checked(changes: Iterable[CellChange]) -> list[CellChange]:
    """The changes, refused as a whole when one cannot be a cell or two address the same cell."""
    out: list[CellChange] = []
    seen: set[tuple[str, int, int]] = set()
    for change in changes:
        if not _is_column(change.column):
            raise EditError(f"`{change.column}` is not a column", "give column letters, A to XFD")
        row = change.row
        if row.__class__ is not int or not 1 <= row <= MAX_ROWS:
            raise EditError(f"{_where(change)}: row {row!r} is not a row number", f"rows run from 1 to {MAX_ROWS:,}")
        if change.new.__class__ is not str:  # text, nearly every value an import writes, is always a value
            _check_value(change.new, _where(change))
        key = (change.sheet.casefold(), row, column_number(change.column))
        if key in seen:
            raise EditError(f"{_where(change)} is changed twice", "give one value per cell")
        seen.add(key)
        out.append(change)
    return out


@functools.cache
def _is_column(letters: str) -> bool:
    return _LETTERS.fullmatch(letters) is not None and 1 <= column_number(letters) <= MAX_COLUMNS


def _where(change: CellChange) -> str:
    return f"{change.sheet}!{change.column}{change.row}"


_VALUE_TYPES = (str, dt.date, int, float, type(None))


def _check_value(value: object, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, _VALUE_TYPES):
        raise EditError(f"{where}: {type(value).__name__} is not a cell value", "give text, a number or a date")
    if isinstance(value, float) and not math.isfinite(value):
        raise EditError(f"{where}: {value} is not a number a spreadsheet can hold", "give a finite number")
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        raise EditError(f"{where}: {value} has a time zone", "give the local date and time, without a zone")


@dataclass(frozen=True)
class Rows:
    """A rectangle of cells by numbers; ``last`` is None for whole columns (``P:P``)."""

    first_col: int
    first: int | None
    last_col: int
    last: int | None


_RECT = re.compile(r"\$?([A-Za-z]{1,3})?\$?(\d+)?(?::\$?([A-Za-z]{1,3})?\$?(\d+)?)?")


def parse_rect(text: str) -> Rows | None:
    """``A2:Y21``, ``$A$1:$Y$1000``, ``P7`` or ``P:P`` as numbers; None when it is not a plain range."""
    m = _RECT.fullmatch(text)
    if not m or not (m[1] or m[2]):
        return None
    c1, r1, c2, r2 = m[1], m[2], m[3], m[4]
    if ":" not in text:
        c2, r2 = c1, r1
    first_col = column_number(c1) if c1 else 1
    last_col = column_number(c2) if c2 else MAX_COLUMNS
    first = int(r1) if r1 else None
    last = int(r2) if r2 else None
    return Rows(first_col, first, last_col, last)


def with_last_row(text: str, last: int) -> str:
    """The range ``text`` (``A2:Y21``, ``$A$1:$Y$1000``, ``P21``) ending at row ``last``, its ``$`` kept."""
    start, colon, end = text.partition(":")
    if not colon:
        end = start
    m = re.fullmatch(r"(\$?[A-Za-z]{1,3})(\$?)\d+", end)
    if m is None:
        return text
    return f"{start}:{m[1]}{m[2]}{last}"


def grows(rect: Rows, last_filled: int, header: int, new_last: int, *, with_header: bool) -> bool:
    """Whether a range should grow to ``new_last`` when rows are appended below ``last_filled``.

    A range grows when it reaches the last row holding a value and stops short
    of the new rows. Tables and filters include their header row and always
    do; drop-downs and conditional formats do when they cover data rows, which
    start below the ``header`` row and right after the filled ones at the latest.
    """
    if rect.first is None or rect.last is None or not rect.last < new_last:
        return False
    if with_header:
        return rect.first <= last_filled <= rect.last
    return header < rect.first <= last_filled + 1 and rect.last >= last_filled


@dataclass(frozen=True)
class Mark(Address):
    """A problem to show on a cell of an annotated copy: filled red (``error``) or amber, its message a comment."""

    severity: str
    message: str
