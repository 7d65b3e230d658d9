"""`sheetkit validate --annotate`: messy.xlsx's problems shown on their cells (.xlsx, .ods), via LibreOffice."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from sheetkit import schema
from sheetkit.editor.annotate import annotate_workbook
from sheetkit.editor.changes import Mark
from sheetkit.issues import Issue
from sheetkit.reader import read_workbook
from sheetkit.validate import check
from tests import lo
from tests.conftest import TODAY, MakeBook, invoke
from tests.test_editor import members

SAMPLES = Path(__file__).resolve().parent.parent / "sample_workbooks"
MESSY, EXAMPLE = SAMPLES / "messy.xlsx", SAMPLES / "example.xlsx"
FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C"}



def expected_issues() -> list[Issue]:
    """The issues of messy.xlsx on TODAY, each one listed in messy-expected.json and no other."""
    wanted = json.loads((SAMPLES / "messy-expected.json").read_text(encoding="utf-8"))
    issues = check(read_workbook(MESSY), TODAY).issues
    keys = [(i.code, i.sheet, i.row, i.column) for i in issues]
    assert sorted(keys, key=str) == sorted(((e["code"], e["sheet"], e["row"], e["column"]) for e in wanted), key=str)
    return issues


def marked_cells(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(sheet, cell) → (fill colour, comment) of every cell filled red or amber."""
    out = {}
    for ws in openpyxl.load_workbook(path):
        for row in ws.iter_rows():
            for cell in row:
                colour = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type == "solid" else None
                if colour in FILLS.values():
                    out[ws.title, cell.coordinate] = (colour, cell.comment.text if cell.comment else "")
    return out



@pytest.fixture(scope="module")
def annotated(lo_folder: Path) -> dict[str, Path]:
    """messy.xlsx, and messy as LibreOffice saves it (.ods, and that saved as .xlsx), annotated; each copy saved
    again by LibreOffice as .xlsx."""
    ods = lo.convert(MESSY, "ods", lo_folder / "ods")
    lo_xlsx = lo.convert(ods, "xlsx", lo_folder / "lo-xlsx")
    out = {}
    for fmt, source in (("xlsx", MESSY), ("ods", ods), ("lo-xlsx", lo_xlsx)):
        before = source.read_bytes()
        target = lo_folder / f"annotated-{fmt}{source.suffix}"
        result = invoke("validate", source, "--today", TODAY.isoformat(), "--annotate", target)
        assert result.exit_code == 1, result.output
        assert source.read_bytes() == before
        out[fmt] = target
    saved = lo.convert_many(list(out.values()), "xlsx", lo_folder / "saved")
    out.update({f"saved-{fmt}": path for fmt, path in zip(list(out), saved, strict=True)})
    return out


@pytest.mark.parametrize("fmt", ["xlsx", "lo-xlsx", "saved-xlsx", "saved-ods", "saved-lo-xlsx"])
def test_marks_exactly_the_expected_cells_each_with_its_message(annotated: dict[str, Path], fmt: str) -> None:
    """Every problem of messy-expected.json, and nothing else, is filled by severity with its message as a comment
    (as written, and as LibreOffice reads it from the .xlsx and the .ods)."""
    issues = expected_issues()
    got = marked_cells(annotated[fmt])
    assert set(got) == {(i.sheet, i.cell) for i in issues}
    for issue in issues:
        colour, comment = got[issue.sheet, issue.cell]
        assert colour == FILLS[issue.severity], issue.cell
        assert issue.message in comment, issue.cell


def test_messy_xlsx_is_unchanged_and_untouched_parts_keep_their_bytes(annotated: dict[str, Path]) -> None:
    """messy.xlsx keeps its bytes; in the copy only the marked sheets, styles and comment parts differ."""
    before, after = members(MESSY), members(annotated["xlsx"])
    assert set(before) <= set(after)
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {"xl/styles.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
                       "xl/worksheets/sheet4.xml", "xl/comments/comment1.xml", "xl/comments/comment2.xml",
                       "xl/comments/comment3.xml", "xl/drawings/commentsDrawing1.vml",
                       "xl/drawings/commentsDrawing2.vml", "xl/drawings/commentsDrawing3.vml"}
    assert any(n.startswith("xl/charts/") for n in after)


