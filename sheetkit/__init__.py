"""sheetkit: run an informational-interview campaign from one spreadsheet.

The library behind the ``sheetkit`` command. Names are imported lazily so
that the command line starts without loading pandas or openpyxl.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "create_workbook": "sheetkit.workbook",
    "read_workbook": "sheetkit.reader",
    "check": "sheetkit.validate",
    "validate": "sheetkit.validate",
    "plan": "sheetkit.agenda",
    "write_drafts": "sheetkit.drafts",
    "record_actions": "sheetkit.record",
    "write_report": "sheetkit.page",
    "write_calendar": "sheetkit.ics",
    "import_contacts": "sheetkit.importing",
    "write_annotated": "sheetkit.annotated",
    "SheetkitError": "sheetkit.errors",
    "drafts_to_mailbox": "sheetkit.mailbox",
    "record_from_mailbox": "sheetkit.mailbox",
}

__all__ = [
    "SheetkitError",
    "check",
    "create_workbook",
    "drafts_to_mailbox",
    "import_contacts",
    "plan",
    "read_workbook",
    "record_actions",
    "record_from_mailbox",
    "validate",
    "write_annotated",
    "write_calendar",
    "write_drafts",
    "write_report",
]

if TYPE_CHECKING:
    from sheetkit.agenda import plan
    from sheetkit.annotated import write_annotated
    from sheetkit.drafts import write_drafts
    from sheetkit.errors import SheetkitError
    from sheetkit.ics import write_calendar
    from sheetkit.importing import import_contacts
    from sheetkit.mailbox import drafts_to_mailbox, record_from_mailbox
    from sheetkit.page import write_report
    from sheetkit.reader import read_workbook
    from sheetkit.record import record_actions
    from sheetkit.validate import check, validate
    from sheetkit.workbook import create_workbook


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sheetkit' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
