"""The workbook ``sheetkit init`` writes: structure, look, drop-downs, Dashboard, safe writing."""

from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sheetkit import guide, schema, workbook
from sheetkit.errors import UsageError, WorkbookExistsError
from sheetkit.kinds import all_kinds
from sheetkit.schema import Status

DATA_SHEETS = (schema.CONTACTS, schema.QUESTIONS)
# Functions Excel and LibreOffice Calc compute alike, on both sides of a round trip.
PORTABLE_FUNCTIONS = {"COUNTIF", "COUNTIFS", "SUM", "IF", "IFERROR", "INDEX", "MATCH", "MAX"}


@pytest.fixture(scope="module")
def book_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One init workbook on disk, shared by the read-only tests."""
    return workbook.create_workbook(tmp_path_factory.mktemp("init") / "tracker.xlsx")


@pytest.fixture(scope="module")
def wb(book_path: Path) -> Workbook:
    """The init workbook as openpyxl reads it back."""
    return openpyxl.load_workbook(book_path)


def validations(ws: Worksheet) -> list[DataValidation]:
    return list(ws.data_validations.dataValidation)


def validation_for(ws: Worksheet, cell: str) -> DataValidation:
    """The one data validation that covers ``cell``."""
    found = [dv for dv in validations(ws) if cell in dv.sqref]
    assert len(found) == 1, f"{ws.title}!{cell}: {len(found)} validations"
    return found[0]


def named_values(wb: Workbook, name: str) -> list[object]:
    """The cell values a workbook-level defined name points to."""
    values: list[object] = []
    for sheet, ref in wb.defined_names[name].destinations:
        for row in wb[sheet][ref.replace("$", "")]:
            values.extend(cell.value for cell in row)
    return values


def test_sheets_in_order_with_lists_hidden(wb: Workbook) -> None:
    """The sheets follow SHEET_ORDER and only Lists is hidden."""
    assert tuple(wb.sheetnames) == schema.SHEET_ORDER
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    assert states.pop(schema.LISTS) == "hidden"
    assert set(states.values()) == {"visible"}
    assert wb.active.title == schema.GUIDE


@pytest.mark.parametrize("sheet", [schema.PROFILE, *DATA_SHEETS], ids=lambda s: s.name)
def test_headers_equal_schema(wb: Workbook, sheet: schema.Sheet) -> None:
    """Row 1 holds exactly the schema's headers, in order."""
    row = next(wb[sheet.name].iter_rows(min_row=1, max_row=1, values_only=True))
    assert tuple(row) == sheet.headers


@pytest.mark.parametrize("sheet", [schema.PROFILE, *DATA_SHEETS], ids=lambda s: s.name)
def test_header_row_is_styled_with_widths_and_comments(wb: Workbook, sheet: schema.Sheet) -> None:
    """Every header is bold on a fill, its column as wide as the schema says, its help as a comment."""
    ws = wb[sheet.name]
    for column in sheet.columns:
        letter = workbook.column_letter(sheet, column)
        cell = ws[f"{letter}1"]
        assert cell.font.b, column.name
        assert cell.fill.fill_type == "solid", column.name
        assert ws.column_dimensions[letter].width == column.width, column.name
        assert cell.comment is not None and cell.comment.text == column.help, column.name


@pytest.mark.parametrize(("sheet", "pane"), [(schema.CONTACTS, "B2"), (schema.QUESTIONS, "A2"), (schema.PROFILE, "A2")])
def test_header_row_frozen(wb: Workbook, sheet: schema.Sheet, pane: str) -> None:
    """The header row stays in view; on Contacts the first name does too."""
    assert wb[sheet.name].freeze_panes == pane


@pytest.mark.parametrize("sheet", DATA_SHEETS, ids=lambda s: s.name)
def test_autofilter_over_the_header(wb: Workbook, sheet: schema.Sheet) -> None:
    """The autofilter starts at the header row and spans every column and the fill range."""
    last = workbook.column_letter(sheet, sheet.columns[-1])
    assert wb[sheet.name].auto_filter.ref == f"A1:{last}{workbook.LAST_DATA_ROW}"


@pytest.mark.parametrize("sheet", DATA_SHEETS, ids=lambda s: s.name)
def test_data_rows_stay_empty(book_path: Path, sheet: schema.Sheet) -> None:
    """No cell exists below the header, so ws.append writes row 2."""
    book = openpyxl.load_workbook(book_path)
    ws = book[sheet.name]
    assert ws.max_row == 1
    ws.append(["x"])
    assert ws["A2"].value == "x"


