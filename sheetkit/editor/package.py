"""The zip package of a workbook: read its parts, write it back with only some parts replaced.

A part that is not replaced is copied as it lies in the original archive, its
local header and compressed bytes untouched, so it stays byte for byte what it
was (and costs no inflating and deflating: a cohort's Questions sheet is tens
of megabytes). Members keep their order, names, dates, flags and extra
fields; an ``.ods`` keeps its ``mimetype`` first and stored.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

from sheetkit.errors import ArgumentError, EditError

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_ZIP64_EXTRA = 0x0001
_DESCRIPTOR_FLAG = 0x08
_DESCRIPTOR_SIG = b"PK\x07\x08"
_LIMIT = 0xFFFFFFFF
_LEVEL = 6  # zlib's default, as Excel and LibreOffice compress
# A part this large (a cohort's sheet, tens of megabytes of XML) is compressed at zlib's fastest level:
# four times faster than level 6 for a file 30% larger, until Excel or Calc next save it at their own.
_FAST_FROM, _FAST_LEVEL = 16 << 20, 1
_PIECE = 4 << 20  # parts this large or more are compressed in pieces in parallel


class Package:
    """A workbook's zip archive, held in memory as the bytes read from disk."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._zip = zipfile.ZipFile(io.BytesIO(data))
        self.infos = self._zip.infolist()
        self.names = {info.filename for info in self.infos}

    def read(self, name: str) -> bytes:
        """A part's bytes, inflated."""
        return self._zip.read(name)

    def write(self, out: BinaryIO, replaced: Mapping[str, bytes], removed: frozenset[str] = frozenset(),
              added: Mapping[str, bytes] | None = None) -> None:
        """Write the archive to ``out``: ``replaced`` parts get new contents, ``removed`` ones are left out,
        ``added`` ones (new parts, such as a sheet's first comments) come last."""
        unknown = (set(replaced) | removed) - self.names
        if unknown:
            raise ArgumentError(f"no such parts: {sorted(unknown)}")
        if set(added or {}) & self.names:
            raise ArgumentError(f"parts already there: {sorted(set(added or {}) & self.names)}")
        central: list[bytes] = []
        offset = 0
        for info in self.infos:
            if info.filename in removed:
                continue
            if info.file_size > _LIMIT or info.compress_size > _LIMIT or info.header_offset > _LIMIT:
                raise EditError("the workbook is too large to edit (a zip64 archive)", "split it into smaller ones")
            data = replaced.get(info.filename)
            if data is None:
                local, crc, csize, size, flags = self._raw(info), info.CRC, info.compress_size, info.file_size, None
            else:
                local, crc, csize, size, flags = self._rewritten(info, data)
            out.write(local)
            central.append(self._central(info, offset, crc, csize, size, flags))
            offset += len(local)
        for name, data in (added or {}).items():
            # Dated and flagged as the archive's first part: a new part looks like its neighbours.
            info = zipfile.ZipInfo(name, self.infos[0].date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system, info.external_attr = self.infos[0].create_system, 0
            info.extract_version = info.create_version = 20
            local, crc, csize, size, flags = self._rewritten(info, data, name.encode())
            out.write(local)
            central.append(self._central(info, offset, crc, csize, size, flags, name.encode()))
            offset += len(local)
        directory = b"".join(central)
        if len(central) > 0xFFFF or offset > _LIMIT:
            raise EditError("the workbook is too large to edit (a zip64 archive)", "split it into smaller ones")
        out.write(directory)
        comment = self._zip.comment
        out.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, len(comment)))
        out.write(comment)

    def _local_header(self, info: zipfile.ZipInfo) -> tuple[bytes, bytes, int]:
        """The original local header's name and extra fields, and where its data starts."""
        at = info.header_offset
        fields = _LOCAL.unpack_from(self.data, at)
        name_len, extra_len = fields[-2], fields[-1]
        start = at + _LOCAL.size
        name = self.data[start : start + name_len]
        extra = self.data[start + name_len : start + name_len + extra_len]
        return name, extra, start + name_len + extra_len

    def _raw(self, info: zipfile.ZipInfo) -> bytes:
        """The member as it lies in the archive: local header, data and any data descriptor."""
        _, _, data_start = self._local_header(info)
        end = data_start + info.compress_size
        if info.flag_bits & _DESCRIPTOR_FLAG:
            end += 16 if self.data[end : end + 4] == _DESCRIPTOR_SIG else 12
        return self.data[info.header_offset : end]

    def _rewritten(self, info: zipfile.ZipInfo, data: bytes,
                   new_name: bytes | None = None) -> tuple[bytes, int, int, int, int]:
        """A new local header and data for a replaced part, compressed as the original was (or a new part)."""
        name, extra, _ = self._local_header(info) if new_name is None else (new_name, b"", 0)
        if info.compress_type == zipfile.ZIP_STORED:
            packed = data
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            packed = deflate(data)
        else:
            raise EditError(f"the part {info.filename} is compressed in a way sheetkit cannot write",
                            "open the workbook in Excel or LibreOffice Calc and save it again")
        crc = zlib.crc32(data)
        flags = info.flag_bits & ~_DESCRIPTOR_FLAG
        dos_time = (info.date_time[3] << 11) | (info.date_time[4] << 5) | (info.date_time[5] // 2)
        dos_date = ((info.date_time[0] - 1980) << 9) | (info.date_time[1] << 5) | info.date_time[2]
        extra = _without_zip64(extra)
        header = _LOCAL.pack(
            b"PK\x03\x04", info.extract_version, 0, flags, info.compress_type, dos_time, dos_date,
            crc, len(packed), len(data), len(name), len(extra),
        )
        return header + name + extra + packed, crc, len(packed), len(data), flags

    def _central(self, info: zipfile.ZipInfo, offset: int, crc: int, csize: int, size: int,
                 flags: int | None, new_name: bytes | None = None) -> bytes:
        name = self._local_header(info)[0] if new_name is None else new_name
        extra = _without_zip64(info.extra)
        comment = info.comment
        dos_time = (info.date_time[3] << 11) | (info.date_time[4] << 5) | (info.date_time[5] // 2)
        dos_date = ((info.date_time[0] - 1980) << 9) | (info.date_time[1] << 5) | info.date_time[2]
        header = _CENTRAL.pack(
            b"PK\x01\x02", info.create_version, info.create_system, info.extract_version, 0,
            info.flag_bits if flags is None else flags, info.compress_type, dos_time, dos_date,
            crc, csize, size, len(name), len(extra), len(comment), 0, info.internal_attr, info.external_attr,
            offset,
        )
        return header + name + extra + comment


def deflate(data: bytes) -> bytes:
    """Raw deflate of ``data``, a large part compressed in pieces on every CPU (zlib releases the GIL).

    Each piece but the last ends on a byte boundary (a sync flush) and the
    last closes the stream, so the pieces joined are one valid stream, as
    pigz makes them; a piece of megabytes loses nothing measurable by not
    seeing the one before. A cohort's Contacts sheet takes half the time.
    """
    level = _FAST_LEVEL if len(data) >= _FAST_FROM else _LEVEL
    pieces = min(len(data) // _PIECE, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    if pieces < 2:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush()
    size = -(-len(data) // pieces)
    view = memoryview(data)

    def piece(i: int) -> bytes:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        last = i == pieces - 1
        return packer.compress(view[i * size : (i + 1) * size]) + packer.flush(
            zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)

    with ThreadPoolExecutor(pieces) as pool:
        return b"".join(pool.map(piece, range(pieces)))


def _without_zip64(extra: bytes) -> bytes:
    """Extra fields without a zip64 one: sizes and offsets are written in full where they fit."""
    out = bytearray()
    i = 0
    while i + 4 <= len(extra):
        kind, length = struct.unpack_from("<2H", extra, i)
        if kind != _ZIP64_EXTRA:
            out += extra[i : i + 4 + length]
        i += 4 + length
    return bytes(out)
