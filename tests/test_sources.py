"""The sources `sheetkit import` reads: vCard 3.0 and 4.0, Google, Outlook and European Excel CSV, workbooks."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sheetkit import import_contacts
from sheetkit import schema as S
from sheetkit.errors import UsageError, WorkbookError
from sheetkit.reader import read_workbook
from sheetkit.sources import read_source
from tests import corpus
from tests.conftest import MakeBook, build_workbook

VCARD_3 = """BEGIN:VCARD\r
VERSION:3.0\r
N:Østergaard;Mette;;;\r
FN:Mette Østergaard\r
ORG:Contoso Learning;Research\r
TITLE:UX Researcher\r
EMAIL;TYPE=INTERNET,WORK:mette@example.com\r
TEL;TYPE=CELL:+45 20 12 34 56\r
URL:https://www.linkedin.com/in/mette-o\r
NOTE:Met at the UXDK meetup\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
N:田中;花子;;;\r
FN:田中 花子\r
ORG:Fabrikam\r
EMAIL:hanako@example.jp\r
END:VCARD\r
"""
VCARD_4 = """BEGIN:VCARD
VERSION:4.0
FN:Seán Ó Briain
N:Ó Briain;Seán;;;
ORG:Northwind Health
TITLE:Service Designer
EMAIL;TYPE=work:sean@example.ie
TEL;VALUE=uri;TYPE="voice,cell":tel:+353-1-555-0100
URL:https://ie.linkedin.com/in/sean-obriain
END:VCARD
"""
# What Excel saves as "CSV (semicolon delimited)" on a German or French Windows: Windows-1252, semicolons.
EUROPEAN = ("Vorname;Nachname;First Name;Last Name;Company;Email;Notes\r\n"
            ";;Jürgen;Weiß;Müller & Söhne;juergen@example.de;Größe: 5, Straße\r\n"
            ";;Françoise;Lefèvre;Crème SA;;\r\n")


def test_vcards_3_and_4_import_three_people(make_book: MakeBook, tmp_path: Path) -> None:
    """A 3.0 file with two cards and a 4.0 file with one: names, company, title, email, phone, LinkedIn, note."""
    book = make_book([{"First Name": "Ann", "Status": "Prospect"}])
    (tmp_path / "three.vcf").write_text(VCARD_3, encoding="utf-8")
    (tmp_path / "four.vcf").write_text(VCARD_4, encoding="utf-8")
    first = import_contacts(book, tmp_path / "three.vcf")
    second = import_contacts(book, tmp_path / "four.vcf")
    assert (len(first.imported), len(second.imported)) == (2, 1)
    rows = list(read_workbook(book).contacts.records())[1:]
    got = [(r["First Name"], r["Last Name"], r["Company"], r["Title"], r["Email"], r["Phone"], r["LinkedIn"])
           for r in rows]
    assert got == [
        ("Mette", "Østergaard", "Contoso Learning", "UX Researcher", "mette@example.com", "+45 20 12 34 56",
         "https://www.linkedin.com/in/mette-o"),
        ("花子", "田中", "Fabrikam", None, "hanako@example.jp", None, None),
        ("Seán", "Ó Briain", "Northwind Health", "Service Designer", "sean@example.ie", "tel:+353-1-555-0100",
         "https://ie.linkedin.com/in/sean-obriain"),
    ]
    assert rows[0]["Notes"] == "Met at the UXDK meetup" and rows[0]["Status"] == "Prospect"


def test_a_broken_card_is_one_bad_line(tmp_path: Path) -> None:
    """A card with no name and a line that is no property is found at its BEGIN line; the next card is read."""
    broken = "BEGIN:VCARD\nVERSION:3.0\nN:;;\nFN:\nEMAIL:x@example.com\nthis is not a property\nEND:VCARD\n"
    (tmp_path / "mixed.vcf").write_text(broken + VCARD_4, encoding="utf-8")
    people = read_source(tmp_path / "mixed.vcf").people
    assert people[0].line == 1 and not people[0].name
    assert people[1].line == 8 and people[1].name == "Seán Ó Briain"


def test_a_semicolon_windows_1252_csv_from_a_european_excel_imports(make_book: MakeBook, tmp_path: Path) -> None:
    """Semicolons, Windows-1252 accents and a comma inside a value: each person and their note as typed."""
    book = make_book([{"First Name": "Ann", "Status": "Prospect"}])
    source = tmp_path / "kontakte.csv"
    source.write_bytes(EUROPEAN.encode("cp1252"))
    result = import_contacts(book, source)
    assert result.kind == "CSV" and [n for _, n in result.imported] == ["Jürgen Weiß", "Françoise Lefèvre"]
    row = read_workbook(book).contacts.record(1)
    assert (row["Company"], row["Notes"]) == ("Müller & Söhne", "Größe: 5, Straße")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_a_google_contacts_export_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    """Google's headers (Given Name, E-mail 1 - Value, Organization 1 - Name …) map onto Contacts columns."""
    text = ("Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Organization 1 - Name,"
            "Organization 1 - Title,Phone 1 - Value\r\nChloé Dubois,Chloé,Dubois,* Work,chloe@example.fr,"
            "Litware,Designer,+33 1 23 45 67 89\r\n")
    (tmp_path / "google.csv").write_bytes(text.encode(encoding))
    source = read_source(tmp_path / "google.csv")
    assert source.kind == "Google Contacts"
    assert source.people[0].values == {"First Name": "Chloé", "Last Name": "Dubois", "Email": "chloe@example.fr",
                                       "Company": "Litware", "Title": "Designer", "Phone": "+33 1 23 45 67 89"}


