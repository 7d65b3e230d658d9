"""What a letter template sees, and rendering one letter for one due action.

The context is built from the schema, so every column reaches the templates
under its snake_case name (``contact.common_ground``), the user's own extra
columns too, beside the ready-made pieces of prose of :mod:`sheetkit.prose`.
README's "Writing your own templates" lists every variable.

A referrer may be named only with permission (README, `May Use Referrer's
Name`), and that is enforced here, in the data, whatever a template prints:
without permission no value handed to a template contains the referrer's
name. Values that mention them are withheld (``None``), except who the
contact is and how to reach them, which are theirs; the referrer's row
and name are not given, and the pieces are written from what is left.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sheetkit import prose, schema
from sheetkit.person_names import names_person, person_key
from sheetkit.planner import Action
from sheetkit.reader import Campaign
from sheetkit.render import LETTER_LAYOUT, Record, Rendered, Templates
from sheetkit.schema import PreferredContact, Status, YesNo
from sheetkit.values import Invalid, full_name, name_key, split_names

S = schema


def _clean(value: Any) -> Any:
    return str(value) if type(value) is Invalid else value


def _row(attrs: list[str], columns: list[list[Any]], i: int) -> dict[str, Any]:
    """Row ``i`` of ``columns`` by attribute name, a cell that could not be understood as the text typed."""
    cells = [column[i] for column in columns]
    values = dict(zip(attrs, cells, strict=True))
    if Invalid in set(map(type, cells)):  # rare: looked for in one pass rather than cell by cell
        values = {attr: _clean(value) for attr, value in values.items()}
    return values


@dataclass
class Letters:
    """Renders the letters of one campaign; indexes are built once for all rows."""

    campaign: Campaign
    templates: Templates
    today: dt.date

    def __post_init__(self) -> None:
        c, q = self.campaign.contacts, self.campaign.questions
        self._contact_attrs = [col.attr for col in S.CONTACTS.columns]
        self._contact_columns = [c.data[col.name] for col in S.CONTACTS.columns]
        self._question_attrs = [col.attr for col in S.QUESTIONS.columns]
        self._question_columns = [q.data[col.name] for col in S.QUESTIONS.columns]
        p = self.campaign.profile
        self._profile_values = {s.attr: _clean(p.values.get(s.name)) for s in S.PROFILE_SETTINGS}
        self._profile = Record(self._profile_values)
        self._referred: dict[str, list[int]] | None = None
        self._interview_days: list[dt.date] | None = None

    def contact(self, i: int) -> Record:
        """One contact row as templates see it."""
        return Record(self._contact_values(i))

    def _contact_values(self, i: int) -> dict[str, Any]:
        values = _row(self._contact_attrs, self._contact_columns, i)
        extra = {label: column[i] for label, column in self.campaign.contacts.extras.items()}
        for label, value in extra.items():
            values.setdefault(schema.attr_name(label), value)
        values["full_name"] = full_name(values["first_name"], values["last_name"])
        values["referrals"] = split_names(values["referrals_given"])
        values["extra"] = extra
        return values

    def profile(self) -> Record:
        """The Profile settings as templates see them: the same for every letter."""
        return self._profile

    def questions(self, name: str) -> list[Record]:
        return [Record(values) for values in self._question_values(name)]

    def _question_values(self, name: str) -> list[dict[str, Any]]:
        return [
            _row(self._question_attrs, self._question_columns, j)
            for j in self.campaign.questions_by_contact.get(person_key(name), [])
        ]

    def context(self, action: Action) -> dict[str, Any]:
        """Everything a template may use for this action: the row, the Profile, the pieces of prose.

        Without permission to name the referrer, every value that mentions
        them is withheld (see the module's docstring).
        """
        values = self._contact_values(action.index)
        referrer_name = values["referred_by"]
        allowed = bool(referrer_name) and values["may_use_referrers_name"] == YesNo.YES
        j = self.campaign.contact_index.get(person_key(referrer_name)) if referrer_name else None
        referrer = self._contact_values(j) if j is not None else None
        profile = self._profile_values
        questions = self._question_values(values["full_name"])
        if referrer_name and not allowed:
            values = _withhold(values, referrer_name, keep=_THEIR_OWN)
            values["referred_by"] = None
            profile = _withhold(profile, referrer_name)
            questions = [_withhold(q, referrer_name) for q in questions]
            referrer = referrer_name = None
        postal = is_postal(self.campaign, action.index)
        kind = action.kind.name
        facts = prose.Facts(
            contact=values, profile=profile, today=self.today, kind=kind, postal=postal,
            referrer_name=referrer_name if allowed else None,
            answers=[q["answer"] for q in questions if q["answer"]],
            introduced=self._introduced(values["full_name"]) if kind == "keep-in-touch" else (),
            interviews_since=self._interviews_since(values, action.index) if kind == "keep-in-touch" else 0,
        )
        return {
            **prose.pieces(facts),
            "contact": Record(values),
            "profile": Record(profile) if profile is not self._profile_values else self._profile,
            "referrer": Record(referrer) if referrer is not None else None,
            "referrer_name": referrer_name,
            "may_name_referrer": allowed,
            "questions": [Record(q) for q in questions],
            "today": self.today,
            "action": Record({"kind": kind, "due": action.due, "overdue": action.overdue}),
            "postal": postal,
        }

    def _introduced(self, name: str) -> list[prose.Met]:
        """People this contact suggested whom the sender has met, or has a date to meet."""
        if self._referred is None:
            self._referred = {}
            for i, by in enumerate(self.campaign.contacts.data[S.REFERRED_BY.name]):
                if by:
                    self._referred.setdefault(name_key(by), []).append(i)
        c = self.campaign.contacts.data
        met: list[prose.Met] = []
        for i in self._referred.get(name_key(name), []):
            status = c[S.STATUS.name][i]
            if status in _MEETING:
                day = c[S.INTERVIEW_DATE.name][i]
                met.append(prose.Met(full_name(c[S.FIRST_NAME.name][i], c[S.LAST_NAME.name][i]),
                                     day if isinstance(day, dt.date) else None))
        return met

    def _interviews_since(self, values: dict[str, Any], index: int) -> int:
        """Conversations held with other people since the sender last wrote to this contact."""
        if self._interview_days is None:
            c = self.campaign.contacts.data
            self._interview_days = sorted(
                day for day, status in zip(c[S.INTERVIEW_DATE.name], c[S.STATUS.name], strict=True)
                if isinstance(day, dt.date) and status in S.INTERVIEWED_STATUSES)
        anchors = [d for d in (values["last_contact"], values["thank_you_sent"]) if isinstance(d, dt.date)]
        if not anchors:
            return 0
        days = self._interview_days
        held = bisect.bisect_right(days, self.today) - bisect.bisect_right(days, max(anchors))
        own = values["interview_date"]
        if isinstance(own, dt.date) and max(anchors) < own <= self.today:
            held -= 1
        return max(held, 0)

    def render(self, action: Action) -> tuple[Rendered, dict[str, Any]]:
        """The rendered subject and body for an action, with the context used."""
        context = self.context(action)
        return self.templates.render_letter(action.kind.template, context), context

    def layout(self, rendered: Rendered, context: dict[str, Any]) -> str:
        """A postal letter: the body laid out with address blocks, ready to print."""
        page = self.templates.render_text(LETTER_LAYOUT, {**context, "subject": rendered.subject,
                                                          "body": rendered.body})
        return page.rstrip() + "\n"


# Who the contact is and how to reach them are theirs, even when a word of them is also a word of the
# referrer's name (ann.raman@…, Raman Partners): they name the contact, not the referrer, and a letter
# needs them to greet and address the person.
_THEIR_OWN = frozenset({"first_name", "last_name", "full_name", "salutation", "title", "company", "email",
                        "phone", "linkedin", "mailing_address"})
_MEETING = frozenset({Status.SCHEDULED, *S.INTERVIEWED_STATUSES})


def _withhold(values: dict[str, Any], name: str, keep: frozenset[str] = frozenset()) -> dict[str, Any]:
    """``values`` with every text that mentions ``name`` replaced by None (in lists and dicts too)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in keep:
            out[key] = value
        elif isinstance(value, str):
            out[key] = None if names_person(value, name) else value
        elif isinstance(value, list):
            out[key] = [v for v in value if not (isinstance(v, str) and names_person(v, name))]
        elif isinstance(value, dict):
            out[key] = _withhold(value, name)
        else:
            out[key] = value
    return out


def is_postal(campaign: Campaign, index: int) -> bool:
    """Contacts who prefer a letter get a printable page instead of an email."""
    return bool(campaign.contacts.data[S.PREFERRED_CONTACT.name][index] == PreferredContact.LETTER)
