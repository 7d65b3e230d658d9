"""Writing the letters due (README, `sheetkit drafts`): one draft per letter, and a ``drafts.json`` manifest.

Each letter is rendered, turned into an ``.eml`` (or text, or Markdown, or a
printable postal letter), named after its kind, its person and its round
(:mod:`sheetkit.paths`), and written atomically inside the output folder. A
letter that cannot be rendered is a :class:`Problem`; the others are still
written.

A letter due again is rewritten while its file is what sheetkit wrote last
(a thank-you drafted yesterday says "yesterday" today, under today's Date)
and kept as it is otherwise: the user edited it, and their words win. Which
letters are in the folder, and what sheetkit wrote in each, is the
manifest's to remember (:mod:`sheetkit.manifest`).

Follow-ups, thank-yous and keep-in-touch notes come round again (a new
request, a second interview, every few months), so their file names carry
the round (:func:`sheetkit.manifest.letter_round`): a new round never lands
on the last one, which may be the user's edited letter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from sheetkit import kinds as kinds_
from sheetkit import manifest, schema
from sheetkit.agenda import plan
from sheetkit.errors import UsageError
from sheetkit.files import atomic_write_bytes
from sheetkit.kinds import FOLLOW_UP, OUTREACH, Kind, letter_kinds
from sheetkit.letters import Letters, is_postal
from sheetkit.mail import UnsafeHeader, build_draft, make_message_id
from sheetkit.paths import DraftKey, OutputFolder, assign_names, draft_name, person_tag
from sheetkit.planner import Action
from sheetkit.reader import Campaign, read_workbook
from sheetkit.render import Rendered, RenderError, Templates


class DraftFormat(StrEnum):
    eml = "eml"
    txt = "txt"
    md = "md"


@dataclass(frozen=True)
class Draft:
    """One letter written (or, on a dry run, that would be)."""

    kind: str
    contact: str
    row: int
    to: str
    subject: str
    file: str
    due: str
    email: str | None = None
    company: str | None = None
    postal: bool = False
    sha256: str | None = None
    message_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The manifest entry the README describes: the letter, who it is for, and the hash of what sheetkit wrote."""
        # Spelled out rather than dataclasses.asdict, which deep-copies every value: a cohort has 20,000.
        return {"kind": self.kind, "contact": self.contact, "row": self.row, "to": self.to, "subject": self.subject,
                "file": self.file, "due": self.due, "email": self.email, "company": self.company,
                "sha256": self.sha256, "message_id": self.message_id}


@dataclass(frozen=True)
class Problem:
    """A letter that could not be drafted: which row, which template, what went wrong."""

    kind: str
    contact: str
    row: int
    template: str
    message: str

    def line(self) -> str:
        return f"row {self.row} ({self.contact}), {self.kind}: {self.template}: {self.message}"


class MailSink(Protocol):
    """Where ``drafts --to-mailbox`` hands each email (README, The mailbox)."""

    def answered(self, message_id: str) -> bool:
        """Whether the request of this Message-ID is in the mailbox, so a follow-up can answer it."""

    def take(self, draft: Draft, message: bytes) -> None:
        """One email draft and its bytes, exactly as an .eml file would hold them."""


@dataclass
class DraftsResult:
    out: Path | None
    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    held: list[Action] = field(default_factory=list)
    profile_errors: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        return 1 if self.problems or self.held else 0

    def counts(self) -> Counter[str]:
        return Counter(d.kind for d in self.drafts)


def parse_kinds(values: Iterable[str]) -> list[Kind]:
    """``--kind`` values as letter kinds; an action without a letter is a usage error."""
    return kinds_.parse(values, letter_kinds(), hint=" (calls and other actions are in `sheetkit status`)")


@dataclass(frozen=True)
class Recipient:
    """Who a letter is addressed to, as the workbook's row says."""

    full_name: str
    email: str | None
    company: str | None
    mailing_address: str | None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def recipient(campaign: Campaign, i: int, full_name: str) -> Recipient:
    """Who row ``i``'s letter goes to, from the row itself.

    Not from the template's values: those withhold every text naming a
    referrer the contact may not be told of, and an address such as
    ann.raman@… names Priya Raman's surname. The To, the manifest and the
    Message-ID need the person's own email, company and address, and the
    mailbox matches what was sent by the same (:mod:`sheetkit.sent`).
    """
    data = campaign.contacts.data
    email, company, address = (data[column.name][i] for column in (schema.EMAIL, schema.COMPANY,
                                                                      schema.MAILING_ADDRESS))
    return Recipient(full_name, _text(email), _text(company), _text(address))


