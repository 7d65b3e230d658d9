"""Marks on an .xlsx copy: each problem cell filled and given a comment (a "note" in Excel) with its message.

A sheet's comments live in a comments part and, for Excel to draw them, a
legacy VML drawing, both tied to the sheet by relationships. A sheet that has
comments already (the Guide's help on every header) keeps them: new ones are
added to the same parts, and a cell that has one gets the message appended.
The marked sheets are rewritten through lxml; every other part keeps its bytes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from sheetkit.editor import xml
from sheetkit.editor.changes import Mark, column_letters, column_number
from sheetkit.editor.package import Package
from sheetkit.editor.xlsx import MAIN, _Book
from sheetkit.editor.xlsx_styles import Fills, Styles
from sheetkit.errors import EditError

FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C"}  # Excel's own light red and light amber
AUTHOR = "sheetkit"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_TYPE = _R + "/"
_CONTENT_TYPES = "[Content_Types].xml"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
# Children of <worksheet> that come after <legacyDrawing>, in schema order.
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                 "tableParts", "extLst")
_VML_HEAD = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
    'data="{block}"/></o:shapelayout>'
)
_SHAPETYPE = (
    '<v:shapetype xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
    '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)
_SHAPE = (
    '<v:shape xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel" id="_x0000_s{id}" type="#_x0000_t202" '
    'style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:216pt;height:90pt;z-index:{id};'
    'visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
    '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
    '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
    '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
    '<x:Anchor>{c1}, 15, {r0}, 10, {c4}, 15, {r5}, 4</x:Anchor><x:AutoFill>False</x:AutoFill>'
    "<x:Row>{r0}</x:Row><x:Column>{c0}</x:Column></x:ClientData></v:shape>"
)


@dataclass
class Notes:
    """The parts an annotation rewrites and adds."""

    replaced: dict[str, bytes] = field(default_factory=dict)
    added: dict[str, bytes] = field(default_factory=dict)


def _q(name: str) -> str:
    return f"{{{MAIN}}}{name}"


def annotate(pkg: Package, marks: Sequence[Mark]) -> Notes:
    """The parts of ``pkg`` that show ``marks``: the marked sheets, styles, comments and their drawings."""
    book = _Book(pkg)
    styles_part = next((t for k, t in book.rels.values() if k.endswith("/styles")), None)
    if styles_part is None:
        raise EditError("the workbook has no styles, so no cell can be filled",
                        "open it in Excel or LibreOffice Calc and save it again")
    styles = Styles(pkg.read(styles_part))
    fills = Fills(styles)
    notes = Notes()
    by_sheet: dict[str, dict[tuple[int, int], list[Mark]]] = {}
    for mark in marks:
        by_sheet.setdefault(book.sheet(mark.sheet), {}).setdefault((mark.row, mark.column_number), []).append(mark)
    types = pkg.read(_CONTENT_TYPES)
    for number, (name, cells) in enumerate(by_sheet.items(), start=1):
        part = book.parts[name]
        tree = etree.fromstring(pkg.read(part), xml.PARSER)
        for (row, column), here in sorted(cells.items()):
            cell = _cell(tree, row, column)
            worst = "error" if any(m.severity == "error" for m in here) else "warning"
            cell.set("s", str(fills.filled(int(cell.get("s") or _row_style(cell) or 0), FILLS[worst])))
        types = _comments(pkg, book, part, tree, cells, notes, types, number)
        notes.replaced[part] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
    if styles.changed:
        notes.replaced[styles_part] = styles.data
    if types != pkg.read(_CONTENT_TYPES):
        notes.replaced[_CONTENT_TYPES] = types
    return notes


def _row_style(cell: etree._Element) -> str | None:
    row = cell.getparent()
    if row is not None and row.get("customFormat") in ("1", "true"):
        return row.get("s")
    return None


def _cell(tree: etree._Element, number: int, column: int) -> etree._Element:
    """The ``<c>`` at row ``number``, ``column``: made (with its row) where the sheet has none."""
    data = tree.find(_q("sheetData"))
    if data is None:
        raise EditError("a sheet has no cell data", "open the workbook in Excel or LibreOffice Calc and save it again")
    ref = f"{column_letters(column)}{number}"
    row = None
    for i, candidate in enumerate(data.iterfind(_q("row"))):
        at = int(candidate.get("r") or i + 1)
        if at == number:
            row = candidate
            break
        if at > number:
            row = etree.Element(_q("row"), r=str(number))
            candidate.addprevious(row)
            break
    if row is None:
        row = etree.SubElement(data, _q("row"), r=str(number))
    for j, c in enumerate(row.iterfind(_q("c"))):
        at = column_number(re.sub(r"\d", "", c.get("r") or "")) if c.get("r") else j + 1
        if at == column:
            return c
        if at > column:
            new = etree.Element(_q("c"), r=ref)
            c.addprevious(new)
            return new
    new = etree.SubElement(row, _q("c"), r=ref)
    spans = row.get("spans")
    if spans and ":" in spans:
        lo, _, hi = spans.partition(":")
        if lo.isdigit() and hi.isdigit():
            row.set("spans", f"{min(int(lo), column)}:{max(int(hi), column)}")
    return new


def _comments(pkg: Package, book: _Book, part: str, tree: etree._Element, cells: dict[tuple[int, int], list[Mark]],
              notes: Notes, types: bytes, number: int) -> bytes:
    """Add each cell's messages to the sheet's comments and its VML drawing, making them when there are none."""
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    rels = book._relationships(part)
    comments = next((t for k, t in rels.values() if k.endswith("/comments")), None)
    vml = next((t for k, t in rels.values() if k.endswith("/vmlDrawing")), None)
    rels_data = pkg.read(rels_part) if rels_part in pkg.names else (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
    new_refs: list[tuple[int, int]] = []
    if comments is None:
        comments = _unused(pkg, notes, f"xl/comments/sheetkit{number}.xml")
        data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{MAIN}"><authors>'
                "</authors><commentList/></comments>").encode()
        notes.added[comments] = _with_comments(data, cells, new_refs)
        rels_data = _add_rel(rels_data, "comments", "/" + comments)
        types = _add_type(types, b"Override", b"PartName", ("/" + comments).encode(), _COMMENTS_TYPE)
    else:
        notes.replaced[comments] = _with_comments(pkg.read(comments), cells, new_refs)
    if vml is None:
        vml = _unused(pkg, notes, f"xl/drawings/sheetkitNotes{number}.vml")
        data = (_VML_HEAD.format(block=number) + _SHAPETYPE + "</xml>").encode()
        notes.added[vml] = _with_shapes(data, new_refs, number)
        rid = _free_id(rels_data)
        rels_data = _add_rel(rels_data, "vmlDrawing", "/" + vml, rid)
        types = _add_type(types, b"Default", b"Extension", b"vml", _VML_TYPE)
        legacy = etree.Element(_q("legacyDrawing"))
        legacy.set(f"{{{_R}}}id", rid)
        later = [tree.find(_q(n)) for n in _AFTER_LEGACY]
        first = next((e for e in later if e is not None), None)
        if first is not None:
            first.addprevious(legacy)
        else:
            tree.append(legacy)
    else:
        notes.replaced[vml] = _with_shapes(notes.replaced.get(vml) or pkg.read(vml), new_refs, number)
    if rels_part in pkg.names:
        if rels_data != pkg.read(rels_part):
            notes.replaced[rels_part] = rels_data
    else:
        notes.added[rels_part] = rels_data
    return types


def _unused(pkg: Package, notes: Notes, name: str) -> str:
    stem, ext = posixpath.splitext(name)
    n = 1
    while name in pkg.names or name in notes.added:
        n += 1
        name = f"{stem}-{n}{ext}"
    return name


def _with_comments(data: bytes, cells: dict[tuple[int, int], list[Mark]], new_refs: list[tuple[int, int]]) -> bytes:
    """The comments part with each cell's messages: appended to a comment already there, else a new comment."""
    root = etree.fromstring(data, xml.PARSER)
    authors = root.find(_q("authors"))
    if authors is None:
        authors = etree.Element(_q("authors"))
        root.insert(0, authors)
    names = [a.text for a in authors.iterfind(_q("author"))]
    if AUTHOR not in names:
        etree.SubElement(authors, _q("author")).text = AUTHOR
        names.append(AUTHOR)
    author = str(names.index(AUTHOR))
    listing = root.find(_q("commentList"))
    if listing is None:
        listing = etree.SubElement(root, _q("commentList"))
    existing = {c.get("ref", "").upper(): c for c in listing.iterfind(_q("comment"))}
    for (row, column), marks in sorted(cells.items()):
        ref = f"{column_letters(column)}{row}"
        message = "\n".join(m.message for m in marks)
        comment = existing.get(ref)
        if comment is None:
            comment = etree.SubElement(listing, _q("comment"), ref=ref, authorId=author)
            text = etree.SubElement(comment, _q("text"))
            new_refs.append((row, column))
        else:
            found = comment.find(_q("text"))
            text = found if found is not None else etree.SubElement(comment, _q("text"))
            message = "\n\n" + message
        t = etree.SubElement(etree.SubElement(text, _q("r")), _q("t"))
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = message
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_shapes(data: bytes, refs: list[tuple[int, int]], block: int) -> bytes:
    """The VML drawing with a hidden note shape for each new comment (kept as text: Excel's VML is not XML)."""
    if not refs:
        return data
    ids = [int(n) for n in re.findall(rb"_x0000_s(\d+)", data)]
    start = max([block * 1024, *ids]) + 1
    shapes = "".join(_SHAPE.format(id=start + i, r0=row - 1, c0=column - 1, c1=column, c4=column + 3, r5=row + 4)
                     for i, (row, column) in enumerate(refs))
    if b"_x0000_t202" not in data:
        shapes = _SHAPETYPE + shapes
    close = data.rfind(b"</xml>")
    if close < 0:
        raise EditError("a sheet's comment drawing is damaged", "open the workbook in Excel and save it again")
    return data[:close] + shapes.encode() + data[close:]


