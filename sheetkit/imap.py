"""Talking to the mail server (README, The mailbox), through IMAPClient.

IMAPClient rather than bare :mod:`imaplib`: it parses FETCH responses and
folder flags (``find_special_folder`` for RFC 6154 special-use), quotes
folder names and literals for us, and raises one ``LoginError`` class for a
refused login; :mod:`imaplib` would leave all of that to hand-written
parsing.

Safety, each pinned by ``tests/test_imap.py`` against a real Dovecot:

- TLS always, certificates verified by :func:`ssl.create_default_context`
  (the system's trusted certificates, ``SSL_CERT_FILE`` honoured). Implicit
  TLS is tried first on any port; a server that answers in plain text
  instead (port 143, or a submission-style port) is reconnected with
  STARTTLS. Only a loopback address may be reached without TLS, for a local
  server or bridge that offers none.
- Every socket operation has a time-out.
- Every failure (refused login, unreachable server, untrusted certificate,
  missing folder, a server error) becomes one :class:`MailboxError` line that
  names the server and never the password.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from sheetkit.account import Account
from sheetkit.errors import LoginError, MailboxError

TIMEOUT = 30.0  # seconds for connecting and for each command: a stuck server is reported, not waited for
DRAFTS, SENT, INBOX = b"\\Drafts", b"\\Sent", "INBOX"
# The headers sent and received mail is matched by, and those that mark an answer sent by a machine
# (an out-of-office); the rest of a message is never fetched.
HEADERS = ("FROM", "TO", "CC", "DATE", "MESSAGE-ID", "IN-REPLY-TO", "REFERENCES",
           "AUTO-SUBMITTED", "PRECEDENCE", "X-AUTOREPLY", "X-AUTORESPOND")
_HEADER_ITEM = f"BODY.PEEK[HEADER.FIELDS ({' '.join(HEADERS)})]".encode("ascii")
_FETCHED_ITEM = f"BODY[HEADER.FIELDS ({' '.join(HEADERS)})]".encode("ascii")
# A fallback name per special-use flag, for servers without RFC 6154 (compared ignoring case).
_NAMES = {DRAFTS: ("Drafts", "Draft"), SENT: ("Sent", "Sent Items", "Sent Messages")}


@dataclass(frozen=True)
class Fetched:
    """One message's matching headers as the server sent them, and when the server received it."""

    uid: int
    headers: bytes
    received: dt.datetime | None


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine: ``localhost`` or a loopback address."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Mailbox:
    """A logged-in IMAP session; use :func:`connect` to get one."""

    def __init__(self, client: Any, account: Account) -> None:
        self._client = client
        self.account = account

    @property
    def encrypted(self) -> bool:
        """Whether the session runs over TLS (always, unless the server is this machine and offers none)."""
        return isinstance(self._client.socket(), ssl.SSLSocket)

    def folder(self, flag: bytes) -> str:
        """The folder flagged ``flag`` (RFC 6154), else the one named as usual, or :class:`MailboxError`."""
        with self._errors():
            found = self._client.find_special_folder(flag)
            if found:
                return str(found)
            names = {str(name).casefold(): str(name) for _, _, name in self._client.list_folders()}
        for name in _NAMES[flag]:
            if name.casefold() in names:
                return names[name.casefold()]
        what = flag.decode("ascii").lstrip("\\")
        raise MailboxError(f"{self.account.where} has no {what} folder",
                           f"create a folder named {what} in your mail program, or check Mail Server in Profile")

    def has_message(self, folder: str, message_id: str) -> bool:
        """Whether a message with this Message-ID is in ``folder``."""
        with self._errors():
            self._client.select_folder(folder, readonly=True)
            found = bool(self._client.search(["HEADER", "Message-ID", message_id]))
            self._client.unselect_folder()
        return found

    def append(self, folder: str, message: bytes) -> None:
        """Append ``message`` to ``folder`` as it is, flagged ``\\Draft`` (and ``\\Seen``: the user wrote it)."""
        with self._errors():
            self._client.append(folder, message, flags=(b"\\Draft", b"\\Seen"))

    def headers_since(self, folder: str, since: dt.date | None) -> list[Fetched]:
        """The matching headers of every message in ``folder`` the server received on or after ``since`` (None: all)."""
        out: list[Fetched] = []
        with self._errors():
            self._client.select_folder(folder, readonly=True)
            uids = self._client.search(["SINCE", since] if since is not None else "ALL")
            for start in range(0, len(uids), 200):
                fetched = self._client.fetch(uids[start:start + 200], [_HEADER_ITEM, b"INTERNALDATE"])
                for uid, data in sorted(fetched.items()):
                    received = data.get(b"INTERNALDATE")
                    out.append(Fetched(int(uid), bytes(data.get(_FETCHED_ITEM) or b""),
                                       received if isinstance(received, dt.datetime) else None))
            self._client.unselect_folder()
        return out

    def close(self) -> None:
        """Log out; a server gone by now is no error worth reporting."""
        try:
            self._client.logout()
        except Exception:  # the work is done; logging out is a courtesy
            with suppress(Exception):
                self._client.shutdown()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        with _failures(self.account):
            yield


