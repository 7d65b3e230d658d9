"""Reading a progress chart back, however a person has edited it.

The workbook goes through :mod:`sheetkit.safety` first, then python-calamine
reads each sheet once. What calamine loses, the safety scan found in the
sheet's XML (:mod:`sheetkit.sheetfacts`), and it is put back into calamine's
grid before anything else looks at it. Headers are found by name, matched
tolerantly, and each column is converted as a whole; blank rows cost nothing.
The result keeps, for every value, the row and column letter it came from, so
validation can point at the exact cell.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import python_calamine as calamine

from sheetkit import schema
from sheetkit.errors import WorkbookError
from sheetkit.gcpause import collector_paused
from sheetkit.person_names import person_key
from sheetkit.safety import check_workbook_file
from sheetkit.sheetfacts import SheetFacts
from sheetkit.values import CellError, Invalid, convert_all, times_of, to_setting, to_text

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")


def column_letter(index: int) -> str:
    """0-based column index to its letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class CellErrorAt(NamedTuple):
    """A cell showing a formula error: its column (schema name or the user's header), letter and error."""

    column: str
    letter: str
    shown: str


class Duplicate(NamedTuple):
    """A header (or a Profile setting) naming again what an earlier one names: it is not read.

    ``row`` and ``cell`` are the ignored header's (setting name's); ``first`` is
    where the one read is: its column letter, or for a setting its value's cell.
    """

    column: str
    row: int
    cell: str
    first: str


@dataclass
class Table:
    """One sheet's rows, column by column, with where each value sits in the sheet.

    ``data`` has every schema column, absent ones as all ``None``; ``letters``
    only the columns present in the sheet. ``extras`` are the user's own columns,
    by their header as written. A cell showing a formula error has no value: it
    reads as ``None`` in a text column and as an :class:`Invalid` (unknown, not
    empty) in a date or choice column, and ``errors`` lists it by row position.
    """

    sheet: str
    header_row: int
    rows: list[int]
    data: dict[str, list[Any]]
    letters: dict[str, str]
    extras: dict[str, list[str | None]] = field(default_factory=dict)
    errors: dict[int, list[CellErrorAt]] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)
    # The time of day a date cell holds (an interview at 15:30), by column and row position: the
    # values in ``data`` are dates, since the method counts days; the calendar wants the hour.
    times: dict[str, dict[int, dt.time]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def cell(self, column: str, index: int) -> str | None:
        """The cell reference (``F7``) of a value, or None when the column is absent."""
        letter = self.letters.get(column)
        return f"{letter}{self.rows[index]}" if letter else None

    def has(self, column: str) -> bool:
        return column in self.letters

    def record(self, index: int) -> dict[str, Any]:
        """One row as a dict: schema columns by name, then the user's extra columns."""
        out = {name: values[index] for name, values in self.data.items()}
        for name, values in self.extras.items():
            out.setdefault(name, values[index])
        return out

    def records(self) -> Iterator[dict[str, Any]]:
        for i in range(len(self.rows)):
            yield self.record(i)

    def take(self, positions: list[int]) -> Table:
        """The same sheet with only the rows at ``positions``, each keeping its row number and cells."""
        return Table(
            sheet=self.sheet,
            header_row=self.header_row,
            rows=[self.rows[i] for i in positions],
            data={name: [values[i] for i in positions] for name, values in self.data.items()},
            letters=self.letters,
            extras={name: [values[i] for i in positions] for name, values in self.extras.items()},
            errors={new: self.errors[old] for new, old in enumerate(positions) if old in self.errors},
            duplicates=self.duplicates,
            times={name: {new: held[old] for new, old in enumerate(positions) if old in held}
                   for name, held in self.times.items()},
        )


@dataclass
class Profile:
    """The Profile sheet's settings, defaults filled in, and where each value sits.

    A setting whose value cell shows a formula error keeps its default and is
    listed in ``errors`` with the error as shown.
    """

    values: dict[str, Any]
    cells: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    sheet: str = schema.PROFILE.name
    errors: dict[str, str] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)

    def get(self, setting: schema.Setting) -> Any:
        return self.values.get(setting.name)

    def number(self, setting: schema.Setting) -> int:
        """An int setting, its default when blank or invalid (validation reports the latter)."""
        value = self.values.get(setting.name)
        if isinstance(value, int):
            return value
        assert isinstance(setting.default, int)
        return setting.default


