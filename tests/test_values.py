"""Cell conversion: dates in every accepted form, choices, text and numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetkit import schema
from sheetkit.values import (
    CellError,
    Invalid,
    choice_converter,
    convert_all,
    name_key,
    split_names,
    time_of,
    times_of,
    to_date,
    to_int,
    to_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.date(2026, 3, 4), dt.date(2026, 3, 4)),
        (dt.datetime(2026, 3, 4, 17, 45), dt.date(2026, 3, 4)),
        ("2026-03-04", dt.date(2026, 3, 4)),
        (" 2026-03-04 ", dt.date(2026, 3, 4)),
        ("2026-03-04T09:30:00", dt.date(2026, 3, 4)),
        ("", None),
        ("   ", None),
    ],
)
def test_date_forms_accepted(raw: object, expected: dt.date | None) -> None:
    """Real dates, date-times and ISO text all read as the same date."""
    assert to_date(raw) == expected


@pytest.mark.parametrize("raw", ["next tuesday", "04/03/2026", "3 March 2026", "2026-02-30", -5.0, 1e9, True])
def test_other_date_text_is_invalid_never_guessed(raw: object) -> None:
    """Anything that is not an ISO date stays invalid, with what was typed."""
    result = to_date(raw)
    assert isinstance(result, Invalid)
    assert result.raw == raw


@pytest.mark.parametrize("raw", [14.0, 14, 46085.0, 46085, 0.5])
def test_bare_numbers_are_not_dates(raw: object) -> None:
    """A number (a cell not formatted as a date) is invalid, never a day counted from 1900."""
    result = to_date(raw)
    assert isinstance(result, Invalid)
    assert result.raw == raw


def test_formula_errors_have_no_value() -> None:
    """A cell showing a formula error is unknown in a date or choice column, and no text in a text column."""
    error = CellError("#N/A")
    for result in (to_date(error), choice_converter(schema.STATUS)(error)):
        assert isinstance(result, Invalid) and result.raw == error and str(result) == "#N/A"
    assert to_text(error) is None
    assert convert_all(schema.NOTES, [error, " x "]) == [None, "x"]


def test_choices_match_ignoring_case_and_spaces() -> None:
    """Status values typed in any case or with stray spaces read as the list value."""
    convert = choice_converter(schema.STATUS)
    assert convert("  keeping in touch ") == "Keeping In Touch"
    assert convert("TO CONTACT") == "To Contact"
    assert convert("no-response") == "No Response"
    assert isinstance(convert("Intervewed"), Invalid)


def test_yes_no_accepts_booleans() -> None:
    """LibreOffice's TRUE/FALSE in a Yes/No column read as Yes/No."""
    convert = choice_converter(schema.MAY_USE_REFERRER)
    assert convert(True) == "Yes"
    assert convert(False) == "No"
    assert convert("yes") == "Yes"
    assert convert("TRUE") == "Yes"


def test_text_drops_float_tail_of_whole_numbers() -> None:
    """A phone number typed as a number keeps its digits, not '.0'."""
    assert to_text(5551234.0) == "5551234"
    assert to_text("  Ann ") == "Ann"
    assert to_text("") is None


def test_int_settings() -> None:
    """Whole-number settings accept numbers and numeric text."""
    assert to_int(7.0) == 7
    assert to_int(" 10 ") == 10
    assert isinstance(to_int("seven"), Invalid)
    assert isinstance(to_int(2.5), Invalid)
    assert to_int("") is None


def test_names() -> None:
    """Referral lists split on ';' and names fold for matching."""
    assert split_names(" Ana Ruiz; ;Tom  Lee ;") == ["Ana Ruiz", "Tom  Lee"]
    assert name_key("  Tom   LEE ") == "tom lee"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.datetime(2026, 3, 4, 17, 45), dt.time(17, 45)),
        ("2026-03-04 09:30", dt.time(9, 30)),
        ("2026-03-04T09:30:00", dt.time(9, 30)),
        ("2026-03-04", None),
        (dt.date(2026, 3, 4), None),
        ("2026-03-04 25:00", None),
        ("at 09:30", None),
        ("", None),
        (45000.5, None),
    ],
)
def test_time_of_a_date_cell(raw: object, expected: dt.time | None) -> None:
    """A date-time cell or ISO text with a time gives its time of day; a date alone or anything else, none."""
    assert time_of(raw) == expected


def test_times_of_a_column_by_position() -> None:
    """Only the cells holding a time are listed, by position; the dates themselves still read as dates."""
    column = ["", dt.date(2026, 3, 4), dt.datetime(2026, 3, 5, 14, 0), "2026-03-06 08:15", None]
    assert times_of(column) == {2: dt.time(14, 0), 3: dt.time(8, 15)}
    assert convert_all(schema.INTERVIEW_DATE, column)[2:4] == [dt.date(2026, 3, 5), dt.date(2026, 3, 6)]
