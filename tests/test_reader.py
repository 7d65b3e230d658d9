"""Reading a progress chart back, tolerant of what people do to it."""

from __future__ import annotations

import datetime as dt
import os
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from sheetkit import schema
from sheetkit.errors import WorkbookError
from sheetkit.reader import (
    Campaign,
    CellErrorAt,
    Duplicate,
    _read_checked,
    column_letter,
    read_workbook,
)
from sheetkit.values import CellError, Invalid
from tests import corpus, lo
from tests.conftest import MakeBook, contact

S = schema


def test_column_letters() -> None:
    """Column indexes become Excel letters."""
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_reads_contacts_with_rows_and_cells(make_book: MakeBook) -> None:
    """Values arrive normalised, with their Excel row numbers and cell references."""
    path = make_book([contact(first_name=" Ann ", status="requested", request_sent="2026-03-04")])
    campaign = read_workbook(path)
    c = campaign.contacts
    assert c.rows == [2]
    assert c.data[S.FIRST_NAME.name] == ["Ann"]
    assert c.data[S.STATUS.name] == ["Requested"]
    assert c.data[S.REQUEST_SENT.name] == [dt.date(2026, 3, 4)]
    assert c.cell(S.STATUS.name, 0) == "Q2"


def test_headers_reordered_renamed_extra_and_missing(make_book: MakeBook) -> None:
    """Headers match ignoring case and punctuation, in any order; extras are kept; absent columns are empty."""
    headers = ["status", "THANK YOU SENT", "first  name", "Pronouns", "E-Mail"]
    row = dict(zip(headers, ["Thanked", dt.date(2026, 1, 2), "Bo", "they", "bo@example.com"], strict=True))
    campaign = read_workbook(make_book([row], headers=headers))
    c = campaign.contacts
    assert c.data[S.THANK_YOU_SENT.name] == [dt.date(2026, 1, 2)]
    assert c.data[S.EMAIL.name] == ["bo@example.com"]
    assert c.letters[S.FIRST_NAME.name] == "C"
    assert c.extras == {"Pronouns": ["they"]}
    assert c.data[S.COMPANY.name] == [None]
    assert not c.has(S.COMPANY.name)
    assert c.record(0)["Pronouns"] == "they"


def test_blank_rows_in_the_middle_are_skipped(make_book: MakeBook) -> None:
    """Blank rows cost nothing and the next rows keep their real row numbers."""
    rows = [contact(first_name="A", status="Prospect"), None, None, contact(first_name="B", status="Prospect")]
    c = read_workbook(make_book(rows)).contacts
    assert c.rows == [2, 5]
    assert c.data[S.FIRST_NAME.name] == ["A", "B"]


def test_title_rows_above_header(make_book: MakeBook) -> None:
    """The header is the first row naming First Name; title rows above are fine."""
    path = make_book([contact(first_name="A", status="Prospect")], title_rows=[["My job search"], []])
    c = read_workbook(path).contacts
    assert c.header_row == 3
    assert c.rows == [4]


