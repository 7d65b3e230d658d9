"""`sheetkit import`: a realistic LinkedIn export into the example, .xlsx and .ods, checked by LibreOffice."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sheetkit import import_contacts, schema, workbook
from sheetkit.importing import linkedin_key
from sheetkit.reader import read_workbook
from tests import lo
from tests.conftest import MakeBook, invoke
from tests.linkedin import ALREADY, FORMULA_LIKE, Export, write_export
from tests.test_editor import MUST_CHANGE, members

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "sample_workbooks" / "example.xlsx"
CONTACTS = schema.CONTACTS.name
FORMATS = ("xlsx", "ods")



@dataclass
class Imported:
    original: Path
    path: Path
    output: dict[str, Any]
    again: dict[str, Any]
    exit_code: int



@pytest.fixture(scope="module")
def export(lo_folder: Path) -> Export:
    """The realistic LinkedIn Connections.csv of tests/linkedin.py: 500 lines, 488 people new to the example."""
    return write_export(lo_folder / "Connections.csv")


@pytest.fixture(scope="module")
def imported(export: Export, lo_folder: Path) -> dict[str, Imported]:
    """The export imported into the example (.xlsx, and the .ods LibreOffice saves), then imported again."""
    out = {}
    for fmt, (original, target) in lo.example_copies(EXAMPLE, lo_folder, "imported").items():
        first = invoke("import", target, export.path, "--format", "json")
        before = target.read_bytes()
        again = invoke("import", target, export.path, "--format", "json")
        assert target.read_bytes() == before and again.exit_code == 0
        out[fmt] = Imported(original, target, json.loads(first.stdout), json.loads(again.stdout), first.exit_code)
    return out


@pytest.fixture(scope="module")
def opened(imported: dict[str, Imported], lo_folder: Path) -> Path:
    """Every imported workbook opened by LibreOffice: each sheet as CSV, and the whole saved as .xlsx."""
    return lo.opened([i.path for i in imported.values()], lo_folder / "opened")


def sheet_rows(folder: Path, fmt: str, sheet: str) -> list[list[str]]:
    with (folder / f"imported-{fmt}-{sheet}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize("fmt", FORMATS)
def test_adds_exactly_the_new_people_with_their_linkedin_and_title(
        imported: dict[str, Imported], export: Export, fmt: str) -> None:
    """488 rows are added below the example's 20, each the export's person with URL, title, note and LinkedIn."""
    result = imported[fmt]
    assert result.exit_code == 0
    assert {k: result.output[k] for k in ("imported", "already", "twice", "bad")} == {
        "imported": 488, "already": 10, "twice": 2, "bad": 0}
    assert result.output["backup"] and Path(result.output["backup"]).read_bytes() == result.original.read_bytes()
    reasons = {(s["contact"], s["reason"].split(" ")[0]) for s in result.output["skipped"]}
    assert {f"{first} {last}" for first, last, *_ in ALREADY} == {c for c, why in reasons if why == "already"}
    before = read_workbook(result.original).contacts
    after = read_workbook(result.path).contacts
    assert after.rows == [*before.rows, *range(before.rows[-1] + 1, before.rows[-1] + 489)]
    added = [after.record(i) for i in range(len(before.rows), len(after.rows))]
    for row, person in zip(added, export.new, strict=True):
        assert (row["First Name"], row["Last Name"], row["LinkedIn"], row["Title"], row["Company"]) == (
            person["First Name"], person["Last Name"], person["URL"], person["Position"], person["Company"])
        assert row["Email"] == (person["Email Address"] or None)
        assert (row["Status"], row["How Found"]) == ("Prospect", "LinkedIn")
    assert added[0]["Notes"] == "Connected on LinkedIn on 8 March 2024."


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_again_adds_nobody(imported: dict[str, Imported], fmt: str) -> None:
    """The second import of the same export changes nothing, keeps no backup and counts everyone as there."""
    again = imported[fmt].again
    assert again["changes"] == [] and again["backup"] is None
    assert (again["imported"], again["already"], again["twice"], again["bad"]) == (0, 500, 0, 0)


@pytest.mark.parametrize("fmt", FORMATS)
def test_libreoffice_shows_text_as_text_counts_prospects_and_has_drop_downs(
        imported: dict[str, Imported], opened: Path, fmt: str) -> None:
    """In LibreOffice the formula-looking values show as typed, the Dashboard counts the new Prospects, the
    chart is there and the Status and How Found drop-downs cover the new rows."""
    rows = sheet_rows(opened, fmt, CONTACTS)
    shown = {v for row in rows for v in row}
    assert set(FORMULA_LIKE.values()) <= shown
    dashboard = sheet_rows(opened, fmt, schema.DASHBOARD)
    prospects = sum(1 for r in read_workbook(imported[fmt].original).contacts.data["Status"] if r == "Prospect")
    cell = workbook.DASHBOARD_STATUS_CELLS[schema.Status.PROSPECT]
    assert dashboard[int(cell[1:]) - 1][:2] == ["Prospect", str(prospects + 488)]
    saved = opened / f"imported-{fmt}.xlsx"
    with zipfile.ZipFile(saved) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())
    ws = openpyxl.load_workbook(saved)[CONTACTS]
    last = read_workbook(imported[fmt].path).contacts.rows[-1]
    for column in (schema.STATUS, schema.HOW_FOUND):
        letter = workbook.column_letter(schema.CONTACTS, column)
        covering = [dv for dv in ws.data_validations.dataValidation if f"{letter}{last}" in dv.sqref]
        assert [dv.type for dv in covering] == ["list"], column.name
    row = read_workbook(imported[fmt].path).contacts.rows[30]  # the 11th new person: tests/linkedin.py
    formula = ws[f"{workbook.column_letter(schema.CONTACTS, schema.COMPANY)}{row}"]
    assert formula.data_type == "s" and formula.value == FORMULA_LIKE["company"]


def test_the_chart_and_every_untouched_part_keep_their_bytes(imported: dict[str, Imported]) -> None:
    """Every part of the .xlsx but the Contacts sheet and the Dashboard's cached results keeps its bytes."""
    before, after = members(imported["xlsx"].original), members(imported["xlsx"].path)
    assert list(after) == list(before)
    assert {name for name in before if before[name] != after[name]} == MUST_CHANGE["xlsx"]


