#!/usr/bin/env python3
"""Generate a synthetic cohort workbook for the benchmark (issue 4, Performance).

A career coach's workbook for a whole cohort: ``--contacts N`` people
(default 100,000) on ``Contacts`` with every schema column, a ``Profile``
with its settings, a ``Questions`` sheet at the same scale (about N rows,
spread over the contacts who are scheduled or already interviewed, plus a
general question bank), and the ``Guide``, ``Dashboard`` and hidden ``Lists``
sheets of ``sheetkit init``.

Everything is deterministic (a seeded ``random.Random``) and dated relative to
a fixed day, 2026-11-25 (``--today`` of the benchmark), so that:

- statuses have a realistic spread, each with dates that fit it;
- about 20 % of the rows are due a letter on that day (outreach, follow-up,
  thank-you, keep-in-touch), so ``sheetkit drafts`` writes about 20,000
  letters for 100,000 contacts;
- about 3 % of the rows carry one typical mistake (an address without a
  domain, a date typed as ``25/11/2026``, a choice outside its list, a date in
  the future or out of order, a blank first name, a status without its date,
  a duplicated email, a misspelt referrer), and some more carry a harmless
  variation sheetkit must tolerate (a status typed in lower case, a date typed
  as ISO text or with a time of day, a phone number typed as a number).

The file is written with openpyxl's write-only mode, then its inline strings
are moved into a shared-string table, as Excel and LibreOffice save text
(``--inline-strings`` keeps openpyxl's form); about 30 s for 100,000
contacts. It is cached: an existing file made by this generator, with
the same N, seed and generator version, is kept unless ``--force``. The
marker lives in the workbook's own ``keywords`` property.

Usage: ``python benchmarks/make_cohort.py [--contacts N] [--out PATH] [--force]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import sys
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sheetkit import schema as S
from sheetkit.schema import HowFound, InterviewFormat, PreferredContact, Status, Theme, YesNo

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "out"
TODAY = dt.date(2026, 11, 25)
SEED = 20261125
# Bump when the generated content changes, so cached files are rebuilt.
VERSION = 2
MARKER = "sheetkit-benchmark-cohort"
DEFAULT_CONTACTS = 100_000

MISTAKE_RATE = 0.03  # rows with one planted mistake (errors and warnings)
VARIATION_RATE = 0.05  # rows with a harmless variation sheetkit must read correctly

# (status, share of rows, share of those rows due a letter on TODAY): 20 % of rows due in all.
STATUS_MIX: tuple[tuple[Status, float, float], ...] = (
    (Status.PROSPECT, 0.14, 0.0),
    (Status.TO_CONTACT, 0.08, 1.0),  # outreach: every To Contact row without a request
    (Status.REQUESTED, 0.14, 0.35),  # follow-up, 7 business days after the request
    (Status.SCHEDULED, 0.08, 0.08),  # thank-you once the interview date has passed
    (Status.INTERVIEWED, 0.06, 0.50),  # thank-you not sent yet
    (Status.THANKED, 0.14, 0.15),  # keep-in-touch, 90 days after the thank-you
    (Status.KEEPING_IN_TOUCH, 0.12, 0.12),  # keep-in-touch, 90 days after the last contact
    (Status.DECLINED, 0.10, 0.0),
    (Status.NO_RESPONSE, 0.14, 0.0),
)



def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words("""
Aaliyah Aarav Abdul Ada Adaeze Adrian Ahmed Aiko Aisha Akira Alejandro Alexei Alice Amara Amir Ana Anders Andrea
Aneesh Anika Anna Antoine Arjun Astrid Ayesha Beatriz Ben Bianca Bilal Bo Carla Carlos Catherine Chen Chidi Chloe
Christopher Clara Daniel Daria David Deepa Diego Dmitri Ebony Elena Elif Eliza Emeka Emily Emma Erik Esther Ethan
Eva Farah Fatima Felipe Femi Fiona Francesca Gabriel Giulia Grace Hana Hannah Hassan Helena Hiroshi Ibrahim Ines
Ingrid Isabel Ivan Jack Jamal James Javier Jia Joanna José Julia Jun Kai Kamala Karim Kateryna Kenji Kofi Lars
Laura Layla Leah Lena Liam Lucas Lucía Magnus Mai Malik Maria Marta Mateo Maya Mei Mia Miguel Mohammed Nadia Naomi
Nikhil Nina Noah Nora Olga Oliver Omar Pablo Paolo Priya Rafael Rahul Rania Ravi Rebecca Rosa Ruth Sakura Samuel
Sana Santiago Sara Sebastián Sergei Shira Siobhán Sofia Sun Tariq Thomas Tomás Valentina Victor Wei Yara Yusuf
Zainab Zoë
""")

LAST_NAMES = _words("""
Abbott Adeyemi Ahmed Akhtar Alvarez Andersen Bakker Banerjee Bell Benali Bergström Brennan Brown Campbell Castro
Chen Chowdhury Costa Cruz Das Dubois Dunn Edwards Eriksen Evans Fernandes Fischer Flores Garcia Gonzalez Gupta Hall
Hansen Harris Hayashi Hernandez Hoffmann Horvat Hughes Ibrahim Ivanova Jansen Jensen Johnson Jones Kaur Kelly Khan
Kim Kowalski Kumar Larsen Lee Lewis Li Lindqvist Lopez Martin Martinez Mehta Meyer Molina Moreau Morris Müller
Murphy Nakamura Nguyen Nielsen Novak Nwosu O'Brien O'Connor Okafor Oliveira Ortiz Park Patel Pereira Petrov Petrova
Popescu Quinn Rahman Raman Reddy Reyes Richter Rivera Roberts Rodríguez Romano Rossi Ruiz Russo Saito Sanchez
Santos Schmidt Schneider Shah Silva Singh Smith Sokolov Suzuki Tanaka Taylor Thomas Thompson Torres Tran Turner
Vargas Wagner Walker Wang Watanabe Weber White Williams Wilson Wright Wu Yamamoto Yang Yilmaz Young Zhang Zhou
""")

COMPANIES = """
Northwind Health|Contoso Learning|Fabrikam Mobility|Litware EdTech|Adventure Works Online|Tailspin Toys|
Wide World Learning|Proseware|Blue Yonder Airlines|Woodgrove Bank|Fourth Coffee|Alpine Ski House|Coho Winery|
Graphic Design Institute|Lucerne Publishing|Margie's Travel|Trey Research|Wingtip Toys|Humongous Insurance|
City Power & Light|Consolidated Messenger|Relecloud|VanArsdel Media|Munson's Pickles|Bellows College|
School of Fine Art|Southridge Video|Datum Corporation|Liberty's Delightful Sinful Bakery|Nod Publishers|
Tiny Tots Learning|Wayfarer Analytics|Harbor Point Hospital|Greenleaf Energy|Redwood Robotics|Summit Credit Union|
Lakeside Pharma|Riverbend Software|Maple Street Studio|Oakridge Logistics|Pinecrest Foods|Silverline Telecom|
Stonebridge Capital|Bright Horizons Tutoring|Clearwater Labs|Evergreen Public Library|Harmony Health Partners|
Ironwood Games|Juniper Civic Tech|Keystone Engineering
""".replace("\n", "").split("|")

FIELDS = (
    "UX Research", "Learning Design", "Product Management", "Data Analysis", "Software Engineering",
    "Public Health", "Nonprofit Management", "Marketing", "Finance", "Environmental Policy",
    "Clinical Research", "Technical Writing",
)
TITLES = {
    "UX Research": ("UX Researcher", "Senior UX Researcher", "Research Operations Manager", "Head of Research"),
    "Learning Design": ("Learning Designer", "Instructional Designer", "Learning Experience Designer"),
    "Product Management": ("Product Manager", "Senior Product Manager", "Group Product Manager"),
    "Data Analysis": ("Data Analyst", "Senior Data Analyst", "Analytics Manager"),
    "Software Engineering": ("Software Engineer", "Staff Engineer", "Engineering Manager"),
    "Public Health": ("Epidemiologist", "Program Officer", "Health Policy Analyst"),
    "Nonprofit Management": ("Program Director", "Development Manager", "Executive Director"),
    "Marketing": ("Marketing Manager", "Content Strategist", "Brand Director"),
    "Finance": ("Financial Analyst", "Controller", "Investment Associate"),
    "Environmental Policy": ("Policy Advisor", "Sustainability Manager", "Climate Analyst"),
    "Clinical Research": ("Clinical Research Coordinator", "Study Manager", "Medical Science Liaison"),
    "Technical Writing": ("Technical Writer", "Documentation Lead", "Content Designer"),
}
STREETS = ("Harbour Street", "Main Street", "Elm Avenue", "Congress Street", "Market Square", "River Road",
           "Station Road", "Park Lane", "Mill Street", "Church Road")
CITIES = ("Boston, MA 02110", "Cambridge, MA 02139", "Somerville, MA 02143", "Providence, RI 02903",
          "Hartford, CT 06103", "Worcester, MA 01608", "Portland, ME 04101", "Burlington, VT 05401")
COMMON_GROUND = (
    "We both studied at {school}.",
    "We are both members of the {association}.",
    "We both worked at {company} before.",
    "We grew up in the same town and went to {school}.",
    "We met at the {event} last spring.",
    "We volunteer with the same literacy charity on Saturdays.",
)
SCHOOLS = ("Boston University", "Northeastern", "UMass Amherst", "Tufts", "Brown", "Simmons University")
ASSOCIATIONS = ("Boston UXPA chapter", "Learning Guild", "Product Circle", "Women in Data", "Society for Technical "
                "Communication", "Public Health Association")
EVENTS = ("regional career fair", "alumni mixer", "design meetup", "data conference", "open house")
WHY_THEM = (
    "{pronoun} made the move from teaching into {field} that I want to make.",
    "{pronoun} leads the {field} team at {company} and hires people from outside the field.",
    "{pronoun} wrote about career changers in {field}, and I have questions about the first year.",
    "{pronoun} works on exactly the kind of product I used every day in my last job.",
)
TAKEAWAYS = (
    "Build a small portfolio of two or three case studies; certificates matter less than evidence.",
    "Most of the week is synthesis and meetings, not fieldwork; learn to write short, clear reports.",
    "Hiring managers look for judgement and clear writing; bring one story about a trade-off.",
    "The pay step is modest at first; a contract role is a common way in.",
    "Join the local chapter and volunteer for one project to meet the people who hire.",
)
NOTES = (
    "Prefers mornings.", "Met briefly at the open house.", "Try again after the holidays.",
    "Asked me to send my CV afterwards.", "Very busy until the end of the quarter.", "",
)
QUESTION_BANK: tuple[tuple[str, Theme], ...] = (
    ("How did you get into this field?", Theme.CAREER_PATH),
    ("What did your first year look like?", Theme.CAREER_PATH),
    ("What does a normal week look like?", Theme.DAY_TO_DAY),
    ("Which part of the job takes more time than people expect?", Theme.DAY_TO_DAY),
    ("Which skills matter most, and how did you learn them?", Theme.SKILLS),
    ("Which tools do you use every day?", Theme.SKILLS),
    ("How would you describe the culture of your team?", Theme.CULTURE),
    ("How are decisions made where you work?", Theme.CULTURE),
    ("Where is the field heading in the next five years?", Theme.INDUSTRY_TRENDS),
    ("Which changes worry you most?", Theme.INDUSTRY_TRENDS),
    ("What do you look for when you hire?", Theme.HIRING),
    ("Do career changers do well in your team?", Theme.HIRING),
    ("What would you do in my position?", Theme.ADVICE),
    ("Who else should I talk to?", Theme.ADVICE),
    ("Is there anything I should have asked?", Theme.OTHER),
)
ANSWERS = (
    "Through a side project that became a job.", "Mostly writing and meetings; some fieldwork.",
    "Clear writing and curiosity; the tools can be learned.", "Calm, remote-first, and decisions by the team.",
    "More automation, and more demand for judgement.", "Evidence of real work beats any certificate.",
    "Talk to someone in a smaller company too.",
)

PROFILE_VALUES: dict[S.Setting, Any] = {
    S.YOUR_NAME: "Jordan Avery",
    S.MY_EMAIL: "jordan.avery@example.com",
    S.MY_PHONE: "+1 617 555 0100",
    S.MY_LINKEDIN: "https://www.linkedin.com/in/jordan-avery-example",
    S.TARGET_FIELD: "UX Research",
    S.BACKGROUND: "a career coach running informational interviews for a bootcamp cohort",
    S.ELEVATOR_PITCH: (
        "I coach a cohort of career changers who are exploring new fields. Each of them is talking to people "
        "already doing the work, to understand what a week looks like, which skills carry over and what to "
        "learn next. I would be grateful for fifteen minutes of your perspective."
    ),
    S.FOLLOW_UP_AFTER: 7,
    S.THANK_YOU_WITHIN: 2,
    S.KEEP_IN_TOUCH_EVERY: 90,
    S.INTERVIEWS_PER_FIELD_GOAL: 3,
}

C = {c: i for i, c in enumerate(S.CONTACTS.columns)}  # column -> position in a row
WIDTH = len(S.CONTACTS.columns)


def marker(contacts: int, inline_strings: bool = False) -> str:
    strings = "inline" if inline_strings else "shared"
    return f"{MARKER} v{VERSION} contacts={contacts} seed={SEED} strings={strings}"


def cached(path: Path, contacts: int, inline_strings: bool = False) -> bool:
    """Whether ``path`` is a cohort this generator made with the same N, seed and version."""
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    match = re.search(r"<cp:keywords>([^<]*)</cp:keywords>", core)
    return match is not None and match[1] == marker(contacts, inline_strings)


def ascii_slug(text: str, sep: str = "") -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, folded.lower()).strip(sep)


def unique_names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """``n`` distinct (first, last) pairs: single surnames first, then double-barrelled ones."""
    simple = [(f, ln) for f in FIRST_NAMES for ln in LAST_NAMES]
    rng.shuffle(simple)
    names = simple[:n]
    if len(names) < n:
        pool = len(FIRST_NAMES) * len(LAST_NAMES) * len(LAST_NAMES)
        seen: set[tuple[str, str]] = set()
        while len(names) < n:
            k = rng.randrange(pool)
            f, rest = divmod(k, len(LAST_NAMES) ** 2)
            a, b = divmod(rest, len(LAST_NAMES))
            if a == b:
                continue
            pair = (FIRST_NAMES[f], f"{LAST_NAMES[a]}-{LAST_NAMES[b]}")
            if pair not in seen:
                seen.add(pair)
                names.append(pair)
    return names


def ago(rng: random.Random, low: int, high: int) -> dt.date:
    """A day between ``low`` and ``high`` days before TODAY."""
    return TODAY - dt.timedelta(days=rng.randint(low, high))


def after(rng: random.Random, day: dt.date, low: int, high: int, cap: dt.date = TODAY) -> dt.date:
    return min(day + dt.timedelta(days=rng.randint(low, high)), cap)


class Cohort:
    """The rows of one synthetic cohort, built in memory before writing."""

    def __init__(self, contacts: int, seed: int = SEED) -> None:
        self.n = contacts
        self.rng = random.Random(seed)
        self.rows: list[list[Any]] = []
        self.due: list[bool] = []
        self.mistakes: Counter[str] = Counter()
        self.variations: Counter[str] = Counter()
        self.broken: set[int] = set()  # rows whose mistake is an error: their letters are held back
        self.emails: set[str] = set()
        self.questions: list[tuple[str, str, str, str | None]] = []
        self._build()

    # --- contacts -------------------------------------------------------------

    def _build(self) -> None:
        rng = self.rng
        names = unique_names(rng, self.n)
        statuses = [s for s, _, _ in STATUS_MIX]
        weights = [w for _, w, _ in STATUS_MIX]
        due_share = {s: d for s, _, d in STATUS_MIX}
        for i, (first, last) in enumerate(names):
            status = rng.choices(statuses, weights)[0]
            due = rng.random() < due_share[status]
            self.rows.append(self._contact(i, first, last, status, due))
            self.due.append(due)
        for i in range(self.n):
            roll = rng.random()
            if roll < MISTAKE_RATE:
                self._plant_mistake(i)
            elif roll < MISTAKE_RATE + VARIATION_RATE:
                self._vary(i)
        self._build_questions()

    def _email(self, first: str, last: str, company: str) -> str:
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"
        domain = f"{ascii_slug(company)}.example"
        address = f"{local}@{domain}"
        k = 2
        while address in self.emails:
            address = f"{local}{k}@{domain}"
            k += 1
        self.emails.add(address)
        return address

    def _contact(self, i: int, first: str, last: str, status: Status, due: bool) -> list[Any]:
        rng = self.rng
        row: list[Any] = [None] * WIDTH
        company = rng.choice(COMPANIES)
        field = rng.choice(FIELDS)
        row[C[S.FIRST_NAME]] = first
        row[C[S.LAST_NAME]] = last
        row[C[S.TITLE]] = rng.choice(TITLES[field])
        row[C[S.COMPANY]] = company
        row[C[S.FIELD]] = field
        preferred = rng.choices(list(PreferredContact), (60, 14, 10, 10, 6))[0]
        # Everyone can be reached the way they prefer; rows without a route are planted mistakes only.
        has_email = preferred is PreferredContact.EMAIL or (preferred is not PreferredContact.LETTER
                                                            and rng.random() < 0.9)
        has_phone = preferred is PreferredContact.PHONE or rng.random() < 0.45
        has_address = preferred is PreferredContact.LETTER or rng.random() < 0.08
        if not (has_email or has_phone):
            has_email = preferred is not PreferredContact.LETTER
        if has_email:
            row[C[S.EMAIL]] = self._email(first, last, company)
        if has_phone:
            row[C[S.PHONE]] = f"+1 {rng.randint(201, 989)} 555 {rng.randint(100, 199):04d}"
        if rng.random() < 0.6:
            row[C[S.LINKEDIN]] = f"https://www.linkedin.com/in/{ascii_slug(first + ' ' + last, '-')}-{i}"
        if has_address:
            row[C[S.MAILING_ADDRESS]] = (
                f"{first} {last}\n{company}\n{rng.randint(1, 400)} {rng.choice(STREETS)}\n{rng.choice(CITIES)}"
            )
        row[C[S.PREFERRED_CONTACT]] = preferred.value if rng.random() < 0.85 else None
        how = rng.choices(list(HowFound), (20, 18, 10, 22, 14, 10, 6))[0]
        row[C[S.HOW_FOUND]] = how.value
        if how is HowFound.REFERRAL and i > 0:
            j = rng.randrange(i)
            ref_first, ref_last = self.rows[j][C[S.FIRST_NAME]], self.rows[j][C[S.LAST_NAME]]
            row[C[S.REFERRED_BY]] = f"{ref_first} {ref_last}"
            row[C[S.MAY_USE_REFERRER]] = rng.choice((YesNo.YES, YesNo.YES, YesNo.NO)).value
        if rng.random() < 0.96:
            row[C[S.COMMON_GROUND]] = rng.choice(COMMON_GROUND).format(
                school=rng.choice(SCHOOLS), association=rng.choice(ASSOCIATIONS),
                company=rng.choice(COMPANIES), event=rng.choice(EVENTS),
            )
        if rng.random() < 0.7:
            row[C[S.WHY_THEM]] = rng.choice(WHY_THEM).format(
                pronoun=rng.choice(("She", "He", "They")), field=field, company=company
            )
        row[C[S.STATUS]] = status.value
        self._dates(row, status, due)
        if status in S.INTERVIEWED_STATUSES:
            if rng.random() < 0.95:
                row[C[S.KEY_TAKEAWAYS]] = rng.choice(TAKEAWAYS)
            if rng.random() < 0.3 and i > 0:
                known = self.rows[rng.randrange(i)]
                given = [f"{known[C[S.FIRST_NAME]]} {known[C[S.LAST_NAME]]}"]
                if rng.random() < 0.3:  # someone not on the chart yet: an add-referral action
                    given.append(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}-{rng.choice(LAST_NAMES)}")
                row[C[S.REFERRALS_GIVEN]] = "; ".join(given)
        note = rng.choice(NOTES)
        if note and rng.random() < 0.3:
            row[C[S.NOTES]] = note
        return row

    def _dates(self, row: list[Any], status: Status, due: bool) -> None:
        """Dates that fit the status; ``due`` decides whether a letter falls due on TODAY."""
        rng = self.rng
        sent = followed = met = thanked = last = None
        if status is Status.REQUESTED:
            # 7 business days are at least 9 calendar days: sent 0..8 days ago is never due.
            if due:
                sent = ago(rng, 12, 60)
            else:
                sent = ago(rng, 0, 8) if rng.random() < 0.6 else ago(rng, 12, 60)
                if sent < TODAY - dt.timedelta(days=8):
                    followed = after(rng, sent, 9, 14)
        elif status is Status.SCHEDULED:
            sent = ago(rng, 10, 40)
            met = ago(rng, 0, 1) if due else TODAY + dt.timedelta(days=rng.randint(1, 30))
        elif status is Status.INTERVIEWED:
            met = ago(rng, 0, 10)
            sent = met - dt.timedelta(days=rng.randint(7, 30))
            if not due:
                thanked = after(rng, met, 0, 2)
        elif status in (Status.THANKED, Status.KEEPING_IN_TOUCH):
            anchor = ago(rng, 91, 300) if due else ago(rng, 3, 89)  # the later of thank-you and last contact
            if status is Status.THANKED:
                thanked = anchor
                met = anchor - dt.timedelta(days=rng.randint(0, 2))
            else:
                last = anchor
                thanked = anchor - dt.timedelta(days=rng.randint(30, 200))
                met = thanked - dt.timedelta(days=rng.randint(0, 2))
            sent = met - dt.timedelta(days=rng.randint(7, 30))
            if rng.random() < 0.2:
                followed = after(rng, sent, 9, 12, cap=met)
        elif status is Status.DECLINED:
            sent = ago(rng, 10, 300)
            last = after(rng, sent, 1, 20)
        elif status is Status.NO_RESPONSE:
            sent = ago(rng, 30, 300)
            followed = after(rng, sent, 9, 14)
        if met is not None and status is not Status.DECLINED:
            row[C[S.INTERVIEW_FORMAT]] = rng.choice(list(InterviewFormat)).value
        for column, value in ((S.REQUEST_SENT, sent), (S.FOLLOWED_UP, followed), (S.INTERVIEW_DATE, met),
                              (S.THANK_YOU_SENT, thanked), (S.LAST_CONTACT, last)):
            row[C[column]] = value

    # --- mistakes and variations -----------------------------------------------------

    def _plant_mistake(self, i: int) -> None:
        rng = self.rng
        row = self.rows[i]
        dates = [c for c in S.DATE_COLUMNS if row[C[c]] is not None]
        kinds: list[tuple[str, Callable[[], bool]]] = [
            ("invalid-email", lambda: self._set(row, S.EMAIL, rng.choice(
                (f"{ascii_slug(row[0])} at gmail.com", f"{ascii_slug(row[0])}@example", f"{ascii_slug(row[0])}@@x.org")
            ))),
            ("invalid-date", lambda: bool(dates) and self._set(row, rng.choice(dates), rng.choice(
                ("25/11/2026", "last week", "3rd March", "TBC", "11.10.26")
            ))),
            ("invalid-choice", lambda: self._set(row, *rng.choice((
                (S.STATUS, "Emailed"), (S.STATUS, "Waiting"), (S.PREFERRED_CONTACT, "Text"),
                (S.HOW_FOUND, "Friend"), (S.INTERVIEW_FORMAT, "Zoom"),
            )))),
            ("future-date", lambda: self._set(row, S.REQUEST_SENT, TODAY + dt.timedelta(days=rng.randint(2, 400)))),
            ("date-order", lambda: row[C[S.REQUEST_SENT]] is not None and self._set(
                row, S.FOLLOWED_UP, row[C[S.REQUEST_SENT]] - dt.timedelta(days=rng.randint(1, 20))
            )),
            ("missing-value", lambda: self._set(row, S.FIRST_NAME, None)),
            ("status-mismatch", lambda: self._set(row, S.STATUS, Status.REQUESTED.value)
             and self._set(row, S.REQUEST_SENT, None) and self._set(row, S.FOLLOWED_UP, None)),
            ("duplicate-contact", lambda: i > 0 and bool(self.rows[i - 1][C[S.EMAIL]]) and self._set(
                row, S.EMAIL, str(self.rows[i - 1][C[S.EMAIL]]).upper()
            )),
            ("unknown-referrer", lambda: self._set(row, S.REFERRED_BY, f"{row[0]} {rng.choice(LAST_NAMES)}son")),
        ]
        code, plant = rng.choice(kinds)
        if plant():
            self.mistakes[code] += 1
            if code not in ("duplicate-contact", "unknown-referrer"):
                self.broken.add(i)

    def _vary(self, i: int) -> None:
        rng = self.rng
        row = self.rows[i]
        dates = [c for c in S.DATE_COLUMNS if isinstance(row[C[c]], dt.date)]
        choice = rng.randrange(4)
        if choice == 0:
            row[C[S.STATUS]] = rng.choice((str.lower, str.upper, lambda s: f" {s} "))(row[C[S.STATUS]])
            self.variations["status-case"] += 1
        elif choice == 1 and dates:
            column = rng.choice(dates)
            row[C[column]] = row[C[column]].isoformat()
            self.variations["date-as-iso-text"] += 1
        elif choice == 2 and dates:
            # Not a bare serial number: in a cell not formatted as a date, that is a mistake.
            column = rng.choice(dates)
            row[C[column]] = dt.datetime.combine(row[C[column]], dt.time(9, 30))
            self.variations["date-with-time"] += 1
        elif choice == 3 and row[C[S.PHONE]]:
            row[C[S.PHONE]] = int(re.sub(r"\D", "", row[C[S.PHONE]]))
            self.variations["phone-as-number"] += 1

    @staticmethod
    def _set(row: list[Any], column: S.Column, value: Any) -> bool:
        row[C[column]] = value
        return True

    # --- questions --------------------------------------------------------------

    def _build_questions(self) -> None:
        """About one question per contact: 4-6 per scheduled contact, answered ones for past interviews."""
        rng = self.rng
        out = self.questions
        for text, theme in QUESTION_BANK:
            out.append(("", text, theme.value, None))
        scheduled = Status.SCHEDULED.value
        interviewed = {s.value for s in S.INTERVIEWED_STATUSES}
        for row in self.rows:
            status, first = row[C[S.STATUS]], row[C[S.FIRST_NAME]]
            if not first or not isinstance(status, str):
                continue
            name = f"{first} {row[C[S.LAST_NAME]]}"
            if status == scheduled:
                count = rng.choice((3, 4, 5, 5, 6, 6)) if rng.random() < 0.9 else rng.randint(0, 3)
                answered = False
            elif status in interviewed:
                count, answered = rng.choice((0, 0, 1, 2, 2, 3, 3, 4)), True
            else:
                continue
            for text, theme in rng.sample(QUESTION_BANK, count):
                out.append((name, text, theme.value, rng.choice(ANSWERS) if answered else None))

    # --- summary ------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        statuses = Counter(str(r[C[S.STATUS]]).strip().title() for r in self.rows)
        return {
            "contacts": self.n,
            "questions": len(self.questions),
            "statuses": dict(sorted(statuses.items())),
            "due_rows": sum(self.due),
            "letters_expected": sum(1 for i, d in enumerate(self.due) if d and i not in self.broken),
            "mistakes": dict(sorted(self.mistakes.items())),
            "variations": dict(sorted(self.variations.items())),
            "today": TODAY.isoformat(),
            "seed": SEED,
        }


# --- writing -----------------------------------------------------------------------


def _header_cells(ws: Any, headers: tuple[str, ...]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    font = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", start_color="1F3864", end_color="1F3864")
    cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill = font, fill
        cells.append(cell)
    return cells


def write(cohort: Cohort, path: Path, *, inline_strings: bool = False) -> None:
    """Write the cohort as an .xlsx, atomically (a temporary file renamed into place)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    wb.properties.keywords = marker(cohort.n, inline_strings)
    wb.properties.title = f"Synthetic cohort of {cohort.n} contacts (sheetkit benchmark)"
    wb.properties.creator = "sheetkit benchmarks/make_cohort.py"

    guide = wb.create_sheet(S.GUIDE)
    guide.append(["Synthetic cohort workbook for the sheetkit benchmark."])
    guide.append([f"Generated by benchmarks/make_cohort.py for {TODAY.isoformat()}: not real people."])

    profile = wb.create_sheet(S.PROFILE.name)
    profile.append(_header_cells(profile, S.PROFILE.headers))
    for setting in S.PROFILE_SETTINGS:
        profile.append([setting.name, PROFILE_VALUES.get(setting, setting.default), setting.help])

    contacts = wb.create_sheet(S.CONTACTS.name)
    contacts.freeze_panes = "A2"
    for j, column in enumerate(S.CONTACTS.columns, start=1):
        contacts.column_dimensions[get_column_letter(j)].width = column.width
    contacts.auto_filter.ref = f"A1:{get_column_letter(WIDTH)}{cohort.n + 1}"
    contacts.append(_header_cells(contacts, S.CONTACTS.headers))
    for row in cohort.rows:
        contacts.append(row)

    questions = wb.create_sheet(S.QUESTIONS.name)
    questions.freeze_panes = "A2"
    questions.append(_header_cells(questions, S.QUESTIONS.headers))
    for q in cohort.questions:
        questions.append(list(q))

    dashboard = wb.create_sheet(S.DASHBOARD)
    status_letter = get_column_letter(C[S.STATUS] + 1)
    dashboard.append(["Status", "Contacts"])
    for status in Status:
        dashboard.append([status.value, f'=COUNTIF(Contacts!${status_letter}:${status_letter},"{status.value}")'])

    lists = wb.create_sheet(S.LISTS)
    lists.sheet_state = "hidden"
    lists.append([c.name for c in S.CHOICE_COLUMNS])
    depth = max(len(c.choices) for c in S.CHOICE_COLUMNS)
    for k in range(depth):
        lists.append([c.choices[k] if k < len(c.choices) else None for c in S.CHOICE_COLUMNS])

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    shared = path.with_name(f".{path.name}.{os.getpid()}.shared.tmp")
    try:
        wb.save(tmp)
        if inline_strings:
            os.replace(tmp, path)
        else:
            share_strings(tmp, shared)
            os.replace(shared, path)
    finally:
        tmp.unlink(missing_ok=True)
        shared.unlink(missing_ok=True)