@dataclass
class Campaign:
    """Everything read from one workbook."""

    path: Path
    contacts: Table
    questions: Table
    profile: Profile
    sheet_names: list[str] = field(default_factory=list)

    @cached_property
    def contact_index(self) -> dict[str, int]:
        """Each contact's position by :func:`~sheetkit.person_names.person_key` of the full name (first row wins).

        The one key by which a name typed elsewhere (a referrer, a referral, a question's contact) finds its
        contact, however it is written: titles, case, accents, "Surname, First".
        """
        c = self.contacts.data
        index: dict[str, int] = {}
        for i, (first, last) in enumerate(zip(c[schema.FIRST_NAME.name], c[schema.LAST_NAME.name], strict=True)):
            if first:
                index.setdefault(person_key(f"{first} {last}" if last else first), i)
        return index

    @cached_property
    def questions_by_contact(self) -> dict[str, list[int]]:
        """Positions in Questions of each contact's questions, by the same key as :attr:`contact_index`."""
        q = self.questions.data
        out: dict[str, list[int]] = {}
        for j, (who, text) in enumerate(zip(q[schema.Q_CONTACT.name], q[schema.Q_QUESTION.name], strict=True)):
            if who and text:
                out.setdefault(person_key(who), []).append(j)
        return out

    def contacts_frame(self) -> pd.DataFrame:
        """The contacts as a pandas DataFrame: one row per contact, dates as datetimes."""
        return table_frame(self.contacts, schema.CONTACTS)

    def questions_frame(self) -> pd.DataFrame:
        return table_frame(self.questions, schema.QUESTIONS)


def table_frame(table: Table, sheet: schema.Sheet) -> pd.DataFrame:
    """A table as a DataFrame indexed by the Excel row number; invalid cells keep their text."""
    import pandas as pd

    columns: dict[str, Any] = {}
    for col in sheet.columns:
        values = table.data[col.name]
        if col.kind == "date":
            dates = pd.Series([v if isinstance(v, dt.date) else None for v in values], dtype=object)
            columns[col.name] = pd.to_datetime(dates).to_numpy()
        else:
            columns[col.name] = [str(v) if isinstance(v, Invalid) else v for v in values]
    for name, values in table.extras.items():
        if name not in columns:
            columns[name] = values
    return pd.DataFrame(columns, index=pd.Index(table.rows, name="row"))


def read_workbook(path: str | Path, *, questions: bool = True, columns: Collection[str] | None = None) -> Campaign:
    """Read a progress chart: Contacts (required), Profile and Questions (optional).

    For work that needs only some of the people's columns (``import``): ``questions=False`` leaves
    Questions unread (empty), and ``columns`` converts only these Contacts columns, the others reading
    as empty (their letters are still known). A cohort's Questions sheet is as large as its Contacts,
    and converting its columns is a third of reading Contacts.
    """
    checked = check_workbook_file(path)
    # Millions of new cell objects would set off full garbage collections over and
    # over, a third of the read on a cohort sheet; none of them forms a cycle.
    with collector_paused():
        return _read_checked(checked.path, parallel=checked.format == "xlsx", facts=checked.facts,
                            read_questions=questions, only=frozenset(columns) if columns is not None else None)


def _from_path(p: Path) -> Any:
    """calamine's workbook for ``p``, whatever bytes its file name is made of."""
    try:
        str(p).encode("utf-8")
    except UnicodeEncodeError:
        # A file name that is not UTF-8 (Python keeps such bytes as surrogates) reaches
        # calamine mangled, as a file that does not exist: hand it the file's bytes.
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(p.read_bytes()))
    return calamine.CalamineWorkbook.from_path(str(p))


