"""Google Contacts' CSV export (contacts.google.com > Export > Google CSV), old and new headers."""

from __future__ import annotations

from sheetkit import schema
from sheetkit.sources.formats import CsvFormat, marks

GOOGLE = CsvFormat(
    "Google Contacts",
    marks(("Given Name",), ("E-mail 1 - Value",), ("Organization 1 - Name",), ("Organization Name",)),
    {
        "Given Name": schema.FIRST_NAME.name,
        "Family Name": schema.LAST_NAME.name,
        "E-mail 1 - Value": schema.EMAIL.name,
        "Organization 1 - Name": schema.COMPANY.name,
        "Organization Name": schema.COMPANY.name,
        "Organization 1 - Title": schema.TITLE.name,
        "Organization Title": schema.TITLE.name,
        "Phone 1 - Value": schema.PHONE.name,
    },
)
