"""The workbook editor: only the cells meant change, the rest keeps its bytes, and nothing is ever lost.

The bundled example is edited as openpyxl wrote it, as LibreOffice saves it
(.ods) and as LibreOffice saves that back to .xlsx; LibreOffice then opens
each result (CSV of every sheet, and a conversion to .xlsx) to show what a
person would see. Conversions are slow, so they are batched per module.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from sheetkit import schema, workbook
from sheetkit.agenda import plan
from sheetkit.editor import BACKUP_FOLDER, CellChange, EditResult, edit_workbook, fingerprint
from sheetkit.errors import EditError
from sheetkit.reader import read_workbook
from tests import lo

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "sample_workbooks" / "example.xlsx"
DAY = dt.date(2026, 11, 25)
FORMATS = ("xlsx", "lo-xlsx", "ods")
CONTACTS = schema.CONTACTS.name


def letter(column: schema.Column) -> str:
    return workbook.column_letter(schema.CONTACTS, column)


STATUS, FIRST, PHONE = letter(schema.STATUS), letter(schema.FIRST_NAME), letter(schema.PHONE)
SENT, THANKED = letter(schema.REQUEST_SENT), letter(schema.THANK_YOU_SENT)
NOTES, TAKEAWAYS, FIELD = letter(schema.NOTES), letter(schema.KEY_TAKEAWAYS), letter(schema.FIELD)
# Text a spreadsheet would take for a formula, were it typed: it must stay text.
FORMULA_LIKE = {NOTES: '=HYPERLINK("x")', TAKEAWAYS: "@SUM(A1)", PHONE: "+44 20 7946 0000", FIELD: "-UX Research"}
THANKED_ON = dt.date(2026, 11, 24)
SENT_ON = dt.date(2026, 11, 23)


def example_changes() -> list[CellChange]:
    """A status moved, a date put in an empty date cell, and a person appended below the last row."""
    campaign = read_workbook(EXAMPLE)
    rows = campaign.contacts.rows
    data = campaign.contacts.data
    last = rows[-1]
    no_thanks = next(r for r, v, s in zip(rows, data[schema.THANK_YOU_SENT.name], data[schema.STATUS.name],
                                          strict=True) if v is None and s == "Interviewed")
    new = last + 1
    return [
        CellChange(CONTACTS, last, STATUS, "Prospect", old=data[schema.STATUS.name][-1]),
        CellChange(CONTACTS, no_thanks, THANKED, THANKED_ON),
        CellChange(CONTACTS, no_thanks, STATUS, "Thanked"),
        CellChange(CONTACTS, new, FIRST, "Zed"),
        CellChange(CONTACTS, new, STATUS, "To Contact"),
        CellChange(CONTACTS, new, SENT, SENT_ON),
        *(CellChange(CONTACTS, new, column, text) for column, text in FORMULA_LIKE.items()),
    ]


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def sources(work: Path) -> dict[str, Path]:
    """The example as openpyxl wrote it, as LibreOffice saves it (.ods), and that saved back to .xlsx."""
    ods = lo.convert(EXAMPLE, "ods", work / "lo-ods")
    back = lo.convert(ods, "xlsx", work / "lo-xlsx")
    return {"xlsx": EXAMPLE, "lo-xlsx": back, "ods": ods}


@pytest.fixture(scope="module")
def edited(sources: dict[str, Path], work: Path) -> dict[str, tuple[Path, EditResult]]:
    """Each source copied and edited with :func:`example_changes`; the copy kept as it was, for comparing."""
    out = {}
    for fmt, source in sources.items():
        folder = work / f"edit-{fmt}"
        folder.mkdir()
        target = folder / f"edited-{fmt}{source.suffix}"
        shutil.copyfile(source, target)
        original = folder / f"original{source.suffix}"
        shutil.copyfile(source, original)
        out[fmt] = (original, edit_workbook(target, example_changes(), expected=fingerprint(target)))
    return out


@pytest.fixture(scope="module")
def opened(edited: dict[str, tuple[Path, EditResult]], work: Path) -> Path:
    """Every edited workbook opened by LibreOffice: each sheet as CSV, and the whole saved as .xlsx."""
    return lo.opened([result.path for _, result in edited.values()], work / "opened")


def csv_rows(folder: Path, fmt: str, sheet: str) -> list[list[str]]:
    with (folder / f"edited-{fmt}-{sheet}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


# --- only the cells meant ------------------------------------------------------------


# The parts each edit must rewrite: the Contacts sheet, the Dashboard's formula results, and for
# LibreOffice's .xlsx the workbook part, which gets fullCalcOnLoad (openpyxl's has it already).
MUST_CHANGE = {
    "xlsx": {"xl/worksheets/sheet3.xml", "xl/worksheets/sheet5.xml"},
    "lo-xlsx": {"xl/worksheets/sheet3.xml", "xl/worksheets/sheet5.xml", "xl/workbook.xml"},
    "ods": {"content.xml"},
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_other_parts_keep_their_bytes(edited: dict[str, tuple[Path, EditResult]], fmt: str) -> None:
    """Every zip member but the Contacts sheet and the parts that must change is byte for byte the same."""
    original, result = edited[fmt]
    before, after = members(original), members(result.path)
    assert list(after) == list(before)  # same members, same order
    changed = {name for name in before if before[name] != after[name]}
    assert changed == MUST_CHANGE[fmt]
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(result.path) as b:
        for old, new in zip(a.infolist(), b.infolist(), strict=True):
            assert (new.compress_type, new.date_time, new.external_attr) == (
                old.compress_type, old.date_time, old.external_attr), new.filename


@pytest.mark.parametrize("fmt", FORMATS)
def test_sheetkit_reads_exactly_the_changes(edited: dict[str, tuple[Path, EditResult]], fmt: str) -> None:
    """Read back, every contact is as before but the cells changed, which hold the new values."""
    original, result = edited[fmt]
    before, after = read_workbook(original).contacts, read_workbook(result.path).contacts
    assert after.rows == [*before.rows, before.rows[-1] + 1]
    wanted = {(c.row, c.column): c.new for c in result.changes}
    by_letter = {workbook.column_letter(schema.CONTACTS, c): c.name for c in schema.CONTACTS.columns}
    for i, row in enumerate(after.rows):
        for col, name in by_letter.items():
            old = before.data[name][i] if i < len(before.rows) else None
            assert after.data[name][i] == wanted.get((row, col), old), f"{col}{row}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_dashboard_shows_the_new_counts_in_libreoffice(
    edited: dict[str, tuple[Path, EditResult]], opened: Path, fmt: str
) -> None:
    """LibreOffice shows the Dashboard counts of the edited contacts, not the stale ones the file carried."""
    original, result = edited[fmt]
    dashboard = csv_rows(opened, fmt, schema.DASHBOARD)
    now = plan(read_workbook(result.path), DAY).counts
    before = plan(read_workbook(original), DAY).counts
    assert now != before
    for status, cell in workbook.DASHBOARD_STATUS_CELLS.items():
        row = int(cell[1:])
        assert dashboard[row - 1][:2] == [status.value, str(now[status.value])], status
    total_row = int(workbook.DASHBOARD_TOTAL_CELL[1:])
    assert dashboard[total_row - 1][1] == str(sum(now.values()))
    asked_row = int(workbook.DASHBOARD_ASKED_CELL[1:])
    assert dashboard[asked_row - 1][1] == str(sum(now[s.value] for s in schema.ASKED_STATUSES))


@pytest.mark.parametrize("fmt", FORMATS)
def test_libreoffice_sees_dates_as_dates_and_text_as_text(
    edited: dict[str, tuple[Path, EditResult]], opened: Path, fmt: str
) -> None:
    """Saved again by LibreOffice, the new dates are date cells and the formula-like texts are text."""
    _, result = edited[fmt]
    by_cell = {c.cell: c.new for c in result.changes}
    ws = openpyxl.load_workbook(opened / f"edited-{fmt}.xlsx")[CONTACTS]
    for ref, value in by_cell.items():
        cell = ws[ref]
        if isinstance(value, dt.date):
            assert cell.is_date and cell.value == dt.datetime.combine(value, dt.time()), ref
        else:
            assert cell.data_type == "s" and cell.value == value, ref


@pytest.mark.parametrize("fmt", FORMATS)
def test_chart_and_drop_downs_survive(edited: dict[str, tuple[Path, EditResult]], opened: Path, fmt: str) -> None:
    """The Dashboard chart is still there, and the edited and appended rows still offer their drop-downs."""
    _, result = edited[fmt]
    saved = opened / f"edited-{fmt}.xlsx"
    with zipfile.ZipFile(saved) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())
    if fmt == "ods":
        with zipfile.ZipFile(result.path) as z:
            assert b"<chart:chart" in z.read("Object 1/content.xml")
    ws = openpyxl.load_workbook(saved)[CONTACTS]
    for change in result.changes:
        if change.column == STATUS:
            found = [dv for dv in ws.data_validations.dataValidation if change.cell in dv.sqref]
            assert [dv.type for dv in found] == ["list"], change.cell


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("lock", ["~${}", ".~lock.{}#"])
def test_refused_while_open_in_excel_or_libreoffice(tmp_path: Path, lock: str) -> None:
    """With Excel's or LibreOffice's lock file beside it, the workbook is refused and left as it was."""
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    (tmp_path / lock.format(target.name)).write_bytes(b"someone")
    with pytest.raises(EditError, match="open in Excel or LibreOffice"):
        edit_workbook(target, example_changes())
    assert target.read_bytes() == EXAMPLE.read_bytes()
    assert not (tmp_path / BACKUP_FOLDER).exists()


def test_refused_when_changed_on_disk_since_read(tmp_path: Path) -> None:
    """A workbook saved again after it was read is refused, and keeps what was saved."""
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    seen = fingerprint(target)
    wb = openpyxl.load_workbook(target)
    wb[CONTACTS]["A2"] = "Someone else"
    wb.save(target)
    saved = target.read_bytes()
    with pytest.raises(EditError, match="changed on disk"):
        edit_workbook(target, example_changes(), expected=seen)
    assert target.read_bytes() == saved


def table_book(path: Path, *, totals: bool) -> Path:
    """Contacts as an Excel Table over A1:C3, with a drop-down and a conditional format over its rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = CONTACTS
    ws.append(["First Name", "Status", "Request Sent"])
    ws.append(["Ana", "Requested", dt.date(2026, 3, 2)])
    ws.append(["Ben", "Prospect", None])
    ref = "A1:C3"
    if totals:
        ws.append(["Total", None, None])
        ref = "A1:C4"
    table = Table(displayName="People", ref=ref, tableStyleInfo=TableStyleInfo(name="TableStyleMedium9"))
    if totals:
        table.totalsRowCount = 1
    ws.add_table(table)
    dv = DataValidation(type="list", formula1='"Prospect,Requested"', allow_blank=True)
    dv.add("B2:B3")
    ws.add_data_validation(dv)
    from openpyxl.formatting.rule import FormulaRule

    ws.conditional_formatting.add("A2:C3", FormulaRule(formula=['$B2="Requested"'], font=Font(bold=True)))
    wb.save(path)
    return path


