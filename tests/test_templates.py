"""The built-in letter templates, rendered as the drafts command renders them: sandboxed, strict, trimmed."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from jinja2.sandbox import SandboxedEnvironment

from sheetkit import schema
from sheetkit.kinds import get as get_kind
from sheetkit.letters import Letters
from sheetkit.planner import Action
from sheetkit.reader import read_workbook
from sheetkit.render import Templates
from tests.conftest import build_workbook

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
KINDS = ("outreach", "follow-up", "thank-you", "keep-in-touch")
TODAY = dt.date(2026, 11, 25)

CONTACT_FIELDS = (
    "first_name", "last_name", "title", "company", "field", "email", "phone", "linkedin", "mailing_address",
    "preferred_contact", "how_found", "referred_by", "may_use_referrers_name", "common_ground", "why_them",
    "status", "request_sent", "followed_up", "interview_date", "interview_format", "thank_you_sent",
    "last_contact", "referrals_given", "key_takeaways", "notes",
)
PROFILE_FIELDS = ("your_name", "email", "phone", "linkedin", "target_field", "background", "elevator_pitch")

COMMON_GROUND = "We both did the teaching certificate at Boston University."
WHY_THEM = "You made the move from the classroom to patient-education research."
TAKEAWAY_FIRST = "Lead with the research I did in class, not with teaching itself."
TAKEAWAYS = TAKEAWAY_FIRST + " A small portfolio of three case studies beats any certificate."
ADDRESS = "Northwind Health\n200 Clarendon Street, Floor 4\nBoston, MA 02116"
LONG_COMMON_GROUND = (
    "We both did the teaching certificate at Boston University in the same cohort, taught science in "
    "Boston public schools for most of a decade and ran the district science fair together in 2019; "
    "I also read your article on moving from teaching into research twice. We have friends in common too."
)
LONG_WHY_THEM = (
    "You made exactly the move I want to make, from secondary-school teaching into patient-education "
    "research at a large health system, and your team now studies how people actually use the tools. "
    "You also mentor career changers."
)


@pytest.fixture(scope="module")
def env() -> SandboxedEnvironment:
    """The package's own sandboxed, strict environment, over the built-in templates."""
    return Templates().env


def contact(**values: Any) -> SimpleNamespace:
    """A contact row with every contract attribute; unset columns are None."""
    row: dict[str, Any] = dict.fromkeys(CONTACT_FIELDS)
    row.update(values)
    row["full_name"] = " ".join(p for p in (row["first_name"], row["last_name"]) if p)
    row["referrals"] = [n.strip() for n in (row["referrals_given"] or "").split(";") if n.strip()]
    row["extra"] = {}
    return SimpleNamespace(**row)


def profile(**values: Any) -> SimpleNamespace:
    """The Profile settings; unset text settings are None, numbers take their defaults."""
    row: dict[str, Any] = dict.fromkeys(PROFILE_FIELDS)
    row.update(follow_up_after_business_days=7, thank_you_within_days=2, keep_in_touch_every_days=90,
               interviews_per_field_goal=3)
    row.update(values)
    return SimpleNamespace(**row)


FULL_PROFILE = dict(
    your_name="Claire Donnelly", email="claire.donnelly@example.com", phone="+1 617 555 0142",
    linkedin="https://www.linkedin.com/in/claire-donnelly-example", target_field="UX research",
    background="a secondary-school science teacher moving into UX research",
    elevator_pitch="I'm Claire, a science teacher exploring UX research.",
)
REFERRER = dict(first_name="Hannah", last_name="Whitfield", company="Northwind Health")
FULL_CONTACT = dict(
    first_name="Priya", last_name="Raman", title="Senior UX Researcher", company="Northwind Health",
    field="UX research", email="priya.raman@example.com", phone="+1 617 555 0101",
    linkedin="https://www.linkedin.com/in/priya-raman-example", mailing_address=ADDRESS,
    preferred_contact="Email", how_found="Referral", referred_by="Hannah Whitfield", may_use_referrers_name="Yes",
    common_ground=COMMON_GROUND, why_them=WHY_THEM, status="Interviewed", request_sent=dt.date(2026, 11, 2),
    followed_up=dt.date(2026, 11, 12), interview_date=dt.date(2026, 11, 24), interview_format="Video",
    thank_you_sent=None, last_contact=dt.date(2026, 11, 24), referrals_given="Zoë Müller; Daniel Okafor",
    key_takeaways=TAKEAWAYS, notes="Prefers mornings.",
)