_INLINE = re.compile(rb' t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is>', re.S)
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def share_strings(src: Path, dst: Path) -> None:
    """Rewrite openpyxl's inline strings as a shared-string table, as Excel and LibreOffice save text.

    openpyxl writes every text cell inline (``t="inlineStr"``); a workbook
    saved by a spreadsheet program keeps each distinct text once in
    ``xl/sharedStrings.xml`` and refers to it by number, a smaller sheet that
    parses differently. The benchmark reads what users' files look like.
    """
    index: dict[bytes, int] = {}
    count = 0

    def shared(match: re.Match[bytes]) -> bytes:
        nonlocal count
        count += 1
        k = index.setdefault(match[1], len(index))
        return b' t="s"><v>%d</v>' % k

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                data = _INLINE.sub(shared, data)
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/></Types>'.encode(),
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdSharedStrings" Type="{_SST_REL}" Target="sharedStrings.xml"/>'
                    "</Relationships>".encode(),
                )
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        parts = [
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
            % (count, len(index)),
        ]
        parts += [b'<si><t xml:space="preserve">' + text + b"</t></si>" for text in index]
        parts.append(b"</sst>")
        zout.writestr("xl/sharedStrings.xml", b"".join(parts), compress_type=zipfile.ZIP_DEFLATED)


