"""A CSV source: its delimiter and header row found, its kind told by its headers, each row a person.

The header is the first row naming at least two headers sheetkit knows (a
LinkedIn export has its ``Notes:`` preamble above it). ``,`` or ``;`` (what a
European Excel saves) or a tab: the delimiter that makes the best header wins.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from sheetkit import schema
from sheetkit.errors import UsageError
from sheetkit.sources.formats import GENERIC, CsvFormat
from sheetkit.sources.google import GOOGLE
from sheetkit.sources.linkedin import linkedin_format
from sheetkit.sources.outlook import OUTLOOK
from sheetkit.sources.people import Incoming, Source, clean

DELIMITERS = (",", ";", "\t")
HEADER_SEARCH = 50  # rows: a preamble is a few lines, never pages


def formats(date_style: str | None = None) -> tuple[CsvFormat, ...]:
    """Every CSV format, the most particular first: the generic Contacts headers last."""
    return (linkedin_format(date_style), GOOGLE, OUTLOOK, GENERIC)


def _known_keys() -> set[str]:
    return {key for fmt in formats() for key in fmt.mapping()}


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | None]]:
    """Each record with the line it starts on; None for a record broken beyond repair."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    while True:
        row: list[str] | None
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            row = None
        yield line, row
        line = reader.line_num + 1


def _header(text: str) -> tuple[str, int, list[str]] | None:
    """The delimiter, the header's index among the records and its fields; None when no row is a header."""
    known = _known_keys()
    best: tuple[int, str, int, list[str]] | None = None
    for delimiter in DELIMITERS:
        for i, (_, row) in enumerate(_rows(text, delimiter)):
            if i >= HEADER_SEARCH:
                break
            if row is None:
                continue
            hits = len({schema.header_key(v) for v in row} & known)
            if hits >= 2:
                if best is None or hits > best[0]:
                    best = (hits, delimiter, i, row)
                break
    return None if best is None else (best[1], best[2], best[3])


def read_csv(text: str, path: Path, date_style: str | None = None) -> Source:
    """The people in a CSV export."""
    found = _header(text)
    if found is None:
        raise UsageError(
            "has no header row naming the columns",
            "export from LinkedIn, Google Contacts or Outlook as CSV, or put Contacts headers "
            "(First Name, Last Name, Email, Company…) in the first row",
            path,
        )
    delimiter, at, header = found
    keys = [schema.header_key(v) for v in header]
    fmt = next(f for f in formats(date_style) if f.matches(set(keys)))
    mapping = fmt.mapping()
    people = []
    for i, (line, row) in enumerate(_rows(text, delimiter)):
        if i <= at:
            continue
        if row is None:
            people.append(Incoming(line, problem="cannot be read as CSV (a stray quote?)"))
            continue
        if not any(v.strip() for v in row):
            continue
        person = Incoming(line)
        if len(row) > len(keys):
            person.problem = (f"has {len(row)} fields where the header has {len(keys)} "
                              "(a delimiter inside a value that is not in quotes?)")
            people.append(person)
            continue
        by_key = dict(zip(keys, row, strict=False))
        for key, value in by_key.items():
            column = mapping.get(key)
            text_value = clean(value)
            if column is not None and text_value is not None and column not in person.values:
                person.values[column] = text_value
        if fmt.extra is not None:
            fmt.extra(by_key, person.values)
        people.append(person)
    return Source(fmt.kind, people, fmt.how_found)
