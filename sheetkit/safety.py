"""Deciding whether a file is a spreadsheet sheetkit may open, before any parser sees it.

Spreadsheets are zip archives of XML. A hostile or broken one can be a zip
bomb (a small file whose parts inflate to gigabytes), carry a DTD with entity
tricks (billion laughs, external entities), spread its values so far apart
that the parser's dense grid cannot fit in memory (one stray value in
XFD1048576, or an .ods repeat count), or be something else entirely
(legacy ``.xls``, an encrypted workbook, a truncated download). Each is turned
into a :class:`WorkbookError` here, with what to do about it.

The scan holds each sheet it checks in memory once, so it also gathers there
what the parser will lose (:mod:`sheetkit.sheetfacts`), for the reader.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from sheetkit import schema
from sheetkit.errors import WorkbookError
from sheetkit.sheetfacts import (
    ODS_COLUMNS_REPEATED,
    ODS_NAME,
    ODS_ROW,
    ODS_ROWS_REPEATED,
    ODS_TABLE,
    SheetFacts,
    column_number,
    ods_facts,
    sheet_name,
    xlsx_facts,
)

Format = Literal["xlsx", "ods"]

# Real workbooks of a whole cohort stay far below these; bombs do not. A header
# that understates a part's size cannot get past them either: zipfile (here)
# and the parser's zip layer both stop reading a part at its declared size.
MAX_PART_BYTES = 768 * 1024 * 1024
MAX_TOTAL_BYTES = 1536 * 1024 * 1024
PEEK_BYTES = 4096
# The parser turns a sheet into a dense grid from A1 to its farthest value, and
# aborts the process when that grid does not fit in memory. 32 columns all the
# way down to row 1,048,576 still fit in about a gigabyte; one stray value in
# XFD1048576 would need half a terabyte.
MAX_GRID_CELLS = 1 << 25
# The .ods parser keeps a formula string beside every cell, copies the grid
# while expanding repeated rows, and its repeats make every cell a filled one:
# 4 million filled cells already take over a gigabyte.
MAX_ODS_GRID_CELLS = 1 << 22
# The sheets the reader loads from an .xlsx (an .ods is parsed whole).
READ_SHEETS = frozenset(s.name.casefold() for s in (schema.CONTACTS, schema.QUESTIONS, schema.PROFILE))

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

RESAVE = "open it in Excel or LibreOffice Calc and save it as .xlsx"


@dataclass(frozen=True)
class Checked:
    """A file that passed every check, what kind of workbook it is, and what its parser will lose, by sheet."""

    path: Path
    format: Format
    facts: dict[str, SheetFacts] = field(default_factory=dict)


def check_workbook_file(path: str | Path, *, every_sheet: bool = False) -> Checked:
    """Refuse anything that is not a readable, sane .xlsx, .xlsm or .ods file.

    The grids checked, and whose facts are gathered, are those of the sheets the
    reader loads; with ``every_sheet``, every sheet's, for a caller that may read
    any of them (a workbook imported as a source, whatever its sheets are called).
    """
    p = Path(path)
    if not p.exists():
        raise WorkbookError("no such file", "check the path, or create a workbook with `sheetkit init`", p)
    if p.is_dir():
        raise WorkbookError("is a folder, not a workbook", "give the path of an .xlsx or .ods file", p)
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise WorkbookError(f"cannot be opened ({exc.strerror})", "check the file's permissions", p) from None
    if not head:
        raise WorkbookError("the file is empty", "create a workbook with `sheetkit init`, or " + RESAVE, p)
    if head.startswith(CFB_MAGIC):
        if _is_encrypted(p):
            raise WorkbookError(
                "the workbook is password-protected",
                "remove the password (Excel: File > Info > Protect Workbook; Calc: File > Properties) "
                "and save a copy",
                p,
            )
        raise WorkbookError("this is a legacy .xls file, which sheetkit does not read", RESAVE, p)
    if not head.startswith(ZIP_MAGIC):
        raise WorkbookError("not a spreadsheet (.xlsx, .xlsm or .ods expected)", RESAVE, p)
    return _check_zip(p, every_sheet)


def _is_encrypted(path: Path) -> bool:
    # Encrypted OOXML is a compound file holding an "EncryptedPackage" stream;
    # its name sits in the directory, within the first few sectors.
    with open(path, "rb") as fh:
        data = fh.read(1 << 20)
    return ENCRYPTED_MARK in data


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int | None = None) -> bytes:
    """A part's bytes, inflating no more than its header declares (and the CRC checked).

    ``ZipFile.read`` would inflate a part whose header understates its size in
    full, gigabytes if need be, before cutting it to the declared size.
    """
    with zf.open(info) as fh:
        return fh.read(info.file_size if limit is None else min(limit, info.file_size))


def _damaged(p: Path) -> WorkbookError:
    return WorkbookError(
        "the file is damaged or incomplete (a truncated download or copy?)",
        "save it again from Excel or LibreOffice Calc, or restore a backup",
        p,
    )


def _check_zip(p: Path, every_sheet: bool) -> Checked:
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            fmt = _kind(zf, names, p)
            grids = _grid_parts(zf, fmt, names, p, every_sheet)
            return Checked(p, fmt, _scan_parts(zf, infos, p, grids, names))
    except zipfile.BadZipFile:
        raise _damaged(p) from None
    except (EOFError, OSError, ValueError, NotImplementedError):
        raise _damaged(p) from None


def _kind(zf: zipfile.ZipFile, names: set[str], p: Path) -> Format:
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        _parse_safely(zf, "[Content_Types].xml", p)
        _parse_safely(zf, "xl/workbook.xml", p)
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        if _read(zf, zf.getinfo("mimetype"), len(ODS_MIMETYPE) + 64).strip() != ODS_MIMETYPE:
            raise WorkbookError("an OpenDocument file that is not a spreadsheet", "give an .ods spreadsheet", p)
        return "ods"
    if "xl/workbook.bin" in names:
        raise WorkbookError("this is a binary .xlsb workbook, which sheetkit does not read", RESAVE, p)
    raise WorkbookError("a zip archive with no workbook inside", RESAVE, p)


def _parse_safely(zf: zipfile.ZipFile, name: str, p: Path) -> Element:
    info = zf.getinfo(name)
    if info.file_size > 16 * 1024 * 1024:
        raise _hostile(p, f"its part {name} is implausibly large")
    try:
        root: Element = SafeET.fromstring(_read(zf, info), forbid_dtd=True)
        return root
    except DefusedXmlException:
        raise _hostile(p, f"its part {name} declares a DTD or entities") from None
    except SafeET.ParseError:
        raise _damaged(p) from None


def _hostile(p: Path, why: str) -> WorkbookError:
    return WorkbookError(
        f"refused: {why}, which no spreadsheet program writes (a zip or XML bomb?)",
        "if you trust the file, open it in Excel or LibreOffice Calc and save a fresh copy",
        p,
    )


def _scan_parts(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], p: Path, grids: dict[str, str], names: set[str]
) -> dict[str, SheetFacts]:
    """Refuse parts too large or declaring a DTD, or grids too sparse; gather the facts of the sheets read."""
    facts: dict[str, SheetFacts] = {}
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise _hostile(p, f"its part {info.filename} would expand to {info.file_size:,} bytes")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _hostile(p, f"its parts would expand to more than {MAX_TOTAL_BYTES:,} bytes")
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        if info.filename in grids:
            data = _read(zf, info)
            _check_prolog(data[:PEEK_BYTES], info, p)
            sheet = grids[info.filename]
            _check_grid(data, sheet, p)
            if sheet:
                found = xlsx_facts(data, _tables(zf, info.filename, names, p))
                if found:
                    facts[sheet] = found
            else:
                facts.update(ods_facts(data))
        else:
            with zf.open(info) as fh:
                _check_prolog(fh.read(PEEK_BYTES), info, p)
    return facts


def _tables(zf: zipfile.ZipFile, part: str, names: set[str], p: Path) -> list[tuple[str, int]]:
    """The range and totals row count of each Excel Table on a worksheet part that has a totals row."""
    folder, base = posixpath.split(part)
    rels = f"{folder}/_rels/{base}.rels"
    if rels not in names:
        return []
    out = []
    for el in _parse_safely(zf, rels, p).iter():
        if _local(el.tag) != "Relationship" or not el.get("Type", "").endswith("/table"):
            continue
        target = el.get("Target", "")
        table = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        if table not in names:
            continue
        root = _parse_safely(zf, table, p)
        count, ref = root.get("totalsRowCount", "0"), root.get("ref", "")
        if count.isdigit() and int(count) > 0 and ref:
            out.append((ref, int(count)))
    return out


_UNIQUE_COUNT = re.compile(rb'uniqueCount\s*=\s*["\']\s*(\d+)')


def _check_prolog(first: bytes, info: zipfile.ZipInfo, p: Path) -> None:
    name = info.filename
    if b"<!DOCTYPE" in first or b"<!ENTITY" in first:
        raise _hostile(p, f"its part {name} declares a DTD or entities")
    # The parser reserves room for the declared number of shared strings up
    # front; each takes at least five bytes (<si/>), so more is a lie.
    if name.casefold().endswith("sharedstrings.xml"):
        m = _UNIQUE_COUNT.search(first)
        if m and int(m[1]) > info.file_size // 5 + 1:
            raise _hostile(p, f"its part {name} declares {int(m[1]):,} strings, more than it can hold")


def _grid_parts(zf: zipfile.ZipFile, fmt: Format, names: set[str], p: Path, every_sheet: bool) -> dict[str, str]:
    """The parts the parser turns into grids: the sheets read from an .xlsx, by sheet name; all of an .ods."""
    if fmt == "ods":
        return {"content.xml": ""}
    return {part: sheet for part, sheet in _worksheet_parts(zf, names, p).items()
            if every_sheet or sheet.strip().casefold() in READ_SHEETS}


def _check_grid(xml: bytes, sheet: str, p: Path) -> None:
    """Refuse a sheet whose values lie so far apart that the parser's dense grid would exhaust memory."""
    if sheet:
        extents, limit = [(sheet, *_xlsx_extent(xml))], MAX_GRID_CELLS
    else:
        extents, limit = _ods_extents(xml), MAX_ODS_GRID_CELLS
    for name, rows, columns in extents:
        if rows * columns > limit:
            raise WorkbookError(
                f"the `{name}` sheet has values spread over {rows:,} rows and {columns:,} columns, "
                "too far apart to read (a stray entry far below or right of the table?)",
                "delete the rows below and the columns right of your table (select them, right-click, Delete), "
                "then save",
                p,
            )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _worksheet_parts(zf: zipfile.ZipFile, names: set[str], p: Path) -> dict[str, str]:
    """Each worksheet part and its sheet's name, resolved as the parser does."""
    rels_name = "xl/_rels/workbook.xml.rels"
    if rels_name not in names:
        return {}
    targets = {
        el.get("Id"): el.get("Target", "")
        for el in _parse_safely(zf, rels_name, p).iter()
        if _local(el.tag) == "Relationship"
    }
    parts: dict[str, str] = {}
    for el in _parse_safely(zf, "xl/workbook.xml", p).iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid)
        if not target:
            continue
        part = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else "xl/" + target
        if part in names:
            parts[part] = el.get("name", "")
    return parts


