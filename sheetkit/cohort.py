"""A coach's folder of workbooks, one per student, read in parallel into one row each.

Each workbook is read, validated and planned exactly as ``validate`` and
``status`` would (one process per CPU, since reading is CPU-bound), and comes
back as a small :class:`Student` row. A file that cannot be read is listed
with its error and does not stop the others. Students who need attention come
first: errors, then overdue actions, then no activity for two weeks.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sheetkit import schema
from sheetkit.errors import SheetkitError, UsageError
from sheetkit.files import BACKUP_FOLDER
from sheetkit.sources import WORKBOOK_SUFFIXES

S = schema

IDLE_DAYS = 14  # the method's rhythm is weekly: two quiet weeks is a campaign stalling
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 4


@dataclass(frozen=True, slots=True)
class Student:
    """One workbook's row on the cohort page."""

    file: str
    name: str
    counts: dict[str, int]
    interviews: int
    due: int
    overdue: int
    last_activity: dt.date | None
    errors: int
    warnings: int
    idle_days: int | None  # days since the last activity; None when nothing has been done yet

    @property
    def idle(self) -> bool:
        return self.idle_days is None or self.idle_days >= IDLE_DAYS

    @property
    def attention(self) -> list[str]:
        """Why this student needs a look, most pressing first; empty when all is well."""
        reasons = []
        if self.errors:
            reasons.append(f"{self.errors} error{'s' * (self.errors != 1)} in the workbook")
        if self.overdue:
            reasons.append(f"{self.overdue} overdue action{'s' * (self.overdue != 1)}")
        if self.idle:
            reasons.append("nothing done yet" if self.idle_days is None else f"no activity for {self.idle_days} days")
        return reasons

    def urgency(self) -> tuple[Any, ...]:
        """Sort key: errors first, then overdue actions (most first), then no activity, then by name."""
        return (not self.errors, not self.overdue, -self.overdue, not self.idle, -self.errors, self.name.casefold())

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "name": self.name, "counts": self.counts, "interviews": self.interviews,
            "due": self.due, "overdue": self.overdue,
            "last_activity": self.last_activity.isoformat() if self.last_activity else None,
            "errors": self.errors, "warnings": self.warnings, "attention": self.attention,
        }


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file in the folder that could not be read, with the one-line error ``validate`` would print."""

    file: str
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "error": self.error}


@dataclass
class Cohort:
    """Every workbook of a folder: the students, those needing attention first, and the unreadable files."""

    folder: Path
    today: dt.date
    students: list[Student] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)

    @property
    def needing_attention(self) -> int:
        return sum(1 for s in self.students if s.attention)

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "today": self.today.isoformat(),
            "students": [s.to_dict() for s in self.students],
            "unreadable": [u.to_dict() for u in self.unreadable],
        }


def workbooks(folder: Path) -> list[Path]:
    """The workbooks in ``folder`` and its subfolders, by path.

    Skipped: Excel's and LibreOffice's lock files (``~$x.xlsx``,
    ``.~lock.x.xlsx#``), hidden files and folders (sheetkit's own temporary
    files among them), and the backups ``record`` keeps, which are earlier
    copies of a student's workbook, not another student.
    """
    found = []
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if any(p.startswith((".", "~$")) or p == BACKUP_FOLDER for p in parts):
            continue
        if path.suffix.casefold() in WORKBOOK_SUFFIXES and path.is_file():
            found.append(path)
    return sorted(found)


def read_student(path: Path, today: dt.date, folder: Path) -> Student | Unreadable:
    """One workbook as a cohort row, or why it could not be read; validated and planned as the commands do."""
    from sheetkit.agenda import plan
    from sheetkit.insights import last_activity
    from sheetkit.reader import read_workbook
    from sheetkit.validate import check

    shown = path.relative_to(folder).as_posix()
    try:
        campaign = read_workbook(path)
    except SheetkitError as exc:
        return Unreadable(shown, exc.what + (f" — {exc.fix}" if exc.fix else ""))
    except OSError as exc:  # the file vanished or is not ours to read since the folder was listed
        return Unreadable(shown, exc.strerror or type(exc).__name__)
    report = check(campaign, today)
    day = plan(campaign, today, report)
    last = last_activity(campaign, today)
    owner = campaign.profile.get(S.YOUR_NAME)
    return Student(
        file=shown,
        name=owner if isinstance(owner, str) and owner else path.stem,
        counts=day.counts,
        interviews=sum(day.counts[str(s)] for s in S.INTERVIEWED_STATUSES),
        due=len(day.actions) + len(day.held),
        overdue=sum(a.overdue for a in (*day.actions, *day.held)),
        last_activity=last,
        errors=report.errors,
        warnings=report.warnings,
        idle_days=(today - last).days if last else None,
    )


def read_cohort(folder: str | Path, today: dt.date,
                progress: Callable[[int, int], None] | None = None) -> Cohort:
    """Every workbook in ``folder``, read on every CPU; ``progress(done, total)`` after each."""
    root = Path(folder)
    if not root.is_dir():
        raise UsageError("is not a folder", "give the folder that holds the students' workbooks", root)
    paths = workbooks(root)
    if not paths:
        raise UsageError("holds no workbook (.xlsx, .xlsm or .ods)",
                         "give the folder that holds the students' workbooks", root)
    cohort = Cohort(root, today)
    for done, row in enumerate(_read_all(paths, today, root), start=1):
        if isinstance(row, Student):
            cohort.students.append(row)
        else:
            cohort.unreadable.append(row)
        if progress:
            progress(done, len(paths))
    cohort.students.sort(key=Student.urgency)
    cohort.unreadable.sort(key=lambda u: u.file)
    return cohort


def _read_all(paths: list[Path], today: dt.date, root: Path) -> Iterator[Student | Unreadable]:
    """Each workbook's row as it is ready: in worker processes, one per CPU, unless there are only a few."""
    from sheetkit.drafts import usable_cpus

    workers = min(usable_cpus(), len(paths))
    if len(paths) < PARALLEL_FROM or workers < 2:
        for path in paths:
            yield read_student(path, today, root)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    import sheetkit.agenda
    import sheetkit.insights  # noqa: F401  # imported once here, so that no forked worker imports them again

    # Forked where the platform can: the workers start with sheetkit already imported.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = [pool.submit(read_student, path, today, root) for path in paths]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()
