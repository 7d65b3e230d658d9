"""A person read from a source, before sheetkit decides whether they become a row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sheetkit import schema
from sheetkit.values import full_name

# Characters a spreadsheet cell cannot hold (XML 1.0), and line ends and tabs inside a name.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass
class Incoming:
    """One person: Contacts column name → value, the source line they start on, and why they cannot be used."""

    line: int
    values: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None

    @property
    def name(self) -> str:
        return full_name(self.values.get(schema.FIRST_NAME.name), self.values.get(schema.LAST_NAME.name))


@dataclass
class Source:
    """What a source file held: its kind (``LinkedIn``, ``vCard``…) and its people in file order."""

    kind: str
    people: list[Incoming]
    how_found: str | None = None  # what the source says about how they were found, e.g. LinkedIn


def clean(value: object) -> str | None:
    """A source's text as a cell's: control characters removed, spaces trimmed, None when nothing is left."""
    if value is None:
        return None
    text = _CONTROL.sub("", str(value)).strip()
    return text or None
