"""A coach's folder built at test time: 28 students' workbooks in four situations, and 2 broken files.

Each student's situation decides where the cohort page must put them:
errors first, then overdue actions (most first), then no activity for 14
days, then those on track.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from tests.conftest import TODAY, build_workbook, contact

EXAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "example.xlsx"
D = dt.date
BROKEN = ("broken-truncated.xlsx", "broken-text.xlsx")


def _profile(name: str) -> dict[str, str]:
    return {"Your Name": name, "Email": "student@example.edu"}


def build_cohort(folder: Path) -> dict[str, str]:
    """Write the cohort into ``folder``; return each student's situation by name."""
    folder.mkdir(parents=True, exist_ok=True)
    situation: dict[str, str] = {}
    recent = TODAY - dt.timedelta(days=3)
    for n in range(1, 29):
        name = f"Student {n:02d}"
        if n <= 3:  # an invalid status: an error in the workbook
            rows = [contact(first_name="Ann", last_name="Lee", status="Intervewed", request_sent=recent)]
            kind = "error"
        elif n <= 10:  # requests unanswered long enough to be overdue a follow-up, n - 3 of them
            rows = [contact(first_name=f"P{k}", last_name="Roe", status="Requested", email=f"p{k}@example.com",
                            request_sent=D(2026, 10, 20) + dt.timedelta(days=k)) for k in range(n - 3)]
            rows.append(contact(first_name="Bo", status="Requested", email="bo@example.com", request_sent=recent))
            kind = "overdue"
        elif n <= 16:  # nothing done for a month, nothing overdue
            rows = [contact(first_name="Cy", last_name="Lo", status="Prospect"),
                    contact(first_name="Di", last_name="Ma", status="Declined", request_sent=D(2026, 10, 1))]
            kind = "idle"
        else:  # on track: a request out this week
            rows = [contact(first_name="Eve", last_name="Fox", status="Requested", email="eve@example.com",
                            request_sent=recent),
                    contact(first_name="Flo", last_name="Gu", status="Prospect")]
            kind = "on track"
        sub = folder / ("group-a" if n % 2 else "")
        sub.mkdir(exist_ok=True)
        build_workbook(sub / f"student-{n:02d}.xlsx", rows, profile=_profile(name))
        situation[name] = kind
    # Never read: a lock file, a backup, sheetkit's own temporary file and a hidden file.
    (folder / "~$student-01.xlsx").write_bytes(b"lock")
    (folder / "sheetkit-backups").mkdir()
    shutil.copy(EXAMPLE, folder / "sheetkit-backups" / "student-02.2026-11-20T090000.xlsx")
    (folder / ".~student-03.xlsx.1234.sheetkit.tmp").write_bytes(b"tmp")
    # A hidden file with a workbook's name: the AppleDouble twin a Mac leaves on a shared drive.
    (folder / "group-a" / "._student-05.xlsx").write_bytes(b"\x00\x05\x16\x07")
    (folder / BROKEN[0]).write_bytes(EXAMPLE.read_bytes()[:4000])
    (folder / BROKEN[1]).write_text("name,status\nAnn,Requested\n", encoding="utf-8")
    return situation
