"""Writing files so that nothing is ever half-written.

Every file sheetkit produces goes to a temporary file in the destination
folder first and is then renamed over the target, which is atomic on the same
file system: a crash or Ctrl-C leaves either the old file or the new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Where the workbook editor keeps each previous version, beside the workbook; a folder of
# workbooks read as a cohort passes over it.
BACKUP_FOLDER = "sheetkit-backups"


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it over ``target``."""
    target = Path(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); a user's drafts and workbook should get
    # the permissions any new file of theirs gets, or keep those of the file replaced.
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    os.chmod(tmp, mode)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_bytes(target: Path | str, data: bytes, *, durable: bool = True, new: bool = False) -> None:
    """Write ``data`` to ``target`` atomically.

    ``durable`` flushes the file to disk before the rename. Files that can be
    made again (drafts) skip it: an fsync per file would cost more than the
    rest of drafting a letter, and readers still never see a half-written file.

    ``new`` says the caller listed the folder and ``target`` was not in it, so
    there are no permissions to keep and no need to look.

    The temporary file is created and written through one descriptor, named
    from the process id (``O_EXCL`` refuses anything already there, a symbolic
    link included); a new file takes the user's umask from ``open`` itself,
    a replaced one keeps its permissions. A new draft costs four system calls
    (open, write, close, rename): at cohort scale the file system's cost per
    call is most of the cost of writing 20,000 drafts.
    """
    path = os.fspath(target)
    mode: int | None = None
    if not new:
        with contextlib.suppress(FileNotFoundError):
            mode = os.stat(path).st_mode & 0o777
    head, name = os.path.split(path)
    tmp = os.path.join(head, f".{name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(tmp, flags, 0o666 if mode is None else 0o600)
    except FileExistsError:  # left by a crashed run of a process with the same id
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=head or os.curdir)
        if mode is None:
            mode = 0o666 & ~_umask()
    try:
        try:
            if mode is not None:
                # By descriptor where the platform can (Windows only from Python 3.13).
                os.chmod(fd if os.chmod in os.supports_fd else tmp, mode)
            view = memoryview(data)
            while view:  # os.write may write less than asked (a full disk reports ENOSPC on the next call)
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(target: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``target`` atomically."""
    atomic_write_bytes(target, text.encode("utf-8"))


def output_file(out: Path, suffixes: tuple[str, ...], example: str) -> Path:
    """``--out`` checked before any work is done: a file named ``*<suffix>`` in a folder that exists.

    The suffix guards the workbook: ``--out tracker.xlsx`` typed by mistake
    would otherwise replace it with a page. ``example`` is a good name to offer.
    """
    from sheetkit.errors import UsageError

    fix = f"give a file name ending in {suffixes[0]}, e.g. {example}"
    if out.suffix.casefold() not in suffixes:
        raise UsageError(f"--out {out} is not a {suffixes[0]} file", fix)
    if out.is_dir():
        raise UsageError("--out is a folder", fix, out)
    if not out.parent.is_dir():
        raise UsageError("--out's folder does not exist", "create it first, or write the file elsewhere", out)
    return out
