"""Create the progress-chart workbook: the writer behind ``sheetkit init``.

Everything on the page comes from :mod:`sheetkit.schema` (sheets, headers,
widths, help texts, choice lists, Profile settings) and :mod:`sheetkit.guide`
(the Guide's words); this module only decides how it looks.

Data rows stay empty: no cell below a header is created, so a script can open
the new file with openpyxl and ``ws.append`` from row 2. Date formats and the
text format of phone numbers are column styles, and drop-downs are data
validations over rows 2..``LAST_DATA_ROW``: neither creates cells, which keeps
the file small.

Dashboard formulas use only COUNTIF, COUNTIFS, SUM, IF, IFERROR, INDEX, MATCH
and MAX over whole-column references, which Excel and LibreOffice Calc compute
alike. The cell of every count is a public constant below, for tests.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sheetkit import guide, schema
from sheetkit.errors import UsageError, WorkbookExistsError
from sheetkit.files import atomic_path
from sheetkit.schema import Status

HEADER_ROW = 1
FIRST_DATA_ROW = 2
# Drop-downs and date checks cover this many rows: far more than a campaign needs.
LAST_DATA_ROW = 1000
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
SUFFIX = ".xlsx"

# Excel's limits on a data validation's texts.
_TITLE_MAX = 32
_PROMPT_MAX = 255
_ERROR_MAX = 225

# --- look -----------------------------------------------------------------

_INK = "1F3864"  # dark blue: titles and header fill
_ACCENT = "2E75B6"  # bars of the chart
_PALE = "DDEBF7"  # section fills on the Dashboard
_MUTED = "595959"  # help texts
_FONT_NAME = "Calibri"  # the workbook's default: a styled cell would otherwise fall back to the app's


def _font(size: float = 11, **style: object) -> Font:
    return Font(name=_FONT_NAME, size=size, **style)


_HEADER_FONT = _font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", start_color=_INK, end_color=_INK)
_PALE_FILL = PatternFill("solid", start_color=_PALE, end_color=_PALE)
_HEADER_ALIGN = Alignment(vertical="center", wrap_text=True)
_WRAP_TOP = Alignment(vertical="top", wrap_text=True)
_TOP = Alignment(vertical="top")
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_RULE = Border(bottom=Side(style="medium", color=_INK))
_TITLE_FONT = _font(18, bold=True, color=_INK)
_HEADING_FONT = _font(13, bold=True, color=_INK)
_LABEL_FONT = _font(bold=True)
_HELP_FONT = _font(italic=True, color=_MUTED)
_CODE_FONT = Font(name="Courier New", bold=True)
_HEADER_HEIGHT = 32
_LINE_HEIGHT = 15  # points per line of 11-point text
_GUIDE_WIDTHS = (22, 100)
# Text columns at least this wide wrap their text: notes, takeaways, addresses.
_WRAP_FROM_WIDTH = 30


# --- names other modules and tests rely on ---------------------------------


def column_letter(sheet: schema.Sheet, column: schema.Column) -> str:
    """The letter of ``column`` on ``sheet`` in a workbook made by ``init``."""
    return str(get_column_letter(sheet.columns.index(column) + 1))


def list_name(column: schema.Column) -> str:
    """The defined name of ``column``'s drop-down values, e.g. ``list_Status``."""
    return "list_" + re.sub(r"[^0-9A-Za-z]+", "_", column.name.replace("'", "")).strip("_")


def list_range(column: schema.Column) -> str:
    """Where ``column``'s values live on the Lists sheet, e.g. ``Lists!$A$2:$A$10``."""
    letter = get_column_letter(schema.CHOICE_COLUMNS.index(column) + 1)
    last = FIRST_DATA_ROW + len(column.choices) - 1
    return f"{quote_sheetname(schema.LISTS)}!${letter}${FIRST_DATA_ROW}:${letter}${last}"


