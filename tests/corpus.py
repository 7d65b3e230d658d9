"""A corpus of hostile, broken and odd workbooks, built at test time.

Each ``make_*`` function writes one file (or folder) into the folder it is given
and returns its path; nothing binary is committed. Valid workbooks are built
with openpyxl from :mod:`sheetkit.schema`, then patched at the XML level where
a spreadsheet program writes something openpyxl cannot (cached formula values,
a wrong ``<dimension>``). Bombs are deflate streams assembled from one
compressed block repeated, so a gigabyte of XML costs about a second to make.

The helpers at the end run ``sheetkit`` in a subprocess, as a user would, and
check the README's contract for files that cannot be read: a file that cannot be read is one ``Error:``
line on stderr naming the file and what to do, exit status 2, no traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from sheetkit import schema

S = schema
SHEET_PART = "xl/worksheets/sheet1.xml"
GIB = 1 << 30

# --- valid workbooks ---------------------------------------------------------

Row = Mapping[schema.Column, Any]


def contact(i: int, **overrides: Any) -> dict[schema.Column, Any]:
    """A valid Prospect row; ``overrides`` by column attribute name (``status=None``)."""
    row: dict[schema.Column, Any] = {
        S.FIRST_NAME: f"Ann{i}",
        S.LAST_NAME: f"Lee{i}",
        S.COMPANY: "Acme",
        S.STATUS: S.Status.PROSPECT.value,
    }
    for name, value in overrides.items():
        row[getattr(S, name.upper())] = value
    return row


def contacts(n: int, **overrides: Any) -> list[dict[schema.Column, Any]]:
    return [contact(i, **overrides) for i in range(n)]


def build_workbook(
    folder: Path,
    name: str = "tracker.xlsx",
    rows: Iterable[Row] = (),
    *,
    sheet: str = S.CONTACTS.name,
    headers: Iterable[str] | None = None,
    title_rows: Iterable[str] = (),
    edit: Callable[[Worksheet], None] | None = None,
) -> Path:
    """A one-sheet workbook: optional title rows, the header row, then ``rows``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for title in title_rows:
        ws.append([title])
    header = list(headers) if headers is not None else list(S.CONTACTS.headers)
    ws.append(header)
    for row in rows:
        by_name = {c.name: v for c, v in row.items()}
        ws.append([by_name.get(h) for h in header])
    if edit is not None:
        edit(ws)
    path = folder / name
    wb.save(path)
    return path


