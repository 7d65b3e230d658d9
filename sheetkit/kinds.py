"""The kinds of action on the agenda, each declared once with everything that belongs to it.

A :class:`Kind` says which statuses it applies to, when it falls due (a small
rule function), whether it makes a letter and from which template, the hint
``status`` shows, the column ``record`` fills when it is done and the status it
moves the contact to (README, "What is due"). The planner, ``status``,
``drafts --kind``, the Guide sheet and the README's kinds table all read this
registry, so adding a kind is its entry here (or a :func:`register` call), its
template and its README row.

This module is pure and light: no workbook is read here and nothing heavy is
imported, so the command line can list the kinds in its help instantly.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sheetkit import schema
from sheetkit.errors import ArgumentError, UsageError
from sheetkit.person_names import person_key
from sheetkit.schema import Column, Status
from sheetkit.values import full_name, split_names

S = schema


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


def as_date(value: Any) -> dt.date | None:
    """A cell's date, or None when it is empty or could not be read as one."""
    return value if value.__class__ is dt.date else None


@dataclass(frozen=True, slots=True)
class Due:
    """One action a rule found due: when, whether overdue, a note; ``contact`` names someone else than the row."""

    when: dt.date
    overdue: bool = False
    note: str = ""
    contact: str | None = None


@dataclass(frozen=True)
class Situation:
    """What every rule may look at besides the row: the day, the Profile's intervals, who is known."""

    today: dt.date
    follow_up_after: int
    thank_you_within: int
    keep_in_touch_every: int
    known: Mapping[str, int]
    questions: Mapping[str, list[int]]

    def questions_for(self, name: str) -> int:
        """How many questions are prepared for the contact of this full name."""
        return len(self.questions.get(person_key(name), ()))


class Row:
    """One contact row as the due rules see it: values by schema column, dates as dates or None."""

    __slots__ = ("_columns", "_times", "index", "status")

    def __init__(self, columns: Mapping[str, list[Any]], index: int, status: Status,
                 times: Mapping[str, Mapping[int, dt.time]] | None = None) -> None:
        self._columns = columns
        self._times = times or {}
        self.index = index
        self.status = status

    def value(self, column: Column) -> Any:
        return self._columns[column.name][self.index]

    def date(self, column: Column) -> dt.date | None:
        return as_date(self._columns[column.name][self.index])

    def time(self, column: Column) -> dt.time | None:
        """The time of day a date cell holds besides its date, if it holds one."""
        held = self._times.get(column.name)
        return held.get(self.index) if held else None

    @property
    def name(self) -> str:
        return full_name(self.value(S.FIRST_NAME), self.value(S.LAST_NAME))


