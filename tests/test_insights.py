"""The report's numbers: the status plan as it is, activity per week, medians, the referral tree, the digest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheetkit.agenda import plan
from sheetkit.insights import insights, last_activity, referral_tree, weekly
from sheetkit.reader import read_workbook
from tests.conftest import TODAY, MakeBook, contact

EXAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "example.xlsx"
D = dt.date


def test_example_carries_the_status_plan_unchanged() -> None:
    """The report's status numbers are the plan `status` prints, not a second count."""
    campaign = read_workbook(EXAMPLE)
    day = plan(campaign, TODAY)
    data = insights(campaign, day).to_dict()
    assert data["status"] == day.to_dict()
    assert (data["asked"], data["answered"]) == (14, 10)
    assert data["answer_rate"] == 10 / 14


def test_referral_tree_shows_who_suggested_tomas_herrera() -> None:
    """Tomás Herrera, suggested by Daniel Okafor and not a contact yet, sits under Daniel, under Priya Raman."""
    lines = referral_tree(read_workbook(EXAMPLE))
    by_name = {line.name: line for line in lines}
    tomas = by_name["Tomás Herrera"]
    assert (tomas.suggested_by, tomas.row, tomas.depth) == ("Daniel Okafor", None, 2)
    assert by_name["Daniel Okafor"].suggested_by == "Priya Raman"
    names = [line.name for line in lines]
    assert names.index("Priya Raman") < names.index("Daniel Okafor") < names.index("Tomás Herrera")


def test_digest_groups_the_examples_answers_by_theme() -> None:
    """Every answer of the example's Questions sheet is under its own theme, with who said it."""
    campaign = read_workbook(EXAMPLE)
    themes = insights(campaign, plan(campaign, TODAY)).themes
    q = campaign.questions.data
    expected = {(str(t), a, w) for w, t, a in zip(q["Contact"], q["Theme"], q["Answer"], strict=True) if a}
    got = {(group.theme, a.text, a.who) for group in themes for a in group.answers}
    assert got == expected and len(got) == 20
    assert [g.theme for g in themes] == ["Career Path", "Day-to-Day", "Skills", "Culture", "Industry Trends",
                                         "Hiring", "Advice"]


def test_weeks_count_what_was_done_and_fill_the_gaps(make_book: MakeBook) -> None:
    """Each dated column counts in its ISO week; a planned interview is not activity yet; empty weeks are kept."""
    path = make_book([
        contact(first_name="A", status="Thanked", request_sent=D(2026, 11, 2), interview_date=D(2026, 11, 17),
                thank_you_sent=D(2026, 11, 18)),
        contact(first_name="B", status="Scheduled", request_sent=D(2026, 11, 4), interview_date=D(2026, 12, 1)),
        contact(first_name="C", status="Requested", request_sent=D(2026, 11, 3), followed_up=D(2026, 11, 16)),
    ])
    weeks = weekly(read_workbook(path), TODAY)
    assert [(w.label, w.requests, w.follow_ups, w.interviews, w.thank_yous) for w in weeks] == [
        ("2026-W45", 3, 0, 0, 0), ("2026-W46", 0, 0, 0, 0), ("2026-W47", 0, 1, 1, 1), ("2026-W48", 0, 0, 0, 0)]


def test_medians_use_rows_where_both_dates_happened(make_book: MakeBook) -> None:
    """Median days request→interview and interview→thank-you; future and reversed pairs left out."""
    path = make_book([
        contact(first_name="A", status="Thanked", request_sent=D(2026, 10, 1), interview_date=D(2026, 10, 11),
                thank_you_sent=D(2026, 10, 12)),
        contact(first_name="B", status="Thanked", request_sent=D(2026, 10, 1), interview_date=D(2026, 10, 21),
                thank_you_sent=D(2026, 10, 25)),
        contact(first_name="C", status="Scheduled", request_sent=D(2026, 11, 1), interview_date=D(2026, 12, 30)),
        contact(first_name="E", status="Interviewed", request_sent=D(2026, 11, 10), interview_date=D(2026, 11, 5)),
    ])
    campaign = read_workbook(path)
    report = insights(campaign, plan(campaign, TODAY))
    assert (report.days_to_interview, report.days_to_thanks) == (15.0, 2.5)
    assert last_activity(campaign, TODAY) == D(2026, 11, 10)


def test_referral_names_match_forgivingly_and_loops_end(make_book: MakeBook) -> None:
    """`Dr ana RUIZ` is Ana Ruiz; a loop of suggestions is shown once, not forever."""
    path = make_book([
        contact(first_name="Ana", last_name="Ruiz", status="Thanked", referrals_given="bo  kim; Zed Unknown"),
        contact(first_name="Bo", last_name="Kim", status="Requested", referred_by="Dr ana RUIZ",
                referrals_given="Cy Lo"),
        contact(first_name="Cy", last_name="Lo", status="Prospect", referrals_given="Bo Kim"),
        contact(first_name="Dee", last_name="Ng", status="Prospect", referred_by="Eve Fox"),
        contact(first_name="Eve", last_name="Fox", status="Prospect", referred_by="Dee Ng"),
    ])
    lines = [(line.name, line.depth, line.suggested_by) for line in referral_tree(read_workbook(path))]
    assert lines[:4] == [("Ana Ruiz", 0, None), ("Bo Kim", 1, "Ana Ruiz"), ("Cy Lo", 2, "Bo Kim"),
                         ("Zed Unknown", 1, "Ana Ruiz")]
    assert sorted(lines[4:]) == [("Dee Ng", 1, "Eve Fox"), ("Eve Fox", 0, None)]
