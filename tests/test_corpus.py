"""Valid but odd workbooks: what Excel, LibreOffice and people really save is read correctly.

Each case runs ``sheetkit validate FILE --format json`` in a subprocess (capped
at 2 GiB of address space) and checks the exit status and the exact issues,
whose row numbers prove which rows were read; where the issues alone cannot
show it, the values are checked through :func:`sheetkit.reader.read_workbook`.
Every run must leave the workbook, and the folder it sits in, as they were.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import corpus
import pytest
from corpus import Snapshot, folder_listing, validate_json
from openpyxl.utils import get_column_letter

from sheetkit import schema as S
from sheetkit.reader import Campaign, read_workbook

MEMORY = 2 * corpus.GIB
Issue = tuple[str, int | None, str | None]


def validate(path: Path) -> tuple[int, list[Issue]]:
    """Exit status and (code, row, column) of every issue; the file and its folder untouched."""
    before, listing = Snapshot.of(path), folder_listing(path.parent)
    code, report = validate_json(path, memory=MEMORY)
    assert Snapshot.of(path) == before, "validate modified the file it reads"
    assert folder_listing(path.parent) == listing, "validate left files beside the workbook"
    issues = [(i["code"], i["row"], i["column"]) for i in report["issues"]]
    assert report["errors"] == sum(1 for i in report["issues"] if i["severity"] == "error")
    return code, issues


def read(path: Path) -> Campaign:
    before = Snapshot.of(path)
    campaign = read_workbook(path)
    assert Snapshot.of(path) == before
    return campaign


def column(campaign: Campaign, col: S.Column) -> list[Any]:
    return campaign.contacts.data[col.name]


def missing_status(*rows: int) -> list[Issue]:
    return [("missing-value", r, S.STATUS.name) for r in rows]


def test_wrong_dimension_does_not_hide_rows(tmp_path: Path) -> None:
    """``<dimension ref="A1:B2"/>`` over 50 rows and 25 columns: every row and column is read."""
    path = corpus.make_wrong_dimension(tmp_path, 50)
    assert b'<dimension ref="A1:B2"/>' in zipfile.ZipFile(path).read(corpus.SHEET_PART)
    code, issues = validate(path)
    assert code == 1
    assert issues == missing_status(*range(2, 52))
    campaign = read(path)
    assert campaign.contacts.rows == list(range(2, 52))
    assert column(campaign, S.COMPANY) == ["Acme"] * 50  # column D, outside the claimed A:B


def test_formatted_empty_cells_down_to_the_last_row(tmp_path: Path) -> None:
    """Formatted but empty cells in rows up to 1,048,576 (and column AN) cost nothing and add no rows."""
    path = corpus.make_formatted_to_last_row(tmp_path)
    sheet = zipfile.ZipFile(path).read(corpus.SHEET_PART)
    assert b'r="A1048576"' in sheet and b'r="AN1048576"' in sheet
    assert validate(path) == (0, [])
    campaign = read(path)
    assert campaign.contacts.rows == [2, 3, 4]
    assert column(campaign, S.FIRST_NAME) == ["Ann0", "Ann1", "Ann2"]


def test_a_value_typed_in_the_last_row_is_read_as_a_row(tmp_path: Path) -> None:
    """A first name typed in A1048576: read (within 2 GiB) and reported there, not refused or crashed."""
    path = corpus.make_value_in_last_row(tmp_path)
    assert validate(path) == (1, missing_status(1_048_576))


def test_libreoffice_true_false_formulas_read_as_yes_no(tmp_path: Path) -> None:
    """``=TRUE()`` / ``=FALSE()`` with cached booleans, as LibreOffice saves them, are Yes / No."""
    path = corpus.make_libreoffice_booleans(tmp_path)
    sheet = zipfile.ZipFile(path).read(corpus.SHEET_PART)
    assert b"<f>TRUE()</f><v>1</v>" in sheet and b"<f>FALSE()</f><v>0</v>" in sheet
    assert validate(path) == (0, [])
    assert column(read(path), S.MAY_USE_REFERRER) == [S.YesNo.YES.value, S.YesNo.NO.value]


def test_merged_title_and_merged_header_cells(tmp_path: Path) -> None:
    path = corpus.make_merged_title_and_header(tmp_path)
    assert validate(path) == (0, [])
    campaign = read(path)
    assert campaign.contacts.header_row == 2
    assert campaign.contacts.rows == [3, 4, 5]
    assert column(campaign, S.NOTES) == ["note 0", "note 1", "note 2"]


@pytest.mark.parametrize("titles", [1, 2])
def test_title_rows_above_the_header(tmp_path: Path, titles: int) -> None:
    """The header is found below one or two title rows, and issues name the real sheet rows."""
    path = corpus.make_title_rows(tmp_path, titles)
    header = titles + 1
    assert validate(path) == (1, missing_status(header + 3))
    campaign = read(path)
    assert campaign.contacts.header_row == header
    assert campaign.contacts.rows == [header + 1, header + 2, header + 3]


def test_hidden_rows_and_columns_are_still_read(tmp_path: Path) -> None:
    """Row 3 and columns C (Title) and Status hidden: their cells are read and checked like any other."""
    path = corpus.make_hidden_rows_and_columns(tmp_path)
    assert validate(path) == (1, [("invalid-choice", 3, S.STATUS.name)])
    campaign = read(path)
    assert column(campaign, S.TITLE) == ["Engineer 0", "Engineer 1", "Engineer 2"]
    assert campaign.contacts.cell(S.STATUS.name, 1) == f"{get_column_letter(corpus.column_index(S.STATUS))}3"


def test_contacts_sheet_name_in_lower_case(tmp_path: Path) -> None:
    path = corpus.make_lowercase_sheet(tmp_path)
    assert validate(path) == (0, [])
    campaign = read(path)
    assert campaign.contacts.sheet == S.CONTACTS.name.lower()
    assert column(campaign, S.FIRST_NAME) == ["Ann0", "Ann1"]


def test_deleted_first_name_header_is_reported_not_refused(tmp_path: Path) -> None:
    """A Contacts sheet whose First Name header was renamed is read; validation names the missing column."""
    path = corpus.make_no_first_name_header(tmp_path)
    code, issues = validate(path)
    assert code == 1
    assert ("missing-column", 1, S.FIRST_NAME.name) in issues


def test_shared_strings_are_read(tmp_path: Path) -> None:
    """The baseline of the shared-string bombs: a real sharedStrings.xml part is read."""
    path = corpus.make_shared_strings(tmp_path)
    assert validate(path) == (0, [])
    assert column(read(path), S.FIRST_NAME)[0] == "Shared Ann"


def test_xlsm_is_read(tmp_path: Path) -> None:
    path = corpus.make_xlsm(tmp_path)
    assert path.suffix == ".xlsm"
    assert validate(path) == (0, [])
    assert len(read(path).contacts) == 3


def test_hand_written_ods_is_read(tmp_path: Path) -> None:
    """The baseline of the .ods repeat bomb: a minimal .ods written by hand is read."""
    path = corpus.make_minimal_ods(tmp_path)
    assert validate(path) == (0, [])
    assert column(read(path), S.FIRST_NAME) == ["Ann"]


@pytest.mark.libreoffice
def test_ods_saved_by_libreoffice_is_read(tmp_path: Path) -> None:
    import lo

    lo.require_soffice()
    path = corpus.make_ods_with_libreoffice(tmp_path)
    assert path.suffix == ".ods"
    code, issues = validate(path)
    # The Requested contact has no way to be reached: proves row 4 and its Status were read.
    assert (code, issues) == (1, [("no-contact-route", 4, S.EMAIL.name)])
    campaign = read(path)
    assert column(campaign, S.FIRST_NAME) == ["Ann0", "Ann1", "Ann2"]
    assert column(campaign, S.REQUEST_SENT) == [None, None, dt.date(2026, 3, 4)]


def test_workbook_open_in_excel_and_libreoffice(tmp_path: Path) -> None:
    """Lock files beside the workbook (``~$name.xlsx``, ``.~lock.name.xlsx#``) change nothing and stay."""
    path = corpus.make_open_in_excel(tmp_path)
    locks = [tmp_path / "~$tracker.xlsx", tmp_path / ".~lock.tracker.xlsx#"]
    before = [Snapshot.of(p) for p in locks]
    assert validate(path) == (0, [])
    assert [Snapshot.of(p) for p in locks] == before


VALID: list[Callable[[Path], Path]] = [
    corpus.make_wrong_dimension,
    corpus.make_formatted_to_last_row,
    corpus.make_libreoffice_booleans,
    corpus.make_merged_title_and_header,
    corpus.make_hidden_rows_and_columns,
    corpus.make_lowercase_sheet,
    corpus.make_xlsm,
    corpus.make_minimal_ods,
    corpus.make_open_in_excel,
]


@pytest.mark.parametrize("make", VALID, ids=lambda f: f.__name__.removeprefix("make_"))
def test_other_commands_leave_the_workbook_alone(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    """``status`` reads the same files without error and without touching them."""
    path = make(tmp_path)
    before, listing = Snapshot.of(path), folder_listing(tmp_path)
    result = corpus.run_sheetkit("status", path, "--today", "2026-06-01", memory=MEMORY)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode in (0, 1), result.stderr
    assert Snapshot.of(path) == before
    assert folder_listing(tmp_path) == listing