def test_refused_when_a_table_with_a_totals_row_would_grow(tmp_path: Path) -> None:
    """New rows cannot go below a Table's totals row: refused, the workbook untouched."""
    target = table_book(tmp_path / "tracker.xlsx", totals=True)
    before = target.read_bytes()
    with pytest.raises(EditError, match="totals row"):
        edit_workbook(target, [CellChange(CONTACTS, 5, "A", "Cleo")])
    assert target.read_bytes() == before


def test_appended_rows_grow_tables_drop_downs_and_conditional_formats(tmp_path: Path) -> None:
    """A row appended below a Table joins it, its drop-down and its conditional format."""
    target = table_book(tmp_path / "tracker.xlsx", totals=False)
    edit_workbook(target, [CellChange(CONTACTS, 4, "A", "Cleo"), CellChange(CONTACTS, 5, "B", "Requested")])
    ws = openpyxl.load_workbook(target)[CONTACTS]
    assert ws.tables["People"].ref == "A1:C5"
    assert ws.tables["People"].autoFilter.ref == "A1:C5"
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["B2:B5"]
    assert [str(cf.sqref) for cf in ws.conditional_formatting] == ["A2:C5"]
    assert (ws["A4"].value, ws["B5"].value) == ("Cleo", "Requested")


# --- what is kept ---------------------------------------------------------------------------


