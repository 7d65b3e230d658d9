"""One table (sheet) of an .ods ``content.xml``, patched row by row.

Rows are found by one scan of the table's bytes, their numbers by summing
``table:number-rows-repeated``. Only the rows holding a change are parsed
(with lxml, inside a wrapper that declares the document's namespaces): a run
of repeated rows or cells is split around the one changed, so the sheet keeps
its 1,048,576 rows and every cell keeps its style, drop-down
(``table:content-validation-name``), comment (``office:annotation``) and
drawings (``draw:frame``). Everything else in ``content.xml`` keeps its bytes.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree

from sheetkit.editor import xml
from sheetkit.editor.changes import CellChange
from sheetkit.errors import EditError

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

_ROW = f"{{{TABLE}}}table-row"
_CELL = f"{{{TABLE}}}table-cell"
_COVERED = f"{{{TABLE}}}covered-table-cell"
_ROWS_REPEATED = f"{{{TABLE}}}number-rows-repeated"
_COLUMNS_REPEATED = f"{{{TABLE}}}number-columns-repeated"
_STYLE = f"{{{TABLE}}}style-name"
_VALIDATION = f"{{{TABLE}}}content-validation-name"
_PARAGRAPH = f"{{{TEXT}}}p"
# A cell's value, in every form it can take; removed before a new one is set.
VALUE_ATTRIBUTES = (
    *(f"{{{OFFICE}}}{name}" for name in
      ("value-type", "value", "date-value", "time-value", "boolean-value", "string-value", "currency")),
    f"{{{CALCEXT}}}value-type",
)
FORMULA = f"{{{TABLE}}}formula"
_VALUE_MARKS = re.compile(rb":(?:value-type|formula)=")
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def paragraph_text(text: str) -> str:
    """Text as an .ods cell holds it: a line break is a new paragraph, so CR and CR LF become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Styles:
    """How a date gets a date style: the effective style of a cell → a style that shows dates."""

    date_style: Callable[[str | None], str | None]