@dataclass
class _Outcome:
    """What drafting one letter came to: a draft (perhaps kept as the user edited it) or a problem."""

    draft: Draft | None = None
    problem: Problem | None = None
    kept: bool = False
    # The message itself, when it goes to the mailbox rather than into a file.
    payload: bytes | None = None


class _Drafter:
    """Renders, encodes and writes one letter at a time; the same in one process or in several."""

    def __init__(self, campaign: Campaign, templates: Templates, day: dt.date, fmt: DraftFormat, out_dir: Path,
                 *, dry_run: bool, written: dict[str, str] | None = None,
                 requests: frozenset[str] = frozenset(), mailed: Callable[[str], bool] | None = None) -> None:
        self.letters = Letters(campaign, templates, day)
        self.day, self.fmt, self.out_dir, self.dry_run = day, fmt, out_dir, dry_run
        profile = campaign.profile
        self.sender_name = profile.get(schema.YOUR_NAME)
        self.sender_email = profile.get(schema.MY_EMAIL)
        # What sheetkit wrote in each file, by name: a file that differs is the user's.
        self.previous = written or {}
        # The outreach drafts sheetkit wrote in this folder, by file name: a follow-up threads under its request.
        self.requests = requests
        sent = dt.datetime.combine(day, SENT_AT, tzinfo=time_zone(profile.get(schema.TIME_ZONE)))
        self.sent = sent if sent.tzinfo is not None else sent.astimezone()
        self.folder = None if dry_run else OutputFolder(out_dir)
        # Emails go to the mailbox instead of files; it says which requests are there, for a follow-up to answer.
        self.mailed = mailed

    def draft(self, action: Action, name: str) -> _Outcome:
        def problem(template: str, message: str) -> _Outcome:
            return _Outcome(problem=Problem(str(action.kind), action.contact, action.row, template, message))

        try:
            letter, ctx = self.letters.render(action)
            postal = bool(ctx["postal"])
            if postal:
                letter = Rendered(letter.subject, self.letters.layout(letter, ctx))
            c = recipient(self.letters.campaign, action.index, ctx["contact"].full_name)
            message_id = in_reply_to = None
            if self.fmt is DraftFormat.eml and not postal:
                message_id = message_id_for(action, c)
                if action.kind is FOLLOW_UP and (
                        (self.mailed is not None and self.mailed(request_id(c)))
                        or (self.folder is not None and (request := _request_file(c)) in self.requests
                            and self.folder.has(request))):
                    in_reply_to = request_id(c)
            payload = _payload(self.fmt, postal, letter, c, self.sender_name, self.sender_email, self.sent,
                               message_id, in_reply_to)
        except RenderError as exc:
            return problem(exc.where, exc.message)
        except UnsafeHeader as exc:
            return problem("headers", str(exc))
        to = _postal_to(c) if postal else (c.email or "")
        data = payload if isinstance(payload, bytes) else payload.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        kept = False
        if self.mailed is not None and not postal:
            return _Outcome(draft=Draft(str(action.kind), action.contact, action.row, to, letter.subject, name,
                                        action.due.isoformat(), c.email, c.company, postal, digest, message_id),
                            payload=data)
        if self.folder is not None:
            # A name not in the folder needs no hash of what is there: nothing is.
            absent = not self.folder.has(name)
            target = self.folder.path(name)
            current = None if absent else manifest.file_sha256(target)
            if current is None or current == self.previous.get(name):
                try:
                    atomic_write_bytes(target, data, durable=False, new=absent)
                except OSError as exc:
                    raise UsageError(f"cannot write {name} ({exc.strerror or exc})",
                                     "check that the folder is writable and the disk has room", self.out_dir) from None
            elif current != digest:
                # Not what sheetkit wrote last time: the user edited it. Their words win.
                kept, digest = True, self.previous.get(name) or ""
        draft = Draft(str(action.kind), action.contact, action.row, to, letter.subject, name, action.due.isoformat(),
                      c.email, c.company, postal, digest or None, message_id)
        return _Outcome(draft=draft, kept=kept)


