"""Changing cells of an .ods: not written yet (the next commit)."""

from __future__ import annotations

from collections.abc import Sequence

from sheetkit.editor.changes import CellChange
from sheetkit.editor.package import Package
from sheetkit.editor.xlsx import Edit
from sheetkit.errors import EditError


def edit(pkg: Package, changes: Sequence[CellChange]) -> Edit:
    """Refused for now."""
    raise EditError("sheetkit cannot edit .ods workbooks yet", "save the workbook as .xlsx")