class Table:
    """A table element of ``content.xml``: where its rows lie and how to change them."""

    def __init__(self, data: bytes, start: int, end: int, name: str, declarations: bytes, t: bytes) -> None:
        self.data, self.start, self.end, self.name = data, start, end, name
        self._declarations = declarations
        self.t = t
        row = re.compile(rb"<" + re.escape(t) + rb"table-row(?=[\s/>])([^>]*?)(?:/>|>.*?</" + re.escape(t)
                         + rb"table-row>)", re.S)
        self.firsts: list[int] = []
        self.spans: list[tuple[int, int, int]] = []  # start, end, repeat
        number = 1
        for m in row.finditer(data, start, end):
            repeat = int(xml.attr(m[1], t + b"number-rows-repeated") or b"1")
            self.firsts.append(number)
            self.spans.append((m.start(), m.end(), repeat))
            number += repeat
        self.columns = self._column_styles()

    def _column_styles(self) -> list[tuple[int, str | None]]:
        """Each column's default cell style, as (first column, style) runs."""
        out: list[tuple[int, str | None]] = []
        column = 1
        tag = re.compile(rb"<" + re.escape(self.t) + rb"table-column(?=[\s/>])[^>]*>")
        for m in tag.finditer(self.data, self.start, self.end):
            repeat = int(xml.attr(m[0], self.t + b"number-columns-repeated") or b"1")
            style = xml.attr(m[0], self.t + b"default-cell-style-name")
            out.append((column, xml.unescape(style) if style else None))
            column += repeat
        return out

    def column_style(self, column: int) -> str | None:
        i = bisect.bisect_right([c for c, _ in self.columns], column) - 1
        return self.columns[i][1] if i >= 0 else None

    def _filled(self, i: int) -> bool:
        start, end, _ = self.spans[i]
        return _VALUE_MARKS.search(self.data, start, end) is not None

    def last_filled(self) -> int:
        """The last row holding a value (0 for none)."""
        for i in range(len(self.spans) - 1, -1, -1):
            if self._filled(i):
                return self.firsts[i] + self.spans[i][2] - 1
        return 0

    def first_filled(self) -> int:
        return next((self.firsts[i] for i in range(len(self.spans)) if self._filled(i)), 0)

    def _parse(self, snippet: bytes) -> etree._Element:
        wrapper = etree.fromstring(b"<w" + self._declarations + b">" + snippet + b"</w>", xml.PARSER)
        return wrapper[0]

    def apply(self, changes: Sequence[CellChange], *, header: int, styles: Styles) -> bytes:
        """The table's bytes with ``changes`` made; rows appended below the last filled one formatted like it."""
        by_row: dict[int, list[CellChange]] = {}
        for change in changes:
            by_row.setdefault(change.row, []).append(change)
        last = self.last_filled()
        template = None
        if last > header:
            i = bisect.bisect_right(self.firsts, last) - 1
            template = self._parse(self.data[self.spans[i][0] : self.spans[i][1]])
        by_span: dict[int, list[int]] = {}
        beyond: list[int] = []
        total = self.firsts[-1] + self.spans[-1][2] if self.spans else 1
        for number in sorted(by_row):
            if number >= total:
                beyond.append(number)
            else:
                by_span.setdefault(bisect.bisect_right(self.firsts, number) - 1, []).append(number)

        def edit_row(number: int, row: etree._Element) -> None:
            if number > last and template is not None and not _formatted(row):
                _take_cells(row, template)
            for change in by_row[number]:
                self._put(row, change, styles)

        pieces, at = self._rewritten(by_span, edit_row)
        if beyond:
            at_end = self.spans[-1][1] if self.spans else self.end
            pieces.append(self.data[at:at_end])
            at = at_end
            pieces.append(self._new_rows(total, beyond, by_row, template, styles))
        pieces.append(self.data[at : self.end])
        return b"".join(pieces)

    def mark(self, rows: dict[int, list[int]], mark_cell: Callable[[int, int, etree._Element, str | None], None]
             ) -> bytes:
        """The table's bytes with ``mark_cell(row, column, cell, style)`` applied to each cell listed by row.

        ``style`` is the cell's own style or, failing that, its row's or column's default; rows past the
        table's last one are not marked (a problem is always on a row that exists).
        """
        by_span: dict[int, list[int]] = {}
        for number in sorted(rows):
            i = bisect.bisect_right(self.firsts, number) - 1
            if i >= 0 and number < self.firsts[i] + self.spans[i][2]:
                by_span.setdefault(i, []).append(number)

        def edit_row(number: int, row: etree._Element) -> None:
            for column in rows[number]:
                cell = _cell_at(row, column)
                mark_cell(number, column, cell, self._style_of(row, cell, column))

        pieces, at = self._rewritten(by_span, edit_row)
        pieces.append(self.data[at : self.end])
        return b"".join(pieces)

    def _rewritten(self, by_span: dict[int, list[int]],
                   edit_row: Callable[[int, etree._Element], None]) -> tuple[list[bytes], int]:
        """The table's bytes up to its last edited run: each run holding a row of ``by_span`` parsed, the row split
        out and handed to ``edit_row``; with where in the table the bytes stop."""
        pieces: list[bytes] = []
        at = self.start
        for i in sorted(by_span):
            start, end, _ = self.spans[i]
            original = self._parse(self.data[start:end])
            wrapper = original.getparent()
            for number, row in self._split(original, self.firsts[i], by_span[i]):
                edit_row(number, row)
            pieces += [self.data[at:start], _inner(wrapper)]
            at = end
        return pieces, at

    def _style_of(self, row: etree._Element, cell: etree._Element, column: int) -> str | None:
        """The style a cell shows: its own, else its row's default, else its column's."""
        return cell.get(_STYLE) or row.get(f"{{{TABLE}}}default-cell-style-name") or self.column_style(column)

    def _split(self, row: etree._Element, first: int, targets: list[int]) -> list[tuple[int, etree._Element]]:
        """Cut the run of repeated rows starting at ``first`` so that each target row stands alone.

        The pieces replace ``row`` in its wrapper, in order; the target rows are returned with their numbers.
        """
        wrapper = row.getparent()
        assert wrapper is not None
        repeat = int(row.get(_ROWS_REPEATED, "1"))
        out: list[tuple[int, etree._Element]] = []
        at = first
        for number in targets:
            if number > at:
                row.addprevious(_repeated(row, number - at, _ROWS_REPEATED))
            alone = _repeated(row, 1, _ROWS_REPEATED)
            row.addprevious(alone)
            out.append((number, alone))
            at = number + 1
        if at < first + repeat:
            row.addprevious(_repeated(row, first + repeat - at, _ROWS_REPEATED))
        wrapper.remove(row)
        return out

    def _new_rows(self, total: int, numbers: list[int], by_row: dict[int, list[CellChange]],
                  template: etree._Element | None, styles: Styles) -> bytes:
        """Rows past the table's last one (a table not padded to the sheet's full height)."""
        t = self.t.decode()
        wrapper = self._parse(f"<{t}table-row/>".encode()).getparent()
        assert wrapper is not None
        wrapper.remove(wrapper[0])
        at = total
        for number in numbers:
            if number > at:
                gap = etree.SubElement(wrapper, _ROW)
                if number - at > 1:
                    gap.set(_ROWS_REPEATED, str(number - at))
                etree.SubElement(gap, _CELL)
            row = etree.SubElement(wrapper, _ROW)
            if template is not None:
                _take_cells(row, template)
            for change in by_row[number]:
                self._put(row, change, styles)
            at = number + 1
        return _inner(wrapper)

    def _put(self, row: etree._Element, change: CellChange, styles: Styles) -> None:
        cell = _cell_at(row, change.column_number)
        if cell.tag == _COVERED:
            raise EditError(f"{change.sheet}!{change.cell} lies inside merged cells",
                            "unmerge the cells, then run again")
        clear(cell, (*VALUE_ATTRIBUTES, FORMULA))
        value = change.new
        calcext = CALCEXT in (row.nsmap or {}).values()
        kind: str | None = None
        if isinstance(value, str):
            kind = "string"
            _paragraphs(cell, paragraph_text(value), change)
        elif isinstance(value, dt.date):
            kind = "date"
            iso = value.isoformat(timespec="seconds") if isinstance(value, dt.datetime) else value.isoformat()
            cell.set(f"{{{OFFICE}}}date-value", iso)
            style = self._style_of(row, cell, change.column_number)
            wanted = styles.date_style(style)
            if wanted is not None and wanted != style:
                cell.set(_STYLE, wanted)
            _paragraphs(cell, iso, change)
        elif isinstance(value, int | float):
            kind = "float"
            number = str(value) if isinstance(value, int) else repr(value)
            cell.set(f"{{{OFFICE}}}value", number)
            _paragraphs(cell, number, change)
        if kind is not None:
            cell.set(f"{{{OFFICE}}}value-type", kind)
            if calcext:
                cell.set(f"{{{CALCEXT}}}value-type", kind)


