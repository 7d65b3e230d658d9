"""Each validation rule: a case that triggers it and one that does not."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sheetkit import schema
from sheetkit.headers import address_problem
from sheetkit.issues import CODES, Issue
from sheetkit.reader import column_letter, read_workbook
from sheetkit.validate import validate
from tests import corpus, lo
from tests.conftest import TODAY, MakeBook, contact

S = schema
D = dt.date
SAMPLES = Path(__file__).resolve().parent.parent / "sample_workbooks"


def ok(**fields: Any) -> dict[str, Any]:
    """A To Contact row that breaks no rule, overridden by ``fields``."""
    base = dict(first_name="Ann", last_name="Lee", company="Acme", status="To Contact",
                email="ann@example.com", common_ground="Same university")
    base.update(fields)
    return contact(**base)


def found(make_book: MakeBook, rows: list[dict[str, Any]], **options: Any) -> list[Issue]:
    return validate(make_book(rows, **options), TODAY).issues


def codes(issues: list[Issue]) -> list[tuple[str, str | None]]:
    return [(i.code, i.cell) for i in issues]


def test_clean_row_has_no_issues(make_book: MakeBook) -> None:
    """The baseline row used below is clean, so each case isolates one rule."""
    assert found(make_book, [ok()]) == []


def test_missing_column(make_book: MakeBook) -> None:
    """A Contacts sheet without a Status header gets missing-column at the header row."""
    issues = found(make_book, [{"First Name": "Ann"}], headers=["First Name", "Email"])
    assert [(i.code, i.column, i.row) for i in issues] == [("missing-column", "Status", 1)]


@pytest.mark.parametrize(("field", "cell"), [("first_name", "A2"), ("status", "Q2")])
def test_missing_value(make_book: MakeBook, field: str, cell: str) -> None:
    """A filled row without First Name or Status is an error at that cell."""
    issues = found(make_book, [ok(**{field: None}, notes="filled")])
    assert ("missing-value", cell) in codes(issues)


def test_invalid_choice(make_book: MakeBook) -> None:
    """A misspelt Status is invalid-choice; a differently-cased one is not."""
    assert codes(found(make_book, [ok(status="Intervewed")])) == [("invalid-choice", "Q2")]
    assert found(make_book, [ok(status=" to contact ")]) == []


def test_invalid_choice_on_questions(make_book: MakeBook) -> None:
    """Theme values on the Questions sheet are checked too."""
    q = {S.Q_CONTACT.name: "Ann Lee", S.Q_QUESTION.name: "Why?", S.Q_THEME.name: "Gossip"}
    issues = found(make_book, [ok()], questions=[q])
    assert [(i.code, i.sheet, i.cell) for i in issues] == [("invalid-choice", "Questions", "C2")]


@pytest.mark.parametrize("address", ["maria at example.com", "a@b", "x@@example.com", "a..b@example.com"])
def test_invalid_email(make_book: MakeBook, address: str) -> None:
    """Malformed addresses are invalid-email at the Email cell."""
    assert codes(found(make_book, [ok(email=address)])) == [("invalid-email", "G2")]


@pytest.mark.parametrize("address", ["ann@example.com", "o'neil+jobs@mail.example.co.uk", "zoe@exämple.de"])
def test_valid_emails(address: str) -> None:
    """Ordinary addresses and internationalised domains pass."""
    assert address_problem(address) is None


def test_invalid_profile_email(make_book: MakeBook) -> None:
    """The Profile Email is checked and reported on the Profile sheet."""
    issues = found(make_book, [ok()], profile={S.MY_EMAIL.name: "me at home"})
    assert [(i.code, i.sheet, i.cell) for i in issues] == [("invalid-email", "Profile", "B3")]


def test_invalid_date(make_book: MakeBook) -> None:
    """Text in a date column that is not a date is invalid-date."""
    issues = found(make_book, [ok(status="Prospect", last_contact="last week")])
    assert codes(issues) == [("invalid-date", "W2")]
    assert "yyyy-mm-dd" in issues[0].message


def test_future_date(make_book: MakeBook) -> None:
    """A request sent tomorrow is an error; today is fine; a future interview is fine."""
    row = ok(status="Requested", request_sent=TODAY + dt.timedelta(days=1))
    assert codes(found(make_book, [row])) == [("future-date", "R2")]
    assert found(make_book, [ok(status="Requested", request_sent=TODAY)]) == []
    scheduled = ok(status="Prospect", interview_date=TODAY + dt.timedelta(days=3))
    assert found(make_book, [scheduled]) == []


@pytest.mark.parametrize(
    ("fields", "cell"),
    [
        (dict(request_sent=D(2026, 11, 10), followed_up=D(2026, 11, 9)), "S2"),
        (dict(request_sent=D(2026, 11, 10), interview_date=D(2026, 11, 9)), "T2"),
        (dict(interview_date=D(2026, 11, 10), thank_you_sent=D(2026, 11, 9)), "V2"),
    ],
)
def test_date_order(make_book: MakeBook, fields: dict[str, Any], cell: str) -> None:
    """Dates out of the method's order are date-order errors at the later column."""
    assert codes(found(make_book, [ok(status="Prospect", **fields)])) == [("date-order", cell)]


