"""What is due: each action rule on the day it becomes due and the day before."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from sheetkit import schema
from sheetkit.agenda import plan
from sheetkit.cli import app
from sheetkit.kinds import FOLLOW_UP, KEEP_IN_TOUCH, Kind, all_kinds
from sheetkit.planner import Plan, add_business_days
from sheetkit.reader import column_letter, read_workbook
from tests import corpus, lo
from tests.conftest import TODAY, MakeBook, contact

S = schema
D = dt.date
FRIDAY = D(2026, 11, 20)
SAMPLES = Path(__file__).resolve().parent.parent / "sample_workbooks"


def row(**fields: Any) -> dict[str, Any]:
    base = dict(first_name="Ann", last_name="Lee", email="ann@example.com", common_ground="Same school")
    base.update(fields)
    return contact(**base)


def planned(make_book: MakeBook, rows: list[dict[str, Any]], today: dt.date, **options: Any) -> Plan:
    return plan(read_workbook(make_book(rows, **options)), today)


def kinds(p: Plan) -> list[tuple[str, str, bool]]:
    return [(str(a.kind), a.due.isoformat(), a.overdue) for a in p.actions]


def test_business_days_skip_weekends() -> None:
    """A request sent on a Friday is followed up seven business days later, on the second Tuesday."""
    assert add_business_days(FRIDAY, 7) == D(2026, 12, 1)
    assert add_business_days(D(2026, 11, 21), 1) == D(2026, 11, 23)  # Saturday → Monday
    assert add_business_days(FRIDAY, 0) == FRIDAY


def test_outreach_for_to_contact_without_request(make_book: MakeBook) -> None:
    """To Contact with no Request Sent is due today; once sent, it is not."""
    assert kinds(planned(make_book, [row(status="To Contact")], FRIDAY)) == [("outreach", "2026-11-20", False)]
    assert planned(make_book, [row(status="To Contact", request_sent=FRIDAY)], FRIDAY).actions == []


def test_follow_up_due_seven_business_days_after_a_friday(make_book: MakeBook) -> None:
    """Follow-up: not on the Monday before, due on the Tuesday, overdue the day after."""
    rows = [row(status="Requested", request_sent=FRIDAY)]
    assert planned(make_book, rows, D(2026, 11, 30)).actions == []
    assert kinds(planned(make_book, rows, D(2026, 12, 1))) == [("follow-up", "2026-12-01", False)]
    assert kinds(planned(make_book, rows, D(2026, 12, 2))) == [("follow-up", "2026-12-01", True)]


def test_follow_up_setting_and_already_followed(make_book: MakeBook) -> None:
    """The Profile's business days are used; a Followed Up date ends the reminder."""
    rows = [row(status="Requested", request_sent=FRIDAY)]
    p = planned(make_book, rows, D(2026, 11, 23), profile={S.FOLLOW_UP_AFTER.name: 1})
    assert kinds(p) == [("follow-up", "2026-11-23", False)]
    rows = [row(status="Requested", request_sent=FRIDAY, followed_up=D(2026, 12, 1))]
    assert planned(make_book, rows, D(2026, 12, 3)).actions == []


def test_a_reply_stops_the_chasing_and_asks_to_schedule(make_book: MakeBook) -> None:
    """Last Contact after the request (typed by hand or from the mailbox): a reply action, no follow-up or call."""
    replied = row(status="Requested", request_sent=FRIDAY, phone="+1 555 0100", last_contact=D(2026, 11, 24))
    p = planned(make_book, [replied], D(2026, 12, 2))
    assert kinds(p) == [("reply", "2026-11-24", False)]
    assert p.actions[0].note == "replied on 2026-11-24" and p.letters() == []
    # A Last Contact from before the request, or before the follow-up, is no answer to it.
    before = row(status="Requested", request_sent=FRIDAY, last_contact=D(2026, 11, 19))
    assert kinds(planned(make_book, [before], D(2026, 12, 2))) == [("follow-up", "2026-12-01", True)]
    chased = row(status="Requested", request_sent=FRIDAY, followed_up=D(2026, 12, 1), last_contact=D(2026, 11, 24))
    assert planned(make_book, [chased], D(2026, 12, 2)).actions == []
    # Once they are Scheduled the reply has done its work.
    assert planned(make_book, [{**replied, S.STATUS.name: "Scheduled", S.INTERVIEW_DATE.name: D(2026, 12, 9)}],
                   D(2026, 12, 2)).actions[0].kind.name == "prepare"


