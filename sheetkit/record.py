"""Writing back what was sent (README, `sheetkit record`): the date in each kind's column, the status moved on.

The changes are values first: :func:`record_actions` reads the workbook,
finds each person the drafts in ``drafts.json`` were written for (or the one
``--contact`` names), and works out a list of
:class:`~sheetkit.editor.CellChange`, with what was skipped and why. A dry
run stops there; otherwise the editor makes them, refusing a workbook saved
since it was read.

The rules, from the README's kinds table:

- a date already filled is never overwritten, and a status only moves
  forward, from one of the statuses its kind moves from; ``Declined`` and
  ``No Response`` are never moved;
- ``Last Contact`` is the one date that moves on: it holds the latest
  contact, so a keep-in-touch note of a later round replaces an earlier
  date (never a later one), or the note would fall due again every day;
- a person is found by who they are, not only by the row the draft names:
  rows get sorted and inserted between ``drafts`` and ``record``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sheetkit import kinds, manifest, schema
from sheetkit.editor import CellChange, edit_workbook, fingerprint
from sheetkit.errors import UsageError
from sheetkit.gcpause import collector_paused
from sheetkit.kinds import Kind, add_business_days, add_days
from sheetkit.paths import OutputFolder, person_tag
from sheetkit.reader import Campaign, Table, read_workbook
from sheetkit.schema import Status
from sheetkit.values import full_name, name_key

S = schema
_ORDER = {status: i for i, status in enumerate(Status)}
# A request or a thank-you is answered by nothing sheetkit can see: these never move on by record.
_NEVER_MOVED = (Status.DECLINED, Status.NO_RESPONSE)


@dataclass(frozen=True)
class Skipped:
    """A draft (or ``--contact``) that could not be recorded, and why."""

    contact: str
    reason: str
    kind: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"contact": self.contact, "reason": self.reason}


@dataclass(frozen=True)
class NextDue:
    """What recording made due later: ``kind`` falls due on ``due`` for ``contacts`` people."""

    kind: Kind
    due: dt.date
    contacts: int


@dataclass
class RecordResult:
    """What ``record`` changed (or would), what it skipped, where the previous workbook was kept."""

    path: Path
    date: dt.date
    changes: list[CellChange] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    backup: Path | None = None
    dry_run: bool = False
    # Each changed row's contact, and each column letter's name, for listings.
    contacts: dict[int, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    recorded: Counter[str] = field(default_factory=Counter)
    already: int = 0
    next: list[NextDue] = field(default_factory=list)
    # Whether every action was sent on ``date`` (a drafts folder, --done), or each on its own (the mailbox).
    dated: bool = True

    @property
    def exit_code(self) -> int:
        """0 when everything was recorded (or already was), 1 when something was skipped."""
        return 1 if self.skipped else 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `record --format json` (README, `sheetkit record`)."""
        return {
            "changes": [c.to_dict(self.columns) for c in self.changes],
            "skipped": [s.to_dict() for s in self.skipped],
            "backup": None if self.backup is None else str(self.backup),
        }


def parse_kinds(values: Iterable[str], *, letters: bool) -> list[Kind]:
    """``--kind`` (``letters``: the kinds of letter a drafts folder holds) or ``--done`` values as kinds."""
    if letters:
        return kinds.parse(values, kinds.letter_kinds(),
                           hint=" (a call is recorded with --contact NAME --done call)")
    return kinds.parse(values, kinds.recordable_kinds(), option="--done", what="a kind record can write")


def parse_date(value: str | None, today: dt.date) -> dt.date:
    """``--date``: the day the letters went out; today when absent, never after today."""
    if value is None:
        return today
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--date {value!r} is not a date", "write it as YYYY-MM-DD, e.g. 2026-03-04") from None
    return not_after(day, today)


def not_after(day: dt.date, today: dt.date) -> dt.date:
    """``day``, refused when it is after ``today``: what was sent was sent by now."""
    if day > today:
        raise UsageError(f"--date {day.isoformat()} is after today ({today.isoformat()})",
                         "record what was sent: give the day it went out, today or earlier")
    return day