def test_date_order_respected(make_book: MakeBook) -> None:
    """The same dates in order raise nothing."""
    row = ok(status="Prospect", request_sent=D(2026, 11, 1), followed_up=D(2026, 11, 12),
             interview_date=D(2026, 11, 13), thank_you_sent=D(2026, 11, 14))
    assert found(make_book, [row]) == []


@pytest.mark.parametrize(
    ("status", "cell"),
    [("Requested", "R2"), ("Scheduled", "T2"), ("Interviewed", "T2"), ("Thanked", "V2")],
)
def test_status_mismatch_missing_date(make_book: MakeBook, status: str, cell: str) -> None:
    """Each status that needs a date reports its absence at the date's cell."""
    row = ok(status=status, key_takeaways="x")
    assert ("status-mismatch", cell) in codes(found(make_book, [row]))


def test_status_mismatch_interviewed_in_future(make_book: MakeBook) -> None:
    """Interviewed with an interview date still to come is a mismatch; Scheduled is not."""
    later = TODAY + dt.timedelta(days=2)
    assert codes(found(make_book, [ok(status="Interviewed", interview_date=later, key_takeaways="x")])) == [
        ("status-mismatch", "Q2")
    ]
    q = [{S.Q_CONTACT.name: "Ann Lee", S.Q_QUESTION.name: f"Q{n}?"} for n in range(4)]
    assert found(make_book, [ok(status="Scheduled", interview_date=later)], questions=q) == []


def test_no_contact_route(make_book: MakeBook) -> None:
    """To Contact with no email, phone or address is an error; any one of them clears it."""
    assert codes(found(make_book, [ok(email=None)])) == [("no-contact-route", "G2")]
    assert found(make_book, [ok(email=None, phone="555 0100")]) == []


@pytest.mark.parametrize(("preferred", "cell"), [("Letter", "J2"), ("Phone", "H2")])
def test_no_contact_route_for_preferred_method(make_book: MakeBook, preferred: str, cell: str) -> None:
    """A preferred method whose detail is missing is an error at that detail's cell."""
    assert codes(found(make_book, [ok(preferred_contact=preferred)])) == [("no-contact-route", cell)]
    assert found(make_book, [ok(preferred_contact="Email")]) == []


def test_thank_you_late_sent_late(make_book: MakeBook) -> None:
    """A thank-you sent three days after the interview is late (default 2 days); two days is not."""
    base = dict(status="Thanked", interview_date=D(2026, 11, 10), key_takeaways="x")
    assert codes(found(make_book, [ok(**base, thank_you_sent=D(2026, 11, 13))])) == [("thank-you-late", "V2")]
    assert found(make_book, [ok(**base, thank_you_sent=D(2026, 11, 12))]) == []


def test_thank_you_late_unsent(make_book: MakeBook) -> None:
    """No thank-you three days after the interview is late; two days after is not yet."""
    row = ok(status="Interviewed", key_takeaways="x", interview_date=TODAY - dt.timedelta(days=3))
    assert codes(found(make_book, [row])) == [("thank-you-late", "V2")]
    row = ok(status="Interviewed", key_takeaways="x", interview_date=TODAY - dt.timedelta(days=2))
    assert found(make_book, [row]) == []