def test_formatted_tail_to_last_row(tmp_path: Path) -> None:
    """Formatted empty cells down to row 1,048,576 are skipped, and the real rows are read."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = S.CONTACTS.name
    ws.append(list(S.CONTACTS.headers))
    ws.append(["Ann"] + [None] * (S.CONTACTS.columns.index(S.STATUS) - 1) + ["Prospect"])
    for r in (10, 5000, 200_000, 1_048_576):
        for col in range(1, 4):
            ws.cell(row=r, column=col).font = Font(bold=True)
    path = tmp_path / "tail.xlsx"
    wb.save(path)
    c = read_workbook(path).contacts
    assert c.rows == [2]
    assert c.data[S.STATUS.name] == ["Prospect"]


def test_date_cells_in_every_form(make_book: MakeBook) -> None:
    """Date columns accept real dates, date-times and ISO text; other text is Invalid."""
    forms = [dt.date(2026, 3, 4), dt.datetime(2026, 3, 4, 9, 0), "2026-03-04", "next tuesday"]
    rows = [contact(first_name=f"P{i}", status="Prospect", last_contact=v) for i, v in enumerate(forms)]
    values = read_workbook(make_book(rows)).contacts.data[S.LAST_CONTACT.name]
    assert values[:3] == [dt.date(2026, 3, 4)] * 3
    assert isinstance(values[3], Invalid) and values[3].raw == "next tuesday"


def _numbers_under_formats(path: Path, epoch: dt.datetime | None = None) -> Path:
    """Contacts whose Request Sent holds 14 and 46085 in General cells, the same numbers formatted as dates, a date."""
    wb = openpyxl.Workbook()
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.active
    ws.title = S.CONTACTS.name
    ws.append(list(S.CONTACTS.headers))
    at = S.CONTACTS.headers.index(S.REQUEST_SENT.name) + 1
    for i, (number, number_format) in enumerate([(14, "General"), (46085, "General"), (14, "yyyy-mm-dd"),
                                                 (46085, "d mmmm yyyy")]):
        ws.append([f"P{i}"] + [None] * (S.CONTACTS.headers.index(S.STATUS.name) - 1) + ["Requested"])
        cell = ws.cell(row=i + 2, column=at, value=number)
        cell.number_format = number_format
    ws.append(["Real"] + [None] * (S.CONTACTS.headers.index(S.STATUS.name) - 1) + ["Requested", dt.date(2026, 3, 4)])
    wb.save(path)
    return path


def test_numbers_in_general_cells_are_not_dates(tmp_path: Path) -> None:
    """A number typed into a General cell is invalid, not a day of 1900; a number formatted as a date is that date."""
    values = read_workbook(_numbers_under_formats(tmp_path / "numbers.xlsx")).contacts.data[S.REQUEST_SENT.name]
    assert [v.raw if isinstance(v, Invalid) else v for v in values] == [
        14, 46085, dt.date(1900, 1, 14), dt.date(2026, 3, 4), dt.date(2026, 3, 4)
    ]
    assert all(isinstance(v, Invalid) for v in values[:2])


def test_1904_date_system(tmp_path: Path) -> None:
    """In a 1904-date workbook dates read as themselves and a General number is still not a date."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    path = _numbers_under_formats(tmp_path / "mac.xlsx", CALENDAR_MAC_1904)
    with zipfile.ZipFile(path) as zf:
        assert b'date1904="1"' in zf.read("xl/workbook.xml")
    values = read_workbook(path).contacts.data[S.REQUEST_SENT.name]
    assert [v.raw if isinstance(v, Invalid) else v for v in values] == [
        14, 46085, dt.date(1904, 1, 15), dt.date(2030, 3, 5), dt.date(2026, 3, 4)
    ]


def test_profile_defaults_and_values(make_book: MakeBook) -> None:
    """Profile values are read by setting name; blanks fall back to the defaults."""
    path = make_book(profile={S.YOUR_NAME.name: "Dana Lee", S.FOLLOW_UP_AFTER.name: None})
    profile = read_workbook(path).profile
    assert profile.get(S.YOUR_NAME) == "Dana Lee"
    assert profile.number(S.FOLLOW_UP_AFTER) == 7
    assert profile.cells[S.YOUR_NAME.name] == "B2"


def test_missing_profile_and_questions_mean_defaults(make_book: MakeBook) -> None:
    """Only Contacts is required."""
    campaign = read_workbook(make_book([contact(first_name="A", status="Prospect")]))
    assert campaign.profile.number(S.KEEP_IN_TOUCH_EVERY) == 90
    assert len(campaign.questions) == 0


