"""The workbook editor: the one way sheetkit writes into a user's .xlsx, .xlsm or .ods.

``record``, ``import`` and ``validate --annotate`` compute their changes as
:class:`CellChange` values and hand them to :func:`edit_workbook`, which
changes those cells and nothing else (see the README, "Writing back"):

- only the parts that must change are rewritten; charts, drawings, comments,
  drop-downs, conditional formats, defined names, VBA and other sheets keep
  their bytes;
- dates become real dates in a date format, text stays text (``=…`` too);
- the results of formulas that may count the changed cells are removed, so
  LibreOffice and Excel compute the Dashboard afresh when the file opens;
- refused while the workbook is open in Excel or LibreOffice, or when it
  changed since it was read (pass the :class:`Fingerprint` taken then);
- written to a temporary file, read back and checked cell by cell, the old
  version kept as a backup, then renamed over the workbook with its
  permissions: a kill at any moment leaves the old or the new workbook.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sheetkit.editor import ods, replace, xlsx
from sheetkit.editor.changes import CellChange, Value, checked
from sheetkit.editor.ods_table import paragraph_text
from sheetkit.editor.package import Package
from sheetkit.editor.replace import Fingerprint, fingerprint
from sheetkit.errors import EditError
from sheetkit.files import BACKUP_FOLDER
from sheetkit.reader import open_book
from sheetkit.safety import check_workbook_file

__all__ = ["BACKUP_FOLDER", "CellChange", "EditResult", "Fingerprint", "edit_workbook", "fingerprint"]


@dataclass(frozen=True)
class EditResult:
    """What an edit did: the workbook written, where its previous version was kept, the changes made."""

    path: Path
    backup: Path | None
    changes: tuple[CellChange, ...]


def edit_workbook(path: str | Path, changes: Iterable[CellChange], *,
                  expected: Fingerprint | None = None) -> EditResult:
    """Make ``changes`` in the workbook at ``path``, safely, or refuse and leave it untouched.

    ``expected`` is the :func:`fingerprint` taken before the workbook was read:
    a workbook that no longer matches it is refused. With no changes nothing
    is written and there is no backup.
    """
    wanted = checked(changes)
    given = Path(path)
    target = given.resolve() if given.is_symlink() else given
    if not wanted:
        return EditResult(target, None, ())
    replace.refuse_if_open(given, target)
    if expected is None:
        check_workbook_file(target)
    try:
        with open(target, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read()
    except OSError as exc:
        raise EditError(f"cannot be read ({exc.strerror or exc})", "check the file's permissions", target) from None
    if expected is not None and not expected.same_content(replace.fingerprint_of(data, st)):
        raise replace.changed_on_disk(target)
    # With a fingerprint, these are the very bytes the reader checked when it read the workbook.
    package = Package(data)
    is_ods = "xl/workbook.xml" not in package.names
    edit = ods.edit(package, wanted) if is_ods else xlsx.edit(package, wanted)
    with replace.staged(target, st) as (tmp, fh):
        package.write(fh, edit.replaced, frozenset(edit.removed))
    # The parts in memory (a cohort's Contacts sheet twice over) are not needed to read the file back.
    del package, edit, data
    try:
        _verify(tmp, wanted, target, ods=is_ods)
        kept = replace.backup(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    replace.commit(tmp, target, st)
    return EditResult(target, kept, tuple(wanted))


def _verify(tmp: Path, changes: Sequence[CellChange], target: Path, *, ods: bool) -> None:
    """Read the new file back as sheetkit reads workbooks and check that every changed cell holds its value."""
    try:
        book = open_book(tmp)  # as the reader opens it: a folder named in non-UTF-8 bytes is no damaged file
    except Exception as exc:  # calamine raises several unrelated types for a damaged file
        raise _not_as_intended(target, f"it does not open ({type(exc).__name__}: {exc})") from None
    try:
        names = {n.casefold(): n for n in book.sheet_names}
        by_sheet: dict[str, dict[int, list[CellChange]]] = {}
        for change in changes:
            name = change.sheet if change.sheet in book.sheet_names else names.get(change.sheet.strip().casefold())
            if name is None:
                raise _not_as_intended(target, f"the sheet {change.sheet} is missing")
            by_sheet.setdefault(name, {}).setdefault(change.row, []).append(change)
        for name, rows in by_sheet.items():
            _verify_sheet(book.get_sheet_by_name(name), rows, target, ods)
    finally:
        book.close()


def _verify_sheet(sheet: Any, rows: dict[int, list[CellChange]], target: Path, ods: bool) -> None:
    top, left = sheet.start if sheet.height else (0, 0)
    pending = dict(rows)
    for number, values in enumerate(sheet.iter_rows(), start=top + 1):
        for change in pending.pop(number, ()):
            at = change.column_number - 1 - left
            _check_cell(values[at] if 0 <= at < len(values) else "", change, target, ods)
        if not pending:
            break
    for remaining in pending.values():
        for change in remaining:
            _check_cell("", change, target, ods)


def _check_cell(read: object, change: CellChange, target: Path, ods: bool) -> None:
    new = change.new
    if ods and isinstance(new, str):
        # An .ods cell holds lines as paragraphs: a CR reads back as the line break it stands for. Tabs are
        # written as text:tab, which LibreOffice reads as a tab and calamine (sheetkit's reader) skips.
        new = paragraph_text(new)
        if isinstance(read, str) and "\t" in new and "\t" not in read:
            new = new.replace("\t", "")
    if not _same(read, new):
        raise _not_as_intended(target, f"{change.sheet}!{change.cell} reads back as {read!r}, not {change.new!r}")


def _same(read: object, new: Value) -> bool:
    if new is None:
        return read == ""
    if isinstance(new, str):
        return read == new
    if isinstance(new, dt.datetime):
        if not isinstance(read, dt.datetime):
            return False
        return abs((read - new).total_seconds()) < 0.001
    if isinstance(new, dt.date):
        return (isinstance(read, dt.date) and not isinstance(read, dt.datetime) and read == new) or (
            isinstance(read, dt.datetime) and read == dt.datetime.combine(new, dt.time()))
    return isinstance(read, int | float) and not isinstance(read, bool) and float(read) == float(new)


def _not_as_intended(target: Path, why: str) -> EditError:
    return EditError(
        f"the edited workbook would not read back as intended: {why}",
        "nothing was changed; please report this with the workbook",
        target,
    )
