"""Property tests: whatever people put in a workbook, sheetkit never crashes and points at real cells."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetkit import schema
from sheetkit.issues import Report
from sheetkit.reader import Campaign, read_workbook
from sheetkit.validate import check
from tests.conftest import TODAY, excel_text

S = schema
CELL = re.compile(r"([A-Z]{1,3})([0-9]+)")

# Every kind of value a cell can hold, plus the values that matter to the rules.
cell_values = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from([*S.Status, *S.PreferredContact, *S.YesNo, "2026-11-20", "next week", "a@b.example", "x@"]),
    st.integers(min_value=-10**6, max_value=10**7),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
)


@st.composite
def workbooks(draw: st.DrawFn) -> dict[str, Any]:
    """A Contacts sheet with headers in any order and case, extra columns, blank rows and any values."""
    chosen = draw(st.lists(st.sampled_from(S.CONTACTS.headers), unique=True, min_size=2))
    headers = [draw(st.sampled_from([h, h.upper(), h.lower(), f" {h} "])) for h in chosen]
    if draw(st.booleans()):
        headers.append("Extra " + draw(st.text(alphabet="abc", min_size=1, max_size=3)))
    rows = draw(st.lists(st.one_of(st.none(), st.lists(cell_values, min_size=len(headers),
                                                       max_size=len(headers))), max_size=8))
    questions = draw(st.lists(st.tuples(cell_values, cell_values, cell_values), max_size=8))
    profile = draw(st.lists(cell_values, min_size=len(S.PROFILE_SETTINGS), max_size=len(S.PROFILE_SETTINGS)))
    return {"headers": headers, "rows": rows, "questions": questions, "profile": profile}


def write(spec: dict[str, Any], path: Path) -> dict[str, tuple[int, int]]:
    """Save the drawn workbook; return each sheet's (max row, max column)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = S.CONTACTS.name
    ws.append(spec["headers"])
    for row in spec["rows"]:
        ws.append([excel_text(v) for v in row or []])
    qs = wb.create_sheet(S.QUESTIONS.name)
    qs.append(list(S.QUESTIONS.headers))
    for q in spec["questions"]:
        qs.append([excel_text(v) for v in q])
    ps = wb.create_sheet(S.PROFILE.name)
    ps.append(list(S.PROFILE.headers[:2]))
    for setting, value in zip(S.PROFILE_SETTINGS, spec["profile"], strict=True):
        ps.append([setting.name, excel_text(value)])
    wb.save(path)
    return {name: (wb[name].max_row, wb[name].max_column) for name in wb.sheetnames}


@contextmanager
def saved(spec: dict[str, Any]) -> Iterator[tuple[Path, Campaign]]:
    """The drawn workbook saved in a temporary folder and read back: the folder, kept while in use, and the campaign."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "any.xlsx"
        write(spec, path)
        yield Path(tmp), read_workbook(path)


def campaign_of(spec: dict[str, Any]) -> Campaign:
    """The drawn workbook, saved and read back as a campaign."""
    with saved(spec) as (_, campaign):
        return campaign


def errors_in(report: Report) -> tuple[set[int], bool]:
    """The Contacts rows with errors, and whether the Profile has one: what holds a letter back."""
    errors = [i for i in report.issues if i.severity == "error"]
    return {i.row for i in errors if i.sheet == S.CONTACTS.name and i.row}, any(i.sheet == S.PROFILE.name
                                                                              for i in errors)


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workbooks())
def test_validator_never_crashes_and_points_at_real_cells(spec: dict[str, Any]) -> None:
    """Any values in any cell: validation returns issues, each at a cell inside its sheet."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "any.xlsx"
        bounds = write(spec, path)
        report = check(read_workbook(path), TODAY)
    for issue in report.issues:
        assert issue.severity in ("error", "warning")
        assert issue.sheet in bounds
        if issue.cell is None:
            continue
        m = CELL.fullmatch(issue.cell)
        assert m, issue
        max_row, max_col = bounds[issue.sheet]
        assert int(m[2]) == issue.row
        assert 1 <= issue.row <= max_row
        assert 1 <= column_index(m[1]) <= max_col


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workbooks())
def test_status_and_dry_run_drafts_never_raise(spec: dict[str, Any]) -> None:
    """Any workbook: planning and a dry run of drafts return results, and no letter comes from a row with errors."""
    from sheetkit.agenda import plan
    from sheetkit.drafts import write_drafts

    with saved(spec) as (tmp, campaign):
        report = check(campaign, TODAY)
        agenda = plan(campaign, TODAY, report)
        result = write_drafts(campaign, tmp / "out", today=TODAY, dry_run=True)
        assert not (tmp / "out").exists()
    broken, profile_broken = errors_in(report)
    for action in agenda.letters():
        assert action.row not in broken and not profile_broken
    assert {(d.kind, d.row) for d in result.drafts} <= {(str(a.kind), a.row) for a in agenda.letters()}
    for problem in result.problems:
        assert problem.row in {a.row for a in agenda.letters()}


