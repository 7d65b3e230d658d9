"""Printing for people: Rich tables, and plain aligned columns once a table is cohort-sized."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from sheetkit.issues import Issue, Report
from sheetkit.output import PLAIN_FROM, Cell, Column, print_annotated, print_plan, print_report, print_table


def capture() -> tuple[Console, io.StringIO]:
    """A console writing into a string, as wide as a wide terminal, without colours."""
    buffer = io.StringIO()
    return Console(file=buffer, width=200, color_system=None, highlight=False), buffer


COLUMNS = [Column("Name"), Column("Row", right=True), Column("Note")]


def rows(n: int) -> list[list[Cell]]:
    return [[f"Contact {i}", str(i + 2), (f"note {i}", "red")] for i in range(n)]


def test_small_table_is_a_rich_table() -> None:
    """Below the threshold the table has Rich's box drawing and every row."""
    con, buffer = capture()
    print_table(con, "Agenda", COLUMNS, rows(3))
    out = buffer.getvalue()
    assert "┃ Name" in out and "Contact 2" in out and "note 2" in out


def test_cohort_sized_table_is_plain_aligned_columns_with_every_row() -> None:
    """From the threshold up every row is printed, one per line, in aligned columns under a header."""
    con, buffer = capture()
    n = PLAIN_FROM + 5
    print_table(con, "Agenda", COLUMNS, rows(n))
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "Agenda"
    assert lines[1].split() == ["Name", "Row", "Note"]
    assert set(lines[2].replace(" ", "")) == {"-"}
    body = lines[3:]
    assert len(body) == n and "┃" not in buffer.getvalue()
    assert body[0].split() == ["Contact", "0", "2", "note", "0"]
    # right-aligned row numbers end where the notes' column begins, on every line
    assert len({line.index("note") for line in body}) == 1
    assert body[-1].startswith(f"Contact {n - 1} ") and body[-1].endswith(f"note {n - 1}")


def test_report_of_a_cohort_lists_every_issue_then_the_summary() -> None:
    """A report with thousands of issues prints each once, the row shown once per group, then one summary line."""
    issues = [
        Issue("error" if i % 2 else "warning", "future-date", "Contacts", 2 + i // 2, "Request Sent",
              f"Q{2 + i // 2}", f"message {i}")
        for i in range(2 * PLAIN_FROM)
    ]
    con, buffer = capture()
    print_report(Report("cohort.xlsx", issues), out=con)
    lines = buffer.getvalue().splitlines()
    body = lines[3:-1]
    assert len(body) == len(issues)
    assert sum(line.startswith("Contacts row ") for line in body) == PLAIN_FROM  # once per row
    assert lines[-1].startswith(f"✗ {PLAIN_FROM} errors, {PLAIN_FROM} warnings in {PLAIN_FROM} rows")


def test_plain_rows_stay_one_line_and_aligned_with_wide_and_broken_cells() -> None:
    """A line break in a cell shows as ↵ on the row's own line; CJK names take two columns each and still align."""
    con, buffer = capture()
    table = rows(PLAIN_FROM)
    table[0] = ["Ann\nMarie", "2", ("first\r\nsecond\tthird", "red")]
    table[1] = ["李小龍", "3", "wide"]
    print_table(con, "Agenda", COLUMNS, table)
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 3 + PLAIN_FROM
    assert lines[3].split("  ")[0] == "Ann↵Marie" and lines[3].endswith("first↵second third")
    starts = {cell_len(line[: line.index(note)]) for line, note in
              [(lines[3], "first"), (lines[4], "wide"), (lines[5], "note 2")]}
    assert len(starts) == 1, "the Note column starts in one place on screen"


def test_brackets_in_cells_are_text_not_markup() -> None:
    """A name with square brackets is printed as typed in a Rich table, as in a plain one, and never crashes."""
    for n in (3, PLAIN_FROM):
        con, buffer = capture()
        table = rows(n)
        table[0] = ["Ann [/x] [bold]Bo[/bold]", "2", "[red]x"]
        print_table(con, "Agenda [/y]", COLUMNS, table)
        out = buffer.getvalue()
        assert "Ann [/x] [bold]Bo[/bold]" in out and "[red]x" in out and "Agenda [/y]" in out


def test_user_text_is_never_markup_even_on_a_markup_console(tmp_path: Path) -> None:
    """Fields, paths and counts print as written on a console that reads markup (a library user's)."""
    from sheetkit.agenda import plan
    from sheetkit.reader import read_workbook
    from tests.conftest import TODAY, build_workbook, contact

    book = build_workbook(tmp_path / "[b]book.xlsx", [contact(first_name="Ann", status="Interviewed",
                                                                 field="UX [/y] Research",
                                                                 interview_date="2026-11-20")])
    buffer = io.StringIO()
    con = Console(file=buffer, width=200, color_system=None, markup=True)
    print_plan(plan(read_workbook(book), TODAY), str(book), out=con)
    out = buffer.getvalue()
    assert "UX [/y] Research" in out and "[b]book.xlsx" in out


def test_letters_held_by_the_profile_say_so_and_are_not_promised(tmp_path: Path) -> None:
    """When a Profile error holds the letters back, status names the setting and offers no letters to draft."""
    from sheetkit.agenda import plan
    from sheetkit.reader import read_workbook
    from tests.conftest import TODAY, build_workbook, contact

    rows = [contact(first_name=f"Ann{i}", status="To Contact", email=f"ann{i}@example.com", common_ground="x")
            for i in range(3)]
    book = build_workbook(tmp_path / "book.xlsx", rows, profile={"Your Name": "Sam\u202eSeeker"})
    con, buffer = capture()
    print_plan(plan(read_workbook(book), TODAY), str(book), out=con)
    out = buffer.getvalue()
    assert "3 letter(s) held back: the Profile has errors in Your Name" in out
    assert "Draft the" not in out


