"""What a campaign shows over time: a pure function from a campaign and its plan to :class:`Insights`.

The counts, the fields against the goal, the answer rate and the agenda are
the :class:`~sheetkit.planner.Plan`'s own, the one ``status`` prints: the
report page shows them as they are and adds what only time shows (activity
per week, how long replies and thank-yous take), who suggested whom, and what
was learned, grouped by theme. Nothing here reads a file or a clock.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sheetkit import schema
from sheetkit.person_names import person_key
from sheetkit.planner import Plan
from sheetkit.reader import Campaign
from sheetkit.values import full_name, split_names

S = schema

# The columns that record something done, each with the name of its series on the page.
ACTIVITY: tuple[tuple[schema.Column, str], ...] = (
    (S.REQUEST_SENT, "requests"),
    (S.FOLLOWED_UP, "follow_ups"),
    (S.INTERVIEW_DATE, "interviews"),
    (S.THANK_YOU_SENT, "thank_yous"),
)
# A date typed a decade out (2016 for 2026) would stretch the chart over hundreds of empty weeks.
WEEKS_SHOWN = 104
NO_THEME = "No theme"


@dataclass(frozen=True, slots=True)
class Week:
    """What was done in one ISO week (Monday ``start``)."""

    start: dt.date
    requests: int = 0
    follow_ups: int = 0
    interviews: int = 0
    thank_yous: int = 0

    @property
    def label(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    def to_dict(self) -> dict[str, Any]:
        return {"week": self.label, "start": self.start.isoformat(), "requests": self.requests,
                "follow_ups": self.follow_ups, "interviews": self.interviews, "thank_yous": self.thank_yous}


@dataclass(frozen=True, slots=True)
class Referral:
    """One person in the referral tree, at ``depth`` below the person who suggested them.

    ``row`` is their Contacts row, None for someone suggested who is not a
    contact yet (or a referrer who never was one).
    """

    name: str
    depth: int
    row: int | None
    status: str | None
    suggested_by: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "depth": self.depth, "row": self.row, "status": self.status,
                "suggested_by": self.suggested_by}


@dataclass(frozen=True, slots=True)
class Learning:
    """Something heard: a Key Takeaway, or an answer to a prepared question, with who said it."""

    text: str
    who: str
    question: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "who": self.who, "question": self.question}


@dataclass(frozen=True, slots=True)
class Theme:
    """The answers heard on one theme of the Questions sheet."""

    theme: str
    answers: tuple[Learning, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"theme": self.theme, "answers": [a.to_dict() for a in self.answers]}


@dataclass(frozen=True)
class Insights:
    """One campaign as the report page shows it; ``plan`` is the one ``status`` shows."""

    owner: str | None
    plan: Plan
    weeks: list[Week]
    days_to_interview: float | None
    days_to_thanks: float | None
    referrals: list[Referral]
    takeaways: list[Learning]
    themes: list[Theme]

    @property
    def answer_rate(self) -> float | None:
        """The share of requests answered, as ``status`` counts them; None before any request."""
        return self.plan.answered / self.plan.asked if self.plan.asked else None

    def numbers(self) -> dict[str, Any]:
        """The figures alone: what the page's charts and tables show, without the words."""
        return {
            "owner": self.owner,
            "status": self.plan.to_dict(),
            "held": len(self.plan.held),
            "asked": self.plan.asked,
            "answered": self.plan.answered,
            "answer_rate": self.answer_rate,
            "weeks": [w.to_dict() for w in self.weeks],
            "median_days": {"request_to_interview": self.days_to_interview,
                            "interview_to_thank_you": self.days_to_thanks},
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.numbers(),
            "referrals": [r.to_dict() for r in self.referrals],
            "takeaways": [t.to_dict() for t in self.takeaways],
            "themes": [t.to_dict() for t in self.themes],
        }


def insights(campaign: Campaign, plan: Plan) -> Insights:
    """The report of one campaign, around the ``plan`` that ``status`` shows for the same day."""
    owner = campaign.profile.get(S.YOUR_NAME)
    return Insights(
        owner=owner if isinstance(owner, str) else None,
        plan=plan,
        weeks=weekly(campaign, plan.today),
        days_to_interview=_median_days(campaign, S.REQUEST_SENT, S.INTERVIEW_DATE, plan.today),
        days_to_thanks=_median_days(campaign, S.INTERVIEW_DATE, S.THANK_YOU_SENT, plan.today),
        referrals=referral_tree(campaign),
        takeaways=_takeaways(campaign),
        themes=_themes(campaign),
    )


def _people(campaign: Campaign) -> list[int]:
    """The positions of the rows that are people (a First Name), as the planner counts them."""
    return [i for i, first in enumerate(campaign.contacts.data[S.FIRST_NAME.name]) if first]


def _done(value: Any, today: dt.date) -> dt.date | None:
    """A date on which something happened: a real date, not after today (a planned interview is not yet done)."""
    return value if isinstance(value, dt.date) and value <= today else None


def activity(campaign: Campaign, today: dt.date) -> dict[str, Counter[dt.date]]:
    """Every dated thing done, counted per day by series: requests, follow-ups, interviews held, thank-yous."""
    data = campaign.contacts.data
    people = _people(campaign)
    out: dict[str, Counter[dt.date]] = {}
    for column, series in ACTIVITY:
        values = data[column.name]
        # A cohort has a few hundred distinct days over 100,000 rows: count the days, then judge each day once.
        days = Counter(values[i] for i in people if values[i].__class__ is dt.date)
        out[series] = Counter({d: n for d, n in days.items() if d <= today})
    return out


