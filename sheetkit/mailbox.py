"""The mailbox commands (README, The mailbox): drafts into the Drafts folder, and record from what was sent.

Every check that can refuse (the account, the password, the login, the
folders) is made before anything is written, to the mailbox or to the
workbook: a failure there changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sheetkit import schema
from sheetkit.account import Account, account_from
from sheetkit.drafts import Draft, DraftsResult, time_zone, write_drafts
from sheetkit.errors import MailboxError, UsageError
from sheetkit.imap import DRAFTS, INBOX, SENT, Mailbox, connect
from sheetkit.reader import Campaign, read_workbook
from sheetkit.record import Found, RecordResult, record_found

# How far back `record --from-mailbox` reads by default: longer than any follow-up or thank-you waits.
SINCE_DAYS = 60


@dataclass
class MailboxDrafts:
    """What ``drafts --to-mailbox`` appended, found already there (or already sent), and wrote as files."""

    server: str
    folder: str
    files: DraftsResult
    added: list[Draft] = field(default_factory=list)
    already: list[Draft] = field(default_factory=list)
    sent: list[Draft] = field(default_factory=list)
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        """1 when a letter could not be drafted or was held back, as for ``drafts``."""
        return self.files.exit_code

    def to_dict(self) -> dict[str, Any]:
        """The drafts appended and already there, by kind, contact and Message-ID, and the files written."""
        def entry(d: Draft) -> dict[str, Any]:
            return {"kind": d.kind, "contact": d.contact, "row": d.row, "to": d.to, "subject": d.subject,
                    "message_id": d.message_id}

        return {"server": self.server, "folder": self.folder, "added": [entry(d) for d in self.added],
                "already": [entry(d) for d in self.already], "sent": [entry(d) for d in self.sent],
                "files": [d.to_dict() for d in self.files.drafts],
                "problems": [p.line() for p in self.files.problems]}


class _Collected:
    """The emails ``write_drafts`` hands over, kept until they are appended; requests known by the Sent folder."""

    def __init__(self, answered: Callable[[str], bool]) -> None:
        self.messages: list[tuple[Draft, bytes]] = []
        self._answered = answered

    def answered(self, message_id: str) -> bool:
        return self._answered(message_id)

    def take(self, draft: Draft, message: bytes) -> None:
        self.messages.append((draft, message))


def drafts_to_mailbox(
    source: str | Path | Campaign,
    out: str | Path | None = None,
    *,
    today: dt.date | None = None,
    kinds: Iterable[str] = (),
    contact: str | None = None,
    templates: str | Path | None = None,
    dry_run: bool = False,
    account: Account | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MailboxDrafts:
    """Append each email due to the account's Drafts folder (``\\Draft``), once per Message-ID; letters to ``out``.

    A draft whose Message-ID is in Drafts, or already in Sent (sent, not yet
    recorded), is not appended again; nor one to a contact who has a draft
    waiting in Drafts already (the same letter, edited in the mail program).

    ``account`` defaults to the Profile's (README, The mailbox). A dry run
    logs in and looks, and appends and writes nothing.
    """
    campaign = source if isinstance(source, Campaign) else read_workbook(source)
    account = account or account_from(campaign.profile)
    with connect(account) as box:
        folder = box.folder(DRAFTS)
        sent = _optional_folder(box, SENT)
        # Known by Message-ID, or by whom it is to: a mail program that saves an edited draft gives it a new
        # Message-ID, and each contact has one letter due at a time, so a draft to them is that letter.
        from sheetkit.sent import read_message

        waiting = [read_message(f) for f in box.headers_since(folder, None)]
        present = {m.message_id for m in waiting if m.message_id}
        addressed = {address for m in waiting for address in m.recipients}
        collected = _Collected(lambda mid: sent is not None and box.has_message(sent, mid))
        files = write_drafts(campaign, out, today=today, kinds=kinds, contact=contact, templates=templates,
                             dry_run=dry_run, to_mailbox=collected)
        result = MailboxDrafts(account.where, folder, files, dry_run=dry_run)
        total = len(collected.messages)
        for done, (draft, message) in enumerate(collected.messages, start=1):
            if draft.message_id in present or draft.to.strip().casefold() in addressed:
                result.already.append(draft)
            elif sent is not None and draft.message_id and box.has_message(sent, draft.message_id):
                # Sent but not yet recorded: drafting it again would have it sent twice.
                result.sent.append(draft)
            else:
                if not dry_run:
                    box.append(folder, message)
                result.added.append(draft)
            if progress:
                progress(done, total)
    return result


def _optional_folder(box: Mailbox, flag: bytes) -> str | None:
    """The folder, or None: drafting needs no Sent folder, it only looks there."""
    try:
        return box.folder(flag)
    except MailboxError:
        return None


def parse_since(value: str | dt.date | None, today: dt.date) -> dt.date:
    """``--since``: the first day read; :data:`SINCE_DAYS` days before today when absent."""
    if value is None:
        return today - dt.timedelta(days=SINCE_DAYS)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--since {value!r} is not a date", "write it as YYYY-MM-DD, e.g. 2026-03-04") from None


def record_from_mailbox(
    path: str | Path,
    *,
    since: str | dt.date | None = None,
    today: dt.date | None = None,
    dry_run: bool = False,
    account: Account | None = None,
) -> RecordResult:
    """Record in the workbook what the Sent folder shows was sent to contacts since ``since``, each on its date.

    A message from a ``Requested`` contact in the Inbox puts its date in their
    Last Contact, which ``status`` shows as a ``reply`` action. Nothing else is
    inferred. The rules are ``record``'s: dates already filled are kept,
    statuses only move forward, a second run changes nothing.
    """
    day = today or dt.date.today()
    first = parse_since(since, day)

    def find(campaign: Campaign) -> Found:
        from sheetkit.sent import find_in_mailbox

        chosen = account or account_from(campaign.profile)
        with connect(chosen) as box:
            sent_folder = box.folder(SENT)
            sent = box.headers_since(sent_folder, first)
            inbox = box.headers_since(INBOX, first)
        return find_in_mailbox(campaign, sent, inbox, today=day, zone=time_zone(campaign.profile.get(schema.TIME_ZONE)))

    return record_found(path, find, today=day, dry_run=dry_run)