def context(c: SimpleNamespace, p: SimpleNamespace, kind: str, *, postal: bool = False,
            questions: list[SimpleNamespace] | None = None) -> dict[str, Any]:
    """Everything a template sees, built as `sheetkit drafts` builds it, from a workbook holding these values.

    The referrer, Hannah Whitfield, has a row of her own, so the letters can find her.
    """
    values = {k: v for k, v in vars(c).items() if k not in ("full_name", "referrals", "extra")}
    if postal:
        values["preferred_contact"] = "Letter"
    rows = [row_of(values)]
    if values.get("referred_by") == "Hannah Whitfield":
        rows.append(row_of({**REFERRER, "status": "Thanked"}))
    settings = {s.name: getattr(p, s.attr) for s in schema.PROFILE_SETTINGS if hasattr(p, s.attr)}
    name = " ".join(x for x in (values.get("first_name"), values.get("last_name")) if x)
    asked = [{schema.Q_CONTACT.name: name, schema.Q_QUESTION.name: q.question, schema.Q_THEME.name: q.theme,
              schema.Q_ANSWER.name: q.answer} for q in questions or []]
    with tempfile.TemporaryDirectory() as folder:
        campaign = read_workbook(build_workbook(Path(folder) / "t.xlsx", rows, profile=settings, questions=asked))
    kind_ = get_kind(kind)
    assert kind_ is not None
    return Letters(campaign, Templates(), TODAY).context(Action(kind_, name, 2, TODAY, False, 0))


def row_of(values: dict[str, Any]) -> dict[str, Any]:
    """A Contacts row keyed by header, from values keyed by template name."""
    by_attr = {c.attr: c.name for c in schema.CONTACTS.columns}
    return {by_attr[k]: v for k, v in values.items() if k in by_attr}


def full(kind: str, postal: bool = False, **overrides: Any) -> dict[str, Any]:
    """A realistic context: every column filled."""
    return context(contact(**{**FULL_CONTACT, **overrides}), profile(**FULL_PROFILE), kind, postal=postal)


def minimal(kind: str, postal: bool = False) -> dict[str, Any]:
    """Only First Name and Email; everything else empty."""
    return context(contact(first_name="Alex", email="alex@example.com"), profile(), kind, postal=postal)


def render(env: SandboxedEnvironment, kind: str, ctx: dict[str, Any]) -> str:
    """Render one template to text."""
    return env.get_template(f"{kind}.j2").render(ctx)


def split(text: str) -> tuple[str, str]:
    """The subject line and the body."""
    head, blank, body = text.split("\n", 2)
    assert head.startswith("Subject: ") and head[len("Subject: "):].strip(), head
    assert blank == "", "the Subject line must be followed by a blank line"
    return head[len("Subject: "):], body


def layout(env: SandboxedEnvironment, kind: str, ctx: dict[str, Any]) -> str:
    """A postal letter: the kind template's body inside letter.j2."""
    subject, body = split(render(env, kind, ctx))
    return render(env, "letter", {**ctx, "subject": subject, "body": body.rstrip() + "\n"})


def words(text: str) -> int:
    """Words as a reader counts them."""
    return len(text.split())


GAPS = [
    r"\bNone\b", r"Dear\s*,", r" [,.;:?!]", r"  ", r"\b(at|in|from|with)\s*[,.;:?!]",
    r"\b(at|in|on|to|for|from|with|and|or)\s*$", r"\(\s*\)", r"''", r'""', r"\{\{|\}\}|\{%|%\}",
]


