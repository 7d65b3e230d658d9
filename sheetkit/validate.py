"""Checking every row of a progress chart against the method (README, `sheetkit validate`).

Each rule is a small function from a :class:`Context` to the issues it finds;
:data:`RULES` lists them all. Rules never raise on odd values: a cell the
reader could not understand is an :class:`~sheetkit.values.Invalid`, reported
once by the reading rules and treated as unknown by the others. A cell showing
a formula error is reported once as such, and nothing else is said about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sheetkit import schema
from sheetkit.headers import INVISIBLE, MAX_NAME_CHARS, address_problem, display_name, name_problem, shown, text_problem
from sheetkit.issues import Issue, Report, make_issue
from sheetkit.person_names import person_key
from sheetkit.reader import Campaign, Table, read_workbook
from sheetkit.schema import PreferredContact, Status
from sheetkit.values import CellError, Invalid, full_name, name_key

S = schema
INTERVIEW_HAPPENED = (Status.SCHEDULED, *S.INTERVIEWED_STATUSES)


def _date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


@dataclass
class Context:
    """What every rule may look at: the campaign, today, and indexes built once."""

    campaign: Campaign
    today: dt.date
    issues: list[Issue] = field(default_factory=list)

    @property
    def contacts(self) -> Table:
        return self.campaign.contacts

    def col(self, column: schema.Column) -> list[Any]:
        return self.contacts.data[column.name]

    def at(self, code: str, column: schema.Column, i: int, *, table: Table | None = None,
           fallback: schema.Column | None = None, **facts: Any) -> Issue:
        """An issue at row ``i`` of a table, in ``column`` or, when that column is absent, ``fallback``."""
        t = table or self.contacts
        sheet = schema.QUESTIONS.name if t is self.campaign.questions else schema.CONTACTS.name
        cell = t.cell(column.name, i)
        shown = column
        if cell is None and fallback is not None and t.has(fallback.name):
            cell, shown = t.cell(fallback.name, i), fallback
        return make_issue(code, sheet, t.rows[i], shown.name, cell, **facts)

    def unknown(self, i: int, *columns: schema.Column) -> bool:
        """Whether any of ``columns`` in row ``i`` shows a formula error, so that its value is not known."""
        cells = self.contacts.errors.get(i)
        return cells is not None and any(e.column == c.name for e in cells for c in columns)

    def name(self, i: int) -> str:
        return full_name(self.col(S.FIRST_NAME)[i], self.col(S.LAST_NAME)[i]) or f"row {self.contacts.rows[i]}"

    @cached_property
    def with_status(self) -> dict[Status, list[int]]:
        """Row positions by status, so each rule visits only the rows it is about."""
        out: dict[Status, list[int]] = {status: [] for status in Status}
        for i, v in enumerate(self.col(S.STATUS)):
            if v.__class__ is str:
                out[v].append(i)  # type: ignore[index]
        return out

    def rows(self, *statuses: Status) -> list[tuple[int, Status]]:
        """``(position, status)`` of the rows in any of ``statuses`` (the report sorts issues afterwards)."""
        return [(i, s) for s in statuses for i in self.with_status[s]]

    @property
    def known_names(self) -> dict[str, int]:
        return self.campaign.contact_index

    @property
    def question_rows(self) -> dict[str, list[int]]:
        return self.campaign.questions_by_contact


Rule = Callable[[Context], Iterable[Issue]]


def missing_columns(ctx: Context) -> Iterator[Issue]:
    for column in (S.FIRST_NAME, S.STATUS):
        if not ctx.contacts.has(column.name):
            yield make_issue("missing-column", S.CONTACTS.name, ctx.contacts.header_row, column.name, None)


def missing_values(ctx: Context) -> Iterator[Issue]:
    for column in (S.FIRST_NAME, S.STATUS):
        if not ctx.contacts.has(column.name):
            continue
        for i in [i for i, v in enumerate(ctx.col(column)) if v is None]:
            yield ctx.at("missing-value", column, i)


def invalid_values(ctx: Context) -> Iterator[Issue]:
    """Choices and dates the reader could not understand, on Contacts and Questions (formula errors aside)."""
    for table, sheet in ((ctx.contacts, S.CONTACTS), (ctx.campaign.questions, S.QUESTIONS)):
        for column in sheet.columns:
            if column.kind not in ("choice", "date"):
                continue
            values = table.data[column.name]
            for i in [i for i, v in enumerate(values) if v.__class__ is Invalid and v.raw.__class__ is not CellError]:
                v = values[i]
                if column.kind == "choice":
                    yield ctx.at("invalid-choice", column, i, table=table, value=v, choices=", ".join(column.choices))
                else:
                    problem, otherwise = _not_a_date(v.raw)
                    yield ctx.at("invalid-date", column, i, table=table, value=v, example=ctx.today.isoformat(),
                                 problem=problem, otherwise=otherwise)


def _not_a_date(raw: object) -> tuple[str, str]:
    """What is wrong with a date cell, and the way to fix it besides typing the date."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        # Cells formatted as dates reach here as dates: a number was typed into a General
        # cell, and 14 (the 14th?) must not turn into 1900-01-13.
        return "is a number, not a date", "format the cell as a date"
    return "is not a date", "use the date picker"