def test_dry_run_lists_the_people_and_writes_nothing(export: Export, tmp_path: Path) -> None:
    """--dry-run says who would be added and changes no byte of the workbook."""
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    result = invoke("import", target, export.path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == EXAMPLE.read_bytes()
    assert "Would import 488 people from Connections.csv into Contacts as Prospect (10 already there, " \
           "2 twice in the file)" in " ".join(result.stdout.split())
    assert not (tmp_path / "sheetkit-backups").exists()


def test_options_fill_status_how_found_and_field(make_book: MakeBook, tmp_path: Path) -> None:
    """--status, --how-found and --field fill every new row; the summary says what to do next."""
    book = make_book([{"First Name": "Ann", "Last Name": "Lee", "Status": "Prospect"}])
    source = tmp_path / "people.csv"
    source.write_text("First Name,Last Name,Email\nBo,Ek,bo@example.com\n", encoding="utf-8")
    result = invoke("import", book, source, "--status", "to contact", "--how-found", "event", "--field", "UX")
    assert result.exit_code == 0, result.output
    assert "Next: fill Common Ground and Why Them" in " ".join(result.stdout.split())
    row = read_workbook(book).contacts.record(1)
    assert (row["First Name"], row["Status"], row["How Found"], row["Field"]) == ("Bo", "To Contact", "Event", "UX")


def test_bad_lines_are_reported_by_number_and_the_rest_imported(make_book: MakeBook, tmp_path: Path) -> None:
    """A line without a name and a line with too many fields are reported by number; the others are added."""
    book = make_book([{"First Name": "Ann", "Status": "Prospect"}])
    source = tmp_path / "people.csv"
    source.write_text("First Name,Last Name,Email\nBo,Ek,bo@example.com\n,,x@example.com\nCy,Do,c@x,extra\n"
                      "Di,Fa,\n", encoding="utf-8")
    result = import_contacts(book, source)
    assert [(s.line, s.why) for s in result.skipped] == [(3, "bad"), (4, "bad")]
    assert "line 3 has no name" in result.skipped[0].reason and result.exit_code == 1
    assert [name for _, name in result.imported] == ["Bo Ek", "Di Fa"]
    assert read_workbook(book).contacts.data["First Name"] == ["Ann", "Bo", "Di"]


@pytest.mark.parametrize(("args", "message"), [
    (["--status", "Hot"], "--status 'Hot' is not a `Status` value"),
    (["--how-found", "Twitter"], "--how-found 'Twitter' is not a `How Found` value"),
])
def test_wrong_options_are_one_error_line(make_book: MakeBook, tmp_path: Path, args: list[str],
                                          message: str) -> None:
    """A value not on the list is refused with one Error: line naming it and the values, exit 2."""
    book = make_book([{"First Name": "Ann", "Status": "Prospect"}])
    source = tmp_path / "people.csv"
    source.write_text("First Name\nBo\n", encoding="utf-8")
    result = invoke("import", book, source, *args)
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {message}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_source_is_one_error_line(make_book: MakeBook, tmp_path: Path) -> None:
    """A SOURCE that does not exist is refused before anything is read or written."""
    book = make_book([{"First Name": "Ann", "Status": "Prospect"}])
    result = invoke("import", book, tmp_path / "nope.csv")
    assert result.exit_code == 2 and "no such file" in result.stderr


@pytest.mark.parametrize(("a", "b"), [
    ("https://www.linkedin.com/in/ann-lee/", "linkedin.com/in/ann-lee"),
    ("http://LinkedIn.com/in/Ann-Lee?trk=x#top", "https://www.linkedin.com/in/ann-lee"),
])
def test_linkedin_addresses_of_one_profile_are_one_key(a: str, b: str) -> None:
    """Scheme, www., trailing slash, query, fragment and case do not make another person."""
    assert linkedin_key(a) == linkedin_key(b)


def test_rows_past_the_drop_downs_extend_them(lo_folder: Path, tmp_path: Path) -> None:
    """1,100 people run past row 1,001, where the example's drop-downs end: they grow over every new row
    (as LibreOffice reads the .xlsx and the .ods)."""
    big = write_export(tmp_path / "Connections.csv", people=1100)
    ods = lo.convert(EXAMPLE, "ods", tmp_path / "lo")
    targets = []
    for source in (EXAMPLE, ods):
        target = tmp_path / f"big-{source.suffix[1:]}{source.suffix}"
        shutil.copyfile(source, target)
        assert len(import_contacts(target, big.path).imported) == len(big.new)
        targets.append(target)
    last = read_workbook(targets[0]).contacts.rows[-1]
    assert last > 1001 and read_workbook(targets[1]).contacts.rows[-1] == last
    letter = workbook.column_letter(schema.CONTACTS, schema.STATUS)
    for saved in lo.convert_many(targets, "xlsx", tmp_path / "saved"):
        ws = openpyxl.load_workbook(saved)[CONTACTS]
        covering = [dv.type for dv in ws.data_validations.dataValidation if f"{letter}{last}" in dv.sqref]
        assert covering == ["list"], saved.name
        assert ws[f"{letter}{last}"].value == "Prospect"
