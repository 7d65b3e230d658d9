"""The init workbook in real LibreOffice: drop-downs survive a round trip, the Dashboard computes.

Conversions are slow, so each file is converted once per module: the filled
workbook to .ods and back to .xlsx, and its sheets to CSV (computed values).
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.workbook.workbook import Workbook

from sheetkit import schema, workbook
from sheetkit.schema import Status
from tests import lo

pytestmark = pytest.mark.libreoffice

TARGET_FIELD = "UX Research"
OTHER_FIELD = "Data Science"
GOAL = 4  # not the default, to show the Dashboard reads Profile
D = dt.date(2026, 3, 2)

# (First Name, Field, Status as a person might type it, Request Sent, Interview Date)
ROWS: list[tuple[str, str | None, str, dt.date | None, dt.date | None]] = [
    ("Ana", TARGET_FIELD, Status.INTERVIEWED, D, D + dt.timedelta(days=7)),
    ("Ben", TARGET_FIELD, "thanked", D, D + dt.timedelta(days=8)),  # choices match ignoring case
    ("Cleo", TARGET_FIELD, Status.KEEPING_IN_TOUCH, D, D + dt.timedelta(days=9)),
    ("Dev", TARGET_FIELD, Status.SCHEDULED, D, D + dt.timedelta(days=30)),
    ("Eli", OTHER_FIELD, Status.INTERVIEWED, D, D + dt.timedelta(days=3)),
    ("Fay", OTHER_FIELD, Status.PROSPECT, None, None),
    ("Gus", None, Status.TO_CONTACT, None, None),
    ("Hal", OTHER_FIELD, Status.TO_CONTACT, None, None),
    ("Ida", TARGET_FIELD, Status.REQUESTED, D, None),
    ("Jo", OTHER_FIELD, Status.REQUESTED, D, None),
    ("Kai", None, Status.REQUESTED, D, None),
    ("Lu", TARGET_FIELD, Status.DECLINED, D, None),
]


def status_of(typed: str) -> Status:
    return next(s for s in Status if s.casefold() == typed.casefold())


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for this module's files; skips the module without LibreOffice."""
    lo.require_soffice()
    return tmp_path_factory.mktemp("lo")


@pytest.fixture(scope="module")
def filled(work: Path) -> Path:
    """An init workbook with contacts, a target field, a goal and a second Dashboard field typed in."""
    wb = workbook.build_workbook()
    ws = wb[schema.CONTACTS.name]
    headers = schema.CONTACTS.headers
    for first, field, status, sent, interview in ROWS:
        row: list[Any] = [None] * len(headers)
        row[headers.index(schema.FIRST_NAME.name)] = first
        row[headers.index(schema.FIELD.name)] = field
        row[headers.index(schema.STATUS.name)] = str(status)
        row[headers.index(schema.REQUEST_SENT.name)] = sent
        row[headers.index(schema.INTERVIEW_DATE.name)] = interview
        ws.append(row)
    profile = wb[schema.PROFILE.name]
    for row_cells in profile.iter_rows(min_row=2):
        if row_cells[0].value == schema.TARGET_FIELD.name:
            row_cells[1].value = TARGET_FIELD
        if row_cells[0].value == schema.INTERVIEWS_PER_FIELD_GOAL.name:
            row_cells[1].value = GOAL
    wb[schema.DASHBOARD].cell(row=workbook.DASHBOARD_FIELD_ROWS[1], column=1, value=OTHER_FIELD)
    return workbook.write_workbook(wb, work / "tracker.xlsx")


@pytest.fixture(scope="module")
def ods(filled: Path, work: Path) -> Path:
    """The filled workbook saved by LibreOffice as .ods."""
    return lo.convert(filled, "ods", work / "ods")


@pytest.fixture(scope="module")
def round_tripped(ods: Path, work: Path) -> Path:
    """The .ods saved back to .xlsx by LibreOffice."""
    return lo.convert(ods, "xlsx", work / "back")


