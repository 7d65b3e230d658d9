"""What the mailbox says was sent and who wrote back (README, The mailbox): headers in, actions to record out.

Pure: no network, no writing. Headers come from anyone's mail, so they are
read defensively: with the tolerant ``compat32`` parser (the modern policy's
header parser raises on some broken input and is slow on megabyte headers),
each value capped, and only what is needed taken from it: addresses, the
Message-IDs, the date. A contact is matched by address alone, never by the
name beside it; a message whose date is missing, unreadable or after today
records nothing.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser
from typing import Any

from sheetkit import kinds, schema
from sheetkit.agenda import plan
from sheetkit.drafts import Recipient, message_id_for, recipient, request_id
from sheetkit.imap import Fetched
from sheetkit.kinds import Kind
from sheetkit.planner import Action
from sheetkit.reader import Campaign
from sheetkit.record import Found, Reply, Skipped, Wanted, rows_by_email
from sheetkit.values import full_name

S = schema
MAX_VALUE = 64 * 1024  # longer than any real list of recipients: such a header is ignored, not parsed
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
_BROKEN = re.compile(r"<[^<>]*\s[^<>]*>")
_PARSER = BytesHeaderParser(policy=policy.compat32)
EARLIEST = dt.date(1990, 1, 1)  # a Date before this is a broken clock, not a letter sent
_MACHINE_PRECEDENCE = frozenset({"auto_reply", "bulk", "junk", "list"})


@dataclass(frozen=True)
class Message:
    """What one message's headers say, as far as sheetkit needs it."""

    sender: str
    recipients: tuple[str, ...]
    message_id: str
    parents: tuple[str, ...]
    sent: dt.datetime | None
    automatic: bool = False


def read_message(fetched: Fetched) -> Message:
    """The addresses (casefolded), ids and date of a message; whatever cannot be read is left empty."""
    try:
        msg = _PARSER.parsebytes(fetched.headers)
    except Exception:  # hostile input: a message that cannot be parsed says nothing, and records nothing
        return Message("", (), "", (), None)
    sender = _addresses(_values(msg, "From"))
    recipients = _addresses([*_values(msg, "To"), *_values(msg, "Cc")])
    ids = _ids(_values(msg, "Message-ID"))
    parents = _ids([*_values(msg, "In-Reply-To"), *_values(msg, "References")])
    sent = _date(_values(msg, "Date")) or fetched.received
    return Message(sender[0] if len(sender) == 1 else "", tuple(recipients), ids[0] if len(ids) == 1 else "",
                   tuple(parents), sent, _automatic(msg))


def _automatic(msg: Any) -> bool:
    """Whether a machine sent it (an out-of-office, a vacation notice): RFC 3834's ``Auto-Submitted`` other than
    ``no``, and the older marks mail programs still write (``Precedence``, ``X-Autoreply``, ``X-Autorespond``)."""
    submitted = [v.split("(")[0].strip().casefold() for v in _values(msg, "Auto-Submitted")]
    precedence = [v.strip().casefold() for v in _values(msg, "Precedence")]
    return (any(v != "no" for v in submitted) or any(v in _MACHINE_PRECEDENCE for v in precedence)
            or bool(_values(msg, "X-Autoreply") or _values(msg, "X-Autorespond")))


def _values(msg: Any, name: str) -> list[str]:
    """Each ``name`` header's raw text, those over :data:`MAX_VALUE` left out."""
    try:
        found = msg.get_all(name) or []
    except Exception:  # as in read_message
        return []
    texts = [str(v) for v in found]
    return [t for t in texts if len(t) <= MAX_VALUE]


def _addresses(values: list[str]) -> list[str]:
    out: list[str] = []
    # An angle address broken by white space, or brackets that do not pair, is a header no mail program wrote:
    # the lenient parser would still pick an address out of it, so it is not read at all.
    values = [v for v in values if not _BROKEN.search(v) and v.count("<") == v.count(">")]
    try:
        pairs = email.utils.getaddresses(values)
    except Exception:  # as in read_message
        return out
    for _, address in pairs:
        address = address.strip().casefold()
        # An address with white space or a line break in it is none a contact could have.
        if "@" in address and not any(c.isspace() or ord(c) < 32 for c in address):
            out.append(address)
    return out


def _ids(values: list[str]) -> list[str]:
    return [m for v in values for m in _MESSAGE_ID.findall(v)]


def _date(values: list[str]) -> dt.datetime | None:
    if len(values) != 1:
        return None
    try:
        when = email.utils.parsedate_to_datetime(values[0])
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _aware(when)  # -0000: the zone is unknown