def test_a_reply_on_the_day_of_the_request_counts_when_its_time_is_there(make_book: MakeBook) -> None:
    """A Last Contact on the request's own day is a reply only with a time (as the mailbox records it)."""
    timed = row(status="Requested", request_sent=FRIDAY, last_contact=dt.datetime.combine(FRIDAY, dt.time(15, 40)))
    assert kinds(planned(make_book, [timed], D(2026, 12, 2))) == [("reply", FRIDAY.isoformat(), False)]
    dated = row(status="Requested", request_sent=FRIDAY, last_contact=FRIDAY)
    assert kinds(planned(make_book, [dated], D(2026, 12, 2))) == [("follow-up", "2026-12-01", True)]
    # Both with times: the later one is the answer, an earlier one is not.
    asked_late = row(status="Requested", request_sent=dt.datetime.combine(FRIDAY, dt.time(16, 0)),
                     last_contact=dt.datetime.combine(FRIDAY, dt.time(15, 40)))
    assert kinds(planned(make_book, [asked_late], D(2026, 12, 2))) == [("follow-up", "2026-12-01", True)]


def test_call_when_phone_known(make_book: MakeBook) -> None:
    """With a phone number the follow-up also puts a call on the agenda."""
    rows = [row(status="Requested", request_sent=FRIDAY, phone="+1 555 0100")]
    p = planned(make_book, rows, D(2026, 12, 1))
    assert [str(a.kind) for a in p.actions] == ["follow-up", "call"]
    assert p.actions[1].note == "+1 555 0100"
    assert [str(a.kind) for a in p.letters()] == ["follow-up"]


def test_thank_you_due_on_interview_day_overdue_after_two_days(make_book: MakeBook) -> None:
    """Thank-you: not the day before, due on the day, overdue on the third day after."""
    rows = [row(status="Scheduled", interview_date=FRIDAY)]
    q = [{S.Q_CONTACT.name: "Ann Lee", S.Q_QUESTION.name: f"Q{n}?"} for n in range(4)]
    assert planned(make_book, rows, D(2026, 11, 19), questions=q).actions == []
    rows = [row(status="Interviewed", interview_date=FRIDAY, key_takeaways="x")]
    assert kinds(planned(make_book, rows, FRIDAY)) == [("thank-you", "2026-11-20", False)]
    assert kinds(planned(make_book, rows, D(2026, 11, 22))) == [("thank-you", "2026-11-20", False)]
    assert kinds(planned(make_book, rows, D(2026, 11, 23))) == [("thank-you", "2026-11-20", True)]
    rows = [row(status="Thanked", interview_date=FRIDAY, thank_you_sent=FRIDAY, key_takeaways="x")]
    assert planned(make_book, rows, D(2026, 11, 23)).actions == []


def test_keep_in_touch_after_later_of_last_contact_and_thanks(make_book: MakeBook) -> None:
    """Keep-in-touch is due 90 days after the later of Last Contact and Thank-You Sent."""
    rows = [row(status="Keeping In Touch", interview_date=D(2026, 5, 1), thank_you_sent=D(2026, 5, 2),
                last_contact=D(2026, 8, 1))]
    due = D(2026, 8, 1) + dt.timedelta(days=90)
    assert planned(make_book, rows, due - dt.timedelta(days=1)).actions == []
    assert kinds(planned(make_book, rows, due)) == [("keep-in-touch", due.isoformat(), False)]
    assert kinds(planned(make_book, rows, due + dt.timedelta(days=1))) == [("keep-in-touch", due.isoformat(), True)]


