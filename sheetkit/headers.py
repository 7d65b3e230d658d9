"""What a cell must be to go into a draft's header: declared once, for the draft builder and for validation.

:mod:`sheetkit.mail` refuses a draft whose From, To or Subject would break
these rules; :mod:`sheetkit.validate` reports, in the same words, the cell that
would make it do so. Both call the functions below, so whatever ``drafts``
would refuse, ``validate`` has already reported on the cell to fix (README,
``invalid-text`` and ``invalid-email``).

- White space of any kind inside a name (a line break typed with Alt+Enter, a
  tab) is one space: an address header gives it no meaning, so a name is
  collapsed rather than refused.
- Invisible control characters are refused in every header: C0 and C1 controls
  and DEL other than white space, lone surrogates, and the bidi embeddings,
  overrides and isolates, which reorder what is shown: a name could display as
  someone else's address. Any cell may reach a Subject through a template, so
  validation looks for them in every text cell.
- A name is at most :data:`MAX_NAME_CHARS` characters: an ASCII name is written
  on one line, which must stay under the 998 that RFC 5322 allows.
- An address is one plain ``local@domain``, at most 254 characters. A non-ASCII
  domain is written as IDNA A-labels (``xn--…``, IDNA 2008 via email-validator);
  a non-ASCII local part (``zoë@…``) can only be written with SMTPUTF8 headers,
  which many programs would mangle, so it is refused. So is ``=?``, which mail
  programs would decode as an encoded word.
"""

from __future__ import annotations

import re
import unicodedata

from sheetkit.errors import SheetkitError

MAX_NAME_CHARS = 500
MAX_ADDRESS_CHARS = 254  # RFC 5321's path limit, as email-validator applies it

# Never carried; white space is not among them (see the module notes).
INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# White space that ends a line or moves the cursor: collapsed in a name, refused in other headers.
BREAKS = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\u2028\u2029]")
# The common address shape, taken as it is; anything else goes through email-validator,
# which is exact but too slow to call a hundred thousand times.
SIMPLE_EMAIL = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9._%+'-]{0,62}[A-Za-z0-9_%+'-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
)


class UnsafeHeader(SheetkitError, ValueError):
    """Raised when a value bound for a header of one draft is unsafe or invalid.

    Control characters, an over-long name or an address that does not parse as
    exactly one plain address. It concerns one draft, not the run: the caller
    reports it with the row and writes the other drafts.
    """


def shown(value: str) -> str:
    """The value as it appears in a message: quoted, escaped, cut to 40 characters."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _control(text: str, pattern: re.Pattern[str]) -> str | None:
    bad = pattern.search(text)
    if bad is None:
        return None
    name = unicodedata.name(bad[0], "")
    return f"contains the control character U+{ord(bad[0]):04X}" + (f" ({name})" if name else "")


def text_problem(text: str) -> str | None:
    """Why a cell's text cannot go into a header, or None: an invisible control character in it."""
    problem = _control(text, INVISIBLE)
    return f"{problem}, which a letter cannot carry" if problem else None


def display_name(value: str) -> str:
    """A name as a draft writes it: white space of any kind collapsed to single spaces."""
    return " ".join(value.split())


def name_problem(value: str) -> str | None:
    """Why a name cannot be a draft's From or To name, or None: :func:`text_problem` first, then its length."""
    name = display_name(value)
    if problem := text_problem(name):
        return problem
    if len(name) > MAX_NAME_CHARS:
        return (f"is {len(name)} characters long, more than the {MAX_NAME_CHARS} a name in a letter's From or To"
                " can have")
    return None


def header_safe(value: str, what: str) -> str:
    """``value`` stripped, or :class:`UnsafeHeader` if a character in it could break out of its header.

    ``what`` names the value in the message (``"Subject"``). White space around
    the value, line breaks included, is dropped; a line break or other control
    character left inside is refused.
    """
    text = value.strip()
    problem = _control(text, BREAKS) or _control(text, INVISIBLE)
    if problem:
        raise UnsafeHeader(f"{what} {shown(text)} {problem}")
    return text


def checked_name(value: str, what: str) -> str:
    """:func:`display_name` of ``value``, or :class:`UnsafeHeader` with :func:`name_problem`'s reason."""
    name = display_name(value)
    problem = name_problem(name)
    if problem:
        raise UnsafeHeader(f"{what} {shown(name)} {problem}")
    return name


def address_problem(value: str) -> str | None:
    """Why ``value`` cannot be a draft's From or To address, or None; syntax only, never DNS."""
    return _address(value)[1]


def checked_address(value: str, what: str) -> str:
    """``value`` as ASCII ``local@domain``, the domain IDNA-encoded, or :class:`UnsafeHeader`."""
    spec, problem = _address(value)
    if problem:
        raise UnsafeHeader(f"{what} {shown(spec)} {problem}")
    return spec


def _address(value: str) -> tuple[str, str | None]:
    """The address as a draft writes it, and why it cannot be written (None when it can)."""
    text = value.strip()
    if not text:
        return text, "is empty"
    problem = _control(text, BREAKS) or _control(text, INVISIBLE)
    if problem:
        return text, problem
    if "=?" in text:
        return text, "contains '=?', which mail programs decode as an encoded word"
    if len(text) <= MAX_ADDRESS_CHARS and SIMPLE_EMAIL.fullmatch(text) and ".." not in text:
        return text, None
    from email_validator import EmailNotValidError, validate_email

    try:
        valid = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        return text, f"is not one valid address: {str(exc).rstrip('.')}"
    if valid.ascii_email is None:
        return text, ("has non-ASCII characters before the @, which a draft cannot carry"
                      " (it is written without SMTPUTF8)")
    return valid.ascii_email, _parse_problem(valid.ascii_email)


def _parse_problem(spec: str) -> str | None:
    """Why an address email-validator accepts would not read back as itself from a header, or None."""
    import email.errors
    from email.headerregistry import Address

    try:
        parsed = Address(addr_spec=spec).addr_spec
    except (email.errors.HeaderParseError, ValueError, IndexError) as exc:
        return f"does not parse as one address: {exc}"
    return None if parsed == spec else f"parses as {shown(parsed)}"
