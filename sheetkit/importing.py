"""Bringing people in (README, `sheetkit import`): a source's people appended as new Contacts rows.

The changes are values first, as for ``record``: :func:`import_contacts`
reads the workbook and the source, skips each person already in Contacts or
already earlier in the source (counted, with the reason), reports the lines
that cannot be used, and lays the rest out as new rows below the last filled
one. The editor then appends them, each taking the formats and drop-downs of
the row above. Text from a source is written as text, so a company called
``=HYPERLINK(…)`` or a phone number ``+44 20…`` never becomes a formula.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

from sheetkit import schema
from sheetkit.editor import CellChange, edit_workbook, fingerprint
from sheetkit.editor.changes import column_number
from sheetkit.errors import UsageError
from sheetkit.gcpause import collector_paused
from sheetkit.reader import Table, read_workbook
from sheetkit.sources import Incoming, read_source
from sheetkit.values import Invalid, choice_converter, full_name, name_key

S = schema
Why = Literal["already", "twice", "bad"]
# What tells people apart: all import reads of the workbook's rows.
IDENTITY_COLUMNS = (S.EMAIL.name, S.LINKEDIN.name, S.FIRST_NAME.name, S.LAST_NAME.name, S.COMPANY.name)


@dataclass(frozen=True)
class Skipped:
    """A person of the source not imported: ``already`` in Contacts, ``twice`` in the source, or a ``bad`` line."""

    contact: str
    reason: str
    line: int
    why: Why

    def to_dict(self) -> dict[str, Any]:
        return {"contact": self.contact, "reason": self.reason, "line": self.line}


@dataclass
class ImportResult:
    """What ``import`` added (or would), what it skipped and why, where the previous workbook was kept."""

    path: Path
    source: Path
    kind: str
    status: str
    changes: list[CellChange] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    imported: list[tuple[int, str]] = field(default_factory=list)  # the new rows and who is on each
    columns: dict[str, str] = field(default_factory=dict)  # column letter → name, for listings
    missing: list[str] = field(default_factory=list)  # columns the source fills that Contacts lacks
    backup: Path | None = None
    dry_run: bool = False

    @property
    def counts(self) -> Counter[str]:
        """How many were skipped, by why: ``already``, ``twice``, ``bad``."""
        return Counter(s.why for s in self.skipped)

    @property
    def exit_code(self) -> int:
        """0 when every line was usable (people already there are no failure), 1 when some were bad."""
        return 1 if self.counts["bad"] else 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `import --format json` (README, `sheetkit import`)."""
        counts = self.counts
        return {
            "changes": [c.to_dict(self.columns) for c in self.changes],
            "skipped": [s.to_dict() for s in self.skipped],
            "backup": None if self.backup is None else str(self.backup),
            "imported": len(self.imported),
            "already": counts["already"],
            "twice": counts["twice"],
            "bad": counts["bad"],
        }


def choice(value: str | None, column: schema.Column, option: str) -> str | None:
    """An option's value as its list spells it (case and spaces forgiven); refused when it is not on the list."""
    if value is None:
        return None
    found = choice_converter(column)(value)
    if found is None or isinstance(found, Invalid):
        raise UsageError(f"{option} {value!r} is not a `{column.name}` value",
                         f"use one of: {', '.join(column.choices)}")
    return found


def linkedin_key(url: str) -> str:
    """A LinkedIn address as its profile: no scheme, ``www.``, trailing slash, query or fragment; any case.

    LinkedIn's profile names ignore case, so ``/in/Ann-Lee`` and ``/in/ann-lee`` are one person. Plain
    string work, not ``urlsplit``: a cohort's Contacts hold a hundred thousand addresses.
    """
    text = url.strip().casefold().partition("#")[0].partition("?")[0]
    scheme, found, rest = text.partition("://")
    text = (rest if found else scheme).removeprefix("www.")
    return (unquote(text) if "%" in text else text).rstrip("/")


def _email(value: object) -> str | None:
    return "email:" + value.strip().casefold() if isinstance(value, str) and value else None


def _profile(value: object) -> str | None:
    return "linkedin:" + linkedin_key(value) if isinstance(value, str) and value else None


def _person(first: object, last: object, company: object) -> str | None:
    if not isinstance(first, str) and not isinstance(last, str):
        return None
    name = name_key(full_name(first if isinstance(first, str) else None, last if isinstance(last, str) else None))
    return f"name:{name}\0{name_key(company) if isinstance(company, str) else ''}"


def identities(email: object, linkedin: object, first: object, last: object, company: object) -> list[str]:
    """The keys under which a person is the same person: email, LinkedIn profile, name and company."""
    return [k for k in (_email(email), _profile(linkedin), _person(first, last, company)) if k is not None]