def test_thank_you_within_setting_is_used(make_book: MakeBook) -> None:
    """The Profile's Thank You Within (days) moves the deadline."""
    row = ok(status="Interviewed", key_takeaways="x", interview_date=TODAY - dt.timedelta(days=3))
    assert found(make_book, [row], profile={S.THANK_YOU_WITHIN.name: 5}) == []


def test_duplicate_contact(make_book: MakeBook) -> None:
    """Same email, or same name and company, is a duplicate warning on the later row."""
    rows = [ok(), ok(first_name="Other", email="ANN@example.com")]
    issues = found(make_book, rows)
    assert codes(issues) == [("duplicate-contact", "G3")]
    assert "row 2" in issues[0].message
    rows = [ok(), ok(email="ann2@example.com")]
    assert codes(found(make_book, rows)) == [("duplicate-contact", "A3")]
    rows = [ok(), ok(email="ann2@example.com", company="Other Co")]
    assert found(make_book, rows) == []


def test_unknown_referrer(make_book: MakeBook) -> None:
    """Referred By must name a contact; matching ignores case and spacing."""
    rows = [ok(), ok(first_name="Bo", email="bo@example.com", referred_by="ann  LEE")]
    assert found(make_book, rows) == []
    rows[1] = ok(first_name="Bo", email="bo@example.com", referred_by="Nobody Known")
    assert codes(found(make_book, rows)) == [("unknown-referrer", "M3")]


def test_missing_common_ground(make_book: MakeBook) -> None:
    """A To Contact row without Common Ground gets a warning."""
    assert codes(found(make_book, [ok(common_ground=None)])) == [("missing-common-ground", "O2")]


def test_missing_takeaways(make_book: MakeBook) -> None:
    """Interviewed without Key Takeaways gets a warning; with them, nothing."""
    row = ok(status="Interviewed", interview_date=TODAY)
    assert codes(found(make_book, [row])) == [("missing-takeaways", "Y2")]
    assert found(make_book, [ok(status="Interviewed", interview_date=TODAY, key_takeaways="Learned")]) == []


def _questions(name: str, n: int) -> list[dict[str, Any]]:
    return [{S.Q_CONTACT.name: name, S.Q_QUESTION.name: f"Question {k}?"} for k in range(n)]


def test_too_few_questions(make_book: MakeBook) -> None:
    """A Scheduled contact with three questions gets a warning; four is enough."""
    row = ok(status="Scheduled", interview_date=TODAY + dt.timedelta(days=5))
    assert codes(found(make_book, [row], questions=_questions("Ann Lee", 3))) == [("too-few-questions", "A2")]
    assert found(make_book, [row], questions=_questions("ann lee", 4)) == []


def test_too_many_questions(make_book: MakeBook) -> None:
    """Seven questions for one contact is a warning at the seventh; six is fine."""
    issues = found(make_book, [ok()], questions=_questions("Ann Lee", 7))
    assert [(i.code, i.sheet, i.cell) for i in issues] == [("too-many-questions", "Questions", "A8")]
    assert found(make_book, [ok()], questions=_questions("Ann Lee", 6)) == []


def test_pitch_too_long(make_book: MakeBook) -> None:
    """A pitch over 225 words is a warning on the Profile; 225 is fine."""
    issues = found(make_book, [ok()], profile={S.ELEVATOR_PITCH.name: "word " * 226})
    assert [(i.code, i.sheet, i.cell) for i in issues] == [("pitch-too-long", "Profile", value_cell(S.ELEVATOR_PITCH))]
    assert found(make_book, [ok()], profile={S.ELEVATOR_PITCH.name: "word " * 225}) == []


def value_cell(setting: schema.Setting) -> str:
    """Where a setting's Value sits in a Profile sheet laid out as the schema declares it."""
    return f"B{S.PROFILE_SETTINGS.index(setting) + 2}"


def test_invalid_setting(make_book: MakeBook) -> None:
    """A number setting holding words is reported at its Value cell."""
    issues = found(make_book, [ok()], profile={S.FOLLOW_UP_AFTER.name: "a week"})
    assert [(i.code, i.cell) for i in issues] == [("invalid-setting", value_cell(S.FOLLOW_UP_AFTER))]
    assert "type a number such as 7" in issues[0].message


@pytest.mark.parametrize(("typed", "read"), [("November 25, 2026", S.MONTH_DAY_YEAR),
                                             ("25 november 2026", S.DAY_MONTH_YEAR), (None, S.DAY_MONTH_YEAR)])
