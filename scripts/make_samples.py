#!/usr/bin/env python3
"""Build the sample workbooks shipped in ``sample_workbooks/``.

``example.xlsx``
    A clean, realistic campaign as of 2026-11-25 (the README runs its commands
    with ``--today 2026-11-25``): a secondary-school science teacher moving into
    UX research and learning design, twenty contacts across every status, and
    on that day a due action of every kind that has no warning attached
    (outreach, follow-up, call, thank-you, keep-in-touch, add-referral).
    ``sheetkit validate`` finds nothing to report.

``messy.xlsx``
    The same kind of campaign as people really keep it: a title row above the
    header, renamed, reordered and extra columns, blank rows, choices typed in
    lower case, dates typed as text or with a time, and one planted mistake
    for each validation code in the README (but ``missing-column``).

``messy-expected.json``
    The issues planted in ``messy.xlsx`` as of 2026-11-25, each
    ``{"code", "sheet", "row", "column"}``: what ``sheetkit validate
    --today 2026-11-25`` must find, no more and no less.

Every workbook starts as ``sheetkit.workbook.create_workbook`` writes it; this
script only types into it, finding columns by their headers. The output does
not depend on the clock: dates are fixed, and the files' own timestamps are
pinned, so a re-run rewrites identical bytes.

Usage: ``python scripts/make_samples.py [--out DIR]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import sys
import zipfile
from collections.abc import Iterable, Mapping
from copy import copy
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python scripts/make_samples.py` from a checkout
    sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from openpyxl.cell.cell import Cell  # noqa: E402
from openpyxl.styles import Alignment, Font, PatternFill  # noqa: E402
from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname  # noqa: E402
from openpyxl.workbook.workbook import Workbook  # noqa: E402
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange  # noqa: E402
from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder  # noqa: E402
from openpyxl.worksheet.worksheet import Worksheet  # noqa: E402

from sheetkit import schema as S  # noqa: E402
from sheetkit.files import atomic_path, atomic_write_text  # noqa: E402
from sheetkit.schema import HowFound, InterviewFormat, PreferredContact, Status, Theme, YesNo  # noqa: E402
from sheetkit.workbook import create_workbook  # noqa: E402

TODAY = dt.date(2026, 11, 25)
# Every file's created/modified stamp and every zip member's time: fixed, so re-runs are identical.
PINNED = dt.datetime(2026, 11, 25, 9, 0, 0)

EXAMPLE = "example.xlsx"
MESSY = "messy.xlsx"
MESSY_EXPECTED = "messy-expected.json"

Row = Mapping[S.Column, Any]


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def full_name(row: Row) -> str:
    return " ".join(p for p in (row.get(S.FIRST_NAME), row.get(S.LAST_NAME)) if p)


# --- cell values with a deliberate look ----------------------------------------


@dataclass(frozen=True)
class AsText:
    """Text in a cell formatted as Text (``@``), e.g. a date typed as ``2026-10-03``."""

    text: str


# =============================================================================
# example.xlsx — Claire Donnelly's campaign on 2026-11-25
# =============================================================================

EXAMPLE_PROFILE: dict[S.Setting, str] = {
    S.YOUR_NAME: "Claire Donnelly",
    S.MY_EMAIL: "claire.donnelly@example.com",
    S.MY_PHONE: "+1 617 555 0142",
    S.MY_LINKEDIN: "https://www.linkedin.com/in/claire-donnelly-example",
    S.MY_ADDRESS: "Claire Donnelly\n27 Elm Street, Apt 4\nSomerville, MA 02144",
    S.TARGET_FIELD: "UX Research",
    S.BACKGROUND: "a secondary-school science teacher of nine years moving into UX research and learning design",
    S.ELEVATOR_PITCH: (
        "I'm Claire Donnelly. For nine years I have taught science at Hillcrest Secondary School, and the "
        "part of the job I enjoy most turned out to be watching how students actually use what we give them: "
        "which worksheets get ignored, where a lab protocol loses people, why a perfectly logical unit still "
        "confuses half the class. Two years ago I started running small studies of my own, interviewing "
        "students and redesigning our Year 9 chemistry unit around what I found, and I led my department's "
        "move to a new online learning platform. I now want to do that work full time, in UX research or "
        "learning design, ideally for a product in education or health. I'm talking to people already in the "
        "field to understand what the work looks like day to day, which of my skills carry over, and what I "
        "should learn next. I would be grateful for your perspective."
    ),
    S.AVAILABILITY: "weekdays after 3:30 pm, or any time on Fridays",
    S.LATEST_NEWS: "I have finished the usability-testing course I started in the autumn",
    S.TIME_ZONE: "America/New_York",
    S.MAIL_SERVER: "imap.example.com",
    S.MAIL_USER: "claire.donnelly@example.com",
}

UX = "UX Research"
LD = "Learning Design"
EDTECH = "EdTech Product"

EXAMPLE_CONTACTS: list[dict[S.Column, Any]] = [
    # --- Keeping In Touch: last contact in October, next note due at the end of December.
    {
        S.FIRST_NAME: "Priya", S.LAST_NAME: "Raman", S.TITLE: "Senior UX Researcher",
        S.COMPANY: "Northwind Health", S.FIELD: UX, S.EMAIL: "priya.raman@example.com",
        S.PHONE: "+1 617 555 0118", S.LINKEDIN: "https://www.linkedin.com/in/priya-raman-example",
        S.PREFERRED_CONTACT: PreferredContact.EMAIL, S.HOW_FOUND: HowFound.ALUMNI,
        S.COMMON_GROUND: "We both did Boston University's teaching certificate, and you taught maths for four "
        "years before moving into research.",
        S.WHY_THEM: "You made exactly the move I want to make, and your team researches patient education tools.",
        S.STATUS: Status.KEEPING_IN_TOUCH, S.REQUEST_SENT: d(5, 26), S.INTERVIEW_DATE: d(6, 9),
        S.INTERVIEW_FORMAT: InterviewFormat.VIDEO, S.THANK_YOU_SENT: d(6, 10), S.LAST_CONTACT: d(10, 2),
        S.REFERRALS_GIVEN: "Zoë Müller; Daniel Okafor",
        S.KEY_TAKEAWAYS: "Lead with the research I did in class, not with teaching itself. A small portfolio of "
        "two or three case studies beats any certificate. Most of her week is synthesis and workshops, not "
        "interviews.",
        S.NOTES: "Sent her my first case study draft in October; she replied with detailed comments.",
    },
    # --- Thanked in August, nothing since: a keep-in-touch note is due.
    {
        S.FIRST_NAME: "Zoë", S.LAST_NAME: "Müller", S.TITLE: "UX Research Lead",
        S.COMPANY: "Fabrikam Mobility", S.FIELD: UX, S.EMAIL: "zoe.mueller@example.org",
        S.LINKEDIN: "https://www.linkedin.com/in/zoe-mueller-example",
        S.PREFERRED_CONTACT: PreferredContact.EMAIL, S.HOW_FOUND: HowFound.REFERRAL,
        S.REFERRED_BY: "Priya Raman", S.MAY_USE_REFERRER: YesNo.YES,
        S.COMMON_GROUND: "We are both members of the Boston UXPA chapter.",
        S.WHY_THEM: "You hire junior researchers and have written about career changers in research teams.",
        S.STATUS: Status.THANKED, S.REQUEST_SENT: d(7, 20), S.INTERVIEW_DATE: d(8, 11),
        S.INTERVIEW_FORMAT: InterviewFormat.VIDEO, S.THANK_YOU_SENT: d(8, 12),
        S.REFERRALS_GIVEN: "Marcus Bell; Elena Petrova",
        S.KEY_TAKEAWAYS: "Hiring managers look for evidence of synthesis: show how findings changed a "
        "decision. Learn to run a usability test end to end, and say plainly that classroom observation is "
        "field research.",
    },
    # --- Thanked in October; gave two names, one of them not yet on the chart.
    {
        S.FIRST_NAME: "Daniel", S.LAST_NAME: "Okafor", S.TITLE: "Learning Experience Designer",
        S.COMPANY: "Contoso Learning", S.FIELD: LD, S.EMAIL: "daniel.okafor@example.com",
        S.PHONE: "+1 617 555 0163", S.PREFERRED_CONTACT: PreferredContact.PHONE,
        S.HOW_FOUND: HowFound.REFERRAL, S.REFERRED_BY: "Priya Raman", S.MAY_USE_REFERRER: YesNo.YES,
        S.COMMON_GROUND: "We both taught secondary science; you spent six years on biology before joining Contoso.",
        S.WHY_THEM: "You design the science courses I used with my own classes.",
        S.STATUS: Status.THANKED, S.REQUEST_SENT: d(10, 12), S.FOLLOWED_UP: d(10, 22),
        S.INTERVIEW_DATE: d(10, 29), S.INTERVIEW_FORMAT: InterviewFormat.PHONE, S.THANK_YOU_SENT: d(10, 30),
        S.REFERRALS_GIVEN: "Grace Lindqvist; Tomás Herrera",
        S.KEY_TAKEAWAYS: "Learning designers are judged on outcomes data, so bring my assessment results. "
        "Articulate Storyline and a short sample module open doors; the pay step from teaching is real but "
        "modest at first.",
        S.NOTES: "Tomás runs the learning design guild at Litware: Daniel will introduce us in December.",
    },
    # --- Keeping In Touch, last note in August: another keep-in-touch note is due.
    {
        S.FIRST_NAME: "Amara", S.LAST_NAME: "Nwosu", S.TITLE: "Senior Learning Designer",
        S.COMPANY: "Contoso Learning", S.FIELD: LD, S.EMAIL: "amara.nwosu@example.com",
        S.PREFERRED_CONTACT: PreferredContact.EMAIL, S.HOW_FOUND: HowFound.EVENT,
        S.COMMON_GROUND: "We met at the Massachusetts science teachers' conference.",
        S.WHY_THEM: "You ran the conference workshop on online labs that first got me looking at learning design.",
        S.STATUS: Status.KEEPING_IN_TOUCH, S.REQUEST_SENT: d(4, 20), S.INTERVIEW_DATE: d(5, 6),
        S.INTERVIEW_FORMAT: InterviewFormat.IN_PERSON, S.THANK_YOU_SENT: d(5, 7), S.LAST_CONTACT: d(8, 17),
        S.REFERRALS_GIVEN: "Ngozi Adeyemi",
        S.KEY_TAKEAWAYS: "Build one complete module, from objectives to assessment, and write up the "
        "decisions behind it. Teachers undersell their curriculum work.",
        S.NOTES: "Told her in August that I had started the module; send her the finished one.",
    },
    # --- Interviewed yesterday: the thank-you is due today, not yet late.
    {
        S.FIRST_NAME: "José", S.LAST_NAME: "Álvarez", S.TITLE: "Product Manager, Learning Tools",
        S.COMPANY: "Litware EdTech", S.FIELD: EDTECH, S.EMAIL: "jose.alvarez@example.com",
        S.LINKEDIN: "https://www.linkedin.com/in/jose-alvarez-example",
        S.PREFERRED_CONTACT: PreferredContact.EMAIL, S.HOW_FOUND: HowFound.LINKEDIN,
        S.COMMON_GROUND: "We both grew up in San Antonio and volunteer with Teach for Tomorrow, where I mentor "
        "teachers.",
        S.WHY_THEM: "You own the teacher dashboard at Litware and write about working with teacher panels.",
        S.STATUS: Status.INTERVIEWED, S.REQUEST_SENT: d(11, 3), S.INTERVIEW_DATE: d(11, 24),
        S.INTERVIEW_FORMAT: InterviewFormat.VIDEO,
        S.KEY_TAKEAWAYS: "Product teams in edtech badly need people who know classrooms, but they hire for "
        "prioritisation, not empathy: prepare a story about trade-offs. Their teacher panel is run by research.",
    },
    # --- Interviewed this morning: a second thank-you due today.
    {
        S.FIRST_NAME: "Hannah", S.LAST_NAME: "Whitfield", S.TITLE: "Research Operations Manager",
        S.COMPANY: "Northwind Health", S.FIELD: UX, S.EMAIL: "hannah.whitfield@example.com",
        S.PHONE: "+1 617 555 0131", S.PREFERRED_CONTACT: PreferredContact.EMAIL,
        S.HOW_FOUND: HowFound.NETWORK,
        S.COMMON_GROUND: "I teach in the same department at Hillcrest as your sister.",
        S.WHY_THEM: "You run research operations, where my years organising school trips and exam logistics "
        "could carry over.",
        S.STATUS: Status.INTERVIEWED, S.REQUEST_SENT: d(11, 6), S.INTERVIEW_DATE: d(11, 25),
        S.INTERVIEW_FORMAT: InterviewFormat.IN_PERSON,
        S.KEY_TAKEAWAYS: "ResearchOps is a real entry route: recruiting participants, consent, tooling. "
        "They will open a coordinator role in spring.",
    },
    # --- Scheduled: interviews next week, questions ready.
    {
        S.FIRST_NAME: "Ngozi", S.LAST_NAME: "Adeyemi", S.TITLE: "Learning Designer",
        S.COMPANY: "Adventure Works Online", S.FIELD: LD, S.EMAIL: "ngozi.adeyemi@example.org",
        S.PHONE: "+1 508 555 0177", S.PREFERRED_CONTACT: PreferredContact.PHONE,
        S.HOW_FOUND: HowFound.REFERRAL, S.REFERRED_BY: "Amara Nwosu", S.MAY_USE_REFERRER: YesNo.YES,
        S.COMMON_GROUND: "Like you, I started out as a chemistry teacher.",
        S.WHY_THEM: "You moved from teaching to learning design less than two years ago.",
        S.STATUS: Status.SCHEDULED, S.REQUEST_SENT: d(11, 12), S.INTERVIEW_DATE: d(11, 30),
        S.INTERVIEW_FORMAT: InterviewFormat.PHONE,
    },
    {
        S.FIRST_NAME: "Marcus", S.LAST_NAME: "Bell", S.TITLE: "Principal UX Researcher",
        S.COMPANY: "Tailspin Toys", S.FIELD: UX, S.EMAIL: "marcus.bell@example.com",
        S.PREFERRED_CONTACT: PreferredContact.EMAIL, S.HOW_FOUND: HowFound.REFERRAL,
        S.REFERRED_BY: "Zoë Müller", S.MAY_USE_REFERRER: YesNo.YES,
        S.COMMON_GROUND: "I teach 11 to 14 year-olds, the age group you study in your research on learning games.",
        S.WHY_THEM: "You run research with children and schools, the closest match to what I already do.",
        S.STATUS: Status.SCHEDULED, S.REQUEST_SENT: d(11, 9), S.INTERVIEW_DATE: d(12, 2),
        S.INTERVIEW_FORMAT: InterviewFormat.VIDEO,
    },
    {
        S.FIRST_NAME: "Liam", S.LAST_NAME: "O'Connor", S.TITLE: "Senior Product Manager",
        S.COMPANY: "Wide World Learning", S.FIELD: EDTECH, S.EMAIL: "liam.oconnor@example.com",
        S.PHONE: "+1 617 555 0190", S.PREFERRED_CONTACT: PreferredContact.EMAIL,
        S.HOW_FOUND: HowFound.PROFESSIONAL_ASSOCIATION,
        S.COMMON_GROUND: "We are both on the ISTE science educators' forum, where you answered my question on "
        "lab simulations.",
        S.WHY_THEM: "You lead the team that builds the lab simulation my school licenses.",
        S.STATUS: Status.SCHEDULED, S.REQUEST_SENT: d(11, 16), S.INTERVIEW_DATE: d(12, 4),
        S.INTERVIEW_FORMAT: InterviewFormat.IN_PERSON, S.NOTES: "Coffee near their office on Congress Street.",
    },
    # --- Requested: two follow-ups due (one by phone too), one request still fresh.
    {
        S.FIRST_NAME: "Sofia", S.LAST_NAME: "Rossi", S.TITLE: "UX Researcher", S.COMPANY: "Proseware",
        S.FIELD: UX, S.EMAIL: "sofia.rossi@example.com", S.HOW_FOUND: HowFound.PROFESSIONAL_ASSOCIATION,
        S.COMMON_GROUND: "We were in the same UXPA mentoring circle in September.",
        S.WHY_THEM: "You joined research from a non-design background two years ago.",
        S.STATUS: Status.REQUESTED, S.REQUEST_SENT: d(11, 2),
    },
    {
        S.FIRST_NAME: "Kenji", S.LAST_NAME: "Watanabe", S.TITLE: "Curriculum Product Lead",
        S.COMPANY: "Litware EdTech", S.FIELD: EDTECH, S.EMAIL: "kenji.watanabe@example.com",
        S.PHONE: "+1 617 555 0187", S.HOW_FOUND: HowFound.ALUMNI,
        S.COMMON_GROUND: "We both graduated from Boston University's School of Education in 2014.",
        S.WHY_THEM: "You lead curriculum for Litware's science products, where teaching content meets product.",
        S.STATUS: Status.REQUESTED, S.REQUEST_SENT: d(11, 4),
    },
    {
        S.FIRST_NAME: "Grace", S.LAST_NAME: "Lindqvist", S.TITLE: "Instructional Design Manager",
        S.COMPANY: "Adventure Works Online", S.FIELD: LD, S.EMAIL: "grace.lindqvist@example.org",
        S.HOW_FOUND: HowFound.REFERRAL, S.REFERRED_BY: "Daniel Okafor", S.MAY_USE_REFERRER: YesNo.YES,
        S.COMMON_GROUND: "Like you, I mentor new teachers.",
        S.WHY_THEM: "You manage a team that hires former teachers as instructional designers.",
        S.STATUS: Status.REQUESTED, S.REQUEST_SENT: d(11, 23),
    },
    # --- To Contact: four outreach letters to write, one on paper.
    {
        S.FIRST_NAME: "Siobhán", S.LAST_NAME: "Kelly", S.TITLE: "Learning Designer",
        S.COMPANY: "Museum of Science Boston", S.FIELD: LD, S.EMAIL: "siobhan.kelly@example.org",
        S.HOW_FOUND: HowFound.EVENT,
        S.COMMON_GROUND: "I brought three classes to your Energy Lab workshops, and we spoke after the October one.",
        S.WHY_THEM: "You design informal learning, which I have never seen from the inside.",
        S.STATUS: Status.TO_CONTACT,
    },
    {
        S.FIRST_NAME: "Robert", S.LAST_NAME: "Ashdown", S.SALUTATION: "Dr Ashdown",
        S.TITLE: "Director of Learning Sciences",
        S.COMPANY: "Blue Yonder Learning Lab", S.FIELD: LD,
        S.MAILING_ADDRESS: "Dr Robert Ashdown\nBlue Yonder Learning Lab\n14 Harbour Street, Suite 300\n"
        "Boston, MA 02110",
        S.PREFERRED_CONTACT: PreferredContact.LETTER, S.HOW_FOUND: HowFound.OTHER,
        S.COMMON_GROUND: "We both taught physics, and your book on formative assessment shaped my own teaching.",
        S.WHY_THEM: "You built a learning design team from scratch, and I'm told you still read your own post.",
        S.STATUS: Status.TO_CONTACT, S.NOTES: "No public email: his assistant said a letter is best.",
    },
    {
        S.FIRST_NAME: "Elena", S.LAST_NAME: "Petrova", S.TITLE: "UX Researcher",
        S.COMPANY: "Fabrikam Mobility", S.FIELD: UX, S.EMAIL: "elena.petrova@example.org",
        S.HOW_FOUND: HowFound.REFERRAL, S.REFERRED_BY: "Zoë Müller", S.MAY_USE_REFERRER: YesNo.NO,
        S.COMMON_GROUND: "We both speak at the Boston UXPA meetups on research with teenagers.",
        S.WHY_THEM: "You moved from nursing into UX research at Fabrikam last year, the kind of switch I'm making.",
        S.STATUS: Status.TO_CONTACT,
        S.NOTES: "Zoë is her manager and asked me not to mention her name.",
    },
    {
        S.FIRST_NAME: "Tom", S.LAST_NAME: "Brennan", S.TITLE: "Product Designer",
        S.COMPANY: "Wide World Learning", S.FIELD: EDTECH, S.EMAIL: "tom.brennan@example.com",
        S.PHONE: "+1 781 555 0104", S.HOW_FOUND: HowFound.NETWORK,
        S.COMMON_GROUND: "I coached the school robotics team with your sister Ruth, my former colleague.",
        S.WHY_THEM: "You work alongside Liam O'Connor's team and see research and product from the design side.",
        S.STATUS: Status.TO_CONTACT,
    },
    # --- Prospects: found, not ready to write yet.
    {
        S.FIRST_NAME: "Fatima", S.LAST_NAME: "Benali", S.TITLE: "Head of Research",
        S.COMPANY: "Proseware", S.FIELD: UX, S.LINKEDIN: "https://www.linkedin.com/in/fatima-benali-example",
        S.HOW_FOUND: HowFound.LINKEDIN, S.STATUS: Status.PROSPECT,
        S.NOTES: "Wait until I have spoken with Sofia Rossi, who reports to her.",
    },
    {
        S.FIRST_NAME: "Oliver", S.LAST_NAME: "Grant", S.TITLE: "Learning Technologist",
        S.COMPANY: "Bunker Hill Community College", S.FIELD: LD, S.HOW_FOUND: HowFound.ALUMNI,
        S.STATUS: Status.PROSPECT, S.NOTES: "Find his email through the alumni directory.",
    },
    # --- Ended without an interview.
    {
        S.FIRST_NAME: "Rachel", S.LAST_NAME: "Stein", S.TITLE: "VP Product", S.COMPANY: "Litware EdTech",
        S.FIELD: EDTECH, S.EMAIL: "rachel.stein@example.com", S.HOW_FOUND: HowFound.LINKEDIN,
        S.COMMON_GROUND: "I heard you speak at my school's careers evening in 2025.",
        S.STATUS: Status.DECLINED, S.REQUEST_SENT: d(9, 14), S.LAST_CONTACT: d(9, 16),
        S.NOTES: "Kind reply: too busy this term, suggested trying again in the spring.",
    },
    {
        S.FIRST_NAME: "Ben", S.LAST_NAME: "Carter", S.TITLE: "UX Manager", S.COMPANY: "Coho Insurance",
        S.FIELD: UX, S.EMAIL: "ben.carter@example.com", S.HOW_FOUND: HowFound.LINKEDIN,
        S.COMMON_GROUND: "We both volunteer with the Boston Cares tutoring programme.",
        S.STATUS: Status.NO_RESPONSE, S.REQUEST_SENT: d(9, 21), S.FOLLOWED_UP: d(10, 5),
    },
]

# (contact's full name or "" for the general bank, question, theme, answer)
Question = tuple[str, str, Theme, str | None]

EXAMPLE_QUESTIONS: list[Question] = [
    ("", "What does a typical week look like for you?", Theme.DAY_TO_DAY, None),
    ("", "Which skills from teaching do people in your team value most?", Theme.SKILLS, None),
    ("", "How did you get your first role in the field?", Theme.CAREER_PATH, None),
    ("", "What is changing in the field that a newcomer should know about?", Theme.INDUSTRY_TRENDS, None),
    ("", "If you were in my position, what would you do in the next three months?", Theme.ADVICE, None),
    ("Priya Raman", "How did you explain your teaching years when you applied for research roles?",
     Theme.CAREER_PATH, "As research: she described lesson studies and student interviews as field work."),
    ("Priya Raman", "What does synthesis look like on your team?", Theme.DAY_TO_DAY,
     "Affinity mapping in Miro after every round, then a one-page findings memo for the product team."),
    ("Priya Raman", "Which methods should I learn first?", Theme.SKILLS,
     "Moderated usability testing and interview guides; surveys later."),
    ("Priya Raman", "Who else should I talk to?", Theme.ADVICE,
     "Zoë Müller at Fabrikam and Daniel Okafor at Contoso; I may use her name with both."),
    ("Zoë Müller", "What makes a junior research candidate stand out?", Theme.HIRING,
     "A case study that shows a finding changing a decision, and clear writing."),
    ("Zoë Müller", "How much of the job is interviewing users?", Theme.DAY_TO_DAY,
     "Maybe a fifth; the rest is planning, synthesis and presenting."),
    ("Zoë Müller", "How does the team feel about career changers?", Theme.CULTURE,
     "Half her team came from other careers; teachers present well."),
    ("Zoë Müller", "Where is mobility research heading?", Theme.INDUSTRY_TRENDS,
     "More mixed methods and more work with accessibility specialists."),
    ("Daniel Okafor", "What did you have to learn when you left the classroom?", Theme.CAREER_PATH,
     "Authoring tools, working to stakeholder deadlines, and writing for adults."),
    ("Daniel Okafor", "How are learning designers evaluated at Contoso?", Theme.CULTURE,
     "On completion and assessment outcomes, reviewed every quarter."),
    ("Daniel Okafor", "What should be in a learning design portfolio?", Theme.SKILLS,
     "One complete module with the reasoning behind each choice, and a storyboard."),
    ("José Álvarez", "How do product managers at Litware work with teachers?", Theme.DAY_TO_DAY,
     "A paid teacher panel meets monthly; research runs it and PMs attend."),
    ("José Álvarez", "What do you look for when hiring an associate PM?", Theme.HIRING,
     "Evidence of prioritising under constraints; a story about a trade-off you made."),
    ("José Álvarez", "Would a UX research role be a better first step than product?", Theme.CAREER_PATH,
     "Probably: research first, then product, is a common path at Litware."),
    ("José Álvarez", "Which trends matter most in edtech right now?", Theme.INDUSTRY_TRENDS,
     "AI tutoring features and districts asking for evidence of impact."),
    ("José Álvarez", "Is there anyone else I should speak to?", Theme.ADVICE,
     "He will think about it and email me."),
    ("Hannah Whitfield", "What does research operations cover at Northwind?", Theme.DAY_TO_DAY,
     "Participant recruiting, consent and privacy, incentives, the research repository."),
    ("Hannah Whitfield", "Which of my skills would transfer to ResearchOps?", Theme.SKILLS,
     "Planning, safeguarding and consent processes, keeping many people organised."),
    ("Hannah Whitfield", "How do people usually get into research operations?", Theme.CAREER_PATH,
     "From coordinator roles; many came from teaching, admin or events."),
    ("Hannah Whitfield", "Are you hiring in the next year?", Theme.HIRING,
     "A research coordinator role should open in the spring."),
    ("Ngozi Adeyemi", "What surprised you most in your first year as a learning designer?", Theme.CAREER_PATH,
     None),
    ("Ngozi Adeyemi", "How do you work with subject-matter experts?", Theme.DAY_TO_DAY, None),
    ("Ngozi Adeyemi", "Which authoring tools should I learn first?", Theme.SKILLS, None),
    ("Ngozi Adeyemi", "What would you tell a chemistry teacher thinking of switching?", Theme.ADVICE, None),
    ("Marcus Bell", "How do you run research with children and schools?", Theme.DAY_TO_DAY, None),
    ("Marcus Bell", "How do you handle consent and safeguarding in your studies?", Theme.SKILLS, None),
    ("Marcus Bell", "What does your team look for in a new researcher?", Theme.HIRING, None),
    ("Marcus Bell", "How is research with children changing?", Theme.INDUSTRY_TRENDS, None),
    ("Marcus Bell", "Which of my classroom studies would interest a hiring panel?", Theme.ADVICE, None),
    ("Liam O'Connor", "How did the lab simulation product start?", Theme.CAREER_PATH, None),
    ("Liam O'Connor", "How do you decide what goes into the next release?", Theme.DAY_TO_DAY, None),
    ("Liam O'Connor", "How do teachers' requests reach the product team?", Theme.CULTURE, None),
    ("Liam O'Connor", "What skills do your best product managers share?", Theme.SKILLS, None),
    ("Liam O'Connor", "How are district budgets changing what you build?", Theme.INDUSTRY_TRENDS, None),
    ("Liam O'Connor", "Would you hire a teacher into a product role, and what would you need to see?",
     Theme.HIRING, None),
]


# =============================================================================
# messy.xlsx — Sam Patel's campaign as a person really keeps it
# =============================================================================

MESSY_PITCH = (
    "Hi, I'm Sam Patel. I have spent the last eleven years in retail, first on the shop floor and for the "
    "past six years as the manager of a busy department store in Leeds. A big "
    "part of that job, and honestly the part I have always liked most, is watching how customers move "
    "through the store, where they get stuck, what they ignore, and what makes them come back. I have run "
    "dozens of small experiments over the years, changing layouts, signage, the checkout queue and the "
    "click-and-collect process, and measuring what happened afterwards in sales and in complaints. Last "
    "year I led the rollout of a new stock app to every store in our region, which meant training staff, "
    "collecting their feedback every week and working with the developers in London to fix what did not "
    "work for people on the floor. That project is what made me realise that what I really want to do is "
    "user research, full time, on digital products. I have since completed a short online course in UX "
    "research, read everything I could find, and started a small portfolio with two case studies from my "
    "own store. I am now talking to people who already work in research to understand what the job looks "
    "like day to day, how people like me usually get their first role, which skills I should build next, "
    "and what hiring managers actually look for in a portfolio. I would really value twenty minutes of your "
    "time and your honest perspective on my plan."
)

MESSY_PROFILE: dict[S.Setting, Any] = {
    S.YOUR_NAME: "Sam Patel",
    S.MY_EMAIL: "sam.patel@example.com",
    S.MY_PHONE: "07700 900123",
    S.TARGET_FIELD: "UX research",
    S.BACKGROUND: "a retail store manager moving into UX research",
    S.ELEVATOR_PITCH: MESSY_PITCH,
    S.FOLLOW_UP_AFTER: "10",  # typed as text: still a number
}

MESSY_TITLE = "My job search 2026"
# The header as Sam left it: renamed by case and punctuation only, two columns moved, one added.
MESSY_HEADERS: dict[S.Column, str] = {
    S.FIRST_NAME: "first name",
    S.LAST_NAME: "LAST NAME",
    S.EMAIL: "email ",
    S.PREFERRED_CONTACT: "Preferred contact",
    S.HOW_FOUND: "How_found",
    S.REFERRED_BY: "Referred by",
    S.MAY_USE_REFERRER: "May use referrer's name?",
    S.REQUEST_SENT: "request sent",
    S.FOLLOWED_UP: "Followed up",
    S.INTERVIEW_DATE: "Interview date",
    S.THANK_YOU_SENT: "Thank you sent",
    S.KEY_TAKEAWAYS: "key takeaways",
}
PRONOUNS = "Pronouns"
# Status moved next to the name, Phone before Email, and a Pronouns column of Sam's own.
MESSY_ORDER: list[S.Column | str] = [
    S.FIRST_NAME, S.LAST_NAME, S.STATUS, PRONOUNS, S.TITLE, S.COMPANY, S.FIELD, S.PHONE, S.EMAIL,
    *[c for c in S.CONTACTS.columns if c not in (S.FIRST_NAME, S.LAST_NAME, S.STATUS, S.TITLE, S.COMPANY,
                                                  S.FIELD, S.PHONE, S.EMAIL)],
]


@dataclass
class MessyRow:
    """One row of the messy Contacts sheet and the issues planted in it (code, column)."""

    values: dict[S.Column, Any]
    pronouns: str | None = None
    planted: list[tuple[str, S.Column]] = field(default_factory=list)


BLANK = None  # a blank row left in the middle of the sheet

MESSY_CONTACTS: list[MessyRow | None] = [
    # Clean, though typed loosely: lower-case choices, a date as ISO text.
    MessyRow({
        S.FIRST_NAME: "Priya", S.LAST_NAME: "Raman", S.TITLE: "Senior UX Researcher",
        S.COMPANY: "Northwind Health", S.FIELD: "UX research", S.EMAIL: "priya.raman@example.com",
        S.PREFERRED_CONTACT: "email ", S.HOW_FOUND: "alumni",
        S.COMMON_GROUND: "We went to the same university and both did the evening design course.",
        S.STATUS: "thanked", S.REQUEST_SENT: AsText("2026-10-03"), S.INTERVIEW_DATE: d(10, 20),
        S.INTERVIEW_FORMAT: "video", S.THANK_YOU_SENT: d(10, 21), S.REFERRALS_GIVEN: "Zoë Müller",
        S.KEY_TAKEAWAYS: "Portfolio over certificates. Retail experiments count as research.",
    }, pronouns="she/her"),
    # Clean: the interview date typed with a time; thank-you not written yet, and not late.
    MessyRow({
        S.FIRST_NAME: "Zoë", S.LAST_NAME: "Müller", S.TITLE: "UX Research Lead", S.COMPANY: "Fabrikam",
        S.FIELD: "UX research", S.EMAIL: "zoe.mueller@example.org", S.PREFERRED_CONTACT: "Email",
        S.HOW_FOUND: "referral", S.REFERRED_BY: "Priya Raman", S.MAY_USE_REFERRER: "yes",
        S.STATUS: "Interviewed", S.REQUEST_SENT: d(11, 2), S.INTERVIEW_DATE: dt.datetime(2026, 11, 24, 10, 30),
        S.INTERVIEW_FORMAT: "Video", S.KEY_TAKEAWAYS: "Learn to run a usability test end to end.",
    }),
    MessyRow({
        S.FIRST_NAME: "Daniel", S.LAST_NAME: "Okafor", S.TITLE: "Service Designer", S.COMPANY: "Contoso",
        S.FIELD: "UX Research", S.EMAIL: "daniel.okafor@example.com", S.HOW_FOUND: "LinkedIn",
        S.STATUS: "Interviewed", S.REQUEST_SENT: d(11, 5), S.INTERVIEW_DATE: d(11, 24),
        S.INTERVIEW_FORMAT: "phone",
    }, planted=[("missing-takeaways", S.KEY_TAKEAWAYS)]),
    BLANK,
    MessyRow({
        S.FIRST_NAME: "Sofia", S.LAST_NAME: "Rossi", S.TITLE: "UX Researcher", S.COMPANY: "Proseware",
        S.FIELD: "UX Research", S.EMAIL: "sofia.rossi@example.com", S.HOW_FOUND: "Professional Association",
        S.STATUS: "Requested", S.REQUEST_SENT: d(12, 1),  # meant 2026-11-12
    }, planted=[("future-date", S.REQUEST_SENT)]),
    MessyRow({
        S.FIRST_NAME: "Kenji", S.LAST_NAME: "Watanabe", S.TITLE: "Design Researcher", S.COMPANY: "Litware",
        S.FIELD: "UX Research", S.EMAIL: "kenji.watanabe@example.com", S.PHONE: "0113 496 0187",
        S.HOW_FOUND: "alumni", S.STATUS: "Requested", S.REQUEST_SENT: d(11, 10), S.FOLLOWED_UP: d(11, 6),
    }, planted=[("date-order", S.FOLLOWED_UP)]),
    MessyRow({
        S.FIRST_NAME: "Grace", S.LAST_NAME: "Lindqvist", S.TITLE: "Research Manager", S.COMPANY: "Adventure Works",
        S.FIELD: "UX Research", S.EMAIL: "grace.lindqvist@example.org", S.PREFERRED_CONTACT: "email",
        S.HOW_FOUND: "Network", S.STATUS: " requested",  # and no Request Sent
    }, planted=[("status-mismatch", S.REQUEST_SENT)]),
    MessyRow({
        S.FIRST_NAME: "Tom", S.LAST_NAME: "Brennan", S.TITLE: "Product Designer", S.COMPANY: "Wide World Importers",
        S.FIELD: "UX Research", S.LINKEDIN: "https://www.linkedin.com/in/tom-brennan-example",
        S.HOW_FOUND: "Network", S.COMMON_GROUND: "I used to see you in my store every Saturday.",
        S.STATUS: "To Contact",
    }, pronouns="he/him", planted=[("no-contact-route", S.EMAIL)]),
    MessyRow({
        S.FIRST_NAME: "Elena", S.LAST_NAME: "Petrova", S.TITLE: "UX Researcher", S.COMPANY: "Fabrikam",
        S.FIELD: "UX Research", S.EMAIL: "elena.petrova@example.org", S.HOW_FOUND: "event",
        S.STATUS: "to contact ",
    }, planted=[("missing-common-ground", S.COMMON_GROUND)]),
    MessyRow({
        S.FIRST_NAME: "Marcus", S.LAST_NAME: "Bell", S.TITLE: "Principal Researcher", S.COMPANY: "Tailspin Toys",
        S.FIELD: "UX Research", S.EMAIL: "marcus.bell@example.com", S.HOW_FOUND: "LinkedIn",
        S.STATUS: "Thanked", S.REQUEST_SENT: d(9, 18), S.INTERVIEW_DATE: d(10, 5),
        S.INTERVIEW_FORMAT: "In Person", S.THANK_YOU_SENT: d(10, 12),
        S.KEY_TAKEAWAYS: "Research with children needs safeguarding training: get it done early.",
    }, planted=[("thank-you-late", S.THANK_YOU_SENT)]),
    BLANK,
    BLANK,
    MessyRow({
        S.FIRST_NAME: "José", S.LAST_NAME: "Álvarez", S.TITLE: "Product Manager", S.COMPANY: "Litware",
        S.FIELD: "Product", S.EMAIL: "jose.alvarez@example.com", S.HOW_FOUND: "LinkedIn",
        S.STATUS: "Scheduled", S.REQUEST_SENT: d(11, 12), S.INTERVIEW_DATE: d(12, 3),
        S.INTERVIEW_FORMAT: "Video",
    }, pronouns="he/him", planted=[("too-few-questions", S.FIRST_NAME)]),
    MessyRow({
        S.FIRST_NAME: "Liam", S.LAST_NAME: "O'Connor", S.TITLE: "Senior Product Manager",
        S.COMPANY: "Wide World Importers", S.FIELD: "Product", S.EMAIL: "liam.oconnor@example.com",
        S.HOW_FOUND: "Event", S.STATUS: "Thanked", S.REQUEST_SENT: d(10, 30), S.INTERVIEW_DATE: d(11, 13),
        S.INTERVIEW_FORMAT: "in person", S.THANK_YOU_SENT: d(11, 14),
        S.KEY_TAKEAWAYS: "Product people need to say no gracefully; retail gives me stories for that.",
    }),  # his eight questions are planted on the Questions sheet
    MessyRow({
        S.FIRST_NAME: "Maria", S.LAST_NAME: "Santos", S.TITLE: "UX Writer", S.COMPANY: "Proseware",
        S.FIELD: "UX Research", S.EMAIL: "maria at example.com", S.HOW_FOUND: "Other",
        S.STATUS: "Prospect",
    }, planted=[("invalid-email", S.EMAIL)]),
    MessyRow({
        S.FIRST_NAME: "Ngozi", S.LAST_NAME: "Adeyemi", S.TITLE: "Researcher", S.COMPANY: "Northwind Health",
        S.FIELD: "UX Research", S.EMAIL: "ngozi.adeyemi@example.org", S.HOW_FOUND: "Network",
        S.STATUS: "Intervewed", S.REQUEST_SENT: d(11, 6), S.INTERVIEW_DATE: d(11, 24),
        S.INTERVIEW_FORMAT: "Phone", S.KEY_TAKEAWAYS: "Health research moves slowly; ethics review takes weeks.",
    }, pronouns="she/her", planted=[("invalid-choice", S.STATUS)]),
    # Priya again, under her new company, with the same email as her first row.
    MessyRow({
        S.FIRST_NAME: "Priya", S.LAST_NAME: "Raman-Shah", S.TITLE: "Research Lead", S.COMPANY: "Contoso Health",
        S.FIELD: "UX Research", S.EMAIL: "priya.raman@example.com", S.STATUS: "Prospect",
    }, planted=[("duplicate-contact", S.EMAIL)]),
    MessyRow({
        S.FIRST_NAME: "Oliver", S.LAST_NAME: "Grant", S.TITLE: "Content Designer", S.COMPANY: "Northwind Health",
        S.FIELD: "UX Research", S.EMAIL: "oliver.grant@example.com", S.HOW_FOUND: "referral",
        S.REFERRED_BY: "Samira Haddad", S.MAY_USE_REFERRER: "yes",
        S.COMMON_GROUND: "I used to report to Samira, who worked with you for years.",
        S.STATUS: "To Contact",
    }, planted=[("unknown-referrer", S.REFERRED_BY)]),
    MessyRow({
        S.LAST_NAME: "Kowalski", S.TITLE: "UX Researcher", S.COMPANY: "Coho Insurance",
        S.FIELD: "UX Research", S.STATUS: "Prospect", S.NOTES: "Met at the UX meetup; ask Ben for his first name.",
    }, planted=[("missing-value", S.FIRST_NAME)]),
    MessyRow({
        S.FIRST_NAME: "Ben", S.LAST_NAME: "Carter", S.TITLE: "UX Manager", S.COMPANY: "Coho Insurance",
        S.FIELD: "UX Research", S.EMAIL: "ben.carter@example.com", S.HOW_FOUND: "Event",
    }, planted=[("missing-value", S.STATUS)]),
    MessyRow({
        S.FIRST_NAME: "Rachel", S.LAST_NAME: "Stein", S.TITLE: "Head of Design", S.COMPANY: "Litware",
        S.FIELD: "Product", S.EMAIL: "rachel.stein@example.com", S.HOW_FOUND: "LinkedIn",
        S.STATUS: "Requested", S.REQUEST_SENT: d(11, 16), S.FOLLOWED_UP: "next tuesday",
    }, planted=[("invalid-date", S.FOLLOWED_UP)]),
    # Clean: Scheduled with five questions, format typed with a trailing space.
    MessyRow({
        S.FIRST_NAME: "Hannah", S.LAST_NAME: "Whitfield", S.TITLE: "ResearchOps Manager",
        S.COMPANY: "Northwind Health", S.FIELD: "UX Research", S.EMAIL: "hannah.whitfield@example.com",
        S.PHONE: "0113 496 0131", S.PREFERRED_CONTACT: "phone", S.HOW_FOUND: "Network",
        S.STATUS: "Scheduled", S.REQUEST_SENT: d(11, 9), S.INTERVIEW_DATE: d(11, 27),
        S.INTERVIEW_FORMAT: "video ",
    }),
    MessyRow({
        S.FIRST_NAME: "Amara", S.LAST_NAME: "Nwosu", S.TITLE: "Service Designer", S.COMPANY: "Contoso",
        S.FIELD: "Service Design", S.PHONE: "0113 496 0150", S.PREFERRED_CONTACT: "Phone",
        S.HOW_FOUND: "Event", S.STATUS: "Declined", S.REQUEST_SENT: d(9, 14), S.LAST_CONTACT: d(9, 18),
        S.NOTES: "Said no for now, kindly. Try again in March.",
    }),
]

# (contact, question, theme as typed, answer); None = a blank row.
MESSY_QUESTIONS: list[tuple[str, str, str, str | None] | None] = [
    ("", "What does a normal week look like?", "day-to-day", None),
    ("", "How did you get your first research job?", "career path", None),
    ("", "What would you do in my position?", "Advice", None),
    None,
    ("José Álvarez", "How do you decide what to build next?", "Day-to-Day", None),
    ("José Álvarez", "Would you hire someone from retail?", "hiring", None),
    ("Hannah Whitfield", "What does ResearchOps cover?", "Day-to-Day", None),
    ("Hannah Whitfield", "How do you recruit participants?", "Skills", None),
    ("Hannah Whitfield", "Which tools do you use?", "skills", None),
    ("Hannah Whitfield", "How did you get into the role?", "Career Path", None),
    ("Hannah Whitfield", "Are you hiring?", "Hiring", None),
    ("Liam O'Connor", "How did you move into product?", "Career Path", "Through customer support."),
    ("Liam O'Connor", "What does a PM do all day?", "Day-to-Day", "Meetings, writing, deciding."),
    ("Liam O'Connor", "How do you prioritise?", "Skills", "Impact against effort, with the team."),
    ("Liam O'Connor", "What is the culture like?", "Culture", "Calm, remote-first."),
    ("Liam O'Connor", "Where is retail tech heading?", "Industry Trends", "Stock visibility everywhere."),
    ("Liam O'Connor", "What do you look for when hiring?", "Hiring", "Judgement and clear writing."),
    ("Liam O'Connor", "What should I read?", "Advice", "Inspired, by Marty Cagan."),
    ("Liam O'Connor", "Who else should I talk to?", "Advice", "Someone in research, not product."),
]


# =============================================================================
# Writing into the workbook create_workbook made
# =============================================================================


def cell_value(value: Any) -> Any:
    """What goes into the cell: enums as their text, everything else as is."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, AsText):
        return value.text
    return value


