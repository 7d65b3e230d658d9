"""The facts calamine loses, found in sheet XML as Excel and LibreOffice write it."""

from __future__ import annotations

import pytest

from sheetkit.sheetfacts import SheetFacts, cell_position, ods_facts, xlsx_facts
from tests.corpus import ods_bytes_content, ods_cell, ods_row

SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData>'
    b"%s</worksheet>"
)


def test_cell_positions() -> None:
    """References become 0-based (row, column), absolute ones too."""
    assert [cell_position(r) for r in (b"A1", b"B7", b"$AA$10", b"xfd1048576")] == [
        (0, 0), (6, 1), (9, 26), (1_048_575, 16_383)
    ]
    with pytest.raises(ValueError):
        cell_position(b"7B")


def test_xlsx_error_cells_as_excel_and_libreoffice_write_them() -> None:
    """Each t="e" cell is found with its cached error text; other cells, and text that looks alike, are not."""
    cells = (
        b'<row r="2"><c r="A2" s="3" t="e"><f>VLOOKUP(X2,Y:Z,2,0)</f><v>#N/A</v></c>'
        b'<c r="B2" t="inlineStr"><is><t>t="e" is not a cell</t></is></c>'
        b'<c r="C2" s="0" t="e"><f aca="false">DATEVALUE(&quot;30/10/2026&quot;)</f><v>#VALUE!</v></c>'
        b'<c r="D2" t="n"><v>14</v></c></row>'
        b'<row r="9"><c r="AB9" t="e"><v>#REF!</v></c></row>'
    )
    facts = xlsx_facts(SHEET % (cells, b""))
    assert facts == SheetFacts(errors={(1, 0): "#N/A", (1, 2): "#VALUE!", (8, 27): "#REF!"})


def test_xlsx_without_marks_has_no_facts() -> None:
    """A sheet with no error cell, merge or Table has nothing to put back."""
    facts = xlsx_facts(SHEET % (b'<row r="1"><c r="A1" t="n"><v>1</v></c></row>', b""))
    assert facts == SheetFacts() and not facts


def test_xlsx_table_totals_rows() -> None:
    """A Table's last rows, as many as its totals row count says, are its totals, across its columns."""
    facts = xlsx_facts(SHEET % (b"", b""), tables=[("A1:Y21", 1), ("B30:C40", 2)])
    assert facts == SheetFacts(totals=[(20, 0, 24), (38, 1, 2), (39, 1, 2)])


def test_xlsx_merges_spanning_rows() -> None:
    """Merges over several rows are kept; merges within one row are not."""
    merges = b'<mergeCell ref="P5:P6"/><mergeCell ref="A1:D1"/><mergeCell ref="N3:O7"/>'
    tail = b'<mergeCells count="3">' + merges + b"</mergeCells>"
    assert xlsx_facts(SHEET % (b"", tail)) == SheetFacts(merges=[(4, 15, 5, 15), (2, 13, 6, 14)])


def test_ods_error_tab_and_merge_cells() -> None:
    """Calc's error cells, text with tabs and line breaks, and merged cells are found where the parser puts them."""
    error = (b'<table:table-cell table:formula="of:=DATEVALUE(&quot;30/10/2026&quot;)" office:value-type="string" '
             b'office:string-value="" calcext:value-type="error"><text:p>Err:502</text:p></table:table-cell>')
    tab = (b'<table:table-cell office:value-type="string"><office:annotation><text:p>a comment</text:p>'
           b'</office:annotation><text:p>Ann<text:tab/>Lee <text:s text:c="2"/>&amp; co</text:p>'
           b"<text:p>next<text:line-break/>line</text:p></table:table-cell>")
    merged = (b'<table:table-cell office:value-type="string" table:number-columns-spanned="1" '
              b'table:number-rows-spanned="2"><text:p>Requested</text:p></table:table-cell>')
    rows = (
        ods_row(ods_cell("First Name") + ods_cell("Status"))
        + ods_row(b'<table:table-cell table:number-columns-repeated="2"/>' + error + tab, repeat=2)
        + ods_row(ods_cell("Di") + merged)
        + ods_row(ods_cell("Ed") + b"<table:covered-table-cell/>")
    )
    text = "Ann\tLee   & co\nnext\nline"
    assert ods_facts(ods_bytes_content(rows, name="Con&amp;tacts")) == {"Con&tacts": SheetFacts(
        errors={(1, 2): "Err:502", (2, 2): "Err:502"},
        merges=[(3, 1, 4, 1)],
        texts={(1, 3): text, (2, 3): text},
    )}


def test_ods_text_the_parser_reads_itself_is_left_alone() -> None:
    """A formula's text result comes from office:string-value, tab and all: nothing to put back."""
    cell = (b'<table:table-cell table:formula="of:=&quot;p&quot;&amp;CHAR(9)" office:value-type="string" '
            b'office:string-value="p&#x09;" calcext:value-type="string"><text:p>p<text:tab/></text:p>'
            b"</table:table-cell>")
    assert ods_facts(ods_bytes_content(ods_row(cell))) == {}


def test_references_that_do_not_parse_are_left_out() -> None:
    """A malformed merge or Table range, or an error cell past column XFD, is skipped: gathering never raises."""
    cells = b'<row r="2"><c r="ABCD2" t="e"><v>#N/A</v></c><c r="B2" t="e"><v>#REF!</v></c></row>'
    tail = b'<mergeCells count="2"><mergeCell ref="A2:"/><mergeCell ref="C2:C4"/></mergeCells>'
    facts = xlsx_facts(SHEET % (cells, tail), tables=[("", 1), ("Table1[#All]", 1), ("A1:C3", 1)])
    assert facts == SheetFacts(errors={(1, 1): "#REF!"}, merges=[(1, 2, 3, 2)], totals=[(2, 0, 2)])


def test_a_totals_count_never_reaches_the_header() -> None:
    """However large a Table's totals row count, its header row is not one of them."""
    assert xlsx_facts(SHEET % (b"", b""), tables=[("A1:C3", 9)]) == SheetFacts(totals=[(1, 0, 2), (2, 0, 2)])