def test_date_columns_carry_the_date_format(wb: Workbook) -> None:
    """Date columns, and only they, are formatted yyyy-mm-dd and checked as dates over the fill range."""
    ws = wb[schema.CONTACTS.name]
    for column in schema.CONTACTS.columns:
        letter = workbook.column_letter(schema.CONTACTS, column)
        fmt = ws.column_dimensions[letter].number_format
        if column.kind == "date":
            assert fmt == workbook.DATE_FORMAT, column.name
            for row in (workbook.FIRST_DATA_ROW, workbook.LAST_DATA_ROW):
                assert validation_for(ws, f"{letter}{row}").type == "date", column.name
        else:
            assert "yy" not in fmt, column.name


def test_phone_column_keeps_text(wb: Workbook) -> None:
    """Phone numbers are formatted as text so a leading 0 or + survives typing."""
    letter = workbook.column_letter(schema.CONTACTS, schema.PHONE)
    assert wb[schema.CONTACTS.name].column_dimensions[letter].number_format == "@"


@pytest.mark.parametrize("column", schema.CHOICE_COLUMNS, ids=lambda c: c.name)
def test_choice_column_drop_down_from_lists(wb: Workbook, column: schema.Column) -> None:
    """Each choice column's drop-down refers to a defined name on Lists holding exactly its choices."""
    sheet = next(s for s in DATA_SHEETS if column in s.columns)
    ws = wb[sheet.name]
    letter = workbook.column_letter(sheet, column)
    dv = validation_for(ws, f"{letter}{workbook.FIRST_DATA_ROW}")
    assert dv is validation_for(ws, f"{letter}{workbook.LAST_DATA_ROW}")
    assert dv.type == "list"
    assert dv.formula1 == workbook.list_name(column)
    destinations = list(wb.defined_names[dv.formula1].destinations)
    assert [sheet for sheet, _ in destinations] == [schema.LISTS]
    assert tuple(named_values(wb, dv.formula1)) == column.choices
    assert dv.errorStyle == "warning"  # people can still type; validate reports the value
    assert dv.showErrorMessage and dv.error
    assert dv.showInputMessage and dv.prompt == column.help


def test_lists_sheet_one_column_per_choice_column(wb: Workbook) -> None:
    """Lists has a column per choice column: its name on top, its values below."""
    columns = list(wb[schema.LISTS].iter_cols(values_only=True))
    assert len(columns) == len(schema.CHOICE_COLUMNS)
    for values, column in zip(columns, schema.CHOICE_COLUMNS, strict=True):
        assert values[0] == column.name
        assert tuple(v for v in values[1:] if v is not None) == column.choices


def test_no_inline_list_and_arrow_shown(wb: Workbook) -> None:
    """No validation holds an inline list over 255 characters, and none hides its drop-down arrow."""
    for ws in wb.worksheets:
        for dv in validations(ws):
            formula = dv.formula1 or ""
            if formula.startswith('"'):
                assert len(formula) - 2 <= 255, (ws.title, dv.sqref)
            # In the file format showDropDown=1 HIDES the arrow.
            assert not dv.showDropDown, (ws.title, dv.sqref)
            for text, limit in ((dv.prompt, 255), (dv.error, 225), (dv.promptTitle, 32), (dv.errorTitle, 32)):
                assert text is None or len(text) <= limit, (ws.title, dv.sqref, text)