def assert_no_gaps(text: str) -> None:
    """No empty value shows as a gap, a dangling word or a stray Jinja tag."""
    for line in text.splitlines():
        for pattern in GAPS:
            assert not re.search(pattern, line), f"{pattern!r} in {line!r}"


# --- every kind: shape and gaps -----------------------------------------------------------


@pytest.mark.parametrize("postal", [False, True])
@pytest.mark.parametrize("make", [full, minimal], ids=["full", "minimal"])
@pytest.mark.parametrize("kind", KINDS)
def test_kind_renders_subject_blank_line_then_body(env: SandboxedEnvironment, kind: str, make: Any,
                                                   postal: bool) -> None:
    """Each kind renders a Subject line, a blank line, a salutation and a body with no gaps."""
    text = render(env, kind, make(kind, postal))
    subject, body = split(text)
    assert "\n" not in subject and len(subject) <= 70
    assert body.startswith("Dear ")
    assert_no_gaps(text)
    assert "\n\n\n\n" not in body


@pytest.mark.parametrize("kind", KINDS)
def test_minimal_context_greets_by_first_name(env: SandboxedEnvironment, kind: str) -> None:
    """With only a first name and email, the letter still greets the person properly."""
    _, body = split(render(env, kind, minimal(kind)))
    assert body.startswith("Dear Alex,\n")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("empty", [f for f in CONTACT_FIELDS if f not in ("first_name", "email")])
def test_each_missing_column_leaves_no_gap(env: SandboxedEnvironment, kind: str, empty: str) -> None:
    """Emptying any one optional column never leaves a gap."""
    assert_no_gaps(render(env, kind, full(kind, **{empty: None})))


@pytest.mark.parametrize("kind", KINDS)
def test_email_signature_has_the_name(env: SandboxedEnvironment, kind: str) -> None:
    """Emails are signed with the Profile name."""
    _, body = split(render(env, kind, full(kind)))
    assert body.rstrip().splitlines()[-1] in ("Claire Donnelly", "+1 617 555 0142", FULL_PROFILE["linkedin"])
    assert "Claire Donnelly" in body


@pytest.mark.parametrize("kind", KINDS)
def test_postal_letters_never_say_reply_to_this_email(env: SandboxedEnvironment, kind: str) -> None:
    """A printed letter does not ask for a reply to an email."""
    text = render(env, kind, full(kind, postal=True, preferred_contact="Letter")).lower()
    assert "reply" not in text
    assert "this email" not in text


