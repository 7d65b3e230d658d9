"""Files sheetkit must refuse, each run as ``sheetkit validate FILE`` in a subprocess.

Every refusal keeps the README's promise: exit status 2, exactly one ``Error:`` line
on stderr naming the file and, after `` — ``, what to do; no traceback, even
when the file is hostile. Every run is capped at 2 GiB of address space, so a
bomb that slipped past :mod:`sheetkit.safety` fails the test instead of the
machine, and the file is left exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import corpus
import pytest
from corpus import Snapshot, assert_refused, folder_listing, run_sheetkit
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetkit import safety
from sheetkit import schema as S
from sheetkit.reader import column_letter
from sheetkit.sheetfacts import SheetFacts, column_number

MEMORY = 2 * corpus.GIB
Make = Callable[[Path], Path]

REFUSALS = [
    # not a workbook at all
    pytest.param(corpus.make_missing, ("no such file",), id="missing"),
    pytest.param(corpus.make_directory, ("folder",), id="directory"),
    pytest.param(corpus.make_empty, ("empty",), id="empty"),
    pytest.param(corpus.make_text_named_xlsx, ("not a spreadsheet",), id="text-named-xlsx"),
    pytest.param(corpus.make_excel_lock_file_itself, ("not a spreadsheet",), id="excel-lock-file"),
    pytest.param(corpus.make_truncated, ("damaged",), id="truncated"),
    pytest.param(corpus.make_zip_without_workbook, ("no workbook",), id="zip-without-workbook"),
    pytest.param(corpus.make_xlsb_like, (".xlsb",), id="xlsb"),
    pytest.param(corpus.make_bzip2_compressed, (), id="bzip2-parts"),
    pytest.param(corpus.make_legacy_xls, ("legacy .xls",), id="legacy-xls"),
    pytest.param(corpus.make_legacy_xls_renamed, ("legacy .xls",), id="legacy-xls-renamed-xlsx"),
    pytest.param(corpus.make_encrypted, ("password",), id="password-protected"),
    # hostile XML
    pytest.param(corpus.make_billion_laughs_sheet, ("DTD",), id="billion-laughs-sheet"),
    pytest.param(corpus.make_billion_laughs_shared_strings, ("DTD",), id="billion-laughs-shared-strings"),
    pytest.param(corpus.make_shared_strings_count_lie, ("strings",), id="shared-strings-count-lie"),
    # sheets sheetkit cannot use
    pytest.param(corpus.make_no_contacts_sheet, ("Contacts", "People"), id="no-contacts-sheet"),
    pytest.param(corpus.make_no_header_row, ("header", "First Name"), id="no-header-row"),
    pytest.param(
        corpus.make_value_in_last_cell, ("1,048,576 rows", "16,384 columns", "delete"), id="value-in-XFD1048576"
    ),
    pytest.param(corpus.make_ods_repeat_bomb, ("80,001 rows", "200 columns"), id="ods-repeat-bomb"),
]


def refuse(folder: Path, make: Make, *words: str, fmt: str = "text", timeout: float = corpus.TIMEOUT) -> str:
    """Build a case, run ``validate`` on it and check the refusal; the file and folder stay as they were.

    Returns everything the command printed.
    """
    path = make(folder)
    before, listing = Snapshot.of(path), folder_listing(folder)
    result = run_sheetkit("validate", path, "--format", fmt, memory=MEMORY, timeout=timeout)
    assert_refused(result, path, *words)
    assert result.stdout == "", "a refusal prints nothing on stdout, even as JSON"
    assert Snapshot.of(path) == before, "the command modified the file it reads"
    assert folder_listing(folder) == listing, "the command left files beside the workbook"
    return result.stdout + result.stderr


@pytest.mark.parametrize(("make", "words"), REFUSALS)
def test_refused_with_one_error_line(tmp_path: Path, make: Make, words: tuple[str, ...]) -> None:
    refuse(tmp_path, make, *words)


@pytest.mark.parametrize(("make", "words"), REFUSALS[:3] + REFUSALS[9:12])
def test_refused_the_same_way_with_json_output(tmp_path: Path, make: Make, words: tuple[str, ...]) -> None:
    refuse(tmp_path, make, *words, fmt="json")


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(corpus.make_xxe, id="xxe"),
        pytest.param(corpus.make_dtd_after_long_comment, id="xxe-dtd-after-4KiB-comment"),
        pytest.param(corpus.make_utf16_xxe, id="xxe-utf16"),
    ],
)
def test_external_entity_is_refused_and_never_expanded(tmp_path: Path, make: Make) -> None:
    """An entity naming a local file is refused, and the file's content never reaches the output."""
    for fmt in ("text", "json"):
        folder = tmp_path / fmt
        folder.mkdir()
        output = refuse(folder, make, fmt=fmt)
        assert corpus.SECRET not in output
        assert "root:" not in output


