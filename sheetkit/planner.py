"""What is due today (SPEC §5): a pure function from a campaign and a date to actions.

The planner never proposes a letter for a row whose cells hold an error
(an invalid email, a date that is not a date, …): such rows are listed as
*held* instead, so a broken cell never turns into a wrong letter.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sheetkit import schema
from sheetkit.issues import Report
from sheetkit.reader import Campaign
from sheetkit.schema import Status
from sheetkit.values import full_name, name_key, split_names

S = schema


class Kind(StrEnum):
    """The actions of SPEC §5, in the order the method reaches them."""

    OUTREACH = "outreach"
    FOLLOW_UP = "follow-up"
    CALL = "call"
    PREPARE = "prepare"
    THANK_YOU = "thank-you"
    ADD_REFERRAL = "add-referral"
    KEEP_IN_TOUCH = "keep-in-touch"


LETTER_KINDS: tuple[Kind, ...] = (Kind.OUTREACH, Kind.FOLLOW_UP, Kind.THANK_YOU, Kind.KEEP_IN_TOUCH)
KIND_ORDER = {k: i for i, k in enumerate(Kind)}
STAYING_IN_TOUCH = (Status.THANKED, Status.KEEPING_IN_TOUCH)


@functools.lru_cache(maxsize=4096)
def add_business_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start``, skipping Saturdays and Sundays; ``date.max`` past the calendar.

    Any seven days in a row hold five working days, so whole weeks are added at
    once and at most a week is walked: a Profile setting of ten million days
    costs no more than seven.
    """
    if days <= 0:
        return start
    weeks = (days - 1) // 5  # leaves one to five working days to walk
    left = days - 5 * weeks
    try:
        day = start + dt.timedelta(days=7 * weeks)
        while left > 0:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
    except OverflowError:
        return dt.date.max
    return day


def add_days(start: dt.date, days: int) -> dt.date:
    """``start`` plus ``days``, or the calendar's last (first) day when that lies beyond it."""
    try:
        return start + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


@dataclass(frozen=True, slots=True)
class Action:
    """One thing to do: ``index`` is the contact's position in the table (for the letters)."""

    kind: Kind
    contact: str
    row: int
    due: dt.date
    overdue: bool
    index: int
    note: str = ""

    @property
    def letter(self) -> bool:
        return self.kind in LETTER_KINDS

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "contact": self.contact,
            "row": self.row,
            "due": self.due.isoformat(),
            "overdue": self.overdue,
        }


@dataclass(frozen=True, slots=True)
class FieldProgress:
    field: str
    interviews: int
    goal: int

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "interviews": self.interviews, "goal": self.goal}