def test_prepare_when_scheduled_with_few_questions(make_book: MakeBook) -> None:
    """Scheduled with three questions asks to prepare; with four, nothing."""
    rows = [row(status="Scheduled", interview_date=D(2026, 12, 3))]
    q = [{S.Q_CONTACT.name: "Ann Lee", S.Q_QUESTION.name: f"Q{n}?"} for n in range(3)]
    p = planned(make_book, rows, FRIDAY, questions=q)
    assert kinds(p) == [("prepare", "2026-11-20", False)]
    q.append({S.Q_CONTACT.name: "ann lee", S.Q_QUESTION.name: "Q4?"})
    assert planned(make_book, rows, FRIDAY, questions=q).actions == []


def test_add_referral_for_names_not_yet_contacts(make_book: MakeBook) -> None:
    """Each referral not yet in Contacts is an add-referral action named after the referral."""
    rows = [
        row(status="Thanked", interview_date=D(2026, 11, 2), thank_you_sent=D(2026, 11, 3),
            key_takeaways="x", referrals_given="Bo Chen; Cy Dee"),
        row(first_name="Bo", last_name="Chen", email="bo@example.com", status="Prospect"),
    ]
    p = planned(make_book, rows, FRIDAY)
    assert [(str(a.kind), a.contact, a.row) for a in p.actions] == [("add-referral", "Cy Dee", 2)]


def test_a_name_typed_another_way_finds_its_contact_everywhere(make_book: MakeBook) -> None:
    """'Dr Bo Chén' or 'Chen, Bo' is the contact Bo Chen: no add-referral, no unknown referrer, one tree node."""
    from sheetkit.insights import referral_tree
    from sheetkit.reader import read_workbook
    from sheetkit.validate import check

    rows = [
        row(status="Thanked", interview_date=D(2026, 11, 2), thank_you_sent=D(2026, 11, 3),
            key_takeaways="x", referrals_given="Dr Bo Chén; Cy Dee"),
        row(first_name="Bo", last_name="Chen", email="bo@example.com", status="Prospect", referred_by="Lee, Ann"),
        row(first_name="Di", last_name="Eve", email="di@example.com", status="Prospect", referred_by="Chen, Bo"),
    ]
    book = make_book(rows, profile={})
    p = planned(make_book, rows, FRIDAY)
    assert [(str(a.kind), a.contact) for a in p.actions] == [("add-referral", "Cy Dee")]
    campaign = read_workbook(book)
    assert "unknown-referrer" not in {i.code for i in check(campaign, FRIDAY).issues}
    assert [(r.name, r.suggested_by) for r in referral_tree(campaign) if r.name in ("Bo Chen", "Di Eve")] == [
        ("Bo Chen", "Ann Lee"), ("Di Eve", "Bo Chen")]


def test_letters_held_for_rows_with_errors(make_book: MakeBook) -> None:
    """A row with an invalid email gets no letter; it is held and the call stays."""
    rows = [row(status="Requested", request_sent=FRIDAY, email="ann at example", phone="555")]
    p = planned(make_book, rows, D(2026, 12, 1))
    assert [str(a.kind) for a in p.actions] == ["call"]
    assert [str(a.kind) for a in p.held] == ["follow-up"]


def test_pipeline_counts_and_fields(make_book: MakeBook) -> None:
    """Counts cover every status; fields group ignoring case and count interviews against the goal."""
    rows = [
        row(status="Interviewed", field="UX", interview_date=FRIDAY, key_takeaways="x"),
        row(first_name="B", email="b@example.com", status="thanked", field="ux", interview_date=FRIDAY,
            thank_you_sent=FRIDAY, key_takeaways="x"),
        row(first_name="C", email="c@example.com", status="Requested", field="Data", request_sent=FRIDAY),
    ]
    p = planned(make_book, rows, FRIDAY, profile={S.INTERVIEWS_PER_FIELD_GOAL.name: 5})
    assert p.counts == {str(s): {"Interviewed": 1, "Thanked": 1, "Requested": 1}.get(str(s), 0) for s in S.Status}
    assert [f.to_dict() for f in p.fields] == [
        {"field": "Data", "interviews": 0, "goal": 5},
        {"field": "UX", "interviews": 2, "goal": 5},
    ]
    assert (p.asked, p.answered, p.answered_percent) == (3, 2, 67)


