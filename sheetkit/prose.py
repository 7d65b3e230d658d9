"""The sentences of the letters, written once in Python, true to the method.

Each letter is made of small pieces handed to its template by name (README,
"Writing your own templates"): the greeting, the opening that puts the
connection first, one line about the sender, the ask, the recalled takeaway,
the referrals line, the news, the signature. The templates are short prose
around them, so a person who copies one to change a sentence inherits no logic.

Everything here is pure: it takes a contact's values (already stripped of a
referrer's name that may not be used, see :mod:`sheetkit.letters`), the
Profile and the day, and returns text. Nothing here mentions jobs.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sheetkit import person_names, schema
from sheetkit.kinds import add_business_days
from sheetkit.render import brief, first_sentence, sentence
from sheetkit.render import names as names_as_prose
from sheetkit.schema import HowFound, InterviewFormat, PreferredContact
from sheetkit.values import full_name, wordset

S = schema
ASK_MINUTES = "15–20 minutes"
# Common Ground and Why Them are quoted up to this many words, so an outreach reads on a phone screen.
NOTE_WORDS = 16


# --- Dates --------------------------------------------------------------------------------------


def format_date(day: dt.date, style: str | None, *, year: bool = True, weekday: bool = False) -> str:
    """A date the way the sender writes it: ``25 November 2026`` or ``November 25, 2026``."""
    if style == S.MONTH_DAY_YEAR:
        text = f"{day:%B} {day.day}" + (f", {day.year}" if year else "")
        return f"{day:%A}, {text}" if weekday else text
    text = f"{day.day} {day:%B}" + (f" {day.year}" if year else "")
    return f"{day:%A} {text}" if weekday else text


@dataclass(frozen=True)
class Calendar:
    """Dates relative to the day the letter is written: "yesterday", "on Monday", "on 23 November"."""

    today: dt.date
    style: str | None = None

    def date(self, day: dt.date, *, weekday: bool = False) -> str:
        """The date alone; the year only when it is not this year's."""
        return format_date(day, self.style, year=day.year != self.today.year, weekday=weekday)

    def full(self, day: dt.date) -> str:
        """The date with its year, as a letter's date line."""
        return format_date(day, self.style)

    def when(self, day: dt.date) -> str:
        """``today``, ``yesterday``, ``tomorrow``, ``on Monday`` within the coming week, else ``on 23 November``."""
        days = (day - self.today).days
        if days == 0:
            return "today"
        if days == -1:
            return "yesterday"
        if days == 1:
            return "tomorrow"
        if 1 < days < 7:
            return f"on {day:%A}"
        return f"on {self.date(day)}"

    def month(self, day: dt.date) -> str:
        """``in August``, or ``in August 2025`` for another year."""
        return f"in {day:%B}" + (f" {day.year}" if day.year != self.today.year else "")


# --- Small text helpers ---------------------------------------------------------------------------


def one_line(value: Any) -> str:
    """A cell's text on one line, runs of white space as single spaces."""
    return " ".join(str(value).split()) if value is not None else ""


def bare(text: str) -> str:
    """A sentence without its closing full stop, to go inside another sentence."""
    return text.strip().rstrip(".").strip()


def lower_first(text: str) -> str:
    """A note's first word in lower case when it goes inside a sentence, unless it may be a name.

    ``Hiring managers look…`` → ``hiring managers look…``. Without a dictionary
    a name cannot be told from a word, so only common sentence openings and
    words shaped like verbs or plurals are lowered; ``Boston``, ``Lincoln``,
    ``ResearchOps``, ``UX`` and ``I`` stay as written.
    """
    word = text.split(" ", 1)[0]
    if not word or not word[0].isupper() or any(c.isupper() for c in word[1:]):
        return text
    key = word.casefold().strip(",;:")
    if key in _COMMON_OPENINGS or (len(key) > 4 and key.endswith(("ing", "ers", "ies", "ness", "ment", "ments"))):
        return word[0].lower() + text[1:]
    return text


