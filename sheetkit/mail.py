"""Building ``.eml`` drafts with Python's :mod:`email` package.

A draft is one ``text/plain`` UTF-8 message with ``X-Unsent: 1``, so mail
programs open it as an editable, unsent draft. Every header value comes from a
cell or a template, so each goes through :mod:`sheetkit.headers` first, which
declares what a header can carry (for validation too); a value that could
smuggle a header in is refused with :class:`~sheetkit.headers.UnsafeHeader`:
the caller reports that draft's row and goes on with the others.

Decisions, each pinned by ``tests/test_mail.py``:

- Line endings are CRLF throughout, as RFC 5322 and mail programs expect of an
  ``.eml`` file; Python's parser reads them back.
- Text holding an encoded-word marker ``=?`` is always written as encoded words
  itself, never raw, as RFC 2047 asks: a mail program decodes it once and shows
  the text as typed. Written raw, ``=?utf-8?q?Ann=0D=0ABcc:_evil@example.com?=``
  would be decoded, and CPython 3.11.7 writes decoded text back raw, as a real
  ``Bcc:`` line (CPython issue 121650). An address cannot be encoded, so there
  it is refused.
- Display names are encoded by sheetkit (RFC 2047) and checked through
  :class:`email.headerregistry.Address`. Runs of white space in them, line
  breaks and tabs included, are collapsed, since an address header gives them
  no meaning anyway.
- The subject is not folded by the policy: its folder leaves a space at the end
  of a line before an encoded word, which unfolds to two spaces, and puts a
  long first word on a line of its own, which reads back with a leading space.
  An ASCII subject that fits in 78 columns is written as is; any other is
  written as RFC 2047 UTF-8 encoded words (:func:`encoded_words`) folded at 78
  columns, which keep every space inside the words, so the subject reads back
  exactly, however long. Non-ASCII display names are written the same way.
- Every header is built from checked parts and stored pre-encoded, so the
  policy does not parse it back (that parse cost more than the rest of a draft).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.policy
import email.utils
import functools
import hashlib
import json
import re
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.policy import Policy
from typing import NotRequired, TypedDict, Unpack

from sheetkit.errors import ArgumentError
from sheetkit.headers import SIMPLE_EMAIL, checked_address, checked_name, shown
from sheetkit.headers import UnsafeHeader as UnsafeHeader  # raised by build_draft: part of its interface
from sheetkit.headers import header_safe as header_safe

LINE_LENGTH = 78
# The default (RFC 5322) policy, 7-bit clean: a non-ASCII or long-lined body is
# quoted-printable or base64, never raw 8bit. WIRE_POLICY adds CRLF for the file.
class _Registry(HeaderRegistry):
    """The default header registry, building each header's class once instead of on every lookup."""

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one registry for the process
    def __getitem__(self, name: str) -> type[BaseHeader]:
        return super().__getitem__(name)


MESSAGE_POLICY = email.policy.default.clone(
    cte_type="7bit", max_line_length=LINE_LENGTH, header_factory=_Registry()
)
WIRE_POLICY = MESSAGE_POLICY.clone(linesep="\r\n")

_MESSAGE_ID = re.compile(r"<[A-Za-z0-9._%+-]{1,100}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,200}[A-Za-z0-9])?>")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")


@functools.lru_cache(maxsize=16)  # the sender's address is the same on every draft of a run
def _address(name: str | None, addr: str, what: str) -> Address:
    """One checked :class:`Address` for ``addr`` with display name ``name``."""
    display = checked_name(name or "", f"{what} name")
    spec = checked_address(addr, f"{what} email")
    if SIMPLE_EMAIL.fullmatch(spec):
        # The common shape is one plain local@domain by construction: build it from
        # its parts rather than parsing it again.
        local, _, domain = spec.partition("@")
        return Address(display_name=display, username=local, domain=domain)
    return Address(display_name=display, addr_spec=spec)  # checked_address made sure it parses as itself


class _Prefolded:
    """A header value already checked and encoded to ASCII by sheetkit, written without reparsing.

    Setting a plain string makes the policy parse it back through the header
    registry, which costs more than everything else in a draft; every value
    here was built from checked parts, so it is written as it is.
    """

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self.value = value

    def __str__(self) -> str:
        return self.value

    def fold(self, *, policy: Policy) -> str:
        return f"{self.name}: {self.value}{policy.linesep}"


