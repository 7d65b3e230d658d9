"""The mailbox, end to end as a new user runs it: the CLI against a real Dovecot started by the tests.

`drafts --to-mailbox` puts the example's emails in Drafts (once), the test
"sends" them by moving them to Sent as a mail program does, `record
--from-mailbox` writes the dates back, and a reply in the Inbox becomes a
`reply` action. Failures (a wrong password, a closed port) are one line,
exit 2, with nothing written anywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sheetkit import schema as S
from sheetkit.drafts import write_drafts
from sheetkit.mailbox import drafts_to_mailbox, record_from_mailbox
from sheetkit.reader import read_workbook
from tests.conftest import MailUser
from tests.dovecot import free_port

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "sample_workbooks" / "example.xlsx"
DAY = dt.date(2026, 11, 25)
TODAY = ["--today", DAY.isoformat()]
EMAILED = {  # the example's emails due on DAY: who, and the column their kind records
    "Siobhán Kelly": S.REQUEST_SENT, "Elena Petrova": S.REQUEST_SENT, "Tom Brennan": S.REQUEST_SENT,
    "Sofia Rossi": S.FOLLOWED_UP, "Kenji Watanabe": S.FOLLOWED_UP,
    "José Álvarez": S.THANK_YOU_SENT, "Hannah Whitfield": S.THANK_YOU_SENT,
    "Zoë Müller": S.LAST_CONTACT, "Amara Nwosu": S.LAST_CONTACT,
}


def sheetkit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command, in its own process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "sheetkit.cli", *args], capture_output=True, text=True,
                          timeout=180, cwd=ROOT, env={**os.environ, **(env or {})})


def example_for(user: MailUser, tmp_path: Path, server: str | None = None) -> Path:
    """The bundled example with this user's account in its Profile."""
    book = tmp_path / "tracker.xlsx"
    shutil.copy(EXAMPLE, book)
    wb = openpyxl.load_workbook(book)
    ws = wb[S.PROFILE.name]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == S.MAIL_SERVER.name:
            row[1].value = server or user.imaps
        elif row[0].value == S.MAIL_USER.name:
            row[1].value = user.user
    wb.save(book)
    return book


def folder_messages(user: MailUser, folder: str) -> list[tuple[bytes, tuple[bytes, ...]]]:
    """Every message in ``folder``: its bytes and flags, as the server holds them."""
    client = user.client()
    try:
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        data = client.fetch(uids, [b"BODY.PEEK[]", b"FLAGS"]) if uids else {}
        return [(d[b"BODY[]"], tuple(d[b"FLAGS"])) for _, d in sorted(data.items())]
    finally:
        client.logout()


def send_all_drafts(user: MailUser) -> None:
    """What a mail program does on Send: the draft leaves Drafts and lands in Sent."""
    client = user.client()
    try:
        client.select_folder("Drafts")
        uids = client.search("ALL")
        client.remove_flags(uids, [b"\\Draft"])
        client.move(uids, "Sent")
    finally:
        client.logout()


def seed(user: MailUser, folder: str, message: bytes) -> None:
    client = user.client()
    try:
        client.append(folder, message)
    finally:
        client.logout()


def reply_from(address: str, day: str) -> bytes:
    return (f"From: Someone <{address}>\r\nTo: claire.donnelly@example.com\r\nSubject: Re: a conversation\r\n"
            f"Date: {day}\r\nMessage-ID: <reply-{address}@example.org>\r\n\r\nHappy to talk next week.\r\n"
            ).encode()


def contacts_by_name(book: Path) -> dict[str, dict[str, Any]]:
    table = read_workbook(book).contacts
    data = table.data
    return {f"{data[S.FIRST_NAME.name][i]} {data[S.LAST_NAME.name][i]}": {c: data[c][i] for c in data}
            for i in range(len(table.rows))}


