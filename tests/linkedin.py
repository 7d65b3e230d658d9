"""A realistic LinkedIn ``Connections.csv`` for tests, as LinkedIn's data export writes it.

The file opens with LinkedIn's ``Notes:`` preamble (three lines, the last
blank) before the header; names carry accents and CJK characters, many
emails are blank (LinkedIn leaves out those a person hides), ten people are
already in the bundled example (by email in another case, by a variant of
their LinkedIn address, by name and company), two are in the file twice, and
three companies or positions look like formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

PREAMBLE = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. You will '
    "only see email addresses for connections who have allowed their connections to see or download their email "
    "address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\r\n'
    "\r\n"
)
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
FIRST = ["Zoë", "Łukasz", "Ana", "Søren", "Chloé", "Mónica", "Ngọc", "İsmail", "Björn", "Aoife", "Kwame", "Priyanka"]
LAST = ["Ångström", "Nowak", "Silva", "Kierkegaard", "Dubois", "García", "Nguyễn", "Yılmaz", "Þórsson", "Ní Bhriain"]
CJK = [("小明", "王"), ("さくら", "佐藤"), ("민준", "김"), ("伟", "李"), ("結衣", "高橋")]
COMPANIES = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Litware", "Proseware", "Adventure Works"]
# Already in sample_workbooks/example.xlsx: (first, last, url, email, company)
ALREADY = [
    ("Priya", "Raman", "linkedin.com/in/priya-raman-example/", "", "Northwind Health"),  # URL without scheme, www
    ("Zoë", "Müller", "http://www.linkedin.com/in/zoe-mueller-example?trk=abc", "", "Fabrikam"),  # URL with query
    ("José", "Álvarez", "https://WWW.LinkedIn.com/in/jose-alvarez-example/", "", "Litware"),  # host in capitals
    ("Fatima", "Benali", "https://www.linkedin.com/in/fatima-benali-example#about", "", ""),  # fragment
    ("Daniel", "Okafor", "", "Daniel.Okafor@Example.com", "Contoso Learning"),  # email in another case
    ("Amara", "Nwosu", "https://www.linkedin.com/in/amara-n-1", "AMARA.NWOSU@example.com", "Contoso Learning"),
    ("Hannah", "Whitfield", "https://www.linkedin.com/in/hannah-w-2", "", "Northwind Health"),  # name and company
    ("Kenji", "Watanabe", "https://www.linkedin.com/in/kenji-w-3", "", "Litware EdTech"),
    ("Oliver", "Grant", "https://www.linkedin.com/in/oliver-g-4", "", "Bunker Hill Community College"),
    ("Robert", "Ashdown", "https://www.linkedin.com/in/robert-a-5", "", "Blue Yonder Learning Lab"),
]
FORMULA_LIKE = {"company": '=HYPERLINK("http://x","y")', "company2": "+44 20 7946 0000", "position": "@SUM(A1)"}
CONNECTED = dt.date(2024, 3, 7)


@dataclass
class Export:
    """The file written and what it holds: the people new to the example, in file order."""

    path: Path
    new: list[dict[str, str]] = field(default_factory=list)


def person(i: int) -> dict[str, str]:
    """The i-th new connection: every fifth has a CJK name, every third no email."""
    if i % 5 == 0:
        first, last = CJK[i // 5 % len(CJK)]
    else:
        first, last = FIRST[i % len(FIRST)], LAST[i // len(FIRST) % len(LAST)]
    slug = f"person-{i}"
    return {
        "First Name": first, "Last Name": f"{last}-{i}" if i % 5 else f"{last}{i}",
        "URL": f"https://www.linkedin.com/in/{slug}", "Email Address": "" if i % 3 == 0 else f"{slug}@example.net",
        "Company": COMPANIES[i % len(COMPANIES)], "Position": "Research Lead" if i % 2 else "Designer",
        "Connected On": (CONNECTED + dt.timedelta(days=i)).strftime("%d %b %Y"),
    }


def write_export(path: Path, people: int = 500) -> Export:
    """Write a Connections.csv of ``people`` rows: the 10 already known, 2 repeats, 3 formula-looking values."""
    fresh = people - len(ALREADY) - 2
    new = [person(i) for i in range(1, fresh + 1)]
    new[10]["Company"] = FORMULA_LIKE["company"]
    new[11]["Company"] = FORMULA_LIKE["company2"]
    new[12]["Position"] = FORMULA_LIKE["position"]
    rows = [dict(zip(HEADER, [*known, "Engineer", "01 Jan 2020"], strict=True)) for known in ALREADY]
    rows[0:0] = new[:100]
    rows += new[100:]
    repeat = dict(new[20])
    repeat["URL"] = repeat["URL"].replace("https://www.", "http://") + "/"  # the same person, the URL as typed
    rows.insert(300, repeat)
    rows.append(dict(new[21]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes((PREAMBLE + buffer.getvalue()).encode("utf-8"))
    return Export(path, new)