_FIRST_WORD = re.compile(r"[^\w'’]*([\w'’]*)")


def first_word(text: str) -> str:
    """A note's first word, folded: what decides how it is framed."""
    m = _FIRST_WORD.match(text)
    return m[1].casefold() if m else ""


# What a note written in one's own words starts with when it can open a sentence to them as it stands.
_SPOKEN_OPENINGS = wordset("we we're we've i i'm i've i'd my our both like as you your since after when last")
_TO_THEM = wordset("you your you're you've")
_ABOUT_SELF = wordset("i i'm i've my")
_COMMON_OPENINGS = wordset("""
    a an the this that these those it its it's they their there they're he she his her we our you your
    most many some every each all any no not only few more much other others one two three both either
    good great small big new old real strong clear short long
    product products team teams company companies manager managers people design designers research
    researchers data skills skill experience portfolio portfolios interviews employers recruiters
    roles role work career careers courses course case studies study teachers teaching evidence
    synthesis feedback networking contacts
    lead build learn start show bring focus talk write read try take keep ask get make join look find use
    be do don't avoid consider prepare practise practice
""")
# The verbs advice starts with, written as a note to oneself: "Lead with…", "Build one module…".
_ADVICE_VERBS = wordset("""
    lead build learn start show bring focus talk write read try take keep ask get make join look find use
    practise practice prepare say think apply reach be don't do avoid consider spend network create develop treat
    stop put aim go volunteer seek run frame present publish share document collect record sign attend follow
    contact email call visit study pick choose add drop cut tailor rewrite reframe emphasise emphasize highlight
""")


# --- The facts a letter is written from ------------------------------------------------------------


@dataclass(frozen=True)
class Met:
    """Someone this contact suggested, whom the sender has since met or is meeting."""

    name: str
    interview: dt.date | None


@dataclass
class Facts:
    """Everything the pieces are written from: one contact, the sender, the day, and a little of the campaign."""

    contact: Mapping[str, Any]
    profile: Mapping[str, Any]
    today: dt.date
    kind: str
    postal: bool = False
    referrer_name: str | None = None  # only when the contact may be told who referred them
    answers: Sequence[str] = ()
    introduced: Sequence[Met] = ()  # people this contact suggested, met or meeting since
    interviews_since: int = 0
    calendar: Calendar = field(init=False)

    def __post_init__(self) -> None:
        self.calendar = Calendar(self.today, self.profile.get("date_style"))

    def text(self, attr: str) -> str:
        return one_line(self.contact.get(attr))

    def mine(self, attr: str) -> str:
        return one_line(self.profile.get(attr))

    @property
    def topic(self) -> str:
        return self.text("field") or self.mine("target_field")


# --- Pieces shared by every kind ----------------------------------------------------------------


def greeting(f: Facts) -> str:
    """``Dear Dr Ashdown,``: the Salutation when filled, else the first name (the full name on paper)."""
    salutation = f.text("salutation")
    if salutation:
        who = salutation
    elif f.postal:
        who = full_name(f.text("first_name"), f.text("last_name"))
    else:
        who = person_names.first_name(f.text("first_name") or full_name(f.text("first_name"), f.text("last_name")))
    return f"Dear {who},"


_CLOSINGS = {"thank-you": "With thanks,", "keep-in-touch": "With best wishes,"}


def signature(f: Facts) -> str:
    """The sign-off and the sender's lines: name, phone and LinkedIn in emails; room to sign on paper."""
    name = f.mine("your_name")
    if f.postal:
        return "Yours sincerely,\n\n\n" + name if name else "Yours sincerely,"
    closing = _CLOSINGS.get(f.kind, "Best wishes,")
    lines = [name, f.mine("phone"), f.mine("linkedin")]
    return "\n".join([closing, *(line for line in lines if line)])


