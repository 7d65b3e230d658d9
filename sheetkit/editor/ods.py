"""Changing cells of an .ods: ``content.xml`` patched in place, every other part kept.

An .ods holds all its sheets in ``content.xml``, so that part changes; within
it only the rows holding a change (:mod:`sheetkit.editor.ods_table`), the
automatic styles when a date needs a date style, the filter and conditional
format ranges that grow over appended rows, and the results of formulas that
may count the changed cells (removed, so that LibreOffice computes them
afresh) change. ``styles.xml``, ``meta.xml``, the chart objects,
``Configurations2/`` and the rest keep their bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lxml import etree

from sheetkit.editor import recalc, xml
from sheetkit.editor.changes import CellChange, Rows, column_number, find_sheet, grows
from sheetkit.editor.ods_table import CALCEXT, OFFICE, TABLE, VALUE_ATTRIBUTES, Styles, Table, clear
from sheetkit.editor.package import Package
from sheetkit.editor.xlsx import Edit
from sheetkit.errors import EditError

CONTENT = "content.xml"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
NUMBER = "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
DATE_STYLE = "N_sheetkit_date"
# One end of a range address: an optional sheet ($Name. or 'Quoted ''name''.), then $A$1.
_END = r"(?:\$?(?:'(?:[^']|'')*'|[^\s.:'$\[\]]+)?\.)?\$?[A-Za-z]{1,3}\$?\d+"
_ADDRESS = re.compile(rf"({_END})(?::({_END}))?")
_SPLIT_END = re.compile(r"(?:\$?('(?:[^']|'')*'|[^\s.:'$\[\]]+)?\.)?(\$?)([A-Za-z]{1,3})(\$?)(\d+)")
_BRACKET = re.compile(r"\[([^\]]*)\]")
_SHEET_PREFIX = re.compile(r"\$?('(?:[^']|'')*'|[^\s.:'$\[\]]+)\.")


class _Content:
    """``content.xml``: its namespace prefixes, tables and automatic styles."""

    def __init__(self, data: bytes, styles_part: bytes) -> None:
        self.data = data
        root = xml.root_start(data)
        self.declarations = b"".join(m[0] for m in re.finditer(rb"""\sxmlns(?::[\w.-]+)?\s*=\s*(?:"[^"]*"|'[^']*')""",
                                                                 root[0]))
        self.t = xml.prefix_of(root[0], TABLE)
        self.office = xml.prefix_of(root[0], OFFICE)
        self.style = xml.prefix_of(root[0], STYLE, default="style:")
        self.number = xml.prefix_of(root[0], NUMBER, default="number:")
        self.calcext = xml.prefix_of(root[0], CALCEXT, default="")
        self.tables: dict[str, tuple[int, int]] = {}
        t = re.escape(self.t)
        for m in re.finditer(rb"<" + t + rb"table(?=[\s>])[^>]*>", data):
            end = data.find(b"</" + self.t + b"table>", m.end())
            nested = data.find(b"<" + self.t + b"table ", m.end(), end)
            if end < 0 or nested >= 0:
                raise EditError("a sheet holds another table inside it, which sheetkit cannot edit",
                                "open the workbook in LibreOffice Calc and save it as .xlsx")
            self.tables[xml.unescape(xml.attr(m[0], self.t + b"name") or b"")] = (m.start(), end)
        self._cell_styles, self._date_styles = self._styles(data + styles_part)
        self.added_styles: list[bytes] = []

    def _styles(self, data: bytes) -> tuple[dict[str, tuple[str | None, str | None]], set[str]]:
        """Cell styles by name (parent, number style) and the names of number styles that show dates."""
        s = re.escape(self.style)
        cells: dict[str, tuple[str | None, str | None]] = {}
        for m in re.finditer(rb"<" + s + rb"style(?=\s)[^>]*>", data):
            a = m[0]
            if xml.attr(a, self.style + b"family") != b"table-cell":
                continue
            name = xml.unescape(xml.attr(a, self.style + b"name") or b"")
            parent = xml.attr(a, self.style + b"parent-style-name")
            number = xml.attr(a, self.style + b"data-style-name")
            cells.setdefault(name, (xml.unescape(parent) if parent else None,
                                    xml.unescape(number) if number else None))
        dates = {xml.unescape(xml.attr(m[0], self.style + b"name") or b"")
                 for m in re.finditer(rb"<" + re.escape(self.number) + rb"date-style(?=\s)[^>]*>", data)}
        return cells, dates

    def shows_date(self, name: str | None) -> bool:
        seen = set()
        while name and name not in seen:
            seen.add(name)
            parent, number = self._cell_styles.get(name, (None, None))
            if number is not None:
                return number in self._date_styles
            name = parent
        return False

    def date_style(self, name: str | None) -> str | None:
        """A cell style that shows dates and looks like ``name``: ``name`` itself when it does."""
        if self.shows_date(name):
            return name
        wanted = f"ce_sheetkit_date_{re.sub(r'[^A-Za-z0-9_.-]', '_', name or 'Default')}"
        if wanted not in self._cell_styles:
            s, n = self.style.decode(), self.number.decode()
            if DATE_STYLE not in self._date_styles:
                self.added_styles.append(
                    f'<{n}date-style {s}name="{DATE_STYLE}"><{n}year {n}style="long"/><{n}text>-</{n}text>'
                    f'<{n}month {n}style="long"/><{n}text>-</{n}text><{n}day {n}style="long"/>'
                    f"</{n}date-style>".encode())
                self._date_styles.add(DATE_STYLE)
            self.added_styles.append(self._date_cell_style(name, wanted))
            self._cell_styles[wanted] = (name, DATE_STYLE)
        return wanted

    def _date_cell_style(self, base: str | None, name: str) -> bytes:
        """A copy of automatic style ``base`` showing dates, or a new style inheriting from a common one."""
        s = self.style
        automatic = self._automatic_styles()
        if base is not None:
            for m in re.finditer(rb"<" + re.escape(s) + rb"style(?=\s)[^>]*?(?:/>|>.*?</" + re.escape(s)
                                 + rb"style>)", automatic, re.S):
                if xml.attr(m[0], s + b"name") == xml.escape(base, quote=True):
                    start = m[0].index(b">") + 1 if not m[0].endswith(b"/>") else len(m[0])
                    tag = xml.set_attr(m[0][:start], s + b"name", xml.escape(name, quote=True))
                    tag = xml.set_attr(tag, s + b"data-style-name", DATE_STYLE.encode())
                    return tag + m[0][start:]
        parent = xml.escape(base or "Default", quote=True)
        return (b"<" + s + b'style ' + s + b'name="' + xml.escape(name, quote=True) + b'" ' + s
                + b'family="table-cell" ' + s + b'parent-style-name="' + parent + b'" ' + s
                + b'data-style-name="' + DATE_STYLE.encode() + b'"/>')

    def _automatic_styles(self) -> bytes:
        o = re.escape(self.office)
        m = re.search(rb"<" + o + rb"automatic-styles(?=[\s/>])[^>]*?(?:/>|>.*?</" + o + rb"automatic-styles>)",
                      self.data, re.S)
        return m[0] if m else b""

    def with_added_styles(self, data: bytes) -> bytes:
        if not self.added_styles:
            return data
        block = b"".join(self.added_styles)
        o = self.office
        close = data.find(b"</" + o + b"automatic-styles>")
        if close >= 0:
            return data[:close] + block + data[close:]
        empty = re.search(rb"<" + re.escape(o) + rb"automatic-styles\s*/>", data)
        if empty:
            return data[: empty.start()] + b"<" + o + b"automatic-styles>" + block + b"</" + o + \
                b"automatic-styles>" + data[empty.end() :]
        body = data.find(b"<" + o + b"body")
        return data[:body] + b"<" + o + b"automatic-styles>" + block + b"</" + o + b"automatic-styles>" + data[body:]

    def sheet(self, name: str) -> str:
        """The sheet's name as the workbook spells it."""
        return find_sheet(name, self.tables)


