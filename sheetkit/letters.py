"""What a letter template sees, and rendering one letter for one due action.

The context is built from the schema, so every column reaches the templates
under its snake_case name (``contact.common_ground``), the user's own extra
columns too. README's "Writing your own templates" lists every variable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sheetkit import schema
from sheetkit.planner import Action
from sheetkit.reader import Campaign
from sheetkit.render import LETTER_LAYOUT, Rendered, Templates
from sheetkit.schema import PreferredContact, YesNo
from sheetkit.values import Invalid, full_name, name_key, split_names

S = schema


class Record:
    """Read-only attribute and item access for templates; an unknown name is an error, not a blank."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]) -> None:
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("read-only")

    def __repr__(self) -> str:
        return f"Record({self._values!r})"


def _clean(value: Any) -> Any:
    return str(value) if isinstance(value, Invalid) else value


@dataclass
class Letters:
    """Renders the letters of one campaign; indexes are built once for all rows."""

    campaign: Campaign
    templates: Templates
    today: dt.date

    def contact(self, i: int) -> Record:
        """One contact row as templates see it."""
        c = self.campaign.contacts
        values: dict[str, Any] = {col.attr: _clean(c.data[col.name][i]) for col in S.CONTACTS.columns}
        extra = {label: column[i] for label, column in c.extras.items()}
        for label, value in extra.items():
            values.setdefault(schema.attr_name(label), value)
        values["full_name"] = full_name(values["first_name"], values["last_name"])
        values["referrals"] = split_names(values["referrals_given"])
        values["extra"] = extra
        return Record(values)

    def profile(self) -> Record:
        p = self.campaign.profile
        return Record({s.attr: _clean(p.values.get(s.name)) for s in S.PROFILE_SETTINGS})

    def questions(self, name: str) -> list[Record]:
        q = self.campaign.questions.data
        return [
            Record({c.attr: _clean(q[c.name][j]) for c in S.QUESTIONS.columns})
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
        return self.templates.render_letter(str(action.kind), context), context

    def layout(self, rendered: Rendered, context: dict[str, Any]) -> str:
        """A postal letter: the body laid out with address blocks, ready to print."""
        page = self.templates.render_text(LETTER_LAYOUT, {**context, "subject": rendered.subject,
                                                          "body": rendered.body})
        return page.rstrip() + "\n"


def is_postal(campaign: Campaign, index: int) -> bool:
    """Contacts who prefer a letter get a printable page instead of an email."""
    return bool(campaign.contacts.data[S.PREFERRED_CONTACT.name][index] == PreferredContact.LETTER)
