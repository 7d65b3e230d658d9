"""Atomic writes: the whole file or the old one, permissions kept, no temporary files left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from sheetkit import files
from sheetkit.errors import UsageError
from sheetkit.files import atomic_path, atomic_write_bytes, atomic_write_text, output_file


def leftovers(folder: Path) -> list[str]:
    """Temporary files sheetkit may have left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("new", [False, True])
@pytest.mark.parametrize("durable", [False, True])
def test_writes_the_bytes(tmp_path: Path, durable: bool, new: bool) -> None:
    """The target holds exactly the bytes given, and nothing else is left in the folder."""
    target = tmp_path / "a.eml"
    atomic_write_bytes(target, b"hello\r\n" * 1000, durable=durable, new=new)
    assert target.read_bytes() == b"hello\r\n" * 1000
    assert [p.name for p in tmp_path.iterdir()] == ["a.eml"]


def test_accepts_a_string_path(tmp_path: Path) -> None:
    """A plain string path works as well as a Path."""
    atomic_write_bytes(str(tmp_path / "s.txt"), b"x")
    assert (tmp_path / "s.txt").read_bytes() == b"x"


def test_replacing_keeps_the_permissions(tmp_path: Path) -> None:
    """A file replaced keeps the mode the user gave it."""
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_takes_the_umask(tmp_path: Path) -> None:
    """A new file gets the permissions any new file of the user's gets, not mkstemp's private 0600."""
    old = os.umask(0o027)
    try:
        atomic_write_bytes(tmp_path / "n.txt", b"x", new=True)
        atomic_write_bytes(tmp_path / "m.txt", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "n.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "m.txt").stat().st_mode) == 0o640


def test_stale_temporary_of_the_same_process_id(tmp_path: Path) -> None:
    """A temporary file left by a crashed run with this process id is neither reused nor followed."""
    target = tmp_path / "a.txt"
    stale = tmp_path / f".a.txt.{os.getpid()}.tmp"
    stale.write_bytes(b"stale")
    atomic_write_bytes(target, b"fresh")
    assert target.read_bytes() == b"fresh"
    assert stale.read_bytes() == b"stale"


def test_temporary_symlink_is_not_followed(tmp_path: Path) -> None:
    """A symbolic link planted where the temporary file goes is not written through."""
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / f".a.txt.{os.getpid()}.tmp").symlink_to(outside)
    atomic_write_bytes(folder / "a.txt", b"fresh")
    assert outside.read_bytes() == b"keep"
    assert (folder / "a.txt").read_bytes() == b"fresh"


def test_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When writing fails half way, the old file is untouched and the temporary file is gone."""
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")

    def full_disk(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "write", full_disk)
    with pytest.raises(OSError, match="No space"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_short_writes_are_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os.write writing less than asked does not truncate the file."""
    real = os.write

    def dribble(fd: int, data: bytes) -> int:
        return real(fd, bytes(data[:7]))

    monkeypatch.setattr(files.os, "write", dribble)
    atomic_write_bytes(tmp_path / "a.txt", b"0123456789" * 10)
    assert (tmp_path / "a.txt").read_bytes() == b"0123456789" * 10


def test_text_is_utf8(tmp_path: Path) -> None:
    """atomic_write_text writes UTF-8."""
    atomic_write_text(tmp_path / "t.txt", "Zoë ☃\n")
    assert (tmp_path / "t.txt").read_bytes() == "Zoë ☃\n".encode()


def test_atomic_path_renames_on_success_only(tmp_path: Path) -> None:
    """atomic_path puts the file in place when the block succeeds and removes it when it fails."""
    target = tmp_path / "book.xlsx"
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"done")
    assert target.read_bytes() == b"done"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"done"
    assert leftovers(tmp_path) == []


def test_relative_target_with_stale_temporary_stays_in_its_folder(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A bare file name's fallback temporary file goes in the current folder, not the system's temp folder."""
    made_in: list[str] = []
    real_mkstemp = files.tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        fd, name = real_mkstemp(*args, **kwargs)
        made_in.append(os.path.dirname(os.path.abspath(name)))
        return fd, name

    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp)
    monkeypatch.chdir(tmp_path)
    (tmp_path / f".out.txt.{os.getpid()}.tmp").write_bytes(b"stale")
    atomic_write_bytes("out.txt", b"fresh")
    assert (tmp_path / "out.txt").read_bytes() == b"fresh"
    assert made_in == [str(tmp_path)]


def test_permissions_kept_where_chmod_takes_no_descriptor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where os.chmod cannot take a descriptor (Windows before 3.13) the mode is still kept, by path."""
    real_chmod = os.chmod

    def chmod_by_path_only(path: Any, mode: int, **kwargs: Any) -> None:
        if isinstance(path, int):
            raise TypeError("chmod: fd not supported on this platform")
        real_chmod(path, mode, **kwargs)

    target = tmp_path / "a.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    monkeypatch.setattr(files.os, "chmod", chmod_by_path_only)
    monkeypatch.setattr(files.os, "supports_fd", set())
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_output_file_is_checked_before_any_work(tmp_path: Path) -> None:
    """--out must end in the suffix (any case), not be a folder, and sit in a folder that exists."""
    assert output_file(tmp_path / "Report.HTML", (".html", ".htm"), "report.html") == tmp_path / "Report.HTML"
    with pytest.raises(UsageError, match=r"is not a \.html file.*e\.g\. report\.html"):
        output_file(tmp_path / "tracker.xlsx", (".html",), "report.html")
    (tmp_path / "dir.ics").mkdir()
    with pytest.raises(UsageError, match="is a folder"):
        output_file(tmp_path / "dir.ics", (".ics",), "interviews.ics")
    with pytest.raises(UsageError, match="folder does not exist"):
        output_file(tmp_path / "missing" / "c.ics", (".ics",), "interviews.ics")
