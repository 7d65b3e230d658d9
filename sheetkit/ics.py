"""``sheetkit calendar``: the interviews and the due actions as an iCalendar (RFC 5545) file.

Built with the ``icalendar`` library. Every event's UID is derived from who and
what it is about, never from the workbook's row or file, so importing a newer
file updates the events already in a calendar instead of adding copies; and a
run on the same day gives the same bytes (DTSTAMP is the day planned for).

Interviews on or after today are events: 30 minutes at the time the cell
holds, in the Profile's ``Time Zone`` (without one, a floating time: the
calendar places it in its own zone, the computer's), or all day when the cell
holds a date alone. Each due action is an all-day event: on its day when it
falls due within the next weeks, on today when it is overdue, since a task
left in the past of a calendar is never seen again.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sheetkit import kinds, schema
from sheetkit.files import atomic_write_bytes, output_file
from sheetkit.mail import make_message_id
from sheetkit.person_names import person_key
from sheetkit.planner import Action, Plan
from sheetkit.reader import Campaign
from sheetkit.values import Invalid, full_name

S = schema

INTERVIEW_MINUTES = 30
# Actions falling due this far ahead are in the calendar too: a follow-up a week after a request,
# a thank-you on the day of an interview. The planner is asked about that day, by its own rules.
AHEAD = dt.timedelta(weeks=8)
CALENDAR_SUFFIX = ".ics"
UID_DOMAIN = "sheetkit"


@dataclass(frozen=True, slots=True)
class Event:
    """One event written: its UID, what it says, and when (a date, or a date-time for a timed interview)."""

    uid: str
    kind: str
    summary: str
    start: dt.date

    def to_dict(self) -> dict[str, Any]:
        return {"uid": self.uid, "kind": self.kind, "summary": self.summary, "start": self.start.isoformat()}


@dataclass
class CalendarResult:
    """What ``calendar`` wrote: the file and its events, interviews first."""

    out: Path
    today: dt.date
    time_zone: str | None
    events: list[Event] = field(default_factory=list)
    # What the Profile's Time Zone holds when it names no zone: the times then float, and the user is told.
    unknown_time_zone: str | None = None

    @property
    def interviews(self) -> int:
        return sum(1 for e in self.events if e.kind == "interview")

    def to_dict(self) -> dict[str, Any]:
        return {"out": str(self.out), "today": self.today.isoformat(), "time_zone": self.time_zone,
                "unknown_time_zone": self.unknown_time_zone, "events": [e.to_dict() for e in self.events]}


def write_calendar(path: str | Path, out: str | Path, today: dt.date) -> CalendarResult:
    """Write the calendar of the workbook at ``path`` to ``out`` (an ``.ics`` file), as of ``today``."""
    from sheetkit.agenda import plan
    from sheetkit.reader import read_workbook

    target = output_file(Path(out), (CALENDAR_SUFFIX,), "interviews.ics")
    campaign = read_workbook(path)
    ahead = _due_ahead(campaign, today)
    calendar, result = build_calendar(campaign, plan(campaign, today), ahead, target)
    atomic_write_bytes(target, calendar.to_ical())
    return result


def _due_ahead(campaign: Campaign, today: dt.date) -> list[Action]:
    """The actions that fall due after today and within :data:`AHEAD`, by the planner's rules."""
    from sheetkit.planner import due_actions

    horizon = today + AHEAD
    # On the horizon day the planner also lists what is due "today" there (questions to prepare): not a date.
    return [a for a in due_actions(campaign, horizon).actions if today < a.due < horizon]


def build_calendar(campaign: Campaign, day: Plan, ahead: list[Action], out: Path) -> tuple[Any, CalendarResult]:
    """The icalendar ``Calendar`` of a campaign, and what it holds."""
    import icalendar

    from sheetkit import __version__

    given = campaign.profile.get(S.TIME_ZONE)
    zone_name = given if isinstance(given, str) else None
    owner = campaign.profile.get(S.YOUR_NAME)
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//sheetkit//sheetkit {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # An X- property is written as given unless typed: as TEXT, a line break in Your Name is escaped,
    # not a broken file (icalendar refuses to write one).
    cal.add("x-wr-calname",
            icalendar.vText(f"Informational interviews{f' — {owner}' if isinstance(owner, str) else ''}"))
    if zone_name:
        cal.add("x-wr-timezone", zone_name)
    stamp = dt.datetime.combine(day.today, dt.time(), tzinfo=dt.UTC)
    result = CalendarResult(out, day.today, zone_name,
                            unknown_time_zone=str(given) if isinstance(given, Invalid) else None)
    names = _names(campaign)
    for component, written in _interviews(campaign, day.today, zone_name, stamp, names):
        cal.add_component(component)
        result.events.append(written)
    for action in [*sorted([*day.actions, *day.held], key=lambda a: (a.due, a.row)), *ahead]:
        component, written = _action(action, campaign, day.today, stamp, names)
        cal.add_component(component)
        result.events.append(written)
    if zone_name:
        cal.add_missing_timezones()
    return cal, result