def open_book(p: Path) -> Any:
    """calamine's workbook for ``p``; a password or a damaged file is a :class:`WorkbookError`."""
    try:
        return _from_path(p)
    except calamine.PasswordError:
        raise WorkbookError("the workbook is password-protected", "remove the password and save a copy", p) from None
    except Exception as exc:  # calamine raises several unrelated types for a damaged file
        raise WorkbookError(
            f"the workbook could not be read ({type(exc).__name__})",
            "open it in Excel or LibreOffice Calc and save it again as .xlsx",
            p,
        ) from None


def _read_checked(p: Path, *, parallel: bool, facts: Mapping[str, SheetFacts] | None = None,
                  read_questions: bool = True, only: frozenset[str] | None = None) -> Campaign:
    """Contacts, Questions and Profile from a workbook that passed the safety checks.

    ``facts`` are what the safety scan found that calamine loses, by sheet name.

    With ``parallel`` (an .xlsx, whose sheets calamine parses one at a time)
    Contacts is read on a second thread: calamine releases the GIL while it
    parses, so Questions and Profile are read and converted meanwhile, through
    a second handle. An .ods is parsed whole on opening, so a second handle
    would parse it twice. Should the file be saved over while it is read, the
    two handles may see different versions (as two reads in a row would).
    """
    book = open_book(p)
    try:
        names = list(book.sheet_names)
        by_key: dict[str, str] = {}
        for n in names:
            by_key.setdefault(n.strip().casefold(), n)
        contacts_name = by_key.get(schema.CONTACTS.name.casefold())
        if contacts_name is None:
            raise WorkbookError(
                f"no `{schema.CONTACTS.name}` sheet (sheets: {', '.join(names) or 'none'})",
                f"rename the sheet that holds your contacts to `{schema.CONTACTS.name}`, "
                "or start from `sheetkit init`",
                p,
            )
    except BaseException:
        book.close()
        raise
    q_name = by_key.get(schema.QUESTIONS.name.casefold()) if read_questions else None
    pr_name = by_key.get(schema.PROFILE.name.casefold())
    known = facts or {}

    def others(handle: Any) -> tuple[Table, Profile]:
        found = _read_table(handle, q_name, schema.QUESTIONS, p, known, required=False) if q_name else None
        profile = _read_profile(handle, pr_name, p, known) if pr_name else _default_profile()
        return found or _empty_table(schema.QUESTIONS), profile

    def others_opened() -> tuple[Table, Profile]:
        handle = open_book(p)
        try:
            return others(handle)
        finally:
            handle.close()

    if parallel and q_name:
        contacts, (questions, profile) = _contacts_on_a_thread(book, p, contacts_name, known, others_opened, only)
    else:
        try:
            contacts = _read_table(book, contacts_name, schema.CONTACTS, p, known, required=True, only=only)
            questions, profile = others(book)
        finally:
            book.close()
    assert contacts is not None
    return Campaign(p, contacts, questions, profile, names)


def _contacts_on_a_thread(
    book: Any, p: Path, name: str, facts: Mapping[str, SheetFacts], meanwhile: Callable[[], T],
    only: frozenset[str] | None = None,
) -> tuple[Table | None, T]:
    """The Contacts table, read from ``book`` on a second thread, and ``meanwhile()``'s result.

    The thread takes ``book`` over and closes it, so nothing here touches a
    handle calamine is still parsing (it would refuse: "Already borrowed"),
    and Ctrl-C here is not held up by the thread (a daemon). Errors come out as
    a sequential read gives them: Contacts' first.
    """
    outcome: dict[str, Any] = {}

    def read() -> None:
        try:
            try:
                outcome["table"] = _read_table(book, name, schema.CONTACTS, p, facts, required=True, only=only)
            finally:
                book.close()
        except BaseException as exc:  # handed over to the main thread below
            outcome["error"] = exc

    thread = threading.Thread(target=read, name="sheetkit-read-contacts", daemon=True)
    thread.start()
    try:
        other = meanwhile()
    except Exception:
        thread.join()
        if "error" in outcome:
            raise outcome["error"] from None
        raise
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["table"], other


