"""Changing cells of an .xlsx or .xlsm package, and only the parts that must change with them.

The edited sheets are patched (:mod:`sheetkit.editor.xlsx_sheet`); besides
them only what the new cells require changes: ``styles.xml`` when a date
needs a date format, the Tables that grow over appended rows, ``workbook.xml``
to have formulas recomputed on load and the filter's hidden name grown, the
results of formulas that may count the changed cells (removed, so that
LibreOffice computes them again), and ``calcChain.xml``, deleted when a
formula cell was overwritten. Charts, drawings, comments, VBA, the
shared-string table and every other sheet keep their bytes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from sheetkit.editor import recalc, xml
from sheetkit.editor.changes import CellChange, find_sheet, grows, parse_rect, with_last_row
from sheetkit.editor.package import Package
from sheetkit.editor.xlsx_sheet import Outcome as SheetOutcome
from sheetkit.editor.xlsx_sheet import Sheet
from sheetkit.editor.xlsx_styles import Styles
from sheetkit.errors import EditError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_WORKBOOK = "xl/workbook.xml"
# A sheet named in a formula: 'Quoted ''name'''! or Plain!
_SHEET_REF = re.compile(r"'((?:[^']|'')+)'!|(?<![\w.'\]])([^\W\d][\w.]*)!")
_RANGE_OF_SHEETS = re.compile(r"(?:'[^']*:[^']*'|[\w.]+:[\w.]+)!")
_FORMULA = re.compile(rb"<((?:\w+:)?)f(?:\s[^>]*)?>([^<]*)</\1f>")
# Children of <workbook> that come after <calcPr>, in schema order: a new <calcPr> goes before them.
_AFTER_CALC = (b"oleSize", b"customWorkbookViews", b"pivotCaches", b"smartTagPr", b"smartTagTypes",
               b"webPublishing", b"fileRecoveryPr", b"webPublishObjects", b"extLst")


@dataclass
class Edit:
    """The parts to write anew and the parts to leave out."""

    replaced: dict[str, bytes] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)


@dataclass
class _Table:
    part: str
    data: bytes
    name: str


class _Book:
    """What ``workbook.xml`` and its relationships say: sheets, their parts, the date system."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.data = pkg.read(_WORKBOOK)
        root = xml.root_start(self.data)
        self.p = root[1][: root[1].index(b":") + 1] if b":" in root[1] else b""
        self.rels = self._relationships(_WORKBOOK)
        tree = etree.fromstring(self.data, xml.PARSER)
        ns = {"m": MAIN}
        self.parts: dict[str, str] = {}
        self.index: dict[str, int] = {}
        for i, sheet in enumerate(tree.iterfind("m:sheets/m:sheet", ns)):
            rid = sheet.get(f"{{{_REL[:-1]}}}id")
            kind, target = self.rels.get(rid or "", ("", ""))
            if kind.endswith("/worksheet") and target in pkg.names:
                self.parts[sheet.get("name", "")] = target
                self.index[sheet.get("name", "")] = i
        pr = tree.find("m:workbookPr", ns)
        self.date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        self.names = {el.get("name", ""): el.text or "" for el in tree.iterfind("m:definedNames/m:definedName", ns)}

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, part name) of ``part``'s relationships."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self.pkg.names:
            return {}
        out = {}
        for rel in etree.fromstring(self.pkg.read(rels), xml.PARSER).iter(_PACKAGE_RELS):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            resolved = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id", "")] = (rel.get("Type", ""), resolved)
        return out

    def sheet(self, name: str) -> str:
        """The sheet's name as the workbook spells it."""
        return find_sheet(name, self.parts)

    def tables(self, part: str) -> list[_Table]:
        out = []
        for kind, target in self._relationships(part).values():
            if kind.endswith("/table") and target in self.pkg.names:
                data = self.pkg.read(target)
                tag = xml.root_start(data)[0]
                out.append(_Table(target, data, xml.unescape(xml.attr(tag, b"displayName") or b"")))
        return out