def actions(book: Path, day: str) -> list[tuple[str, str]]:
    shown = sheetkit("status", str(book), "--today", day, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    return [(a["kind"], a["contact"]) for a in json.loads(shown.stdout)["actions"]]


def test_drafts_go_to_the_mailbox_once_and_are_recorded_when_sent(mail_user: MailUser, tmp_path: Path) -> None:
    """The done-when path: 9 drafts in Drafts, byte-equal and flagged; re-run adds none; sent, then recorded."""
    book = example_for(mail_user, tmp_path)
    letters = tmp_path / "letters"
    run = sheetkit("drafts", str(book), "--to-mailbox", "--out", str(letters), *TODAY)
    assert run.returncode == 0, run.stderr
    assert f"9 drafts added to Drafts on {mail_user.imaps}, 0 already there" in run.stdout
    assert f"sheetkit record {book} --from-mailbox" in run.stdout
    # The printed letter stays a file, and is the only file.
    files = sorted(p.name for p in letters.iterdir())
    assert files[0] == "drafts.json" and len(files) == 2 and files[1].startswith("outreach-robert-ashdown")
    # What is in Drafts is exactly what `drafts --out` writes as .eml files, each flagged \Draft.
    as_files = tmp_path / "as-files"
    written = write_drafts(book, as_files, today=DAY)
    expected = sorted((as_files / d.file).read_bytes() for d in written.drafts if not d.postal)
    stored = folder_messages(mail_user, "Drafts")
    assert sorted(body for body, _ in stored) == expected and len(expected) == 9
    assert all(b"\\Draft" in flags for _, flags in stored)

    again = sheetkit("drafts", str(book), "--to-mailbox", "--out", str(letters), *TODAY)
    assert again.returncode == 0, again.stderr
    assert f"0 drafts added to Drafts on {mail_user.imaps}, 9 already there" in again.stdout
    assert len(folder_messages(mail_user, "Drafts")) == 9

    before = contacts_by_name(book)
    send_all_drafts(mail_user)
    # Sent but not yet recorded: drafting again would have them sent twice, so nothing is added.
    resent = sheetkit("drafts", str(book), "--to-mailbox", "--out", str(letters), *TODAY)
    assert "0 drafts added to Drafts" in resent.stdout and "9 already sent" in resent.stdout, resent.stderr
    assert folder_messages(mail_user, "Drafts") == [] and len(folder_messages(mail_user, "Sent")) == 9
    recorded = sheetkit("record", str(book), "--from-mailbox", *TODAY, "--format", "json")
    assert recorded.returncode == 0, recorded.stderr
    after = contacts_by_name(book)
    changed = {(name, column) for name, row in after.items() for column in row if row[column] != before[name][column]}
    moved = {("Siobhán Kelly", S.STATUS.name), ("Elena Petrova", S.STATUS.name), ("Tom Brennan", S.STATUS.name),
             ("José Álvarez", S.STATUS.name), ("Hannah Whitfield", S.STATUS.name),
             ("Zoë Müller", S.STATUS.name)}
    assert changed == {(name, column.name) for name, column in EMAILED.items()} | moved
    assert all(after[name][column.name] == DAY for name, column in EMAILED.items())
    assert {after[n][S.STATUS.name] for n in ("Siobhán Kelly", "Elena Petrova", "Tom Brennan")} == {"Requested"}
    assert json.loads(recorded.stdout)["backup"]

    # status now shows the next steps: nothing left today for these people, follow-ups when they fall due.
    assert not {name for _, name in actions(book, DAY.isoformat())} & set(EMAILED)
    assert {("follow-up", n) for n in ("Siobhán Kelly", "Elena Petrova", "Tom Brennan")} <= set(
        actions(book, "2026-12-04"))

    unchanged = book.read_bytes()
    second = sheetkit("record", str(book), "--from-mailbox", *TODAY)
    assert second.returncode == 0 and "Nothing changed" in second.stdout and book.read_bytes() == unchanged


def test_a_reply_in_the_inbox_shows_as_a_reply_action(mail_user: MailUser, tmp_path: Path) -> None:
    """A Requested contact's reply fills Last Contact; status lists `reply` and stops the follow-up."""
    book = example_for(mail_user, tmp_path)
    assert ("follow-up", "Grace Lindqvist") in actions(book, "2026-12-03")
    seed(mail_user, "INBOX", reply_from("Grace.Lindqvist@example.org", "Thu, 26 Nov 2026 10:15:00 -0500"))
    # Someone else using Grace's name, and a reply from a contact who was never asked, record nothing.
    seed(mail_user, "INBOX", reply_from("grace@elsewhere.example", "Thu, 26 Nov 2026 11:00:00 -0500").replace(
        b"From: Someone", b"From: Grace Lindqvist"))
    seed(mail_user, "INBOX", reply_from("tom.brennan@example.com", "Thu, 26 Nov 2026 12:00:00 -0500"))
    run = sheetkit("record", str(book), "--from-mailbox", "--today", "2026-11-27")
    assert run.returncode == 0, run.stderr
    after = contacts_by_name(book)
    assert after["Grace Lindqvist"][S.LAST_CONTACT.name] == dt.date(2026, 11, 26)
    assert after["Grace Lindqvist"][S.STATUS.name] == "Requested"
    assert after["Tom Brennan"][S.LAST_CONTACT.name] is None
    shown = sheetkit("status", str(book), "--today", "2026-11-27")
    assert "reply: schedule the interview" in shown.stdout and "replied on 2026-11-26" in shown.stdout
    assert ("reply", "Grace Lindqvist") in actions(book, "2026-12-03")
    assert ("follow-up", "Grace Lindqvist") not in actions(book, "2026-12-03")


@pytest.mark.parametrize("failure", ["wrong password", "closed port"])
def test_a_failure_is_one_line_and_writes_nothing(mail_user: MailUser, tmp_path: Path, failure: str) -> None:
    """A refused login or a closed port: one Error: line, exit 2, no password shown, nothing written anywhere."""
    server = f"127.0.0.1:{free_port()}" if failure == "closed port" else None
    book = example_for(mail_user, tmp_path, server)
    seed(mail_user, "Sent", reply_from("grace.lindqvist@example.org", "Wed, 25 Nov 2026 09:00:00 -0500"))
    password = "Wr0ng-but-Secret" if failure == "wrong password" else mail_user.password
    env = {"SHEETKIT_MAIL_PASSWORD": password}
    original = book.read_bytes()
    for args in (["drafts", str(book), "--to-mailbox", "--out", str(tmp_path / "letters")],
                 ["record", str(book), "--from-mailbox"]):
        run = sheetkit(*args, *TODAY, env=env)
        assert run.returncode == 2, (run.stdout, run.stderr)
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), run.stderr
        assert ("refused the login" if failure == "wrong password" else "refused the connection") in lines[0]
        assert password not in run.stdout + run.stderr and mail_user.password not in run.stdout + run.stderr
        assert "Traceback" not in run.stderr
    assert book.read_bytes() == original
    assert not (tmp_path / "letters").exists()
    assert folder_messages(mail_user, "Drafts") == []


