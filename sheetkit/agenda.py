"""The day's agenda as the commands show it: what is due, less the letters that errors hold back.

The planner says what is due and the rules say what is wrong; neither knows
the other. This is where the two meet, one level above both, so data flows one
way: reader → (rules, planner) → agenda.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sheetkit.issues import Report
from sheetkit.planner import Plan, due_actions
from sheetkit.reader import Campaign
from sheetkit.validate import check


def plan(campaign: Campaign, today: dt.date, report: Report | None = None) -> Plan:
    """Every due action on ``today``; letters for rows with errors are held back.

    ``report`` is the campaign's validation if already at hand; otherwise the
    errors are looked for in the rows with a letter due alone (every error rule
    looks at one row, or at the Profile), a fifth of a cohort.
    """
    due = due_actions(campaign, today)
    if report is None:
        letter_rows = sorted({a.index for a in due.actions if a.letter})
        report = check(replace(campaign, contacts=campaign.contacts.take(letter_rows)), today, errors_only=True)
    return due.hold_back(report)