def test_overdue_first() -> None:
    """The agenda lists overdue actions first, then by due date."""
    p = plan(read_workbook(SAMPLES / "example.xlsx"), D(2026, 11, 25))
    flags = [a.overdue for a in p.actions]
    assert flags == sorted(flags, reverse=True)


def test_example_agenda_is_what_the_method_says() -> None:
    """On 2026-11-25 the bundled example has exactly these actions due."""
    p = plan(read_workbook(SAMPLES / "example.xlsx"), D(2026, 11, 25))
    got = sorted((str(a.kind), a.contact) for a in p.actions)
    assert got == sorted([
        ("outreach", "Siobhán Kelly"), ("outreach", "Robert Ashdown"), ("outreach", "Elena Petrova"),
        ("outreach", "Tom Brennan"), ("follow-up", "Sofia Rossi"), ("follow-up", "Kenji Watanabe"),
        ("call", "Kenji Watanabe"), ("thank-you", "José Álvarez"), ("thank-you", "Hannah Whitfield"),
        ("keep-in-touch", "Zoë Müller"), ("keep-in-touch", "Amara Nwosu"), ("add-referral", "Tomás Herrera"),
    ])
    assert p.held == []


def test_status_json_shape() -> None:
    """`status --format json` prints the README's object: today, counts, fields, actions."""
    result = CliRunner().invoke(app, ["status", str(SAMPLES / "example.xlsx"), "--today", "2026-11-25",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["today", "counts", "fields", "actions"]
    assert data["today"] == "2026-11-25"
    assert list(data["counts"]) == [str(s) for s in S.Status]
    assert set(data["actions"][0]) == {"kind", "contact", "row", "due", "overdue"}
    assert {a["kind"] for a in data["actions"]} <= {k.name for k in all_kinds()}


def test_status_text_lists_agenda() -> None:
    """The text view shows the pipeline and the agenda with overdue items marked."""
    result = CliRunner().invoke(app, ["status", str(SAMPLES / "example.xlsx"), "--today", "2026-11-25"])
    assert result.exit_code == 0
    for words in ("Pipeline", "Interviews per field", "Agenda", "Zoë Müller", "overdue 15 days", "Requests answered"):
        assert words in result.output


@pytest.mark.parametrize("bad", ["2026-02-30", "tomorrow"])
def test_status_bad_today(bad: str) -> None:
    """A malformed --today is a one-line error, exit 2."""
    result = CliRunner().invoke(app, ["status", str(SAMPLES / "example.xlsx"), "--today", bad])
    assert result.exit_code == 2 and result.stderr.startswith("Error: --today")


def _walk_business_days(start: dt.date, days: int) -> dt.date:
    """The definition, a day at a time: the reference for add_business_days."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


@given(start=st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 1, 1)), days=st.integers(-3, 400))
def test_business_days_by_whole_weeks_match_walking_day_by_day(start: dt.date, days: int) -> None:
    """Adding whole weeks at once gives the same day as walking one day at a time, from any weekday."""
    assert add_business_days(start, days) == _walk_business_days(start, days)


@pytest.mark.parametrize(("setting", "kind"), [(S.FOLLOW_UP_AFTER, FOLLOW_UP),
                                                (S.KEEP_IN_TOUCH_EVERY, KEEP_IN_TOUCH)])
@pytest.mark.parametrize("value", [10**7, 10**12, 10**30])
def test_absurd_intervals_mean_never_due_not_a_crash_or_a_hang(make_book: MakeBook, setting: schema.Setting,
                                                                kind: Kind, value: int) -> None:
    """An interval past the end of the calendar in Profile makes that kind never due; no overflow, no long loop."""
    rows = [contact(first_name="Ann", status="Requested", request_sent="2026-01-05", email="ann@example.com"),
            contact(first_name="Bo", status="Thanked", thank_you_sent="2026-01-05", interview_date="2026-01-02",
                    email="bo@example.com")]
    due = {a.kind for a in plan(read_workbook(make_book(rows)), TODAY).actions}
    assert kind in due
    agenda = plan(read_workbook(make_book(rows, profile={setting.name: value})), TODAY)
    assert kind not in {a.kind for a in agenda.actions}
    assert add_business_days(TODAY, value) == dt.date.max


@pytest.mark.parametrize("profile", [
    {S.YOUR_NAME.name: "Sam\u202eSeeker"},
    {S.YOUR_NAME.name: "S" * 501},
    {S.MY_EMAIL.name: "zoë@example.org"},
])
def test_a_profile_error_drafts_would_refuse_holds_every_letter(make_book: MakeBook, profile: dict[str, Any]) -> None:
    """A From that no draft can carry holds back every letter, the Profile setting named, and keeps the rest due."""
    rows = [row(status="To Contact"), row(first_name="Bo", email="bo@example.com", status="Requested",
                                          request_sent=FRIDAY, phone="555")]
    p = planned(make_book, rows, D(2026, 12, 1), profile=profile)
    assert [str(a.kind) for a in p.held] == ["outreach", "follow-up"]
    assert [str(a.kind) for a in p.actions] == ["call"] and p.letters() == []
    assert p.profile_errors == list(profile)


def test_row_errors_alone_name_no_profile_setting(make_book: MakeBook) -> None:
    """Letters held for their rows' errors name no Profile setting."""
    p = planned(make_book, [row(status="To Contact", first_name="Bo\u202e")], TODAY)
    assert [a.row for a in p.held] == [2] and p.profile_errors == []
def test_cells_showing_errors_draft_nothing_and_hold_their_row_back(make_book: MakeBook) -> None:
    """Excel's #VALUE! in Thank-You Sent drafts no second thank-you; a row with #N/A in Last Contact is held back."""
    rows = [row(status="Interviewed", interview_date=D(2026, 10, 28), thank_you_sent="X", key_takeaways="Noted."),
            row(first_name="Bo", email="bo@example.com", status="Thanked", interview_date=D(2026, 7, 30),
                thank_you_sent=D(2026, 8, 1), last_contact="X", key_takeaways="Noted.")]
    path = make_book(rows)
    thanked, last = (column_letter(S.CONTACTS.headers.index(c.name)) for c in (S.THANK_YOU_SENT, S.LAST_CONTACT))
    corpus.replace_cells(path, {f"{thanked}2": corpus.error_cell(f"{thanked}2", 'DATEVALUE("30/10/2026")', "#VALUE!"),
                                f"{last}3": corpus.error_cell(f"{last}3", "VLOOKUP(A3,Log!A:B,2,0)", "#N/A")})
    p = plan(read_workbook(path), TODAY)
    assert p.actions == []
    assert [(str(a.kind), a.contact) for a in p.held] == [("keep-in-touch", "Bo Lee")]


def test_no_follow_up_from_a_bare_number(make_book: MakeBook) -> None:
    """14 typed into Request Sent (a General cell) is no date: no follow-up falls due as if sent in 1900."""
    assert planned(make_book, [row(status="Requested", request_sent=14)], TODAY).actions == []


@pytest.mark.libreoffice
def test_calc_errors_draft_nothing_and_a_merged_status_counts(tmp_path: Path) -> None:
    """In an .ods saved by Calc, Err:502 in Thank-You Sent drafts no second thank-you; a merged Requested counts."""
    lo.require_soffice()
    path = lo.convert(corpus.make_calc_errors(tmp_path), "ods", tmp_path / "ods")
    p = plan(read_workbook(path), TODAY)
    assert [(str(a.kind), a.contact, a.row) for a in p.letters()] == [
        ("follow-up", "Ann2 Lee2", 4), ("follow-up", "Ann3 Lee3", 5)
    ]
    assert p.held == []
