"""The progress-chart workbook, declared once.

Every sheet, column, choice list, width and help text lives here. ``init``
builds the workbook from it, the reader matches headers against it, and the
rules and planner refer to columns through these constants, so no header or
list value is ever spelled twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Literal

ColumnKind = Literal["text", "date", "choice", "email", "names"]


class Status(StrEnum):
    """Where a contact stands in the campaign, in the order of the method."""

    PROSPECT = "Prospect"
    TO_CONTACT = "To Contact"
    REQUESTED = "Requested"
    SCHEDULED = "Scheduled"
    INTERVIEWED = "Interviewed"
    THANKED = "Thanked"
    KEEPING_IN_TOUCH = "Keeping In Touch"
    DECLINED = "Declined"
    NO_RESPONSE = "No Response"


class PreferredContact(StrEnum):
    EMAIL = "Email"
    PHONE = "Phone"
    VIDEO = "Video"
    IN_PERSON = "In Person"
    LETTER = "Letter"


class HowFound(StrEnum):
    NETWORK = "Network"
    ALUMNI = "Alumni"
    PROFESSIONAL_ASSOCIATION = "Professional Association"
    LINKEDIN = "LinkedIn"
    REFERRAL = "Referral"
    EVENT = "Event"
    OTHER = "Other"


class YesNo(StrEnum):
    YES = "Yes"
    NO = "No"


class InterviewFormat(StrEnum):
    PHONE = "Phone"
    VIDEO = "Video"
    IN_PERSON = "In Person"


class Theme(StrEnum):
    CAREER_PATH = "Career Path"
    DAY_TO_DAY = "Day-to-Day"
    SKILLS = "Skills"
    CULTURE = "Culture"
    INDUSTRY_TRENDS = "Industry Trends"
    HIRING = "Hiring"
    ADVICE = "Advice"
    OTHER = "Other"


# Statuses that mean the interview has happened: they count towards a field's goal.
INTERVIEWED_STATUSES: tuple[Status, ...] = (
    Status.INTERVIEWED,
    Status.THANKED,
    Status.KEEPING_IN_TOUCH,
)
# Once the interview date has come, these still owe a thank-you (Scheduled: the status
# was not updated yet); the validator's lateness warning and the planner's action agree.
AWAITING_THANKS: tuple[Status, ...] = (Status.SCHEDULED, Status.INTERVIEWED)
# A request counts as answered once the person moved past waiting, a "no" included.
ANSWERED_STATUSES: tuple[Status, ...] = (
    Status.SCHEDULED,
    *INTERVIEWED_STATUSES,
    Status.DECLINED,
)
ASKED_STATUSES: tuple[Status, ...] = (*ANSWERED_STATUSES, Status.REQUESTED, Status.NO_RESPONSE)

MIN_QUESTIONS = 4
MAX_QUESTIONS = 6
PITCH_MAX_WORDS = 225  # 90 seconds spoken at about 150 words a minute


def header_key(text: object) -> str:
    """Fold a header for tolerant matching: case, spaces and punctuation ignored."""
    return re.sub(r"[\W_]+", "", str(text)).casefold()


def attr_name(text: object) -> str:
    """A header as a Python/Jinja identifier: ``May Use Referrer's Name`` → ``may_use_referrers_name``."""
    name = re.sub(r"\W+", "_", str(text).replace("'", "").replace("’", "").casefold()).strip("_")
    return f"_{name}" if name[:1].isdigit() else name


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, what it holds and how it is shown."""

    name: str
    kind: ColumnKind
    width: int
    help: str
    choices: tuple[str, ...] = ()
    required: bool = False

    @cached_property
    def key(self) -> str:
        return header_key(self.name)

    @cached_property
    def attr(self) -> str:
        return attr_name(self.name)


def _choices(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


SettingKind = Literal["text", "email", "int", "choice", "timezone"]


@dataclass(frozen=True)
class Setting:
    """One row of the Profile sheet; a ``choice`` setting takes one of ``choices``, a ``timezone`` an IANA name."""

    name: str
    default: int | str | None
    kind: SettingKind
    help: str
    choices: tuple[str, ...] = ()

    @cached_property
    def key(self) -> str:
        return header_key(self.name)

    @cached_property
    def attr(self) -> str:
        return attr_name(self.name)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...] = field(default=())

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


# --- Contacts -------------------------------------------------------------

FIRST_NAME = Column("First Name", "text", 14, "Their first name. Required on every row you fill.", required=True)
LAST_NAME = Column("Last Name", "text", 16, "Their last name.")
SALUTATION = Column(
    "Salutation", "text", 14,
    "How to greet them, e.g. Dr Ashdown or Mr Tanaka. Empty: their first name in emails, "
    "their full name on printed letters.",
)
TITLE = Column("Title", "text", 22, "Their job title, e.g. Senior UX Researcher.")
COMPANY = Column("Company", "text", 20, "Where they work.")
FIELD = Column(
    "Field", "text", 18,
    "The career field you are exploring through them. Use the same spelling each time: "
    "the Dashboard counts interviews per field.",
)
EMAIL = Column("Email", "email", 28, "Their email address, e.g. name@example.com.")
PHONE = Column("Phone", "text", 16, "A phone number: used for follow-up calls when an email goes unanswered.")
LINKEDIN = Column("LinkedIn", "text", 24, "Link to their LinkedIn profile.")
MAILING_ADDRESS = Column(
    "Mailing Address", "text", 30,
    "Postal address, needed when Preferred Contact is Letter. Put each line on its own line (Alt+Enter).",
)
PREFERRED_CONTACT = Column(
    "Preferred Contact", "choice", 16,
    "How they like to be reached. Letter means a printed letter to the mailing address.",
    choices=_choices(PreferredContact),
)
HOW_FOUND = Column(
    "How Found", "choice", 18, "Which of your networks led you to them.", choices=_choices(HowFound)
)
REFERRED_BY = Column(
    "Referred By", "text", 18,
    "Full name of the contact who suggested them (as written in First Name + Last Name).",
)
MAY_USE_REFERRER = Column(
    "May Use Referrer's Name", "choice", 14,
    "Yes only if the referrer said you may mention their name. Letters name the referrer only on Yes.",
    choices=_choices(YesNo),
)
COMMON_GROUND = Column(
    "Common Ground", "text", 30,
    "What you have in common, written as you would say it to them: 'We both studied at Lincoln "
    "University.' The outreach letter leads with it.",
)
WHY_THEM = Column(
    "Why Them", "text", 30,
    "Why this person in particular, written to them: 'You moved from teaching into UX research at Contoso.' "
    "The outreach letter quotes it.",
)
STATUS = Column(
    "Status", "choice", 16,
    "Where this contact stands: Prospect, To Contact, Requested, Scheduled, Interviewed, Thanked, "
    "Keeping In Touch (or Declined, No Response). Required on every row you fill.",
    choices=_choices(Status),
    required=True,
)
REQUEST_SENT = Column("Request Sent", "date", 13, "The date you asked for the interview (yyyy-mm-dd).")
FOLLOWED_UP = Column("Followed Up", "date", 13, "The date you followed up an unanswered request.")
INTERVIEW_DATE = Column("Interview Date", "date", 14, "The date of the interview, planned or held.")
INTERVIEW_FORMAT = Column(
    "Interview Format", "choice", 14, "Phone, Video or In Person.", choices=_choices(InterviewFormat)
)
THANK_YOU_SENT = Column(
    "Thank-You Sent", "date", 14, "The date you sent your thank-you note: within two days of the interview."
)
LAST_CONTACT = Column("Last Contact", "date", 13, "The last time you were in touch (for keep-in-touch notes).")
REFERRALS_GIVEN = Column(
    "Referrals Given", "names", 26,
    "Names they suggested you talk to, separated by ; (e.g. Ana Ruiz; Tom Lee).",
)
KEY_TAKEAWAYS = Column("Key Takeaways", "text", 36, "What you learned: the thank-you note recalls it.")
NOTES = Column("Notes", "text", 30, "Anything else.")

CONTACTS = Sheet(
    "Contacts",
    (
        FIRST_NAME, LAST_NAME, SALUTATION, TITLE, COMPANY, FIELD, EMAIL, PHONE, LINKEDIN, MAILING_ADDRESS,
        PREFERRED_CONTACT, HOW_FOUND, REFERRED_BY, MAY_USE_REFERRER, COMMON_GROUND, WHY_THEM,
        STATUS, REQUEST_SENT, FOLLOWED_UP, INTERVIEW_DATE, INTERVIEW_FORMAT, THANK_YOU_SENT,
        LAST_CONTACT, REFERRALS_GIVEN, KEY_TAKEAWAYS, NOTES,
    ),
)

# --- Questions ------------------------------------------------------------

Q_CONTACT = Column(
    "Contact", "text", 22,
    "The contact's full name (First Name + Last Name). Leave empty for your general question bank.",
)
Q_QUESTION = Column("Question", "text", 50, "A strategic question: 4 to 6 per interview.")
Q_THEME = Column("Theme", "choice", 16, "What the question is about.", choices=_choices(Theme))
Q_ANSWER = Column("Answer", "text", 50, "What you heard.")

QUESTIONS = Sheet("Questions", (Q_CONTACT, Q_QUESTION, Q_THEME, Q_ANSWER))

# --- Profile --------------------------------------------------------------

YOUR_NAME = Setting("Your Name", None, "text", "Your name, as it should appear in letters' signature and From.")
MY_EMAIL = Setting("Email", None, "email", "Your email address: the From of every draft.")
MY_PHONE = Setting("Phone", None, "text", "Your phone number, for the signature.")
MY_LINKEDIN = Setting("LinkedIn", None, "text", "Your LinkedIn profile link, for the signature.")
TARGET_FIELD = Setting("Target Field", None, "text", "The field you are exploring, e.g. UX research.")
BACKGROUND = Setting(
    "Background", None, "text", "One line about you, used in outreach, e.g. 'a teacher moving into UX research'."
)
ELEVATOR_PITCH = Setting(
    "Elevator Pitch", None, "text",
    "Your 90-second pitch: who you are, what you explore, what you ask. At most 225 words.",
)
FOLLOW_UP_AFTER = Setting(
    "Follow Up After (business days)", 7, "int", "Business days to wait for a reply before following up."
)
THANK_YOU_WITHIN = Setting(
    "Thank You Within (days)", 2, "int", "Days after an interview by which the thank-you should go out."
)
KEEP_IN_TOUCH_EVERY = Setting(
    "Keep In Touch Every (days)", 90, "int", "Days between keep-in-touch updates to people you interviewed."
)
INTERVIEWS_PER_FIELD_GOAL = Setting(
    "Interviews Per Field Goal", 3, "int", "How many people to interview per field for a balanced view."
)

MY_ADDRESS = Setting(
    "Mailing Address", None, "text",
    "Your postal address, one line per line (Alt+Enter): the return address on printed letters.",
)
AVAILABILITY = Setting(
    "Availability", None, "text", "When you can talk, offered in outreach, e.g. 'weekdays after 3:30 pm'."
)
LATEST_NEWS = Setting(
    "Latest News", None, "text",
    "One line of news for keep-in-touch notes, e.g. 'I finished the course module you suggested'.",
)
DAY_MONTH_YEAR, MONTH_DAY_YEAR = "25 November 2026", "November 25, 2026"
DATE_STYLE = Setting(
    "Date Style", DAY_MONTH_YEAR, "choice",
    f"How letters write dates: {DAY_MONTH_YEAR} or {MONTH_DAY_YEAR}.",
    choices=(DAY_MONTH_YEAR, MONTH_DAY_YEAR),
)
TIME_ZONE = Setting(
    "Time Zone", None, "timezone",
    "Your time zone, e.g. America/New_York or Europe/Dublin: the time of drafts and of calendar events. "
    "Empty: this computer's.",
)

# The mailbox (README, The mailbox): where drafts go and sent mail is read. The password is never in the workbook.
MAIL_SERVER = Setting(
    "Mail Server", None, "text",
    "Your mail provider's IMAP server, e.g. imap.gmail.com (optionally host:port; default port 993).",
)
MAIL_USER = Setting(
    "Mail User", None, "text",
    "The user name you log in to your mailbox with, usually your email address. The password is not stored here.",
)

PROFILE_SETTINGS: tuple[Setting, ...] = (
    YOUR_NAME, MY_EMAIL, MY_PHONE, MY_LINKEDIN, MY_ADDRESS, TARGET_FIELD, BACKGROUND, ELEVATOR_PITCH,
    AVAILABILITY, LATEST_NEWS, FOLLOW_UP_AFTER, THANK_YOU_WITHIN, KEEP_IN_TOUCH_EVERY, INTERVIEWS_PER_FIELD_GOAL,
    DATE_STYLE, TIME_ZONE, MAIL_SERVER, MAIL_USER,
)
PROFILE_SETTING = "Setting"
PROFILE_VALUE = "Value"
PROFILE_HELP = "Help"
PROFILE = Sheet(
    "Profile",
    (
        Column(PROFILE_SETTING, "text", 32, "The setting's name: keep it as written."),
        Column(PROFILE_VALUE, "text", 48, "Your value."),
        Column(PROFILE_HELP, "text", 70, "What the setting is for."),
    ),
)

GUIDE = "Guide"
DASHBOARD = "Dashboard"
LISTS = "Lists"

SHEET_ORDER: tuple[str, ...] = (GUIDE, PROFILE.name, CONTACTS.name, QUESTIONS.name, DASHBOARD, LISTS)

# Every drop-down's values, by the column that uses them (Lists sheet layout).
CHOICE_COLUMNS: tuple[Column, ...] = tuple(
    c for sheet in (CONTACTS, QUESTIONS) for c in sheet.columns if c.kind == "choice"
)
DATE_COLUMNS: tuple[Column, ...] = tuple(c for c in CONTACTS.columns if c.kind == "date")