def test_permissions_kept_and_backup_holds_the_old_bytes(tmp_path: Path) -> None:
    """The new workbook keeps the old one's permissions; the backup is the old bytes, beside it in a folder."""
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    os.chmod(target, 0o640)
    result = edit_workbook(target, example_changes())
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert result.backup is not None and result.backup.parent == tmp_path / BACKUP_FOLDER
    assert result.backup.suffix == ".xlsx" and result.backup.name.startswith("tracker.")
    assert result.backup.read_bytes() == EXAMPLE.read_bytes()
    assert target.read_bytes() != EXAMPLE.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []


def test_date_in_a_1904_workbook_reads_back_as_the_same_date(tmp_path: Path) -> None:
    """In a workbook counting days from 1904 (old Mac Excel), a written date is the same date read back."""
    target = tmp_path / "mac.xlsx"
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = CONTACTS
    ws.append(["First Name", "Status", "Request Sent"])
    ws.append(["Ana", "Requested", None])
    wb.save(target)
    edit_workbook(target, [CellChange(CONTACTS, 2, "C", SENT_ON)])
    assert read_workbook(target).contacts.data[schema.REQUEST_SENT.name] == [SENT_ON]
    assert openpyxl.load_workbook(target)[CONTACTS]["C2"].value == dt.datetime.combine(SENT_ON, dt.time())