# Every writer puts ``r`` first on each cell (<c r="B7" ...>). Unless a cell
# lacks it or lies beyond column AF or row 999,999, the grid always fits. One
# look ahead per cell, for the near reference; anything else is unusual.
_UNUSUAL_CELL = re.compile(rb'<c(?:[>/\t\n\r\f\v]| (?!r="(?:[A-Za-z]|[Aa][A-Fa-f])[0-9]{1,6}"))')
_ANONYMOUS_CELL = re.compile(rb'<c(?! r="[A-Za-z]+[0-9]+")[\s/>]')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
# A cell that is not self-closing holds a value, a formula or inline text, unless it closes
# straight away: openpyxl writes a formatted empty cell as <c r="C5" s="1" t="n"></c> when lxml
# is installed, and the parser places no value there.
_FILLED_ROWS = re.compile(rb'<c r="[A-Za-z]+([0-9]+)"[^>]*(?<!/)>(?!\s*</c>)')
_FILLED_COLUMNS = re.compile(rb'<c r="([A-Za-z]+)[0-9]+"[^>]*(?<!/)>(?!\s*</c>)')
_CLOSED_AT_ONCE = re.compile(rb"\s*</(?:\w+:)?c>")
_SHEET_TAG = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_REF = re.compile(rb'(?:^|\s)r\s*=\s*["\']\s*([A-Za-z]*)([0-9]*)')