def header_positions(ws: Worksheet, header_row: int) -> dict[str, int]:
    """1-based column index of each header on ``header_row``, by its folded text."""
    out: dict[str, int] = {}
    for cell in ws[header_row]:
        if cell.value is not None:
            out.setdefault(S.header_key(cell.value), cell.column)
    return out


def column_style(ws: Worksheet, index: int) -> ColumnDimension | None:
    """The column style covering column ``index`` (1-based), if any."""
    for dim in ws.column_dimensions.values():
        low = dim.min or column_index_from_string(dim.index)
        if low <= index <= (dim.max or low):
            return dim
    return None


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value, styled like its column, with the number format its kind asks for."""
    cell = ws.cell(row=row, column=column, value=cell_value(value))
    dim = column_style(ws, column)
    if dim is not None and dim.has_style:
        cell.alignment = copy(dim.alignment)
        cell.number_format = dim.number_format
    if isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, AsText):
        cell.number_format = "@"
    return cell


def fill_profile(wb: Workbook, values: Mapping[S.Setting, Any]) -> dict[str, int]:
    """Type each setting's value next to its name; return the row of every setting."""
    ws = wb[S.PROFILE.name]
    header = header_positions(ws, 1)
    name_col = header[S.header_key(S.PROFILE_SETTING)]
    value_col = header[S.header_key(S.PROFILE_VALUE)]
    rows = {
        S.header_key(ws.cell(row=r, column=name_col).value): r
        for r in range(2, ws.max_row + 1)
        if ws.cell(row=r, column=name_col).value
    }
    for setting, value in values.items():
        put(ws, rows[setting.key], value_col, value)
    return {s.name: rows[s.key] for s in S.PROFILE_SETTINGS}