def test_a_date_in_a_plain_cell_gets_a_date_style_once(tmp_path: Path) -> None:
    """A date written where no date format is gets a yyyy-mm-dd style like the cell's own; a second run adds none."""
    target = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = CONTACTS
    ws.append(["First Name", "Status", "Request Sent"])
    ws.append(["Ana", "Requested", None])
    ws["C2"].font = Font(bold=True)
    wb.save(target)
    edit_workbook(target, [CellChange(CONTACTS, 2, "C", SENT_ON)])
    styles_once = members(target)["xl/styles.xml"]
    cell = openpyxl.load_workbook(target)[CONTACTS]["C2"]
    assert cell.is_date and cell.number_format == "yyyy-mm-dd" and cell.font.bold
    edit_workbook(target, [CellChange(CONTACTS, 2, "C", THANKED_ON)])
    assert members(target)["xl/styles.xml"] == styles_once


# --- killed at any moment ------------------------------------------------------------------------

KILL_SCRIPT = textwrap.dedent(
    """
    import datetime as dt, sys
    from sheetkit.editor import CellChange, edit_workbook
    n = int(sys.argv[2])
    changes = [CellChange("Contacts", row, "B", "Requested") for row in range(2, n + 2, 4)]
    changes += [CellChange("Contacts", row, "C", dt.date(2026, 11, 25)) for row in range(2, n + 2, 4)]
    changes += [CellChange("Contacts", n + 2, "A", "Appended")]
    print("ready", flush=True)
    edit_workbook(sys.argv[1], changes)
    """
)
KILLS = 10