def test_a_cells_own_comment_is_kept_and_the_message_added(tmp_path: Path) -> None:
    """The help comment on a header survives, the message after it; a sheet without comments gets its own."""
    out = annotate_workbook(EXAMPLE, tmp_path / "marked.xlsx", [
        Mark("Contacts", 1, "A", "error", "First problem"), Mark("Contacts", 1, "A", "warning", "Second problem"),
        Mark("Dashboard", 3, "B", "warning", "A problem on a sheet without comments"),
    ])
    wb = openpyxl.load_workbook(out)
    original = openpyxl.load_workbook(EXAMPLE)["Contacts"]["A1"]
    own = original.comment
    assert own is not None
    header = wb["Contacts"]["A1"]
    assert header.comment is not None and header.comment.text == f"{own.text}\n\nFirst problem\nSecond problem"
    assert header.fill.fgColor.rgb == FILLS["error"] and header.font.b == original.font.b is True
    dashboard = wb["Dashboard"]["B3"]
    assert dashboard.comment is not None and dashboard.comment.text == "A problem on a sheet without comments"
    assert read_workbook(out).contacts.data == read_workbook(EXAMPLE).contacts.data


def test_a_workbook_without_problems_gives_an_identical_copy(tmp_path: Path) -> None:
    """The example has no problems on TODAY: the copy is byte for byte the workbook."""
    out = tmp_path / "copy.xlsx"
    result = invoke("validate", EXAMPLE, "--today", TODAY.isoformat(), "--annotate", out)
    assert result.exit_code == 0 and "a clean copy" in result.stdout
    assert out.read_bytes() == EXAMPLE.read_bytes()


def test_json_is_the_report(tmp_path: Path) -> None:
    """With --format json the output is validate's report, the copy written all the same."""
    out = tmp_path / "copy.xlsx"
    result = invoke("validate", MESSY, "--today", TODAY.isoformat(), "--annotate", out, "--format", "json")
    assert json.loads(result.stdout) == check(read_workbook(MESSY), TODAY).to_dict() and out.is_file()


@pytest.mark.parametrize("how", ["same", "symlink", "exists", "suffix"])
def test_refused_with_one_error_line(tmp_path: Path, how: str) -> None:
    """Over the workbook itself (also through a link), over an existing file without --force, or another format."""
    book = tmp_path / "tracker.xlsx"
    shutil.copyfile(MESSY, book)
    out = {"same": book, "symlink": tmp_path / "link.xlsx", "exists": tmp_path / "old.xlsx",
           "suffix": tmp_path / "copy.ods"}[how]
    if how == "symlink":
        out.symlink_to(book)
    if how == "exists":
        out.write_bytes(b"mine")
    result = invoke("validate", book, "--annotate", out)
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert book.read_bytes() == MESSY.read_bytes()
    if how == "exists":
        assert out.read_bytes() == b"mine"
        assert invoke("validate", book, "--annotate", out, "--force").exit_code == 1
        assert marked_cells(out)


def test_a_problem_without_a_cell_is_reported_but_not_marked(make_book: MakeBook, tmp_path: Path) -> None:
    """A missing Status column has no cell to fill: it is in the report, and the copy marks the other problems."""
    headers = [h for h in schema.CONTACTS.headers if h != schema.STATUS.name]
    book = make_book([{"First Name": "Ann", "Email": "not an address"}], headers=headers)
    out = tmp_path / "marked.xlsx"
    result = invoke("validate", book, "--annotate", out, "--format", "json")
    codes = {(i["code"], i["cell"]) for i in json.loads(result.stdout)["issues"]}
    assert ("missing-column", None) in codes and ("invalid-email", "G2") in codes
    assert set(marked_cells(out)) == {("Contacts", cell) for code, cell in codes if cell}


def test_a_copy_into_a_folder_named_in_other_bytes_than_utf8_is_written(tmp_path: Path) -> None:
    """A folder whose name is Latin-1 bytes (café, from an old disk) takes the copy: it is read back, not refused."""
    folder = tmp_path / os.fsdecode(b"caf\xe9")
    folder.mkdir()
    out = annotate_workbook(EXAMPLE, folder / "marked.xlsx", [Mark("Contacts", 2, "A", "error", "A problem")])
    cell = openpyxl.load_workbook(out)["Contacts"]["A2"]
    assert cell.comment is not None and cell.comment.text == "A problem"
    assert cell.fill.fgColor.rgb == FILLS["error"]