def reach_me(f: Facts) -> str:
    """On paper: how to answer, since a printed letter has no reply button."""
    if not f.postal:
        return ""
    ways = [f"on {f.mine('phone')}" if f.mine("phone") else "", f"at {f.mine('email')}" if f.mine("email") else ""]
    ways = [w for w in ways if w]
    return f"You can reach me {' or '.join(ways)}, or simply write back." if ways else "Simply write back."


# --- Outreach ---------------------------------------------------------------------------------------


def connection(f: Facts) -> str:
    """What the subject leads with: the referrer (with permission), a shared school or association, or nothing."""
    if f.referrer_name:
        return f"{f.referrer_name} suggested I write"
    how = f.contact.get("how_found")
    if how == HowFound.ALUMNI:
        return "From a fellow alum"
    if how == HowFound.PROFESSIONAL_ASSOCIATION:
        return "From a fellow member"
    return ""


def outreach_subject(f: Facts) -> str:
    topic = f.topic
    company = f.text("company")
    ask = (f"{ASK_MINUTES} on {topic}?" if topic else f"{ASK_MINUTES} on your work at {company}?" if company
           else f"{ASK_MINUTES} to learn from your experience?")
    lead = connection(f)
    return f"{lead}: {ask}" if lead else ask[0].upper() + ask[1:]


def _spoken(note: str, default_frame: str) -> str:
    """A note written to them ("We both…", "You moved…") as it stands, else framed."""
    first = first_word(note)
    if first in _SPOKEN_OPENINGS:
        return sentence(note)
    return sentence(default_frame.format(lower_first(bare(note))))


def opening(f: Facts) -> str:
    """The connection first: who suggested writing (with permission), what you share, why them."""
    parts: list[str] = []
    if f.referrer_name:
        parts.append(f"{f.referrer_name} suggested I write to you.")
    common = brief(f.contact.get("common_ground"), NOTE_WORDS)
    how = f.contact.get("how_found")
    if common:
        parts.append(_spoken(common, "We have something in common: {}"))
    elif not f.referrer_name and how in _FOUND_THROUGH:
        parts.append(_FOUND_THROUGH[how])
    why = brief(f.contact.get("why_them"), NOTE_WORDS)
    if why:
        first = first_word(why)
        if first in _TO_THEM:
            parts.append(sentence(f"I am writing to you because {lower_first(bare(why))}"))
        else:
            parts.append(sentence(why))
    elif f.text("title") and f.text("company"):
        parts.append(f"I would value your view as {f.text('title')} at {f.text('company')}.")
    elif f.text("company"):
        parts.append(f"I would value the view of someone at {f.text('company')}.")
    return " ".join(parts) or "I hope you don't mind a note out of the blue."


_FOUND_THROUGH: dict[Any, str] = {
    HowFound.ALUMNI: "I found you through our alumni network.",
    HowFound.PROFESSIONAL_ASSOCIATION: "I found you through our professional association.",
    HowFound.EVENT: "I came across your work at a recent event.",
    HowFound.LINKEDIN: "I came across your profile on LinkedIn.",
}


def about_me(f: Facts) -> str:
    """One line about the sender, from Background, turned towards this person's field."""
    return _about_me(f.profile.get("background"), f.topic)


@functools.lru_cache(maxsize=256)  # the same Background in every letter, a handful of fields
def _about_me(value: Any, topic: str) -> str:
    background = brief(value, NOTE_WORDS)
    if background:
        first = first_word(background)
        line = bare(background) if first in _ABOUT_SELF else f"I'm {lower_first(bare(background))}"
        if topic and topic.casefold() not in background.casefold():
            line += f", exploring {topic}"
        return sentence(line)
    if topic:
        return f"I'm exploring a move into {topic} and learning from people who do the work."
    return "I'm exploring my next step and learning from people who do the work."


