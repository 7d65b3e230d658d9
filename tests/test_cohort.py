"""A coach's folder: every workbook read (in parallel), one row each, attention first, broken files listed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheetkit.agenda import plan
from sheetkit.cohort import IDLE_DAYS, read_cohort, read_student, workbooks
from sheetkit.errors import UsageError
from sheetkit.reader import read_workbook
from sheetkit.validate import check
from tests.cohorts import BROKEN, EXAMPLE, build_cohort
from tests.conftest import TODAY

ORDER = {"error": 0, "overdue": 1, "idle": 2, "on track": 3}


@pytest.fixture(scope="module")
def cohort_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("cohort")
    return folder, build_cohort(folder)


def test_every_workbook_is_listed_and_the_rest_skipped(cohort_folder: tuple[Path, dict[str, str]]) -> None:
    """30 workbooks found, subfolders included; lock files, backups and temporary files are not students."""
    folder, _ = cohort_folder
    found = [p.relative_to(folder).as_posix() for p in workbooks(folder)]
    assert len(found) == 30 and sorted(found) == found
    assert "group-a/student-01.xlsx" in found and set(BROKEN) <= set(found)
    assert not any("~" in f or "backups" in f for f in found)


def test_cohort_lists_28_students_and_2_errors_most_urgent_first(
        cohort_folder: tuple[Path, dict[str, str]]) -> None:
    """Errors first, then overdue actions (most first), then two idle weeks, then on track; broken files apart."""
    folder, situation = cohort_folder
    seen: list[tuple[int, int]] = []
    cohort = read_cohort(folder, TODAY, progress=lambda done, total: seen.append((done, total)))
    assert len(cohort.students) == 28
    assert [u.file for u in cohort.unreadable] == sorted(BROKEN)
    assert all(u.error for u in cohort.unreadable)
    kinds = [situation[s.name] for s in cohort.students]
    assert kinds == sorted(kinds, key=ORDER.__getitem__)
    overdue = [s.overdue for s in cohort.students if situation[s.name] == "overdue"]
    assert overdue == [7, 6, 5, 4, 3, 2, 1]
    assert [s.attention == [] for s in cohort.students] == [k == "on track" for k in kinds]
    idle = next(s for s in cohort.students if situation[s.name] == "idle")
    assert idle.idle_days == 55 and idle.idle_days >= IDLE_DAYS
    assert seen[-1] == (30, 30) and len(seen) == 30


def test_a_students_row_is_what_validate_and_status_say(tmp_path: Path) -> None:
    """The example's row: status counts, errors and overdue actions as `status` and `validate` count them."""
    row = read_student(EXAMPLE, TODAY, EXAMPLE.parent)
    campaign = read_workbook(EXAMPLE)
    day = plan(campaign, TODAY)
    assert row.name == "Claire Donnelly" and row.file == "example.xlsx"  # type: ignore[union-attr]
    assert row.counts == day.counts  # type: ignore[union-attr]
    assert row.overdue == sum(a.overdue for a in day.actions) == 5  # type: ignore[union-attr]
    assert row.errors == check(campaign, TODAY).errors == 0  # type: ignore[union-attr]
    assert row.interviews == 6 and row.last_activity == dt.date(2026, 11, 25)  # type: ignore[union-attr]


def test_a_folder_without_workbooks_is_refused(tmp_path: Path) -> None:
    """An empty folder or a missing one is a usage error, not an empty page."""
    with pytest.raises(UsageError, match="holds no workbook"):
        read_cohort(tmp_path, TODAY)
    with pytest.raises(UsageError, match="is not a folder"):
        read_cohort(tmp_path / "missing", TODAY)