def formula_errors(ctx: Context) -> Iterator[Issue]:
    """Cells showing a formula error, on Contacts, Questions and Profile: whatever they should hold is unknown."""
    for table, sheet in ((ctx.contacts, S.CONTACTS), (ctx.campaign.questions, S.QUESTIONS)):
        for i, cells in table.errors.items():
            row = table.rows[i]
            for e in cells:
                yield make_issue("formula-error", sheet.name, row, e.column, f"{e.letter}{row}", value=e.shown)
    profile = ctx.campaign.profile
    for name, error in profile.errors.items():
        yield make_issue("formula-error", S.PROFILE.name, profile.rows.get(name), name, profile.cells.get(name),
                         value=error)


def duplicate_columns(ctx: Context) -> Iterator[Issue]:
    """Headers, and Profile settings, given twice: the second is not read, which nothing else would show."""
    for table, sheet in ((ctx.contacts, S.CONTACTS), (ctx.campaign.questions, S.QUESTIONS)):
        for d in table.duplicates:
            yield make_issue("duplicate-column", sheet.name, d.row, d.column, d.cell, first=d.first)
    for d in ctx.campaign.profile.duplicates:
        yield make_issue("duplicate-setting", S.PROFILE.name, d.row, d.column, d.cell, first=d.first)


def invalid_emails(ctx: Context) -> Iterator[Issue]:
    """Addresses a draft could not be sent to, in the words the draft builder would refuse them with."""
    for i, v in enumerate(ctx.col(S.EMAIL)):
        if v and (reason := address_problem(v)):
            yield ctx.at("invalid-email", S.EMAIL, i, value=shown(v), reason=reason)


INVISIBLE_FIX = "delete that character: it is invisible, and usually comes with pasted text"
TEXT_KINDS = ("text", "names")


def _invisible(values: list[Any]) -> list[tuple[int, str]]:
    """Each text holding a character no letter can carry, with its position.

    One scan of the whole column finds none in nearly every workbook; only
    then is each cell looked at. Most columns are printable throughout, which
    str.isprintable tells in a third of the time the pattern takes.
    """
    joined = " ".join(filter(None, values))
    if joined.isprintable() or not INVISIBLE.search(joined):
        return []
    return [(i, v) for i, v in enumerate(values) if v.__class__ is str and INVISIBLE.search(v)]


def _text_facts(text: str, *, name: bool = False) -> dict[str, Any] | None:
    """What invalid-text says of a text, or None: a character no letter carries, or for a name its length."""
    if reason := text_problem(text):
        return {"value": shown(text), "reason": reason, "fix": INVISIBLE_FIX}
    if name and (reason := name_problem(text)):
        return {"value": shown(display_name(text)), "reason": reason, "fix": "shorten it"}
    return None


def invalid_text(ctx: Context) -> Iterator[Issue]:
    """Text no letter can carry: any cell may reach a Subject through a template, and names are From and To."""
    for table, sheet in ((ctx.contacts, S.CONTACTS), (ctx.campaign.questions, S.QUESTIONS)):
        for column in sheet.columns:
            if column.kind in TEXT_KINDS:
                for i, text in _invisible(table.data[column.name]):
                    if facts := _text_facts(text):
                        yield ctx.at("invalid-text", column, i, table=table, **facts)
    for label, values in ctx.contacts.extras.items():
        for i, text in _invisible(values):
            # The reader keeps no cell reference for the user's own columns: the row and header say where.
            if facts := _text_facts(text):
                yield make_issue("invalid-text", S.CONTACTS.name, ctx.contacts.rows[i], label, None, **facts)
    yield from _long_names(ctx)


