"""What templates see: every column by its snake_case name, extras, referrer, questions, postal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheetkit import schema
from sheetkit.agenda import plan
from sheetkit.letters import Letters
from sheetkit.reader import read_workbook
from sheetkit.render import Record, Templates, brief, names, sentence
from tests.conftest import TODAY, MakeBook, contact

S = schema


def letters_for(path: Path) -> tuple[Letters, list]:  # type: ignore[type-arg]
    campaign = read_workbook(path)
    return Letters(campaign, Templates(), TODAY), plan(campaign, TODAY).letters()


def test_context_has_every_column_extras_referrer_and_questions(make_book: MakeBook) -> None:
    """A contact reaches templates with all schema columns, extra columns, its referrer and its questions."""
    headers = [*S.CONTACTS.headers, "Pronouns"]
    rows = [
        {**contact(first_name="Priya", last_name="Raman", status="Prospect"), "Pronouns": None},
        {**contact(first_name="Ann", last_name="Lee", email="ann@example.com", status="To Contact",
                   common_ground="We met", referred_by="priya raman", may_use_referrers_name="yes"),
         "Pronouns": "she/her"},
    ]
    q = [{S.Q_CONTACT.name: "Ann Lee", S.Q_QUESTION.name: "How did you start?", S.Q_THEME.name: "Career Path"}]
    letters, due = letters_for(make_book(rows, headers=headers, questions=q))
    (action,) = due
    ctx = letters.context(action)
    c = ctx["contact"]
    assert {col.attr for col in S.CONTACTS.columns} <= set(c)
    assert c.full_name == "Ann Lee" and c.pronouns == "she/her" and c.extra == {"Pronouns": "she/her"}
    assert ctx["referrer"].first_name == "Priya" and ctx["may_name_referrer"] is True
    assert [x.question for x in ctx["questions"]] == ["How did you start?"]
    assert ctx["postal"] is False and ctx["today"] == TODAY
    assert ctx["action"].kind == "outreach"


def test_cells_not_understood_reach_templates_as_typed(make_book: MakeBook) -> None:
    """A date or number the reader could not understand is shown to templates as the text typed."""
    rows = [contact(first_name="Ann", last_name="Lee", status="Interviewed", last_contact="last spring",
                    interview_date="2026-11-20")]
    q = [{S.Q_CONTACT.name: "Ann Lee", S.Q_QUESTION.name: "How?", S.Q_THEME.name: "Weather"}]
    letters, _ = letters_for(make_book(rows, questions=q))
    ann = letters.contact(0)
    assert ann.last_contact == "last spring"
    assert ann.interview_date == dt.date(2026, 11, 20)
    (question,) = letters.questions("ann lee")
    assert question.theme == "Weather" and question.question == "How?"


def test_record_is_read_only_and_strict() -> None:
    """Records refuse writes and unknown names, so a typo in a template is an error."""
    r = Record({"a": 1})
    assert r.a == 1 and r["a"] == 1 and "a" in r
    with pytest.raises(AttributeError):
        r.b  # noqa: B018
    with pytest.raises(AttributeError):
        r.a = 2


def test_filters() -> None:
    """brief, sentence and names write prose the letters can use."""
    assert brief("One two three four. Five.", 2) == "One two…"
    assert brief("Short one. Next.") == "Short one."
    assert sentence("We met") == "We met." and sentence("Why?") == "Why?" and sentence(None) == ""
    assert names(["A"]) == "A" and names(["A", "B"]) == "A and B" and names(["A", "B", "C"]) == "A, B and C"


@pytest.mark.parametrize(
    ("text", "may", "kept"),
    [("Priya Raman introduced us.", False, False), ("Priya said hello.", False, False),
     ("Priya Raman introduced us.", True, True), ("We met at Lincoln.", False, True),
     ("Priyanka is a friend.", False, True)],
)
def test_discreet_drops_notes_naming_an_unpermitted_referrer(text: str, may: bool, kept: bool) -> None:
    """A note naming the referrer is left out unless May Use Referrer's Name is Yes."""
    env = Templates().env
    out = env.from_string("{{ text|discreet }}").render(text=text, referrer_name="Priya Raman",
                                                         may_name_referrer=may)
    assert (out == text) is kept


def test_postal_contacts_get_the_letter_layout(make_book: MakeBook) -> None:
    """Preferred Contact Letter sets postal, and the layout carries the address."""
    rows = [contact(first_name="Rob", last_name="Ash", status="To Contact", preferred_contact="letter",
                    mailing_address="1 Main St\nSpringfield", common_ground="We both taught.")]
    letters, due = letters_for(make_book(rows))
    rendered, ctx = letters.render(due[0])
    assert ctx["postal"] is True
    page = letters.layout(rendered, ctx)
    assert "1 Main St\nSpringfield" in page and f"Re: {rendered.subject}" in page
    assert dt.date(2026, 11, 25).strftime("%B") in page