# Dashboard layout: pipeline table, requests, then interviews per field.
DASHBOARD_STATUS_HEADER_ROW = 5
DASHBOARD_STATUS_CELLS: dict[Status, str] = {
    status: f"B{DASHBOARD_STATUS_HEADER_ROW + 1 + i}" for i, status in enumerate(Status)
}
_STATUS_LAST_ROW = DASHBOARD_STATUS_HEADER_ROW + len(Status)
DASHBOARD_TOTAL_CELL = f"B{_STATUS_LAST_ROW + 1}"
_REQUESTS_ROW = _STATUS_LAST_ROW + 3
DASHBOARD_ASKED_CELL = f"B{_REQUESTS_ROW + 1}"
DASHBOARD_ANSWERED_CELL = f"B{_REQUESTS_ROW + 2}"
DASHBOARD_ANSWER_RATE_CELL = f"B{_REQUESTS_ROW + 3}"
_FIELDS_ROW = _REQUESTS_ROW + 5
DASHBOARD_GOAL_CELL = f"B{_FIELDS_ROW + 1}"
DASHBOARD_FIELD_HEADER_ROW = _FIELDS_ROW + 2
# Column A: a field name (the first is prefilled from Profile's Target Field);
# B: interviews held in it; C: the goal; D: how many are still to go.
DASHBOARD_FIELD_ROWS = range(DASHBOARD_FIELD_HEADER_ROW + 1, DASHBOARD_FIELD_HEADER_ROW + 11)
DASHBOARD_CHART_ANCHOR = "F4"
_CHART_WIDTH_CM = 16
_CHART_HEIGHT_CM = 9
_DEFAULT_COLUMN_CM = 1.7  # a column of the default width (8.43 characters)
_DEFAULT_ROW_CM = 0.53  # a row of the default height (15 points)


# --- public API -------------------------------------------------------------


def create_workbook(path: str | Path, *, force: bool = False) -> Path:
    """Write a new, empty progress-chart workbook at ``path`` and return where it went.

    A name without a suffix gets ``.xlsx``. An existing file is replaced only
    with ``force``; the write is atomic, so a failure leaves the old file.
    """
    return write_workbook(build_workbook(), path, force=force)


def write_workbook(wb: Workbook, path: str | Path, *, force: bool = False) -> Path:
    """Save ``wb`` (e.g. from :func:`build_workbook`, rows added) as ``create_workbook`` does."""
    target = _check_target(Path(path).expanduser(), force=force)
    try:
        with atomic_path(target) as tmp:
            wb.save(tmp)
    except OSError as exc:
        raise UsageError(
            f"cannot write the workbook: {exc.strerror or exc}",
            "choose a folder you can write to",
            target,
        ) from exc
    return target


def build_workbook() -> Workbook:
    """The whole workbook in memory, sheets in ``schema.SHEET_ORDER``."""
    wb = Workbook()
    wb.remove(wb.active)
    builders = {
        schema.GUIDE: _guide_sheet,
        schema.PROFILE.name: _profile_sheet,
        schema.CONTACTS.name: _contacts_sheet,
        schema.QUESTIONS.name: _questions_sheet,
        schema.DASHBOARD: _dashboard_sheet,
        schema.LISTS: _lists_sheet,
    }
    for name in schema.SHEET_ORDER:
        builders[name](wb.create_sheet(name))
    wb.active = 0
    wb.properties.creator = "sheetkit"
    wb.properties.title = "Informational interviews"
    # Excel recomputes the Dashboard when the file is opened; LibreOffice does for uncached formulas.
    wb.calculation.fullCalcOnLoad = True
    return wb


# --- target checks ------------------------------------------------------------


def _check_target(path: Path, *, force: bool) -> Path:
    if path.is_dir():
        raise UsageError("is a folder", f"give a file name, e.g. {path / ('tracker' + SUFFIX)}", path)
    if path.suffix == "":
        path = path.with_suffix(SUFFIX)
    if path.suffix.lower() != SUFFIX:
        raise UsageError(f"init writes {SUFFIX} workbooks", f"name the file with {SUFFIX}, e.g. tracker{SUFFIX}", path)
    if path.is_symlink():
        path = path.resolve()
    parent = path.parent
    if not parent.is_dir():
        if parent.exists():
            raise UsageError(f"{parent} is a file, not a folder", "choose a path inside a folder", path)
        raise UsageError("the folder does not exist", f"create {parent} first, or choose another place", path)
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise UsageError("exists and is not a regular file", "choose another name", path)
        if not force:
            raise WorkbookExistsError("already exists", "pass --force to replace it, or choose another name", path)
    return path


# --- sheets ---------------------------------------------------------------------