@pytest.fixture(scope="module")
def dashboard(filled: Path, work: Path) -> list[list[str]]:
    """The Dashboard's values as LibreOffice computes them, row by row."""
    path = lo.sheet_csv(filled, schema.DASHBOARD, work / "csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def value_at(rows: list[list[str]], ref: str) -> str:
    letters, row = coordinate_from_string(ref)
    line = rows[row - 1] if row <= len(rows) else []
    column = column_index_from_string(letters)
    return line[column - 1] if column <= len(line) else ""


def number_at(rows: list[list[str]], ref: str) -> float:
    return float(value_at(rows, ref))


def resolve(wb: Workbook, formula: str) -> list[object]:
    """The values a list validation offers: through a defined name or a direct range."""
    formula = formula.lstrip("=")
    if formula in wb.defined_names:
        destinations = list(wb.defined_names[formula].destinations)
    else:
        sheet, _, ref = formula.rpartition("!")
        destinations = [(sheet.strip("'"), ref)]
    values: list[object] = []
    for sheet, ref in destinations:
        for row in wb[sheet][ref.replace("$", "")]:
            values.extend(cell.value for cell in row)
    return values


def test_libreoffice_version_exports_every_sheet() -> None:
    """The installed LibreOffice is recent enough to export each sheet to its own CSV (>= 7.2)."""
    lo.require_soffice()
    major, minor = (int(x) for x in lo.version().split()[1].split(".")[:2])
    assert (major, minor) >= (7, 2)


@pytest.mark.parametrize("column", schema.CHOICE_COLUMNS, ids=lambda c: c.name)
def test_drop_downs_survive_the_round_trip(round_tripped: Path, column: schema.Column) -> None:
    """After .xlsx → .ods → .xlsx every choice column still offers exactly its choices."""
    wb = openpyxl.load_workbook(round_tripped)
    sheet = next(s for s in (schema.CONTACTS, schema.QUESTIONS) if column in s.columns)
    ws = wb[sheet.name]
    letter = workbook.column_letter(sheet, column)
    for row in (workbook.FIRST_DATA_ROW, workbook.LAST_DATA_ROW):
        found = [dv for dv in ws.data_validations.dataValidation if f"{letter}{row}" in dv.sqref]
        assert len(found) == 1, f"{letter}{row}"
        dv = found[0]
        assert dv.type == "list"
        assert not dv.showDropDown
        assert tuple(resolve(wb, dv.formula1)) == column.choices


def test_round_trip_keeps_sheets_dates_and_chart(round_tripped: Path, ods: Path) -> None:
    """Sheet order, the hidden Lists, date formats and the Dashboard chart survive LibreOffice."""
    wb = openpyxl.load_workbook(round_tripped)
    assert tuple(wb.sheetnames) == schema.SHEET_ORDER
    assert wb[schema.LISTS].sheet_state == "hidden"
    contacts = wb[schema.CONTACTS.name]
    for column in schema.DATE_COLUMNS:
        letter = workbook.column_letter(schema.CONTACTS, column)
        validation = [dv for dv in contacts.data_validations.dataValidation if f"{letter}2" in dv.sqref]
        assert [dv.type for dv in validation] == ["date"], column.name
    sent = workbook.column_letter(schema.CONTACTS, schema.REQUEST_SENT)
    assert contacts[f"{sent}2"].value == dt.datetime.combine(D, dt.time())
    assert "yy" in contacts[f"{sent}2"].number_format
    with zipfile.ZipFile(ods) as z:
        assert any("chart:chart" in z.read(n).decode() for n in z.namelist() if n.endswith("content.xml"))
    with zipfile.ZipFile(round_tripped) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())


def test_dashboard_counts_per_status(dashboard: list[list[str]]) -> None:
    """LibreOffice computes each status count, and the total, as the rows say."""
    expected = Counter(status_of(typed) for _, _, typed, _, _ in ROWS)
    for status, cell in workbook.DASHBOARD_STATUS_CELLS.items():
        assert value_at(dashboard, f"A{cell[1:]}") == status.value
        assert number_at(dashboard, cell) == expected[status], status
    assert number_at(dashboard, workbook.DASHBOARD_TOTAL_CELL) == len(ROWS)


def test_dashboard_requests_asked_and_answered(dashboard: list[list[str]]) -> None:
    """Requests sent and answered count the schema's asked and answered statuses."""
    statuses = [status_of(typed) for _, _, typed, _, _ in ROWS]
    asked = sum(s in schema.ASKED_STATUSES for s in statuses)
    answered = sum(s in schema.ANSWERED_STATUSES for s in statuses)
    assert number_at(dashboard, workbook.DASHBOARD_ASKED_CELL) == asked
    assert number_at(dashboard, workbook.DASHBOARD_ANSWERED_CELL) == answered
    rate = value_at(dashboard, workbook.DASHBOARD_ANSWER_RATE_CELL).rstrip("%")
    assert float(rate) == pytest.approx(100 * answered / asked)


