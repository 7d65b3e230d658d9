"""Where people come from before they are Contacts rows (README, `sheetkit import`).

One reader per kind of SOURCE, each yielding :class:`Incoming` people: plain
values keyed by Contacts column names, with the line of the file they came
from so a row that cannot be used is reported where the person can find it.
:func:`read_source` picks the reader by the file's name and contents.
"""

from __future__ import annotations

from pathlib import Path

from sheetkit.errors import UsageError
from sheetkit.sources.people import Incoming, Source

__all__ = ["Incoming", "Source", "read_source"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
VCARD_SUFFIXES = (".vcf", ".vcard")


def read_source(path: str | Path, *, date_style: str | None = None) -> Source:
    """The people in ``path``: a LinkedIn, Google or Outlook CSV export, a vCard file, any CSV or workbook.

    ``date_style`` is the Profile's: how a LinkedIn connection's date is written in Notes.
    """
    p = Path(path)
    if not p.is_file():
        what = "is a folder" if p.is_dir() else "no such file"
        raise UsageError(what, "give the exported file: Connections.csv, contacts.csv, contacts.vcf or a workbook", p)
    suffix = p.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        from sheetkit.sources.workbook import read_workbook_source

        return read_workbook_source(p)
    from sheetkit.sources.text import decoded

    text = decoded(p)
    if suffix in VCARD_SUFFIXES or text.lstrip()[:11].upper() == "BEGIN:VCARD":
        from sheetkit.sources.vcard import read_vcards

        return read_vcards(text, p)
    from sheetkit.sources.csvfile import read_csv

    return read_csv(text, p, date_style)