ZIP_BOMBS = [
    pytest.param(corpus.make_zip_bomb, ("expand",), id="honest-header"),
    pytest.param(corpus.make_zip_bomb_lying_size, (), id="header-understates-size"),
    pytest.param(corpus.make_zip_bomb_lying_size_and_crc, (), id="header-understates-size-crc-of-prefix"),
    pytest.param(corpus.make_workbook_part_bomb_lying_size, (), id="workbook-part-understates-size"),
    pytest.param(corpus.make_workbook_part_bomb_lying_size_and_crc, (), id="workbook-part-understates-size-crc"),
]


@pytest.mark.parametrize(("make", "words"), ZIP_BOMBS)
def test_zip_bomb_is_refused_quickly_within_2_gib(tmp_path: Path, make: Make, words: tuple[str, ...]) -> None:
    """A 1 MB file whose sheet inflates to over 1 GiB of rows: refused before the parser fills memory."""
    path = make(tmp_path)
    assert path.stat().st_size < 4 * 1024 * 1024
    # The timeout is generous: the point is refused, not ground through (minutes) or killed.
    refuse(tmp_path, lambda _: path, *words, timeout=60)


# --- the scan for far-flung cells, against a reference placement ---------------------------

_CELL_FORMS = ["r-first", "r-later", "anonymous", "empty-formatted", "empty-open-close"]


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


@st.composite
def sheet_cells(draw: st.DrawFn) -> tuple[bytes, int, int]:
    """Sheet XML of random cells and where the parser places its farthest filled cell (rows, columns)."""
    parts = [b"<worksheet><sheetData>"]
    last_row = last_col = 0
    row = 0
    for _ in range(draw(st.integers(1, 6))):
        row = draw(st.one_of(st.integers(row + 1, row + 3), st.integers(1, 1_048_576)))
        parts.append(b'<row r="%d">' % row)
        col = 0
        for _ in range(draw(st.integers(0, 5))):
            form = draw(st.sampled_from(_CELL_FORMS))
            if form == "anonymous":
                col += 1
                parts.append(b'<c t="n"><v>1</v></c>')
                at_row = row
            else:
                at_row = draw(st.sampled_from([row, draw(st.integers(1, 1_048_576))]))
                col = draw(st.one_of(st.integers(1, 40), st.integers(1, 800), st.integers(1, 16_384)))
                ref = _letters(col).encode() + str(at_row).encode()
                if form == "r-first":
                    parts.append(b'<c r="%s" t="n"><v>1</v></c>' % ref)
                elif form == "r-later":
                    parts.append(b'<c t="n" r="%s"><v>1</v></c>' % ref)
                elif form == "empty-formatted":
                    parts.append(b'<c r="%s" s="3"/>' % ref)
                    continue
                else:  # as openpyxl writes a formatted empty cell when lxml is installed
                    parts.append(b'<c r="%s" s="3" t="n"></c>' % ref)
                    continue
            last_row, last_col = max(last_row, at_row), max(last_col, col)
        parts.append(b"</row>")
    parts.append(b"</sheetData></worksheet>")
    return b"".join(parts), last_row, last_col