def cohort(path: Path, n: int) -> Path:
    """A workbook of ``n`` contacts written as Excel writes text (shared strings), and a Dashboard counting them."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(CONTACTS)
    ws.append(["First Name", "Status", "Request Sent", "Email"])
    for i in range(n):
        ws.append([f"Person {i}", "To Contact", None, f"p{i}@example.com"])
    dash = wb.create_sheet(schema.DASHBOARD)
    dash.append(["Requested", '=COUNTIF(Contacts!B:B,"Requested")'])
    wb.save(path)
    return path


def identity(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)
    return st.st_ino, st.st_size, st.st_mtime_ns


def kill_at_random_moments(target: Path, run: Callable[[], subprocess.Popen[str]],
                           reads_back: Callable[[bool], None]) -> None:
    """Run ``run()`` (it prints a line once its imports are done) whole, then SIGKILL it at random moments.

    Every time the file must be the old one or the one the whole run wrote,
    and ``reads_back(new)`` checks it reads cleanly.
    """
    old = target.read_bytes()
    started = time.monotonic()
    whole = run()
    assert whole.stdout is not None
    whole.stdout.readline()
    ready = time.monotonic()
    assert whole.wait(timeout=120) == 0
    duration = time.monotonic() - ready
    new = target.read_bytes()
    assert new != old and time.monotonic() - started < 60
    rng = random.Random(20261125)
    outcomes = []
    for k in range(KILLS):
        target.write_bytes(old)
        restored = identity(target)
        proc = run()
        assert proc.stdout is not None
        proc.stdout.readline()  # imports done: from here on the edit itself runs
        # At a random moment (some after the edit is done), or the moment the file on disk starts to
        # change, whichever comes first: a writer that is not atomic is caught in the act.
        deadline = time.monotonic() + duration * 1.4 * (k + rng.random()) / KILLS
        while time.monotonic() < deadline and proc.poll() is None and identity(target) == restored:
            time.sleep(0.0005)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        now = target.read_bytes()
        assert now in (old, new)
        outcomes.append(now == new)
        reads_back(now == new)
    assert not all(outcomes), "every kill came too late to test anything"


def test_killed_at_any_moment_leaves_the_old_or_the_new_workbook(tmp_path: Path) -> None:
    """SIGKILL at random moments of an edit of 20,000 contacts: the file is always the old or the new one, readable."""
    n = 20_000
    target = cohort(tmp_path / "cohort.xlsx", n)
    run: Callable[[], subprocess.Popen[str]] = lambda: subprocess.Popen(  # noqa: E731
        [sys.executable, "-c", KILL_SCRIPT, str(target), str(n)], cwd=ROOT, stdout=subprocess.PIPE, text=True)

    def reads_back(new: bool) -> None:
        assert len(read_workbook(target).contacts.rows) == n + new

    kill_at_random_moments(target, run, reads_back)


# --- variants of the same cell -----------------------------------------------------------------

TRICKY_TEXTS = ["  two  spaces  ", "line one\nline two", "\ttab first", "\rcarriage return first", "_x000D_ literal",
                "-1", "0042", "=1+1"]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_text_keeps_its_spaces_lines_and_escapes(tmp_path: Path, work: Path, suffix: str) -> None:
    """Spaces, line breaks, OOXML's own escapes and number-like text come back as written, still text."""
    target = tmp_path / "texts.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = CONTACTS
    ws.append(["First Name", "Status", "Notes"])
    wb.save(target)
    if suffix == ".ods":
        target = lo.convert(target, "ods", tmp_path)
    changes = [CellChange(CONTACTS, 2 + i, "C", text) for i, text in enumerate(TRICKY_TEXTS)]
    edit_workbook(target, changes)
    book = python_calamine.CalamineWorkbook.from_path(str(target))
    notes = [row[2] for row in book.get_sheet_by_name(CONTACTS).to_python()[1:]]
    expected = TRICKY_TEXTS
    if suffix == ".ods":  # a line break is a paragraph; calamine skips text:tab
        expected = [e.replace("\r", "\n").replace("\t", "") for e in expected]
    assert notes == expected


def test_control_characters_are_refused_in_an_ods(tmp_path: Path, work: Path) -> None:
    """Text an .ods cannot hold is refused, the workbook untouched."""
    target = lo.convert(EXAMPLE, "ods", tmp_path)
    before = target.read_bytes()
    with pytest.raises(EditError, match="control characters"):
        edit_workbook(target, [CellChange(CONTACTS, 3, NOTES, "bell\x07")])
    assert target.read_bytes() == before


# --- what Excel writes and openpyxl cannot: hand-patched parts ------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EXCEL_ROOT = (
    f'<worksheet xmlns="{MAIN_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
    'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
    'xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" '
    'xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3" '
    'xr:uid="{00000000-0001-0000-0000-000000000000}">'
).encode()
# Excel keeps a drop-down whose list lies on another sheet in an x14 extension.
X14_DROP_DOWN = (
    b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    b'<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    b'<x14:dataValidation type="list" allowBlank="1" showErrorMessage="1"><x14:formula1>'
    b"<xm:f>Lists!$A$1:$A$2</xm:f></x14:formula1><xm:sqref>B2:B3</xm:sqref></x14:dataValidation>"
    b"</x14:dataValidations></ext></extLst>"
)
CALC_CHAIN_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"