def test_date_style_forgives_case_and_defaults(make_book: MakeBook, typed: str | None, read: str) -> None:
    """Date Style matches its two styles ignoring case and punctuation; empty means the first."""
    path = make_book([ok()], profile={S.DATE_STYLE.name: typed})
    assert read_workbook(path).profile.get(S.DATE_STYLE) == read
    assert found(make_book, [ok()], profile={S.DATE_STYLE.name: typed}) == []


@pytest.mark.parametrize(("typed", "read"), [("Europe/Dublin", "Europe/Dublin"),
                                             ("america/new york", "America/New_York"), ("UTC", "UTC"), (None, None)])
def test_time_zone_is_read_as_the_database_spells_it(make_book: MakeBook, typed: str | None, read: str | None) -> None:
    """Time Zone takes IANA names in any case, spaces for underscores; empty means this computer's."""
    assert read_workbook(make_book([ok()], profile={S.TIME_ZONE.name: typed})).profile.get(S.TIME_ZONE) == read


@pytest.mark.parametrize(("setting", "typed", "says"), [
    (S.DATE_STYLE, "25/11/2026", "25 November 2026 or November 25, 2026"),
    (S.TIME_ZONE, "Dublin time", "IANA name such as Europe/Dublin"),
    (S.TIME_ZONE, "../../etc/passwd", "IANA name"),
])
def test_wrong_style_or_zone_is_an_invalid_setting(make_book: MakeBook, setting: schema.Setting, typed: str,
                                                   says: str) -> None:
    """A Date Style or Time Zone that is none of the accepted values is reported on its cell, saying what fits."""
    issues = found(make_book, [ok()], profile={setting.name: typed})
    assert [(i.code, i.sheet, i.cell) for i in issues] == [("invalid-setting", "Profile", value_cell(setting))]
    assert says in issues[0].message


def test_every_message_says_what_to_do(make_book: MakeBook) -> None:
    """Each code's template carries a fix after the dash, and every code is a known one."""
    for code, (_, template) in CODES.items():
        assert " — " in template or template == "{detail}", code


def test_issue_dict_shape(make_book: MakeBook) -> None:
    """Issues serialise with exactly the README's keys."""
    issue = found(make_book, [ok(status="Nope")])[0]
    assert list(issue.to_dict()) == ["severity", "code", "sheet", "row", "column", "cell", "message"]
    json.dumps(issue.to_dict())


def test_example_workbook_is_clean() -> None:
    """The bundled example has no errors and no warnings on its campaign date."""
    path = SAMPLES / "example.xlsx"
    if not path.exists():
        pytest.fail("sample_workbooks/example.xlsx is missing: run python scripts/make_samples.py")
    report = validate(path, TODAY)
    assert [(i.code, i.cell) for i in report.issues] == []


def test_messy_workbook_reports_exactly_the_planted_mistakes() -> None:
    """Every mistake planted in messy.xlsx is found, and nothing else."""
    expected_path = SAMPLES / "messy-expected.json"
    if not expected_path.exists():
        pytest.fail("sample_workbooks/messy-expected.json is missing: run python scripts/make_samples.py")
    expected = json.loads(expected_path.read_text())
    report = validate(SAMPLES / "messy.xlsx", TODAY)
    got = sorted((i.code, i.sheet, i.row, i.column) for i in report.issues)
    want = sorted((e["code"], e.get("sheet", "Contacts"), e["row"], e["column"]) for e in expected)
    assert got == want


def test_missing_first_name_column(make_book: MakeBook) -> None:
    """A sheet whose First Name header was deleted is still read, and says which column is missing."""
    issues = found(make_book, [{"Last Name": "Lee", "Status": "Prospect"}], headers=["Last Name", "Status"])
    assert [(i.code, i.column) for i in issues] == [("missing-column", "First Name")]


def test_errors_only_finds_the_same_errors_and_skips_warning_rules() -> None:
    """The planner's check (errors only) skips the rules that only warn, and misses no error."""
    from sheetkit.reader import read_workbook
    from sheetkit.validate import RULES, WARNING_RULES, Context, check

    campaign = read_workbook(SAMPLES / "messy.xlsx")
    ctx = Context(campaign, TODAY)
    for rule in WARNING_RULES:
        assert rule in RULES
        assert {i.severity for i in rule(ctx)} <= {"warning"}, rule.__name__
    full = check(campaign, TODAY)
    errors = check(campaign, TODAY, errors_only=True)
    assert errors.issues == [i for i in full.issues if i.severity == "error"]
    assert errors.issues and errors.warnings == 0