def _fit_width(ws: Worksheet, *, landscape: bool = False) -> None:
    """Print one page wide, as many pages tall as needed."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if landscape:
        ws.page_setup.orientation = "landscape"


def _guide_sheet(ws: Worksheet) -> None:
    _fit_width(ws)
    ws.sheet_properties.tabColor = _INK
    ws.sheet_view.showGridLines = False
    label_width, text_width = _GUIDE_WIDTHS
    ws.column_dimensions["A"].width = label_width
    ws.column_dimensions["B"].width = text_width
    for row, block in enumerate(guide.blocks(), start=1):
        label = ws.cell(row=row, column=1, value=block.label or None)
        text = ws.cell(row=row, column=2, value=block.text)
        label.alignment = _TOP
        text.alignment = _WRAP_TOP
        if block.kind == "title":
            ws.cell(row=row, column=1, value=block.text).font = _TITLE_FONT
            text.value = None
            ws.row_dimensions[row].height = 30
        elif block.kind == "heading":
            ws.cell(row=row, column=1, value=block.text).font = _HEADING_FONT
            text.value = None
            label.border = _RULE
            text.border = _RULE
            ws.row_dimensions[row].height = 28
            label.alignment = Alignment(vertical="bottom")
        else:
            if block.kind == "command":
                text.font = _CODE_FONT
            if block.label:
                label.font = _LABEL_FONT
            ws.row_dimensions[row].height = _wrapped_height((block.text, text_width), (block.label, label_width))


def _profile_sheet(ws: Worksheet) -> None:
    _header(ws, schema.PROFILE)
    ws.freeze_panes = "A2"
    _fit_width(ws, landscape=True)
    value_letter = column_letter(schema.PROFILE, schema.PROFILE.column(schema.PROFILE_VALUE))
    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="A whole number",
        error="Type a whole number of days (or people), e.g. 7.",
    )
    for row, setting in enumerate(schema.PROFILE_SETTINGS, start=FIRST_DATA_ROW):
        name = ws.cell(row=row, column=1, value=setting.name)
        value = ws.cell(row=row, column=2, value=setting.default)
        help_ = ws.cell(row=row, column=3, value=setting.help)
        name.font = _LABEL_FONT
        name.alignment = _TOP
        value.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        help_.font = _HELP_FONT
        help_.alignment = _WRAP_TOP
        ws.row_dimensions[row].height = _wrapped_height(
            (setting.help, schema.PROFILE.column(schema.PROFILE_HELP).width)
        )
        if setting.kind == "int":
            value.number_format = "0"
            whole.add(f"{value_letter}{row}")
        else:
            # Text stays text: a phone number keeps its leading 0 or +.
            value.number_format = TEXT_FORMAT
    ws.add_data_validation(whole)


def _contacts_sheet(ws: Worksheet) -> None:
    _data_sheet(ws, schema.CONTACTS, freeze="B2")  # keep First Name in view while scrolling right
    ws.sheet_properties.tabColor = _ACCENT


def _questions_sheet(ws: Worksheet) -> None:
    _data_sheet(ws, schema.QUESTIONS, freeze="A2")


def _lists_sheet(ws: Worksheet) -> None:
    ws.sheet_state = "hidden"
    wb = ws.parent
    for index, column in enumerate(schema.CHOICE_COLUMNS, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(column.width, *(len(v) + 2 for v in column.choices))
        head = ws.cell(row=HEADER_ROW, column=index, value=column.name)
        head.font = _HEADER_FONT
        head.fill = _HEADER_FILL
        for row, value in enumerate(column.choices, start=FIRST_DATA_ROW):
            ws.cell(row=row, column=index, value=value)
        wb.defined_names[list_name(column)] = DefinedName(list_name(column), attr_text=list_range(column))


def _dashboard_sheet(ws: Worksheet) -> None:
    ws.sheet_properties.tabColor = "C55A11"
    _fit_width(ws, landscape=True)
    ws.sheet_view.showGridLines = False
    for letter, width in zip("ABCD", (28, 12, 10, 12), strict=True):
        ws.column_dimensions[letter].width = width
    ws["A1"] = "Dashboard"
    ws["A1"].font = _TITLE_FONT
    ws["A2"] = (
        f"Live counts from the {schema.CONTACTS.name} sheet: they update as you type. "
        "Type the fields you explore in the Field column below."
    )
    ws["A2"].font = _HELP_FONT

    contacts = quote_sheetname(schema.CONTACTS.name)
    status_letter = column_letter(schema.CONTACTS, schema.STATUS)
    field_letter = column_letter(schema.CONTACTS, schema.FIELD)
    status_range = f"{contacts}!${status_letter}:${status_letter}"
    field_range = f"{contacts}!${field_letter}:${field_letter}"

    # Pipeline: one row per status, in the order of the method.
    _section(ws, DASHBOARD_STATUS_HEADER_ROW - 1, "Pipeline")
    _table_header(ws, DASHBOARD_STATUS_HEADER_ROW, (schema.STATUS.name, schema.CONTACTS.name))
    for status, cell in DASHBOARD_STATUS_CELLS.items():
        row = ws[cell].row
        ws.cell(row=row, column=1, value=status.value).border = _BOX
        ws[cell] = f"=COUNTIF({status_range},{_text(status)})"
        ws[cell].border = _BOX
    first, last = DASHBOARD_STATUS_CELLS[Status.PROSPECT], DASHBOARD_STATUS_CELLS[Status.NO_RESPONSE]
    _total(ws, DASHBOARD_TOTAL_CELL, "Total", f"=SUM({first}:{last})")

    # Requests: asked versus answered, from the pipeline counts.
    _section(ws, _REQUESTS_ROW, "Requests")
    _total(ws, DASHBOARD_ASKED_CELL, "Requests sent", _sum_of(schema.ASKED_STATUSES))
    _total(ws, DASHBOARD_ANSWERED_CELL, "Answered (yes or no)", _sum_of(schema.ANSWERED_STATUSES))
    _total(
        ws,
        DASHBOARD_ANSWER_RATE_CELL,
        "Answer rate",
        f"=IF({DASHBOARD_ASKED_CELL}=0,0,{DASHBOARD_ANSWERED_CELL}/{DASHBOARD_ASKED_CELL})",
    )
    ws[DASHBOARD_ANSWER_RATE_CELL].number_format = "0%"

    # Interviews per field against the goal from Profile.
    _section(ws, _FIELDS_ROW, "Interviews per field")
    goal = schema.INTERVIEWS_PER_FIELD_GOAL
    _total(ws, DASHBOARD_GOAL_CELL, goal.name, _profile_lookup(goal, fallback=goal.default))
    _table_header(ws, DASHBOARD_FIELD_HEADER_ROW, (schema.FIELD.name, "Interviews", "Goal", "Still to go"))
    target = _profile_lookup(schema.TARGET_FIELD, fallback="")
    goal_ref = re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", DASHBOARD_GOAL_CELL)
    for row in DASHBOARD_FIELD_ROWS:
        name = f"$A{row}"
        held = "+".join(
            f"COUNTIFS({field_range},{name},{status_range},{_text(s)})" for s in schema.INTERVIEWED_STATUSES
        )
        if row == DASHBOARD_FIELD_ROWS.start:
            ws.cell(row=row, column=1, value=target)
        ws.cell(row=row, column=2, value=f'=IF({name}="","",{held})')
        ws.cell(row=row, column=3, value=f'=IF({name}="","",{goal_ref})')
        ws.cell(row=row, column=4, value=f'=IF({name}="","",MAX(0,C{row}-B{row}))')
        for column in range(1, 5):
            ws.cell(row=row, column=column).border = _BOX

    ws.add_chart(_pipeline_chart(ws), DASHBOARD_CHART_ANCHOR)
    # Name the printed range: without it LibreOffice cuts the chart, or drops the page when fitting.
    anchor = ws[DASHBOARD_CHART_ANCHOR]
    last_column = anchor.column + math.ceil(_CHART_WIDTH_CM / _DEFAULT_COLUMN_CM)
    last_row = max(DASHBOARD_FIELD_ROWS[-1], anchor.row + math.ceil(_CHART_HEIGHT_CM / _DEFAULT_ROW_CM))
    ws.print_area = f"A1:{get_column_letter(last_column)}{last_row}"


# --- pieces ---------------------------------------------------------------------


def _header(ws: Worksheet, sheet: schema.Sheet) -> None:
    """Row 1: the schema's headers, styled, sized and each with its help as a comment."""
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index, value=column.name)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        cell.comment = _comment(column.help)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.row_dimensions[HEADER_ROW].height = _HEADER_HEIGHT


