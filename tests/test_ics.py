"""`sheetkit calendar`: the .ics read back by a second, independent parser (vobject), not by icalendar itself."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import vobject
from rich.console import Console

from sheetkit.errors import UsageError
from sheetkit.ics import write_calendar
from sheetkit.output import print_calendar
from tests.conftest import TODAY, MakeBook, contact

EXAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "example.xlsx"
NEW_YORK = ZoneInfo("America/New_York")


def timed_example(tmp_path: Path) -> Path:
    """The example with times on two of its upcoming interviews (Ngozi at 16:00, Marcus at 09:30)."""
    path = tmp_path / "timed.xlsx"
    shutil.copy(EXAMPLE, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Contacts"]
    column = [c.value for c in ws[1]].index("Interview Date") + 1
    for row, when in ((8, dt.datetime(2026, 11, 30, 16, 0)), (9, dt.datetime(2026, 12, 2, 9, 30))):
        ws.cell(row, column).value = when
        ws.cell(row, column).number_format = "yyyy-mm-dd hh:mm"
    wb.save(path)
    return path


def read_back(path: Path) -> list[vobject.base.Component]:
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
    return list(calendar.vevent_list)


def test_one_event_per_upcoming_interview_at_local_times_with_alarms(tmp_path: Path) -> None:
    """Each interview on or after today is one event; timed ones in the Profile's zone for 30 minutes."""
    out = tmp_path / "interviews.ics"
    write_calendar(timed_example(tmp_path), out, TODAY)
    interviews = {e.summary.value: e for e in read_back(out) if e.summary.value.startswith("Informational")}
    assert sorted(interviews) == [
        "Informational interview: Hannah Whitfield (Northwind Health)",
        "Informational interview: Liam O'Connor (Wide World Learning)",
        "Informational interview: Marcus Bell (Tailspin Toys)",
        "Informational interview: Ngozi Adeyemi (Adventure Works Online)",
    ]
    ngozi = interviews["Informational interview: Ngozi Adeyemi (Adventure Works Online)"]
    start, end = ngozi.dtstart.value, ngozi.dtend.value
    assert start == dt.datetime(2026, 11, 30, 16, 0, tzinfo=NEW_YORK)
    assert start.utcoffset() == dt.timedelta(hours=-5) and end - start == dt.timedelta(minutes=30)
    assert "DTSTART;TZID=America/New_York:20261130T160000" in out.read_text(encoding="utf-8")
    marcus = interviews["Informational interview: Marcus Bell (Tailspin Toys)"]
    assert marcus.dtstart.value.astimezone(dt.UTC) == dt.datetime(2026, 12, 2, 14, 30, tzinfo=dt.UTC)
    liam = interviews["Informational interview: Liam O'Connor (Wide World Learning)"]
    assert liam.dtstart.value == dt.date(2026, 12, 4)  # a date alone: an all-day event
    for event in interviews.values():
        assert [a.trigger.value for a in event.valarm_list] == [dt.timedelta(days=-1)]
        assert [a.action.value for a in event.valarm_list] == ["DISPLAY"]
    text = out.read_text(encoding="utf-8")
    assert "BEGIN:VTIMEZONE" in text and "TZID:America/New_York" in text


