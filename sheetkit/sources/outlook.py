"""Outlook's CSV export (File > Open & Export > Import/Export > Export to a file > Comma Separated Values)."""

from __future__ import annotations

from sheetkit import schema
from sheetkit.sources.formats import CsvFormat, marks

OUTLOOK = CsvFormat(
    "Outlook",
    marks(("E-mail Address", "Job Title"), ("Business Phone",), ("E-mail Address", "Company")),
    {
        "E-mail Address": schema.EMAIL.name,
        "Job Title": schema.TITLE.name,
        "Business Phone": schema.PHONE.name,
    },
)
