"""A workbook as a source: another tracker, a cohort's shared sheet, any sheet whose headers are Contacts columns.

The file passes the same safety checks as a progress chart, its grid gets
back what calamine loses (an Excel Table's totals row is no person, a cell
showing ``#N/A`` holds no value), and its header row is found and matched
exactly as the reader finds and matches Contacts headers. The sheet named
Contacts is read when there is one, else the first sheet with such a header.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sheetkit import schema
from sheetkit.errors import UsageError
from sheetkit.reader import find_header, open_book, sheet_rows
from sheetkit.safety import check_workbook_file
from sheetkit.sources.people import Incoming, Source, clean
from sheetkit.values import CellError, Invalid, converter


def _sheets(book: Any) -> list[str]:
    names: list[str] = list(book.sheet_names)
    contacts = [n for n in names if n.strip().casefold() == schema.CONTACTS.name.casefold()]
    return contacts + [n for n in names if n not in contacts]


def read_workbook_source(path: Path) -> Source:
    """The people in the first sheet of ``path`` whose header names Contacts columns."""
    checked = check_workbook_file(path, every_sheet=True)  # any sheet may be the one with the people
    book = open_book(checked.path)
    try:
        for name in _sheets(book):
            rows = sheet_rows(book, name, checked.path, checked.facts.get(name))
            h = find_header(rows, schema.CONTACTS, schema.FIRST_NAME)
            if h is not None:
                return Source("workbook", _people(rows, h))
    finally:
        book.close()
    raise UsageError("has no sheet whose header row names First Name",
                     "put the Contacts headers (First Name, Last Name, Email…) in the sheet's first row", path)


def _people(rows: list[list[Any]], h: int) -> list[Incoming]:
    columns = {c.key: c for c in schema.CONTACTS.columns}
    at: dict[int, schema.Column] = {}
    for j, label in enumerate(rows[h]):
        column = columns.get(schema.header_key(label)) if isinstance(label, str) and label.strip() else None
        if column is not None and column not in at.values():
            at[j] = column
    convert = {j: converter(column) for j, column in at.items()}
    people = []
    for i, row in enumerate(rows[h + 1 :], start=h + 2):
        if all(v in ("", None) for v in row):
            continue
        person = Incoming(i)
        for j, column in at.items():
            if j >= len(row) or row[j].__class__ is CellError:
                continue
            value = convert[j](row[j])
            value = clean(str(value)) if isinstance(value, Invalid | str) else value
            if value is not None:
                person.values[column.name] = value
        people.append(person)
    return people