def excel_book(path: Path) -> Path:
    """Contacts as Excel saves it: mc:Ignorable namespaces, an x14 drop-down, a shared formula, a calcChain."""
    import re

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = CONTACTS
    ws.append(["First Name", "Status", "Request Sent", "Label", "Shout"])
    ws.append(["Ana", "Requested", None, "=A2&B2", '=B2&"!"'])
    ws.append(["Ben", "Prospect", None, "=A3&B3", None])
    wb.create_sheet("Lists").append(["Prospect", "Requested"])
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {i: z.read(i.filename) for i in z.infolist()}
    out = {}
    for info, data in parts.items():
        name = info.filename
        if name == "xl/worksheets/sheet1.xml":
            data = re.sub(rb"<worksheet[^>]*>", EXCEL_ROOT, data, count=1)
            data = data.replace(b"</worksheet>", X14_DROP_DOWN + b"</worksheet>")
            data = re.sub(rb'<c r="D2"><f>[^<]*</f><v></v></c>',
                          b'<c r="D2" t="str"><f t="shared" ref="D2:D3" si="0">A2&amp;B2</f><v>AnaRequested</v></c>',
                          data)
            data = re.sub(rb'<c r="D3"><f>[^<]*</f><v></v></c>',
                          b'<c r="D3" t="str"><f t="shared" si="0"/><v>BenProspect</v></c>', data)
            data = re.sub(rb'<row r="(\d)">', rb'<row r="\1" spans="1:5" x14ac:dyDescent="0.25">', data)
        elif name == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", f'<Relationship Id="rId99" Type="{CALC_CHAIN_TYPE}" '
                                f'Target="calcChain.xml"/></Relationships>'.encode())
        elif name == "[Content_Types].xml":
            data = data.replace(b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')
        out[name] = (info, data)
    chain = f'<calcChain xmlns="{MAIN_NS}"><c r="D2" i="1"/><c r="D3" i="1"/><c r="E2" i="1"/></calcChain>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in out.values():
            z.writestr(info, data)
        z.writestr("xl/calcChain.xml", chain)
    return path


@pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")
def test_excel_namespaces_and_x14_drop_downs_are_kept_and_grown(tmp_path: Path) -> None:
    """The sheet keeps Excel's namespace declarations byte for byte; its x14 drop-down grows over a new row."""
    target = excel_book(tmp_path / "excel.xlsx")
    edit_workbook(target, [CellChange(CONTACTS, 4, "A", "Cleo"), CellChange(CONTACTS, 4, "B", "Prospect")])
    sheet = members(target)["xl/worksheets/sheet1.xml"]
    assert EXCEL_ROOT in sheet
    assert b"<xm:sqref>B2:B4</xm:sqref>" in sheet
    assert b'<row r="3" spans="1:5" x14ac:dyDescent="0.25">' in sheet  # the rows around keep theirs
    ws = openpyxl.load_workbook(target)[CONTACTS]
    assert (ws["A4"].value, ws["B4"].value) == ("Cleo", "Prospect")


@pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")
def test_overwriting_a_formula_drops_the_calculation_chain(tmp_path: Path) -> None:
    """A formula cell overwritten: calcChain.xml goes, with its relationship and content type."""
    target = excel_book(tmp_path / "excel.xlsx")
    edit_workbook(target, [CellChange(CONTACTS, 2, "E", "plain text")])
    parts = members(target)
    assert "xl/calcChain.xml" not in parts
    assert b"calcChain" not in parts["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in parts["[Content_Types].xml"]
    assert openpyxl.load_workbook(target)[CONTACTS]["E2"].value == "plain text"


@pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")
def test_writing_over_a_shared_formula_is_refused_but_not_over_its_followers(tmp_path: Path) -> None:
    """The first cell of a shared formula carries it for the others: refused; a following cell may change."""
    target = excel_book(tmp_path / "excel.xlsx")
    before = target.read_bytes()
    with pytest.raises(EditError, match="share"):
        edit_workbook(target, [CellChange(CONTACTS, 2, "D", "x")])
    assert target.read_bytes() == before
    edit_workbook(target, [CellChange(CONTACTS, 3, "D", "typed over")])
    assert openpyxl.load_workbook(target)[CONTACTS]["D3"].value == "typed over"
    assert "xl/calcChain.xml" not in members(target)


def test_libreoffice_ods_rows_appended_below_its_formatted_ones_take_the_last_rows_drop_downs(
    tmp_path: Path, work: Path
) -> None:
    """In an .ods whose drop-downs stop at the last row, an appended row gets them; filter and formats grow."""
    import re

    target = lo.convert(table_book(tmp_path / "people.xlsx", totals=False), "ods", tmp_path / "ods")
    edit_workbook(target, [CellChange(CONTACTS, 6, "A", "Cleo"), CellChange(CONTACTS, 6, "B", "Requested")])
    content = members(target)["content.xml"].decode()
    table = content[content.index('table:name="Contacts"') :]
    table = table[: table.index("</table:table>")]
    by_number = {}
    number = 1
    for row in re.findall(r"<table:table-row[^>]*>(?:(?!</table:table-row>).)*</table:table-row>", table):
        by_number[number] = row
        repeat = re.match(r'<table:table-row[^>]*table:number-rows-repeated="(\d+)"', row)
        number += int(repeat[1]) if repeat else 1
    assert number - 1 == 1_048_576  # the sheet keeps its height
    assert "Cleo" in by_number[6]
    names = re.findall(r'table:content-validation-name="([^"]+)"', by_number[3])
    assert names and re.findall(r'table:content-validation-name="([^"]+)"', by_number[6]) == names
    assert re.search(r'table:target-range-address="Contacts\.A1:Contacts\.C6"', content)
    assert re.search(r'calcext:target-range-address="Contacts\.A2:Contacts\.C6"', content)


# --- failures on the way leave the workbook as it was -------------------------------------------


def test_a_result_that_does_not_read_back_as_intended_is_refused(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Were a date written wrong, reading the new file back catches it: refused, workbook and folder as they were."""
    from sheetkit.editor import xlsx_sheet

    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    monkeypatch.setattr(xlsx_sheet, "serial", lambda value, date1904: "1")
    with pytest.raises(EditError, match="would not read back as intended"):
        edit_workbook(target, example_changes())
    assert target.read_bytes() == EXAMPLE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tracker.xlsx"]


def test_a_workbook_held_open_by_windows_is_refused_with_a_clear_error(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to replace a file Excel holds open (PermissionError): one clear error, nothing changed."""
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)

    def held(src: object, dst: object) -> None:
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(os, "replace", held)
    with pytest.raises(EditError, match="is it open in Excel"):
        edit_workbook(target, example_changes())
    assert target.read_bytes() == EXAMPLE.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []


def test_a_workbook_behind_a_symbolic_link_is_edited_where_it_lies(tmp_path: Path) -> None:
    """Edited through a link, the workbook it points to changes and the link stays a link."""
    real = tmp_path / "real" / "tracker.xlsx"
    real.parent.mkdir()
    shutil.copyfile(EXAMPLE, real)
    link = tmp_path / "tracker.xlsx"
    link.symlink_to(real)
    result = edit_workbook(link, example_changes())
    assert link.is_symlink() and result.path == real
    assert real.read_bytes() != EXAMPLE.read_bytes()


def test_no_changes_write_nothing(tmp_path: Path) -> None:
    """With nothing to change, nothing is written and no backup is made."""
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    result = edit_workbook(target, [])
    assert result.backup is None and sorted(p.name for p in tmp_path.iterdir()) == ["tracker.xlsx"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (CellChange(CONTACTS, 0, "A", "x"), "not a row number"),
        (CellChange(CONTACTS, 2, "A1", "x"), "not a column"),
        (CellChange(CONTACTS, 2, "A", True), "not a cell value"),
        (CellChange(CONTACTS, 2, "A", float("nan")), "finite"),
        (CellChange("Nobody", 2, "A", "x"), "no sheet"),
        (CellChange(CONTACTS, 2, "Q", dt.date(1899, 12, 1)), "first date"),
    ],
)
def test_changes_that_cannot_be_cells_are_refused(tmp_path: Path, change: CellChange, message: str) -> None:
    """A change that cannot be a cell (row 0, bad letters, a bool, NaN, no such sheet, before 1900) is refused."""
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    with pytest.raises(EditError, match=message):
        edit_workbook(target, [change])
    assert target.read_bytes() == EXAMPLE.read_bytes()


def test_a_workbook_in_a_folder_named_in_other_bytes_than_utf8_is_edited(tmp_path: Path) -> None:
    """A folder whose name is Latin-1 bytes (café, from an old disk): the edit is read back and made, not refused."""
    folder = tmp_path / os.fsdecode(b"caf\xe9")
    folder.mkdir()
    path = folder / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, path)
    result = edit_workbook(path, [CellChange(CONTACTS, 2, NOTES, "Met at the fair")])
    assert result.backup is not None and result.backup.read_bytes() == EXAMPLE.read_bytes()
    assert read_workbook(path).contacts.data[schema.NOTES.name][0] == "Met at the fair"