DueRule = Callable[[Row, Situation], Iterable[Due]]


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of action: its due rule and everything the rest of sheetkit needs to know about it.

    ``statuses`` are the statuses the rule is asked about (empty: every status).
    ``records`` and ``moves_to`` say what ``record`` writes when it is done:
    the date column it fills and the status it moves the contact to, only
    from one of ``moves_from`` (a status never moves back). ``recurs`` says
    its letter can come round again for one person, each round known by its
    due date (a new request, another interview, every few months), so
    ``drafts`` gives each round its own file.
    """

    name: str
    hint: str
    due_when: str
    rule: DueRule
    statuses: tuple[Status, ...] = ()
    letter: bool = False
    records: Column | None = None
    moves_from: tuple[Status, ...] = ()
    moves_to: Status | None = None
    template: str = field(default="")
    recurs: bool = False

    def __post_init__(self) -> None:
        if self.letter and not self.template:
            object.__setattr__(self, "template", self.name)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"

    @property
    def what(self) -> str:
        """How ``status`` names the action: ``follow-up: send a polite follow-up``."""
        return f"{self.name}: {self.hint}"


_REGISTRY: dict[str, Kind] = {}
_ORDER: dict[Kind, int] = {}


def register(kind: Kind) -> Kind:
    """Add a kind to the agenda (after the ones already there); its name must be new."""
    if kind.name in _REGISTRY:
        raise ArgumentError(f"a kind named {kind.name!r} is already registered")
    _REGISTRY[kind.name] = kind
    _ORDER[kind] = len(_ORDER)
    _by_status.cache_clear()
    return kind


def all_kinds() -> tuple[Kind, ...]:
    """Every kind, in the order the method reaches them (the agenda's order for ties)."""
    return tuple(_REGISTRY.values())


def letter_kinds() -> tuple[Kind, ...]:
    """The kinds that make a letter, the ones ``drafts --kind`` accepts."""
    return tuple(k for k in _REGISTRY.values() if k.letter)


def recordable_kinds() -> tuple[Kind, ...]:
    """The kinds whose doing is written in a column: the ones ``record --done`` accepts."""
    return tuple(k for k in _REGISTRY.values() if k.records is not None)


def get(name: str) -> Kind | None:
    """The kind of this name (ignoring case and surrounding spaces), or None."""
    return _REGISTRY.get(name.strip().lower())


def parse(values: Iterable[str], among: Iterable[Kind], *, option: str = "--kind",
          what: str = "a kind of letter", hint: str = "") -> list[Kind]:
    """Kinds named on the command line (ignoring case and spaces), each one of ``among``, or :class:`UsageError`."""
    allowed = {k.name: k for k in among}
    chosen: list[Kind] = []
    for value in values:
        kind = allowed.get(value.strip().lower())
        if kind is None:
            raise UsageError(f"{option} {value!r} is not {what}", f"choose from {', '.join(allowed)}{hint}")
        chosen.append(kind)
    return chosen


def order(kind: Kind) -> int:
    """The kind's place in the registry, for sorting."""
    return _ORDER[kind]


@functools.lru_cache(maxsize=1)
def _by_status() -> dict[Status, tuple[Kind, ...]]:
    table: dict[Status, tuple[Kind, ...]] = {}
    for status in Status:
        table[status] = tuple(k for k in _REGISTRY.values() if not k.statuses or status in k.statuses)
    return table


def kinds_for(status: Status) -> tuple[Kind, ...]:
    """The kinds whose rule applies to a contact of this status, in registry order."""
    return _by_status()[status]


# --- The rules of the method ----------------------------------------------------


# The rules return tuples, not generators: the planner asks every row of a cohort.
NOTHING: tuple[Due, ...] = ()


def _outreach(row: Row, s: Situation) -> Iterable[Due]:
    return (Due(s.today),) if row.value(S.REQUEST_SENT) is None else NOTHING


def _later(row: Row, column: Column, than: Column) -> bool:
    """``column``'s date is after ``than``'s; on the same day only when its cell holds a time that is later.

    A date alone on the day of the request is the day one asked, not an answer; a reply that came within the
    day is recorded with its time (README, The mailbox), so that it still counts.
    """
    day, other = row.date(column), row.date(than)
    if day is None or other is None:
        return False
    if day != other:
        return day > other
    at, other_at = row.time(column), row.time(than)
    return at is not None and (other_at is None or at > other_at)


def _replied(row: Row) -> dt.date | None:
    """When a Requested contact wrote back: a Last Contact after the request (and after the follow-up, if any)."""
    if not _later(row, S.LAST_CONTACT, S.REQUEST_SENT):
        return None
    if row.date(S.FOLLOWED_UP) is not None and not _later(row, S.LAST_CONTACT, S.FOLLOWED_UP):
        return None
    return row.date(S.LAST_CONTACT)


def _reply(row: Row, s: Situation) -> Iterable[Due]:
    when = _replied(row)
    return NOTHING if when is None or when > s.today else (Due(when, False, f"replied on {when.isoformat()}"),)


def _follow_up_date(row: Row, s: Situation) -> dt.date | None:
    """When an unanswered request falls due a follow-up, if it has by today; never once they replied."""
    if row.value(S.FOLLOWED_UP) is not None or _replied(row) is not None:
        return None
    asked = row.date(S.REQUEST_SENT)
    if asked is None:
        return None
    when = add_business_days(asked, s.follow_up_after)
    return when if when <= s.today else None


def _follow_up(row: Row, s: Situation) -> Iterable[Due]:
    when = _follow_up_date(row, s)
    return NOTHING if when is None else (Due(when, when < s.today),)


def _call(row: Row, s: Situation) -> Iterable[Due]:
    phone = row.value(S.PHONE)
    when = _follow_up_date(row, s) if phone else None
    return NOTHING if when is None else (Due(when, when < s.today, str(phone)),)


def _prepare(row: Row, s: Situation) -> Iterable[Due]:
    count = s.questions_for(row.name)
    interview = row.date(S.INTERVIEW_DATE)
    if count < S.MIN_QUESTIONS and (interview is None or interview >= s.today):
        on = f", interview {interview.isoformat()}" if interview else ""
        return (Due(s.today, False, f"{count} of {S.MIN_QUESTIONS} questions{on}"),)
    return NOTHING


def _thank_you(row: Row, s: Situation) -> Iterable[Due]:
    interview = row.date(S.INTERVIEW_DATE)
    if interview is not None and interview <= s.today and row.value(S.THANK_YOU_SENT) is None:
        return (Due(interview, (s.today - interview).days > s.thank_you_within),)
    return NOTHING


def _add_referral(row: Row, s: Situation) -> Iterable[Due]:
    suggested = row.value(S.REFERRALS_GIVEN)
    if not suggested:
        return NOTHING
    met = row.date(S.INTERVIEW_DATE)
    when = min(met or s.today, s.today)
    by = row.name
    return tuple(Due(when, False, f"suggested by {by}", contact=referral)
                 for referral in split_names(suggested) if person_key(referral) not in s.known)


def _keep_in_touch(row: Row, s: Situation) -> Iterable[Due]:
    anchors = [d for d in (row.date(S.LAST_CONTACT), row.date(S.THANK_YOU_SENT)) if d]
    if anchors:
        when = add_days(max(anchors), s.keep_in_touch_every)
        if when <= s.today:
            return (Due(when, when < s.today),)
    return NOTHING


STAYING_IN_TOUCH = (Status.THANKED, Status.KEEPING_IN_TOUCH)

OUTREACH = register(Kind(
    "outreach", "write the request", f"`{Status.TO_CONTACT}`, no `{S.REQUEST_SENT.name}`", _outreach,
    statuses=(Status.TO_CONTACT,), letter=True, records=S.REQUEST_SENT,
    moves_from=(Status.PROSPECT, Status.TO_CONTACT), moves_to=Status.REQUESTED,
))
FOLLOW_UP = register(Kind(
    "follow-up", "send a polite follow-up",
    f"`{Status.REQUESTED}`, no `{S.FOLLOWED_UP.name}`, `{S.FOLLOW_UP_AFTER.name}` business days after "
    f"`{S.REQUEST_SENT.name}`",
    _follow_up, statuses=(Status.REQUESTED,), letter=True, records=S.FOLLOWED_UP, recurs=True,
))
CALL = register(Kind(
    "call", "call", "as `follow-up`, when a phone number is known", _call,
    statuses=(Status.REQUESTED,), records=S.FOLLOWED_UP,
))
REPLY = register(Kind(
    "reply", "schedule the interview",
    f"`{Status.REQUESTED}`, `{S.LAST_CONTACT.name}` after `{S.REQUEST_SENT.name}` (and after `{S.FOLLOWED_UP.name}` "
    f"when filled; on the same day, when `{S.LAST_CONTACT.name}` holds a later time): they wrote back",
    _reply, statuses=(Status.REQUESTED,),
))
PREPARE = register(Kind(
    "prepare", "prepare questions", f"`{Status.SCHEDULED}` with fewer than {S.MIN_QUESTIONS} questions", _prepare,
    statuses=(Status.SCHEDULED,),
))
THANK_YOU = register(Kind(
    "thank-you", "send a thank-you",
    f"`{S.INTERVIEW_DATE.name}` reached, no `{S.THANK_YOU_SENT.name}`; overdue after "
    f"`{S.THANK_YOU_WITHIN.name}`",
    _thank_you, statuses=S.AWAITING_THANKS, letter=True, records=S.THANK_YOU_SENT,
    moves_from=S.AWAITING_THANKS, moves_to=Status.THANKED, recurs=True,
))
ADD_REFERRAL = register(Kind(
    "add-referral", "add to Contacts", f"a name in `{S.REFERRALS_GIVEN.name}` that is not yet a contact",
    _add_referral,
))
KEEP_IN_TOUCH = register(Kind(
    "keep-in-touch", "send an update",
    f"`{Status.THANKED}` or `{Status.KEEPING_IN_TOUCH}`, `{S.KEEP_IN_TOUCH_EVERY.name}` after the later of "
    f"`{S.LAST_CONTACT.name}` and `{S.THANK_YOU_SENT.name}`",
    _keep_in_touch, statuses=STAYING_IN_TOUCH, letter=True, records=S.LAST_CONTACT,
    moves_from=(Status.THANKED,), moves_to=Status.KEEPING_IN_TOUCH, recurs=True,
))