@dataclass(frozen=True)
class Wanted:
    """One action to record: which kind, for whom, where the draft thought they were; ``when``: its own date."""

    kind: Kind
    contact: str
    row: int | None = None
    email: str | None = None
    company: str | None = None
    due: dt.date | None = None
    when: dt.date | None = None


@dataclass(frozen=True)
class Reply:
    """A message from a contact: ``when`` goes in their Last Contact while they are Requested (README, The mailbox)."""

    index: int
    when: dt.date
    at: dt.time | None = None  # the local time it came, which tells a reply on the day of the request from the request


@dataclass
class Found:
    """What was found to record, from somewhere other than a drafts folder (the mailbox)."""

    wanted: list[Wanted] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def record_actions(
    path: str | Path,
    drafts: str | Path | None = None,
    *,
    done: str | None = None,
    contact: str | None = None,
    kinds: Iterable[str] = (),
    date: str | dt.date | None = None,
    today: dt.date | None = None,
    dry_run: bool = False,
) -> RecordResult:
    """Record in the workbook at ``path`` the drafts listed in ``drafts`` (a folder) as sent on ``date``.

    With ``done`` instead of ``drafts``: the one action of that kind done for
    the contact whose name contains ``contact`` (a phone call, a posted
    letter). ``kinds`` and ``contact`` narrow the drafts recorded.
    """
    day = today or dt.date.today()
    when = not_after(date, day) if isinstance(date, dt.date) else parse_date(date, day)
    wanted_kinds = set(parse_kinds(kinds, letters=True))
    if (drafts is None) == (done is None):
        raise UsageError("give either the drafts folder or --done KIND",
                         "sheetkit record tracker.xlsx drafts/ records the drafts you sent; "
                         "sheetkit record tracker.xlsx --contact NAME --done call records one action")
    if done is not None:
        if not contact or not contact.strip():
            raise UsageError("--done needs --contact", "name the person, e.g. --contact 'Ann Lee' --done call")
        if wanted_kinds:
            raise UsageError("--kind chooses among the drafts", f"with --done, the kind is --done's: --done {done}")
        [done_kind] = parse_kinds([done], letters=False)
        sources = None
    else:
        assert drafts is not None
        sources = _drafts_sent(Path(drafts), wanted_kinds, contact)

    def fill(plan: _Recorder, campaign: Campaign) -> None:
        if sources is None:
            plan.record_done(done_kind, contact or "")
        else:
            for wanted in sources:
                plan.record(wanted)

    return _recorded(path, when, fill, dry_run=dry_run)


def record_found(path: str | Path, find: Callable[[Campaign], Found], *, today: dt.date | None = None,
                 dry_run: bool = False) -> RecordResult:
    """Record what ``find`` finds for the campaign at ``path``, each action on its own date, by ``record``'s rules.

    ``find`` runs after the workbook is read and before anything is written:
    an error it raises leaves the workbook untouched.
    """
    day = today or dt.date.today()

    def fill(plan: _Recorder, campaign: Campaign) -> None:
        found = find(campaign)
        plan.skipped.extend(found.skipped)
        for wanted in sorted(found.wanted, key=lambda w: (w.when or day, kinds.order(w.kind))):
            plan.record(wanted)
        for reply in sorted(found.replies, key=lambda r: r.when):
            plan.record_reply(reply)

    result = _recorded(path, day, fill, dry_run=dry_run)
    result.dated = False
    return result


def _recorded(path: str | Path, when: dt.date, fill: Callable[[_Recorder, Campaign], None], *,
              dry_run: bool) -> RecordResult:
    """Read the workbook, let ``fill`` work out the changes, and (unless a dry run) make them."""
    seen = fingerprint(path)  # before reading: a workbook saved in between is refused, not overwritten
    campaign = read_workbook(path)
    with collector_paused():
        plan = _Recorder(campaign, Path(path), when)
        fill(plan, campaign)
        result = plan.result(dry_run=dry_run)
        del campaign, plan  # a cohort's cells are not needed while the editor rewrites the sheet
        if not dry_run and result.changes:
            result.backup = edit_workbook(path, result.changes, expected=seen).backup
    return result