# Below this many letters a second process costs more than it saves.
PARALLEL_FROM = 2000
CHUNK = 250
# Set before the workers fork, so they inherit the campaign, the templates and the
# letters to draft instead of having them pickled; only (start, stop) is sent.
_worker: _Drafter | None = None
_jobs: list[tuple[Action, str]] = []


def _draft_chunk(bounds: tuple[int, int]) -> list[tuple[Any, ...]]:
    assert _worker is not None
    return [_pack(_worker.draft(*_jobs[i])) for i in range(*bounds)]


# Outcomes cross the pipe as plain tuples: pickling dataclasses cost ten times as
# much, in the workers and again in the parent, which shares the CPUs with them.
def _pack(outcome: _Outcome) -> tuple[Any, ...]:
    if outcome.draft is not None:
        return (True, tuple(vars(outcome.draft).values()), outcome.kept)
    assert outcome.problem is not None
    return (False, tuple(vars(outcome.problem).values()), False)


def _unpack(packed: tuple[Any, ...]) -> _Outcome:
    is_draft, values, kept = packed
    return _Outcome(draft=Draft(*values), kept=kept) if is_draft else _Outcome(problem=Problem(*values))


def usable_cpus() -> int:
    """The CPUs this process may run on (a container or taskset may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _run(drafter: _Drafter, jobs: list[tuple[Action, str]],
         progress: Callable[[int, int], None] | None) -> Iterator[_Outcome]:
    """Each job's outcome, in order: on every CPU for a cohort, in this process otherwise."""
    global _worker, _jobs
    total = len(jobs)
    workers = min(usable_cpus(), 8)
    # Emails for the mailbox are kept in this process: their bytes are appended from here.
    if (total < PARALLEL_FROM or workers < 2 or drafter.mailed is not None
            or "fork" not in multiprocessing.get_all_start_methods()):
        for done, (action, name) in enumerate(jobs, start=1):
            yield drafter.draft(action, name)
            if progress:
                progress(done, total)
        return
    from concurrent.futures import ProcessPoolExecutor

    _worker, _jobs = drafter, jobs
    try:
        chunks = [(i, min(i + CHUNK, total)) for i in range(0, total, CHUNK)]
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        try:
            done = 0
            for outcomes in pool.map(_draft_chunk, chunks):
                yield from map(_unpack, outcomes)
                done += len(outcomes)
                if progress:
                    progress(done, total)
        finally:
            # On an error or Ctrl-C, letters not yet started are not written at all.
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        _worker, _jobs = None, []


def write_drafts(
    source: str | Path | Campaign,
    out: str | Path | None,
    *,
    today: dt.date | None = None,
    kinds: Iterable[str] = (),
    contact: str | None = None,
    format: str = DraftFormat.eml,
    templates: str | Path | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    to_mailbox: MailSink | None = None,
) -> DraftsResult:
    """Draft every letter due; return what was written, what failed and what was held back.

    With ``to_mailbox``, each email is handed to it (its :class:`Draft` and
    bytes) instead of being written, and is not in the result or the
    manifest; printed letters are still written into ``out``, which may then
    be None only when there are none.
    """
    day = today or dt.date.today()
    fmt = DraftFormat(format)
    wanted = set(parse_kinds(kinds))
    if out is None and to_mailbox is None:
        raise UsageError("no folder for the drafts", "give --out DIR, e.g. --out drafts/")
    out_dir = None if out is None else _out_dir(Path(out), create=not dry_run)
    tpl = Templates(templates)
    campaign = source if isinstance(source, Campaign) else read_workbook(source)
    agenda = plan(campaign, day)
    needle = contact.casefold().strip() if contact else None

    def selected(a: Action) -> bool:
        return a.letter and (not wanted or a.kind in wanted) and (not needle or needle in a.contact.casefold())

    held = [a for a in agenda.held if selected(a)]
    result = DraftsResult(out_dir, dry_run=dry_run, held=held, profile_errors=agenda.profile_errors if held else [])
    actions = [a for a in agenda.actions if selected(a)]
    if out_dir is None and any(is_postal(campaign, a.index) for a in actions):
        n = sum(is_postal(campaign, a.index) for a in actions)
        raise UsageError(f"{n} of the letters due {'is a printed letter' if n == 1 else 'are printed letters'} "
                         "(Preferred Contact: Letter), which cannot go to the mailbox",
                         "give --out DIR for them, e.g. --out drafts/")
    emails, companies = campaign.contacts.data[schema.EMAIL.name], campaign.contacts.data[schema.COMPANY.name]
    names = assign_names([
        DraftKey(str(a.kind), a.contact, str(emails[a.index] or ""), str(companies[a.index] or ""),
                 manifest.letter_round(str(a.kind), a.due.isoformat()), _extension(fmt, is_postal(campaign, a.index)))
        for a in actions
    ])
    previous = {} if dry_run or out_dir is None else manifest.read_entries(out_dir)
    hashes = {name: e["sha256"] for name, e in previous.items() if isinstance(e.get("sha256"), str)}
    requests = frozenset(name for name, e in previous.items() if e.get("kind") == str(OUTREACH))
    drafter = _Drafter(campaign, tpl, day, fmt, out_dir or Path(), dry_run=dry_run or out_dir is None,
                       written=hashes, requests=requests, mailed=to_mailbox.answered if to_mailbox else None)
    for outcome in _run(drafter, list(zip(actions, names, strict=True)), progress):
        if outcome.problem:
            result.problems.append(outcome.problem)
        elif outcome.draft and outcome.payload is not None and to_mailbox is not None:
            to_mailbox.take(outcome.draft, outcome.payload)
        elif outcome.draft:
            result.drafts.append(outcome.draft)
            if outcome.kept:
                result.kept.append(outcome.draft.file)
    if drafter.folder is not None and out_dir is not None:
        entries, result.replaced = manifest.merge(previous, [d.to_dict() for d in result.drafts], drafter.folder)
        manifest.write(out_dir, entries)
    return result