def _aware(when: dt.datetime) -> dt.datetime:
    """``when`` comparable with any other: a time without a zone (a server's, unstated) taken as UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def local_day(when: dt.datetime | None, zone: dt.tzinfo | None) -> dt.date | None:
    """The day ``when`` fell on in the Profile's Time Zone (this computer's when None)."""
    if when is None:
        return None
    try:
        return when.astimezone(zone).date()
    except (OverflowError, ValueError):
        return None


def local_time(when: dt.datetime | None, zone: dt.tzinfo | None) -> dt.time | None:
    """The minute ``when`` fell on in the Profile's Time Zone (this computer's when None)."""
    if when is None:
        return None
    try:
        return when.astimezone(zone).time().replace(second=0, microsecond=0, tzinfo=None)
    except (OverflowError, ValueError):
        return None


class _Contacts:
    """The campaign's contacts by address, and what was due for them on a given day."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.by_email = rows_by_email(campaign.contacts.data[S.EMAIL.name])
        self._plans: dict[dt.date, dict[int, list[Action]]] = {}
        self.heard: dict[int, list[dt.datetime]] = {}  # when each contact wrote (the Inbox), for follow-ups

    def answered_before(self, i: int, when: dt.datetime | None, zone: dt.tzinfo | None) -> bool:
        """Whether row ``i`` wrote back after their request and before ``when``: what is sent then is no follow-up."""
        asked = self.campaign.contacts.data[S.REQUEST_SENT.name][i]
        if when is None or asked.__class__ is not dt.date:
            return False
        return any(t < _aware(when) and (local_day(t, zone) or EARLIEST) >= asked for t in self.heard.get(i, []))

    def recipient(self, i: int) -> Recipient:
        data = self.campaign.contacts.data
        return recipient(self.campaign, i, full_name(data[S.FIRST_NAME.name][i], data[S.LAST_NAME.name][i]))

    def due(self, i: int, day: dt.date) -> list[Action]:
        """The letters due for row ``i`` on ``day``, as ``status`` would have listed them that morning."""
        if day not in self._plans:
            agenda = plan(self.campaign, day)
            by_row: dict[int, list[Action]] = {}
            for action in (*agenda.actions, *agenda.held):
                if action.letter and action.kind.records is not None:
                    by_row.setdefault(action.index, []).append(action)
            self._plans[day] = by_row
        return sorted(self._plans[day].get(i, []), key=lambda a: kinds.order(a.kind))


def find_in_mailbox(campaign: Campaign, sent: Iterable[Fetched], inbox: Iterable[Fetched], *,
                    today: dt.date, zone: dt.tzinfo | None) -> Found:
    """Letters sent to contacts (from the Sent folder) and replies from them (from the Inbox)."""
    contacts = _Contacts(campaign)
    found = Found()
    for fetched in inbox:
        message = read_message(fetched)
        day = local_day(message.sent, zone)
        # An out-of-office is not the person answering: the follow-up stays due.
        if day is None or day > today or day < EARLIEST or message.automatic:
            continue
        for i in contacts.by_email.get(message.sender, []) if message.sender else []:
            found.replies.append(Reply(i, day, local_time(message.sent, zone)))
            if message.sent is not None:
                contacts.heard.setdefault(i, []).append(_aware(message.sent))
    for fetched in sent:
        message = read_message(fetched)
        hits = {i for address in message.recipients for i in contacts.by_email.get(address, [])}
        for i in sorted(hits):
            _sent_to(contacts, i, message, today, zone, found)
    return found


def _sent_to(contacts: _Contacts, i: int, message: Message, today: dt.date, zone: dt.tzinfo | None,
             found: Found) -> None:
    person = contacts.recipient(i)
    day = local_day(message.sent, zone)
    if day is None or day < EARLIEST or day > today:
        shown = "no readable date" if day is None or day < EARLIEST else f"a date after today ({day.isoformat()})"
        found.skipped.append(Skipped(person.full_name, f"a message to {person.email} in Sent has {shown}: "
                                     "record it with --contact NAME --done KIND --date YYYY-MM-DD"))
        return
    kind = _kind(contacts, i, person, message, day)
    if kind is kinds.FOLLOW_UP and contacts.answered_before(i, message.sent, zone):
        kind = None  # answering their reply ("Tuesday works") in the request's thread: a conversation
    if kind is not None:
        found.wanted.append(Wanted(kind, person.full_name, contacts.campaign.contacts.rows[i], person.email,
                                   person.company, None, day))


def _kind(contacts: _Contacts, i: int, person: Recipient, message: Message, day: dt.date) -> Kind | None:
    """The letter a sent message was: the request by its Message-ID, a follow-up by what it answers, else by
    the Message-ID of a letter due that day, else the letter due that day; None when no letter was."""
    request = request_id(person)
    if message.message_id == request:
        return kinds.OUTREACH
    if request in message.parents:
        return kinds.FOLLOW_UP
    due = contacts.due(i, day)
    for action in due:
        if message.message_id and message.message_id == message_id_for(action, person):
            return action.kind
    return due[0].kind if due else None