def _long_names(ctx: Context) -> Iterator[Issue]:
    """Full names too long for a To header, at the longer of First Name and Last Name."""
    firsts, lasts = ctx.col(S.FIRST_NAME), ctx.col(S.LAST_NAME)
    half = MAX_NAME_CHARS // 2  # a name longer than the limit has a part at least this long
    suspects = {i for values in (firsts, lasts) for i, v in enumerate(values) if v and len(v) >= half}
    for i in sorted(suspects):
        name = full_name(firsts[i], lasts[i])
        # An invisible character is reported on its own cell already.
        if not text_problem(name) and (facts := _text_facts(name, name=True)):
            longer = S.FIRST_NAME if len(firsts[i] or "") >= len(lasts[i] or "") else S.LAST_NAME
            yield ctx.at("invalid-text", longer, i, **facts)


FUTURE_CHECKED = (S.REQUEST_SENT, S.FOLLOWED_UP, S.THANK_YOU_SENT, S.LAST_CONTACT)


def future_dates(ctx: Context) -> Iterator[Issue]:
    today = ctx.today
    for column in FUTURE_CHECKED:
        values = ctx.col(column)
        for i in [i for i, v in enumerate(values) if v.__class__ is dt.date and v > today]:
            yield ctx.at("future-date", column, i, value=values[i].isoformat(), today=today.isoformat())


DATE_ORDER = ((S.FOLLOWED_UP, S.REQUEST_SENT), (S.INTERVIEW_DATE, S.REQUEST_SENT), (S.THANK_YOU_SENT, S.INTERVIEW_DATE))


def date_order(ctx: Context) -> Iterator[Issue]:
    date = dt.date
    for later, earlier in DATE_ORDER:
        after, before = ctx.col(later), ctx.col(earlier)
        wrong = [i for i, (a, b) in enumerate(zip(after, before, strict=True))
                 if a.__class__ is date and b.__class__ is date and a < b]
        for i in wrong:
            yield ctx.at("date-order", later, i, value=after[i].isoformat(), other=earlier.name,
                         other_value=before[i].isoformat())


NEEDED_DATE = {
    Status.REQUESTED: S.REQUEST_SENT,
    Status.SCHEDULED: S.INTERVIEW_DATE,
    Status.INTERVIEWED: S.INTERVIEW_DATE,
    Status.THANKED: S.THANK_YOU_SENT,
}


def status_mismatch(ctx: Context) -> Iterator[Issue]:
    for i, status in ctx.rows(*NEEDED_DATE):
        needed = NEEDED_DATE[status]
        value = ctx.col(needed)[i]
        if value is None:
            detail = f"Status is {status} but {needed.name} is empty — fill in {needed.name} or correct the Status."
            yield ctx.at("status-mismatch", needed, i, fallback=S.STATUS, detail=detail)
        elif status is Status.INTERVIEWED and value.__class__ is dt.date and value > ctx.today:
            detail = (
                f"Status is Interviewed but the Interview Date {value.isoformat()} is still to come — "
                "set Status to Scheduled, or correct the date."
            )
            yield ctx.at("status-mismatch", S.STATUS, i, detail=detail)


# The detail each preferred way of contact needs; video and meetings are arranged by email or phone.
ROUTE_FOR: dict[str, tuple[schema.Column, ...]] = {
    PreferredContact.EMAIL: (S.EMAIL,),
    PreferredContact.PHONE: (S.PHONE,),
    PreferredContact.LETTER: (S.MAILING_ADDRESS,),
    PreferredContact.VIDEO: (S.EMAIL, S.PHONE),
    PreferredContact.IN_PERSON: (S.EMAIL, S.PHONE, S.MAILING_ADDRESS),
}


def no_contact_route(ctx: Context) -> Iterator[Issue]:
    emails, phones, addresses = ctx.col(S.EMAIL), ctx.col(S.PHONE), ctx.col(S.MAILING_ADDRESS)
    preferred = ctx.col(S.PREFERRED_CONTACT)
    details = {S.EMAIL.name: emails, S.PHONE.name: phones, S.MAILING_ADDRESS.name: addresses}
    for i, status in ctx.rows(Status.TO_CONTACT, Status.REQUESTED):
        if not (emails[i] or phones[i] or addresses[i]):
            if ctx.unknown(i, S.EMAIL, S.PHONE, S.MAILING_ADDRESS):
                continue  # a way to reach them may be behind the formula error
            detail = (
                f"{ctx.name(i)} is {status} but has no Email, Phone or Mailing Address — "
                "add at least one way to reach them."
            )
            yield ctx.at("no-contact-route", S.EMAIL, i, fallback=S.STATUS, detail=detail)
            continue
        pref = preferred[i]
        needs = ROUTE_FOR.get(pref) if isinstance(pref, str) else None
        if needs and not any(details[c.name][i] for c in needs) and not ctx.unknown(i, *needs):
            what = " or ".join(c.name for c in needs)
            detail = (
                f"Preferred Contact is {pref} but {what} is empty — add it, or change Preferred Contact."
            )
            yield ctx.at("no-contact-route", needs[0], i, fallback=S.PREFERRED_CONTACT, detail=detail)