def test_questions_read(make_book: MakeBook) -> None:
    """Questions rows arrive with their theme normalised."""
    q = {S.Q_CONTACT.name: "Ann Lee", S.Q_QUESTION.name: "How did you start?", S.Q_THEME.name: "career path"}
    campaign = read_workbook(make_book([contact(first_name="Ann", status="Prospect")], questions=[q]))
    assert campaign.questions.data[S.Q_THEME.name] == ["Career Path"]


def test_contacts_frame(make_book: MakeBook) -> None:
    """Python users get the contacts as a DataFrame indexed by row, dates as datetimes."""
    path = make_book([contact(first_name="Ann", status="Requested", request_sent=dt.date(2026, 3, 4))])
    frame = read_workbook(path).contacts_frame()
    assert list(frame.columns[: len(S.CONTACTS.headers)]) == list(S.CONTACTS.headers)
    assert frame.loc[2, S.FIRST_NAME.name] == "Ann"
    assert str(frame.loc[2, S.REQUEST_SENT.name].date()) == "2026-03-04"


def test_no_contacts_sheet(make_book: MakeBook) -> None:
    """A workbook without Contacts is an error that names the sheets it has."""
    path = make_book([], sheet_name="People")
    with pytest.raises(WorkbookError, match="no `Contacts` sheet"):
        read_workbook(path)


def test_no_header_row(make_book: MakeBook) -> None:
    """A Contacts sheet without a First Name header cannot be read."""
    path = make_book([{"Name": "Ann"}], headers=["Name", "Where"])
    with pytest.raises(WorkbookError, match="no header row"):
        read_workbook(path)


def test_reading_does_not_modify_the_file(make_book: MakeBook) -> None:
    """The workbook's bytes are untouched by reading."""
    path = make_book([contact(first_name="Ann", status="Prospect")])
    before = path.read_bytes()
    read_workbook(path)
    assert path.read_bytes() == before


SAMPLES = Path(__file__).resolve().parent.parent / "sample_workbooks"


def _contents(c: Campaign) -> tuple[object, ...]:
    tables = [(t.sheet, t.header_row, t.rows, t.data, t.letters, t.extras) for t in (c.contacts, c.questions)]
    return (*tables, c.profile.values, c.sheet_names)


@pytest.mark.parametrize("name", ["example.xlsx", "messy.xlsx"])
def test_contacts_read_on_a_thread_give_the_same_campaign(name: str) -> None:
    """Reading Contacts on a second thread while Questions is read gives exactly the sequential result."""
    path = SAMPLES / name
    assert _contents(_read_checked(path, parallel=True)) == _contents(_read_checked(path, parallel=False))


def test_error_on_the_contacts_thread_reaches_the_caller(make_book: MakeBook) -> None:
    """A Contacts sheet that cannot be read fails the read the same way when read on a thread."""
    path = make_book([{"Name": "Ann"}], headers=["Name", "Where"],
                     questions=[{S.Q_CONTACT.name: "Ann", S.Q_QUESTION.name: "How?"}])
    for parallel in (True, False):
        with pytest.raises(WorkbookError, match="no header row"):
            _read_checked(path, parallel=parallel)


def _failing_rows(monkeypatch: pytest.MonkeyPatch, failures: dict[str, BaseException], slow: str = "",
                  pause: float = 0.3) -> None:
    """Make reading the named sheets raise; ``slow`` takes ``pause`` seconds first, as a cohort's Contacts does."""
    import time

    import sheetkit.reader as reader_module

    real = reader_module._rows

    def rows(book: object, name: str, p: Path) -> list[list[object]]:
        if name == slow:
            time.sleep(pause)
        if name in failures:
            raise failures[name]
        return real(book, name, p)

    monkeypatch.setattr(reader_module, "_rows", rows)


@pytest.mark.parametrize("parallel", [True, False])
def test_contacts_error_comes_first_when_both_sheets_fail(monkeypatch: pytest.MonkeyPatch, parallel: bool) -> None:
    """When Contacts and Questions both fail, the Contacts error is the one reported, threaded or not."""
    _failing_rows(monkeypatch, {"Contacts": WorkbookError("contacts broken"),
                                "Questions": WorkbookError("questions broken")}, slow="Contacts")
    with pytest.raises(WorkbookError, match="contacts broken"):
        _read_checked(SAMPLES / "example.xlsx", parallel=parallel)


