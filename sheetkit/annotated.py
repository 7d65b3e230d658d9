"""The problems shown in the sheet itself (README, `sheetkit validate --annotate`).

Spreadsheet people look for problems in the sheet, not in a terminal: the
copy has each problem cell filled (errors red, warnings amber) with a
comment holding the message, several messages of one cell in one comment. A
problem with no cell (a sheet that is missing) is in the report only.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sheetkit.editor.annotate import annotate_workbook, check_target
from sheetkit.editor.changes import Mark
from sheetkit.issues import Issue, Report
from sheetkit.reader import read_workbook
from sheetkit.validate import check

_CELL = re.compile(r"([A-Z]{1,3})(\d+)")


def marks(issues: list[Issue]) -> list[Mark]:
    """Each issue that names a cell, as a mark on that cell."""
    out = []
    for issue in issues:
        m = _CELL.fullmatch(issue.cell or "")
        if m is not None:
            out.append(Mark(issue.sheet, int(m[2]), m[1], issue.severity, issue.message))
    return out


def write_annotated(path: str | Path, out: str | Path, *, today: dt.date | None = None, force: bool = False) -> Report:
    """Validate the workbook at ``path`` and write to ``out`` a copy showing each problem on its cell."""
    check_target(Path(path), Path(out), force=force)  # a wrong OUT should not wait for a cohort-sized read
    report = check(read_workbook(path), today or dt.date.today())
    annotate_workbook(path, out, marks(report.issues), force=force)
    return report
