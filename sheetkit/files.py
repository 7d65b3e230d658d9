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


def atomic_write_bytes(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``target`` atomically.

    ``durable`` flushes the file to disk before the rename. Files that can be
    made again (drafts) skip it: an fsync per file would cost more than the
    rest of drafting a letter, and readers still never see a half-written file.
    """
    with atomic_path(target) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        if durable:
            os.fsync(fh.fileno())



def atomic_write_text(target: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``target`` atomically."""
    atomic_write_bytes(target, text.encode("utf-8"))