def test_questions_error_still_reported_when_contacts_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Questions error alone is reported once the Contacts thread is done."""
    _failing_rows(monkeypatch, {"Questions": WorkbookError("questions broken")}, slow="Contacts")
    with pytest.raises(WorkbookError, match="questions broken"):
        _read_checked(SAMPLES / "example.xlsx", parallel=True)


def test_ctrl_c_is_not_held_up_by_the_contacts_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C on the main thread while Contacts is still being read comes out as KeyboardInterrupt, at once."""
    import threading

    _failing_rows(monkeypatch, {"Questions": KeyboardInterrupt()}, slow="Contacts", pause=1.0)
    with pytest.raises(KeyboardInterrupt):
        _read_checked(SAMPLES / "example.xlsx", parallel=True)
    reading = [t for t in threading.enumerate() if t.name == "sheetkit-read-contacts"]
    assert reading and reading[0].is_alive(), "the interrupt waited for the Contacts thread"
    reading[0].join()


def test_a_workbook_from_before_the_new_settings_reads_with_defaults(tmp_path: Path) -> None:
    """A Profile without the rows added later (Date Style, Time Zone, …) and Contacts without Salutation still read."""
    wb = openpyxl.Workbook()
    contacts = wb.active
    contacts.title = S.CONTACTS.name
    old_headers = [h for h in S.CONTACTS.headers if h != S.SALUTATION.name]
    contacts.append(old_headers)
    contacts.append(["Ann" if h == S.FIRST_NAME.name else "Prospect" if h == S.STATUS.name else None
                     for h in old_headers])
    profile = wb.create_sheet(S.PROFILE.name)
    profile.append([S.PROFILE_SETTING, S.PROFILE_VALUE])
    profile.append([S.YOUR_NAME.name, "Sam Writer"])
    profile.append([S.FOLLOW_UP_AFTER.name, 5])
    path = tmp_path / "old.xlsx"
    wb.save(path)
    campaign = read_workbook(path)
    assert campaign.contacts.data[S.SALUTATION.name] == [None]
    assert campaign.profile.get(S.DATE_STYLE) == S.DAY_MONTH_YEAR
    assert campaign.profile.get(S.TIME_ZONE) is None and campaign.profile.get(S.AVAILABILITY) is None
    assert campaign.profile.number(S.FOLLOW_UP_AFTER) == 5
def _letter(header: str, headers: list[str] | tuple[str, ...] = S.CONTACTS.headers) -> str:
    return column_letter(list(headers).index(header))