class _Unstructured(_Prefolded):
    """Free text (the subject) that encodes and folds itself (see the module notes).

    The policy keeps a value with a matching ``name`` attribute and calls its
    ``fold`` when writing, instead of parsing and refolding it.
    """

    def fold(self, *, policy: Policy) -> str:
        """The header line(s), ending with the policy's line separator."""
        linesep = policy.linesep
        line = f"{self.name}: {self.value}"
        if self.value.isascii() and len(line) <= LINE_LENGTH and "=?" not in self.value:
            return line + linesep
        return f"{self.name}: {(linesep + ' ').join(encoded_words(self.value))}{linesep}"


# 42 bytes of UTF-8 make 56 base64 characters: with "=?utf-8?b?" and "?=" a word
# of 68 characters, which fits a folded line after "Subject: " or a space.
_WORD_BYTES = 42


def encoded_words(text: str) -> list[str]:
    """``text`` as RFC 2047 UTF-8 base64 encoded words, split between characters, none over 68 columns.

    A reader joins adjacent encoded words without the folding white space
    between them, so the text reads back exactly, spaces included.
    """
    words: list[str] = []
    if text.isascii():  # one byte a character: cut by length instead of character by character
        return [f"=?utf-8?b?{base64.b64encode(text[i : i + _WORD_BYTES].encode('ascii')).decode('ascii')}?="
                for i in range(0, max(len(text), 1), _WORD_BYTES)]
    chunk = b""
    for ch in text:
        data = ch.encode("utf-8")
        if len(chunk) + len(data) > _WORD_BYTES:
            words.append(chunk.decode("utf-8"))
            chunk = b""
        chunk += data
    if chunk or not words:
        words.append(chunk.decode("utf-8"))
    return [f"=?utf-8?b?{base64.b64encode(w.encode('utf-8')).decode('ascii')}?=" for w in words]


_JSON = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False), built once


def make_message_id(*parts: str, domain: str = "sheetkit.invalid") -> str:
    """A stable ``<hex@domain>`` Message-ID from ``parts`` (for example kind, row and contact).

    The same parts give the same id on every run, so a re-run rewrites a draft
    identically; different parts give different ids.
    """
    if not _DOMAIN.fullmatch(domain):
        raise ArgumentError(f"not a plain ASCII domain: {domain!r}")
    digest = hashlib.sha256(_JSON(list(parts)).encode("utf-8")).hexdigest()
    return f"<{digest[:32]}@{domain}>"


class _AddressHeader(_Prefolded):
    """``Name <addr>``: an ASCII name quoted as needed, any other name as RFC 2047 encoded words."""

    def __init__(self, name: str, address: Address) -> None:
        self.address = address
        # Address derives addr_spec (with its quoting rules) on every access: once is enough.
        self.display, self.spec = address.display_name, address.addr_spec
        self.name = name

    @property
    def value(self) -> str:  # type: ignore[override]  # only for str(); fold writes the header
        return str(self.address)

    def fold(self, *, policy: Policy) -> str:
        linesep = policy.linesep
        display, spec = self.display, self.spec
        if not display:
            return f"{self.name}: {spec}{linesep}"
        if display.isascii() and "=?" not in display:
            line = f"{self.name}: {email.utils.formataddr((display, spec))}"
            if len(line) <= LINE_LENGTH:
                return line + linesep
            return f"{line[: -len(spec) - 3]}{linesep} <{spec}>{linesep}"
        words = encoded_words(display)
        encoded = (linesep + " ").join(words)
        last = words[-1] if len(words) > 1 else f"{self.name}: {words[0]}"
        joint = " " if len(last) + len(spec) + 3 <= LINE_LENGTH else linesep + " "
        return f"{self.name}: {encoded}{joint}<{spec}>{linesep}"


def _encode_body(body: str) -> tuple[str, str]:
    """The transfer encoding and payload: 7bit when ASCII with short lines, else the shorter of QP and base64."""
    try:
        raw = body.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UnsafeHeader(f"body has a character that cannot be written as UTF-8 at position {exc.start}") from exc
    lines = raw.splitlines()
    text = b"\n".join(lines) + b"\n"
    if raw.isascii() and all(len(line) <= LINE_LENGTH for line in lines):
        return "7bit", text.decode("ascii")
    quoted = binascii.b2a_qp(text, istext=True).decode("ascii")
    if len(quoted) <= base64_length(len(raw)):  # most letters: no need to encode them twice to compare
        return "quoted-printable", quoted
    return "base64", base64.encodebytes(raw).decode("ascii")