def edit(pkg: Package, changes: Sequence[CellChange]) -> Edit:
    """The parts of an .ods package that ``changes`` rewrite: ``content.xml`` only."""
    styles_part = pkg.read("styles.xml") if "styles.xml" in pkg.names else b""
    content = _Content(pkg.read(CONTENT), styles_part)
    by_sheet: dict[str, list[CellChange]] = {}
    for change in changes:
        by_sheet.setdefault(content.sheet(change.sheet), []).append(change)
    data = content.data
    styles = Styles(content.date_style)
    replaced: dict[str, tuple[int, int, bytes]] = {}
    grown: list[tuple[str, int, int, int]] = []
    for name, sheet_changes in by_sheet.items():
        start, end = content.tables[name]
        table = Table(data, start, end, name, content.declarations, content.t)
        filters = _filter_rows(data, content, name)
        header = min(filters) if filters else table.first_filled()
        last = table.last_filled()
        replaced[name] = (start, end, table.apply(sheet_changes, header=header, styles=styles))
        new_last = max(c.row for c in sheet_changes)
        if new_last > last:
            grown.append((name, last, header, new_last))
    pieces = []
    at = 0
    for start, end, new in sorted(replaced.values()):
        pieces += [data[at:start], new]
        at = end
    pieces.append(data[at:])
    data = b"".join(pieces)
    for name, last, header, new_last in grown:
        data = _grow_ranges(data, content, name, last, header, new_last)
    data = content.with_added_styles(data)
    data = _clear_stale_results(data, content.declarations, by_sheet)
    if not xml.well_formed(data):
        raise EditError("the edited sheet would not be valid XML", "please report this with the workbook")
    return Edit({CONTENT: data})


def _range_rows(address: str, sheet: str) -> tuple[Rows, re.Match[str]] | None:
    """A range address on ``sheet`` as numbers, with the parts of its last end."""
    m = _ADDRESS.fullmatch(address)
    if m is None:
        return None
    first = _SPLIT_END.fullmatch(m[1])
    last = _SPLIT_END.fullmatch(m[2] or m[1])
    if first is None or last is None:
        return None
    named = (first[1] or "").strip("'").replace("''", "'")
    if named and named != sheet:
        return None
    rows = Rows(column_number(first[3].upper()), int(first[5]), column_number(last[3].upper()), int(last[5]))
    return rows, last