def _drafts_sent(folder: Path, wanted: set[Kind], contact: str | None) -> list[Wanted]:
    """The drafts listed in ``folder``'s manifest whose file is still there: a deleted draft was not sent."""
    listed = folder / manifest.MANIFEST
    if not folder.is_dir():
        raise UsageError("is not a folder of drafts", "give the folder `sheetkit drafts --out` wrote", folder)
    if not listed.is_file():
        raise UsageError(f"has no {manifest.MANIFEST}", "give the folder `sheetkit drafts --out` wrote", folder)
    entries = manifest.read_entries(folder)
    if not entries and listed.read_text(encoding="utf-8", errors="replace").strip() != "[]":
        raise UsageError(f"{manifest.MANIFEST} is not a list of drafts",
                         "run `sheetkit drafts` again into this folder to rewrite it", folder)
    present = OutputFolder(folder)
    needle = contact.casefold().strip() if contact else None
    found: list[Wanted] = []
    for name, entry in entries.items():
        kind = kinds.get(str(entry.get("kind", "")))
        who = entry.get("contact")
        if kind is None or kind.records is None or not isinstance(who, str) or not present.has(name):
            continue
        if (wanted and kind not in wanted) or (needle and needle not in who.casefold()):
            continue
        row, email, company = entry.get("row"), entry.get("email"), entry.get("company")
        found.append(Wanted(
            kind, who, row if isinstance(row, int) and not isinstance(row, bool) else None,
            email if isinstance(email, str) else None, company if isinstance(company, str) else None,
            _iso_date(entry.get("due")),
        ))
    # Earlier rounds first, and in the method's order within a day: an outreach before its follow-up.
    found.sort(key=lambda w: (w.due or dt.date.min, kinds.order(w.kind)))
    return found