def _xlsx_extent(xml: bytes) -> tuple[int, int]:
    """Rows and columns from A1 to the farthest cell holding something, placed as the parser places them."""
    prefixed = _PREFIXED_CELL.search(xml) is not None
    if not prefixed and not _UNUSUAL_CELL.search(xml):
        return 0, 0
    if not prefixed and not _ANONYMOUS_CELL.search(xml):
        rows = _FILLED_ROWS.findall(xml)
        columns = set(_FILLED_COLUMNS.findall(xml))
        return max(map(int, rows), default=0), max(map(column_number, columns), default=0)
    # Cells without a reference follow the previous one; rows without one, the previous row.
    row = column = last_row = last_column = 0
    for m in _SHEET_TAG.finditer(xml):
        ref = _REF.search(m[2])
        if m[1] == b"row":
            row = int(ref[2]) if ref and ref[2] else row + 1
            column = 0
            continue
        if ref and ref[1] and ref[2]:
            at_row, column = int(ref[2]), column_number(ref[1])
        else:
            at_row, column = row, column + 1
        if not m[3] and not _CLOSED_AT_ONCE.match(xml, m.end()):
            last_row, last_column = max(last_row, at_row), max(last_column, column)
    return last_row, last_column


_ODS_VALUE_MARKS = (
    b"office:value-type=", b"office:value=", b"office:string-value=", b"office:date-value=",
    b"office:time-value=", b"office:boolean-value=", b"table:formula=",
)


def _ods_extents(xml: bytes) -> list[tuple[str, int, int]]:
    """Each table's rows and columns from A1 to its farthest value, repeats expanded as the parser does."""
    out = []
    for table in ODS_TABLE.finditer(xml):
        name = ODS_NAME.search(table[1])
        row = last_row = last_column = 0
        for r in ODS_ROW.finditer(table[2]):
            rep = ODS_ROWS_REPEATED.search(r[1])
            repeat = int(rep[1]) if rep else 1
            cells = r[2]
            cut = max(cells.rfind(mark) for mark in _ODS_VALUE_MARKS)
            if cut >= 0:
                used = cells[: cells.find(b">", cut) + 1]
                width = used.count(b"<table:table-cell") + used.count(b"<table:covered-table-cell")
                width += sum(int(n) - 1 for n in ODS_COLUMNS_REPEATED.findall(used) if int(n) > 1)
                last_row, last_column = row + repeat, max(last_column, width)
            row += repeat
        out.append((sheet_name(name[1]) if name else "?", last_row, last_column))
    return out
