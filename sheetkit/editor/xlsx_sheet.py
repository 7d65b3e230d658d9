"""One worksheet part of an .xlsx, patched row by row as bytes.

A cohort's Contacts sheet is tens of megabytes; building a tree of it would
cost more than reading it. Rows are found with one scan, and only the rows
holding a change are taken apart and put back together; every other byte of
the part stays as it was. Text goes in as an inline string, so the
shared-string table and its counts stay untouched; numbers and dates as
numbers, dates with a date style.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sheetkit.editor import xml
from sheetkit.editor.changes import CellChange, Value, column_letters, column_number, grows, parse_rect, with_last_row
from sheetkit.errors import EditError

EPOCH_1900 = dt.date(1899, 12, 30)
EPOCH_1904 = dt.date(1904, 1, 1)
# Excel counts 1900-02-29, which never was: serials before March 1900 are one less.
_FAKE_LEAP_DAY = dt.date(1900, 3, 1)
# Characters XML 1.0 cannot hold, and text that looks like OOXML's own escape for them.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_CELL_REF = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]{1,3})\d+["']""")
_ROW_NUMBER = re.compile(rb"""(?:^|\s)r\s*=\s*["'](\d+)["']""")


@dataclass
class Cell:
    column: int
    raw: bytes
    tag: bytes
    content: bytes | None
    has_ref: bool = True


@dataclass
class Outcome:
    """What patching one sheet did, for the parts around it."""

    data: bytes
    formula_replaced: bool = False
    last_filled: int = 0
    new_last: int = 0
    autofilter: tuple[int, int, int, int] | None = None  # first/last column, first/last row after growing