def test_description_holds_contact_questions_and_pitch(tmp_path: Path) -> None:
    """The interview's description: who (with email and phone), the prepared questions, the elevator pitch."""
    out = tmp_path / "c.ics"
    write_calendar(EXAMPLE, out, TODAY)
    marcus = next(e for e in read_back(out) if "Marcus Bell (Tailspin" in e.summary.value)
    description = marcus.description.value
    assert description.startswith("Contact: Marcus Bell, ")
    assert "\nEmail: marcus.bell@example.com\nInterview Format: Video\n" in description
    prepared = description.split("Prepared questions:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(prepared) == 5 and all(line.startswith("- ") and line.endswith("?") for line in prepared)
    assert "Your elevator pitch:\nI'm Claire Donnelly." in description


def test_due_actions_are_all_day_events_with_alarms_overdue_on_today(tmp_path: Path) -> None:
    """Every action of today's agenda is an all-day event (overdue ones on today), plus those due ahead."""
    out = tmp_path / "c.ics"
    result = write_calendar(EXAMPLE, out, TODAY)
    actions = [e for e in read_back(out) if not e.summary.value.startswith("Informational")]
    assert len(actions) == len(result.events) - result.interviews == 17
    assert all(isinstance(e.dtstart.value, dt.date) and not isinstance(e.dtstart.value, dt.datetime)
               for e in actions)
    assert all(e.valarm_list and e.dtstart.value >= TODAY for e in actions)
    follow = next(e for e in actions if e.summary.value.startswith("Send a polite follow-up: Sofia Rossi"))
    assert follow.dtstart.value == TODAY and "overdue since 11 November" in follow.summary.value
    ahead = next(e for e in actions if e.summary.value.startswith("Send a thank-you: Marcus Bell"))
    assert ahead.dtstart.value == dt.date(2026, 12, 2)


def test_second_run_gives_the_same_uids_and_bytes(tmp_path: Path) -> None:
    """UIDs are stable (and unique), so importing again updates; the same day gives the same file."""
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    write_calendar(EXAMPLE, first, TODAY)
    write_calendar(EXAMPLE, second, TODAY)
    uids = [e.uid.value for e in read_back(first)]
    assert uids == [e.uid.value for e in read_back(second)] and len(set(uids)) == len(uids)
    assert first.read_bytes() == second.read_bytes()


def test_moved_interview_keeps_its_uid(tmp_path: Path, make_book: MakeBook) -> None:
    """An interview moved to another day is the same event (same UID), so the calendar moves it."""
    row = dict(first_name="Ann", last_name="Lee", status="Scheduled", request_sent=dt.date(2026, 11, 2))
    before = make_book([contact(**row, interview_date=dt.date(2026, 12, 1))])
    after = make_book([contact(**row, interview_date=dt.datetime(2026, 12, 3, 11, 0))])
    write_calendar(before, tmp_path / "a.ics", TODAY)
    write_calendar(after, tmp_path / "b.ics", TODAY)
    a, b = (next(e for e in read_back(tmp_path / f) if e.summary.value.startswith("Informational"))
            for f in ("a.ics", "b.ics"))
    assert a.uid.value == b.uid.value and a.dtstart.value != b.dtstart.value


def test_no_time_zone_gives_floating_times(tmp_path: Path, make_book: MakeBook) -> None:
    """Without a Profile Time Zone a timed interview is a floating time: the calendar's own zone places it."""
    path = make_book([contact(first_name="Ann", status="Scheduled", request_sent=dt.date(2026, 11, 2),
                              interview_date=dt.datetime(2026, 12, 3, 11, 15))])
    out = tmp_path / "c.ics"
    result = write_calendar(path, out, TODAY)
    event = read_back(out)[0]
    assert event.dtstart.value == dt.datetime(2026, 12, 3, 11, 15) and event.dtstart.value.tzinfo is None
    assert result.time_zone is None and "VTIMEZONE" not in out.read_text(encoding="utf-8")


def test_out_must_be_an_ics_file_in_an_existing_folder(tmp_path: Path) -> None:
    """A wrong --out is refused before anything is read or written."""
    for out in (tmp_path / "c.txt", tmp_path / "missing" / "c.ics"):
        with pytest.raises(UsageError):
            write_calendar(EXAMPLE, out, TODAY)
    assert list(tmp_path.iterdir()) == []


def test_cell_text_with_line_breaks_commas_and_semicolons_is_escaped(tmp_path: Path, make_book: MakeBook) -> None:
    """Text typed in cells (Your Name, a name, a company, the pitch) reads back as typed, line breaks and all."""
    odd = "Ann\nLee, Jr.; PhD \\ </x>"
    path = make_book([contact(first_name=odd, last_name="Z", company=odd, status="Scheduled",
                              request_sent=dt.date(2026, 11, 2), interview_date=dt.date(2026, 12, 1))],
                     profile={"Your Name": odd, "Elevator Pitch": odd})
    out = tmp_path / "c.ics"
    write_calendar(path, out, TODAY)
    calendar = vobject.readOne(out.read_text(encoding="utf-8"))
    assert calendar.x_wr_calname.value == f"Informational interviews — {odd}"
    event = next(e for e in calendar.vevent_list if e.summary.value.startswith("Informational"))
    assert event.summary.value == f"Informational interview: {odd} Z ({odd})"
    assert event.description.value.endswith(f"Your elevator pitch:\n{odd}")


def test_a_time_zone_that_names_none_is_reported_not_taken_for_no_time_zone(
        tmp_path: Path, make_book: MakeBook) -> None:
    """A misspelt Time Zone leaves times floating, and the result and the summary say so instead of 'no Time Zone'."""
    path = make_book([contact(first_name="Ann", status="Scheduled", request_sent=dt.date(2026, 11, 2),
                              interview_date=dt.datetime(2026, 12, 3, 11, 15))],
                     profile={"Time Zone": "Mars/Olympus"})
    result = write_calendar(path, tmp_path / "c.ics", TODAY)
    assert result.time_zone is None and result.to_dict()["unknown_time_zone"] == "Mars/Olympus"
    console = Console(record=True, width=200)
    print_calendar(result, str(path), console)
    shown = console.export_text()
    assert "'Mars/Olympus'" in shown and "no Time Zone in the Profile" not in shown


def test_two_contacts_sharing_a_name_get_events_of_their_own(tmp_path: Path, make_book: MakeBook) -> None:
    """Two John Smiths at different companies: every UID in the file is unique, so no calendar drops one."""
    rows = [contact(first_name="John", last_name="Smith", company=company, email=email, status="Scheduled",
                    request_sent=dt.date(2026, 11, 2), interview_date=when)
            for company, email, when in (("A", "j@a.org", dt.date(2026, 12, 1)),
                                         ("B", "j@b.org", dt.date(2026, 12, 3)))]
    out = tmp_path / "c.ics"
    write_calendar(make_book(rows), out, TODAY)
    uids = [e.uid.value for e in read_back(out)]
    interviews = [e for e in read_back(out) if e.summary.value.startswith("Informational")]
    assert len(interviews) == 2 and len(set(uids)) == len(uids)


def test_an_add_referral_event_is_about_the_person_to_add_not_the_referrer(tmp_path: Path) -> None:
    """Tomás Herrera's add-to-Contacts event says who suggested him, but carries none of Daniel Okafor's details."""
    out = tmp_path / "c.ics"
    write_calendar(EXAMPLE, out, TODAY)
    event = next(e for e in read_back(out) if e.summary.value.startswith("Add to Contacts: Tomás Herrera"))
    description = event.description.value
    assert "suggested by Daniel Okafor" in description
    assert "Contact:" not in description and "Email:" not in description and "@" not in description