def edit(pkg: Package, changes: Sequence[CellChange]) -> Edit:
    """The parts of ``pkg`` that ``changes`` rewrite or remove."""
    book = _Book(pkg)
    out = Edit()
    by_sheet: dict[str, list[CellChange]] = {}
    for change in changes:
        by_sheet.setdefault(book.sheet(change.sheet), []).append(change)
    styles_part = next((t for k, t in book.rels.values() if k.endswith("/styles")), None)
    styles = Styles(pkg.read(styles_part)) if styles_part else None
    workbook = book.data
    formula_replaced = False

    def date_style(style: int) -> int:
        if styles is None:
            raise EditError("the workbook has no styles, so a date cannot be shown as a date",
                            "open it in Excel or LibreOffice Calc and save it again")
        return styles.date_style(style)

    for name, sheet_changes in by_sheet.items():
        part = book.parts[name]
        sheet = Sheet(pkg.read(part))
        tables = book.tables(part)
        tops = [t[2] for t in [sheet.autofilter()] if t] + [_first_row(t.data) for t in tables]
        header = min(tops) if tops else sheet.first_filled()
        outcome = sheet.apply(sheet_changes, header=header, date1904=book.date1904, date_style=date_style)
        out.replaced[part] = outcome.data
        formula_replaced |= outcome.formula_replaced
        if outcome.new_last > outcome.last_filled:
            for table in tables:
                grown = _grow_table(table, outcome.last_filled, header, outcome.new_last)
                if grown is not None:
                    out.replaced[table.part] = grown
            if outcome.autofilter is not None:
                workbook = _grow_filter_name(workbook, book, book.index[name], outcome)
    if styles is not None and styles.changed and styles_part:
        out.replaced[styles_part] = styles.data
    stale = _clear_stale_results(pkg, book, by_sheet, out)
    if stale:
        workbook = _recalc_on_load(workbook, book.p)
    if workbook != book.data:
        out.replaced[_WORKBOOK] = workbook
    if formula_replaced:
        _drop_calc_chain(pkg, book, out)
    return out


def _first_row(table: bytes) -> int:
    ref = xml.attr(xml.root_start(table)[0], b"ref")
    rect = parse_rect(ref.decode()) if ref else None
    return rect.first if rect is not None and rect.first is not None else 1


def _grow_table(table: _Table, last: int, header: int, new_last: int) -> bytes | None:
    """The Table's part with its range (and its filter's) over the new rows; None when it does not reach them."""
    root = xml.root_start(table.data)
    ref = xml.attr(root[0], b"ref")
    rect = parse_rect(ref.decode()) if ref else None
    if ref is None or rect is None or not grows(rect, last, header, new_last, with_header=True):
        return None
    if int(xml.attr(root[0], b"totalsRowCount") or b"0") > 0:
        raise EditError(
            f"the Table `{table.name}` has a totals row, which new rows would have to go above",
            "turn the totals row off (Table Design > Total Row), run again, then turn it back on",
        )
    new = with_last_row(ref.decode(), new_last).encode()
    data = table.data[: root.start()] + xml.set_attr(root[0], b"ref", new) + table.data[root.end() :]
    return re.sub(rb"(<(?:\w+:)?autoFilter(?=[\s/>])[^>]*>)",
                  lambda m: xml.set_attr(m[1], b"ref", new), data, count=1)


def _grow_filter_name(workbook: bytes, book: _Book, index: int, outcome: SheetOutcome) -> bytes:
    """The hidden name Excel keeps for a sheet's filter range, grown as the filter was."""
    p = re.escape(book.p)

    def grow(m: re.Match[bytes]) -> bytes:
        tag, text = m[1], m[2]
        if xml.attr(tag, b"name") != b"_xlnm._FilterDatabase" or xml.attr(tag, b"localSheetId") != str(index).encode():
            return m[0]
        sheet, bang, ref = text.rpartition(b"!")
        rect = parse_rect(ref.decode())
        if not bang or rect is None or rect.last is None or not rect.last < outcome.new_last:
            return m[0]
        return tag + sheet + bang + with_last_row(ref.decode(), outcome.new_last).encode() + m[3]

    return re.sub(rb"(<" + p + rb"definedName(?=[\s>])[^>]*>)([^<]*)(</" + p + rb"definedName>)", grow, workbook)