def _data_sheet(ws: Worksheet, sheet: schema.Sheet, *, freeze: str) -> None:
    """A filterable, frozen table whose columns carry formats and drop-downs."""
    _header(ws, sheet)
    ws.freeze_panes = freeze
    last_letter = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{LAST_DATA_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    for column in sheet.columns:
        letter = column_letter(sheet, column)
        dimension = ws.column_dimensions[letter]
        rows = f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}"
        if column.kind == "date":
            dimension.number_format = DATE_FORMAT
            dimension.alignment = _TOP
            ws.add_data_validation(_date_validation(column, rows))
        elif column.kind == "choice":
            dimension.alignment = _TOP
            ws.add_data_validation(_choice_validation(column, rows))
        elif column is schema.PHONE:
            dimension.number_format = TEXT_FORMAT  # keep leading 0 and + of phone numbers
            dimension.alignment = _TOP
        elif column.width >= _WRAP_FROM_WIDTH:
            dimension.alignment = _WRAP_TOP
        else:
            dimension.alignment = _TOP


def _choice_validation(column: schema.Column, rows: str) -> DataValidation:
    dv = DataValidation(
        type="list",
        formula1=list_name(column),
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="warning",
        errorTitle=_clip(column.name, _TITLE_MAX),
        error=_clip("Not in the list. Pick one of: " + ", ".join(column.choices) + ".", _ERROR_MAX),
        promptTitle=_clip(column.name, _TITLE_MAX),
        prompt=_clip(column.help, _PROMPT_MAX),
    )
    dv.add(rows)
    return dv