def test_new_google_headers_and_outlook_headers(tmp_path: Path) -> None:
    """Google's newer export (First Name, Organization Name) and Outlook's (E-mail Address, Job Title)."""
    (tmp_path / "google.csv").write_text("First Name,Last Name,E-mail 1 - Value,Organization Name,"
                                         "Organization Title\nAna,Silva,ana@example.pt,Proseware,Lead\n")
    (tmp_path / "outlook.csv").write_text("First Name,Middle Name,Last Name,Company,Job Title,Business Phone,"
                                          "E-mail Address\nKwame,,Mensah,Tailspin,CTO,+233 30 000,k@example.gh\n")
    google, outlook = read_source(tmp_path / "google.csv"), read_source(tmp_path / "outlook.csv")
    assert (google.kind, outlook.kind) == ("Google Contacts", "Outlook")
    assert google.people[0].values == {"First Name": "Ana", "Last Name": "Silva", "Email": "ana@example.pt",
                                       "Company": "Proseware", "Title": "Lead"}
    assert outlook.people[0].values == {"First Name": "Kwame", "Last Name": "Mensah", "Company": "Tailspin",
                                        "Title": "CTO", "Phone": "+233 30 000", "Email": "k@example.gh"}


def test_a_workbook_with_contacts_headers_imports_matched_as_the_reader_matches(
        make_book: MakeBook, tmp_path: Path) -> None:
    """A sheet titled above its header, headers in other case and punctuation: found and matched."""
    book = make_book([{"First Name": "Ann", "Status": "Prospect"}])
    other = build_workbook(tmp_path / "cohort.xlsx", [{"first name": "Lena", "LAST-NAME": "Berg",
                                                       "e mail": "lena@example.se", "status": "Requested"}],
                           headers=["first name", "LAST-NAME", "e mail", "status"], title_rows=[["Cohort 7"]],
                           sheet_name="Sheet1")
    result = import_contacts(book, other)
    row = read_workbook(book).contacts.record(1)
    assert result.kind == "workbook"
    assert (row["First Name"], row["Last Name"], row["Email"], row["Status"]) == (
        "Lena", "Berg", "lena@example.se", "Requested")


def test_a_file_without_headers_is_refused(tmp_path: Path) -> None:
    """Text that names no known column is refused with what to export instead."""
    (tmp_path / "x.csv").write_text("a,b,c\n1,2,3\n")
    with pytest.raises(UsageError, match="has no header row naming the columns"):
        read_source(tmp_path / "x.csv")