@dataclass
class Plan:
    """The pipeline and the agenda for one day."""

    today: dt.date
    counts: dict[str, int]
    fields: list[FieldProgress]
    actions: list[Action]
    held: list[Action] = field(default_factory=list)
    # The Profile settings with errors: they hold back every letter (the From is the Profile's).
    profile_errors: list[str] = field(default_factory=list)
    asked: int = 0
    answered: int = 0

    def letters(self) -> list[Action]:
        return [a for a in self.actions if a.letter]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of SPEC §5."""
        return {
            "today": self.today.isoformat(),
            "counts": self.counts,
            "fields": [f.to_dict() for f in self.fields],
            "actions": [a.to_dict() for a in self.actions],
        }


def _day(value: Any) -> dt.date | None:
    return value if value.__class__ is dt.date else None


def plan(campaign: Campaign, today: dt.date, report: Report | None = None) -> Plan:
    """Every due action on ``today``; letters for rows with errors are held back.

    ``report`` is the campaign's validation if already at hand; otherwise the
    errors are looked for in the rows with a letter due alone (every error rule
    looks at one row, or at the Profile), a fifth of a cohort.
    """
    c = campaign.contacts
    profile = campaign.profile
    follow_after = profile.number(S.FOLLOW_UP_AFTER)
    thanks_within = profile.number(S.THANK_YOU_WITHIN)
    touch_every = profile.number(S.KEEP_IN_TOUCH_EVERY)
    goal = profile.number(S.INTERVIEWS_PER_FIELD_GOAL)

    col = c.data
    firsts, lasts = col[S.FIRST_NAME.name], col[S.LAST_NAME.name]
    by_value = {str(s): s for s in Status}
    statuses = [by_value.get(v) if v.__class__ is str else None for v in col[S.STATUS.name]]
    sent, followed = col[S.REQUEST_SENT.name], col[S.FOLLOWED_UP.name]
    met, thanked, last = col[S.INTERVIEW_DATE.name], col[S.THANK_YOU_SENT.name], col[S.LAST_CONTACT.name]
    phones, referrals = col[S.PHONE.name], col[S.REFERRALS_GIVEN.name]

    known = campaign.contact_index
    asked_questions = campaign.questions_by_contact

    actions: list[Action] = []
    found: list[tuple[Kind, dt.date, bool, str]] = []  # what one row is due: kind, when, overdue, note
    for i, status in enumerate(statuses):
        if status is None or not firsts[i]:
            continue
        found.clear()
        if status is Status.TO_CONTACT and sent[i] is None:
            found.append((Kind.OUTREACH, today, False, ""))
        elif status is Status.REQUESTED and followed[i] is None and (asked := _day(sent[i])):
            when = add_business_days(asked, follow_after)
            if when <= today:
                found.append((Kind.FOLLOW_UP, when, when < today, ""))
                if phones[i]:
                    found.append((Kind.CALL, when, when < today, str(phones[i])))
        elif status is Status.SCHEDULED:
            count = len(asked_questions.get(name_key(full_name(firsts[i], lasts[i])), ()))
            interview = _day(met[i])
            if count < S.MIN_QUESTIONS and (interview is None or interview >= today):
                on = f", interview {interview.isoformat()}" if interview else ""
                found.append((Kind.PREPARE, today, False, f"{count} of {S.MIN_QUESTIONS} questions{on}"))
        if status in S.AWAITING_THANKS and (interview := _day(met[i])) and interview <= today and thanked[i] is None:
            found.append((Kind.THANK_YOU, interview, (today - interview).days > thanks_within, ""))
        elif status in STAYING_IN_TOUCH:
            anchors = [d for d in (_day(last[i]), _day(thanked[i])) if d]
            if anchors:
                when = add_days(max(anchors), touch_every)
                if when <= today:
                    found.append((Kind.KEEP_IN_TOUCH, when, when < today, ""))
        suggested = referrals[i]
        if not found and not suggested:
            continue
        row = c.rows[i]
        name = full_name(firsts[i], lasts[i])
        for kind, when, overdue, note in found:
            actions.append(Action(kind, name, row, when, overdue, i, note))
        for referral in split_names(suggested):
            if name_key(referral) not in known:
                when = min(_day(met[i]) or today, today)
                actions.append(Action(Kind.ADD_REFERRAL, referral, row, when, False, i, f"suggested by {name}"))

    if report is None:
        from sheetkit.validate import check

        letter_rows = sorted({a.index for a in actions if a.letter})
        report = check(replace(campaign, contacts=c.take(letter_rows)), today, errors_only=True)
    broken_rows = {i.row for i in report.issues if i.severity == "error" and i.sheet == S.CONTACTS.name}
    profile_errors = list(dict.fromkeys(
        i.column or i.sheet for i in report.issues if i.severity == "error" and i.sheet == S.PROFILE.name
    ))
    held = [a for a in actions if a.letter and (profile_errors or a.row in broken_rows)]
    if held:
        kept_back = {id(a) for a in held}
        actions = [a for a in actions if id(a) not in kept_back]
    actions.sort(key=lambda a: (not a.overdue, a.due, a.row, KIND_ORDER[a.kind]))
    return Plan(
        today=today,
        counts=_counts(statuses),
        fields=_fields(col[S.FIELD.name], statuses, goal),
        actions=actions,
        held=held,
        profile_errors=profile_errors if held else [],
        asked=sum(1 for s in statuses if s in S.ASKED_STATUSES),
        answered=sum(1 for s in statuses if s in S.ANSWERED_STATUSES),
    )


def _counts(statuses: list[Status | None]) -> dict[str, int]:
    tally = Counter(s for s in statuses if s is not None)
    return {str(s): tally.get(s, 0) for s in Status}


def _fields(fields: list[Any], statuses: list[Status | None], goal: int) -> list[FieldProgress]:
    """Interviews per field, fields grouped ignoring case, shown as first written."""
    shown: dict[str, str] = {}
    done: Counter[str] = Counter()
    keys: dict[str, str] = {}  # a cohort writes the same few fields a hundred thousand times
    for value, status in zip(fields, statuses, strict=True):
        if not value:
            continue
        key = keys.get(value)
        if key is None:
            key = keys[value] = name_key(value)
        shown.setdefault(key, value)
        if status in S.INTERVIEWED_STATUSES:
            done[key] += 1
    return [FieldProgress(shown[k], done[k], goal) for k in sorted(shown, key=lambda k: shown[k].casefold())]