@contextmanager
def connect(account: Account, *, timeout: float = TIMEOUT) -> Iterator[Mailbox]:
    """A logged-in :class:`Mailbox` for ``account``, logged out afterwards; any failure is :class:`MailboxError`."""
    client = _open(account, timeout)
    client.normalise_times = False  # INTERNALDATE with its zone, not converted to this computer's
    box = Mailbox(client, account)
    try:
        with _failures(account):
            _login(client, account)
        yield box
    finally:
        box.close()


def _login(client: Any, account: Account) -> None:
    """LOGIN, or AUTHENTICATE PLAIN for a user name or password beyond ASCII, which LOGIN cannot carry."""
    if (account.user + account.password).isascii():
        client.login(account.user, account.password)
    elif b"AUTH=PLAIN" in client.capabilities():
        client.plain_login(account.user, account.password)  # RFC 4616: UTF-8
    else:
        raise MailboxError(f"{account.where} takes only plain ASCII user names and passwords",
                           "use an app password, which is ASCII, or ask your provider for one (README, The mailbox)")


def _open(account: Account, timeout: float) -> Any:
    from imapclient import IMAPClient

    context = ssl.create_default_context()  # verified against the system's CAs; SSL_CERT_FILE honoured
    with _failures(account):
        try:
            return IMAPClient(account.host, port=account.port, ssl=True, ssl_context=context, timeout=timeout)
        except ssl.SSLCertVerificationError:
            raise
        except ssl.SSLError as exc:
            if "WRONG_VERSION_NUMBER" not in str(exc.reason or exc) and "wrong version" not in str(exc):
                raise
        # The server spoke plain text first: an IMAP port that upgrades with STARTTLS.
        client = IMAPClient(account.host, port=account.port, ssl=False, timeout=timeout)
        if b"STARTTLS" in client.capabilities():
            client.starttls(context)
        elif not is_loopback(account.host):
            client.shutdown()
            raise MailboxError(f"{account.where} offers no TLS (neither on connect nor by STARTTLS)",
                               "use your provider's IMAP server with TLS, usually on port 993")
        return client


@contextmanager
def _failures(account: Account) -> Iterator[None]:
    """Every way talking to the server can fail, as one :class:`MailboxError` without the password."""
    from imapclient import exceptions as imap_errors

    where = account.where
    try:
        yield
    except MailboxError:
        raise
    except imap_errors.LoginError:
        raise LoginError(f"{where} refused the login for {account.user}",
                         "check Mail User, and the password in SHEETKIT_MAIL_PASSWORD or the keyring; "
                         "Gmail, iCloud and Fastmail need an app password (README, The mailbox)") from None
    except ssl.SSLCertVerificationError as exc:
        raise MailboxError(f"{where}'s certificate is not trusted ({exc.verify_message})",
                           "check Mail Server; a certificate of your own goes in SSL_CERT_FILE") from None
    except TimeoutError:
        raise MailboxError(f"{where} did not answer in time",
                           "check Mail Server and your connection, then try again") from None
    except ConnectionRefusedError:
        raise MailboxError(f"{where} refused the connection (nothing listens on port {account.port})",
                           "check Mail Server: usually your provider's IMAP server on port 993") from None
    except socket.gaierror:
        raise MailboxError(f"{where} is not a server name that can be found",
                           "check Mail Server in Profile and your connection") from None
    except ssl.SSLError as exc:
        raise MailboxError(f"{where}: TLS failed ({exc.reason or 'handshake'})",
                           "check Mail Server: it must be the IMAP server, usually on port 993") from None
    except OSError as exc:
        raise MailboxError(f"{where} could not be reached ({exc.strerror or type(exc).__name__})",
                           "check Mail Server and your connection, then try again") from None
    except imap_errors.IMAPClientError as exc:
        # The server's own words, without the command (which could carry a credential).
        said = str(exc).replace(account.password, "…") if account.password else str(exc)
        raise MailboxError(f"{where} answered with an error: {said[:200]}", "try again later") from None