def fill_contacts(ws: Worksheet, header_row: int, rows: Iterable[Mapping[S.Column, Any] | None],
                  extras: Iterable[Mapping[str, Any]] | None = None) -> list[int]:
    """Write contacts below ``header_row`` (None = leave a blank row); return each contact's row."""
    where = header_positions(ws, header_row)
    extra_rows = list(extras) if extras is not None else None
    placed = []
    row = header_row
    for i, values in enumerate(rows):
        row += 1
        if values is None:
            continue
        for column, value in values.items():
            if value is not None:
                put(ws, row, where[column.key], value)
        for name, value in (extra_rows[i] if extra_rows else {}).items():
            if value is not None:
                put(ws, row, where[S.header_key(name)], value)
        placed.append(row)
    return placed


def fill_questions(wb: Workbook, rows: Iterable[tuple[str, str, Any, str | None] | None]) -> list[int]:
    """Write Questions rows from row 2 (None = a blank row); return each question's row."""
    ws = wb[S.QUESTIONS.name]
    where = header_positions(ws, 1)
    placed = []
    for row, item in enumerate(rows, start=2):
        if item is None:
            continue
        for column, value in zip(S.QUESTIONS.columns, item, strict=True):
            if value:
                put(ws, row, where[column.key], value)
        placed.append(row)
    return placed


