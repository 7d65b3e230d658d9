"""Fixtures that build small workbooks in tmp_path, headers taken from the schema; one that bounds a test of a limit."""

from __future__ import annotations

import datetime as dt
import os
import re
import resource
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sheetkit import schema

TODAY = dt.date(2026, 11, 25)  # a Wednesday

MakeBook = Callable[..., Path]

# What Excel writes as _xHHHH_ in a cell's text: controls XML cannot hold (and carriage
# returns, which XML would turn into line feeds), and an underscore that would read as one.
_EXCEL_ESCAPED = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def excel_text(value: Any) -> Any:
    """A cell value as Excel saves it in the sheet's XML, so that openpyxl can write any text a person typed."""
    if not isinstance(value, str):
        return value
    return _EXCEL_ESCAPED.sub(lambda m: f"_x{ord(m[0]):04X}_", value)


def build_workbook(
    path: Path,
    contacts: Sequence[dict[str, Any]] = (),
    *,
    headers: Sequence[str] | None = None,
    profile: dict[str, Any] | None = None,
    questions: Sequence[dict[str, Any]] = (),
    title_rows: Sequence[Sequence[Any]] = (),
    sheet_name: str = schema.CONTACTS.name,
) -> Path:
    """Write a workbook whose Contacts rows are dicts keyed by header (None in a list = a blank row)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_name
    heads = list(headers if headers is not None else schema.CONTACTS.headers)
    for row in title_rows:
        ws.append(list(row))
    ws.append(heads)
    for contact in contacts:
        if contact is None:
            ws.append([])
            continue
        ws.append([excel_text(contact.get(h)) for h in heads])
    if profile is not None:
        ps = wb.create_sheet(schema.PROFILE.name)
        ps.append(list(schema.PROFILE.headers[:2]))
        for setting in schema.PROFILE_SETTINGS:
            ps.append([setting.name, excel_text(profile.get(setting.name, setting.default))])
    if questions:
        qs = wb.create_sheet(schema.QUESTIONS.name)
        qs.append(list(schema.QUESTIONS.headers))
        for q in questions:
            qs.append([excel_text(q.get(h)) for h in schema.QUESTIONS.headers])
    wb.save(path)
    return path


@pytest.fixture
def make_book(tmp_path: Path) -> MakeBook:
    """Build a workbook in tmp_path: ``make_book(contacts, name="x.xlsx", **options)``."""
    counter = iter(range(1000))

    def make(contacts: Sequence[dict[str, Any]] = (), name: str | None = None, **options: Any) -> Path:
        return build_workbook(tmp_path / (name or f"book{next(counter)}.xlsx"), contacts, **options)

    return make


def contact(**fields: Any) -> dict[str, Any]:
    """A contact row from keyword arguments named after schema columns (first_name → First Name)."""
    by_attr = {c.attr: c.name for c in schema.CONTACTS.columns}
    return {by_attr[k]: v for k, v in fields.items()}


@pytest.fixture
def bounded() -> Iterator[None]:
    """A test of a limit fails, rather than hanging or exhausting the machine, where the limit is missing.

    The process may grow by 2 GiB of address space at most (an allocation past
    that raises MemoryError), and a test still running after 60 s fails (a
    single operation in C runs to its end first: no signal interrupts it).
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    statm = Path("/proc/self/statm")
    if statm.exists():
        cap = int(statm.read_text().split()[0]) * resource.getpagesize() + 2 * (1 << 30)
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))

    def give_up(signum: int, frame: Any) -> None:
        pytest.fail("still running after 60 s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A folder for one test module's LibreOffice files; skips the module without LibreOffice."""
    from tests import lo

    lo.require_soffice()
    return tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])


# --- The mailbox: a throwaway Dovecot (tests/dovecot.py), one account per test ------------------


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[Any]:
    """One Dovecot on 127.0.0.1 for the test process; without Dovecot the tests that use it fail, never skip."""
    from tests import dovecot

    server = dovecot.start()
    yield server
    server.stop()


@dataclass(frozen=True)
class MailUser:
    """A fresh account on the test Dovecot, and how to reach it."""

    server: Any
    user: str
    password: str

    @property
    def imaps(self) -> str:
        return f"127.0.0.1:{self.server.imaps_port}"

    @property
    def starttls(self) -> str:
        return f"127.0.0.1:{self.server.imap_port}"

    def client(self) -> Any:
        """The test's own IMAP session (implicit TLS, certificate verified), to seed and look."""
        import ssl

        from imapclient import IMAPClient

        context = ssl.create_default_context(cafile=str(self.server.cert))
        client = IMAPClient("127.0.0.1", port=self.server.imaps_port, ssl=True, ssl_context=context, timeout=10)
        client.login(self.user, self.password)
        return client


_users = iter(range(1_000_000))


@pytest.fixture
def mail_user(dovecot_server: Any, monkeypatch: pytest.MonkeyPatch) -> MailUser:
    """A user of its own on the test Dovecot, its certificate trusted (SSL_CERT_FILE), the password in the env."""
    user = f"user{next(_users)}-{os.getpid()}@example.com"
    password = dovecot_server.password
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot_server.cert))
    monkeypatch.setenv("SHEETKIT_MAIL_PASSWORD", password)
    return MailUser(dovecot_server, user, password)
def invoke(*args: str | Path) -> Any:
    """Run the command line in-process, as a user would type it; never a traceback."""
    from typer.testing import CliRunner

    from sheetkit.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(scope="module")
def lo_folder(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A folder for one test module's LibreOffice files; fails without LibreOffice, which CI installs."""
    from tests import lo

    if lo.soffice() is None:
        pytest.fail(lo.SKIP_REASON)
    return tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