def test_dashboard_interviews_per_field_against_the_goal(dashboard: list[list[str]]) -> None:
    """Per field, interviews held count against the goal read from Profile; empty rows stay blank."""
    held = Counter(field for _, field, typed, _, _ in ROWS if status_of(typed) in schema.INTERVIEWED_STATUSES)
    assert number_at(dashboard, workbook.DASHBOARD_GOAL_CELL) == GOAL
    first, second, *empty = workbook.DASHBOARD_FIELD_ROWS
    for row, field in ((first, TARGET_FIELD), (second, OTHER_FIELD)):
        assert value_at(dashboard, f"A{row}") == field  # the first prefilled from Target Field
        assert number_at(dashboard, f"B{row}") == held[field]
        assert number_at(dashboard, f"C{row}") == GOAL
        assert number_at(dashboard, f"D{row}") == max(0, GOAL - held[field])
    for row in empty:
        assert [value_at(dashboard, f"{c}{row}") for c in "ABCD"] == ["", "", "", ""]


def test_sheetkit_reads_every_version_alike(filled: Path, ods: Path, round_tripped: Path) -> None:
    """The reader gets the same contacts and settings from the .xlsx, LibreOffice's .ods and its .xlsx."""
    from sheetkit.reader import read_workbook

    def seen(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
        campaign = read_workbook(path)
        return list(campaign.contacts.records()), campaign.profile.values, campaign.sheet_names

    original = seen(filled)
    records, settings, sheets = original
    assert [r[schema.FIRST_NAME.name] for r in records] == [first for first, *_ in ROWS]
    assert records[0][schema.REQUEST_SENT.name] == D
    assert settings[schema.TARGET_FIELD.name] == TARGET_FIELD
    assert settings[schema.INTERVIEWS_PER_FIELD_GOAL.name] == GOAL
    assert sheets == list(schema.SHEET_ORDER)
    assert seen(ods) == original
    assert seen(round_tripped) == original


SAMPLES = Path(__file__).resolve().parent.parent / "sample_workbooks"
CAMPAIGN_DAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def example_dashboard(work: Path) -> list[list[str]]:
    """The bundled example's Dashboard as LibreOffice computes it."""
    path = lo.sheet_csv(SAMPLES / "example.xlsx", schema.DASHBOARD, work / "example-csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_example_dashboard_matches_sheetkit_status(example_dashboard: list[list[str]]) -> None:
    """For the example workbook, LibreOffice's Dashboard counts equal `sheetkit status`'s pipeline."""
    from sheetkit.agenda import plan
    from sheetkit.reader import read_workbook

    pipeline = plan(read_workbook(SAMPLES / "example.xlsx"), CAMPAIGN_DAY)
    for status, cell in workbook.DASHBOARD_STATUS_CELLS.items():
        assert number_at(example_dashboard, cell) == pipeline.counts[status.value], status
    assert number_at(example_dashboard, workbook.DASHBOARD_TOTAL_CELL) == sum(pipeline.counts.values())
    assert number_at(example_dashboard, workbook.DASHBOARD_ASKED_CELL) == pipeline.asked
    assert number_at(example_dashboard, workbook.DASHBOARD_ANSWERED_CELL) == pipeline.answered
    interviews = {f.field: f.interviews for f in pipeline.fields}
    shown = [value_at(example_dashboard, f"A{row}") for row in workbook.DASHBOARD_FIELD_ROWS]
    assert [f for f in shown if f]  # the example names at least its target field
    for row, field in zip(workbook.DASHBOARD_FIELD_ROWS, shown, strict=True):
        if field:
            assert number_at(example_dashboard, f"B{row}") == interviews.get(field, 0), field


@pytest.mark.parametrize("fmt", ["ods", "xlsx"])
def test_messy_workbook_saved_by_libreoffice_reports_the_same_issues(work: Path, fmt: str) -> None:
    """messy.xlsx saved again by LibreOffice (.ods, or .xlsx via .ods) gives exactly the same issues."""
    from sheetkit.validate import validate

    ods_copy = lo.convert(SAMPLES / "messy.xlsx", "ods", work / "messy-ods")
    path = ods_copy if fmt == "ods" else lo.convert(ods_copy, "xlsx", work / "messy-back")
    original = validate(SAMPLES / "messy.xlsx", CAMPAIGN_DAY).to_dict()
    assert validate(path, CAMPAIGN_DAY).to_dict() == original