def save(wb: Workbook, target: Path) -> None:
    """Save atomically, then pin the timestamps openpyxl and zipfile take from the clock."""
    wb.properties.created = PINNED
    buffer = io.BytesIO()
    wb.save(buffer)
    pinned = PINNED.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + pinned.encode(), data)
            member = zipfile.ZipInfo(info.filename, date_time=PINNED.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, data)
    with atomic_path(target) as tmp:
        tmp.write_bytes(out.getvalue())


def new_workbook(target: Path) -> Workbook:
    """The empty workbook exactly as ``sheetkit init`` writes it, opened for typing."""
    create_workbook(target, force=True)
    return openpyxl.load_workbook(target)


# --- example.xlsx --------------------------------------------------------------


def make_example(target: Path) -> Path:
    wb = new_workbook(target)
    fill_profile(wb, EXAMPLE_PROFILE)
    fill_contacts(wb[S.CONTACTS.name], 1, EXAMPLE_CONTACTS)
    fill_questions(wb, EXAMPLE_QUESTIONS)
    save(wb, target)
    return target


# --- messy.xlsx ------------------------------------------------------------------


def rearrange_contacts(wb: Workbook) -> None:
    """Make Contacts look edited by hand: a title row on top, the header on row 2, renamed and reordered.

    The header cells keep their style and help comment; column widths and
    styles, drop-downs, the filter and the Dashboard's formulas follow their
    columns to where they moved, as they would in Excel.
    """
    ws = wb[S.CONTACTS.name]
    header = header_positions(ws, 1)
    old_index = {c: header[c.key] for c in S.CONTACTS.columns}
    new_index = {c: i for i, c in enumerate(MESSY_ORDER, start=1) if isinstance(c, S.Column)}
    moved = {old_index[c]: new_index[c] for c in S.CONTACTS.columns}

    # The header: remember each cell's look, clear row 1, write it again on row 2.
    template = ws.cell(row=1, column=1)
    looks = {c: ws.cell(row=1, column=old_index[c]) for c in S.CONTACTS.columns}
    saved = {c: (copy(cell.font), copy(cell.fill), copy(cell.alignment), cell.comment)
             for c, cell in looks.items()}
    plain_font, plain_fill, plain_align = copy(template.font), copy(template.fill), copy(template.alignment)
    for cell in ws[1]:
        cell.value = None
        cell.comment = None
        cell.font, cell.fill, cell.alignment = Font(), PatternFill(), Alignment()
    for position, column in enumerate(MESSY_ORDER, start=1):
        cell = ws.cell(row=2, column=position)
        if isinstance(column, S.Column):
            cell.value = MESSY_HEADERS.get(column, column.name)
            cell.font, cell.fill, cell.alignment, comment = saved[column]
            if comment is not None:
                cell.comment = copy(comment)
        else:
            cell.value = column
            cell.font, cell.fill, cell.alignment = plain_font, plain_fill, plain_align
    title = ws.cell(row=1, column=1, value=MESSY_TITLE)
    title.font = Font(bold=True, size=14)
    ws.row_dimensions[2].height = ws.row_dimensions[1].height
    ws.row_dimensions[1].height = None

    # Column widths and styles follow their columns.
    dims = list(ws.column_dimensions.values())
    holder = DimensionHolder(worksheet=ws)
    for dim in dims:
        low = dim.min or column_index_from_string(dim.index)
        for index in range(low, (dim.max or low) + 1):
            if index not in moved:
                continue
            letter = get_column_letter(moved[index])
            new = ColumnDimension(ws, index=letter, width=dim.width, min=moved[index], max=moved[index])
            if dim.has_style:
                new.number_format = dim.number_format
                new.alignment = copy(dim.alignment)
            holder[letter] = new
    pronouns = get_column_letter(MESSY_ORDER.index(PRONOUNS) + 1)
    at = MESSY_ORDER.index(PRONOUNS) + 1
    holder[pronouns] = ColumnDimension(ws, index=pronouns, width=10, min=at, max=at)
    ws.column_dimensions = holder

    # Drop-downs and date checks: same column, one row lower.
    for dv in ws.data_validations.dataValidation:
        ranges = []
        for rng in dv.sqref.ranges:
            for index in range(rng.min_col, rng.max_col + 1):
                col = moved[index]
                ranges.append(CellRange(min_col=col, max_col=col, min_row=rng.min_row + 1, max_row=rng.max_row + 1))
        dv.sqref = MultiCellRange(ranges)

    last = get_column_letter(len(MESSY_ORDER))
    rng = CellRange(ws.auto_filter.ref) if ws.auto_filter.ref else None
    ws.auto_filter.ref = f"A2:{last}{(rng.max_row if rng else 1000) + 1}"
    ws.freeze_panes = "B3"
    ws.print_title_rows = "2:2"

    # Dashboard formulas read whole Contacts columns: point them at the moved ones.
    sheet_ref = re.escape(quote_sheetname(S.CONTACTS.name))
    whole_column = re.compile(sheet_ref + r"!\$([A-Z]{1,3}):\$([A-Z]{1,3})")

    def relocate(match: re.Match[str]) -> str:
        a, b = (get_column_letter(moved[column_index_from_string(x)]) for x in match.groups())
        return f"{quote_sheetname(S.CONTACTS.name)}!${a}:${b}"

    for sheet in wb.worksheets:
        if sheet is ws:
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.value = whole_column.sub(relocate, cell.value)