def _references(formula: str) -> recalc.Refs:
    if _RANGE_OF_SHEETS.search(formula):
        return None
    return frozenset((m[1].replace("''", "'") if m[1] else m[2]).casefold() for m in _SHEET_REF.finditer(formula))


def _formulas(data: bytes) -> list[str]:
    if b"f>" not in data:
        return []
    return [xml.unescape(m[2]) for m in _FORMULA.finditer(data)]


def _clear_stale_results(pkg: Package, book: _Book, edited: dict[str, list[CellChange]], out: Edit) -> set[str]:
    """Remove the cached results of the formulas on every sheet a change may have made stale."""
    current = {name: out.replaced.get(part) or pkg.read(part) for name, part in book.parts.items()}
    formulas = {name: _formulas(data) for name, data in current.items()}
    names: dict[str, str] = dict(book.names)
    for name, part in book.parts.items():
        for table in book.tables(part):
            names[table.name] = f"'{name}'!A1"
    resolved = recalc.named(names, _references)
    stale = {s for s in recalc.stale(formulas, edited, _references, resolved) if formulas[s]}
    for name in stale:
        cleared = _without_results(current[name])
        if cleared != current[name]:
            out.replaced[book.parts[name]] = cleared
    return stale


def _without_results(data: bytes) -> bytes:
    """The sheet with every formula cell's cached value (and its type) removed."""
    pieces = []
    at = 0
    for f in re.finditer(rb"<((?:\w+:)?)f(?=[\s/>])", data):
        start = data.rfind(b"<" + f[1] + b"c", at, f.start())
        end = data.find(b"</" + f[1] + b"c>", f.end())
        if start < 0 or end < 0:
            continue
        p = f[1]
        cell = data[start:end]
        tag_end = cell.index(b">") + 1
        tag = re.sub(rb'\st="[^"]*"', b"", cell[:tag_end])
        body = re.sub(rb"<" + re.escape(p) + rb"v(?:\s[^>]*)?(?:/>|>[^<]*</" + re.escape(p) + rb"v>)", b"",
                      cell[tag_end:])
        pieces += [data[at:start], tag, body]
        at = end
    pieces.append(data[at:])
    return b"".join(pieces)


def _recalc_on_load(workbook: bytes, p: bytes) -> bytes:
    """``workbook.xml`` asking Excel to compute every formula when the file opens."""
    m = re.compile(rb"<" + re.escape(p) + rb"calcPr(?=[\s/>])[^>]*>").search(workbook)
    if m is not None:
        if xml.attr(m[0], b"fullCalcOnLoad") in (b"1", b"true"):
            return workbook
        return workbook[: m.start()] + xml.set_attr(m[0], b"fullCalcOnLoad", b"1") + workbook[m.end() :]
    element = b"<" + p + b'calcPr fullCalcOnLoad="1"/>'
    later = [workbook.find(b"<" + p + name) for name in _AFTER_CALC]
    at = min([i for i in later if i >= 0], default=workbook.rfind(b"</" + p + b"workbook>"))
    return workbook[:at] + element + workbook[at:]


def _drop_calc_chain(pkg: Package, book: _Book, out: Edit) -> None:
    """Delete the calculation chain, its relationship and content type: it lists cells that are no longer formulas."""
    for rid, (kind, target) in book.rels.items():
        if not kind.endswith("/calcChain"):
            continue
        if target in pkg.names:
            out.removed.add(target)
        for part, element, name, value in (
            ("xl/_rels/workbook.xml.rels", b"Relationship", b"Id", rid),
            ("[Content_Types].xml", b"Override", b"PartName", "/" + target),
        ):
            data = out.replaced.get(part) or pkg.read(part)
            out.replaced[part] = _without_element(data, element, name, value.encode())


def _without_element(data: bytes, element: bytes, name: bytes, value: bytes) -> bytes:
    """``data`` without the ``element`` whose attribute ``name`` is ``value``."""
    pattern = re.compile(rb"<(\w+:)?" + element + rb"(?=\s)([^>]*?)(?:/>|>\s*</\1?" + element + rb">)")
    return pattern.sub(lambda m: b"" if xml.attr(m[2], name) == value else m[0], data)