@settings(max_examples=400, deadline=None)
@given(case=sheet_cells())
def test_scan_finds_every_far_cell(case: tuple[bytes, int, int]) -> None:
    """The scan gives the parser's extent, or (0, 0) only when every filled cell lies within AF999999."""
    xml, rows, columns = case
    found = safety._xlsx_extent(xml)
    if found == (0, 0):
        assert rows <= 999_999 and columns <= 32
    else:
        assert found == (rows, columns)


@pytest.mark.parametrize(
    ("ref", "far"),
    [("A1", False), ("Z9", False), ("AA1", False), ("AF999999", False), ("af10", False),
     ("AG1", True), ("BA1", True), ("BF7", True), ("ZA1", True), ("AAA1", True), ("A1000000", True),
     ("XFD1048576", True)],
)
def test_scan_boundary_of_the_fast_path(ref: str, far: bool) -> None:
    """One filled cell: within AF999999 the quick scan passes it; beyond, its exact place is found."""
    xml = b'<worksheet><sheetData><row r="1"><c r="%s"><v>1</v></c></row></sheetData></worksheet>' % ref.encode()
    rows, columns = safety._xlsx_extent(xml)
    if far:
        letters = ref.rstrip("0123456789")
        assert (rows, columns) == (int(ref[len(letters):]), column_number(letters.encode()))
    else:
        assert (rows, columns) == (0, 0)


# --- what the parser will lose, gathered by the scan --------------------------------------


def test_scan_gathers_the_facts_of_the_sheets_read_by_their_names(tmp_path: Path) -> None:
    """Each read sheet's Table totals rows, error cells and merges come back under its sheet name."""
    path = corpus.make_tables_with_totals(tmp_path)
    contacts = [(3, 0, len(S.CONTACTS.headers) - 1)]
    assert safety.check_workbook_file(path).facts == {
        "Contacts": SheetFacts(totals=contacts), "Questions": SheetFacts(totals=[(2, 0, 3)])
    }

    at = S.CONTACTS.headers.index(S.STATUS.name)
    status = f"{column_letter(at)}2"

    def edit(ws: Any) -> None:
        ws.merge_cells(f"{status}:{column_letter(at)}3")
        ws.parent.create_sheet("Notes")["A1"] = "=NA()"  # a sheet sheetkit does not read

    path = corpus.build_workbook(tmp_path, "errors.xlsx", corpus.contacts(2, status="PLACEHOLDER"), edit=edit)
    corpus.replace_cells(path, {status: corpus.error_cell(status, "NA()", "#N/A")})
    assert safety.check_workbook_file(path).facts == {
        "Contacts": SheetFacts(errors={(1, at): "#N/A"}, merges=[(1, at, 2, at)])
    }


def test_scan_gathers_ods_facts_by_table_name(tmp_path: Path) -> None:
    """In an .ods the error cells are found for every table, by its name."""
    error = (b'<table:table-cell office:value-type="string" office:string-value="" calcext:value-type="error">'
             b"<text:p>#N/A</text:p></table:table-cell>")
    content = corpus.ods_bytes_content(corpus.ods_header_row() + corpus.ods_row(corpus.ods_cell("Ann") + error))
    path = corpus.write_ods(tmp_path / "errors.ods", content)
    checked = safety.check_workbook_file(path)
    assert checked.format == "ods"
    assert checked.facts == {"Contacts": SheetFacts(errors={(1, 1): "#N/A"})}


@pytest.mark.parametrize(
    "cell",
    [b'<c r="AN1048576" s="1" t="n"></c>', b'<c r="AN1048576" s="1"> </c>', b'<x:c r="AN1048576" s="1"></x:c>'],
    ids=["open-close", "blank-between", "prefixed"],
)
def test_a_formatted_cell_closed_at_once_holds_nothing(cell: bytes) -> None:
    """A formatted cell written open and closed with nothing inside, far down, is as empty as a self-closing one."""
    xml = b'<worksheet><sheetData><row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="1048576">%s</row>' % cell
    assert safety._xlsx_extent(xml + b"</sheetData></worksheet>") in ((0, 0), (1, 1))