_CHANNELS: dict[Any, str] = {
    PreferredContact.PHONE: "We could talk by phone, whenever suits you.",
    PreferredContact.VIDEO: "We could talk on a video call, whenever suits you.",
    PreferredContact.IN_PERSON: "I would be glad to come and meet you, whenever suits you.",
}


def ask(f: Facts) -> str:
    """The ask, as a question for 15–20 minutes, with ways to talk that make sense and their choice of one."""
    question = f"Could you spare {ASK_MINUTES} to tell me about your path and your work?"
    channels = _CHANNELS.get(f.contact.get("preferred_contact"))
    if channels is None:
        channels = "We could talk by phone or video, or in person if you are nearby: whichever you prefer."
    return f"{question} {channels}"


def availability(f: Facts) -> str:
    """When the sender is free, from Profile Availability, or nothing."""
    free = bare(f.mine("availability"))
    return f"I am free {free}, and glad to fit around your schedule." if free else ""


def follow_up_date(f: Facts) -> dt.date:
    """When the follow-up would fall due if this request goes unanswered (README, the kinds table)."""
    days = f.profile.get("follow_up_after_business_days")
    return add_business_days(f.today, days if isinstance(days, int) else int(S.FOLLOW_UP_AFTER.default or 7))


def next_contact(f: Facts) -> str:
    """When they will hear again: the follow-up date, said gently."""
    return _next_contact(follow_up_date(f), f.calendar)


@functools.lru_cache(maxsize=64)  # the same day for every request of a run
def _next_contact(day: dt.date, calendar: Calendar) -> str:
    return f"If now is a busy time, I will check back on {calendar.date(day, weekday=True)}."


# --- Follow-up ------------------------------------------------------------------------------------


def follow_up_subject(f: Facts) -> str:
    """The request's own subject, as a reply, so the follow-up threads under it (on paper, as it was)."""
    return outreach_subject(f) if f.postal else "Re: " + outreach_subject(f)


def reminder(f: Facts) -> str:
    """The connection and the ask again, in a line or two."""
    sent = f.contact.get("request_sent")
    when = f.calendar.when(sent) if isinstance(sent, dt.date) else "recently"
    by = f", at {f.referrer_name}'s suggestion," if f.referrer_name else ""
    topic = f" in {f.topic}" if f.topic else ""
    line = f"I wrote {when}{by} to ask for {ASK_MINUTES} to hear about your work{topic}."
    common = brief(f.contact.get("common_ground"), NOTE_WORDS)
    if common and not f.referrer_name:
        line += " " + _spoken(common, "We have something in common: {}")
    return line + " I know how easily messages get buried, so I thought I would try once more."


_SHORT_ASKS: dict[Any, str] = {
    PreferredContact.PHONE: "Would a short call in the coming weeks suit you?",
    PreferredContact.VIDEO: "Would a short video call in the coming weeks suit you?",
    PreferredContact.IN_PERSON: "Could I come and meet you for a short while in the coming weeks?",
}


def short_ask(f: Facts) -> str:
    """The ask again, in one line: the follow-up does not repeat the whole request."""
    return _SHORT_ASKS.get(f.contact.get("preferred_contact"),
                           "Would a short call or video chat in the coming weeks suit you?")


def alternative(f: Facts) -> str:
    """An easy way out that still helps: someone else to ask."""
    return "If now is not a good time, is there a colleague you would suggest I speak with instead?"


# --- Thank-you --------------------------------------------------------------------------------------


def thank_you_subject(f: Facts) -> str:
    met = f.contact.get("interview_date")
    how = _met_how(f)
    return f"Thank you for {how}" + (f" {f.calendar.when(met)}" if isinstance(met, dt.date) else "")


def _met_how(f: Facts) -> str:
    form = f.contact.get("interview_format")
    if form == InterviewFormat.IN_PERSON:
        return "meeting me"
    if form in (InterviewFormat.PHONE, InterviewFormat.VIDEO):
        return "our call"
    return "your time"


