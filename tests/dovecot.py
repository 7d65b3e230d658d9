"""A throwaway Dovecot IMAP server on 127.0.0.1 for tests: one per test process, stopped at exit.

It listens on two free ports, implicit TLS (``imaps``) and plain IMAP with
STARTTLS, with a self-signed certificate made for ``localhost`` and
``127.0.0.1`` that the tests trust through ``SSL_CERT_FILE``, never by
turning verification off. Any user name logs in with the server's one
random password (a static passdb: a passwd-file is re-read at most once a
second, too late for a user added just before); each test takes a user name
of its own, so tests never see each other's mail. Mail is
stored as Maildir under the server's folder, owned by ``nobody``, the one
unprivileged user every Debian machine has.

Without Dovecot the tests fail rather than skip: CI installs it (``.ci/run``).
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
MAIL_OWNER = "nobody"
MISSING = "Dovecot is required for the mailbox tests: apt-get install dovecot-imapd (.ci/run installs it)"

_CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
default_login_user = dovenull
default_internal_user = dovecot
auth_mechanisms = plain login
# Empty: any character in a user name, as providers allow; the default would refuse a name like jösé.
auth_username_chars =
disable_plaintext_auth = no
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
{mailboxes}}}
"""
# The folders every account has, flagged as RFC 6154 says; left out, an account has only its INBOX.
_SPECIAL = """\
  mailbox "{drafts}" {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox "{sent}" {{
    special_use = \\Sent
    auto = subscribe
  }}
"""


@dataclass
class Server:
    """A running Dovecot: where it listens, its certificate, and the password every user logs in with."""

    root: Path
    imap_port: int
    imaps_port: int
    cert: Path
    password: str
    process: subprocess.Popen[bytes]

    def mail_dir(self, user: str) -> Path:
        """Where ``user``'s Maildir lives (read by tests that look at the store itself)."""
        return self.root / "mail" / user

    def log(self) -> str:
        """Dovecot's log, for a failing test's message."""
        path = self.root / "dovecot.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _certificate(root: Path) -> Path:
    """A self-signed certificate for localhost and 127.0.0.1, its key beside it."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (root / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (root / "key.pem").chmod(0o600)
    path = root / "cert.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def start(*, special_use: bool = True, names: tuple[str, str] = ("Drafts", "Sent")) -> Server:
    """Start Dovecot in the foreground under a new temporary folder; wait until both ports answer.

    ``special_use=False``: accounts have no Drafts or Sent folder until a client creates one, unflagged.
    ``names``: what the folders flagged ``\\Drafts`` and ``\\Sent`` are called (a provider's own words).
    """
    if not Path(DOVECOT).exists():
        raise RuntimeError(MISSING)
    root = Path(tempfile.mkdtemp(prefix="sheetkit-dovecot-"))
    root.chmod(0o755)  # the mail owner and Dovecot's own users must reach into it
    owner = pwd.getpwnam(MAIL_OWNER)
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir()
    for sub in ("mail", "home"):
        os.chown(root / sub, owner.pw_uid, owner.pw_gid)
    cert = _certificate(root)
    imap, imaps = free_port(), free_port()
    config = root / "dovecot.conf"
    password = f"pw-{secrets.token_hex(12)}"
    config.write_text(_CONFIG.format(root=root, uid=owner.pw_uid, gid=owner.pw_gid, imap=imap, imaps=imaps,
                                     password=password, mailboxes=_SPECIAL.format(drafts=names[0], sent=names[1])
                                     if special_use else ""),
                      encoding="utf-8")
    config.chmod(0o600)
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(root, imap, imaps, cert, password, process)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            log = server.log()
            server.stop()
            raise RuntimeError(f"Dovecot exited with {process.returncode}:\n{output}\n{log}")
        if all(_answers(port) for port in (imap, imaps)):
            atexit.register(server.stop)
            return server
        time.sleep(0.05)
    log = server.log()
    server.stop()
    raise RuntimeError(f"Dovecot did not listen within 20 s:\n{log}")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
