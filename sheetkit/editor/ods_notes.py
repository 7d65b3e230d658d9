"""Marks on an .ods copy: each problem cell given a background and an ``office:annotation`` with its message.

Only ``content.xml`` changes: the marked rows (split out of their runs as
for any edit), and an automatic cell style per marked style and colour, a
copy of the cell's own (number format, font, borders kept) with a background.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from sheetkit.editor import xml
from sheetkit.editor.changes import Mark
from sheetkit.editor.ods import CONTENT, _Content
from sheetkit.editor.ods_table import OFFICE, TEXT, Table
from sheetkit.editor.package import Package
from sheetkit.errors import EditError

FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
BACKGROUNDS = {"error": "#ffc7ce", "warning": "#ffeb9c"}  # as the .xlsx marks: light red, light amber
_ANNOTATION = f"{{{OFFICE}}}annotation"
_PARAGRAPH = f"{{{TEXT}}}p"
_STYLE_NAME = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}style-name"


def annotate(pkg: Package, marks: Sequence[Mark]) -> dict[str, bytes]:
    """``content.xml`` showing ``marks``."""
    styles_part = pkg.read("styles.xml") if "styles.xml" in pkg.names else b""
    content = _Content(pkg.read(CONTENT), styles_part)
    fo = xml.prefix_of(xml.root_start(content.data)[0], FO, default="fo:")
    made: dict[tuple[str | None, str], str] = {}
    by_sheet: dict[str, dict[tuple[int, int], list[Mark]]] = {}
    for mark in marks:
        by_sheet.setdefault(content.sheet(mark.sheet), {}).setdefault((mark.row, mark.column_number), []).append(mark)

    def filled(base: str | None, severity: str) -> str:
        key = (base, severity)
        if key not in made:
            name = f"ce_sheetkit_{severity}_{re.sub(r'[^A-Za-z0-9_.-]', '_', base or 'Default')}"
            made[key] = name
            content.added_styles.append(_filled_style(content, fo, base, name, BACKGROUNDS[severity]))
        return made[key]

    data = content.data
    # Each sheet is marked in the content as read, then all are put in at once: the tables' offsets stay true.
    marked: list[tuple[int, int, bytes]] = []
    for name, cells in by_sheet.items():
        start, end = content.tables[name]
        table = Table(data, start, end, name, content.declarations, content.t)
        rows: dict[int, list[int]] = {}
        for row, column in cells:
            rows.setdefault(row, []).append(column)

        def mark_cell(row: int, column: int, cell: etree._Element, style: str | None,
                      cells: dict[tuple[int, int], list[Mark]] = cells) -> None:
            here = cells[row, column]
            worst = "error" if any(m.severity == "error" for m in here) else "warning"
            cell.set(_STYLE_NAME, filled(style, worst))
            note = cell.find(_ANNOTATION)
            if note is None:
                note = etree.Element(_ANNOTATION)
                cell.insert(0, note)
            elif len(note.findall(_PARAGRAPH)):
                etree.SubElement(note, _PARAGRAPH)
            for m in here:
                for line in m.message.splitlines() or [""]:
                    etree.SubElement(note, _PARAGRAPH).text = line

        marked.append((start, end, table.mark(rows, mark_cell)))
    pieces, at = [], 0
    for start, end, new in sorted(marked):
        pieces += [data[at:start], new]
        at = end
    pieces.append(data[at:])
    data = content.with_added_styles(b"".join(pieces))
    if not xml.well_formed(data):
        raise EditError("the annotated sheet would not be valid XML", "please report this with the workbook")
    return {CONTENT: data}


def _filled_style(content: _Content, fo: bytes, base: str | None, name: str, colour: str) -> bytes:
    """A copy of automatic style ``base`` with a background, or a new style inheriting from a common one."""
    s = content.style
    background = fo + b'background-color="' + colour.encode() + b'"'
    for m in re.finditer(rb"<" + re.escape(s) + rb"style(?=\s)[^>]*?(?:/>|>.*?</" + re.escape(s) + rb"style>)",
                         content._automatic_styles(), re.S):
        if base is None or xml.attr(m[0], s + b"name") != xml.escape(base, quote=True):
            continue
        whole = xml.set_attr(m[0], s + b"name", xml.escape(name, quote=True))
        props = re.search(rb"<" + re.escape(s) + rb"table-cell-properties(?=[\s/>])[^>]*?/?>", whole)
        if props is not None:
            tag = xml.set_attr(props[0], fo + b"background-color", colour.encode())
            return whole[: props.start()] + tag + whole[props.end() :]
        cell_props = b"<" + s + b"table-cell-properties " + background + b"/>"
        if whole.endswith(b"/>"):
            return whole[:-2].rstrip() + b">" + cell_props + b"</" + s + b"style>"
        opening = whole.index(b">") + 1
        return whole[:opening] + cell_props + whole[opening:]
    parent = xml.escape(base or "Default", quote=True)
    return (b"<" + s + b"style " + s + b'name="' + xml.escape(name, quote=True) + b'" ' + s
            + b'family="table-cell" ' + s + b'parent-style-name="' + parent + b'"><' + s
            + b"table-cell-properties " + background + b"/></" + s + b"style>")