def _filter_rows(data: bytes, content: _Content, sheet: str) -> list[int]:
    """The first rows of the filter (database) ranges on ``sheet``: their header rows."""
    out = []
    for m in re.finditer(rb"<" + re.escape(content.t) + rb"database-range(?=\s)[^>]*>", data):
        address = xml.attr(m[0], content.t + b"target-range-address")
        found = _range_rows(xml.unescape(address), sheet) if address else None
        if found is not None and found[0].first is not None:
            out.append(found[0].first)
    return out


def _grow_ranges(data: bytes, content: _Content, sheet: str, last: int, header: int, new_last: int) -> bytes:
    """Filter ranges and conditional formats on ``sheet`` that end at the last filled row, grown over new rows."""

    def grow(addresses: bytes, with_header: bool) -> bytes:
        out = []
        for address in xml.unescape(addresses).split():
            found = _range_rows(address, sheet)
            if found is not None and grows(found[0], last, header, new_last, with_header=with_header):
                end = found[1]
                address = address[: len(address) - len(end[0])] + end[0][: end.start(5) - end.start()] + str(
                    new_last)
            out.append(address)
        return xml.escape(" ".join(out), quote=True)

    for element, attribute, with_header in (
        (content.t + b"database-range", content.t + b"target-range-address", True),
        (content.calcext + b"conditional-format", content.calcext + b"target-range-address", False),
    ):
        if not element.startswith(b":"):  # no calcext namespace, no conditional formats
            tag = re.compile(rb"<" + re.escape(element) + rb"(?=\s)[^>]*>")
            data = tag.sub(_attribute_grower(attribute, grow, with_header), data)
    return data


def _attribute_grower(attribute: bytes, grow: Callable[[bytes, bool], bytes],
                      with_header: bool) -> Callable[[re.Match[bytes]], bytes]:
    def one(m: re.Match[bytes]) -> bytes:
        value = xml.attr(m[0], attribute)
        return m[0] if value is None else xml.set_attr(m[0], attribute, grow(value, with_header))

    return one


def _references(formula: str) -> recalc.Refs:
    """The sheets (folded) a formula's references name; None for a reference across several sheets."""
    out: set[str] = set()
    for bracket in _BRACKET.findall(formula):
        if "#" in bracket:  # another file
            continue
        names = set()
        for end in re.split(r":(?=(?:[^']*'[^']*')*[^']*$)", bracket):
            m = _SHEET_PREFIX.match(end.strip())
            if m:
                names.add(m[1].strip("'").replace("''", "'").casefold())
        if len(names) > 1:
            return None
        out |= names
    return frozenset(out)


_FORMULA_CELL = re.compile(rb"<(\w+:)table-cell(?=\s)[^>]*\s\1formula=\"([^\"]*)\"[^>]*?(?:/>|>.*?</\1table-cell>)",
                           re.S)


def _clear_stale_results(data: bytes, declarations: bytes, edited: dict[str, list[CellChange]]) -> bytes:
    """Remove the results of the formulas on every sheet a change may have made stale."""
    root = xml.root_start(data)
    t = xml.prefix_of(root[0], TABLE)
    tables = [(xml.unescape(xml.attr(m[0], t + b"name") or b""), m.start(), data.find(b"</" + t + b"table>", m.end()))
              for m in re.finditer(rb"<" + re.escape(t) + rb"table(?=[\s>])[^>]*>", data)]
    formulas = {name: [xml.unescape(m[2]) for m in _FORMULA_CELL.finditer(data, start, end)]
                for name, start, end in tables}
    names: dict[str, str] = {}
    for m in re.finditer(rb"<" + re.escape(t) + rb"named-(range|expression)(?=\s)[^>]*>", data):
        label = xml.attr(m[0], t + b"name")
        address = xml.attr(m[0], t + b"cell-range-address")
        expression = xml.attr(m[0], t + b"expression")
        if label and (address or expression):
            names[xml.unescape(label)] = f"[{xml.unescape(address)}]" if address else xml.unescape(expression or b"")
    stale = recalc.stale(formulas, edited, _references, recalc.named(names, _references))
    pieces = []
    at = 0
    for name, start, end in tables:
        if name not in stale:
            continue
        for m in _FORMULA_CELL.finditer(data, start, end):
            pieces += [data[at : m.start()], _without_result(m[0], declarations)]
            at = m.end()
    pieces.append(data[at:])
    return b"".join(pieces)


def _without_result(cell: bytes, declarations: bytes) -> bytes:
    """A formula cell without its value and shown text; its comment and drawings kept."""
    wrapper = etree.fromstring(b"<w" + declarations + b">" + cell + b"</w>", xml.PARSER)
    clear(wrapper[0], VALUE_ATTRIBUTES)
    text = etree.tostring(wrapper)
    return text[text.index(b">") + 1 : text.rindex(b"<")]