def sheet_rows(book: Any, name: str, p: Path, facts: SheetFacts | None) -> list[list[Any]]:
    """The sheet's grid as calamine reads it, with what the safety scan found that calamine lost put back."""
    rows = _rows(book, name, p)
    _restore(rows, facts)
    return rows


def _rows(book: Any, name: str, p: Path) -> list[list[Any]]:
    try:
        rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise WorkbookError(
            f"the sheet `{name}` could not be read ({type(exc).__name__}: {str(exc)[:120]})",
            "open the workbook in Excel or LibreOffice Calc and save it again",
            p,
        ) from None
    return rows


def _empty_table(sheet: schema.Sheet) -> Table:
    return Table(sheet.name, 1, [], {c.name: [] for c in sheet.columns}, {})


def find_header(rows: list[list[Any]], sheet: schema.Sheet, first: schema.Column) -> int | None:
    """The first row naming ``first``; failing that, the first naming two of the sheet's columns.

    The fallback lets a sheet whose First Name header was deleted still be read,
    so validation can say which column is missing instead of refusing the file.
    """
    known = {c.key for c in sheet.columns}
    fallback = None
    for i, row in enumerate(rows):
        hits = 0
        for v in row:
            if v.__class__ is str and v:
                key = schema.header_key(v)
                if key == first.key:
                    return i
                hits += key in known
        if fallback is None and hits >= 2:
            fallback = i
    return fallback


def _restore(rows: list[list[Any]], facts: SheetFacts | None) -> None:
    """Put back into calamine's grid what the safety scan found that it lost."""
    if not facts:
        return
    height = len(rows)
    for (r, c), shown in facts.errors.items():
        if r < height and c < len(rows[r]):
            rows[r][c] = CellError(shown)
    for (r, c), text in facts.texts.items():
        if r < height and c < len(rows[r]):
            rows[r][c] = text
    for r, first, last in facts.totals:
        if r < height:
            row = rows[r]
            row[first : last + 1] = [""] * len(row[first : last + 1])


def _spread_merges(rows: list[list[Any]], facts: SheetFacts, header: int) -> dict[tuple[int, int], str]:
    """Give each row a merged cell covers below the header the merged value; return the errors so spread.

    The value belongs to the merge's first column only: a note merged across
    Notes and the next column is a note, not also whatever that column holds.
    """
    spread: dict[tuple[int, int], str] = {}
    for r0, c0, r1, _ in facts.merges:
        if r0 <= header or r0 >= len(rows) or c0 >= len(rows[r0]):
            continue  # a merge over the header or a title above it is not data
        value = rows[r0][c0]
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            rows[r][c0] = value
            if value.__class__ is CellError:
                spread[r, c0] = str(value)
    return spread