RAW_CELLS = ["Ann\x1b[31mRed", "Bo\u202eeL", "over\rwrite", "bell\x07", "c1\x9b2J", "sep\u2028x", "iso\u2066x"]
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("n", [len(RAW_CELLS), PLAIN_FROM])
def test_raw_control_and_bidi_characters_from_cells_are_shown_escaped(n: int) -> None:
    """An ESC, CR, bell, C1 or bidi character in a cell is printed as its escape, in Rich and plain tables alike."""
    con, buffer = capture()
    table = rows(n)
    for i, raw in enumerate(RAW_CELLS):
        table[i] = [raw, str(i), (raw, "red")]
    print_table(con, "Agenda \x1b]0;title\x07", COLUMNS, table)
    out = buffer.getvalue()
    assert RAW.findall(out) == []
    for shown in ("Ann\\x1b[31mRed", "Bo\\u202eeL", "over\\x0dwrite", "bell\\x07", "c1\\x9b2J", "sep\\u2028x",
                  "iso\\u2066x", "Agenda \\x1b]0;title\\x07"):
        assert shown in out


def test_report_and_plan_show_cell_values_escaped(tmp_path: Path) -> None:
    """validate's messages and status's names and fields reach the terminal with their control characters escaped."""
    from sheetkit.agenda import plan
    from sheetkit.reader import read_workbook
    from sheetkit.validate import check
    from tests.conftest import TODAY, build_workbook, contact

    rows = [contact(first_name="Bo\u202eeL", status="Interviewed", interview_date="2026-11-20", key_takeaways="x",
                    field="UX\x1b[2J", referrals_given="Cy\x07 Dee", email="bo@example.com")]
    campaign = read_workbook(build_workbook(tmp_path / "book.xlsx", rows, profile={"Your Name": "Sam"}))
    con, buffer = capture()
    print_report(check(campaign, TODAY), out=con)
    print_plan(plan(campaign, TODAY), "book.xlsx", out=con)
    out = buffer.getvalue()
    assert RAW.findall(out) == []
    assert "'Bo\\u202eeL'" in out and "UX\\x1b[2J" in out and "Cy\\x07 Dee" in out


def test_report_summary_counts_one_theme_in_the_singular(tmp_path: Path) -> None:
    """A page of one contact with one theme says "1 contact" and "1 theme", not "1 contacts", "1 themes"."""
    import datetime as dt

    from sheetkit.output import print_report_page
    from sheetkit.page import write_report
    from tests.conftest import build_workbook, contact

    book = build_workbook(tmp_path / "t.xlsx", [contact(first_name="Ann", status="Interviewed")],
                          questions=[{"Contact": "Ann", "Question": "Why?", "Answer": "Because.",
                                      "Theme": "Career Path"}])
    con, buffer = capture()
    print_report_page(write_report(book, tmp_path / "r.html", dt.date(2026, 11, 25)), str(book), con)
    assert ": 1 contact, 0 actions due, 1 theme in the learnings digest." in buffer.getvalue()


def test_a_dry_run_to_the_mailbox_says_to_run_again_not_to_send(tmp_path: Path) -> None:
    """After --dry-run nothing is in Drafts: the next step is the real run, not sending from the mail program."""
    from sheetkit.drafts import Draft, DraftsResult
    from sheetkit.mailbox import MailboxDrafts
    from sheetkit.output import print_mailbox_drafts

    draft = Draft("outreach", "Ann Lee", 2, "ann@example.com", "Hello", "", "2026-11-25", message_id="<a@b>")
    con, buffer = capture()
    print_mailbox_drafts(MailboxDrafts("imap.example.com", "Drafts", DraftsResult(None), added=[draft],
                                       dry_run=True), "t.xlsx", con)
    shown = buffer.getvalue()
    assert "without --dry-run" in shown and "send them" not in shown


def test_nothing_new_in_the_mailbox_says_found_there_not_listed() -> None:
    """A second `record --from-mailbox` lists nothing, so its line speaks of what was found in the mailbox."""
    import datetime as dt

    from sheetkit.output import record_summary
    from sheetkit.record import RecordResult

    line = record_summary(RecordResult(Path("t.xlsx"), dt.date(2026, 11, 26), already=3, dated=False), "t.xlsx")
    assert line == "Nothing changed: the 3 actions found in the mailbox are already recorded in t.xlsx."


def test_annotated_copy_counts_each_marked_cell_once() -> None:
    """Two problems in one cell are one marked cell; a problem without a cell marks none."""
    issues = [Issue("error", "future-date", "Contacts", 2, "Request Sent", "Q2", "after today"),
              Issue("warning", "late-thank-you", "Contacts", 2, "Request Sent", "Q2", "late"),
              Issue("error", "future-date", "Contacts", 3, "Request Sent", "Q3", "after today"),
              Issue("error", "missing-column", "Contacts", None, "Status", None, "no Status column")]
    con, buffer = capture()
    print_annotated(Report("t.xlsx", issues), "checked.xlsx", "t.xlsx", out=con)
    assert buffer.getvalue().startswith("Wrote checked.xlsx: 2 cells marked; open it beside t.xlsx")
    con, buffer = capture()
    print_annotated(Report("t.xlsx", issues[-1:]), "checked.xlsx", "t.xlsx", out=con)
    assert buffer.getvalue() == "Wrote checked.xlsx: a clean copy, as t.xlsx has no problems to mark.\n"