def rezip(
    src: Path,
    dst: Path,
    replace: Mapping[str, bytes | Callable[[bytes], bytes]] | None = None,
    *,
    drop: Iterable[str] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Copy a zip part by part, replacing or transforming some parts and dropping others."""
    replace = dict(replace or {})
    dropped = set(drop)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for info in zin.infolist():
            if info.filename in dropped:
                continue
            data = zin.read(info)
            new = replace.pop(info.filename, None)
            if callable(new):
                data = new(data)
            elif new is not None:
                data = new
            zout.writestr(info.filename, data)
        for part, new in replace.items():
            assert not callable(new), f"{part} is not in {src}"
            zout.writestr(part, new)
    return dst


def patch_sheet(path: Path, transform: Callable[[bytes], bytes]) -> Path:
    """Rewrite the first worksheet's XML in place (the file is a test fixture, not user data)."""
    tmp = path.with_name(path.name + ".tmp")
    rezip(path, tmp, {SHEET_PART: transform})
    tmp.replace(path)
    return path


def sub_once(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def transform(data: bytes) -> bytes:
        assert data.count(old) >= 1, f"{old!r} not found"
        return data.replace(old, new, 1)

    return transform


def replace_cells(path: Path, cells: Mapping[str, bytes], part: str = SHEET_PART) -> Path:
    """Replace whole cells (``{"P2": b'<c r="P2" ...>...</c>'}``) in a worksheet's XML, in place."""

    def transform(data: bytes) -> bytes:
        for ref, new in cells.items():
            pattern = rb'<c r="' + ref.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)'
            data, count = re.subn(pattern, new.replace(b"\\", b"\\\\"), data, count=1, flags=re.S)
            assert count == 1, f"no cell {ref} in {part}"
        return data

    tmp = path.with_name(path.name + ".tmp")
    rezip(path, tmp, {part: transform})
    tmp.replace(path)
    return path


def error_cell(ref: str, formula: str, shown: str) -> bytes:
    """A cell as Excel saves a formula whose result is an error: ``t="e"``, the error as its cached value."""
    return b'<c r="%s" s="0" t="e"><f>%s</f><v>%s</v></c>' % (ref.encode(), escape(formula).encode(), shown.encode())


def column_index(column: schema.Column) -> int:
    """1-based position of a column in a workbook built with the schema's header order."""
    return S.CONTACTS.headers.index(column.name) + 1


def make_valid(folder: Path, name: str = "tracker.xlsx", n: int = 3) -> Path:
    return build_workbook(folder, name, contacts(n))


# --- minimal zip writer (for bombs whose headers may lie) ----------------------


@dataclass
class RawEntry:
    """A zip entry given as its raw deflate stream, with the sizes and CRC its headers will claim."""

    name: str
    deflated: bytes
    crc: int
    size: int


def raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def entry(name: str, data: bytes) -> RawEntry:
    return RawEntry(name, raw_deflate(data), zlib.crc32(data), len(data))


def write_raw_zip(path: Path, entries: Iterable[RawEntry]) -> Path:
    """A plain (non-zip64) archive of deflated entries, headers exactly as given."""
    local = bytearray()
    central = bytearray()
    count = 0
    for e in entries:
        name = e.name.encode()
        offset = len(local)
        fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, e.crc, len(e.deflated), e.size, len(name), 0)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name + e.deflated
        central += struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIHH", *fields)
        central += struct.pack("<HHHII", 0, 0, 0, 0, offset) + name
        count += 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def repeated_stream(head: bytes, unit: bytes, count: int, tail: bytes) -> tuple[bytes, int, int]:
    """Deflate ``head + unit * count + tail`` by compressing ``unit`` once.

    Each block is flushed with Z_FULL_FLUSH from a fresh compressor, so it
    refers to nothing before it and can be repeated as bytes. Returns the raw
    stream, the CRC-32 and the size of the inflated data.
    """

    def block(data: bytes, final: bool) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

    unit_block = block(unit, False)
    stream = block(head, False) + unit_block * count + block(tail, True)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(tail, crc)
    return stream, crc, len(head) + len(unit) * count + len(tail)