def test_profile_settings_with_defaults(wb: Workbook) -> None:
    """Profile lists every setting with its default (ints as numbers) and its help."""
    rows = list(wb[schema.PROFILE.name].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(schema.PROFILE_SETTINGS)
    for (name, value, help_), setting in zip(rows, schema.PROFILE_SETTINGS, strict=True):
        assert name == setting.name
        assert value == setting.default
        assert type(value) is type(setting.default)
        assert help_ == setting.help


def test_guide_explains_method_flow_sheets_and_commands(wb: Workbook) -> None:
    """The Guide shows the status flow, every sheet, every status and the commands of the loop, record included."""
    ws = wb[schema.GUIDE]
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    assert guide.STATUS_FLOW in text
    for name in (*schema.SHEET_ORDER, *Status, *(k.name for k in all_kinds())):
        assert name in text
    import typer.main

    from sheetkit.cli import app

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert len(commands) >= 8
    for command in commands:
        if command != "init":
            assert f"sheetkit {command} tracker.xlsx" in text, command
    for option in ("--to-mailbox", "--from-mailbox", "--annotate"):
        assert option in text
    assert "--out drafts/" in text
    assert ws.column_dimensions["B"].width >= 80
    headings = [ws.cell(row=i + 1, column=1) for i, b in enumerate(guide.blocks()) if b.kind == "heading"]
    assert headings and all(cell.font.b for cell in headings)
    texts = [ws.cell(row=i + 1, column=2) for i, b in enumerate(guide.blocks()) if b.kind == "text"]
    assert all(cell.alignment.wrap_text for cell in texts)


def test_guide_text_covers_every_status_and_sheet() -> None:
    """The Guide's data has a meaning for every status and a purpose for every sheet."""
    assert set(guide.STATUS_MEANINGS) == set(Status)
    assert set(guide.SHEET_PURPOSES) == set(schema.SHEET_ORDER)
    assert guide.STATUS_FLOW.startswith(" → ".join(guide.MAIN_FLOW[:2]))


def test_dashboard_counts_each_status_with_countif(wb: Workbook) -> None:
    """Each status has a label and a COUNTIF over the Contacts Status column; a total sums them."""
    ws = wb[schema.DASHBOARD]
    letter = workbook.column_letter(schema.CONTACTS, schema.STATUS)
    for status, cell in workbook.DASHBOARD_STATUS_CELLS.items():
        row = ws[cell].row
        assert ws.cell(row=row, column=1).value == status.value
        assert ws[cell].value == f"=COUNTIF('{schema.CONTACTS.name}'!${letter}:${letter},\"{status}\")"
    assert str(ws[workbook.DASHBOARD_TOTAL_CELL].value).startswith("=SUM(")


def test_dashboard_requests_sum_the_schema_statuses(wb: Workbook) -> None:
    """Requests sent and answered add up the count cells of ASKED_STATUSES and ANSWERED_STATUSES."""
    ws = wb[schema.DASHBOARD]
    for cell, statuses in (
        (workbook.DASHBOARD_ASKED_CELL, schema.ASKED_STATUSES),
        (workbook.DASHBOARD_ANSWERED_CELL, schema.ANSWERED_STATUSES),
    ):
        refs = re.findall(r"B\d+", str(ws[cell].value))
        assert sorted(refs) == sorted(workbook.DASHBOARD_STATUS_CELLS[s] for s in statuses)


def test_dashboard_fields_against_profile_goal(wb: Workbook) -> None:
    """Per-field rows count interviewed statuses with COUNTIFS; the goal comes from Profile by name."""
    ws = wb[schema.DASHBOARD]
    goal = str(ws[workbook.DASHBOARD_GOAL_CELL].value)
    assert schema.INTERVIEWS_PER_FIELD_GOAL.name in goal and "MATCH(" in goal
    field = workbook.column_letter(schema.CONTACTS, schema.FIELD)
    for row in workbook.DASHBOARD_FIELD_ROWS:
        formula = str(ws.cell(row=row, column=2).value)
        assert formula.count("COUNTIFS(") == len(schema.INTERVIEWED_STATUSES)
        assert f"${field}:${field}" in formula
        for status in schema.INTERVIEWED_STATUSES:
            assert f'"{status}"' in formula
    first = str(ws.cell(row=workbook.DASHBOARD_FIELD_ROWS.start, column=1).value)
    assert schema.TARGET_FIELD.name in first


def test_dashboard_formulas_use_portable_functions(wb: Workbook) -> None:
    """Every formula on the Dashboard uses only functions LibreOffice computes like Excel."""
    ws = wb[schema.DASHBOARD]
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] == "="]
    assert len(formulas) > len(Status) + len(workbook.DASHBOARD_FIELD_ROWS)
    used = {name for f in formulas for name in re.findall(r"([A-Z][A-Z0-9.]*)\(", f)}
    assert used <= PORTABLE_FUNCTIONS