def base64_length(size: int) -> int:
    """``len(base64.encodebytes(data))`` for ``size`` bytes of data: lines of 76 characters from 57 bytes."""
    lines, rest = divmod(size, 57)
    return lines * 77 + (4 * -(-rest // 3) + 1 if rest else 0)


class DraftFields(TypedDict):
    """What a draft is made of: the arguments of :func:`build_draft` and :func:`draft_parts`."""

    sender_name: str | None
    sender_email: str | None
    to_name: str | None
    to_email: str | None
    subject: str
    body: str
    date: dt.datetime
    message_id: str
    # The Message-ID this draft answers (a follow-up under its request), so mail programs thread it.
    in_reply_to: NotRequired[str | None]


def draft_parts(**fields: Unpack[DraftFields]) -> tuple[list[_Prefolded], str]:
    """A draft's checked, pre-encoded headers in order, and its encoded body, or :class:`UnsafeHeader`.

    :func:`build_draft` writes them out; ``tests/test_mail.py`` hands the same
    parts to :class:`~email.message.EmailMessage` and checks that its generator
    writes the same bytes.
    """
    sender_email, to_email, date = fields["sender_email"], fields["to_email"], fields["date"]
    headers: list[_Prefolded] = []
    if sender_email is not None and sender_email.strip():
        headers.append(_AddressHeader("From", _address(fields["sender_name"], sender_email, "From")))
    if to_email is not None and to_email.strip():
        headers.append(_AddressHeader("To", _address(fields["to_name"], to_email, "To")))
    headers.append(_Unstructured("Subject", header_safe(fields["subject"], "Subject")))
    headers.append(_date_header(date, date.utcoffset()))
    msg_id = header_safe(fields["message_id"], "Message-ID")
    if not _MESSAGE_ID.fullmatch(msg_id):
        raise UnsafeHeader(f"Message-ID {shown(msg_id)} is not of the form <id@domain>")
    headers.append(_Prefolded("Message-ID", msg_id))
    parent = fields.get("in_reply_to")
    if parent:
        parent = header_safe(parent, "In-Reply-To")
        if not _MESSAGE_ID.fullmatch(parent):
            raise UnsafeHeader(f"In-Reply-To {shown(parent)} is not of the form <id@domain>")
        headers += (_Prefolded("In-Reply-To", parent), _Prefolded("References", parent))
    cte, payload = _encode_body(fields["body"])
    headers += (_UNSENT, _CONTENT_TYPE, _ENCODINGS[cte], _MIME_VERSION)
    return headers, payload


_UNSENT = _Prefolded("X-Unsent", "1")
_CONTENT_TYPE = _Prefolded("Content-Type", 'text/plain; charset="utf-8"')
_ENCODINGS = {cte: _Prefolded("Content-Transfer-Encoding", cte) for cte in ("7bit", "quoted-printable", "base64")}
_MIME_VERSION = _Prefolded("MIME-Version", "1.0")


@functools.lru_cache(maxsize=8)  # every draft of a run has the same date
def _date_header(date: dt.datetime, offset: dt.timedelta | None) -> _Prefolded:
    # ``offset`` is part of the key: the same instant at +01:00 and in UTC compare equal
    # but are written differently.
    return _Prefolded("Date", email.utils.format_datetime(date))


def build_draft(**fields: Unpack[DraftFields]) -> bytes:
    """The bytes of an unsent ``.eml`` draft, CRLF line endings, or :class:`UnsafeHeader`.

    ``From`` is left out when there is no sender email (a name alone cannot
    make one), ``To`` when there is no recipient email (the user fills it in).
    ``date`` is written as given; a naive datetime is written with
    ``-0000`` (local time unknown). ``message_id`` is usually from
    :func:`make_message_id`. The body is ``text/plain; charset="utf-8"``, in
    7bit when it is ASCII with short lines, else quoted-printable or base64,
    whichever is shorter: the file is ASCII, every line at most 78 characters.

    The bytes are exactly what :class:`~email.message.EmailMessage` writes for
    these headers and body under :data:`WIRE_POLICY` (pinned by a test), put
    together here directly: every header is folded by sheetkit already, and the
    generator's dispatch per header and per line cost more than the rest of a
    draft at cohort scale.
    """
    headers, payload = draft_parts(**fields)
    linesep = WIRE_POLICY.linesep
    lines = [header.fold(policy=WIRE_POLICY) for header in headers]
    # _encode_body's payload has "\n" line ends only, and ends with one.
    lines.append(linesep + payload.replace("\n", linesep))
    return "".join(lines).encode("ascii")