def with_value(kind: str, where: str, value: str) -> dict[str, Any]:
    """A full context with ``value`` in one column or setting, emptying what would be printed before it."""
    if where == "target_field":
        ctx = full(kind, field=None)
        ctx["profile"] = profile(**{**FULL_PROFILE, "target_field": value})
        return ctx
    if where == "company":
        ctx = full(kind, field=None, company=value)
        ctx["profile"] = profile(**{**FULL_PROFILE, "target_field": None})
        return ctx
    ctx = full(kind, **{where: value})
    if where == "referred_by":
        ctx["referrer_name"] = value
    return ctx


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\r", "\u2028", "\v"], ids=["LF", "CRLF", "CR", "LS", "VT"])
@pytest.mark.parametrize("where", ["field", "target_field", "company", "referred_by", "first_name", "last_name"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_line_break_in_a_cell_never_splits_the_subject(kind: str, where: str, brk: str) -> None:
    """Field, Target Field, Company, Referred By or a name typed on two lines gives a one-line Subject."""
    templates = Templates()
    rendered = templates.render_letter(kind, with_value(kind, where, f"Learning{brk}Design"))
    plain = templates.render_letter(kind, with_value(kind, where, "Learning Design"))
    assert rendered.subject == plain.subject
    assert rendered.body.startswith("Dear ")
    # The pieces of prose write a cell's text on one line; the words are the same either way.
    assert rendered.body.split() == plain.body.split()


# --- outreach -----------------------------------------------------------------------------


def test_outreach_follows_the_method(env: SandboxedEnvironment) -> None:
    """Outreach leads with the connection, says why them, asks 15–20 minutes and how they prefer to talk."""
    text = render(env, "outreach", full("outreach"))
    _, body = split(text)
    assert "15" in text and "20" in text and "minutes" in text
    assert COMMON_GROUND in body
    assert "you made the move from the classroom to patient-education research" in body
    assert "prefer" in body
    for way in ("phone", "video", "in person"):
        assert way in body
    assert "by email" not in body and "job" not in body.lower()
    assert "check back on Friday 4 December" in body  # the follow-up date, seven business days on
    assert "moving into UX research" in body
    assert body.index("Hannah Whitfield") < body.index(COMMON_GROUND[:20]) < body.index("15")
    assert "+1 617 555 0142" in body and FULL_PROFILE["linkedin"] in body
    assert words(text) < 150


@pytest.mark.parametrize("postal", [False, True])
@pytest.mark.parametrize("may_name", [True, False])
def test_outreach_stays_under_150_words_with_long_notes(env: SandboxedEnvironment, may_name: bool,
                                                        postal: bool) -> None:
    """Long Common Ground and Why Them still give a letter that fits a phone screen."""
    c = contact(**{**FULL_CONTACT, "common_ground": LONG_COMMON_GROUND, "why_them": LONG_WHY_THEM,
                   "may_use_referrers_name": "Yes" if may_name else "No"})
    p = profile(**{**FULL_PROFILE, "background": "a secondary-school science teacher of nine years moving into "
                   "UX research and learning design, with a master's in education"})
    text = render(env, "outreach", context(c, p, "outreach", postal=postal))
    assert words(text) < 150, text
    assert "We both did the teaching certificate at Boston University" in text
    assert "you made exactly the move I want to make" in text


def test_outreach_names_the_referrer_with_permission(env: SandboxedEnvironment) -> None:
    """May Use Referrer's Name = Yes: the referrer leads the letter and the subject."""
    subject, body = split(render(env, "outreach", full("outreach")))
    assert "Hannah Whitfield" in subject
    assert body.split("\n")[2].startswith("Hannah Whitfield suggested")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("permission", ["No", None])
def test_referrer_never_named_without_permission(env: SandboxedEnvironment, kind: str,
                                                 permission: str | None) -> None:
    """Without permission the referrer is not named, and no letter hints that someone suggested them."""
    text = render(env, kind, full(kind, may_use_referrers_name=permission))
    assert "Hannah" not in text and "Whitfield" not in text
    assert "suggested I" not in text and "referr" not in text.lower()


def test_outreach_drops_notes_that_would_name_the_referrer(env: SandboxedEnvironment) -> None:
    """A Common Ground or Why Them that mentions an unnamed referrer is left out, not leaked."""
    ctx = full("outreach", may_use_referrers_name="No",
               common_ground="Hannah's former colleague; we both taught in Boston.",
               why_them="Hannah Whitfield says you mentor career changers.")
    text = render(env, "outreach", ctx)
    assert "Hannah" not in text
    assert_no_gaps(text)


def test_outreach_without_referrer_says_nothing_about_one(env: SandboxedEnvironment) -> None:
    """No Referred By: no referral wording at all, the common ground leads."""
    text = render(env, "outreach", full("outreach", referred_by=None, may_use_referrers_name=None,
                                        how_found="Alumni"))
    subject, body = split(text)
    assert "suggest" not in text
    assert subject.startswith("From a fellow alum")
    assert body.split("\n")[2].startswith(COMMON_GROUND)


def test_notes_are_not_cut_at_abbreviations(env: SandboxedEnvironment) -> None:
    """Common Ground, Why Them and Key Takeaways reach the letters whole up to their real first full stop."""
    outreach = render(env, "outreach", full("outreach", common_ground="We both studied at St. Olaf College. Go Oles!",
                                            why_them="You led the U.S. launch of the portal. I used it daily."))
    assert "We both studied at St. Olaf College. I am writing to you because" in outreach
    assert "because you led the U.S. launch of the portal.\n" in outreach
    thanks = render(env, "thank-you", full("thank-you", key_takeaways="Bring e.g. two case studies. Then apply."))
    assert "your advice to bring e.g. two case studies.\n" in thanks


def test_outreach_frames_a_short_common_ground_note(env: SandboxedEnvironment) -> None:
    """A fragment such as 'Lincoln University alumni' is framed as what you have in common."""
    text = render(env, "outreach", full("outreach", common_ground="Lincoln University alumni"))
    assert "in common: Lincoln University alumni." in text


def test_outreach_postal_greets_formally_and_gives_contact_details(env: SandboxedEnvironment) -> None:
    """A posted outreach letter uses the full name and says how to answer."""
    _, body = split(render(env, "outreach", full("outreach", postal=True, preferred_contact="Letter")))
    assert body.startswith("Dear Priya Raman,")
    assert "+1 617 555 0142" in body and "claire.donnelly@example.com" in body and "write back" in body


# --- follow-up ----------------------------------------------------------------------------


@pytest.mark.parametrize("postal", [False, True])
def test_follow_up_is_a_short_polite_nudge(env: SandboxedEnvironment, postal: bool) -> None:
    """Follow-up refers to the earlier note by date, restates the ask and offers an easy out."""
    text = render(env, "follow-up", full("follow-up", postal))
    assert "2 November" in text
    assert "15–20 minutes" in text
    assert "Hannah Whitfield's suggestion" in text  # the connection, restated
    assert "is there a colleague you would suggest" in text
    assert words(text) < 100 + (20 if postal else 0)


def test_follow_up_without_a_request_date(env: SandboxedEnvironment) -> None:
    """No Request Sent: the note still reads naturally."""
    text = render(env, "follow-up", full("follow-up", request_sent=None))
    assert "I wrote recently" in text


# --- thank-you ----------------------------------------------------------------------------


def test_thank_you_recalls_the_takeaway_and_referrals(env: SandboxedEnvironment) -> None:
    """Thank-you is brief, names the day, recalls the first takeaway and every referral, asks leave to name them."""
    text = render(env, "thank-you", full("thank-you"))
    subject, body = split(text)
    assert "yesterday" in subject and "yesterday" in body
    assert "your advice to lead with the research I did in class, not with teaching itself." in body
    assert "One thing you said" not in body  # the sender's own framing, not a pasted note
    assert "portfolio" not in body
    assert "Zoë Müller" in body and "Daniel Okafor" in body
    assert "if that's still all right" in body
    assert "I will put what you told me into practice" in body
    assert words(text) < 120


def test_thank_you_falls_back_to_an_answer_heard(env: SandboxedEnvironment) -> None:
    """With no Key Takeaways, the first answer in Questions is recalled instead."""
    questions = [
        SimpleNamespace(question="How did you start?", theme="Career Path", answer=None),
        SimpleNamespace(question="What skills matter?", theme="Skills",
                        answer="Synthesis matters more than methods. Everything else can be learned."),
    ]
    ctx = context(contact(**{**FULL_CONTACT, "key_takeaways": None}), profile(**FULL_PROFILE), "thank-you",
                  questions=questions)
    text = render(env, "thank-you", ctx)
    assert "your point that synthesis matters more than methods." in text
    assert "Everything else" not in text


def test_thank_you_one_referral(env: SandboxedEnvironment) -> None:
    """A single referral is named and contacted by first name."""
    text = render(env, "thank-you", full("thank-you", referrals_given="Ana Ruiz"))
    assert "suggesting Ana Ruiz." in text and "in touch with Ana soon" in text


@pytest.mark.parametrize(("referral", "called"), [("Dr Ana Ruiz", "Ana"), ("Prof. Ana Ruiz", "Ana"),
                                                  ("Dr Raman", "Dr Raman"), ("Ruiz, Ana", "Ana")])
def test_thank_you_calls_a_referral_by_first_name_not_title(env: SandboxedEnvironment, referral: str,
                                                            called: str) -> None:
    """A referral written with a title is contacted by first name, or by title and surname when that is all."""
    text = render(env, "thank-you", full("thank-you", referrals_given=referral))
    assert f"suggesting {referral}." in text and f"in touch with {called} soon" in text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("note", ["Dr Whitfield, who supervised my project, says you mentor career changers.",
                                  "Professor Whitfield's students all know you.", "H. Whitfield suggested you."])
def test_notes_naming_the_referrer_by_surname_stay_out(env: SandboxedEnvironment, kind: str, note: str) -> None:
    """Without permission a note naming the referrer by title and surname or initial never reaches a letter."""
    questions = [SimpleNamespace(question="Who else?", theme="Advice", answer=note)]
    ctx = context(contact(**{**FULL_CONTACT, "may_use_referrers_name": "No", "common_ground": note,
                             "why_them": note, "key_takeaways": note, "referrals_given": note}),
                  profile(**FULL_PROFILE), kind, questions=questions)
    text = render(env, kind, ctx)
    assert "Whitfield" not in text
    assert_no_gaps(text)


# --- keep-in-touch ------------------------------------------------------------------------


def test_keep_in_touch_gives_an_update_recalls_and_asks_lightly(env: SandboxedEnvironment) -> None:
    """Keep-in-touch gives an update, recalls what they said, asks a light question, never for a job."""
    ctx = full("keep-in-touch", interview_date=dt.date(2026, 8, 20), last_contact=None)
    text = render(env, "keep-in-touch", ctx)
    assert "update" in text.lower()
    assert "since we talked in August" in text
    later = render(env, "keep-in-touch", full("keep-in-touch", interview_date=dt.date(2026, 8, 20),
                                               last_contact=dt.date(2026, 10, 2)))
    assert "since I last wrote in October" in later
    assert "your advice to lead with the research I did in class, not with teaching itself." in text
    assert "?" in split(text)[1]
    assert "job" not in text.lower() and "position" not in text.lower()


# --- letter.j2 ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_letter_layout_has_both_addresses_date_re_and_body(env: SandboxedEnvironment, kind: str) -> None:
    """The printable letter: sender, date, recipient with each address line, Re: line, then the body."""
    ctx = full(kind, postal=True, preferred_contact="Letter")
    page = layout(env, kind, ctx)
    subject, body = split(render(env, kind, ctx))
    lines = page.splitlines()
    assert lines[:3] == ["Claire Donnelly", "claire.donnelly@example.com", "+1 617 555 0142"]
    assert "25 November 2026" in lines
    for line in ADDRESS.splitlines():
        assert line in lines
    assert page.index("Priya Raman") < page.index("Senior UX Researcher") < page.index("200 Clarendon Street")
    assert lines.count("Northwind Health") == 1
    assert f"Re: {subject}" in lines
    assert page.rstrip().endswith(body.rstrip())
    assert "Subject:" not in page
    assert_no_gaps(page)


def test_letter_layout_keeps_an_address_that_names_them(env: SandboxedEnvironment) -> None:
    """An address starting with 'Dr Priya Raman' is kept as written, not doubled."""
    ctx = full("outreach", postal=True, mailing_address="Dr Priya Raman\r\n200 Clarendon Street\n\nBoston, MA 02116")
    lines = layout(env, "outreach", ctx).splitlines()
    assert "Dr Priya Raman" in lines and "Priya Raman" not in lines
    assert lines.index("Dr Priya Raman") < lines.index("Senior UX Researcher") < lines.index("200 Clarendon Street")


@pytest.mark.parametrize("kind", KINDS)
def test_letter_layout_minimal(env: SandboxedEnvironment, kind: str) -> None:
    """With no Profile and no address, the letter starts with the date and has no gaps."""
    page = layout(env, kind, minimal(kind, postal=True))
    assert page.startswith("25 November 2026\n\nAlex\n\nRe: ")
    assert_no_gaps(page)
