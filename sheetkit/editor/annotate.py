"""An annotated copy of a workbook (README, `sheetkit validate --annotate`): the problems shown in the sheet.

The copy is the workbook with each :class:`~sheetkit.editor.changes.Mark`'s
cell filled (errors red, warnings amber) and given a comment holding its
messages; every other part keeps its bytes, so charts, drop-downs and the
user's own comments are there too. The workbook itself is only read. The copy
is written to a temporary file beside ``out``, read back, and only then
renamed to ``out``: an interrupted run leaves no half-written copy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from sheetkit.editor import ods_notes, xlsx_notes
from sheetkit.editor.changes import Mark
from sheetkit.editor.package import Package
from sheetkit.errors import EditError, UsageError
from sheetkit.files import atomic_path
from sheetkit.reader import open_book
from sheetkit.safety import check_workbook_file


def check_target(path: Path, out: Path, *, force: bool) -> None:
    """Refuse an ``out`` that is ``path`` itself (by any name), of another format, or there without ``force``."""
    if out.exists() and (out.resolve() == path.resolve() or os.path.samefile(out, path)):
        raise UsageError("--annotate would write over the workbook itself",
                         "give another file name, e.g. tracker-annotated.xlsx", out)
    # The suffix says what the package holds: an .xlsm renamed .xlsx (macros inside) is refused by Excel.
    if out.suffix.lower() != path.suffix.lower():
        raise UsageError(f"--annotate must name a {path.suffix.lower()} file, as the workbook is one",
                         f"e.g. {path.stem}-annotated{path.suffix}", out)
    if out.is_dir():
        raise UsageError("--annotate names a folder", f"give a file name, e.g. {out / (path.stem + '-annotated')}"
                         f"{path.suffix}", out)
    if not out.parent.is_dir():
        raise UsageError("--annotate's folder does not exist", "create it first, or give another path", out)
    if out.exists() and not force:
        raise UsageError("already exists", "add --force to replace it, or give another file name", out)


def annotate_workbook(path: str | Path, out: str | Path, marks: Iterable[Mark], *, force: bool = False) -> Path:
    """Write to ``out`` a copy of the workbook at ``path`` showing ``marks``; ``path`` is only read."""
    source, target = Path(path), Path(out)
    check_target(source, target, force=force)
    checked = check_workbook_file(source)
    data = checked.path.read_bytes()
    wanted = list(marks)
    package = Package(data)
    is_ods = "xl/workbook.xml" not in package.names
    replaced: dict[str, bytes]
    added: dict[str, bytes] = {}
    if not wanted:
        replaced = {}
    elif is_ods:
        replaced = ods_notes.annotate(package, wanted)
    else:
        notes = xlsx_notes.annotate(package, wanted)
        replaced, added = notes.replaced, notes.added
    try:
        with atomic_path(target) as tmp:
            with open(tmp, "wb") as fh:
                package.write(fh, replaced, added=added)
            _verify(tmp, data, target)
    except OSError as exc:
        raise EditError(f"cannot be written ({exc.strerror or exc})",
                        "make sure the folder is writable and the disk has room", target) from None
    return target


def _verify(tmp: Path, original: bytes, target: Path) -> None:
    """The copy opens as a workbook and holds the same values as the original, sheet by sheet."""
    import io

    import python_calamine as calamine

    try:
        copy = open_book(tmp)  # as the reader opens it: a folder named in non-UTF-8 bytes is no damaged copy
        before = calamine.CalamineWorkbook.from_filelike(io.BytesIO(original))
        same = copy.sheet_names == before.sheet_names and all(
            copy.get_sheet_by_name(n).to_python() == before.get_sheet_by_name(n).to_python()
            for n in before.sheet_names)
    except Exception as exc:  # calamine raises several unrelated types for a damaged file
        raise EditError(f"the annotated copy would not open ({type(exc).__name__}: {exc})",
                        "nothing was written; please report this with the workbook", target) from None
    if not same:
        raise EditError("the annotated copy would not hold the workbook's values",
                        "nothing was written; please report this with the workbook", target)