def _bomb(folder: Path, name: str, *, lie: str | None, part: str = SHEET_PART) -> Path:
    """An xlsx with one part inflating to just over 1 GiB.

    The sheet part gets rows each holding a value; another part (workbook.xml)
    gets blank lines after its root element, which XML allows. ``lie``: None
    (honest headers), ``"size"`` (declared size that of the original part,
    CRC of the whole), or ``"size+crc"`` (declared size and CRC both of the
    original part, so a reader that stops at the declared size sees a valid
    entry).
    """
    base = make_valid(folder, name + ".base.xlsx", 1)
    with zipfile.ZipFile(base) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    base.unlink()
    original = parts.pop(part)
    if part == SHEET_PART:
        head, tail = original.split(b"</sheetData>")
        unit = b"<row><c><v>1</v></c></row>" * (1 << 16)
        tail = b"</sheetData>" + tail
    else:
        head, tail, unit = original, b"\n", b"\n" * (1 << 20)
    stream, crc, size = repeated_stream(head, unit, GIB // len(unit) + 1, tail)
    bomb = RawEntry(part, stream, crc, size)
    if lie is not None:
        bomb.size = len(original)
        if lie == "size+crc":  # the CRC of what a reader stopping at the declared size sees
            bomb.crc = zlib.crc32((head + unit)[: len(original)])
    entries = [entry(n, d) for n, d in parts.items()]
    return write_raw_zip(folder / name, [*entries, bomb])


def make_zip_bomb(folder: Path) -> Path:
    return _bomb(folder, "bomb.xlsx", lie=None)


def make_zip_bomb_lying_size(folder: Path) -> Path:
    return _bomb(folder, "bomb-lying-size.xlsx", lie="size")


def make_zip_bomb_lying_size_and_crc(folder: Path) -> Path:
    return _bomb(folder, "bomb-lying-crc.xlsx", lie="size+crc")


def make_workbook_part_bomb_lying_size_and_crc(folder: Path) -> Path:
    """xl/workbook.xml, which sheetkit parses itself, declared as its real size but inflating to 1 GiB."""
    return _bomb(folder, "bomb-workbook-part.xlsx", lie="size+crc", part="xl/workbook.xml")


def make_workbook_part_bomb_lying_size(folder: Path) -> Path:
    return _bomb(folder, "bomb-workbook-part-crc.xlsx", lie="size", part="xl/workbook.xml")


# --- refusals: not a workbook at all -----------------------------------------


def make_missing(folder: Path) -> Path:
    return folder / "missing.xlsx"


def make_directory(folder: Path) -> Path:
    path = folder / "folder.xlsx"
    path.mkdir()
    return path


def make_empty(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def make_text_named_xlsx(folder: Path) -> Path:
    path = folder / "notes.xlsx"
    path.write_text("First Name,Status\nAnn,Prospect\n", encoding="utf-8")
    return path


def make_truncated(folder: Path) -> Path:
    full = make_valid(folder, "full.xlsx", 20)
    data = full.read_bytes()
    full.unlink()
    path = folder / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def make_zip_without_workbook(folder: Path) -> Path:
    path = folder / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "not a workbook")
        z.writestr("data/list.csv", "First Name,Status\n")
    return path


def make_xlsb_like(folder: Path) -> Path:
    path = folder / "binary.xlsb"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="x"/>')
        z.writestr("xl/workbook.bin", b"\x83\x01\x00" * 10)
        z.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00" * 10)
    return path


def make_bzip2_compressed(folder: Path) -> Path:
    """A workbook whose parts use bzip2, which zip allows and no spreadsheet program writes."""
    src = make_valid(folder, "plain.xlsx")
    path = rezip(src, folder / "bzip2.xlsx", compression=zipfile.ZIP_BZIP2)
    src.unlink()
    return path


def make_excel_lock_file_itself(folder: Path) -> Path:
    """Excel's ``~$name.xlsx`` owner file, given by mistake instead of the workbook."""
    path = folder / "~$tracker.xlsx"
    path.write_bytes(excel_lock_bytes())
    return path


def excel_lock_bytes() -> bytes:
    owner = "Ann Lee"
    return bytes([len(owner)]) + owner.encode("ascii").ljust(53, b" ") + owner.encode("utf-16-le").ljust(110, b"\0")


# --- compound files (legacy .xls, encrypted OOXML) ----------------------------

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A version-3 compound file (512-byte sectors) holding the given streams.

    Sector 0 is the FAT, sector 1 the directory, then each stream padded to at
    least 4096 bytes so it lives in regular sectors (no mini stream needed).
    """
    assert len(streams) <= 3
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    fat = [FATSECT, ENDOFCHAIN]
    starts: list[int] = []
    body = b""
    for name in names:
        data = streams[name].ljust(4096, b"\0")
        data += b"\0" * (-len(data) % 512)
        first = len(fat)
        sectors = len(data) // 512
        fat += [*range(first + 1, first + sectors), ENDOFCHAIN]
        starts.append(first)
        body += data
    assert len(fat) <= 128

    def dir_entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", NOSTREAM, right, child)
            + b"\0" * 16
            + struct.pack("<I", 0)
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = dir_entry("Root Entry", 5, 1, NOSTREAM, ENDOFCHAIN, 0)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else NOSTREAM
        directory += dir_entry(name, 2, NOSTREAM, right, starts[i], len(streams[name].ljust(4096, b"\0")))
    directory = directory.ljust(512, b"\0")
    header = (
        CFB_MAGIC
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREESECT) * 108
    )
    assert len(header) == 512
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff")
    return header + fat_sector + directory + body


def make_legacy_xls(folder: Path) -> Path:
    path = folder / "old.xls"
    # A BIFF8 BOF record, as an .xls Workbook stream starts.
    path.write_bytes(compound_file({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\0" * 12}))
    return path


def make_legacy_xls_renamed(folder: Path) -> Path:
    """The same legacy file with an .xlsx name, as happens when someone renames instead of saving as."""
    path = make_legacy_xls(folder).rename(folder / "renamed.xlsx")
    return path


def make_encrypted(folder: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: a compound file, not a zip."""
    path = folder / "secret.xlsx"
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>"
    path.write_bytes(compound_file({"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 1000)}))
    return path


# --- refusals: hostile XML ---------------------------------------------------

LAUGHS = b"".join(
    [b'<!ENTITY lol0 "lol">']
    + [b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10))) for i in range(1, 10)]
)


def _dtd(root: bytes, decls: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE ' + root + b" [" + decls + b"]>\n"


def _with_prolog(prolog: bytes, cell_old: bytes, cell_new: bytes) -> Callable[[bytes], bytes]:
    def transform(data: bytes) -> bytes:
        assert cell_old in data
        return prolog + data.replace(cell_old, cell_new, 1)

    return transform


FIRST_CELL = b"<t>Ann0</t>"


def make_billion_laughs_sheet(folder: Path) -> Path:
    path = make_valid(folder, "laughs.xlsx")
    return patch_sheet(path, _with_prolog(_dtd(b"worksheet", LAUGHS), FIRST_CELL, b"<t>&lol9;</t>"))


def _with_shared_strings(folder: Path, name: str, sst: bytes) -> Path:
    """A valid workbook whose first contact's First Name comes from xl/sharedStrings.xml."""
    src = make_valid(folder, name + ".src.xlsx")
    shared = b'<c r="A2" t="s"><v>0</v></c>'
    inline = b'<c r="A2" t="inlineStr"><is><t>Ann0</t></is></c>'
    types = b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'  # noqa: E501
    rel = b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'  # noqa: E501
    path = rezip(
        src,
        folder / name,
        {
            SHEET_PART: sub_once(inline, shared),
            "[Content_Types].xml": sub_once(b"</Types>", types),
            "xl/_rels/workbook.xml.rels": sub_once(b"</Relationships>", rel),
            "xl/sharedStrings.xml": sst,
        },
    )
    src.unlink()
    return path


SST_OPEN = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'


def make_shared_strings(folder: Path) -> Path:
    """Valid: the first name read through a shared string (the baseline of the next cases)."""
    sst = b'<?xml version="1.0" encoding="UTF-8"?>' + SST_OPEN + b"<si><t>Shared Ann</t></si></sst>"
    return _with_shared_strings(folder, "shared.xlsx", sst)


def make_billion_laughs_shared_strings(folder: Path) -> Path:
    sst = _dtd(b"sst", LAUGHS) + SST_OPEN + b"<si><t>&lol9;</t></si></sst>"
    return _with_shared_strings(folder, "laughs-shared.xlsx", sst)


def make_shared_strings_count_lie(folder: Path) -> Path:
    """A shared-string table declaring four billion strings while holding one."""
    sst = b'<?xml version="1.0" encoding="UTF-8"?>' + SST_OPEN.replace(
        b'uniqueCount="1"', b'uniqueCount="4000000000"'
    ) + b"<si><t>Shared Ann</t></si></sst>"
    return _with_shared_strings(folder, "sst-count.xlsx", sst)


SECRET = "sheetkit-xxe-canary-7f3a"


def secret_file(folder: Path) -> Path:
    path = folder / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def make_xxe(folder: Path) -> Path:
    """A sheet whose first name is an external entity reading a local file (and /etc/passwd)."""
    secret = secret_file(folder)
    decls = b'<!ENTITY xxe SYSTEM "%s"><!ENTITY pw SYSTEM "file:///etc/passwd">' % secret.as_uri().encode()
    path = make_valid(folder, "xxe.xlsx")
    return patch_sheet(path, _with_prolog(_dtd(b"worksheet", decls), FIRST_CELL, b"<t>&xxe;&pw;</t>"))


def make_dtd_after_long_comment(folder: Path) -> Path:
    """The XXE again, with its DTD pushed past the first 4 KiB by a comment (legal XML)."""
    secret = secret_file(folder)
    decls = b'<!ENTITY xxe SYSTEM "%s">' % secret.as_uri().encode()
    prolog = b'<?xml version="1.0"?><!--' + b"padding " * 1024 + b"--><!DOCTYPE worksheet [" + decls + b"]>"
    path = make_valid(folder, "xxe-late.xlsx")
    return patch_sheet(path, _with_prolog(prolog, FIRST_CELL, b"<t>&xxe;</t>"))


def make_utf16_xxe(folder: Path) -> Path:
    """The XXE in a UTF-16 sheet part, where a byte search for ``<!DOCTYPE`` finds nothing."""
    secret = secret_file(folder)

    def transform(data: bytes) -> bytes:
        text = data.decode("utf-8").replace("<t>Ann0</t>", "<t>&xxe;</t>", 1)
        prolog = '<?xml version="1.0" encoding="UTF-16"?>'
        prolog += f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        return b"\xff\xfe" + (prolog + text).encode("utf-16-le")

    return patch_sheet(make_valid(folder, "xxe-utf16.xlsx"), transform)


# --- refusals: sheets sheetkit cannot use ------------------------------------


def make_no_contacts_sheet(folder: Path) -> Path:
    return build_workbook(folder, "people.xlsx", contacts(2), sheet="People")


def make_no_first_name_header(folder: Path) -> Path:
    headers = ["Given Name" if h == S.FIRST_NAME.name else h for h in S.CONTACTS.headers]
    return build_workbook(folder, "renamed-header.xlsx", contacts(2), headers=headers)


def make_no_header_row(folder: Path) -> Path:
    """A Contacts sheet of free notes: no row names First Name or any two columns."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = S.CONTACTS.name
    for line in ("People to call", "Ann from the alumni event", "Tom, referred by Ann"):
        ws.append([line])
    path = folder / "notes-only.xlsx"
    wb.save(path)
    return path


def make_value_in_last_cell(folder: Path) -> Path:
    """One stray value in XFD1048576, the sheet's last cell: a dense read would need 17 billion cells."""

    def edit(ws: Worksheet) -> None:
        ws.cell(row=1_048_576, column=16_384, value="x")

    return build_workbook(folder, "last-cell.xlsx", contacts(2), edit=edit)


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def ods_bytes_content(table_rows: bytes, name: str = S.CONTACTS.name) -> bytes:
    ns = (
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"'
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-content ' + ns + b"><office:body>"
        b'<office:spreadsheet><table:table table:name="' + name.encode() + b'">'
        + table_rows
        + b"</table:table></office:spreadsheet></office:body></office:document-content>"
    )


def ods_cell(text: str, repeat: int = 1) -> bytes:
    rep = b' table:number-columns-repeated="%d"' % repeat if repeat > 1 else b""
    return b'<table:table-cell office:value-type="string"%s><text:p>%s</text:p></table:table-cell>' % (
        rep,
        text.encode(),
    )


def ods_row(cells: bytes, repeat: int = 1) -> bytes:
    rep = b' table:number-rows-repeated="%d"' % repeat if repeat > 1 else b""
    return b"<table:table-row%s>%s</table:table-row>" % (rep, cells)


def write_ods(path: Path, content: bytes) -> Path:
    """A minimal .ods: mimetype first and stored, then content.xml and the manifest."""
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        b'<manifest:file-entry manifest:full-path="/" manifest:media-type="' + ODS_MIMETYPE + b'"/>'
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        b"</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def ods_header_row() -> bytes:
    return ods_row(b"".join(ods_cell(h) for h in S.CONTACTS.headers))


def make_minimal_ods(folder: Path) -> Path:
    """Valid: a hand-written .ods with the header and one contact (baseline of the next case)."""
    status_at = S.CONTACTS.headers.index(S.STATUS.name)
    cells = ods_cell("Ann") + b"<table:table-cell/>" * (status_at - 1) + ods_cell(S.Status.PROSPECT.value)
    return write_ods(folder / "minimal.ods", ods_bytes_content(ods_header_row() + ods_row(cells)))


def make_ods_repeat_bomb(folder: Path) -> Path:
    """A few hundred bytes of .ods whose repeat counts expand to 16 million cells, each holding text."""
    body = ods_row(ods_cell("x", 200), repeat=80_000)
    return write_ods(folder / "repeat-bomb.ods", ods_bytes_content(ods_header_row() + body))


# --- valid but odd -----------------------------------------------------------


def make_wrong_dimension(folder: Path, n: int = 50) -> Path:
    """50 contacts under a ``<dimension ref="A1:B2"/>`` that claims two rows and two columns."""
    path = build_workbook(folder, "dimension.xlsx", contacts(n, status=None))

    def transform(data: bytes) -> bytes:
        start = data.index(b"<dimension ")
        end = data.index(b">", start) + 1
        return data[:start] + b'<dimension ref="A1:B2"/>' + data[end:]

    return patch_sheet(path, transform)


FORMATTED_ROWS = (10, 1000, 65_536, 500_000, 1_048_575, 1_048_576)


def make_formatted_to_last_row(folder: Path) -> Path:
    """Three contacts, and formatted-but-empty cells down to row 1,048,576, as spreadsheet programs save."""
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", fgColor="FFFF00")

    def edit(ws: Worksheet) -> None:
        for r in FORMATTED_ROWS:
            for c in (1, 5, column_index(S.STATUS), len(S.CONTACTS.headers), 40):
                ws.cell(row=r, column=c).fill = fill

    return build_workbook(folder, "formatted.xlsx", contacts(3), edit=edit)


def make_value_in_last_row(folder: Path) -> Path:
    """A first name typed in A1,048,576, far below the table: a contact row without a Status."""

    def edit(ws: Worksheet) -> None:
        ws.cell(row=1_048_576, column=1, value="Zed")

    return build_workbook(folder, "last-row.xlsx", contacts(2), edit=edit)


def make_libreoffice_booleans(folder: Path) -> Path:
    """``May Use Referrer's Name`` as LibreOffice saves TRUE/FALSE: ``=TRUE()`` formulas with cached values."""
    rows = [contact(0, may_use_referrer="PLACEHOLDER-T"), contact(1, may_use_referrer="PLACEHOLDER-F")]
    path = build_workbook(folder, "booleans.xlsx", rows)
    col = openpyxl.utils.get_column_letter(column_index(S.MAY_USE_REFERRER))

    def transform(data: bytes) -> bytes:
        for row, placeholder, func, cached in ((2, b"T", b"TRUE()", b"1"), (3, b"F", b"FALSE()", b"0")):
            ref = f"{col}{row}".encode()
            old = b'<c r="%s" t="inlineStr"><is><t>PLACEHOLDER-%s</t></is></c>' % (ref, placeholder)
            new = b'<c r="%s" s="0" t="b"><f>%s</f><v>%s</v></c>' % (ref, func, cached)
            assert old in data
            data = data.replace(old, new)
        return data

    return patch_sheet(path, transform)


def make_merged_title_and_header(folder: Path) -> Path:
    """A merged title A1:D1 above the header, and the Notes header merged with the empty cell beside it."""
    notes = column_index(S.NOTES)

    def edit(ws: Worksheet) -> None:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
        ws.merge_cells(start_row=2, start_column=notes, end_row=2, end_column=notes + 1)

    rows = [contact(i, notes=f"note {i}") for i in range(3)]
    return build_workbook(folder, "merged.xlsx", rows, title_rows=["My interview campaign"], edit=edit)


def make_title_rows(folder: Path, count: int) -> Path:
    titles = ["Informational interviews", "Spring 2026"][:count]
    rows = [*contacts(2), contact(2, status=None)]
    return build_workbook(folder, f"titles-{count}.xlsx", rows, title_rows=titles)


def make_hidden_rows_and_columns(folder: Path) -> Path:
    """Row 3 hidden, column C (Title) and the Status column hidden: all still read."""
    status = openpyxl.utils.get_column_letter(column_index(S.STATUS))

    def edit(ws: Worksheet) -> None:
        ws.row_dimensions[3].hidden = True
        ws.column_dimensions["C"].hidden = True
        ws.column_dimensions[status].hidden = True

    rows = [contact(i, title=f"Engineer {i}") for i in range(3)]
    rows[1][S.STATUS] = "Not A Status"  # in the hidden row and the hidden column
    return build_workbook(folder, "hidden.xlsx", rows, edit=edit)


def make_lowercase_sheet(folder: Path) -> Path:
    return build_workbook(folder, "lowercase.xlsx", contacts(2), sheet=S.CONTACTS.name.lower())


def make_xlsm(folder: Path) -> Path:
    """A macro-enabled workbook: same parts, the macro-enabled content type."""
    src = make_valid(folder, "plain.xlsx")
    plain = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    path = rezip(src, folder / "macros.xlsm", {"[Content_Types].xml": sub_once(plain, macro)})
    src.unlink()
    return path


def make_ods_with_libreoffice(folder: Path) -> Path:
    """An .ods saved by LibreOffice itself from a workbook made with openpyxl."""
    import lo

    rows = [*contacts(2), contact(2, request_sent=dt.date(2026, 3, 4), status=S.Status.REQUESTED.value)]
    src = build_workbook(folder, "from-calc.xlsx", rows)
    return lo.convert(src, "ods", folder / "ods")


def make_calc_errors(folder: Path) -> Path:
    """An .xlsx for LibreOffice to open and save as .ods, holding what Calc saves its own way.

    - Row 2 was interviewed and has a Thank-You Sent of ``=DATEVALUE("30/10/2026")``,
      ``Err:502`` in Calc, which reads dates month first; row 3's Status is ``=NA()``.
    - Rows 4 and 5 share one merged Status cell, Requested.
    - Row 2's note holds a tab.
    """
    rows = [
        contact(0, status=S.Status.INTERVIEWED.value, email="ann@example.com", interview_date=dt.date(2026, 10, 28),
                thank_you_sent="PLACEHOLDER", key_takeaways="Portfolios matter.", notes="Met at\tthe fair"),
        contact(1, status="PLACEHOLDER", email="bo@example.com"),
        contact(2, status=S.Status.REQUESTED.value, email="cy@example.com", request_sent=dt.date(2026, 11, 2)),
        contact(3, status=None, email="di@example.com", request_sent=dt.date(2026, 11, 3)),
    ]
    status = column_index(S.STATUS)

    def edit(ws: Worksheet) -> None:
        ws.cell(row=2, column=column_index(S.THANK_YOU_SENT), value='=DATEVALUE("30/10/2026")')
        ws.cell(row=3, column=status, value="=NA()")
        ws.merge_cells(start_row=4, start_column=status, end_row=5, end_column=status)

    return build_workbook(folder, "calc-errors.xlsx", rows, edit=edit)


def _with_totals_row(ws: Worksheet, name: str, headers: tuple[str, ...], label_at: int, count_at: int) -> str:
    """Make the sheet's rows an Excel Table with a totals row below them: a label and a SUBTOTAL count."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableColumn

    last = ws.max_row + 1
    ws.cell(row=last, column=label_at + 1, value="Total")
    ws.cell(row=last, column=count_at + 1, value=f"=SUBTOTAL(103,{name}[{headers[count_at]}])")
    table = Table(displayName=name, ref=f"A1:{get_column_letter(len(headers))}{last}", totalsRowCount=1)
    table.tableColumns = [TableColumn(id=j + 1, name=h) for j, h in enumerate(headers)]
    table.tableColumns[label_at].totalsRowLabel = "Total"
    table.tableColumns[count_at].totalsRowFunction = "count"
    ws.add_table(table)
    return f"{get_column_letter(count_at + 1)}{last}"


def make_tables_with_totals(folder: Path) -> Path:
    """Contacts (two Prospects) and Questions (one) as Excel Tables, each with its totals row shown.

    The totals hold "Total" under the first column and a SUBTOTAL count under
    Status (Theme), with the count Excel saves as the formula's value.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = S.CONTACTS.name
    ws.append(list(S.CONTACTS.headers))
    for i in range(2):
        ws.append([f"Ann{i}"] + [None] * (column_index(S.STATUS) - 2) + [S.Status.PROSPECT.value])
    status_total = _with_totals_row(ws, "People", S.CONTACTS.headers, 0, column_index(S.STATUS) - 1)
    qs = wb.create_sheet(S.QUESTIONS.name)
    qs.append(list(S.QUESTIONS.headers))
    qs.append([None, "How did you start?", S.Theme.CAREER_PATH.value, None])
    theme_total = _with_totals_row(qs, "Asked", S.QUESTIONS.headers, 0, S.QUESTIONS.headers.index(S.Q_THEME.name))
    path = folder / "tables.xlsx"
    wb.save(path)
    totals = (("xl/worksheets/sheet1.xml", status_total, 2), ("xl/worksheets/sheet2.xml", theme_total, 1))
    for part, ref, count in totals:
        cell = b'<c r="%s"><f>SUBTOTAL(103,x)</f><v>%d</v></c>' % (ref.encode(), count)
        replace_cells(path, {ref: cell}, part=part)
    return path


def make_open_in_excel(folder: Path) -> Path:
    """A workbook with Excel's ``~$`` owner file and LibreOffice's lock file beside it."""
    path = make_valid(folder, "tracker.xlsx")
    (folder / "~$tracker.xlsx").write_bytes(excel_lock_bytes())
    (folder / ".~lock.tracker.xlsx#").write_text("Ann Lee,host,host,25.11.2026 10:00,file:///home/ann;\n")
    return path


# --- running sheetkit ---------------------------------------------------------

TIMEOUT = 120


def sheetkit_command() -> list[str]:
    return [sys.executable, "-m", "sheetkit.cli"]


def _limit_memory(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_sheetkit(
    *args: str | Path, memory: int | None = None, timeout: float = TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """Run ``sheetkit ARGS`` as a user would; ``memory`` caps the address space in bytes."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [*sheetkit_command(), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        env=env,
        preexec_fn=_limit_memory(memory) if memory else None,
    )


def validate_json(path: Path, *extra: str, memory: int | None = None) -> tuple[int, dict[str, Any]]:
    result = run_sheetkit("validate", path, "--format", "json", "--today", "2026-06-01", *extra, memory=memory)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode in (0, 1), f"exit {result.returncode}: {result.stderr}"
    return result.returncode, json.loads(result.stdout)


def assert_refused(result: subprocess.CompletedProcess[str], path: Path, *words: str) -> str:
    """Exit 2, exactly one ``Error:`` line naming the file with ``—`` and what to do; no traceback."""
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    assert result.returncode == 2, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr[-3000:]}"
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("Error: "), line
    assert str(path) in line, line
    assert " — " in line, line
    assert line.split(" — ", 1)[1].strip(), line
    for word in words:
        assert word.casefold() in line.casefold(), f"{word!r} not in {line!r}"
    return line


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes and timestamps, to prove a command left it alone."""

    digest: str | None
    mtime_ns: int | None
    size: int | None

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        if not path.is_file():
            return cls(None, None, None)
        st = path.stat()
        return cls(hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_size)


def folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())

