"""The words on the workbook's Guide sheet, kept as data.

The writer in :mod:`sheetkit.workbook` only lays these blocks out; every sheet
name, status, column and setting mentioned here comes from
:mod:`sheetkit.schema`, so the Guide cannot drift from the workbook it explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sheetkit import kinds, schema
from sheetkit.schema import Status

BlockKind = Literal["title", "heading", "text", "item", "command"]


@dataclass(frozen=True)
class Block:
    """One row of the Guide: ``label`` goes in column A, ``text`` in column B."""

    kind: BlockKind
    text: str
    label: str = ""


# The two ways a request can end without an interview: off the main line.
SIDE_STATUSES: tuple[Status, ...] = (Status.DECLINED, Status.NO_RESPONSE)
MAIN_FLOW: tuple[Status, ...] = tuple(s for s in Status if s not in SIDE_STATUSES)
STATUS_FLOW = " → ".join(MAIN_FLOW) + "; or " + " / ".join(SIDE_STATUSES)

STATUS_MEANINGS: dict[Status, str] = {
    Status.PROSPECT: "Someone you might talk to. Not ready to write yet: find the common ground first.",
    Status.TO_CONTACT: (
        f"Ready to write to. Fill {schema.COMMON_GROUND.name}, {schema.WHY_THEM.name} and an email, "
        f"phone or mailing address: sheetkit drafts the request."
    ),
    Status.REQUESTED: f"You asked for the interview. Put the date in {schema.REQUEST_SENT.name}.",
    Status.SCHEDULED: (
        f"They said yes. Put the date in {schema.INTERVIEW_DATE.name} and prepare "
        f"{schema.MIN_QUESTIONS} to {schema.MAX_QUESTIONS} questions on the {schema.QUESTIONS.name} sheet."
    ),
    Status.INTERVIEWED: f"The conversation happened. Write down your {schema.KEY_TAKEAWAYS.name} the same day.",
    Status.THANKED: f"Your thank-you note went out. Put the date in {schema.THANK_YOU_SENT.name}.",
    Status.KEEPING_IN_TOUCH: (
        f"You send an update now and then. Put the date in {schema.LAST_CONTACT.name} each time."
    ),
    Status.DECLINED: "They said no. That is an answer too: thank them and move on.",
    Status.NO_RESPONSE: "No reply even after your follow-up. Let it rest.",
}

SHEET_PURPOSES: dict[str, str] = {
    schema.GUIDE: "This page.",
    schema.PROFILE.name: (
        f"Your own details (name, email, return address, pitch, when you are free, your latest news) and the "
        f"settings: when to follow up, when a thank-you is late, how often to keep in touch, how many interviews "
        f"per field, how letters write dates, your time zone. Change only the {schema.PROFILE_VALUE} column."
    ),
    schema.CONTACTS.name: (
        "Your progress chart: one row per person. Row 1 holds the headers: hover over one to see what "
        "goes there. Use the drop-down lists and type dates as yyyy-mm-dd."
    ),
    schema.QUESTIONS.name: (
        f"The questions you prepare and the answers you hear. Put the contact's full name in "
        f"{schema.Q_CONTACT.name}, or leave it empty for your general question bank."
    ),
    schema.DASHBOARD: (
        "Live counts per status and interviews per field against your goal, with a chart. "
        "Type the fields you are exploring in its Field column; everything else updates by itself."
    ),
    schema.LISTS: "Hidden: the values behind the drop-down lists. Leave it as it is.",
}


_METHOD: tuple[tuple[str, str], ...] = (
    (
        "1. Research",
        "Assess your values, interests and skills, then pick the fields and employers you want to learn "
        "about. Professional associations and occupational outlook guides are good places to start.",
    ),
    (
        "2. Choose people",
        f"Tell your networks (alumni, colleagues, professional associations, LinkedIn) that you are "
        f"exploring, and note who they suggest. Each person is a row on {schema.CONTACTS.name}, "
        f"starting as {Status.PROSPECT}.",
    ),
    (
        "3. Prepare",
        f"Write {schema.MIN_QUESTIONS} to {schema.MAX_QUESTIONS} strategic questions per interview; with "
        f"more than {schema.MAX_QUESTIONS}, split them across several people. Prepare a 90-second "
        f"elevator pitch ({schema.ELEVATOR_PITCH.name} on {schema.PROFILE.name}) in case they ask about you.",
    ),
    (
        "4. Arrange",
        "Write by email or letter: say why you want to talk to them in particular, mention what you have "
        "in common, ask for 15 to 20 minutes and how they prefer to talk (phone, video, face to face). "
        f"No reply after {schema.FOLLOW_UP_AFTER.default} business days? Follow up, by phone if you "
        "have a number.",
    ),
    (
        "5. Conduct",
        "Be on time, ask your questions, take notes. Before you leave, ask who else could help you and "
        f"whether you may use their name when you contact those people ({schema.MAY_USE_REFERRER.name}).",
    ),
    (
        "6. Follow up",
        f"Send a brief thank-you within {schema.THANK_YOU_WITHIN.default} days of the interview. Review "
        f"what you learned ({schema.KEY_TAKEAWAYS.name}), then keep in touch every few months.",
    ),
    (
        "Monitor",
        f"Interview enough people for a balanced view of each field (the {schema.DASHBOARD} counts them "
        f"against {schema.INTERVIEWS_PER_FIELD_GOAL.name}) and keep what you learn in one place: here.",
    ),
)

_COMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "Check the workbook",
        "sheetkit validate tracker.xlsx",
        "Lists every problem at once (a missing date, a value not in a list, a late thank-you), with the "
        "cell to fix. Nothing is changed in your file.",
    ),
    (
        "See what is due",
        "sheetkit status tracker.xlsx",
        "Shows your pipeline and today's agenda: who to write to, follow up, thank, call or keep in "
        "touch with, overdue first. Add --today 2026-03-04 to see another day.",
    ),
    (
        "Draft the letters",
        "sheetkit drafts tracker.xlsx --out drafts/",
        "Writes one draft per due letter (request, follow-up, thank-you, keep-in-touch) into the drafts "
        "folder, ready to open in your mail program, edit and send. Add --dry-run to list them first.",
    ),
    (
        "Record what you sent",
        "sheetkit record tracker.xlsx drafts/",
        "Once the drafts are sent (delete any you did not send), writes each date and the new status into this "
        f"workbook: {schema.REQUEST_SENT.name} and {Status.REQUESTED} for a request, {schema.THANK_YOU_SENT.name} "
        f"and {Status.THANKED} for a thank-you. Tomorrow's agenda then knows, and the follow-ups fall due on "
        "time. Close the workbook first; the previous version is kept in the sheetkit-backups folder. For a call: "
        'sheetkit record tracker.xlsx --contact "Ann Lee" --done call.',
    ),
    (
        "Or use your mailbox",
        "sheetkit drafts tracker.xlsx --to-mailbox",
        f"Puts the emails straight into the Drafts folder of the mailbox named by {schema.MAIL_SERVER.name} and "
        f"{schema.MAIL_USER.name} on Profile (Gmail, iCloud, Fastmail: with an app password). Send them from there, "
        "then sheetkit record tracker.xlsx --from-mailbox records what your Sent folder shows, and puts the "
        "replies waiting in your Inbox on the agenda.",
    ),
    (
        "Bring people in",
        "sheetkit import tracker.xlsx Connections.csv",
        "Adds the people in a LinkedIn, Google Contacts or Outlook export, or a vCard file, as new "
        f"{Status.PROSPECT} rows, skipping those already here. Then fill {schema.COMMON_GROUND.name} and "
        f"{schema.WHY_THEM.name} for the ones you will write to.",
    ),
    (
        "See the problems in the sheet",
        "sheetkit validate tracker.xlsx --annotate checked.xlsx",
        "Writes a copy of this workbook with each problem cell coloured (red: error, amber: warning) and its "
        "message in a comment. This file is not changed.",
    ),
    (
        "See the campaign",
        "sheetkit report tracker.xlsx --out report.html",
        "A page with the pipeline, activity per week, interviews per field against your goal, who suggested whom "
        "and what you are learning, grouped by theme. sheetkit calendar tracker.xlsx --out interviews.ics puts "
        "your interviews and what is due into your calendar.",
    ),
    (
        "Start again",
        "sheetkit init tracker.xlsx",
        "Creates a fresh, empty workbook like this one. It never replaces an existing file unless you add --force.",
    ),
)

_TIPS: tuple[str, ...] = (
    f"Only {schema.FIRST_NAME.name} and {schema.STATUS.name} are required; fill the rest as you learn it.",
    "Type dates as yyyy-mm-dd (for example 2026-03-04).",
    "Pick values from the drop-down lists; a typed value must match one of them.",
    f"Spell each {schema.FIELD.name} the same way every time: the {schema.DASHBOARD} counts by it.",
    f"In {schema.REFERRALS_GIVEN.name}, separate names with ; and sheetkit reminds you to add them.",
    f"In {schema.REFERRED_BY.name}, write the referrer's full name as it appears on {schema.CONTACTS.name}.",
    f"Fill {schema.SALUTATION.name} when a first name would be too familiar (Dr Ashdown, Ms Tanaka): "
    "letters greet them so.",
    f"Keep {schema.LATEST_NEWS.name} on {schema.PROFILE.name} up to date: keep-in-touch notes share it.",
    f"On {schema.PROFILE.name}, keep the {schema.PROFILE_SETTING} names as written and change only "
    f"the {schema.PROFILE_VALUE}s.",
    "You may add your own columns, reorder them or add title rows: sheetkit finds its columns by name.",
)


def _agenda_item(kind: kinds.Kind) -> Block:
    """What brings a kind onto the agenda, and whether sheetkit drafts it, in plain words."""
    when = kind.due_when.replace("`", "")
    drafted = "sheetkit drafts the letter" if kind.letter else "no letter: you do it"
    return Block("item", f"{kind.hint.capitalize()}: when {when} ({drafted}).", kind.name)


def blocks() -> tuple[Block, ...]:
    """The Guide, row by row; the agenda's kinds as registered when the workbook is made."""
    blocks: list[Block] = [
        Block("title", "Your informational-interview tracker"),
        Block(
            "text",
            "An informational interview is a focused 15 to 20 minute conversation in which you ask four "
            "to six questions of someone already working in a field you are exploring. People are far "
            "happier to share what they know than to be asked for a job. This workbook keeps your "
            "campaign in one place; the sheetkit program reads it, tells you what is due and drafts "
            "your letters.",
        ),
        Block("heading", "The method, step by step"),
        *(Block("item", text, label) for label, text in _METHOD),
        Block("heading", "The status flow"),
        Block(
            "text",
            f"Each contact's {schema.STATUS.name} moves along: {STATUS_FLOW}. Update it as you go: "
            "sheetkit works out what is due from it and from the dates.",
        ),
        *(Block("item", STATUS_MEANINGS[status], status.value) for status in Status),
        Block("heading", "What sheetkit puts on your agenda"),
        Block("text", "Each morning, sheetkit status lists what is due, overdue first:"),
        *(_agenda_item(kind) for kind in kinds.all_kinds()),
        Block("heading", "The sheets"),
        *(Block("item", SHEET_PURPOSES[name], name) for name in schema.SHEET_ORDER),
        Block("heading", "Using sheetkit"),
        Block("text", "Run these in a terminal, in the folder that holds your workbook, after saving your changes:"),
    ]
    for label, command, explanation in _COMMANDS:
        blocks.append(Block("command", command, label))
        blocks.append(Block("text", explanation))
    blocks.append(
        Block(
            "text",
            "Add --format json to validate or status for machine-readable output, and --help to any "
            "command for all its options.",
        )
    )
    blocks.append(Block("heading", "Tips"))
    blocks.extend(Block("text", f"• {tip}") for tip in _TIPS)
    return tuple(blocks)

