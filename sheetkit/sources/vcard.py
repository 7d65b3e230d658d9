"""A vCard file (``.vcf``, 3.0 or 4.0), as phones, Apple Contacts and Outlook share contacts.

Each ``BEGIN:VCARD`` … ``END:VCARD`` block is parsed on its own with
vobject, so one broken card is one bad line, not a lost file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import vobject

from sheetkit import schema
from sheetkit.sources.people import Incoming, Source, clean

_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.I)
_END = re.compile(r"^END:VCARD\s*$", re.I)


def _blocks(text: str) -> list[tuple[int, str]]:
    """Each card's text with the line its BEGIN is on."""
    out: list[tuple[int, str]] = []
    start: int | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _BEGIN.match(line):
            start, lines = number, [line]
        elif start is not None:
            lines.append(line)
            if _END.match(line):
                out.append((start, "\r\n".join(lines) + "\r\n"))
                start = None
    if start is not None:
        out.append((start, "\r\n".join(lines)))
    return out


def _first(card: Any, name: str) -> Any:
    items = card.contents.get(name) or []
    return items[0].value if items else None


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    return clean(value)


def _person(card: Any, line: int) -> Incoming:
    person = Incoming(line)
    values = person.values
    n = _first(card, "n")
    if n is not None:
        values[schema.FIRST_NAME.name] = _text(" ".join(filter(None, [_text(n.given), _text(n.additional)])))
        values[schema.LAST_NAME.name] = _text(n.family)
    if not values.get(schema.FIRST_NAME.name) and not values.get(schema.LAST_NAME.name):
        full = _text(_first(card, "fn"))
        if full:
            first, _, last = full.rpartition(" ") if " " in full else (full, "", "")
            values[schema.FIRST_NAME.name], values[schema.LAST_NAME.name] = clean(first), clean(last)
    org = _first(card, "org")
    values[schema.COMPANY.name] = _text(org[0] if isinstance(org, list) and org else org)
    values[schema.TITLE.name] = _text(_first(card, "title"))
    values[schema.EMAIL.name] = _text(_first(card, "email"))
    values[schema.PHONE.name] = _text(_first(card, "tel"))
    urls = [str(u.value) for u in card.contents.get("url", [])]
    values[schema.LINKEDIN.name] = clean(next((u for u in urls if "linkedin." in u.lower()), None))
    values[schema.NOTES.name] = _text(_first(card, "note"))
    person.values = {k: v for k, v in values.items() if v is not None}
    return person


def read_vcards(text: str, path: Path) -> Source:
    """The people in a vCard file."""
    people = []
    for line, block in _blocks(text):
        try:
            card = vobject.readOne(block, ignoreUnreadable=True)
        except Exception as exc:  # vobject raises ParseError and, on odd input, plain ValueError and others
            people.append(Incoming(line, problem=f"is a card vobject cannot read ({type(exc).__name__})"))
            continue
        people.append(_person(card, line))
    return Source("vCard", people)