def test_formula_errors_are_unknown_not_empty(make_book: MakeBook) -> None:
    """Cells showing #N/A, #VALUE! or #REF! are listed with their error; no column reads them as empty."""
    headers = [*S.CONTACTS.headers, "Pronouns"]
    ann = {**contact(first_name="Ann", status="X", email="X", thank_you_sent="X", notes="X"), "Pronouns": "X"}
    path = make_book([ann, contact(first_name="Bo", status="Prospect")], headers=headers,
                     profile={S.FOLLOW_UP_AFTER.name: "X"})
    broken = {
        S.EMAIL.name: ("INDEX(Lists!C:C,99)", "#N/A"),
        S.STATUS.name: ("VLOOKUP(A2,Lists!A:B,2,0)", "#N/A"),
        S.THANK_YOU_SENT.name: ('DATEVALUE("30/10/2026")', "#VALUE!"),
        S.NOTES.name: ("#REF!&A2", "#REF!"),
        "Pronouns": ("NA()", "#N/A"),
    }
    corpus.replace_cells(path, {f"{_letter(h, headers)}2": corpus.error_cell(f"{_letter(h, headers)}2", *fs)
                                for h, fs in broken.items()})
    setting_row = S.PROFILE_SETTINGS.index(S.FOLLOW_UP_AFTER) + 2
    corpus.replace_cells(path, {f"B{setting_row}": corpus.error_cell(f"B{setting_row}", "1/0", "#DIV/0!")},
                         part="xl/worksheets/sheet2.xml")
    campaign = read_workbook(path)
    c = campaign.contacts
    for column, shown in ((S.STATUS, "#N/A"), (S.THANK_YOU_SENT, "#VALUE!")):
        value = c.data[column.name][0]
        assert isinstance(value, Invalid) and value.raw == CellError(shown)
    assert c.data[S.EMAIL.name][0] is None and c.data[S.NOTES.name][0] is None
    assert c.extras["Pronouns"] == [None, None]
    assert c.errors == {0: [CellErrorAt(h, _letter(h, headers), shown) for h, (_, shown) in broken.items()]}
    assert c.take([1, 0]).errors == {1: c.errors[0]}
    assert campaign.profile.errors == {S.FOLLOW_UP_AFTER.name: "#DIV/0!"}
    assert campaign.profile.number(S.FOLLOW_UP_AFTER) == 7
    assert campaign.profile.cells[S.FOLLOW_UP_AFTER.name] == f"B{setting_row}"


def test_table_totals_rows_are_not_data(tmp_path: Path) -> None:
    """The totals row of an Excel Table over Contacts or Questions ("Total", a SUBTOTAL count) is not read as a row."""
    campaign = read_workbook(corpus.make_tables_with_totals(tmp_path))
    assert campaign.contacts.rows == [2, 3]
    assert campaign.contacts.data[S.STATUS.name] == ["Prospect", "Prospect"]
    assert campaign.questions.rows == [2]


def test_merged_cells_count_for_every_row_they_cover(make_book: MakeBook) -> None:
    """A Status merged over two rows is both rows' Status; a merge across columns stays in its first column."""
    rows = [contact(first_name="Ann", status="Requested", request_sent="2026-11-02", common_ground="Same school"),
            contact(first_name="Bo", request_sent="2026-11-03"), contact(first_name="Cy", status="Prospect")]
    path = make_book(rows)
    wb = openpyxl.load_workbook(path)
    ws = wb[S.CONTACTS.name]
    status, common, request = (_letter(c.name) for c in (S.STATUS, S.COMMON_GROUND, S.REQUEST_SENT))
    ws.merge_cells(f"{status}2:{status}3")
    ws.merge_cells(f"{common}2:{_letter(S.WHY_THEM.name)}3")
    ws.merge_cells(f"{request}1:{request}2")  # the header merged with the first row below it
    wb.save(path)
    c = read_workbook(path).contacts
    assert c.data[S.STATUS.name] == ["Requested", "Requested", "Prospect"]
    assert c.data[S.COMMON_GROUND.name] == ["Same school", "Same school", None]
    assert c.data[S.WHY_THEM.name] == [None, None, None]
    assert c.data[S.REQUEST_SENT.name] == [None, dt.date(2026, 11, 3), None]


def test_second_header_for_a_column_is_recorded_not_read(make_book: MakeBook) -> None:
    """A header naming a column again (as written or spelt otherwise) is listed, and its cells are not read."""
    headers = ["First Name", "Status", "Email", "E-mail", "Pronouns", "Pronouns", "email "]
    row = {"First Name": "Ann", "Status": "Prospect", "Email": "ann@example.com", "E-mail": "ann@work.example",
           "Pronouns": "she/her"}
    c = read_workbook(make_book([row], headers=headers)).contacts
    assert c.data[S.EMAIL.name] == ["ann@example.com"]
    assert c.extras == {"Pronouns": ["she/her"]}
    assert c.duplicates == [Duplicate("Email", 1, "D1", "C"), Duplicate("Pronouns", 1, "F1", "E"),
                            Duplicate("Email", 1, "G1", "C")]