def test_dashboard_has_a_bar_chart_of_the_pipeline(book_path: Path) -> None:
    """A native bar chart with a title plots the status counts of the Dashboard."""
    with zipfile.ZipFile(book_path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<c:barChart>" in xml or "<barChart>" in xml
    assert "Contacts per status" in xml
    first = workbook.DASHBOARD_STATUS_CELLS[Status.PROSPECT]
    last = workbook.DASHBOARD_STATUS_CELLS[Status.NO_RESPONSE]
    assert f"'{schema.DASHBOARD}'!${first[0]}${first[1:]}:${last[0]}${last[1:]}" in xml


def test_no_booleans_anywhere(book_path: Path, wb: Workbook) -> None:
    """No cell holds a boolean: Yes/No are text."""
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, bool) for v in row), ws.title
    with zipfile.ZipFile(book_path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert 't="b"' not in z.read(name).decode(), name


def test_file_is_small(book_path: Path) -> None:
    """Formats and drop-downs cover the fill range without bloating the file."""
    assert book_path.stat().st_size < 60_000


def test_sheetkit_reads_the_new_workbook(book_path: Path) -> None:
    """The reader finds no contacts, no questions and the default settings in a new workbook."""
    from sheetkit.reader import read_workbook

    campaign = read_workbook(book_path)
    assert len(campaign.contacts) == 0
    assert len(campaign.questions) == 0
    assert campaign.profile.values == {s.name: s.default for s in schema.PROFILE_SETTINGS}
    assert campaign.sheet_names == list(schema.SHEET_ORDER)


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    """An existing file is left byte for byte unchanged and the error says how to proceed."""
    target = tmp_path / "tracker.xlsx"
    target.write_bytes(b"precious")
    with pytest.raises(WorkbookExistsError) as err:
        workbook.create_workbook(target)
    assert target.read_bytes() == b"precious"
    assert "--force" in err.value.fix
    assert err.value.path == str(target)
    assert os.listdir(tmp_path) == ["tracker.xlsx"]


def test_overwrites_with_force(tmp_path: Path) -> None:
    """With force an existing file is replaced by a fresh workbook, keeping its permissions."""
    target = tmp_path / "tracker.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    assert workbook.create_workbook(target, force=True) == target
    assert openpyxl.load_workbook(target).sheetnames == list(schema.SHEET_ORDER)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["tracker.xlsx"]


def test_new_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    """A new workbook is readable as any new file is, not private like a temporary file."""
    umask = os.umask(0o022)
    try:
        target = workbook.create_workbook(tmp_path / "t.xlsx")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_name_without_suffix_gets_xlsx(tmp_path: Path) -> None:
    """`init tracker` writes tracker.xlsx and says so."""
    assert workbook.create_workbook(tmp_path / "tracker") == tmp_path / "tracker.xlsx"
    assert (tmp_path / "tracker.xlsx").is_file()


@pytest.mark.parametrize("name", ["tracker.xls", "tracker.ods", "tracker.csv"])
def test_other_suffixes_are_refused(tmp_path: Path, name: str) -> None:
    """A name promising another format is a usage error, and nothing is written."""
    with pytest.raises(UsageError, match=r"\.xlsx"):
        workbook.create_workbook(tmp_path / name)
    assert os.listdir(tmp_path) == []


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    """A path in a folder that does not exist is refused, naming the folder."""
    with pytest.raises(UsageError) as err:
        workbook.create_workbook(tmp_path / "nope" / "tracker.xlsx")
    assert "nope" in err.value.line()


def test_folder_as_path_is_a_usage_error(tmp_path: Path) -> None:
    """A path that is a folder is refused, even with force, and the folder is left alone."""
    folder = tmp_path / "tracker.xlsx"
    folder.mkdir()
    with pytest.raises(UsageError):
        workbook.create_workbook(folder, force=True)
    assert folder.is_dir()


def test_failed_save_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash while saving leaves the previous file as it was and no temporary file behind."""
    target = tmp_path / "tracker.xlsx"
    target.write_bytes(b"old")

    def boom(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"half")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Workbook, "save", boom)
    with pytest.raises(RuntimeError):
        workbook.create_workbook(target, force=True)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["tracker.xlsx"]


def test_unwritable_folder_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write the system refuses gives a one-line error naming the cause, not a traceback."""

    def denied(self: Workbook, filename: str) -> None:
        raise PermissionError(13, "Permission denied", filename)

    monkeypatch.setattr(Workbook, "save", denied)
    with pytest.raises(UsageError, match="cannot write the workbook: Permission denied"):
        workbook.create_workbook(tmp_path / "t.xlsx")
    assert os.listdir(tmp_path) == []


def test_list_names_are_valid_defined_names() -> None:
    """Every list name is a legal, distinct Excel name that cannot clash with a cell reference."""
    names = [workbook.list_name(c) for c in schema.CHOICE_COLUMNS]
    assert len(set(names)) == len(names)
    for name in names:
        assert re.fullmatch(r"list_[A-Za-z0-9_]+", name), name


def test_formulas_only_on_the_dashboard(wb: Workbook) -> None:
    """Text sheetkit writes never turns into a formula: the only formulas are the Dashboard's own."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert ws.title == schema.DASHBOARD, (ws.title, cell.coordinate, cell.value)
                elif isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