def thanks(f: Facts) -> str:
    met = f.contact.get("interview_date")
    verb = "meet me" if f.contact.get("interview_format") == InterviewFormat.IN_PERSON else "talk with me"
    when = f" {f.calendar.when(met)}" if isinstance(met, dt.date) else ""
    return f"Thank you for taking the time to {verb}{when}."


def _point(f: Facts) -> str:
    """The one thing to recall: Key Takeaways first, else the first answer heard; its first clause."""
    note = first_sentence(f.contact.get("key_takeaways")) or next(
        (first_sentence(a) for a in f.answers if a and str(a).strip()), "")
    clause = re.split(r"\s*[:;]\s+|\s+[—–]\s+|,\s+so\s+", bare(note), maxsplit=1)[0]
    return clause if len(clause.split()) >= 3 else bare(note)


def takeaway(f: Facts) -> str:
    """The takeaway in the sender's own framing: advice they are acting on, or a point that stayed with them."""
    point = _point(f)
    if not point:
        return ""
    later = f.kind != "thank-you"
    if first_word(point) in _ADVICE_VERBS:
        if later:
            return f"I am still acting on your advice to {lower_first(point)}."
        return f"The first thing I am acting on is your advice to {lower_first(point)}."
    if later:
        return f"Your point that {lower_first(point)} still shapes how I think about my next step."
    return f"I have been thinking about your point that {lower_first(point)}."


def referrals_line(f: Facts) -> str:
    """The people they suggested, and a gentle word about using their name; or a gentle ask for names."""
    names = person_referrals(f)
    if not names:
        return "If anyone else comes to mind who would be good to talk to, I would be glad of an introduction."
    whom = "them" if len(names) > 1 else person_names.first_name(names[0])
    return (f"Thank you, too, for suggesting {names_as_prose(names)}. I will get in touch with {whom} soon and, "
            "if that's still all right, mention that the suggestion came from you.")


def person_referrals(f: Facts) -> list[str]:
    referrals = f.contact.get("referrals")
    return [one_line(r) for r in referrals] if isinstance(referrals, list) else []


def next_step(f: Facts) -> str:
    topic = f" as I keep exploring {f.topic}" if f.topic else ""
    return f"I will put what you told me into practice{topic}, and I will let you know how it goes."


# --- Keep-in-touch ----------------------------------------------------------------------------------


def keep_in_touch_subject(f: Facts) -> str:
    if f.introduced:
        return "An update, and thank you"
    topic = f.topic
    return f"A quick update on my move into {topic}" if topic else "A quick update since we spoke"


def _last_touch(f: Facts) -> dt.date | None:
    days = [d for d in (f.contact.get("last_contact"), f.contact.get("thank_you_sent"),
                        f.contact.get("interview_date")) if isinstance(d, dt.date)]
    return max(days) if days else None


def news(f: Facts) -> str:
    """Real news: Latest News, and the conversations held since the sender last wrote (or they talked)."""
    since = _last_touch(f)
    wrote = isinstance(f.contact.get("last_contact"), dt.date) or isinstance(f.contact.get("thank_you_sent"), dt.date)
    anchor = (f"since I last wrote {f.calendar.month(since)}" if wrote else f"since we talked {f.calendar.month(since)}"
              ) if since else "since we last spoke"
    parts: list[str] = []
    latest = bare(f.mine("latest_news"))
    if latest:
        parts.append(sentence(latest if first_word(latest) in _ABOUT_SELF
                               else f"My news: {lower_first(latest)}"))
    if f.interviews_since:
        count = f.interviews_since
        people = "one more person" if count == 1 else f"{_NUMBERS.get(count, str(count))} more people"
        parts.append(f"I have talked with {people} who do the work {anchor}, and each conversation sharpens "
                     "my plans.")
    if not parts:
        parts.append(f"It has been a little while {anchor}, so I wanted to send a quick update.")
    return " ".join(parts)