def _out_dir(out: Path, *, create: bool) -> Path:
    if out.exists() and not out.is_dir():
        raise UsageError("is a file, not a folder", "give --out a folder for the drafts, e.g. drafts/", out)
    if create:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the folder ({exc.strerror})", "choose a folder you can write to",
                             out) from None
    return out


def _extension(fmt: DraftFormat, postal: bool) -> str:
    if postal:
        return "md" if fmt is DraftFormat.md else "txt"
    return str(fmt)


def _postal_to(contact: Recipient) -> str:
    address = ", ".join(line.strip() for line in (contact.mailing_address or "").splitlines() if line.strip())
    return f"{contact.full_name}, {address}" if address else contact.full_name


# Drafts are dated 9 in the morning of the day planned for, in the sender's Time Zone (README, Profile settings).
SENT_AT = dt.time(9, 0)


def time_zone(name: Any) -> dt.tzinfo | None:
    """The Profile's Time Zone, or None for this computer's (a date-time is then placed by the local rules)."""
    if isinstance(name, str):
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    return None


def message_id_for(action: Action, c: Recipient) -> str:
    """Stable across re-runs: a request's is the person's, so its follow-up can name it; others per round."""
    if action.kind is OUTREACH:
        return request_id(c)
    return make_message_id(str(action.kind), c.full_name, str(c.email), action.due.isoformat())


def request_id(c: Recipient) -> str:
    return make_message_id(str(OUTREACH), person_tag(c.full_name, c.email or "", c.company or ""))


def _request_file(c: Recipient) -> str:
    """The file name sheetkit gives this person's emailed request."""
    return draft_name(DraftKey(str(OUTREACH), c.full_name, c.email or "", c.company or "", "", "eml"))


def _payload(
    fmt: DraftFormat,
    postal: bool,
    letter: Rendered,
    c: Recipient,
    sender_name: Any,
    sender_email: Any,
    sent: dt.datetime,
    message_id: str | None,
    in_reply_to: str | None,
) -> bytes | str:
    if postal:
        return letter.body
    if fmt is DraftFormat.eml:
        assert message_id is not None
        return build_draft(
            sender_name=str(sender_name) if sender_name else None,
            sender_email=str(sender_email) if sender_email else None,
            to_name=c.full_name or None,
            to_email=c.email or None,
            subject=letter.subject,
            body=letter.body,
            date=sent,
            message_id=message_id,
            in_reply_to=in_reply_to,
        )
    to = f"{c.full_name} <{c.email}>" if c.email else c.full_name
    if fmt is DraftFormat.md:
        return f"# {letter.subject}\n\n**To:** {to}\n\n{letter.body}"
    return f"To: {to}\nSubject: {letter.subject}\n\n{letter.body}"