def _free_id(rels: bytes) -> str:
    taken = set(re.findall(rb'Id="([^"]*)"', rels))
    n = 1
    while f"rIdSheetkit{n}".encode() in taken:
        n += 1
    return f"rIdSheetkit{n}"


def _add_rel(rels: bytes, kind: str, target: str, rid: str | None = None) -> bytes:
    rid = rid or _free_id(rels)
    element = f'<Relationship Id="{rid}" Type="{_REL_TYPE}{kind}" Target="{target}"/>'.encode()
    close = rels.rfind(b"</Relationships>")
    if close < 0:
        rels = re.sub(rb"<Relationships([^>]*)/>", rb"<Relationships\1></Relationships>", rels)
        close = rels.rfind(b"</Relationships>")
    return rels[:close] + element + rels[close:]


def _add_type(types: bytes, element: bytes, key: bytes, value: bytes, content_type: str) -> bytes:
    """``[Content_Types].xml`` with a Default or Override for ``value``, unless it has one."""
    for m in re.finditer(rb"<" + element + rb"\s[^>]*>", types):
        if (xml.attr(m[0], key) or b"").lower() == value.lower():
            return types
    new = b"<" + element + b" " + key + b'="' + value + b'" ContentType="' + content_type.encode() + b'"/>'
    close = types.rfind(b"</Types>")
    return types[:close] + new + types[close:]