_NUMBERS = dict(enumerate(("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")))


def referral_thanks(f: Facts) -> str:
    """Closing the referral loop: thanks for people they suggested whom the sender has met or will meet."""
    sentences_: list[str] = []
    for met in f.introduced:
        first = person_names.first_name(met.name)
        if met.interview and met.interview >= f.today:
            when = f.calendar.when(met.interview)
            sentences_.append(f"Thank you again for introducing me to {met.name}: we talk {when}.")
        elif met.interview:
            sentences_.append(f"Thank you again for introducing me to {met.name}. Talking with {first} "
                              f"{f.calendar.month(met.interview)} was every bit as useful as you said.")
        else:
            sentences_.append(f"Thank you again for introducing me to {met.name}.")
    return " ".join(sentences_)


def sender_block(f: Facts) -> str:
    """The top of a printed letter: the sender's name, return address, email and phone."""
    lines = [f.mine("your_name")]
    address = [one_line(line) for line in str(f.profile.get("mailing_address") or "").splitlines()]
    if address and f.mine("your_name") and address[0].casefold() == f.mine("your_name").casefold():
        address = address[1:]  # the address may start with the sender's own name
    lines += [*address, f.mine("email"), f.mine("phone")]
    return "\n".join(line for line in lines if line)


def recipient_block(f: Facts) -> str:
    """Their name, title and company, then their address as written (which may already start with the name)."""
    address = [one_line(line) for line in str(f.contact.get("mailing_address") or "").splitlines()]
    address = [line for line in address if line]
    name = full_name(f.text("first_name"), f.text("last_name"))
    named = bool(address) and name.casefold() in address[0].casefold()
    written = {line.casefold() for line in address}
    lines = [address[0] if named else name]
    lines += [t for t in (f.text("title"), f.text("company")) if t and t.casefold() not in written]
    lines += address[1:] if named else address
    return "\n".join(line for line in lines if line)


def date_line(f: Facts) -> str:
    return f.calendar.full(f.today)


def question(f: Facts) -> str:
    company = f" at {f.text('company')}" if f.text("company") else ""
    return f"What are you and your team{company} focused on these days?"


# --- By kind --------------------------------------------------------------------------------------------

Piece = Callable[[Facts], str]
_COMMON: dict[str, Piece] = {"greeting": greeting, "signature": signature, "reach_me": reach_me}
# The printed letter's layout (letter.j2), written only for postal letters.
POSTAL: dict[str, Piece] = {"sender_block": sender_block, "recipient_block": recipient_block,
                            "date_line": date_line}
KIND_PIECES: dict[str, dict[str, Piece]] = {
    "outreach": {"subject": outreach_subject, "opening": opening, "about_me": about_me, "ask": ask,
                 "availability": availability, "next_contact": next_contact},
    "follow-up": {"subject": follow_up_subject, "reminder": reminder, "short_ask": short_ask,
                  "availability": availability, "alternative": alternative},
    "thank-you": {"subject": thank_you_subject, "thanks": thanks, "takeaway": takeaway,
                  "referrals_line": referrals_line, "next_step": next_step},
    "keep-in-touch": {"subject": keep_in_touch_subject, "news": news, "referral_thanks": referral_thanks,
                      "takeaway": takeaway, "question": question},
}
PIECES: tuple[str, ...] = tuple(dict.fromkeys([*_COMMON, *(p for k in KIND_PIECES.values() for p in k), *POSTAL]))


def pieces(facts: Facts) -> dict[str, str]:
    """Every piece of prose, by name: those of the letter's kind written, the others empty.

    Every name is always there, so a person's own template may use any piece
    with any kind without an undefined-name error.
    """
    out = dict.fromkeys(PIECES, "")
    postal = POSTAL.items() if facts.postal else ()
    for name, piece in (*_COMMON.items(), *KIND_PIECES.get(facts.kind, {}).items(), *postal):
        out[name] = piece(facts)
    return out