def _read_table(
    book: Any, name: str, sheet: schema.Sheet, p: Path, facts: Mapping[str, SheetFacts], *, required: bool,
    only: frozenset[str] | None = None,
) -> Table | None:
    found = facts.get(name)
    rows = sheet_rows(book, name, p, found)
    first = sheet.columns[0] if sheet is not schema.CONTACTS else schema.FIRST_NAME
    h = find_header(rows, sheet, first)
    if h is None:
        if not required:
            return None
        raise WorkbookError(
            f"the `{name}` sheet has no header row naming `{first.name}`",
            f"put the column headers ({', '.join(sheet.headers[:4])}, …) in the first row, "
            "or start from `sheetkit init`",
            p,
        )
    error_cells = dict(found.errors) if found else {}
    if found and found.merges:
        error_cells.update(_spread_merges(rows, found, h))
    header = rows[h]
    wanted = {c.key: c for c in sheet.columns}
    positions: dict[str, int] = {}
    extra_positions: dict[str, int] = {}
    duplicates: list[Duplicate] = []
    for j, text in enumerate(header):
        label = to_text(text)
        if label is None:
            continue
        col = wanted.get(schema.header_key(label))
        column, taken = (col.name, positions) if col is not None else (label, extra_positions)
        if column in taken:
            duplicates.append(Duplicate(column, h + 1, f"{column_letter(j)}{h + 1}", column_letter(taken[column])))
        else:
            taken[column] = j

    body = rows[h + 1 :]
    del rows
    width = len(header)
    kept: list[list[Any]] = []
    numbers: list[int] = []
    base = h + 2  # Excel row number of body[0]
    for i, row in enumerate(body):
        if row.count("") != width:
            kept.append(row)
            numbers.append(base + i)
    del body
    n = len(kept)
    transposed: list[tuple[Any, ...]] = list(zip(*kept, strict=True)) if kept else [() for _ in range(width)]
    del kept
    empty: list[Any] = [None] * n
    data: dict[str, list[Any]] = {}
    times: dict[str, dict[int, dt.time]] = {}
    for col in sheet.columns:
        at = positions.get(col.name)
        wanted_here = at is not None and (only is None or col.name in only)
        data[col.name] = convert_all(col, transposed[at]) if wanted_here and at is not None else empty
        if wanted_here and at is not None and col.kind == "date":
            held = times_of(transposed[at])
            if held:
                times[col.name] = held
    extras = {label: convert_all(schema.NOTES, transposed[k]) for label, k in extra_positions.items()
              if only is None}
    return Table(
        sheet=name,
        header_row=h + 1,
        rows=numbers,
        data=data,
        letters={c: column_letter(j) for c, j in positions.items()},
        extras=extras,
        errors=_errors_by_position(error_cells, numbers, {**positions, **extra_positions}),
        duplicates=duplicates,
        times=times,
    )


def _errors_by_position(
    cells: dict[tuple[int, int], str], numbers: list[int], columns: dict[str, int]
) -> dict[int, list[CellErrorAt]]:
    """The error cells of the rows read, by row position, in the columns read (title rows and the header are not)."""
    if not cells:
        return {}
    position = {number: i for i, number in enumerate(numbers)}
    named = {j: column for column, j in columns.items()}
    out: dict[int, list[CellErrorAt]] = {}
    for (r, c), shown in sorted(cells.items()):
        i, column = position.get(r + 1), named.get(c)
        if i is not None and column is not None:
            out.setdefault(i, []).append(CellErrorAt(column, column_letter(c), shown))
    return out


def _default_profile() -> Profile:
    return Profile({s.name: s.default for s in schema.PROFILE_SETTINGS})


def _read_profile(book: Any, name: str, p: Path, facts: Mapping[str, SheetFacts]) -> Profile:
    rows = sheet_rows(book, name, p, facts.get(name))
    profile = _default_profile()
    profile.sheet = name
    wanted = {s.key: s for s in schema.PROFILE_SETTINGS}
    setting_col, value_col = 0, 1
    for i, row in enumerate(rows):
        keys = [schema.header_key(v) for v in row]
        if schema.header_key(schema.PROFILE_SETTING) in keys and schema.header_key(schema.PROFILE_VALUE) in keys:
            setting_col = keys.index(schema.header_key(schema.PROFILE_SETTING))
            value_col = keys.index(schema.header_key(schema.PROFILE_VALUE))
            continue
        if len(row) <= max(setting_col, value_col):
            continue
        setting = wanted.get(schema.header_key(row[setting_col])) if row[setting_col] != "" else None
        if setting is None:
            continue
        if setting.name in profile.rows:
            cell = f"{column_letter(setting_col)}{i + 1}"
            profile.duplicates.append(Duplicate(setting.name, i + 1, cell, profile.cells[setting.name]))
            continue
        raw = row[value_col]
        if raw.__class__ is CellError:
            profile.errors[setting.name] = str(raw)
            value = None
        else:
            value = to_setting(setting, raw)
        profile.values[setting.name] = setting.default if value is None else value
        profile.rows[setting.name] = i + 1
        profile.cells[setting.name] = f"{column_letter(value_col)}{i + 1}"
    return profile