def test_blank_lines_are_skipped_and_a_broken_record_is_a_bad_line(tmp_path: Path) -> None:
    """Blank lines between people are nothing; a stray quote that swallows the rest of the file is a bad line."""
    rest = "".join(f"Person,{i}\n" for i in range(20_000))  # more than the CSV reader takes in one field
    (tmp_path / "x.csv").write_text(f'First Name,Last Name\n\nAnn,Lee\n\n\nBo,"Ek\n{rest}', encoding="utf-8")
    people = read_source(tmp_path / "x.csv").people
    assert [(p.line, p.name, p.problem) for p in people[:1]] == [(3, "Ann Lee", None)]
    assert people[1].line == 6 and people[1].problem == "cannot be read as CSV (a stray quote?)"


def test_a_linkedin_date_it_did_not_write_is_kept_but_not_called_a_date(tmp_path: Path) -> None:
    """`Connected On` as LinkedIn writes it becomes a dated sentence; anything else is kept as it was."""
    (tmp_path / "Connections.csv").write_text(
        'Notes:\n"Some email addresses may be missing."\n\n'
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Lovel,https://www.linkedin.com/in/ada,,Acme,Lead,07 Mar 2024\n"
        "Bob,Stone,https://www.linkedin.com/in/bob,,Acme,Lead,last spring\n", encoding="utf-8")
    people = read_source(tmp_path / "Connections.csv", date_style="25 November 2026").people
    assert [p.values["Notes"] for p in people] == ["Connected on LinkedIn on 7 March 2024.",
                                                   "Connected on LinkedIn: last spring"]


def test_an_excel_tables_totals_row_in_a_workbook_source_is_no_person(make_book: MakeBook, tmp_path: Path) -> None:
    """The totals row of an Excel Table over the source's Contacts ("Total", a count) is not imported."""
    book = make_book([{"First Name": "Zed", "Status": "Prospect"}])
    result = import_contacts(book, corpus.make_tables_with_totals(tmp_path))
    assert [name for _, name in result.imported] == ["Ann0", "Ann1"]
    assert read_workbook(book).contacts.data[S.FIRST_NAME.name] == ["Zed", "Ann0", "Ann1"]


def test_a_cell_showing_a_formula_error_in_a_workbook_source_imports_as_empty(
        make_book: MakeBook, tmp_path: Path) -> None:
    """An Email or Request Sent showing #N/A holds no value: the person comes in without it, not with "#N/A"."""
    headers = [S.FIRST_NAME.name, S.EMAIL.name, S.REQUEST_SENT.name]
    source = build_workbook(tmp_path / "cohort.xlsx", [dict(zip(headers, ["Lena", "lena@example.se", "2026-11-02"],
                                                                strict=True))],
                            headers=headers, sheet_name="Sheet1")
    corpus.replace_cells(source, {ref: corpus.error_cell(ref, "INDEX(Lists!C:C,99)", "#N/A") for ref in ("B2", "C2")})
    book = make_book([{"First Name": "Zed", "Status": "Prospect"}])
    import_contacts(book, source)
    contacts = read_workbook(book).contacts
    assert contacts.data[S.FIRST_NAME.name] == ["Zed", "Lena"]
    assert contacts.data[S.EMAIL.name] == [None, None]
    assert contacts.data[S.REQUEST_SENT.name] == [None, None]


def test_a_workbook_source_with_a_stray_value_far_below_is_refused_whatever_its_sheet_is_called(
        make_book: MakeBook, tmp_path: Path) -> None:
    """A stray entry in AH1048576 of "Sheet1" would make a grid of 35 million cells: refused, as for Contacts."""
    source = build_workbook(tmp_path / "cohort.xlsx", [{"First Name": "Lena"}], headers=["First Name"],
                            sheet_name="Sheet1")
    wb = openpyxl.load_workbook(source)
    wb["Sheet1"].cell(row=1_048_576, column=34, value="x")
    wb.save(source)
    book = make_book([{"First Name": "Zed", "Status": "Prospect"}])
    before = book.read_bytes()
    with pytest.raises(WorkbookError, match="`Sheet1` sheet has values spread over 1,048,576 rows and 34 columns"):
        import_contacts(book, source)
    assert book.read_bytes() == before