def test_second_profile_setting_is_recorded_not_read(make_book: MakeBook) -> None:
    """A setting given again further down the Profile is listed, and the first value is the one used."""
    path = make_book([contact(first_name="Ann", status="Prospect")], profile={S.MY_EMAIL.name: "me@example.com"})
    wb = openpyxl.load_workbook(path)
    ws = wb[S.PROFILE.name]
    ws.append([S.MY_EMAIL.name, "other@example.com"])
    wb.save(path)
    profile = read_workbook(path).profile
    first = profile.cells[S.MY_EMAIL.name]
    assert profile.get(S.MY_EMAIL) == "me@example.com"
    assert profile.duplicates == [Duplicate(S.MY_EMAIL.name, ws.max_row, f"A{ws.max_row}", first)]


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux file systems take file names that are not UTF-8")
def test_file_name_that_is_not_utf8(make_book: MakeBook) -> None:
    """A file whose name is not valid UTF-8 (b"caf\\xe9.xlsx") reads like any other."""
    path = make_book([contact(first_name="Ann", status="Prospect")], name=os.fsdecode(b"caf\xe9.xlsx"))
    assert read_workbook(path).contacts.data[S.FIRST_NAME.name] == ["Ann"]


@pytest.fixture(scope="module")
def calc_saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """corpus.make_calc_errors opened and saved as .ods by LibreOffice Calc."""
    lo.require_soffice()
    folder = tmp_path_factory.mktemp("calc")
    return lo.convert(corpus.make_calc_errors(folder), "ods", folder / "ods")


@pytest.mark.libreoffice
def test_ods_saved_by_calc_keeps_errors_tabs_and_merges(calc_saved: Path) -> None:
    """Calc's Err:502 and #N/A are errors, not blanks; a tab in a note stays; a merged Status counts for both rows."""
    c = read_workbook(calc_saved).contacts
    thanked, status = c.data[S.THANK_YOU_SENT.name][0], c.data[S.STATUS.name][1]
    assert isinstance(thanked, Invalid) and thanked.raw == CellError("Err:502")
    assert isinstance(status, Invalid) and status.raw == CellError("#N/A")
    assert c.errors == {0: [CellErrorAt(S.THANK_YOU_SENT.name, _letter(S.THANK_YOU_SENT.name), "Err:502")],
                        1: [CellErrorAt(S.STATUS.name, _letter(S.STATUS.name), "#N/A")]}
    assert c.data[S.NOTES.name][0] == "Met at\tthe fair"
    assert c.data[S.STATUS.name][2:] == ["Requested", "Requested"]


def test_interview_times_survive_the_read_in_xlsx_and_ods(tmp_path: Path, make_book: MakeBook) -> None:
    """A date-time in Interview Date keeps its time beside the date, in an .xlsx and in LibreOffice's .ods."""
    path = make_book([
        contact(first_name="Ann", status="Scheduled", interview_date=dt.datetime(2026, 12, 2, 15, 30)),
        contact(first_name="Bo", status="Scheduled", interview_date=dt.date(2026, 12, 3)),
        contact(first_name="Cy", status="Scheduled", interview_date="2026-12-04 08:05"),
    ])
    lo.require_soffice()
    ods = lo.convert(path, "ods", tmp_path / "ods")
    for book in (path, ods):
        contacts = read_workbook(book).contacts
        assert contacts.data[schema.INTERVIEW_DATE.name] == [dt.date(2026, 12, 2), dt.date(2026, 12, 3),
                                                            dt.date(2026, 12, 4)]
        assert contacts.times == {schema.INTERVIEW_DATE.name: {0: dt.time(15, 30), 2: dt.time(8, 5)}}
        assert contacts.take([2, 1]).times == {schema.INTERVIEW_DATE.name: {0: dt.time(8, 5)}}