@pytest.mark.parametrize("where", ["contact", "profile"])
@pytest.mark.parametrize(("address", "reason"), [
    ("zoë@example.org", "non-ASCII characters before the @"),
    ("a=?b@example.org", "'=?'"),
])
def test_addresses_drafts_cannot_carry_are_invalid_email(make_book: MakeBook, where: str, address: str,
                                                          reason: str) -> None:
    """An address a draft would refuse (non-ASCII before the @, an encoded-word marker) is invalid-email, saying why."""
    if where == "contact":
        issues = found(make_book, [ok(email=address)])
        expected = [("invalid-email", "Contacts", "G2")]
    else:
        issues = found(make_book, [ok()], profile={S.MY_EMAIL.name: address})
        expected = [("invalid-email", "Profile", "B3")]
    assert [(i.code, i.sheet, i.cell) for i in issues] == expected
    assert reason in issues[0].message and " — correct it" in issues[0].message


@pytest.mark.parametrize(("fields", "cell"), [
    (dict(first_name="Bo\u202eeL"), "A2"),
    (dict(last_name="Lee\u2066"), "B2"),
    (dict(company="Acme\x07"), "E2"),
    (dict(field="UX\x1b[31m"), "F2"),
    (dict(referred_by="Ann\x85\x9bLee"), "M2"),
    (dict(notes="nothing\x00"), "Z2"),
])
def test_invisible_characters_in_any_contact_cell_are_invalid_text(make_book: MakeBook, fields: dict[str, Any],
                                                                   cell: str) -> None:
    """A control or bidi character in any text cell is invalid-text at that cell: any cell may reach a Subject."""
    issues = [i for i in found(make_book, [ok(**fields)]) if i.code != "unknown-referrer"]
    assert codes(issues) == [("invalid-text", cell)]
    assert issues[0].severity == "error"
    assert "control character U+" in issues[0].message and "delete that character" in issues[0].message
    assert issues[0].message.isprintable(), "the cell's value is quoted escaped, never raw"


def test_invisible_characters_in_questions_and_own_columns_are_invalid_text(make_book: MakeBook) -> None:
    """Questions and the user's own columns reach templates too: their invisible characters are reported."""
    headers = [*S.CONTACTS.headers, "Pronouns"]
    row = {**ok(), "Pronouns": "she\u202e"}
    q = {S.Q_CONTACT.name: "Ann Lee", S.Q_QUESTION.name: "Why\x07?"}
    issues = found(make_book, [row], headers=headers, questions=[q])
    assert [(i.code, i.sheet, i.row, i.column, i.cell) for i in issues] == [
        ("invalid-text", "Contacts", 2, "Pronouns", None),
        ("invalid-text", "Questions", 2, "Question", "B2"),
    ]


@pytest.mark.parametrize("setting", [S.YOUR_NAME, S.TARGET_FIELD, S.ELEVATOR_PITCH])
def test_invisible_characters_in_profile_text_are_reported_once_on_profile(make_book: MakeBook,
                                                                           setting: S.Setting) -> None:
    """A control or bidi character in a Profile text is one invalid-text on its Profile cell, not one per contact."""
    rows = [ok(first_name=name, email=f"{name.lower()}@example.com") for name in ("Ann", "Bo", "Cy")]
    issues = found(make_book, rows, profile={S.YOUR_NAME.name: "Sam Seeker", setting.name: "x\u202ey"})
    assert [(i.code, i.sheet, i.column) for i in issues] == [("invalid-text", "Profile", setting.name)]


@pytest.mark.parametrize(("first", "last", "cell"), [
    ("C" * 501, None, "A2"),
    ("C" * 200, "D" * 301, "B2"),
    ("C" * 300, "D" * 250, "A2"),
])
def test_names_longer_than_a_header_carries_are_invalid_text(make_book: MakeBook, first: str, last: str | None,
                                                             cell: str) -> None:
    """A full name over 500 characters is invalid-text at the longer of First Name and Last Name."""
    issues = found(make_book, [ok(first_name=first, last_name=last)])
    assert codes(issues) == [("invalid-text", cell)]
    assert "characters long, more than the 500" in issues[0].message and "shorten it" in issues[0].message