def last_activity(campaign: Campaign, today: dt.date) -> dt.date | None:
    """The last day anything was done, Last Contact included; None when nothing has been yet."""
    values = campaign.contacts.data[S.LAST_CONTACT.name]
    dates = [d for i in _people(campaign) if (d := _done(values[i], today)) is not None]
    dates += [max(days) for days in activity(campaign, today).values() if days]
    return max(dates, default=None)


def weekly(campaign: Campaign, today: dt.date) -> list[Week]:
    """Activity per ISO week, every week from the first with activity to today's, empty ones included."""
    tally: dict[dt.date, Counter[str]] = {}
    for series, days in activity(campaign, today).items():
        for when, n in days.items():
            monday = when - dt.timedelta(days=when.weekday())
            tally.setdefault(monday, Counter())[series] += n
    if not tally:
        return []
    this_week = today - dt.timedelta(days=today.weekday())
    first = max(min(tally), this_week - dt.timedelta(weeks=WEEKS_SHOWN - 1))
    weeks = []
    monday = first
    while monday <= this_week:
        counts = tally.get(monday, Counter())
        weeks.append(Week(monday, **{series: counts[series] for _, series in ACTIVITY}))
        monday += dt.timedelta(weeks=1)
    return weeks


def _median_days(campaign: Campaign, start: schema.Column, end: schema.Column, today: dt.date) -> float | None:
    """The median days from ``start`` to ``end`` over the rows where both happened, in that order."""
    data = campaign.contacts.data
    begins, ends = data[start.name], data[end.name]
    spans = [
        (b - a).days for i in _people(campaign)
        if (a := _done(begins[i], today)) is not None and (b := _done(ends[i], today)) is not None and b >= a
    ]
    return float(statistics.median(spans)) if spans else None


def _name(campaign: Campaign, i: int) -> str:
    data = campaign.contacts.data
    return full_name(data[S.FIRST_NAME.name][i], data[S.LAST_NAME.name][i])


def referral_tree(campaign: Campaign) -> list[Referral]:
    """Who suggested whom, as the lines of a tree (depth first), from `Referred By` and `Referrals Given`.

    Names are matched forgivingly (titles, case, accents, "Surname, First"),
    as everywhere a name typed by hand finds its contact. Only people in
    a referral appear; someone suggested who is not a contact yet is a leaf
    without a row. A loop (A suggested B, B suggested A) is broken where it
    would come round again.
    """
    data = campaign.contacts.data
    people = list(_people(campaign))
    rows = campaign.contacts.rows
    statuses = data[S.STATUS.name]
    firsts, lasts = data[S.FIRST_NAME.name], data[S.LAST_NAME.name]
    names = {i: full_name(firsts[i], lasts[i]) for i in people}
    by_key = campaign.contact_index  # the key the planner and validate find a typed name's contact by
    # A node is a contact's position, or the name of someone who is not a contact.
    Node = int | str
    parent: dict[Node, Node] = {}
    children: dict[Node, list[Node]] = {}

    def node(name: str) -> Node:
        return by_key.get(person_key(name), " ".join(name.split()))

    def link(up: Node, down: Node) -> None:
        if down in parent or up == down:
            return  # the first statement of who suggested someone is the one kept
        parent[down] = up
        children.setdefault(up, []).append(down)

    for i in people:
        referrer = data[S.REFERRED_BY.name][i]
        if isinstance(referrer, str) and referrer.strip():
            link(node(referrer), i)
        for given in split_names(data[S.REFERRALS_GIVEN.name][i]):
            link(i, node(given))

    def shown(n: Node) -> str:
        return names[n] if isinstance(n, int) else n

    lines: list[Referral] = []
    seen: set[Node] = set()
    roots = [n for n in children if n not in parent]
    # Whatever is left unseen after the roots sits on a loop: start it where it was first written.
    for start in [*roots, *children]:
        if start in seen:
            continue
        stack: list[tuple[Node, int, Node | None]] = [(start, 0, None)]
        while stack:
            n, depth, up = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            status = statuses[n] if isinstance(n, int) else None
            lines.append(Referral(
                name=shown(n), depth=depth, row=rows[n] if isinstance(n, int) else None,
                status=status if isinstance(status, str) else None,
                suggested_by=shown(up) if up is not None else None,
            ))
            stack.extend((c, depth + 1, n) for c in reversed(children.get(n, [])))
    return lines


def _takeaways(campaign: Campaign) -> list[Learning]:
    values = campaign.contacts.data[S.KEY_TAKEAWAYS.name]
    return [Learning(text, _name(campaign, i)) for i in _people(campaign) if isinstance(text := values[i], str)]


def _themes(campaign: Campaign) -> list[Theme]:
    """The answers heard, grouped by `Theme` in the Questions sheet's order of themes; unthemed last."""
    q = campaign.questions.data
    grouped: dict[str, list[Learning]] = {}
    for who, question, theme, answer in zip(q[S.Q_CONTACT.name], q[S.Q_QUESTION.name], q[S.Q_THEME.name],
                                            q[S.Q_ANSWER.name], strict=True):
        if not answer:
            continue
        key = theme if isinstance(theme, str) else NO_THEME
        grouped.setdefault(key, []).append(Learning(answer, who or "(no contact named)", question))
    order = [str(t) for t in S.Theme] + [NO_THEME]
    return [Theme(t, tuple(grouped[t])) for t in order if t in grouped]
