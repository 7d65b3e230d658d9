"""Reading what was sent and who replied, from messages stored in a real Dovecot: hostile ones included."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sheetkit import kinds
from sheetkit.account import Account
from sheetkit.drafts import Recipient, request_id
from sheetkit.imap import Fetched, connect
from sheetkit.reader import read_workbook
from sheetkit.record import Found
from sheetkit.sent import find_in_mailbox, read_message
from tests.conftest import MailUser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "sample_workbooks" / "example.xlsx"
DAY = dt.date(2026, 11, 25)
ZONE = ZoneInfo("America/New_York")
LONG_AGO = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)  # the server's receipt time of the seeded messages


def message(*headers: str, body: str = "Hello.") -> bytes:
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode("utf-8", "surrogateescape")


def mailbox_found(user: MailUser, sent: Sequence[bytes], inbox: Sequence[bytes] = (), **seed: Any) -> Found:
    """Seed the messages into Sent and INBOX of the real server, fetch them as record does, and match them."""
    client = user.client()
    for folder, messages in (("Sent", sent), ("INBOX", inbox)):
        for raw in messages:
            client.append(folder, raw, msg_time=seed.get("received", LONG_AGO))
    client.logout()
    with connect(Account("127.0.0.1", user.server.imaps_port, user.user, user.password)) as box:
        fetched_sent = box.headers_since("Sent", dt.date(2026, 9, 1))
        fetched_inbox = box.headers_since("INBOX", dt.date(2026, 9, 1))
    assert len(fetched_sent) == len(sent) and len(fetched_inbox) == len(inbox)
    return find_in_mailbox(read_workbook(EXAMPLE), fetched_sent, fetched_inbox, today=DAY, zone=ZONE)


def request_of(name: str, email: str, company: str) -> str:
    return request_id(Recipient(name, email, company, None))


def test_a_request_sent_is_an_outreach_on_its_local_date(mail_user: MailUser) -> None:
    """Found by its Message-ID even when no outreach is due; 02:30 UTC on the 3rd is the 2nd in New York."""
    company = read_workbook(EXAMPLE).contacts.data["Company"][9]
    request = request_of("Sofia Rossi", "sofia.rossi@example.com", company)
    found = mailbox_found(mail_user, [message(
        "From: Claire <claire.donnelly@example.com>", "To: Sofia <SOFIA.ROSSI@example.com>",
        "Date: Tue, 03 Nov 2026 02:30:00 +0000", f"Message-ID: {request}",
    )])
    assert [(w.kind, w.contact, w.when) for w in found.wanted] == [
        (kinds.OUTREACH, "Sofia Rossi", dt.date(2026, 11, 2))]
    assert found.skipped == [] and found.replies == []


def test_a_message_answering_the_request_is_its_follow_up(mail_user: MailUser) -> None:
    """In-Reply-To naming the request makes a follow-up, whatever was due that day."""
    data = read_workbook(EXAMPLE).contacts.data
    parent = request_of("Sofia Rossi", "sofia.rossi@example.com", data["Company"][9])
    found = mailbox_found(mail_user, [message(
        "To: sofia.rossi@example.com", "Date: Mon, 23 Nov 2026 10:00:00 -0500", "Message-ID: <x1@mail.example>",
        f"In-Reply-To: {parent}", f"References: {parent}")])
    assert [(w.kind, w.contact, w.when) for w in found.wanted] == [
        (kinds.FOLLOW_UP, "Sofia Rossi", dt.date(2026, 11, 23))]


def test_hostile_messages_neither_crash_nor_record_anything_wrong(mail_user: MailUser, bounded: None) -> None:
    """Encoded newlines, megabyte headers, broken MIME, borrowed names, missing and absurd dates: nothing recorded."""
    junk = ", ".join(f"x{i}@junk.example" for i in range(60_000))  # over 1 MB
    sent = [
        # An address hidden in an encoded word is no address; a newline encoded in a name injects nothing.
        message("To: =?utf-8?q?tom.brennan=40example.com?=", "Date: Wed, 25 Nov 2026 09:00:00 -0500"),
        message("To: =?utf-8?q?Tom=0D=0ABcc=3A_tom.brennan=40example.com?= <nobody@junk.example>",
                "Date: Wed, 25 Nov 2026 09:00:00 -0500"),
        # One megabyte of recipients around a contact's address: ignored, and quickly.
        message(f"To: {junk}, siobhan.kelly@example.org", "Date: Wed, 25 Nov 2026 09:00:00 -0500",
                f"X-Filler: {'a' * 1_100_000}"),
        # Broken MIME and header syntax: no colon, raw 8-bit bytes, a boundary that never comes.
        message("To siobhan.kelly@example.org", "Content-Type: multipart/mixed; boundary=\"never",
                "Subject: \udcff\udcfe broken", "Date: Wed, 25 Nov 2026 09:00:00 -0500", body="--never\r\nbroken"),
        # An address with a line break folded into it.
        message("To: <tom.brennan@example.com\r\n\tBcc: x@junk.example>", "Date: Wed, 25 Nov 2026 09:00:00 -0500"),
    ]
    inbox = [
        # A From naming a Requested contact with another address.
        message('From: "Grace Lindqvist" <grace@elsewhere.example>', "Date: Tue, 24 Nov 2026 09:00:00 -0500"),
        message("From: Grace Lindqvist grace.lindqvist@example.org", "Date: Tue, 24 Nov 2026 09:00:00 -0500"),
        # Two senders in one From: not one person writing back.
        message("From: grace.lindqvist@example.org, x@junk.example", "Date: Tue, 24 Nov 2026 09:00:00 -0500"),
        # Her own address, but a date after today.
        message("From: grace.lindqvist@example.org", "Date: Fri, 01 Jan 2100 09:00:00 -0500"),
    ]
    started = time.monotonic()
    found = mailbox_found(mail_user, sent, inbox)
    assert time.monotonic() - started < 30
    assert found.wanted == [] and found.replies == [] and found.skipped == []


@pytest.mark.parametrize("date", ["Date: Sat, 01 Jan 2200 09:00:00 +0000", "Date: yesterday-ish", ""])
def test_a_message_to_a_contact_without_a_usable_date_is_skipped_with_the_reason(mail_user: MailUser,
                                                                                 date: str) -> None:
    """After today, unreadable (then the server's receipt time, here after today too), or missing: skipped."""
    headers = [h for h in ("To: tom.brennan@example.com", date) if h]
    found = mailbox_found(mail_user, [message(*headers)], received=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert found.wanted == []
    assert [(s.contact, "record it with --contact NAME --done KIND" in s.reason) for s in found.skipped] == [
        ("Tom Brennan", True)]


def test_a_missing_date_falls_back_to_when_the_server_received_it(mail_user: MailUser) -> None:
    """No Date header: the day the server stored it, in the Profile's time zone."""
    found = mailbox_found(mail_user, [message("To: tom.brennan@example.com")])
    assert [(w.kind, w.when) for w in found.wanted] == [(kinds.OUTREACH, dt.date(2026, 11, 20))]


def test_reading_never_raises_on_garbage() -> None:
    """Bytes that are no headers at all read as a message that says nothing."""
    for raw in (b"", b"\x00\xff\xfe" * 1000, b":\r\n:\r\n", b"To: " + b"<" * 100_000, b"Date: \x00\r\n"):
        read = read_message(Fetched(1, raw, None))
        assert read.recipients == () and read.sent is None


def test_an_automatic_reply_is_not_a_reply(mail_user: MailUser) -> None:
    """An out-of-office or other machine answer (RFC 3834 Auto-Submitted, Precedence, X-Autoreply) is no reply,
    so the follow-up stays due; the person's own answer still is one."""
    def answer(address: str, *extra: str) -> bytes:
        return message(f"From: <{address}>", "To: claire.donnelly@example.com", "Subject: Re: a conversation",
                       "Date: Tue, 24 Nov 2026 10:00:00 -0500", f"Message-ID: <{address}.{len(extra)}@mail>", *extra)

    found = mailbox_found(mail_user, [], [
        answer("sofia.rossi@example.com", "Auto-Submitted: auto-replied"),
        answer("sofia.rossi@example.com", "Precedence: auto_reply", "X-Autoreply: yes"),
        answer("grace.lindqvist@example.org", "AUTO-SUBMITTED: Auto-Generated (vacation)"),
        answer("kenji.watanabe@example.com", "Auto-Submitted: no"),
    ])
    read = read_workbook(EXAMPLE).contacts.data
    assert [read["First Name"][r.index] for r in found.replies] == ["Kenji"]


def test_answering_the_contacts_reply_is_not_a_follow_up(mail_user: MailUser) -> None:
    """After Sofia replied, "Tuesday works" in the request's thread is a conversation, not a follow-up;
    a follow-up sent before her reply still is one."""
    data = read_workbook(EXAMPLE).contacts.data
    request = request_of("Sofia Rossi", "sofia.rossi@example.com", data["Company"][9])
    reply = "<sure@sofia.example>"
    found = mailbox_found(mail_user, [
        message("To: sofia.rossi@example.com", "Date: Fri, 20 Nov 2026 09:00:00 -0500",
                "Message-ID: <nudge@mail.example>", f"In-Reply-To: {request}", f"References: {request}"),
        message("To: sofia.rossi@example.com", "Date: Mon, 23 Nov 2026 15:00:00 -0500",
                "Message-ID: <tuesday@mail.example>", f"In-Reply-To: {reply}", f"References: {request} {reply}"),
    ], [message("From: Sofia <sofia.rossi@example.com>", "To: claire.donnelly@example.com",
                "Date: Mon, 23 Nov 2026 10:00:00 -0500", f"Message-ID: {reply}", f"In-Reply-To: {request}")])
    assert [(w.kind, w.when) for w in found.wanted] == [(kinds.FOLLOW_UP, dt.date(2026, 11, 20))]
    assert [r.when for r in found.replies] == [dt.date(2026, 11, 23)]


def test_a_reply_carries_its_local_time(mail_user: MailUser) -> None:
    """A reply's day and minute are those in the Profile's Time Zone: 01:15 UTC on the 25th is 20:15 on the 24th."""
    found = mailbox_found(mail_user, [], [message(
        "From: <kenji.watanabe@example.com>", "To: claire.donnelly@example.com", "Subject: Re: a conversation",
        "Date: Wed, 25 Nov 2026 01:15:42 +0000", "Message-ID: <kenji.late@mail>")])
    assert [(r.when, r.at) for r in found.replies] == [(dt.date(2026, 11, 24), dt.time(20, 15))]