def _iso_date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class _Recorder:
    """Works out the changes one action at a time, each seeing the cells as the ones before left them."""

    def __init__(self, campaign: Campaign, path: Path, when: dt.date) -> None:
        self.path = path
        self.table: Table = campaign.contacts
        self.data = self.table.data
        self.when = when
        self.profile = campaign.profile
        self.cells: dict[tuple[int, str], CellChange] = {}
        self.contacts: dict[int, str] = {}
        self.skipped: list[Skipped] = []
        self.recorded: Counter[str] = Counter()
        self.already = 0
        self.dated: Counter[tuple[Kind, dt.date]] = Counter()
        self._position = {row: i for i, row in enumerate(self.table.rows)}
        self._by_email: dict[str, list[int]] | None = None
        self._by_name: dict[tuple[str, str], list[int]] | None = None

    # --- who ---------------------------------------------------------------------------

    def _value(self, column: schema.Column, i: int) -> Any:
        letter = self.table.letters.get(column.name)
        change = self.cells.get((i, letter)) if letter else None
        return change.new if change is not None else self.data[column.name][i]

    def _name(self, i: int) -> str:
        return full_name(self.data[S.FIRST_NAME.name][i], self.data[S.LAST_NAME.name][i])

    def _find(self, w: Wanted) -> int | str:
        """The position of the row that holds ``w``'s person, or why there is none."""
        i = self._position.get(w.row) if w.row is not None else None
        if i is not None and self._same_person(i, w):
            return i
        if w.email:
            if self._by_email is None:
                self._by_email = rows_by_email(self.data[S.EMAIL.name])
            hits = self._by_email.get(_email_key(w.email), [])
            if len(hits) > 1:  # the same address on two rows (a shared one, or a person entered twice): by name
                hits = [i for i in hits if name_key(self._name(i)) == name_key(w.contact)] or hits
            if hits:
                return hits[0] if len(hits) == 1 else self._ambiguous(hits, f"the email {w.email}")
        if self._by_name is None:
            names = [name_key(self._name(i)) for i in range(len(self.table.rows))]
            companies = [name_key(c) if isinstance(c, str) else "" for c in self.data[S.COMPANY.name]]
            self._by_name = {}
            for i, key in enumerate(zip(names, companies, strict=True)):
                if key[0]:
                    self._by_name.setdefault(key, []).append(i)
        hits = self._by_name.get((name_key(w.contact), name_key(w.company or "")), [])
        if len(hits) == 1:
            return hits[0]
        if hits:
            return self._ambiguous(hits, "this name and company")
        at = f"{w.company}, " if w.company else ""
        return (f"not found in {self.table.sheet}: no row holds {w.contact} ({at}{w.email or 'no email'}) any more — "
                "if you renamed them or corrected their email, record them with --contact NAME --done KIND")

    def _same_person(self, i: int, w: Wanted) -> bool:
        name, email, company = self._name(i), self.data[S.EMAIL.name][i], self.data[S.COMPANY.name][i]
        if (name, email, company) == (w.contact, w.email, w.company):
            return True  # nearly always, and a cohort has 20,000 drafts: the hashes only when they differ
        return person_tag(w.contact, w.email or "", w.company or "") == person_tag(
            name, str(email or ""), str(company or ""))

    def _ambiguous(self, hits: list[int], what: str) -> str:
        rows = ", ".join(str(self.table.rows[i]) for i in hits[:5])
        return f"ambiguous: rows {rows} all have {what} — make them different, or use --contact with a fuller name"

    # --- what -------------------------------------------------------------------------

    def record(self, w: Wanted) -> None:
        found = self._find(w)
        if isinstance(found, str):
            self.skipped.append(Skipped(w.contact, found, w.kind.name))
            return
        self._write(w.kind, found, w.due, w.when or self.when)

    def record_reply(self, reply: Reply) -> None:
        """They wrote back: the date in Last Contact while they are Requested, after the request; no status moves."""
        i, when = reply.index, reply.when
        asked = _day(self._value(S.REQUEST_SENT, i))
        letter = self.table.letters.get(S.LAST_CONTACT.name)
        if self._value(S.STATUS, i) != Status.REQUESTED or asked is None or when < asked:
            return
        # On the day of the request only its time tells the answer from the asking: it goes in with the date.
        same_day = when == asked
        if same_day and reply.at is None:
            return
        new: dt.date = dt.datetime.combine(when, reply.at) if same_day and reply.at is not None else when
        old = self._value(S.LAST_CONTACT, i)
        if old is not None:
            held = _day(old)
            timed = isinstance(old, dt.datetime) or i in self.table.times.get(S.LAST_CONTACT.name, {})
            if held is None or held > when or (held == when and (timed or not same_day)):
                self.already += held is not None  # a later contact, or this very reply, is there already
                return
        if letter is None:
            return
        self._change(i, S.LAST_CONTACT, letter, new)
        self.contacts[self.table.rows[i]] = self._name(i)
        self.recorded[kinds.REPLY.name] += 1

    def record_done(self, kind: Kind, text: str) -> None:
        """One action done for the contact named by ``text``: the whole name, else a part of just one name."""
        needle = name_key(text.strip())
        names = [name_key(self._name(i)) for i in range(len(self.table.rows))]
        hits = [i for i, n in enumerate(names) if n and n == needle] or [
            i for i, n in enumerate(names) if n and needle in n]
        if len(hits) == 1:
            i = hits[0]
            status = self._value(S.STATUS, i)
            applies = (*kind.statuses, *kind.moves_from)
            if applies and status not in applies:
                # A call to someone Thanked is no follow-up: its date would say something false.
                shown = status or "no status"
                self.skipped.append(Skipped(self._name(i), f"is {shown}: {kind} is recorded for "
                                            f"{' or '.join(dict.fromkeys(applies))} contacts", kind.name))
            else:
                self._write(kind, i, None, self.when)
        elif hits:
            listed = ", ".join(f"{self._name(i)} (row {self.table.rows[i]})" for i in hits[:5])
            self.skipped.append(Skipped(text, f"ambiguous: {listed} all match — give more of the name", kind.name))
        else:
            self.skipped.append(Skipped(text, f"no contact's name contains {text!r}", kind.name))

    def _write(self, kind: Kind, i: int, due: dt.date | None, when: dt.date) -> None:
        column = kind.records
        assert column is not None
        letter = self.table.letters.get(column.name)
        name = self._name(i)
        if letter is None:
            self.skipped.append(Skipped(name, f"the {self.table.sheet} sheet has no `{column.name}` column — "
                                              "add it, then run record again", kind.name))
            return
        old = self._value(column, i)
        changed = dated = False
        if old is None or self._renewed(kind, old, due, when):
            self._change(i, column, letter, when)
            changed = dated = True
        elif not isinstance(old, dt.date):
            self.skipped.append(Skipped(name, f"{letter}{self.table.rows[i]} (`{column.name}`) holds {old}, "
                                              "not a date — fix it, then run record again", kind.name))
            return
        status = self._value(S.STATUS, i)
        status_letter = self.table.letters.get(S.STATUS.name)
        if (kind.moves_to is not None and status_letter is not None and status in kind.moves_from
                and status not in _NEVER_MOVED and _ORDER[Status(status)] < _ORDER[kind.moves_to]):
            self._change(i, S.STATUS, status_letter, str(kind.moves_to))
            changed = True
        if changed:
            self.contacts[self.table.rows[i]] = name
            self.recorded[kind.name] += 1
            self.dated[kind, when] += dated
        else:
            self.already += 1

    def _renewed(self, kind: Kind, old: object, due: dt.date | None, when: dt.date) -> bool:
        """Whether ``old`` in a column that holds the latest date is an earlier round's, to be moved on."""
        if kind.records is not S.LAST_CONTACT or not isinstance(old, dt.date) or old >= when:
            return False
        return due is None or old < due

    def _change(self, i: int, column: schema.Column, letter: str, new: Any) -> None:
        key = (i, letter)
        before = self.cells.get(key)
        old = before.old if before is not None else self.data[column.name][i]
        self.cells[key] = CellChange(self.table.sheet, self.table.rows[i], letter, new, old=old)

    # --- result ------------------------------------------------------------------------

    def result(self, *, dry_run: bool) -> RecordResult:
        changes = sorted(self.cells.values(), key=lambda c: (c.row, c.column_number))
        recorded = Counter({k.name: self.recorded[k.name] for k in kinds.all_kinds() if self.recorded[k.name]})
        columns = {letter: name for name, letter in self.table.letters.items()}
        return RecordResult(
            path=self.path,
            date=self.when, changes=changes, skipped=self.skipped, dry_run=dry_run, contacts=self.contacts,
            columns=columns, recorded=recorded, already=self.already, next=self._next(),
        )

    def _next(self) -> list[NextDue]:
        """When what was recorded falls due again, by the planner's own rules and the Profile's settings."""
        follow, keep = self.profile.number(S.FOLLOW_UP_AFTER), self.profile.number(S.KEEP_IN_TOUCH_EVERY)
        due: Counter[tuple[Kind, dt.date]] = Counter()
        for (kind, when), count in self.dated.items():
            if kind is kinds.OUTREACH:
                due[kinds.FOLLOW_UP, add_business_days(when, follow)] += count
            elif kind in (kinds.THANK_YOU, kinds.KEEP_IN_TOUCH):
                due[kinds.KEEP_IN_TOUCH, add_days(when, keep)] += count
        return [NextDue(k, d, n) for (k, d), n in sorted(due.items(), key=lambda item: item[0][1])]


def _day(value: object) -> dt.date | None:
    """The day a date cell holds, whether or not it holds a time too."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _email_key(value: object) -> str:
    return value.strip().casefold() if isinstance(value, str) else ""


def rows_by_email(emails: list[Any]) -> dict[str, list[int]]:
    """Row positions by ``Email``, compared without case or surrounding blanks: how an address finds its contact."""
    out: dict[str, list[int]] = {}
    for i, value in enumerate(emails):
        key = _email_key(value)
        if key:
            out.setdefault(key, []).append(i)
    return out
