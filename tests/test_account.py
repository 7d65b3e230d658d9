"""The mail account: server and user from the Profile, the password from the environment or the keyring, never shown."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from pathlib import Path

import keyring
import openpyxl
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from sheetkit import schema as S
from sheetkit.account import Account, account_from, parse_server, password_for
from sheetkit.errors import AccountError
from sheetkit.reader import read_workbook
from sheetkit.validate import check
from tests.conftest import TODAY, MakeBook

SECRET = "app-password-Xy9"


@pytest.fixture
def file_keyring(tmp_path: Path) -> Iterator[PlaintextKeyring]:
    """A real keyring backend (keyrings.alt's file keyring) holding its file in tmp_path."""
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def test_the_profile_names_the_account_and_the_environment_gives_the_password(
        make_book: MakeBook, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mail Server and Mail User from Profile; SHEETKIT_MAIL_PASSWORD first; repr never shows the password."""
    monkeypatch.setenv("SHEETKIT_MAIL_PASSWORD", SECRET)
    book = make_book(profile={S.MAIL_SERVER.name: " imap.example.com ", S.MAIL_USER.name: "me@example.com"})
    account = account_from(read_workbook(book).profile)
    assert (account.host, account.port, account.user, account.password) == ("imap.example.com", 993,
                                                                           "me@example.com", SECRET)
    assert SECRET not in repr(account) and SECRET not in str(account) and account.where == "imap.example.com"
    assert account == Account("imap.example.com", 993, "me@example.com", "another")


def test_the_keyring_gives_the_password_when_the_environment_does_not(
        file_keyring: PlaintextKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    """Service sheetkit, user = Mail User, as `keyring set sheetkit USER` stores it."""
    monkeypatch.delenv("SHEETKIT_MAIL_PASSWORD", raising=False)
    keyring.set_password("sheetkit", "me@example.com", SECRET)
    assert password_for("me@example.com") == SECRET
    with pytest.raises(AccountError, match=r"no password for other@example\.com") as caught:
        password_for("other@example.com")
    assert "keyring set sheetkit other@example.com" in str(caught.value)


def test_no_keyring_at_all_is_one_error_saying_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without a keyring service (a server, a container): set the environment variable instead."""
    monkeypatch.delenv("SHEETKIT_MAIL_PASSWORD", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(AccountError, match="SHEETKIT_MAIL_PASSWORD"):
            password_for("me@example.com")
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize(("settings", "missing"), [
    ({}, "Mail Server"), ({S.MAIL_SERVER.name: "imap.example.com"}, "Mail User")])
def test_older_workbooks_read_with_the_mailbox_unset(make_book: MakeBook, monkeypatch: pytest.MonkeyPatch,
                                                      settings: dict[str, str], missing: str) -> None:
    """Without the settings the workbook reads (no warning); the mailbox commands say what to fill in."""
    monkeypatch.setenv("SHEETKIT_MAIL_PASSWORD", SECRET)
    campaign = read_workbook(make_book(profile=settings))
    assert campaign.profile.get(S.MAIL_USER) is None
    with pytest.raises(AccountError, match=f"the Profile has no {missing}") as caught:
        account_from(campaign.profile)
    assert SECRET not in "".join(traceback.format_exception(caught.value))


def test_a_profile_without_the_mailbox_rows_validates_clean(make_book: MakeBook) -> None:
    """A workbook made before the mailbox (no Mail Server or Mail User row at all) reads with both unset, no issue."""
    book = make_book(profile={S.YOUR_NAME.name: "Dana Reyes", S.MY_EMAIL.name: "dana@example.com"})
    wb = openpyxl.load_workbook(book)
    ws = wb[S.PROFILE.name]
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value in (S.MAIL_SERVER.name, S.MAIL_USER.name)]
    assert len(rows) == 2
    for r in reversed(rows):
        ws.delete_rows(r)
    wb.save(book)
    campaign = read_workbook(book)
    assert campaign.profile.get(S.MAIL_SERVER) is None and campaign.profile.get(S.MAIL_USER) is None
    assert [i.code for i in check(campaign, TODAY).issues if i.sheet == S.PROFILE.name] == []


@pytest.mark.parametrize(("value", "host", "port"), [
    ("imap.gmail.com", "imap.gmail.com", 993), ("127.0.0.1:1143", "127.0.0.1", 1143),
    ("[::1]:143", "::1", 143), ("::1", "::1", 993)])
def test_server_with_or_without_a_port(value: str, host: str, port: int) -> None:
    """host, host:port, [IPv6]:port; port 993 by default."""
    assert parse_server(value) == (host, port)


@pytest.mark.parametrize("value", ["imap.example.com:0", "imap.example.com:http", "imap example.com", ":993"])
def test_a_server_that_is_no_server_is_one_error(value: str) -> None:
    """A bad port or a name with spaces says how to write it."""
    with pytest.raises(AccountError, match="Mail Server"):
        parse_server(value)
