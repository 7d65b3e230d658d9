"""What a letter template sees, and rendering one letter for one due action.

The context is built from the schema, so every column reaches the templates
under its snake_case name (``contact.common_ground``), the user's own extra
columns too. README's "Writing your own templates" lists every variable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sheetkit import schema
from sheetkit.planner import Action
from sheetkit.reader import Campaign
from sheetkit.render import LETTER_LAYOUT, Record, Rendered, Templates
from sheetkit.schema import PreferredContact, YesNo
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
        self._profile = Record({s.attr: _clean(p.values.get(s.name)) for s in S.PROFILE_SETTINGS})

    def contact(self, i: int) -> Record:
        """One contact row as templates see it."""
        values = _row(self._contact_attrs, self._contact_columns, i)
        extra = {label: column[i] for label, column in self.campaign.contacts.extras.items()}
        for label, value in extra.items():
            values.setdefault(schema.attr_name(label), value)
        values["full_name"] = full_name(values["first_name"], values["last_name"])
        values["referrals"] = split_names(values["referrals_given"])
        values["extra"] = extra
        return Record(values)

    def profile(self) -> Record:
        """The Profile settings as templates see them: the same for every letter."""
        return self._profile

    def questions(self, name: str) -> list[Record]:
        return [
            Record(_row(self._question_attrs, self._question_columns, j))
            for j in self.campaign.questions_by_contact.get(name_key(name), [])
        ]

    def context(self, action: Action) -> dict[str, Any]:
        """Everything a template may use for this action."""
        contact = self.contact(action.index)
        referrer_name = contact.referred_by
        j = self.campaign.contact_index.get(name_key(referrer_name)) if referrer_name else None
        referrer = self.contact(j) if j is not None else None
        return {
            "contact": contact,
            "profile": self.profile(),
            "referrer": referrer,
            "referrer_name": referrer_name,
            "may_name_referrer": bool(referrer_name) and contact.may_use_referrers_name == YesNo.YES,
            "questions": self.questions(contact.full_name),
            "today": self.today,
            "action": Record({"kind": str(action.kind), "due": action.due, "overdue": action.overdue}),
            "postal": is_postal(self.campaign, action.index),
        }

    def render(self, action: Action) -> tuple[Rendered, dict[str, Any]]:
        """The rendered subject and body for an action, with the context used."""
        context = self.context(action)
        return self.templates.render_letter(action.kind.template, context), context

    def layout(self, rendered: Rendered, context: dict[str, Any]) -> str:
        """A postal letter: the body laid out with address blocks, ready to print."""
        page = self.templates.render_text(LETTER_LAYOUT, {**context, "subject": rendered.subject,
                                                          "body": rendered.body})
        return page.rstrip() + "\n"


def is_postal(campaign: Campaign, index: int) -> bool:
    """Contacts who prefer a letter get a printable page instead of an email."""
    return bool(campaign.contacts.data[S.PREFERRED_CONTACT.name][index] == PreferredContact.LETTER)