def _who(campaign: Campaign, i: int, name: str, names: Counter[str]) -> tuple[str, ...]:
    """Who an event is about, for its UID: the name, and also company and email when another contact shares it.

    Only then, so that a UID stays the same when a company or email is filled in later; two events with one
    UID would be one event to a calendar, and an interview would be lost.
    """
    key = person_key(name)
    if names[key] < 2:
        return (key,)
    data = campaign.contacts.data
    return (key, *(str(data[c.name][i] or "").casefold() for c in (S.COMPANY, S.EMAIL)))


def _names(campaign: Campaign) -> Counter[str]:
    """How many contacts go by each name, as :func:`person_key` folds it."""
    data = campaign.contacts.data
    return Counter(person_key(full_name(first, data[S.LAST_NAME.name][i]))
                   for i, first in enumerate(data[S.FIRST_NAME.name]) if first)


def uid(*parts: str) -> str:
    """A UID from what the event is about: the same person and kind give the same UID on every run."""
    return make_message_id(*parts, domain=UID_DOMAIN).strip("<>")


def _interviews(campaign: Campaign, today: dt.date, zone_name: str | None,
                stamp: dt.datetime, names: Counter[str]) -> list[tuple[Any, Event]]:
    import icalendar

    data = campaign.contacts.data
    times = campaign.contacts.times.get(S.INTERVIEW_DATE.name, {})
    zone: dt.tzinfo | None = None
    if zone_name:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(zone_name)
    events = []
    for i, when in enumerate(data[S.INTERVIEW_DATE.name]):
        first = data[S.FIRST_NAME.name][i]
        if not first or not isinstance(when, dt.date) or when < today:
            continue
        name = full_name(first, data[S.LAST_NAME.name][i])
        company = data[S.COMPANY.name][i]
        summary = f"Informational interview: {name}" + (f" ({company})" if company else "")
        event = icalendar.Event()
        # One upcoming interview per person: moving it to another day updates the same event.
        event_uid = uid("interview", *_who(campaign, i, name, names))
        event.add("uid", event_uid)
        event.add("dtstamp", stamp)
        event.add("summary", summary)
        start: dt.date
        clock = times.get(i)
        if clock is not None:
            start = dt.datetime.combine(when, clock, tzinfo=zone)
            event.add("dtstart", start)
            event.add("dtend", start + dt.timedelta(minutes=INTERVIEW_MINUTES))
        else:
            start = when
            event.add("dtstart", when)
            event.add("dtend", when + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")  # a whole day marked for it, not a whole day busy
        event.add("description", _interview_notes(campaign, i, name))
        event.add_component(_alarm(f"Tomorrow: informational interview with {name}", dt.timedelta(days=-1)))
        events.append((event, Event(event_uid, "interview", summary, start)))
    return events


def _contact_lines(campaign: Campaign, i: int, name: str) -> list[str]:
    data = campaign.contacts.data
    role = ", ".join(str(v) for v in (data[S.TITLE.name][i], data[S.COMPANY.name][i]) if isinstance(v, str))
    lines = [f"Contact: {name}" + (f", {role}" if role else "")]
    for column in (S.EMAIL, S.PHONE, S.LINKEDIN, S.INTERVIEW_FORMAT):
        value = data[column.name][i]
        if isinstance(value, str):
            lines.append(f"{column.name}: {value}")
    return lines


def _interview_notes(campaign: Campaign, i: int, name: str) -> str:
    """The contact, the questions prepared for them and the elevator pitch: what to have at hand."""
    lines = _contact_lines(campaign, i, name)
    q = campaign.questions.data
    asked = [q[S.Q_QUESTION.name][j] for j in campaign.questions_by_contact.get(person_key(name), [])]
    lines += ["", "Prepared questions:"] + ([f"- {text}" for text in asked] or ["- none yet: prepare 4 to 6"])
    pitch = campaign.profile.get(S.ELEVATOR_PITCH)
    if isinstance(pitch, str):
        lines += ["", "Your elevator pitch:", pitch]
    return "\n".join(lines)


def _action(action: Action, campaign: Campaign, today: dt.date, stamp: dt.datetime,
            names: Counter[str]) -> tuple[Any, Event]:
    import icalendar

    on = max(action.due, today)
    late = f" (overdue since {action.due.day} {action.due:%B})" if action.due < today else ""
    hint = action.kind.hint
    summary = f"{hint[:1].upper()}{hint[1:]}: {action.contact}{late}"
    event = icalendar.Event()
    # The due date is part of what the action is: a keep-in-touch note comes round every few months.
    # An add-referral is about someone not yet a contact, named on the referrer's row.
    who = (person_key(action.contact),) if action.kind is kinds.ADD_REFERRAL else _who(
        campaign, action.index, action.contact, names)
    event_uid = uid("action", action.kind.name, *who, action.due.isoformat())
    event.add("uid", event_uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", on)
    event.add("dtend", on + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    lines = [f"{action.kind.what}{late}"] + ([action.note] if action.note else [])
    if action.kind is not kinds.ADD_REFERRAL:  # the row is the referrer's, not the person's to add
        lines += ["", *_contact_lines(campaign, action.index, action.contact)]
    event.add("description", "\n".join(lines))
    event.add_component(_alarm(summary, dt.timedelta(hours=9)))  # 09:00 on the day, as drafts are dated
    return event, Event(event_uid, action.kind.name, summary, on)


def _alarm(text: str, before: dt.timedelta) -> Any:
    import icalendar

    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", before)
    return alarm