def thank_you_late(ctx: Context) -> Iterator[Issue]:
    within = ctx.campaign.profile.number(S.THANK_YOU_WITHIN)
    interviews, thanks = ctx.col(S.INTERVIEW_DATE), ctx.col(S.THANK_YOU_SENT)
    for i, status in ctx.rows(*INTERVIEW_HAPPENED):
        met = interviews[i]
        if met.__class__ is not dt.date or met > ctx.today:
            continue
        sent = thanks[i]
        if sent.__class__ is dt.date:
            if (sent - met).days > within:
                detail = (
                    f"The thank-you went out {(sent - met).days} days after the interview ({met.isoformat()}) — "
                    f"aim for within {within} days next time."
                )
                yield ctx.at("thank-you-late", S.THANK_YOU_SENT, i, detail=detail)
        elif sent is None and status in S.AWAITING_THANKS and (ctx.today - met).days > within:
            detail = (
                f"No thank-you yet to {ctx.name(i)}, interviewed {met.isoformat()} "
                f"({(ctx.today - met).days} days ago) — send a brief note today "
                "(`sheetkit drafts --kind thank-you`), then fill in Thank-You Sent."
            )
            yield ctx.at("thank-you-late", S.THANK_YOU_SENT, i, fallback=S.INTERVIEW_DATE, detail=detail)


def duplicates(ctx: Context) -> Iterator[Issue]:
    by_email: dict[str, int] = {}
    by_name: dict[str, int] = {}
    firsts, lasts, companies = ctx.col(S.FIRST_NAME), ctx.col(S.LAST_NAME), ctx.col(S.COMPANY)
    for i, email in enumerate(ctx.col(S.EMAIL)):
        if email:
            j = by_email.setdefault(email.casefold(), i)
            if j != i:
                yield ctx.at("duplicate-contact", S.EMAIL, i, what="email",
                             other_row=ctx.contacts.rows[j], name=ctx.name(j))
                continue
        if firsts[i]:
            key = name_key(f"{firsts[i]}\x00{lasts[i] or ''}\x00{companies[i] or ''}")
            j = by_name.setdefault(key, i)
            if j != i:
                yield ctx.at("duplicate-contact", S.FIRST_NAME, i, what="name and company",
                             other_row=ctx.contacts.rows[j], name=ctx.name(j))


def unknown_referrers(ctx: Context) -> Iterator[Issue]:
    known = ctx.known_names
    for i, v in enumerate(ctx.col(S.REFERRED_BY)):
        if v and person_key(v) not in known:
            yield ctx.at("unknown-referrer", S.REFERRED_BY, i, value=v)


def unknown_question_contacts(ctx: Context) -> Iterator[Issue]:
    known = ctx.known_names
    q = ctx.campaign.questions
    for name, positions in ctx.question_rows.items():
        if name not in known:
            for j in positions:
                yield ctx.at("unknown-contact", S.Q_CONTACT, j, table=q, value=q.data[S.Q_CONTACT.name][j])


def missing_notes(ctx: Context) -> Iterator[Issue]:
    common, takeaways = ctx.col(S.COMMON_GROUND), ctx.col(S.KEY_TAKEAWAYS)
    for i, status in ctx.rows(Status.TO_CONTACT, Status.INTERVIEWED, Status.THANKED):
        if status is Status.TO_CONTACT:
            if not common[i]:
                yield ctx.at("missing-common-ground", S.COMMON_GROUND, i, fallback=S.STATUS, name=ctx.name(i))
        elif not takeaways[i]:
            yield ctx.at("missing-takeaways", S.KEY_TAKEAWAYS, i, fallback=S.STATUS, name=ctx.name(i))


