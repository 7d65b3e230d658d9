"""What is due on a day: a pure function from a campaign and a date to a :class:`Plan`.

The kinds of action and their due rules are declared in :mod:`sheetkit.kinds`;
this module walks the rows once, asks each row's kinds what is due, and adds
the pipeline's counts. It reads no clock and no file, and knows nothing of
validation: :meth:`Plan.hold_back` takes the errors as an input, and
:func:`sheetkit.agenda.plan` joins the two for the commands.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from sheetkit import kinds, schema
from sheetkit.issues import Report
from sheetkit.kinds import Kind, Row, Situation, add_business_days, add_days
from sheetkit.reader import Campaign
from sheetkit.schema import Status
from sheetkit.values import name_key

S = schema

__all__ = ["Action", "FieldProgress", "Kind", "Plan", "add_business_days", "add_days", "due_actions"]


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
        return self.kind.letter

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

    @property
    def overdue(self) -> int:
        """How many of the day's actions are overdue, as `status` and the report show it (held letters apart)."""
        return sum(a.overdue for a in self.actions)

    @property
    def answered_percent(self) -> int | None:
        """The share of requests answered, in whole percent, as `status` and the report show it."""
        return round(100 * self.answered / self.asked) if self.asked else None

    def hold_back(self, report: Report) -> Plan:
        """This plan with the letters of rows that have errors in ``report`` moved to ``held``.

        A Profile error holds back every letter: it reaches every letter's
        From or signature. A broken cell never turns into a wrong letter.
        """
        broken_rows = {i.row for i in report.issues if i.severity == "error" and i.sheet == S.CONTACTS.name}
        profile_errors = list(dict.fromkeys(
            i.column or i.sheet for i in report.issues if i.severity == "error" and i.sheet == S.PROFILE.name
        ))
        held = [a for a in self.actions if a.letter and (profile_errors or a.row in broken_rows)]
        if not held:
            return self
        kept_back = {id(a) for a in held}
        actions = [a for a in self.actions if id(a) not in kept_back]
        return replace(self, actions=actions, held=[*self.held, *held], profile_errors=profile_errors)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `status --format json` (README, `sheetkit status`)."""
        return {
            "today": self.today.isoformat(),
            "counts": self.counts,
            "fields": [f.to_dict() for f in self.fields],
            "actions": [a.to_dict() for a in self.actions],
        }


def due_actions(campaign: Campaign, today: dt.date) -> Plan:
    """Every action due on ``today``, overdue first, with the pipeline; nothing held back yet."""
    c = campaign.contacts
    profile = campaign.profile
    situation = Situation(
        today=today,
        follow_up_after=profile.number(S.FOLLOW_UP_AFTER),
        thank_you_within=profile.number(S.THANK_YOU_WITHIN),
        keep_in_touch_every=profile.number(S.KEEP_IN_TOUCH_EVERY),
        known=campaign.contact_index,
        questions=campaign.questions_by_contact,
    )
    col = c.data
    firsts = col[S.FIRST_NAME.name]
    by_value = {str(s): s for s in Status}
    statuses = [by_value.get(v) if v.__class__ is str else None for v in col[S.STATUS.name]]
    actions: list[Action] = []
    for i, status in enumerate(statuses):
        if status is None or not firsts[i]:
            continue
        row = Row(col, i, status, c.times)
        for kind in kinds.kinds_for(status):
            for due in kind.rule(row, situation):
                actions.append(Action(kind, due.contact or row.name, c.rows[i], due.when, due.overdue, i, due.note))
    actions.sort(key=lambda a: (not a.overdue, a.due, a.row, kinds.order(a.kind)))
    return Plan(
        today=today,
        counts=_counts(statuses),
        fields=_fields(col[S.FIELD.name], statuses, profile.number(S.INTERVIEWS_PER_FIELD_GOAL)),
        actions=actions,
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
