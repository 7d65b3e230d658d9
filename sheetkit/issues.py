"""A validation problem is data: an :class:`Issue` with a code, a place and a message.

Each code has one severity and one message template, declared in
:data:`CODES`; a rule supplies only the facts, so every message about the same
problem reads the same way and always says how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sheetkit import schema

Severity = Literal["error", "warning"]

CODES: dict[str, tuple[Severity, str]] = {
    "missing-column": (
        "error",
        "The {sheet} sheet has no `{column}` column — add a header named `{column}` in row {row}.",
    ),
    "missing-value": ("error", "`{column}` is empty — fill it in, or delete the row if it is not a contact."),
    "invalid-choice": ("error", "'{value}' is not a valid {column} — use one of: {choices}."),
    "invalid-email": ("error", "{column} {value} {reason} — correct it or clear the cell."),
    "invalid-text": ("error", "{column} {value} {reason} — {fix}."),
    "invalid-date": (
        "error",
        "'{value}' {problem} — type the date as yyyy-mm-dd (e.g. {example}) or {otherwise}.",
    ),
    "formula-error": (
        "error",
        "`{column}` shows the formula error {value}, so it has no value to read — "
        "fix the formula (or the cells it uses), or type the value in.",
    ),
    "invalid-setting": ("error", "'{value}' is not {expected} — {fix}."),
    "future-date": ("error", "{column} {value} is after today ({today}) — record it once it has happened."),
    "date-order": ("error", "{column} {value} is before {other} {other_value} — check both dates."),
    "status-mismatch": ("error", "{detail}"),
    "no-contact-route": ("error", "{detail}"),
    "thank-you-late": ("warning", "{detail}"),
    "duplicate-column": (
        "warning",
        "A second `{column}` header: only column {first} is read and this column is ignored — "
        "move what it holds into column {first}, or rename this header.",
    ),
    "duplicate-setting": (
        "warning",
        "`{column}` is set a second time: only the value in {first} is read and this row is ignored — "
        "delete this row, or move its value to {first}.",
    ),
    "duplicate-contact": (
        "warning",
        "Same {what} as row {other_row} ({name}) — merge the two rows or delete one.",
    ),
    "unknown-referrer": (
        "warning",
        "Referred By '{value}' is not the full name of anyone in Contacts — "
        "write their First Name and Last Name as in their row, or add them as a contact.",
    ),
    "unknown-contact": (
        "warning",
        "'{value}' is not the full name of anyone in Contacts — write it as First Name and Last Name, "
        "or leave it empty for the general question bank.",
    ),
    "missing-common-ground": (
        "warning",
        "No Common Ground for {name} — note what you share (school, employer, association): "
        "the outreach leads with it.",
    ),
    "missing-takeaways": (
        "warning",
        "No Key Takeaways for {name} — write down what you learned while it is fresh.",
    ),
    "too-few-questions": (
        "warning",
        "{name} is Scheduled with {count} question(s) — prepare at least {min} in Questions "
        "(Contact = '{name}').",
    ),
    "too-many-questions": (
        "warning",
        "{name} has {count} questions — keep to {max} per interview and move the rest to another interviewee.",
    ),
    "pitch-too-long": (
        "warning",
        "The Elevator Pitch is {words} words — trim it to {max} words or fewer (about 90 seconds spoken).",
    ),
}


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a workbook, pointing at the cell to fix."""

    severity: Severity
    code: str
    sheet: str
    row: int | None
    column: str | None
    cell: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "message": self.message,
        }


def make_issue(
    code: str,
    sheet: str,
    row: int | None,
    column: str | None,
    cell: str | None,
    **facts: Any,
) -> Issue:
    """Build an issue from its code's template; ``facts`` fill the template."""
    severity, template = CODES[code]
    facts.setdefault("column", column)
    facts.setdefault("sheet", sheet)
    facts.setdefault("row", row)
    return Issue(severity, code, sheet, row, column, cell, template.format(**facts))


SHEET_ORDER = {name: i for i, name in enumerate(schema.SHEET_ORDER)}


@dataclass
class Report:
    """The outcome of validating a workbook: every issue, in sheet and row order."""

    path: str
    issues: list[Issue] = field(default_factory=list)

    def sort(self) -> None:
        self.issues.sort(
            key=lambda i: (SHEET_ORDER.get(i.sheet, 9), i.sheet, i.row or 0, 0 if i.severity == "error" else 1)
        )

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean, 1 when there are errors (or warnings under ``strict``)."""
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `validate --format json` (README, `sheetkit validate`)."""
        return {
            "valid": self.valid,
            "errors": self.errors,
            "warnings": self.warnings,
            "issues": [i.to_dict() for i in self.issues],
        }