def question_counts(ctx: Context) -> Iterator[Issue]:
    per_contact = ctx.question_rows
    for i, _ in ctx.rows(Status.SCHEDULED):
        count = len(per_contact.get(name_key(ctx.name(i)), ()))
        if count < S.MIN_QUESTIONS:
            yield ctx.at("too-few-questions", S.FIRST_NAME, i, name=ctx.name(i), count=count,
                         min=S.MIN_QUESTIONS)
    q = ctx.campaign.questions
    for rows in per_contact.values():
        if len(rows) > S.MAX_QUESTIONS:
            j = rows[S.MAX_QUESTIONS]
            who = q.data[S.Q_CONTACT.name][j]
            yield ctx.at("too-many-questions", S.Q_CONTACT, j, table=q, name=who, count=len(rows),
                         max=S.MAX_QUESTIONS)


# What each kind of Profile setting takes, and how to put a wrong value right.
_SETTING_FIX: dict[str, Callable[[schema.Setting], dict[str, str]]] = {
    "int": lambda s: {"expected": "a whole number", "fix": f"type a number such as {s.default}"},
    "choice": lambda s: {"expected": f"a {s.name}", "fix": "type one of: " + " or ".join(s.choices)},
    "timezone": lambda s: {"expected": "a time zone", "fix": "type an IANA name such as Europe/Dublin or "
                           "America/New_York, or leave it empty for this computer's"},
}


def profile_rules(ctx: Context) -> Iterator[Issue]:
    profile = ctx.campaign.profile
    sheet = S.PROFILE.name

    def at(code: str, setting: schema.Setting, **facts: Any) -> Issue:
        return make_issue(code, sheet, profile.rows.get(setting.name), setting.name,
                          profile.cells.get(setting.name), **facts)

    email = profile.get(S.MY_EMAIL)
    if isinstance(email, str) and (reason := address_problem(email)):
        yield at("invalid-email", S.MY_EMAIL, value=shown(email), reason=reason)
    for setting in S.PROFILE_SETTINGS:
        value = profile.get(setting)
        # Your Name is every draft's From name; any other text may reach a Subject through a template.
        if setting.kind == "text" and isinstance(value, str) and (
                facts := _text_facts(value, name=setting is S.YOUR_NAME)):
            yield at("invalid-text", setting, **facts)
    for setting in S.PROFILE_SETTINGS:
        value = profile.get(setting)
        if isinstance(value, Invalid) or (setting.kind == "int" and isinstance(value, int) and value < 0):
            yield at("invalid-setting", setting, value=value, **_SETTING_FIX[setting.kind](setting))
    pitch = profile.get(S.ELEVATOR_PITCH)
    if isinstance(pitch, str):
        words = len(pitch.split())
        if words > S.PITCH_MAX_WORDS:
            yield at("pitch-too-long", S.ELEVATOR_PITCH, words=words, max=S.PITCH_MAX_WORDS)


RULES: tuple[Rule, ...] = (
    missing_columns,
    duplicate_columns,
    formula_errors,
    missing_values,
    invalid_values,
    invalid_emails,
    invalid_text,
    future_dates,
    date_order,
    status_mismatch,
    no_contact_route,
    thank_you_late,
    duplicates,
    unknown_referrers,
    unknown_question_contacts,
    missing_notes,
    question_counts,
    profile_rules,
)


# Rules that only ever warn. Planning needs the errors alone (a letter is held back on
# an error, never on a warning), and on a cohort these are half of the checking.
WARNING_RULES: frozenset[Rule] = frozenset(
    {thank_you_late, duplicates, unknown_referrers, unknown_question_contacts, missing_notes, question_counts,
     duplicate_columns}
)


def check(campaign: Campaign, today: dt.date | None = None, *, errors_only: bool = False) -> Report:
    """Every issue in a campaign already read, or with ``errors_only`` its errors; never raises on cell content."""
    ctx = Context(campaign, today or dt.date.today())
    report = Report(str(campaign.path))
    for rule in RULES:
        if errors_only and rule in WARNING_RULES:
            continue
        report.issues.extend(i for i in rule(ctx) if not errors_only or i.severity == "error")
    # A cell showing a formula error has no value: that it is empty, or anything else
    # another rule finds there, would be said about a value nobody knows.
    unknown = {(i.sheet, i.cell) for i in report.issues if i.code == "formula-error"}
    if unknown:
        report.issues = [i for i in report.issues if i.code == "formula-error" or (i.sheet, i.cell) not in unknown]
    report.sort()
    return report


def validate(path: str | Path, today: dt.date | None = None) -> Report:
    """Read a workbook and check it: the library's equivalent of ``sheetkit validate``."""
    return check(read_workbook(path), today)