def test_names_up_to_the_limit_and_with_line_breaks_and_tabs_are_fine(make_book: MakeBook) -> None:
    """A 500-character name, and line breaks or tabs in names (one space in a letter), are no problem."""
    rows = [ok(first_name="C" * 249, last_name="D" * 250),
            ok(first_name="Ann\tMarie", last_name="Lee\nSmith", email="am@example.com", company="Bcme")]
    assert found(make_book, rows, profile={S.YOUR_NAME.name: "Sam\r\nSeeker"}) == []


def test_long_profile_name_is_invalid_text_on_profile(make_book: MakeBook) -> None:
    """Your Name over 500 characters (white space collapsed) is one invalid-text on its Profile cell."""
    issues = found(make_book, [ok()], profile={S.YOUR_NAME.name: "S " * 251})
    assert [(i.code, i.cell) for i in issues] == [("invalid-text", "B2")]
    assert "is 501 characters long" in issues[0].message
    assert found(make_book, [ok()], profile={S.YOUR_NAME.name: "S " * 250}) == []


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["ods", "xlsx"])
def test_what_drafts_refuse_is_found_in_a_workbook_libreoffice_saved(make_book: MakeBook, tmp_path: Path,
                                                                     fmt: str) -> None:
    """Saved by LibreOffice: a bidi override and a non-ASCII local part are errors, line breaks in names are not."""
    from sheetkit.drafts import write_drafts
    from tests import lo

    lo.require_soffice()
    rows = [ok(first_name="Bo\u202eeL"), ok(first_name="Zoë", email="zoë@example.com", company="Bcme"),
            ok(first_name="Ann", last_name="Lee\nSmith", email="ann.smith@example.com", company="Ccme")]
    book = make_book(rows, profile={S.YOUR_NAME.name: "Sam\nSeeker", S.MY_EMAIL.name: "sam@example.com"})
    saved = lo.convert(book, fmt, tmp_path / fmt)
    report = validate(saved, TODAY)
    assert [(i.code, i.sheet, i.cell) for i in report.issues] == [
        ("invalid-text", "Contacts", "A2"), ("invalid-email", "Contacts", "G3"),
    ]
    result = write_drafts(saved, tmp_path / "drafts", today=TODAY)
    assert result.problems == [] and [d.row for d in result.drafts] == [4]
    assert sorted(a.row for a in result.held) == [2, 3]
def _cell(column: schema.Column, row: int = 2) -> str:
    return f"{column_letter(S.CONTACTS.headers.index(column.name))}{row}"


def test_formula_errors_are_reported_once_and_nothing_else_about_them(make_book: MakeBook) -> None:
    """A cell showing a formula error is a formula-error naming it; it is never 'empty', never an invalid value."""
    rows = [ok(first_name="X", notes="x"), ok(first_name="Bo", status="X", email="bo@example.com"),
            ok(first_name="Cy", email="X", status="Requested", request_sent=D(2026, 11, 2)),
            ok(first_name="Di", email="di@example.com", status="Thanked", interview_date=D(2026, 11, 2),
               thank_you_sent="X", key_takeaways="X")]
    path = make_book(rows, profile={S.THANK_YOU_WITHIN.name: "X"})
    broken = {_cell(S.FIRST_NAME, 2): "#REF!", _cell(S.STATUS, 3): "#N/A", _cell(S.EMAIL, 4): "#N/A",
              _cell(S.THANK_YOU_SENT, 5): "#VALUE!", _cell(S.KEY_TAKEAWAYS, 5): "#NAME?"}
    corpus.replace_cells(path, {ref: corpus.error_cell(ref, "A1+1", shown) for ref, shown in broken.items()})
    row = S.PROFILE_SETTINGS.index(S.THANK_YOU_WITHIN) + 2
    corpus.replace_cells(path, {f"B{row}": corpus.error_cell(f"B{row}", "1/0", "#DIV/0!")},
                         part="xl/worksheets/sheet2.xml")
    issues = validate(path, TODAY).issues
    assert [(i.code, i.sheet, i.cell) for i in issues] == [
        ("formula-error", "Profile", f"B{row}"),
        *[("formula-error", "Contacts", ref) for ref in broken],
    ]
    thanks = next(i for i in issues if i.cell == _cell(S.THANK_YOU_SENT, 5))
    assert thanks.column == S.THANK_YOU_SENT.name and thanks.row == 5
    assert "#VALUE!" in thanks.message and "fix the formula" in thanks.message


