"""Turning what people type into cells into the values the method works with.

Each converter takes one raw cell as python-calamine hands it over (``str``,
``float``, ``int``, ``bool``, ``date``, ``datetime``, ``time``, ``timedelta`` or
``""`` for empty), or a :class:`CellError` where the reader found a formula
error, and returns the clean value, ``None`` for blank, or an :class:`Invalid`
holding what was typed when it cannot be understood. Nothing is guessed: text
in a date column that is not an ISO date stays invalid, and so does a bare
number (calamine hands over a date for every cell formatted as one).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sheetkit.schema import Column, Setting, header_key

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
ISO_TIME = re.compile(r"[T ](\d{2}):(\d{2})")


@dataclass(frozen=True, slots=True)
class CellError:
    """A cell showing a formula error (``#N/A``, ``Err:502``): it has no value to read."""

    shown: str

    def __str__(self) -> str:
        return self.shown


@dataclass(frozen=True, slots=True)
class Invalid:
    """A cell whose content could not be understood; ``raw`` is what the user typed."""

    raw: object

    def __str__(self) -> str:
        return display(self.raw)


def display(raw: object) -> str:
    """Show a raw cell value the way the user would recognise it."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ", timespec="minutes")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def to_text(raw: Any) -> str | None:
    """Any cell as trimmed text; whole numbers lose their ``.0`` (phone numbers typed as numbers)."""
    if raw.__class__ is str:
        return raw.strip() or None
    if raw is None or raw.__class__ is CellError:
        return None
    return display(raw) or None


def to_date(raw: Any) -> dt.date | Invalid | None:
    """A real date, a date-time or ISO text; anything else, a bare number too, is invalid."""
    cls = raw.__class__
    if cls is str:
        text = raw.strip()
        if not text:
            return None
        m = ISO_DATE.fullmatch(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return Invalid(raw)
        return Invalid(raw)
    if cls is dt.datetime:
        return raw.date()  # type: ignore[no-any-return]
    if cls is dt.date:
        return raw  # type: ignore[no-any-return]
    if raw is None:
        return None
    return Invalid(raw)


def time_of(raw: Any) -> dt.time | None:
    """The time of day a date cell holds, if any: a date-time, or ISO text with ``HH:MM``.

    :func:`to_date` keeps the date alone, as every rule of the method works in
    days; an interview's time matters only to the calendar.
    """
    cls = raw.__class__
    if cls is dt.datetime:
        return raw.time()  # type: ignore[no-any-return]
    if cls is str and ISO_DATE.fullmatch(raw.strip()):
        clock = ISO_TIME.search(raw)
        if clock:
            try:
                return dt.time(int(clock[1]), int(clock[2]))
            except ValueError:
                return None
    return None


def times_of(raws: Iterable[Any]) -> dict[int, dt.time]:
    """The times held in a date column, by row position; most cells hold none."""
    return {i: t for i, r in enumerate(raws)
            if (r.__class__ is dt.datetime or (r.__class__ is str and r)) and (t := time_of(r)) is not None}


def choice_converter(column: Column) -> Callable[[Any], str | Invalid | None]:
    """A converter matching a choice ignoring case and surrounding spaces; booleans read as Yes/No."""
    lookup = {header_key(v): v for v in column.choices}
    lookup.update({v.casefold(): v for v in column.choices})
    if "Yes" in column.choices and "No" in column.choices:
        lookup.update({"true": "Yes", "false": "No"})
    cache: dict[Any, str | Invalid | None] = {}

    def convert(raw: Any) -> str | Invalid | None:
        try:
            return cache[raw]
        except KeyError:
            pass
        except TypeError:  # unhashable never happens with calamine, but be safe
            return _choice(raw, lookup)
        result = cache[raw] = _choice(raw, lookup)
        return result

    return convert


def _choice(raw: Any, lookup: dict[str, str]) -> str | Invalid | None:
    if raw.__class__ is CellError:
        return Invalid(raw)
    if isinstance(raw, bool):
        return lookup.get("true" if raw else "false", Invalid(raw))
    text = to_text(raw)
    if text is None:
        return None
    return lookup.get(text.casefold()) or lookup.get(header_key(text)) or Invalid(raw)


def converter(column: Column) -> Callable[[Any], Any]:
    """The converter for a schema column."""
    if column.kind == "date":
        return to_date
    if column.kind == "choice":
        return choice_converter(column)
    return to_text


def convert_all(column: Column, raws: Iterable[Any]) -> list[Any]:
    """Convert a whole column; text columns take a fast path since they dominate a sheet."""
    if column.kind in ("text", "email", "names"):
        return [
            (r.strip() or None) if r.__class__ is str else to_text(r)
            for r in raws
        ]
    conv = converter(column)
    return [None if r == "" else conv(r) for r in raws]


def wordset(words: str) -> frozenset[str]:
    """A set of words written as one string, for the word lists the prose rules keep."""
    return frozenset(words.split())


def split_names(text: str | None) -> list[str]:
    """Names in a ``;``-separated cell, trimmed, empties dropped."""
    if not text:
        return []
    return [n.strip() for n in text.split(";") if n.strip()]


def name_key(name: str) -> str:
    """Fold a person's name for matching: case and runs of spaces ignored."""
    key = name.casefold()
    # Most names hold single spaces only; splitting them all is the cost of a cohort-sized check.
    if "  " in key or "\t" in key or "\n" in key or key[:1].isspace() or key[-1:].isspace():
        return " ".join(key.split())
    return key


def full_name(first: str | None, last: str | None) -> str:
    """``First Name`` and ``Last Name`` joined by a space."""
    return " ".join(p for p in (first, last) if p)


def to_setting(setting: Setting, raw: Any) -> Any:
    """A Profile value as its setting's kind wants it: None when blank, :class:`Invalid` when not understood."""
    if setting.kind == "int":
        return to_int(raw)
    if setting.kind == "choice":
        text = to_text(raw) if raw.__class__ in (str, int, float) else None
        if text is None:
            return None if raw in ("", None) else Invalid(raw)
        folded = header_key(text)
        return next((c for c in setting.choices if header_key(c) == folded), Invalid(raw))
    text = to_text(raw)
    if setting.kind == "timezone" and text is not None:
        return time_zone_name(text) or Invalid(raw)
    return text


def time_zone_name(text: str) -> str | None:
    """The IANA time zone ``text`` names, spelled as the database does (``europe/dublin`` → ``Europe/Dublin``)."""
    from zoneinfo import ZoneInfo, available_timezones

    name = text.strip().replace(" ", "_")
    try:
        ZoneInfo(name)
        return name
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        pass
    folded = name.casefold()
    return next((z for z in sorted(available_timezones()) if z.casefold() == folded), None)


def to_int(raw: Any) -> int | Invalid | None:
    """A whole number setting, as a number or as text."""
    if raw.__class__ is str:
        text = raw.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            try:
                f = float(text)
            except ValueError:
                return Invalid(raw)
            return int(f) if f.is_integer() else Invalid(raw)
    if isinstance(raw, bool) or raw is None:
        return None if raw is None else Invalid(raw)
    if isinstance(raw, (int, float)):
        return int(raw) if float(raw).is_integer() else Invalid(raw)
    return Invalid(raw)