def _known(table: Table) -> set[str]:
    """The identity keys of every row, built column by column: a cohort has a hundred thousand rows."""
    data = table.data
    known: set[str | None] = {_email(e) for e in data[S.EMAIL.name]}
    known.update(_profile(u) for u in data[S.LINKEDIN.name])
    known.update(_person(f, last, c) for f, last, c in
                 zip(data[S.FIRST_NAME.name], data[S.LAST_NAME.name], data[S.COMPANY.name], strict=True))
    return {k for k in known if k is not None}


def import_contacts(
    path: str | Path,
    source: str | Path,
    *,
    status: str = S.Status.PROSPECT.value,
    how_found: str | None = None,
    field: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Append the people in ``source`` to the Contacts of the workbook at ``path``, as ``status``.

    ``how_found`` fills How Found (default: what the source says, ``LinkedIn``
    for a LinkedIn export), ``field`` fills Field. People already in Contacts
    or earlier in the source are skipped and counted.
    """
    wanted_status = choice(status, S.STATUS, "--status") or S.Status.PROSPECT.value
    wanted_how = choice(how_found, S.HOW_FOUND, "--how-found")
    wanted_field = field.strip() if field and field.strip() else None
    seen = fingerprint(path)  # before reading: a workbook saved in between is refused, not overwritten
    campaign = read_workbook(path, questions=False, columns=IDENTITY_COLUMNS)
    incoming = read_source(source, date_style=campaign.profile.get(S.DATE_STYLE))
    result = ImportResult(Path(path), Path(source), incoming.kind, wanted_status, dry_run=dry_run)
    with collector_paused():
        _Importer(campaign.contacts, result).add_all(
            incoming.people, status=wanted_status, how_found=wanted_how or incoming.how_found, field=wanted_field)
        del campaign  # a cohort's cells are not needed while the editor rewrites the sheet
        if not dry_run and result.changes:
            result.backup = edit_workbook(path, result.changes, expected=seen).backup
    return result


class _Importer:
    """Lays the source's people out as new rows, one at a time, each seeing who came before."""

    def __init__(self, table: Table, result: ImportResult) -> None:
        self.table = table
        self.result = result
        self.letters = table.letters
        result.columns = {letter: name for name, letter in table.letters.items()}
        self.known = _known(table)
        self.ours: set[str] = set()
        self.next_row = (table.rows[-1] if table.rows else table.header_row) + 1
        self.converters = {c.name: choice_converter(c) for c in S.CHOICE_COLUMNS}
        # The sheet's columns left to right, so the changes come in the order of the cells they fill.
        self.order = sorted(table.letters.items(), key=lambda item: column_number(item[1]))

    def add_all(self, people: Iterable[Incoming], *, status: str, how_found: str | None, field: str | None) -> None:
        missing: set[str] = set()
        for person in people:
            name = person.name or str(person.values.get(S.EMAIL.name) or "")
            if person.problem is None and not person.name:
                person.problem = "has no name"
            if person.problem is not None:
                self._skip(name, f"line {person.line} {person.problem}", person.line, "bad")
                continue
            v = person.values
            keys = identities(v.get(S.EMAIL.name), v.get(S.LINKEDIN.name), v.get(S.FIRST_NAME.name),
                              v.get(S.LAST_NAME.name), v.get(S.COMPANY.name))
            if any(k in self.known for k in keys):
                self._skip(name, f"already in {self.table.sheet}", person.line, "already")
                continue
            if any(k in self.ours for k in keys):
                self._skip(name, f"line {person.line} repeats an earlier line", person.line, "twice")
                continue
            self.ours.update(keys)
            missing |= self._row(self._values(v, status, how_found, field))
            self.result.imported.append((self.next_row, name))
            self.next_row += 1
        self.result.missing = [c.name for c in S.CONTACTS.columns if c.name in missing]

    def _values(self, given: dict[str, Any], status: str, how_found: str | None, field: str | None) -> dict[str, Any]:
        """The row's values: the source's, its choices only when on the list, and the options' defaults."""
        out = dict(given)
        for name, convert in self.converters.items():
            if name in out:
                found = convert(out[name])
                if found is None or isinstance(found, Invalid):
                    del out[name]
                else:
                    out[name] = found
        out.setdefault(S.STATUS.name, status)
        if how_found is not None:
            out[S.HOW_FOUND.name] = how_found
        if field is not None:
            out[S.FIELD.name] = field
        return out

    def _row(self, values: dict[str, Any]) -> set[str]:
        """Add the changes that write ``values`` on the next row, left to right; the columns Contacts lacks."""
        sheet, row, add = self.table.sheet, self.next_row, self.result.changes.append
        for name, letter in self.order:
            value = values.get(name)
            if value is not None:
                add(CellChange(sheet, row, letter, value))
        return {name for name in values if name not in self.letters}

    def _skip(self, contact: str, reason: str, line: int, why: Why) -> None:
        self.result.skipped.append(Skipped(contact, reason, line, why))