def default_path(contacts: int) -> Path:
    return OUT_DIR / f"cohort-{contacts}.xlsx"


def summary_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def build(contacts: int = DEFAULT_CONTACTS, out: Path | None = None, *, force: bool = False,
          inline_strings: bool = False, quiet: bool = False) -> Path:
    """Make (or reuse) the cohort workbook; return its path."""
    path = out or default_path(contacts)
    if not force and cached(path, contacts, inline_strings):
        if not quiet:
            print(f"{path}: cached ({contacts} contacts); --force to rebuild", file=sys.stderr)
        return path
    start = time.perf_counter()
    cohort = Cohort(contacts)
    made = time.perf_counter()
    write(cohort, path, inline_strings=inline_strings)
    done = time.perf_counter()
    info = cohort.summary()
    info["generated_s"] = round(made - start, 2)
    info["written_s"] = round(done - made, 2)
    info["bytes"] = path.stat().st_size
    summary_path(path).write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not quiet:
        print(f"{path}: {contacts} contacts, {info['questions']} questions, "
              f"{info['letters_expected']} letters due on {TODAY}, {info['bytes'] / 1e6:.1f} MB "
              f"(rows {info['generated_s']} s, xlsx {info['written_s']} s)", file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=DEFAULT_CONTACTS, metavar="N",
                        help=f"number of contacts (default {DEFAULT_CONTACTS:,})")
    parser.add_argument("--out", type=Path, default=None, metavar="PATH",
                        help="where to write the workbook (default benchmarks/out/cohort-N.xlsx)")
    parser.add_argument("--force", action="store_true", help="rebuild even if a matching file exists")
    parser.add_argument("--inline-strings", action="store_true",
                        help="keep openpyxl's inline strings instead of a shared-string table as Excel writes")
    args = parser.parse_args(argv)
    if args.contacts < 1:
        parser.error("--contacts must be at least 1")
    print(build(args.contacts, args.out, force=args.force, inline_strings=args.inline_strings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