def test_the_library_is_usable_from_python(mail_user: MailUser, tmp_path: Path) -> None:
    """The CLI's two functions, exported from sheetkit, work from Python; their dry runs write nothing."""
    import sheetkit

    assert sheetkit.drafts_to_mailbox is drafts_to_mailbox and sheetkit.record_from_mailbox is record_from_mailbox
    book = example_for(mail_user, tmp_path)
    looked = drafts_to_mailbox(book, tmp_path / "letters", today=DAY, kinds=["thank-you"], dry_run=True)
    assert len(looked.added) == 2 and folder_messages(mail_user, "Drafts") == []
    result = drafts_to_mailbox(book, tmp_path / "letters", today=DAY, kinds=["thank-you"])
    assert sorted(d.contact for d in result.added) == ["Hannah Whitfield", "José Álvarez"]
    assert result.to_dict()["folder"] == "Drafts" and result.files.drafts == []
    send_all_drafts(mail_user)
    dry = record_from_mailbox(book, today=DAY, dry_run=True)
    assert {(c.row, c.new) for c in dry.changes if c.new == DAY} == {(6, DAY), (7, DAY)}
    assert dry.backup is None and read_workbook(book).contacts.data[S.THANK_YOU_SENT.name][4] is None


def test_printed_letters_need_a_folder(mail_user: MailUser, tmp_path: Path) -> None:
    """Without --out, a day with a printed letter is refused before anything is appended."""
    book = example_for(mail_user, tmp_path)
    run = sheetkit("drafts", str(book), "--to-mailbox", *TODAY)
    assert run.returncode == 2 and "give --out DIR" in run.stderr, run.stderr
    assert folder_messages(mail_user, "Drafts") == []
    only_emails = sheetkit("drafts", str(book), "--to-mailbox", "--kind", "follow-up", *TODAY)
    assert only_emails.returncode == 0 and "2 drafts added" in only_emails.stdout, only_emails.stderr


def test_a_draft_edited_in_the_mail_program_is_not_added_again(mail_user: MailUser, tmp_path: Path) -> None:
    """A mail program that saves an edited draft gives it a new Message-ID: the draft to that person still counts."""
    book = example_for(mail_user, tmp_path)
    letters = tmp_path / "letters"
    assert sheetkit("drafts", str(book), "--to-mailbox", "--out", str(letters), *TODAY).returncode == 0
    client = mail_user.client()
    try:
        client.select_folder("Drafts")
        uid = client.search("ALL")[0]
        body = client.fetch([uid], [b"BODY.PEEK[]"])[uid][b"BODY[]"]
        head, rest = body.split(b"\r\n\r\n", 1)
        edited = b"\r\n".join(
            b"Message-ID: <edited-by-webmail@mail.example>" if line.lower().startswith(b"message-id:")
            else b"Subject: A quick question" if line.lower().startswith(b"subject:") else line
            for line in head.split(b"\r\n")) + b"\r\n\r\n" + rest.replace(b"Dear", b"Hello")
        client.delete_messages([uid])
        client.expunge()
        client.append("Drafts", edited, flags=[b"\\Draft"])
    finally:
        client.logout()
    again = sheetkit("drafts", str(book), "--to-mailbox", "--out", str(letters), *TODAY)
    assert f"0 drafts added to Drafts on {mail_user.imaps}, 9 already there" in again.stdout, again.stdout
    stored = folder_messages(mail_user, "Drafts")
    assert len(stored) == 9 and sum(b"<edited-by-webmail@mail.example>" in body for body, _ in stored) == 1
