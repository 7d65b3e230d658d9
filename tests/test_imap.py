"""The IMAP session against a real Dovecot: verified TLS both ways, time-outs, one-line failures, folders, append."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
import traceback
from collections.abc import Iterator
from typing import Any

import pytest

from sheetkit.account import Account
from sheetkit.errors import LoginError, MailboxError
from sheetkit.imap import DRAFTS, SENT, connect, is_loopback
from sheetkit.sent import read_message
from tests import dovecot
from tests.conftest import MailUser

MESSAGE = (b"From: Claire <claire@example.com>\r\nTo: Ann <ann@example.com>\r\nSubject: Hello\r\n"
           b"Date: Wed, 25 Nov 2026 09:00:00 -0500\r\nMessage-ID: <abc@sheetkit.invalid>\r\nX-Unsent: 1\r\n\r\n"
           b"Dear Ann,\r\n\r\nHello.\r\n")


def account(user: MailUser, port: int, password: str | None = None) -> Account:
    return Account("127.0.0.1", port, user.user, password or user.password)


@pytest.fixture(scope="module")
def bare_server() -> Iterator[Any]:
    """A Dovecot whose accounts have no Drafts or Sent folder, and no special-use flags."""
    server = dovecot.start(special_use=False)
    yield server
    server.stop()


@pytest.mark.parametrize("port", ["imaps_port", "imap_port"])
def test_implicit_tls_and_starttls_both_log_in_encrypted(mail_user: MailUser, port: str) -> None:
    """Implicit TLS on the imaps port, STARTTLS on the plain one; either way the session is encrypted."""
    with connect(account(mail_user, getattr(mail_user.server, port))) as box:
        assert box.encrypted
        assert box.folder(DRAFTS) == "Drafts" and box.folder(SENT) == "Sent"


@pytest.mark.parametrize("port", ["imaps_port", "imap_port"])
def test_an_untrusted_certificate_is_refused(mail_user: MailUser, monkeypatch: pytest.MonkeyPatch, port: str) -> None:
    """Without the test's certificate among the trusted ones, neither TLS nor STARTTLS goes ahead."""
    monkeypatch.delenv("SSL_CERT_FILE")
    with pytest.raises(MailboxError, match="certificate is not trusted"), connect(
            account(mail_user, getattr(mail_user.server, port))):
        pass


def test_a_wrong_password_is_a_login_error_that_never_shows_it(mail_user: MailUser) -> None:
    """The refused login names the server and user, and neither the message nor the traceback holds the password."""
    secret = "Not-The-Password-42"
    with pytest.raises(LoginError) as caught, connect(account(mail_user, mail_user.server.imaps_port, secret)):
        pass
    assert f"127.0.0.1:{mail_user.server.imaps_port} refused the login for {mail_user.user}" in str(caught.value)
    shown = "".join(traceback.format_exception(caught.value))
    assert secret not in shown and "app password" in shown
    assert secret not in repr(account(mail_user, 993, secret))


def test_a_closed_port_is_one_error() -> None:
    """Nothing listening: a MailboxError saying so, not a socket exception."""
    port = dovecot.free_port()
    with pytest.raises(MailboxError, match=f"refused the connection \\(nothing listens on port {port}\\)"), connect(
            Account("127.0.0.1", port, "u", "p")):
        pass