def clear(cell: etree._Element, attributes: Sequence[str]) -> None:
    """Remove ``attributes`` and the shown text (its paragraphs) from a cell; comments and drawings stay."""
    for name in attributes:
        if name in cell.attrib:
            del cell.attrib[name]
    for child in [c for c in cell if c.tag == _PARAGRAPH]:
        cell.remove(child)


def _formatted(row: etree._Element) -> bool:
    """Whether a row's cells carry a style or a drop-down of their own."""
    return any(c.get(_STYLE) or c.get(_VALIDATION) for c in row)


def _take_cells(row: etree._Element, template: etree._Element) -> None:
    """Give ``row`` empty cells with the styles and drop-downs of ``template``'s cells."""
    for child in list(row):
        row.remove(child)
    for cell in template:
        blank = etree.SubElement(row, _CELL)
        for name in (_STYLE, _VALIDATION, _COLUMNS_REPEATED):
            if cell.get(name) is not None:
                blank.set(name, cell.get(name, ""))


def _repeated(element: etree._Element, count: int, attribute: str) -> etree._Element:
    clone = copy.deepcopy(element)
    if count > 1:
        clone.set(attribute, str(count))
    elif attribute in clone.attrib:
        del clone.attrib[attribute]
    return clone


def _cell_at(row: etree._Element, column: int) -> etree._Element:
    """The cell of ``row`` at ``column`` (A = 1) standing alone: its run split, the row padded if short."""
    at = 1
    for child in list(row):
        if child.tag not in (_CELL, _COVERED):
            continue
        repeat = int(child.get(_COLUMNS_REPEATED, "1"))
        if at <= column < at + repeat:
            index = row.index(child)
            parts = []
            if column > at:
                parts.append(_repeated(child, column - at, _COLUMNS_REPEATED))
            target = _repeated(child, 1, _COLUMNS_REPEATED)
            parts.append(target)
            if column < at + repeat - 1:
                parts.append(_repeated(child, at + repeat - 1 - column, _COLUMNS_REPEATED))
            row.remove(child)
            for offset, part in enumerate(parts):
                row.insert(index + offset, part)
            return target
        at += repeat
    if column > at:
        gap = etree.SubElement(row, _CELL)
        if column - at > 1:
            gap.set(_COLUMNS_REPEATED, str(column - at))
    return etree.SubElement(row, _CELL)


def _paragraphs(cell: etree._Element, text: str, change: CellChange) -> None:
    """Append ``text`` to ``cell`` as paragraphs, spaces and tabs kept: ODF collapses plain white space.

    A space stays a plain space only alone between two other characters; any
    other run of spaces is a ``text:s`` with its count, a tab a ``text:tab``.
    """
    if _UNWRITABLE.search(text):
        raise EditError(f"{change.sheet}!{change.cell}: the text holds control characters an .ods cannot store",
                        "remove them from the text")
    for line in text.split("\n"):
        p = etree.SubElement(cell, _PARAGRAPH)
        last: etree._Element | None = None
        at = 0
        for piece in re.split(r"( +|\t)", line):
            start, at = at, at + len(piece)
            if piece == "\t":
                last = etree.SubElement(p, f"{{{TEXT}}}tab")
                continue
            if not piece.startswith(" "):
                _append_text(p, last, piece)
                continue
            if start > 0 and at < len(line):  # between two characters: the first space may stay plain
                _append_text(p, last, " ")
                piece = piece[1:]
            if piece:
                last = etree.SubElement(p, f"{{{TEXT}}}s")
                if len(piece) > 1:
                    last.set(f"{{{TEXT}}}c", str(len(piece)))


def _append_text(p: etree._Element, last: etree._Element | None, text: str) -> None:
    if last is None:
        p.text = (p.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _inner(wrapper: etree._Element | None) -> bytes:
    """The children of the namespace wrapper, written back without it."""
    assert wrapper is not None
    text = etree.tostring(wrapper)
    return text[text.index(b">") + 1 : text.rindex(b"<")]
