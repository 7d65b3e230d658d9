"""The mail account (README, The mailbox): server and user from the Profile, the password from outside the workbook.

The password is looked up in ``SHEETKIT_MAIL_PASSWORD``, else in the system
keyring (service ``sheetkit``, user = ``Mail User``). It is held in a field
that no ``repr``, error message or traceback shows: an :class:`Account` is
safe to print, log and raise about.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sheetkit import schema
from sheetkit.errors import AccountError
from sheetkit.reader import Profile

PASSWORD_VARIABLE = "SHEETKIT_MAIL_PASSWORD"
KEYRING_SERVICE = "sheetkit"
IMAPS_PORT = 993


@dataclass(frozen=True)
class Account:
    """Where to log in and as whom; the password is kept out of ``repr`` and comparisons."""

    host: str
    port: int
    user: str
    password: str = field(repr=False, compare=False)

    @property
    def where(self) -> str:
        """``host`` or ``host:port``, as the user wrote it, for messages."""
        return self.host if self.port == IMAPS_PORT else f"{self.host}:{self.port}"


def parse_server(value: str) -> tuple[str, int]:
    """``imap.example.com`` or ``imap.example.com:143`` (``[::1]:143`` for IPv6) as host and port."""
    text = value.strip()
    host, port = text, IMAPS_PORT
    if text.startswith("["):
        inside, _, rest = text[1:].partition("]")
        host = inside
        if rest.startswith(":"):
            port = _port(rest[1:], value)
    elif text.count(":") == 1:
        host, _, number = text.partition(":")
        port = _port(number, value)
    if not host or any(c.isspace() for c in host):
        raise AccountError(f"Mail Server {value!r} is not a server name",
                           "write your provider's IMAP server in Profile, e.g. imap.gmail.com")
    return host, port


def _port(text: str, value: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise AccountError(f"Mail Server {value!r} has no valid port",
                           "write host:port with a port from 1 to 65535, or just the host for port 993")
    return int(text)


def account_from(profile: Profile) -> Account:
    """The account the Profile names, its password from the environment or the keyring, or :class:`AccountError`."""
    server, user = profile.get(schema.MAIL_SERVER), profile.get(schema.MAIL_USER)
    if not isinstance(server, str) or not server.strip():
        raise AccountError("the Profile has no Mail Server",
                           "fill in Mail Server in the Profile sheet, e.g. imap.gmail.com (README, The mailbox)")
    if not isinstance(user, str) or not user.strip():
        raise AccountError("the Profile has no Mail User",
                           "fill in Mail User in the Profile sheet: the name you log in with, usually your email")
    host, port = parse_server(server)
    return Account(host, port, user.strip(), password_for(user.strip()))


def password_for(user: str) -> str:
    """``SHEETKIT_MAIL_PASSWORD``, else the keyring's password for ``user``, or :class:`AccountError`."""
    given = os.environ.get(PASSWORD_VARIABLE)
    if given:
        return given
    found: str | None = None
    try:
        import keyring
        from keyring.errors import KeyringError

        found = keyring.get_password(KEYRING_SERVICE, user)
    except KeyringError as exc:
        # The message names the backend, never a password: keyring has none to show.
        raise AccountError(f"the system keyring could not be read ({type(exc).__name__})",
                           f"set {PASSWORD_VARIABLE} instead, or run: keyring set {KEYRING_SERVICE} {user}") from None
    if not found:
        raise AccountError(f"no password for {user}",
                           f"run: keyring set {KEYRING_SERVICE} {user} (or set {PASSWORD_VARIABLE}); "
                           "use an app password (README, The mailbox)")
    return found
