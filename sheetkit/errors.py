"""Every exception sheetkit raises derives from :class:`SheetkitError`.

Validation problems are not exceptions: they are :class:`sheetkit.issues.Issue`
values. These are raised only when the work cannot go on; the CLI catches the
base class once and prints ``Error: <file>: <what> — <what to do>``.
"""

from __future__ import annotations

from pathlib import Path


class SheetkitError(Exception):
    """Base of every error sheetkit raises on purpose."""

    def __init__(self, what: str, fix: str = "", path: str | Path | None = None) -> None:
        self.what = what
        self.fix = fix
        self.path = str(path) if path is not None else None
        super().__init__(self.line())

    def line(self) -> str:
        """The one line shown to the user, without the ``Error:`` prefix."""
        text = f"{self.path}: {self.what}" if self.path else self.what
        return f"{text} — {self.fix}" if self.fix else text


class WorkbookError(SheetkitError):
    """Raised when a workbook cannot be read at all: missing, corrupt, encrypted, hostile or without Contacts."""


class WorkbookExistsError(SheetkitError):
    """Raised when ``init`` would overwrite an existing file without ``--force``."""


class UsageError(SheetkitError):
    """Raised when an argument is wrong: a bad date, an unknown kind, an output folder that is a file."""


class TemplateError(SheetkitError):
    """Raised when a template folder or template cannot be loaded at all."""


class ArgumentError(SheetkitError, ValueError):
    """Raised when sheetkit's Python API is called with a value outside its contract.

    A slug length below 16, a draft extension with a dot, a kind name already
    registered, a column the schema does not have: a mistake in the calling
    code, never in the user's workbook. It is also a :class:`ValueError`.
    """


class EditError(SheetkitError):
    """Raised when a workbook cannot be changed safely, and so is left exactly as it was.

    The workbook is open in Excel or LibreOffice, changed on disk since it was
    read, holds something a change would break (a Table with a totals row, a
    shared formula), or the result would not read back as intended. It is not
    a :class:`WorkbookError`: the file may read perfectly well.
    """


class AccountError(SheetkitError):
    """Raised when the mail account cannot be set up: no Mail Server or Mail User in the Profile, no password.

    Its message never holds the password.
    """


class MailboxError(SheetkitError):
    """Raised when the mailbox cannot be used: the server is unreachable, its certificate is not trusted,
    it timed out, or a folder sheetkit needs (Drafts, Sent) is missing. Nothing was written when it is raised
    before the first message was appended.
    """


class LoginError(MailboxError):
    """Raised when the mail server refuses the user name and password (or app password) given."""
