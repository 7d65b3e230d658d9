"""Deciding whether a file is a spreadsheet sheetkit may open, before any parser sees it.

Spreadsheets are zip archives of XML. A hostile or broken one can be a zip
bomb (a small file whose parts inflate to gigabytes), carry a DTD with entity
tricks (billion laughs, external entities), or be something else entirely
(legacy ``.xls``, an encrypted workbook, a truncated download). Each is turned
into a :class:`WorkbookError` here, with what to do about it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from sheetkit.errors import WorkbookError

Format = Literal["xlsx", "ods"]

# Real workbooks of a whole cohort stay far below these; bombs do not.
MAX_PART_BYTES = 768 * 1024 * 1024
MAX_TOTAL_BYTES = 1536 * 1024 * 1024
# Deflate cannot inflate beyond about 1032:1, so a part whose compressed size
# times this cannot reach the bound needs no closer look, whatever its header claims.
DEFLATE_MAX_RATIO = 1032
PEEK_BYTES = 4096

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

RESAVE = "open it in Excel or LibreOffice Calc and save it as .xlsx"


@dataclass(frozen=True)
class Checked:
    """A file that passed every check, and what kind of workbook it is."""

    path: Path
    format: Format


def check_workbook_file(path: str | Path) -> Checked:
    """Refuse anything that is not a readable, sane .xlsx, .xlsm or .ods file."""
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
    return Checked(p, _check_zip(p))


def _is_encrypted(path: Path) -> bool:
    # Encrypted OOXML is a compound file holding an "EncryptedPackage" stream;
    # its name sits in the directory, within the first few sectors.
    with open(path, "rb") as fh:
        data = fh.read(1 << 20)
    return ENCRYPTED_MARK in data


def _damaged(p: Path) -> WorkbookError:
    return WorkbookError(
        "the file is damaged or incomplete (a truncated download or copy?)",
        "save it again from Excel or LibreOffice Calc, or restore a backup",
        p,
    )


def _check_zip(p: Path) -> Format:
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            fmt = _kind(zf, names, p)
            _check_sizes(zf, infos, p)
            return fmt
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
        if zf.read("mimetype").strip() != ODS_MIMETYPE:
            raise WorkbookError("an OpenDocument file that is not a spreadsheet", "give an .ods spreadsheet", p)
        return "ods"
    if "xl/workbook.bin" in names:
        raise WorkbookError("this is a binary .xlsb workbook, which sheetkit does not read", RESAVE, p)
    raise WorkbookError("a zip archive with no workbook inside", RESAVE, p)


def _parse_safely(zf: zipfile.ZipFile, name: str, p: Path) -> None:
    info = zf.getinfo(name)
    if info.file_size > 16 * 1024 * 1024:
        raise _hostile(p, f"its part {name} is implausibly large")
    try:
        SafeET.fromstring(zf.read(name), forbid_dtd=True)
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


def _check_sizes(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], p: Path) -> None:
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
        if info.compress_size * DEFLATE_MAX_RATIO > MAX_PART_BYTES:
            _inflate_fully(zf, info, p)
        else:
            with zf.open(info) as fh:
                _check_prolog(fh.read(PEEK_BYTES), info.filename, p)


def _inflate_fully(zf: zipfile.ZipFile, info: zipfile.ZipInfo, p: Path) -> None:
    # zipfile stops at the declared size and checks the CRC, so a header that
    # understates the size is caught here instead of inside the parser.
    with zf.open(info) as fh:
        first = fh.read(PEEK_BYTES)
        _check_prolog(first, info.filename, p)
        while fh.read(1 << 22):
            pass


def _check_prolog(first: bytes, name: str, p: Path) -> None:
    if b"<!DOCTYPE" in first or b"<!ENTITY" in first:
        raise _hostile(p, f"its part {name} declares a DTD or entities")
