"""The pieces of prose: dates, framing, and the example campaign's letters as a career coach would read them."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from sheetkit import prose, schema
from sheetkit.drafts import write_drafts
from sheetkit.prose import Calendar, Facts, format_date, lower_first

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "sample_workbooks" / "example.xlsx"
TEMPLATES = ROOT / "templates"
TODAY = dt.date(2026, 11, 25)  # a Wednesday


def facts(kind: str, contact: dict[str, Any] | None = None, profile: dict[str, Any] | None = None,
          **more: Any) -> Facts:
    return Facts(contact=contact or {"first_name": "Ann"}, profile=profile or {}, today=TODAY, kind=kind, **more)


@pytest.fixture(scope="module")
def example_letters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The example's letters on 25 November 2026, by file name: email bodies parsed back, printed letters as text."""
    out = tmp_path_factory.mktemp("drafts")
    result = write_drafts(EXAMPLE, out, today=TODAY)
    assert not result.problems and not result.held
    letters: dict[str, str] = {}
    for d in result.drafts:
        data = (out / d.file).read_bytes()
        if d.file.endswith(".eml"):
            message = email.message_from_bytes(data, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            letters[d.file] = f"Subject: {message['Subject']}\n\n{message.get_content()}"
        else:
            letters[d.file] = data.decode("utf-8")
    return letters


def letter(letters: dict[str, str], kind: str, name: str) -> str:
    (found,) = [text for file, text in letters.items() if file.startswith(f"{kind}-{name}")]
    return found


def test_dates_follow_the_date_style() -> None:
    """Date Style writes 25 November 2026 or November 25, 2026; the year only when it is not this year's."""
    day = dt.date(2026, 12, 4)
    assert format_date(day, schema.DAY_MONTH_YEAR) == "4 December 2026"
    assert format_date(day, schema.MONTH_DAY_YEAR) == "December 4, 2026"
    assert format_date(day, schema.MONTH_DAY_YEAR, year=False, weekday=True) == "Friday, December 4"
    cal = Calendar(TODAY, schema.DAY_MONTH_YEAR)
    assert cal.date(dt.date(2027, 1, 5)) == "5 January 2027" and cal.date(day) == "4 December"
    assert [cal.when(TODAY + dt.timedelta(days=n)) for n in (-1, 0, 1, 5, 9)] == [
        "yesterday", "today", "tomorrow", "on Monday", "on 4 December"]


def test_a_name_at_the_start_of_a_note_keeps_its_capital() -> None:
    """Lowering a note's first word inside a sentence never lowers a name, an acronym or 'I'."""
    assert lower_first("Hiring managers look for synthesis") == "hiring managers look for synthesis"
    assert lower_first("Product teams need teachers") == "product teams need teachers"
    for kept in ("Boston has many labs", "Lincoln University alumni", "ResearchOps is a route", "UX is broad",
                 "I learned a lot"):
        assert lower_first(kept) == kept


@pytest.mark.parametrize(("note", "kind", "expected"), [
    ("Lead with the research I did in class, not with teaching itself. More.", "thank-you",
     "The first thing I am acting on is your advice to lead with the research I did in class, not with teaching "
     "itself."),
    ("Hiring managers look for evidence of synthesis: show how findings changed a decision.", "thank-you",
     "I have been thinking about your point that hiring managers look for evidence of synthesis."),
    ("Build one complete module.", "keep-in-touch", "I am still acting on your advice to build one complete module."),
    ("Learning designers are judged on outcomes data, so bring my assessment results.", "thank-you",
     "I have been thinking about your point that learning designers are judged on outcomes data."),
])
def test_a_takeaway_is_recalled_in_the_senders_own_framing(note: str, kind: str, expected: str) -> None:
    """Advice is something the sender acts on; a point is something they think about; never a pasted note."""
    assert prose.takeaway(facts(kind, {"first_name": "Ann", "key_takeaways": note})) == expected


def test_greeting_uses_the_salutation_else_the_first_name_else_the_full_name_on_paper() -> None:
    """Salutation wins; emails greet by first name (titles skipped); printed letters by full name."""
    assert prose.greeting(facts("outreach", {"first_name": "Robert", "last_name": "Ashdown",
                                             "salutation": "Dr Ashdown"}, postal=True)) == "Dear Dr Ashdown,"
    assert prose.greeting(facts("outreach", {"first_name": "Robert", "last_name": "Ashdown"})) == "Dear Robert,"
    assert prose.greeting(facts("outreach", {"first_name": "Robert", "last_name": "Ashdown"},
                                postal=True)) == "Dear Robert Ashdown,"


def test_outreach_offers_sensible_channels_and_says_when_they_will_hear_again() -> None:
    """The ask is a question for 15–20 minutes; channels follow Preferred Contact; the follow-up date is given."""
    plain = prose.ask(facts("outreach"))
    assert plain.startswith("Could you spare 15–20 minutes") and "by email" not in plain
    assert prose.ask(facts("outreach", {"first_name": "Ann", "preferred_contact": "Phone"})).endswith(
        "We could talk by phone, whenever suits you.")
    assert prose.next_contact(facts("outreach", profile={"follow_up_after_business_days": 7})) == (
        "If now is a busy time, I will check back on Friday 4 December.")
    assert prose.availability(facts("outreach", profile={"availability": "Tuesdays after 4 pm."})) == (
        "I am free Tuesdays after 4 pm, and glad to fit around your schedule.")


def test_every_piece_is_always_defined() -> None:
    """A person's own template may use any piece with any kind: the others are empty, never undefined."""
    for kind in ("outreach", "follow-up", "thank-you", "keep-in-touch", "some-new-kind"):
        pieces = prose.pieces(facts(kind))
        assert set(pieces) == set(prose.PIECES)
        assert pieces["greeting"] == "Dear Ann,"


def test_every_piece_is_in_the_readme() -> None:
    """The README's template table names every piece."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [p for p in prose.PIECES if f"`{p}`" not in readme] == []


def test_built_in_templates_are_short_prose() -> None:
    """Each built-in template is at most 25 lines, with no chains of set and no word lists."""
    for template in TEMPLATES.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 25, template.name
        assert "{% set" not in text, template.name
        assert "{% elif" not in text, template.name


def test_keep_in_touch_notes_carry_news_and_close_the_referral_loop(example_letters: dict[str, str]) -> None:
    """Zoë and Amara hear the Latest News and are thanked for the people they introduced, who are met next week."""
    zoe = letter(example_letters, "keep-in-touch", "zoe-muller")
    amara = letter(example_letters, "keep-in-touch", "amara-nwosu")
    for text in (zoe, amara):
        assert "I have finished the usability-testing course I started in the autumn." in text
        assert "I have talked with three more people who do the work since I last wrote in August" in text
    assert "Thank you again for introducing me to Marcus Bell: we talk on 2 December." in zoe
    assert "Thank you again for introducing me to Ngozi Adeyemi: we talk on Monday." in amara


def test_no_outreach_mentions_jobs_or_fifteen_minutes_by_email(example_letters: dict[str, str]) -> None:
    """Outreach asks for 15–20 minutes, by phone, video or in person, and never says 'job'."""
    outreach = [text for file, text in example_letters.items() if file.startswith("outreach-")]
    assert len(outreach) == 4
    for text in outreach:
        assert "15–20 minutes" in text
        assert not re.search(r"\bjobs?\b", text, flags=re.I)
        assert "by email" not in text
        assert "I will check back on Friday 4 December" in text


def test_the_printed_letter_greets_dr_ashdown_and_carries_the_return_address(example_letters: dict[str, str]) -> None:
    """The postal outreach: the sender's address on top, 'Dear Dr Ashdown', and how to answer."""
    text = letter(example_letters, "outreach", "robert-ashdown")
    assert text.startswith("Claire Donnelly\n27 Elm Street, Apt 4\nSomerville, MA 02144\n")
    assert "\nDear Dr Ashdown,\n" in text
    assert "write back" in text


def test_a_thank_you_is_in_the_senders_framing_and_recalls_names(example_letters: dict[str, str]) -> None:
    """The thank-yous never paste a note after 'one thing you said'; they say what comes next."""
    for name in ("jose-alvarez", "hannah-whitfield"):
        text = letter(example_letters, "thank-you", name)
        assert "One thing you said" not in text
        assert "I have been thinking about your point that" in text
        assert "I will put what you told me into practice" in text


def test_letters_write_dates_in_the_profiles_date_style(tmp_path: Path) -> None:
    """Date Style November 25, 2026 reaches the drafted letters: the follow-up date and the printed date line."""
    from tests.conftest import build_workbook, contact

    book = build_workbook(tmp_path / "t.xlsx", [
        contact(first_name="Ann", last_name="Lee", status="To Contact", email="ann@example.com",
                common_ground="We both taught."),
        contact(first_name="Bo", last_name="Ray", status="To Contact", preferred_contact="Letter",
                mailing_address="1 Main St\nSpringfield", common_ground="We both taught."),
    ], profile={schema.YOUR_NAME.name: "Sam Writer", schema.MY_EMAIL.name: "sam@example.com",
                schema.DATE_STYLE.name: schema.MONTH_DAY_YEAR})
    result = write_drafts(book, tmp_path / "out", today=TODAY)
    (ann,) = [d for d in result.drafts if d.file.endswith(".eml")]
    (bo,) = [d for d in result.drafts if d.postal]
    message = email.message_from_bytes((tmp_path / "out" / ann.file).read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert "check back on Friday, December 4." in message.get_content()
    assert "\nNovember 25, 2026\n" in (tmp_path / "out" / bo.file).read_text(encoding="utf-8")