def test_a_silent_server_times_out() -> None:
    """A server that accepts and never answers is reported after the time-out, not waited on for ever."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        held: list[socket.socket] = []
        threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True).start()
        started = time.monotonic()
        with pytest.raises(MailboxError, match="did not answer in time"), connect(
                Account("127.0.0.1", listener.getsockname()[1], "u", "p"), timeout=0.5):
            pass
        assert time.monotonic() - started < 5
        for conn in held:
            conn.close()


def test_appended_drafts_come_back_byte_equal_and_flagged(mail_user: MailUser) -> None:
    """What is appended is stored as it was given, flagged \\Draft, and found again by its Message-ID."""
    with connect(account(mail_user, mail_user.server.imaps_port)) as box:
        assert box.headers_since("Drafts", None) == []
        box.append("Drafts", MESSAGE)
        assert [read_message(f).message_id for f in box.headers_since("Drafts", None)] == ["<abc@sheetkit.invalid>"]
        assert box.has_message("Drafts", "<abc@sheetkit.invalid>")
        assert not box.has_message("Sent", "<abc@sheetkit.invalid>")
        (fetched,) = box.headers_since("Drafts", dt.date.today() - dt.timedelta(days=1))
    assert b"Message-ID: <abc@sheetkit.invalid>" in fetched.headers and b"Subject" not in fetched.headers
    assert fetched.received is not None and fetched.received.tzinfo is not None
    client = mail_user.client()
    client.select_folder("Drafts", readonly=True)
    (data,) = client.fetch(client.search("ALL"), [b"BODY.PEEK[]", b"FLAGS"]).values()
    client.logout()
    assert data[b"BODY[]"] == MESSAGE and b"\\Draft" in data[b"FLAGS"]


def test_folders_are_found_by_name_without_special_use_and_missing_ones_refused(
        bare_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """No \\Drafts folder: a clear error; a folder named Sent Items serves when nothing is flagged \\Sent."""
    monkeypatch.setenv("SSL_CERT_FILE", str(bare_server.cert))
    user = MailUser(bare_server, "bare@example.com", bare_server.password)
    missing = f"127.0.0.1:{bare_server.imaps_port} has no Drafts folder"
    with connect(account(user, bare_server.imaps_port)) as box, pytest.raises(MailboxError, match=missing):
        box.folder(DRAFTS)
    client = user.client()
    client.create_folder("Sent Items")
    client.logout()
    with connect(account(user, bare_server.imaps_port)) as box:
        assert box.folder(SENT) == "Sent Items"


def test_folders_are_found_by_their_special_use_flag_whatever_their_names(
        mail_user: MailUser, monkeypatch: pytest.MonkeyPatch) -> None:
    """A provider's own names (RFC 6154 flags on Brouillons, Éléments envoyés) win over unflagged Drafts and Sent."""
    server = dovecot.start(names=("Brouillons", "Éléments envoyés"))
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))
        user = MailUser(server, mail_user.user, server.password)
        client = user.client()
        client.create_folder("Drafts")
        client.create_folder("Sent")
        client.logout()
        with connect(account(user, server.imaps_port)) as box:
            assert (box.folder(DRAFTS), box.folder(SENT)) == ("Brouillons", "Éléments envoyés")
            box.append(box.folder(SENT), MESSAGE)
            assert box.has_message("Éléments envoyés", "<abc@sheetkit.invalid>")
            assert not box.has_message("Sent", "<abc@sheetkit.invalid>")
    finally:
        server.stop()


def test_loopback_is_this_machine_only() -> None:
    """Only localhost and loopback addresses may be reached without TLS."""
    assert all(map(is_loopback, ["localhost", "127.0.0.1", "127.8.9.1", "::1"]))
    assert not any(map(is_loopback, ["imap.gmail.com", "10.0.0.1", "localhost.example.com", "::2"]))


def test_credentials_beyond_ascii_log_in_or_are_refused_as_a_login_error(mail_user: MailUser) -> None:
    """A user name or password with letters like ö logs in (AUTHENTICATE PLAIN is UTF-8), or is a LoginError."""
    user = f"jösé-{mail_user.user}"
    with connect(Account("127.0.0.1", mail_user.server.imaps_port, user, mail_user.password)) as box:
        assert box.folder(DRAFTS) == "Drafts"
    secret = "pässwörd-Not-It"
    with pytest.raises(LoginError) as caught, connect(account(mail_user, mail_user.server.imaps_port, secret)):
        pass
    assert secret not in "".join(traceback.format_exception(caught.value))
