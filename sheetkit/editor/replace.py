"""Putting a new version of a workbook in place of the old one, so that nothing is ever lost.

The new version is written to a temporary file in the workbook's own folder
(named ``.~…``, which sync clients such as OneDrive and Dropbox leave alone),
flushed to disk, and renamed over the workbook only once it has been read back
and found right: a rename within one folder is atomic, so a crash, a kill or
a full disk at any moment leaves the old workbook or the new one, never a
mixture. The old version is kept first, as a backup a person can find and
open. Nothing is written while Excel or LibreOffice has the workbook open,
nor when the workbook changed on disk since it was read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sheetkit.errors import EditError
from sheetkit.files import BACKUP_FOLDER

_TEMP_PREFIX = ".~"
_TEMP_SUFFIX = ".sheetkit.tmp"
# A temporary file this old was left by a run that was killed: no edit takes an hour.
_STALE_SECONDS = 3600


@dataclass(frozen=True)
class Fingerprint:
    """A workbook's identity when it was read: a file that differs from it has changed since."""

    size: int
    mtime_ns: int
    sha256: str

    def same_content(self, other: Fingerprint) -> bool:
        """Whether ``other`` is the same bytes (a touched file with the same content has not changed)."""
        return (self.size, self.sha256) == (other.size, other.sha256)


def fingerprint(path: str | Path) -> Fingerprint:
    """Take the workbook's fingerprint; take it before reading the workbook, and pass it to the edit."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        data = fh.read()
    return fingerprint_of(data, st)


def fingerprint_of(data: bytes, st: os.stat_result) -> Fingerprint:
    return Fingerprint(len(data), st.st_mtime_ns, hashlib.sha256(data).hexdigest())


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel (``~$NAME``) and LibreOffice (``.~lock.NAME#``) keep beside a workbook they have open."""
    return [path.with_name(f"~${path.name}"), path.with_name(f".~lock.{path.name}#")]


def refuse_if_open(*paths: Path) -> None:
    """Refuse while a lock file says Excel or LibreOffice has the workbook open."""
    for path in paths:
        for lock in lock_files(path):
            if lock.exists():
                raise EditError(
                    f"the workbook is open in Excel or LibreOffice (their lock file {lock.name} is beside it)",
                    f"close it there and run again; if it is not open anywhere, delete {lock}",
                    path,
                )


def _temp_name(target: Path) -> Path:
    return target.with_name(f"{_TEMP_PREFIX}{target.name}.{os.getpid()}{_TEMP_SUFFIX}")


def _remove_stale_temps(target: Path) -> None:
    """Delete temporary files that killed runs left beside ``target``."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            name = entry.name
            if name.startswith(f"{_TEMP_PREFIX}{target.name}.") and name.endswith(_TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    if now - entry.stat(follow_symlinks=False).st_mtime > _STALE_SECONDS:
                        os.unlink(entry.path)


@contextlib.contextmanager
def staged(target: Path, st: os.stat_result) -> Iterator[tuple[Path, BinaryIO]]:
    """A new temporary file beside ``target`` with its permissions, flushed to disk on leaving; removed on error."""
    _remove_stale_temps(target)
    tmp = _temp_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(tmp, flags, 0o600)
    except FileExistsError:  # left by a killed run of a process with the same id
        os.unlink(tmp)
        fd = os.open(tmp, flags, 0o600)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            _keep_owner_and_mode(fd, tmp, st)
            yield tmp, fh
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _cannot_write(target, exc) from None
        raise


def _keep_owner_and_mode(fd: int, tmp: Path, st: os.stat_result) -> None:
    if hasattr(os, "fchown") and os.chown in os.supports_fd:
        with contextlib.suppress(OSError):  # only root may give a file away; others own what they write
            os.fchown(fd, st.st_uid, st.st_gid)
    os.chmod(fd if os.chmod in os.supports_fd else tmp, st.st_mode & 0o777)


def _cannot_write(target: Path, exc: OSError) -> EditError:
    return EditError(
        f"cannot write beside the workbook ({exc.strerror or exc})",
        "make sure the folder is writable and the disk has room, then run again; the workbook is unchanged",
        target,
    )


def backup(target: Path, now: dt.datetime | None = None) -> Path:
    """Keep the current workbook as ``sheetkit-backups/NAME.YYYY-MM-DDTHHMMSS.EXT`` beside it; return that path.

    A folder of their own keeps the backups together, out of a folder of
    workbooks that ``report`` reads, and still in plain sight. The backup is a
    second name for the very file replaced (a hard link), so it is the old bytes
    exactly and costs no copy; where links are not possible it is a copy.
    """
    folder = target.parent / BACKUP_FOLDER
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%dT%H%M%S")
    for n in range(1, 1000):
        name = f"{target.stem}.{stamp}{'' if n == 1 else f'-{n}'}{target.suffix}"
        path = folder / name
        try:
            os.link(target, path)
        except FileExistsError:
            continue
        except OSError:
            try:
                with open(target, "rb") as src, open(path, "xb") as dst:
                    shutil.copyfileobj(src, dst)
                    dst.flush()
                    os.fsync(dst.fileno())
                shutil.copystat(target, path)
            except FileExistsError:
                continue
            except OSError as exc:
                with contextlib.suppress(OSError):
                    path.unlink()
                raise _cannot_write(target, exc) from None
        _sync_folder(folder)
        return path
    raise EditError("too many backups made this second", "run again in a second", target)


def commit(tmp: Path, target: Path, st: os.stat_result) -> None:
    """Rename ``tmp`` over ``target``, unless ``target`` changed since ``st`` was taken."""
    try:
        now = os.stat(target)
        if (now.st_size, now.st_mtime_ns, now.st_ino) != (st.st_size, st.st_mtime_ns, st.st_ino):
            raise changed_on_disk(target)
        os.replace(tmp, target)
    except PermissionError as exc:  # Windows: Excel holds the file open
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise EditError(
            f"the workbook cannot be replaced ({exc.strerror or exc}): is it open in Excel?",
            "close it and run again; the workbook is unchanged",
            target,
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(target.parent)


def changed_on_disk(target: Path) -> EditError:
    return EditError(
        "the workbook changed on disk since sheetkit read it",
        "run the command again, so that it works from the saved version",
        target,
    )


def _sync_folder(folder: Path) -> None:
    """Make a rename or a new name in ``folder`` durable (where the platform can open folders)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