def serial(value: dt.date, date1904: bool) -> str:
    """A date or date-time as the serial number Excel stores."""
    day = value.date() if isinstance(value, dt.datetime) else value
    days = (day - EPOCH_1904).days if date1904 else (day - EPOCH_1900).days - (day < _FAKE_LEAP_DAY)
    if days < (0 if date1904 else 1):
        raise EditError(f"{value} is before the first date a spreadsheet can hold",
                        "give a date from 1900-01-01 (1904-01-01 in a 1904-dated workbook) on")
    if isinstance(value, dt.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return repr(days + seconds / 86400) if seconds else str(days)
    return str(days)


def ooxml_text(text: str) -> bytes:
    """Text for a ``<t>``: control characters as ``_xHHHH_``, a literal ``_xHHHH_`` kept literal."""
    return xml.escape(_UNWRITABLE.sub(lambda m: f"_x{ord(m[0]):04X}_", text))


class Sheet:
    """A worksheet part's bytes and where its rows lie."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        root = xml.root_start(data)
        name = root[1]
        self.p = name[: name.index(b":") + 1] if b":" in name else b""
        p = re.escape(self.p)
        opening = re.compile(rb"<" + p + rb"sheetData(?=[\s/>])[^>]*?(/?)>").search(data)
        if opening is None:
            raise EditError("a worksheet has no cell data", "open the workbook in Excel or LibreOffice and save it")
        self.body_start = opening.end()
        self.empty_body = bool(opening[1])
        if self.empty_body:
            self.body_end = opening.end()
            self._open_tag = opening
        else:
            close = data.find(b"</" + self.p + b"sheetData>", opening.end())
            self.body_end = close
        self.head = data[: opening.start()]
        self.tail_start = self.body_end if self.empty_body else self.body_end + len(b"</" + self.p + b"sheetData>")
        self._cell = re.compile(rb"<" + p + rb"c(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.S)
        self._formula = re.compile(rb"<" + p + rb"f(?=[\s/>])")
        self._cell_start = re.compile(rb"<" + p + rb'c r="([A-Za-z]{1,3})\d+"')
        self._value = re.compile(rb"<" + p + rb"v>[^<]|<" + p + rb"t(?:\s[^>]*)?>[^<]")
        self._row_at = re.compile(rb"<" + p + rb"row(?=[\s/>])([^>]*?)(?:/>|>.*?</" + p + rb"row>)", re.S)
        # Every writer puts r first on a row: then one scan finds each row's number and start.
        numbered = re.compile(rb"<" + p + rb'row r="(\d+)"')
        found = [(m.start(), int(m[1])) for m in numbered.finditer(data, self.body_start, self.body_end)]
        if len(found) != data.count(b"<" + self.p + b"row", self.body_start, self.body_end):
            found = []
            number = 0
            for m in self._row_at.finditer(data, self.body_start, self.body_end):
                r = _ROW_NUMBER.search(m[1])
                number = int(r[1]) if r else number + 1
                found.append((m.start(), number))
        self.starts = [start for start, _ in found]
        self.numbers = [number for _, number in found]

    def _span(self, i: int) -> tuple[int, int, bytes]:
        """Where row ``i`` (by position) starts and ends, and its start tag's attributes."""
        m = self._row_at.match(self.data, self.starts[i])
        assert m is not None
        return m.start(), m.end(), m[1]

    # --- what the sheet holds --------------------------------------------------

    def _filled(self, i: int) -> bool:
        start, end, _ = self._span(i)
        return self._value.search(self.data, start, end) is not None

    def last_filled(self) -> int:
        """The last row holding a value (0 for none): below it, only empty or formatted cells."""
        for i in range(len(self.starts) - 1, -1, -1):
            if self._filled(i):
                return self.numbers[i]
        return 0

    def first_filled(self) -> int:
        for i in range(len(self.starts)):
            if self._filled(i):
                return self.numbers[i]
        return 0

    def autofilter(self) -> tuple[int, int, int, int] | None:
        """The sheet's filter range as first/last column and first/last row, if it has one."""
        m = re.compile(rb"<" + re.escape(self.p) + rb"autoFilter(?=[\s/>])[^>]*>").search(self.data, self.tail_start)
        ref = xml.attr(m[0], b"ref") if m else None
        rect = parse_rect(ref.decode()) if ref else None
        if rect is None or rect.first is None or rect.last is None:
            return None
        return rect.first_col, rect.last_col, rect.first, rect.last

    def _column_styles(self) -> list[tuple[int, int, int]]:
        cols = re.compile(rb"<" + re.escape(self.p) + rb"col(?=[\s/>])[^>]*>")
        out = []
        for m in cols.finditer(self.head):
            a = xml.attrs(m[0])
            if b"style" in a and b"min" in a and b"max" in a:
                out.append((int(a[b"min"]), int(a[b"max"]), int(a[b"style"])))
        return out

    def _cells(self, i: int) -> list[Cell]:
        start, end, _ = self._span(i)
        cells: list[Cell] = []
        column = 0
        for m in self._cell.finditer(self.data, start, end):
            ref = _CELL_REF.search(m[1])
            column = _column(ref[1]) if ref else column + 1
            cells.append(Cell(column, m[0], m[1], m[2], ref is not None))
        return cells

    # --- changing it ----------------------------------------------------------------

    def apply(self, changes: Sequence[CellChange], *, header: int, date1904: bool,
              date_style: Callable[[int], int]) -> Outcome:
        """The part with ``changes`` made, appended rows formatted like the last filled row, ranges grown."""
        by_row: dict[int, list[CellChange]] = {}
        for change in changes:
            by_row.setdefault(change.row, []).append(change)
        self._refuse_covered(changes)
        last = self.last_filled()
        template = bisect.bisect_left(self.numbers, last) if last > header else None
        template_cells = self._cells(template) if template is not None else []
        template_tag = self._span(template)[2] if template is not None else b""
        column_styles = self._column_styles()
        # One appended row's blank cells serve every appended row: an import appends thousands.
        blanks = [self._blank(c) for c in template_cells if xml.attr(c.tag, b"s")]
        outcome = Outcome(b"", last_filled=last, new_last=max(by_row))
        # Slices of the part as views, joined once: a cohort's sheet is not copied piece by piece.
        data = memoryview(self.data)
        pieces: list[bytes | memoryview] = []
        at = self.body_start
        for number in sorted(by_row):
            i = bisect.bisect_left(self.numbers, number)
            if i < len(self.numbers) and self.numbers[i] == number:
                start, end, tag = self._span(i)
                spliced = self._spliced(i, number, by_row[number], outcome, date1904, date_style, column_styles)
                if spliced is not None:
                    pieces += [data[at:start], spliced]
                    at = end
                    continue
                cells = self._cells(i)
                row_tag = tag
            else:
                start = end = self._span(i - 1)[1] if i else self.body_start
                tag = b""
                appended = number > last and template is not None
                cells = blanks if appended else []
                row_tag = _row_style(template_tag) if appended else b""
            row_style = _row_default_style(row_tag)
            cells = self._put(cells, by_row[number], outcome, date1904, date_style, row_style, column_styles)
            pieces += [data[at:start], self._row(number, tag or row_tag, cells, bool(tag))]
            at = end
        pieces.append(data[at : self.body_end])
        head = self._dimension(self.head, changes)
        tail = self.data[self.tail_start :]
        if outcome.new_last > last:
            tail = self._grow(tail, last, header, outcome)
        close = b"</" + self.p + b"sheetData>"
        if self.empty_body:
            opening = self._open_tag[0][:-2].rstrip() + b">"
        else:
            opening = self.data[len(self.head) : self.body_start]
        outcome.data = b"".join([head, opening, *pieces, close, tail])
        return outcome

    def _blank(self, cell: Cell) -> Cell:
        """An empty cell with the style of ``cell``, for a row appended below it."""
        style = xml.attr(cell.tag, b"s")
        raw = b"<" + self.p + b"c" + (b' s="' + style + b'"' if style else b"") + b"/>"
        return Cell(cell.column, raw, raw[len(self.p) + 2 : -2], None, has_ref=False)

    def _put(self, cells: list[Cell], changes: list[CellChange], outcome: Outcome, date1904: bool,
             date_style: Callable[[int], int], row_style: int | None,
             column_styles: list[tuple[int, int, int]]) -> list[Cell]:
        """A new list of the row's cells with ``changes`` made; ``cells`` itself is left as it was."""
        by_column = {c.column: c for c in cells}
        for change in changes:
            column = change.column_number
            new = self._new_cell(change, by_column.get(column), outcome, date1904, date_style, row_style,
                                 column_styles)
            if new:
                by_column[column] = Cell(column, new, b"", b"")
            else:
                by_column.pop(column, None)
        return [by_column[k] for k in sorted(by_column)]

    def _new_cell(self, change: CellChange, old: Cell | None, outcome: Outcome, date1904: bool,
                  date_style: Callable[[int], int], row_style: int | None,
                  column_styles: list[tuple[int, int, int]]) -> bytes:
        """The bytes of the changed cell (empty for a cell that no longer needs to exist)."""
        if old is not None and old.content and self._formula.search(old.content):
            self._refuse_formula(old, change)
            outcome.formula_replaced = True
        style: int | None
        own = _tag_style(old.tag) if old is not None else None
        if own is not None:
            style = int(own)
        elif row_style is not None:
            style = row_style
        else:
            column = change.column_number
            style = next((s for lo, hi, s in column_styles if lo <= column <= hi), None)
        return self._cell_bytes(change, old, style, date1904, date_style)

    def _spliced(self, i: int, number: int, changes: list[CellChange], outcome: Outcome, date1904: bool,
                 date_style: Callable[[int], int], column_styles: list[tuple[int, int, int]]) -> bytes | None:
        """Row ``i`` with ``changes`` spliced into its bytes, untouched cells left as they lie.

        None when a cell of the row lacks its reference (then the row is rebuilt cell by cell).
        """
        start, end, tag = self._span(i)
        row = self.data[start:end]
        found = [(m.start(), _column(m[1])) for m in self._cell_start.finditer(row)]
        cells = sum(row.count(b"<" + self.p + b"c" + ch) for ch in (b" ", b">", b"/", b"\t", b"\n", b"\r"))
        if len(found) != cells:
            return None
        columns = [c for _, c in found]
        row_style = _row_default_style(tag)
        edits: list[tuple[int, int, bytes]] = []
        for change in sorted(changes, key=lambda c: c.column_number):
            j = bisect.bisect_left(columns, change.column_number)
            if j < len(found) and columns[j] == change.column_number:
                m = self._cell.match(row, found[j][0])
                assert m is not None
                old = Cell(columns[j], m[0], m[1], m[2])
                edits.append((m.start(), m.end(), self._new_cell(change, old, outcome, date1904, date_style,
                                                                 row_style, column_styles)))
            else:
                at = found[j][0] if j < len(found) else self._end_of_cells(row)
                edits.append((at, at, self._new_cell(change, None, outcome, date1904, date_style, row_style,
                                                     column_styles)))
        pieces = []
        at = 0
        for cut, resume, new in edits:
            pieces += [row[at:cut], new]
            at = resume
        pieces.append(row[at:])
        out = b"".join(pieces)
        if not out.endswith(b"/>") or b"<" + self.p + b"c" in out:
            out = self._widened(out, number)
        return out

    def _end_of_cells(self, row: bytes) -> int:
        close = row.rfind(b"</" + self.p + b"row>")
        return close if close >= 0 else len(row)

    def _widened(self, row: bytes, number: int) -> bytes:
        """A row whose cells grew: a self-closing row opened, ``spans`` widened to its cells."""
        opening = re.match(rb"<[^>]*>", row)
        assert opening is not None
        tag = opening[0]
        if tag.endswith(b"/>") and len(row) > len(tag):
            # <row/> followed by the new cells: open it and close it after them.
            row = tag[:-2].rstrip() + b">" + row[len(tag) :] + b"</" + self.p + b"row>"
            tag = tag[:-2].rstrip() + b">"
        spans = xml.attr(tag, b"spans")
        if spans is not None:
            columns = [_column(m[1]) for m in self._cell_start.finditer(row)]
            parts = spans.split(b":")
            try:
                lo, hi = min(int(parts[0]), *columns), max(int(parts[-1]), *columns)
            except ValueError:
                return row
            row = xml.set_attr(tag, b"spans", f"{lo}:{hi}".encode()) + row[len(tag) :]
        return row

    def _cell_bytes(self, change: CellChange, old: Cell | None, style: int | None, date1904: bool,
                    date_style: Callable[[int], int]) -> bytes:
        value: Value = change.new
        p = self.p
        kept = _kept_attributes(old.tag) if old else b""
        content = b""
        kind = b""
        if isinstance(value, str):
            space = b' xml:space="preserve"' if value != value.strip() or "\n" in value else b""
            text = b"<" + p + b"t" + space + b">" + ooxml_text(value) + b"</" + p + b"t>"
            content = b"<" + p + b"is>" + text + b"</" + p + b"is>"
            kind = b"inlineStr"
        elif isinstance(value, dt.date):
            style = date_style(style or 0)
            content = b"<" + p + b"v>" + serial(value, date1904).encode() + b"</" + p + b"v>"
        elif isinstance(value, int | float):
            number = str(value) if isinstance(value, int) else repr(value)
            content = b"<" + p + b"v>" + number.encode() + b"</" + p + b"v>"
        if value is None and style is None and not kept:
            return b""
        out = b"<" + p + b'c r="' + change.cell.encode() + b'"'
        if style is not None and (style or (old is not None and _tag_style(old.tag) is not None)):
            out += b' s="' + str(style).encode() + b'"'
        if kind:
            out += b' t="' + kind + b'"'
        return out + kept + (b">" + content + b"</" + p + b"c>" if content else b"/>")

    def _refuse_formula(self, old: Cell, change: CellChange) -> None:
        assert old.content is not None
        f = re.search(rb"<" + re.escape(self.p) + rb"f(?=[\s/>])[^>]*>", old.content)
        tag = f[0] if f else b""
        ref = xml.attr(tag, b"ref")
        kind = xml.attr(tag, b"t")
        if (kind == b"shared" and ref is not None) or (kind == b"array" and ref is not None and b":" in ref):
            raise EditError(
                f"{change.sheet}!{change.cell} holds a formula that cells {ref.decode()} share",
                "replace the formula with values in those cells (copy, paste values), then run again",
            )

    def _refuse_covered(self, changes: Sequence[CellChange]) -> None:
        """Refuse a change inside a merged range or a multi-cell array formula, but in its first cell."""
        ranges: list[bytes] = []
        p = re.escape(self.p)
        if b"<" + self.p + b"mergeCell" in self.data:
            ranges += [xml.attr(m[0], b"ref") or b"" for m in
                       re.finditer(rb"<" + p + rb"mergeCell(?=[\s/>])[^>]*>", self.data[self.tail_start :])]
        if b't="array"' in self.data:
            ranges += [xml.attr(m[0], b"ref") or b"" for m in
                       re.finditer(rb"<" + p + rb"f(?=\s)[^>]*t=\"array\"[^>]*>", self.data)]
        for ref in ranges:
            rect = parse_rect(ref.decode())
            if rect is None or rect.first is None or rect.last is None:
                continue
            for change in changes:
                col = change.column_number
                inside = rect.first <= change.row <= rect.last and rect.first_col <= col <= rect.last_col
                if inside and (change.row, col) != (rect.first, rect.first_col):
                    raise EditError(
                        f"{change.sheet}!{change.cell} lies inside the merged or array range {ref.decode()}",
                        "unmerge the cells (or remove the array formula), then run again",
                    )

    def _row(self, number: int, tag: bytes, cells: list[Cell], existed: bool) -> bytes:
        """A row element holding ``cells``, its start tag kept (``spans`` widened to cover them)."""
        if not cells and not existed and not tag:
            return b""
        tag = tag or b""
        head = b"<" + self.p + b"row" + tag
        head = xml.set_attr(head + b">", b"r", str(number).encode())[:-1]
        if cells and xml.attr(head + b">", b"spans") is not None:
            spans = (xml.attr(head + b">", b"spans") or b"").split(b":")
            try:
                lo = min(int(spans[0]), cells[0].column)
                hi = max(int(spans[-1]), cells[-1].column)
                head = xml.set_attr(head + b">", b"spans", f"{lo}:{hi}".encode())[:-1]
            except ValueError:
                pass
        body = b"".join(self._with_ref(number, c) for c in cells)
        if not body:
            return head + b"/>"
        return head + b">" + body + b"</" + self.p + b"row>"

    def _with_ref(self, number: int, cell: Cell) -> bytes:
        if cell.has_ref:
            return cell.raw
        ref = column_letters(cell.column).encode() + str(number).encode()
        cut = len(self.p) + 2
        return cell.raw[:cut] + b' r="' + ref + b'"' + cell.raw[cut:]

    def _dimension(self, head: bytes, changes: Sequence[CellChange]) -> bytes:
        m = re.compile(rb"<" + re.escape(self.p) + rb"dimension(?=[\s/>])[^>]*>").search(head)
        ref = xml.attr(m[0], b"ref") if m else None
        rect = parse_rect(ref.decode()) if ref else None
        if m is None or rect is None or rect.first is None or rect.last is None:
            return head
        last_row = max(rect.last, *(c.row for c in changes))
        last_col = max(rect.last_col, *(c.column_number for c in changes))
        if (last_row, last_col) == (rect.last, rect.last_col):
            return head
        new = f"{column_letters(rect.first_col)}{rect.first}:{column_letters(last_col)}{last_row}".encode()
        return head[: m.start()] + xml.set_attr(m[0], b"ref", new) + head[m.end() :]

    def _grow(self, tail: bytes, last: int, header: int, outcome: Outcome) -> bytes:
        """Filters, drop-downs and conditional formats that end at the last filled row, grown over new rows."""
        new_last = outcome.new_last

        def grown(refs: bytes, with_header: bool) -> bytes:
            parts = []
            for ref in refs.decode().split():
                rect = parse_rect(ref)
                if rect is not None and grows(rect, last, header, new_last, with_header=with_header):
                    ref = with_last_row(ref, new_last)
                parts.append(ref)
            return " ".join(parts).encode()

        p = re.escape(self.p)

        def filter_tag(m: re.Match[bytes]) -> bytes:
            ref = xml.attr(m[0], b"ref")
            if ref is None:
                return m[0]
            new = grown(ref, True)
            rect = parse_rect(new.decode())
            if new != ref and rect is not None and rect.first is not None and rect.last is not None:
                outcome.autofilter = (rect.first_col, rect.last_col, rect.first, rect.last)
            return xml.set_attr(m[0], b"ref", new)

        def sqref_tag(m: re.Match[bytes]) -> bytes:
            ref = xml.attr(m[0], b"sqref")
            return m[0] if ref is None else xml.set_attr(m[0], b"sqref", grown(ref, False))

        def extension(m: re.Match[bytes]) -> bytes:
            return re.sub(rb"(<(\w+:)?sqref>)([^<]*)(</\2sqref>)", lambda s: s[1] + grown(s[3], False) + s[4], m[0])

        tail = re.sub(rb"<" + p + rb"autoFilter(?=[\s/>])[^>]*>", filter_tag, tail)
        tail = re.sub(rb"<" + p + rb"(?:dataValidation|conditionalFormatting)(?=[\s/>])[^>]*>", sqref_tag, tail)
        return re.sub(rb"<(\w+:)(dataValidation|conditionalFormatting)(?=[\s/>]).*?</\1\2>", extension, tail,
                      flags=re.S)


@functools.cache
def _column(letters: bytes) -> int:
    return column_number(letters.decode())


def _row_style(tag: bytes) -> bytes:
    """The attributes a new row takes from the row above: its default style, not its height."""
    out = b""
    for name in (b"s", b"customFormat"):
        value = xml.attr(tag, name)
        if value is not None:
            out += b" " + name + b'="' + value + b'"'
    return out


def _row_default_style(tag: bytes) -> int | None:
    custom = xml.attr(tag, b"customFormat")
    style = xml.attr(tag, b"s")
    if style is not None and custom in (b"1", b"true"):
        return int(style)
    return None


# An appended row's cells share the template's few tags: each is taken apart once, not once per cell.
@functools.lru_cache(maxsize=4096)
def _tag_style(tag: bytes) -> bytes | None:
    return xml.attr(tag, b"s")


_DROPPED = (b"r", b"s", b"t", b"cm", b"vm")  # the value's type and metadata go with the value


@functools.lru_cache(maxsize=4096)
def _kept_attributes(tag: bytes) -> bytes:
    """The attributes of a cell's tag that stay when its value changes, as they are written."""
    return b"".join(b" " + k + b'="' + v + b'"' for k, v in xml.attrs(tag).items() if k not in _DROPPED)
