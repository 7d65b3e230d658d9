"""The sample workbooks: reproducible from scripts/make_samples.py, and what they claim to be.

``example.xlsx`` is the showcase (a clean campaign on 2026-11-25); ``messy.xlsx``
carries the quirks people really leave in a workbook and one planted mistake
per validation code, listed in ``messy-expected.json``. The validator's own
exact-match test against that list lives with the validator.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

from sheetkit import schema as S
from sheetkit.schema import Status

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_workbooks"
SCRIPT = ROOT / "scripts" / "make_samples.py"
TODAY = dt.date(2026, 11, 25)
# Every README validation code a messy workbook can show once it has its First Name and Status headers.
ROW_CODES = {
    "missing-value", "invalid-choice", "invalid-email", "invalid-date", "future-date", "date-order",
    "status-mismatch", "no-contact-route", "thank-you-late", "duplicate-contact", "unknown-referrer",
    "missing-common-ground", "missing-takeaways", "too-few-questions", "too-many-questions", "pitch-too-long",
}


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    load_script().build(out)
    return out


def cell_values(path: Path) -> dict[str, list[list[Any]]]:
    wb = openpyxl.load_workbook(path)
    try:
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
    finally:
        wb.close()


def table(path: Path, sheet: str, header_row: int) -> tuple[dict[str, int], list[tuple[int, dict[str, Any]]]]:
    """Header positions by folded header text, and the non-blank rows below as (row, {folded header: value})."""
    ws = openpyxl.load_workbook(path)[sheet]
    header = {S.header_key(c.value): c.column - 1 for c in ws[header_row] if c.value is not None}
    rows = []
    for number, values in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
        if any(v is not None for v in values):
            rows.append((number, {key: values[i] if i < len(values) else None for key, i in header.items()}))
    return header, rows


def key(column: S.Column) -> str:
    return column.key


# --- reproducible ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["example.xlsx", "messy.xlsx"])
def test_generator_reproduces_the_committed_workbooks(generated: Path, name: str) -> None:
    stale = f"sample_workbooks/{name} is out of date: run `python scripts/make_samples.py` and commit it"
    assert cell_values(generated / name) == cell_values(SAMPLES / name), stale


def test_generator_reproduces_the_committed_expected_issues(generated: Path) -> None:
    made = json.loads((generated / "messy-expected.json").read_text(encoding="utf-8"))
    committed = json.loads((SAMPLES / "messy-expected.json").read_text(encoding="utf-8"))
    assert made == committed, "run `python scripts/make_samples.py` and commit sample_workbooks/"


def test_generator_is_deterministic_to_the_byte(generated: Path, tmp_path: Path) -> None:
    load_script().build(tmp_path)
    for name in ("example.xlsx", "messy.xlsx", "messy-expected.json"):
        assert (tmp_path / name).read_bytes() == (generated / name).read_bytes(), name


# --- example.xlsx ------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> list[tuple[int, dict[str, Any]]]:
    _, rows = table(SAMPLES / "example.xlsx", S.CONTACTS.name, 1)
    return rows


def test_example_has_about_twenty_contacts_in_every_status(example: list[tuple[int, dict[str, Any]]]) -> None:
    assert 18 <= len(example) <= 24
    statuses = Counter(r[key(S.STATUS)] for _, r in example)
    assert set(statuses) == {s.value for s in Status}
    assert all(r[key(S.FIRST_NAME)] for _, r in example)


def test_example_reads_like_a_real_campaign(example: list[tuple[int, dict[str, Any]]]) -> None:
    records = [r for _, r in example]
    names = {f"{r[key(S.FIRST_NAME)]} {r[key(S.LAST_NAME)]}" for r in records}
    assert len(names) == len(records)
    assert any(not n.isascii() for n in names)
    assert len({r[key(S.FIELD)] for r in records}) in (2, 3)
    assert all(r[key(S.EMAIL)].endswith(("@example.com", "@example.org")) for r in records if r[key(S.EMAIL)])
    letters = [r for r in records if r[key(S.PREFERRED_CONTACT)] == "Letter"]
    assert len(letters) == 1
    assert letters[0][key(S.STATUS)] == Status.TO_CONTACT
    assert letters[0][key(S.MAILING_ADDRESS)].count("\n") >= 2
    referred = [r for r in records if r[key(S.REFERRED_BY)]]
    assert {r[key(S.REFERRED_BY)] for r in referred} <= names
    assert {r[key(S.MAY_USE_REFERRER)] for r in referred} == {"Yes", "No"}
    given = {n.strip() for r in records for n in (r[key(S.REFERRALS_GIVEN)] or "").split(";") if n.strip()}
    assert given & names
    assert len(given - names) == 1  # one referral still to add as a contact
    for r in records:
        if r[key(S.STATUS)] in (Status.INTERVIEWED, Status.THANKED, Status.KEEPING_IN_TOUCH):
            assert r[key(S.KEY_TAKEAWAYS)]


def test_example_dates_are_real_dates_and_none_in_the_future(example: list[tuple[int, dict[str, Any]]]) -> None:
    for _, r in example:
        for column in S.DATE_COLUMNS:
            value = r[column.key]
            assert value is None or isinstance(value, dt.datetime)  # openpyxl reads dates as datetimes
            if value is not None and column is not S.INTERVIEW_DATE:
                assert value.date() <= TODAY


def test_example_questions_fit_each_interview(example: list[tuple[int, dict[str, Any]]]) -> None:
    _, questions = table(SAMPLES / "example.xlsx", S.QUESTIONS.name, 1)
    per_contact = Counter(q[key(S.Q_CONTACT)] for _, q in questions if q[key(S.Q_CONTACT)])
    names = {f"{r[key(S.FIRST_NAME)]} {r[key(S.LAST_NAME)]}" for _, r in example}
    assert set(per_contact) <= names
    assert max(per_contact.values()) <= S.MAX_QUESTIONS
    assert sum(1 for _, q in questions if not q[key(S.Q_CONTACT)]) >= 3  # the general bank
    for _, r in example:
        if r[key(S.STATUS)] == Status.SCHEDULED:
            name = f"{r[key(S.FIRST_NAME)]} {r[key(S.LAST_NAME)]}"
            assert S.MIN_QUESTIONS <= per_contact[name] <= S.MAX_QUESTIONS
            assert r[key(S.INTERVIEW_DATE)].date() > TODAY


def test_example_profile_is_filled_in() -> None:
    ws = openpyxl.load_workbook(SAMPLES / "example.xlsx")[S.PROFILE.name]
    values = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)}
    for setting in S.PROFILE_SETTINGS:
        assert values[setting.name] not in (None, ""), setting.name
    assert len(values[S.ELEVATOR_PITCH.name].split()) <= S.PITCH_MAX_WORDS


def test_example_is_clean_for_the_validator() -> None:
    validate = pytest.importorskip("sheetkit.validate")
    report = validate.validate(SAMPLES / "example.xlsx", TODAY)
    assert [(i.code, i.row, i.column) for i in report.issues] == []


# --- messy.xlsx -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def messy_sheet() -> Any:
    return openpyxl.load_workbook(SAMPLES / "messy.xlsx")[S.CONTACTS.name]


def test_messy_header_sits_below_a_title_row_renamed_reordered_and_extended(messy_sheet: Any) -> None:
    assert messy_sheet["A1"].value == "My job search 2026"
    header = [c.value for c in messy_sheet[2] if c.value is not None]
    keys = [S.header_key(h) for h in header]
    assert set(keys) == {c.key for c in S.CONTACTS.columns} | {"pronouns"}
    renamed = [h for h in header if h not in S.CONTACTS.headers and h != "Pronouns"]
    assert {"first name", "Thank you sent", "email "} <= set(renamed)
    schema_order = [k for k in keys if k != "pronouns"]
    assert schema_order != [c.key for c in S.CONTACTS.columns]  # columns were moved


def test_messy_keeps_blank_rows_and_loose_typing(messy_sheet: Any) -> None:
    header = {S.header_key(c.value): c.column for c in messy_sheet[2] if c.value is not None}
    rows = list(messy_sheet.iter_rows(min_row=3, values_only=True))
    last = max(i for i, r in enumerate(rows) if any(v is not None for v in r))
    assert any(all(v is None for v in r) for r in rows[:last])  # blank rows in the middle

    def column(c: S.Column) -> list[Any]:
        return [r[header[c.key] - 1] for r in rows[: last + 1]]

    statuses = [v for v in column(S.STATUS) if v is not None]
    assert "Intervewed" in statuses
    folded = {c.casefold() for c in S.STATUS.choices}
    assert any(v not in S.STATUS.choices and v.strip().casefold() in folded for v in statuses)  # loose but valid
    assert None in column(S.STATUS) and None in column(S.FIRST_NAME)
    dates = [v for c in S.DATE_COLUMNS for v in column(c) if v is not None]
    assert "next tuesday" in dates
    assert any(isinstance(v, str) and v[:4] == "2026" for v in dates)  # ISO text
    assert not any(isinstance(v, (int, float)) for v in dates)  # a bare number is a mistake, not loose typing
    assert any(isinstance(v, dt.datetime) and v.time() != dt.time(0) for v in dates)
    assert "maria at example.com" in column(S.EMAIL)


def test_messy_expected_issues_cover_every_code_and_point_at_real_cells(messy_sheet: Any) -> None:
    expected = json.loads((SAMPLES / "messy-expected.json").read_text(encoding="utf-8"))
    assert {e["code"] for e in expected} == ROW_CODES
    assert all(set(e) == {"code", "sheet", "row", "column"} for e in expected)
    header = {S.header_key(c.value): c.column for c in messy_sheet[2] if c.value is not None}
    for e in expected:
        if e["sheet"] != S.CONTACTS.name:
            continue
        assert S.header_key(e["column"]) in header, e
        row = [c.value for c in messy_sheet[e["row"]]]
        assert any(v is not None for v in row), e
    wb = openpyxl.load_workbook(SAMPLES / "messy.xlsx")
    (pitch,) = [e for e in expected if e["code"] == "pitch-too-long"]
    profile = wb[S.PROFILE.name]
    assert profile.cell(row=pitch["row"], column=1).value == S.ELEVATOR_PITCH.name
    assert len(profile.cell(row=pitch["row"], column=2).value.split()) > S.PITCH_MAX_WORDS
    (many,) = [e for e in expected if e["code"] == "too-many-questions"]
    who = wb[S.QUESTIONS.name].cell(row=many["row"], column=1).value
    asked = [r[0] for r in wb[S.QUESTIONS.name].iter_rows(min_row=2, values_only=True)]
    assert asked.count(who) > S.MAX_QUESTIONS