def test_unknown_way_to_reach_someone_is_not_no_route(make_book: MakeBook) -> None:
    """A To Contact row whose Phone shows a formula error is not said to have no way to reach them."""
    path = make_book([ok(email=None, phone="X"), ok(first_name="Bo", email=None, preferred_contact="Video",
                                                     phone="X", mailing_address="1 Main St")])
    refs = [_cell(S.PHONE, 2), _cell(S.PHONE, 3)]
    corpus.replace_cells(path, {ref: corpus.error_cell(ref, "NA()", "#N/A") for ref in refs})
    assert codes(validate(path, TODAY).issues) == [("formula-error", ref) for ref in refs]


def test_number_in_a_date_column_says_it_is_a_number(make_book: MakeBook) -> None:
    """A number typed into a General cell of a date column is invalid-date saying it is a number, not a date."""
    issues = found(make_book, [ok(status="Requested", request_sent=14)])
    assert codes(issues) == [("invalid-date", _cell(S.REQUEST_SENT))]
    assert issues[0].message.startswith("'14' is a number, not a date")
    assert "format the cell as a date" in issues[0].message


def test_duplicate_column_warns_on_the_ignored_header(make_book: MakeBook) -> None:
    """A second Email header is a warning on that header's cell, naming the column that is read."""
    headers = ["First Name", "Status", "Email", "Notes", "E-Mail"]
    row = {"First Name": "Ann", "Status": "Prospect", "Email": "ann@example.com", "E-Mail": "not an address"}
    issues = found(make_book, [row], headers=headers)
    assert [(i.code, i.severity, i.row, i.column, i.cell) for i in issues] == [
        ("duplicate-column", "warning", 1, "Email", "E1")
    ]
    assert "column C" in issues[0].message


def test_duplicate_setting_warns_on_the_ignored_row(make_book: MakeBook) -> None:
    """A Profile setting given twice is a warning on the second, naming the value that is read."""
    path = make_book([ok()], profile={S.MY_EMAIL.name: "me@example.com"})
    wb = openpyxl.load_workbook(path)
    ws = wb[S.PROFILE.name]
    ws.append([S.MY_EMAIL.name, "not an address"])
    wb.save(path)
    issues = validate(path, TODAY).issues
    assert [(i.code, i.sheet, i.row, i.column, i.cell) for i in issues] == [
        ("duplicate-setting", "Profile", ws.max_row, S.MY_EMAIL.name, f"A{ws.max_row}")
    ]
    assert "B3" in issues[0].message


def test_table_totals_row_is_not_reported(tmp_path: Path) -> None:
    """An Excel Table's totals row ("Total", a SUBTOTAL count under Status) raises no invalid-choice."""
    assert validate(corpus.make_tables_with_totals(tmp_path), TODAY).issues == []


def test_merged_status_is_not_empty_in_its_second_row(make_book: MakeBook) -> None:
    """Two rows sharing one merged Status cell both have that Status."""
    path = make_book([ok(), ok(first_name="Bo", email="bo@example.com", status=None)])
    wb = openpyxl.load_workbook(path)
    wb[S.CONTACTS.name].merge_cells(f"{_cell(S.STATUS, 2)}:{_cell(S.STATUS, 3)}")
    wb.save(path)
    assert validate(path, TODAY).issues == []


@pytest.mark.libreoffice
def test_calc_error_cells_are_reported(tmp_path: Path) -> None:
    """In an .ods saved by Calc, Err:502 and #N/A are formula-error issues naming them, on their cells."""
    lo.require_soffice()
    path = lo.convert(corpus.make_calc_errors(tmp_path), "ods", tmp_path / "ods")
    issues = validate(path, TODAY).issues
    assert [(i.code, i.cell, i.message.split(" shows the formula error ")[1][:7]) for i in issues] == [
        ("formula-error", _cell(S.THANK_YOU_SENT, 2), "Err:502"),
        ("formula-error", _cell(S.STATUS, 3), "#N/A, s"),
    ]