@st.composite
def letter_workbooks(draw: st.DrawFn) -> dict[str, Any]:
    """Contacts sure to have letters due, with any values in the other columns: some rows have errors."""
    spec = draw(workbooks())
    headers = [S.FIRST_NAME.name, S.STATUS.name, *(h for h in spec["headers"]
                                                  if h.strip().casefold() not in ("first name", "status"))]
    due = st.sampled_from([S.Status.TO_CONTACT, S.Status.REQUESTED, S.Status.INTERVIEWED, S.Status.THANKED])
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        rest = draw(st.lists(cell_values, min_size=len(headers) - 2, max_size=len(headers) - 2))
        rows.append([draw(st.sampled_from(["Ann", "Bo", "Cy"])), str(draw(due)), *rest])
    return {**spec, "headers": headers, "rows": rows}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(letter_workbooks())
def test_plan_looking_at_letter_rows_alone_holds_the_same_letters(spec: dict[str, Any]) -> None:
    """Planning checks only the rows with a letter due for errors; it holds back exactly what a full check would."""
    from hypothesis import event

    from sheetkit.agenda import plan

    campaign = campaign_of(spec)
    full = plan(campaign, TODAY, check(campaign, TODAY))
    quick = plan(campaign, TODAY)
    event("letters held" if full.held else "none held")
    assert quick.held == full.held
    assert quick.actions == full.actions


# What people paste into names, emails and Profile values: line breaks and tabs, invisible
# controls, bidi overrides, encoded-word markers, other scripts.
FRAGMENTS = ["Ann", " ", "Lee", "\t", "\n", "\r\n", "\x0b", "\x07", "\x1b[31m", "\x85", "\x9b", "\u2028",
             "\u202e", "\u2066", "\u200f", "=?", "=?utf-8?q?=0D=0ABcc:_x@y.z?=", "Zoë", "李", "\u00a0", "@"]
pasted = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=6).map("".join)
# A leading "=" would make openpyxl write a formula, as it would make Excel compute one.
texts = st.one_of(pasted, st.builds(lambda n, tail: "x" * n + tail, st.integers(240, 520), pasted)).map(
    lambda t: "A" + t if t.lstrip().startswith("=") else t)
emails = st.one_of(
    st.sampled_from(["ann@example.com", "zoë@example.org", "ann@bücher.example", "a=?b@example.com", "x@", None,
                     "ann@example.com\nBcc: x@y.z", "ann\u202e@example.com", "ann\t@example.com"]),
    st.builds(lambda local: f"{local}@example.com", texts),
)
LETTER_HEADERS = [S.FIRST_NAME.name, S.LAST_NAME.name, S.STATUS.name, S.EMAIL.name, S.COMPANY.name, S.FIELD.name,
                  S.PREFERRED_CONTACT.name, S.MAILING_ADDRESS.name, S.COMMON_GROUND.name]


@st.composite
def pasted_workbooks(draw: st.DrawFn) -> dict[str, Any]:
    """Contacts each due an outreach letter, and a Profile, with pasted names, emails and texts."""
    rows = [[draw(texts), draw(st.none() | texts), str(S.Status.TO_CONTACT), draw(emails), draw(st.none() | texts),
             draw(st.none() | texts), draw(st.sampled_from([None, "Email", "Letter"])), "1 High St", "Same school"]
            for _ in range(draw(st.integers(1, 4)))]
    profile: list[Any] = [None] * len(S.PROFILE_SETTINGS)
    for setting, values in ((S.YOUR_NAME, texts), (S.MY_EMAIL, emails), (S.TARGET_FIELD, texts)):
        profile[S.PROFILE_SETTINGS.index(setting)] = draw(st.none() | values)
    return {"headers": LETTER_HEADERS, "rows": rows, "questions": [], "profile": profile}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pasted_workbooks())
def test_what_drafts_would_refuse_validate_reports(spec: dict[str, Any]) -> None:
    """Every letter a draft refuses comes from a row or Profile validate reports an error on; drafts refuses none."""
    from hypothesis import event

    from sheetkit.agenda import plan
    from sheetkit.drafts import DraftFormat, _Drafter, write_drafts
    from sheetkit.render import Templates

    with saved(spec) as (tmp, campaign):
        report = check(campaign, TODAY)
        # Every letter due, none held back, each drafted as drafts would draft it.
        everything = plan(campaign, TODAY, Report(report.path))
        drafter = _Drafter(campaign, Templates(), TODAY, DraftFormat.eml, tmp, dry_run=True)
        refused = [a for a in everything.letters() if drafter.draft(a, "x.eml").problem is not None]
        result = write_drafts(campaign, tmp / "out", today=TODAY, dry_run=True)
    event("some letter refused" if refused else "no letter refused")
    broken, profile_broken = errors_in(report)
    for action in refused:
        assert profile_broken or action.row in broken, action
    assert result.problems == []