def _date_validation(column: schema.Column, rows: str) -> DataValidation:
    dv = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="warning",
        errorTitle=_clip(column.name, _TITLE_MAX),
        error="Not a date. Type it as yyyy-mm-dd, e.g. 2026-03-04.",
        promptTitle=_clip(column.name, _TITLE_MAX),
        prompt=_clip(column.help, _PROMPT_MAX),
    )
    dv.add(rows)
    return dv


def _wrapped_height(*cells: tuple[str, float]) -> float:
    """Points a row needs to show each ``(text, column width)`` wrapped in full.

    Neither Excel nor LibreOffice refits rows of a file written by openpyxl,
    so the height is estimated: about one 11-point character per width unit.
    """
    lines = 1
    for text, width in cells:
        per_line = max(1, int(width * 0.95))
        lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n")))
    return lines * _LINE_HEIGHT + 3


def _comment(text: str) -> Comment:
    comment = Comment(text, "sheetkit")
    comment.width = 260
    comment.height = 24 + 14 * math.ceil(len(text) / 45)
    return comment


def _section(ws: Worksheet, row: int, title: str) -> None:
    for column in range(1, 5):
        cell = ws.cell(row=row, column=column)
        cell.border = _RULE
    ws.cell(row=row, column=1, value=title).font = _HEADING_FONT
    ws.row_dimensions[row].height = 24


def _table_header(ws: Worksheet, row: int, titles: tuple[str, ...]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = ws.cell(row=row, column=column, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _BOX


def _total(ws: Worksheet, cell: str, label: str, formula: str) -> None:
    row = ws[cell].row
    head = ws.cell(row=row, column=1, value=label)
    head.font = _LABEL_FONT
    head.fill = _PALE_FILL
    head.border = _BOX
    ws[cell] = formula
    ws[cell].font = _LABEL_FONT
    ws[cell].fill = _PALE_FILL
    ws[cell].border = _BOX


def _sum_of(statuses: tuple[Status, ...]) -> str:
    return "=SUM(" + ",".join(DASHBOARD_STATUS_CELLS[s] for s in statuses) + ")"


def _profile_lookup(setting: schema.Setting, *, fallback: int | str | None) -> str:
    """A formula reading ``setting``'s Value on Profile by name, as the reader does."""
    profile = quote_sheetname(schema.PROFILE.name)
    names = column_letter(schema.PROFILE, schema.PROFILE.column(schema.PROFILE_SETTING))
    values = column_letter(schema.PROFILE, schema.PROFILE.column(schema.PROFILE_VALUE))
    found = f"INDEX({profile}!${values}:${values},MATCH({_text(setting.name)},{profile}!${names}:${names},0))"
    default = _text(fallback) if isinstance(fallback, str) or fallback is None else str(fallback)
    if isinstance(fallback, str) or fallback is None:
        return f'=IFERROR({found}&"",{default})'
    return f'=IFERROR(IF({found}="",{default},{found}),{default})'


def _pipeline_chart(ws: Worksheet) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = "Contacts per status"
    chart.y_axis.title = "Contacts"
    chart.x_axis.title = schema.STATUS.name
    chart.legend = None
    chart.width = _CHART_WIDTH_CM
    chart.height = _CHART_HEIGHT_CM
    # openpyxl 3.1 leaves axes to be deleted unless told otherwise.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.scaling.min = 0
    header = DASHBOARD_STATUS_HEADER_ROW
    data = Reference(ws, min_col=2, min_row=header, max_row=_STATUS_LAST_ROW)
    categories = Reference(ws, min_col=1, min_row=header + 1, max_row=_STATUS_LAST_ROW)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    series = chart.series[0]
    series.graphicalProperties.solidFill = _ACCENT
    series.graphicalProperties.line.solidFill = _ACCENT
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
    return chart


def _text(value: object) -> str:
    """A string literal for a formula."""
    return '"' + str(value).replace('"', '""') + '"'


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
