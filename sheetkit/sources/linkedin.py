"""LinkedIn's ``Connections.csv`` (Settings > Data privacy > Get a copy of your data > Connections).

The export opens with a ``Notes:`` preamble about missing emails, then the
header ``First Name,Last Name,URL,Email Address,Company,Position,Connected On``.
``Connected On`` (``07 Mar 2024``) becomes a sentence in Notes, written as the
Profile's Date Style writes dates.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

from sheetkit import schema
from sheetkit.prose import format_date
from sheetkit.sources.formats import CsvFormat, marks

CONNECTED_ON = "Connected On"


@functools.cache  # thousands of connections share a day, and strptime is slow
def connected_on(text: str) -> dt.date | None:
    """LinkedIn's ``07 Mar 2024`` (or ``2024-03-07``, ``07 March 2024``) as a date; None otherwise.

    ``7/3/24`` is not read: March or July, no export says.
    """
    for pattern in ("%d %b %Y", "%Y-%m-%d", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def linkedin_format(date_style: str | None) -> CsvFormat:
    """The LinkedIn format, its Connected On sentence in ``date_style``."""

    def note(row: Mapping[str, str], values: dict[str, Any]) -> None:
        raw = row.get(schema.header_key(CONNECTED_ON), "").strip()
        if not raw:
            return
        day = connected_on(raw)
        # A date LinkedIn did not write is kept as it was, but not passed off as a date in a sentence.
        sentence = (f"Connected on LinkedIn on {format_date(day, date_style)}." if day is not None
                    else f"Connected on LinkedIn: {raw}")
        notes = values.get(schema.NOTES.name)
        values[schema.NOTES.name] = f"{notes} {sentence}" if notes else sentence

    return CsvFormat(
        "LinkedIn",
        marks(("URL", "Position"), (CONNECTED_ON,)),
        {"URL": schema.LINKEDIN.name, "Email Address": schema.EMAIL.name, "Position": schema.TITLE.name,
         "Profile URL": schema.LINKEDIN.name},
        how_found=schema.HowFound.LINKEDIN.value,
        extra=note,
    )