def make_messy(target: Path) -> list[dict[str, Any]]:
    """Write messy.xlsx; return the issues planted in it as of TODAY."""
    wb = new_workbook(target)
    setting_rows = fill_profile(wb, MESSY_PROFILE)
    rearrange_contacts(wb)
    ws = wb[S.CONTACTS.name]
    rows = [r.values if r else None for r in MESSY_CONTACTS]
    extras = [{PRONOUNS: r.pronouns} if r else {} for r in MESSY_CONTACTS]
    placed = iter(fill_contacts(ws, 2, rows, extras))
    question_rows = fill_questions(wb, MESSY_QUESTIONS)
    save(wb, target)

    expected: list[dict[str, Any]] = [
        {"code": "pitch-too-long", "sheet": S.PROFILE.name, "row": setting_rows[S.ELEVATOR_PITCH.name],
         "column": S.ELEVATOR_PITCH.name},
    ]
    for contact in MESSY_CONTACTS:
        if contact is None:
            continue
        row = next(placed)
        expected += [{"code": code, "sheet": S.CONTACTS.name, "row": row, "column": column.name}
                     for code, column in contact.planted]
    # The question past the sixth for the same contact is where too-many-questions points.
    counts: dict[str, int] = {}
    for item, row in zip((q for q in MESSY_QUESTIONS if q), question_rows, strict=True):
        if item[0]:
            counts[item[0]] = counts.get(item[0], 0) + 1
            if counts[item[0]] == S.MAX_QUESTIONS + 1:
                expected.append({"code": "too-many-questions", "sheet": S.QUESTIONS.name, "row": row,
                                 "column": S.Q_CONTACT.name})
    order = {name: i for i, name in enumerate(S.SHEET_ORDER)}
    expected.sort(key=lambda e: (order[e["sheet"]], e["row"], e["column"], e["code"]))
    return expected


# =============================================================================


def build(out: Path) -> list[Path]:
    """Write every sample into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    example = make_example(out / EXAMPLE)
    expected = make_messy(out / MESSY)
    expected_path = out / MESSY_EXPECTED
    atomic_write_text(expected_path, json.dumps(expected, indent=2, ensure_ascii=False) + "\n")
    return [example, out / MESSY, expected_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "sample_workbooks",
                        help="folder to write the samples to (default: sample_workbooks/)")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
