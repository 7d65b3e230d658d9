"""How a CSV export's headers map onto Contacts columns, one :class:`CsvFormat` per kind of export."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sheetkit import schema

Extra = Callable[[Mapping[str, str], dict[str, Any]], None]


@dataclass(frozen=True)
class CsvFormat:
    """One kind of export: its name, the headers that tell it apart, and its headers → Contacts columns.

    Headers are compared as the workbook reader compares them (``schema.header_key``):
    ``E-mail 1 - Value`` is ``email1value``. ``extra`` adds what no single column
    holds, such as LinkedIn's ``Connected On`` sentence in Notes.
    """

    kind: str
    marks: tuple[frozenset[str], ...]
    columns: Mapping[str, str]
    how_found: str | None = None
    extra: Extra | None = field(default=None, compare=False)

    def matches(self, keys: set[str]) -> bool:
        """Whether a header row with these keys is this kind's: every header of one of its marks is there."""
        return any(mark <= keys for mark in self.marks)

    def mapping(self) -> dict[str, str]:
        """Header key → Contacts column: the Contacts headers themselves, then this format's own."""
        return {**CONTACTS_KEYS, **{schema.header_key(k): v for k, v in self.columns.items()}}


CONTACTS_KEYS = {c.key: c.name for c in schema.CONTACTS.columns}


def marks(*groups: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """Header groups, as keys, any one of which identifies a format."""
    return tuple(frozenset(schema.header_key(h) for h in group) for group in groups)


GENERIC = CsvFormat("CSV", marks((schema.FIRST_NAME.name,)), {})