@pytest.mark.parametrize("brk", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_a_field_typed_on_two_lines_keeps_the_subject_on_one(make_book: MakeBook, brk: str) -> None:
    """Field and Referred By typed with Alt+Enter reach the Subject on one line, and the body starts with Dear."""
    rows = [contact(first_name="Priya", last_name="Raman", status="Prospect"),
            contact(first_name="Ann", last_name="Lee", email="ann@example.com", status="To Contact",
                    field=f"Learning{brk}Design", common_ground="We both taught.",
                    referred_by=f"Priya{brk}Raman", may_use_referrers_name="Yes")]
    letters, due = letters_for(make_book(rows))
    rendered, _ = letters.render(due[0])
    assert rendered.subject == "Priya Raman suggested I write: 15–20 minutes on Learning Design?"
    assert rendered.body.startswith("Dear Ann,\n")


def _dump_template(ctx: dict[str, object]) -> str:
    """A template that prints every variable it is given, every field of every row, every question's every field."""
    parts = ["Subject: everything\n"]
    for key, value in ctx.items():
        if isinstance(value, Record):
            parts.append(f"{{% for a in {key} %}}{{{{ a }}}}={{{{ {key}[a] }}}}|{{% endfor %}}")
        elif isinstance(value, list):
            parts.append(f"{{% for q in {key} %}}{{% for a in q %}}{{{{ q[a] }}}}|{{% endfor %}}{{% endfor %}}")
        else:
            parts.append(f"{{{{ {key} }}}}")
    return "\n".join(parts) + "\n"


@pytest.mark.parametrize("kind", ["outreach", "follow-up", "thank-you", "keep-in-touch"])
@pytest.mark.parametrize("permission", ["No", None])
def test_without_permission_no_value_a_template_can_reach_names_the_referrer(
        make_book: MakeBook, tmp_path: Path, kind: str, permission: str | None) -> None:
    """A template printing every variable and field it can reach finds no word of the referrer's name."""
    dates = {
        "outreach": dict(status="To Contact"),
        "follow-up": dict(status="Requested", request_sent=dt.date(2026, 11, 2)),
        "thank-you": dict(status="Interviewed", request_sent=dt.date(2026, 11, 2), interview_date=TODAY),
        "keep-in-touch": dict(status="Thanked", request_sent=dt.date(2026, 8, 2), interview_date=dt.date(2026, 8, 24),
                              thank_you_sent=dt.date(2026, 8, 25)),
    }[kind]
    rows = [
        contact(first_name="Priya", last_name="Raman", status="Thanked", email="priya@example.com"),
        contact(first_name="Ann", last_name="Lee", email="ann@example.com", **dates,
                referred_by="Priya Raman", may_use_referrers_name=permission,
                common_ground="Dr Raman's former student, like me.", why_them="Priya says you mentor changers.",
                notes="Raman introduced us.", key_takeaways="P. Raman's advice matches yours.",
                referrals_given="Priya Raman; Tom Lee"),
    ]
    questions = [{S.Q_CONTACT.name: "Ann Lee", S.Q_QUESTION.name: "Who else?", S.Q_ANSWER.name: "Ask Priya."}]
    path = make_book(rows, profile={S.YOUR_NAME.name: "Sam Writer", S.MY_EMAIL.name: "sam@example.com",
                                    S.LATEST_NEWS.name: "Priya Raman's course is done"}, questions=questions)
    campaign = read_workbook(path)
    letters = Letters(campaign, Templates(), TODAY)
    (action,) = [a for a in plan(campaign, TODAY).letters() if a.contact == "Ann Lee"]
    ctx = letters.context(action)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / f"{kind}.j2").write_text(_dump_template(ctx), encoding="utf-8")
    dumped = Templates(mine).render_text(kind, ctx)
    assert "Lee|" in dumped and "Tom Lee" in dumped  # the dump does print the row
    assert "Raman" not in dumped and "Priya" not in dumped
    assert ctx["referrer"] is None and ctx["referrer_name"] is None and ctx["may_name_referrer"] is False


def test_with_permission_the_referrer_reaches_the_letter(make_book: MakeBook) -> None:
    """May Use Referrer's Name = Yes: the referrer's row and name are handed over, and the opening names them."""
    rows = [contact(first_name="Priya", last_name="Raman", status="Thanked", email="priya@example.com"),
            contact(first_name="Ann", last_name="Lee", email="ann@example.com", status="To Contact",
                    referred_by="Priya Raman", may_use_referrers_name="Yes", common_ground="We both taught.")]
    letters, due = letters_for(make_book(rows))
    ctx = letters.context(due[0])
    assert ctx["referrer"].email == "priya@example.com" and ctx["referrer_name"] == "Priya Raman"
    assert ctx["opening"].startswith("Priya Raman suggested I write to you.")


def test_a_contacts_own_address_and_company_reach_the_letter_even_when_they_share_the_referrers_name(
        make_book: MakeBook) -> None:
    """Without permission, ann.raman@…, Raman Partners and a Raman Street address are still Ann's own."""
    rows = [contact(first_name="Priya", last_name="Raman", status="Thanked", email="priya@example.com"),
            contact(first_name="Ann", last_name="Lee", email="ann.raman@example.com", status="To Contact",
                    company="Raman Partners", preferred_contact="Letter",
                    mailing_address="Raman Partners\n1 Raman Street\nSpringfield",
                    referred_by="Priya Raman", may_use_referrers_name="No", notes="Raman knows her.")]
    letters, due = letters_for(make_book(rows))
    rendered, ctx = letters.render(due[0])
    assert (ctx["contact"].email, ctx["contact"].company) == ("ann.raman@example.com", "Raman Partners")
    assert ctx["contact"].notes is None and ctx["referrer_name"] is None
    assert "1 Raman Street\nSpringfield" in letters.layout(rendered, ctx)
