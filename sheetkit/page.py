"""``sheetkit report``: one self-contained HTML page, for one workbook or for a coach's folder of them.

The page reaches nothing outside itself: styles and charts (SVG) are inline,
there is no script, and a Content-Security-Policy tells the browser so. The
numbers come from the same reader and planner as ``status`` (see
:mod:`sheetkit.insights` and :mod:`sheetkit.cohort`), and the page carries
them as JSON too, the same as :meth:`ReportResult.to_dict`, for programs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from sheetkit import schema
from sheetkit.errors import UsageError
from sheetkit.files import atomic_write_text, output_file
from sheetkit.render import longdate, shortdate

if TYPE_CHECKING:
    from sheetkit.cohort import Cohort
    from sheetkit.insights import Insights

PAGE_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Limits:
    """How many of each list a page shows; the rest is counted ("… and 26,313 more").

    A person's campaign never reaches them. A page of a 100,000-row workbook
    would otherwise weigh 45 MB, more than a browser shows or a person reads.
    """

    agenda: int = 500
    referrals: int = 1000
    takeaways: int = 300
    answers: int = 100  # per theme


LIMITS = Limits()


def _days(value: float | None) -> str:
    """A median number of days as the page shows it."""
    if value is None:
        return "—"
    return f"{value:g}"


def environment() -> jinja2.Environment:
    """The one Jinja environment for pages: HTML autoescaped, so every value from a cell is text, never markup."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sheetkit", "page_templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )
    env.filters.update(longdate=longdate, shortdate=shortdate, days=_days, counted=counted)
    return env


def counted(n: int, noun: str) -> str:
    """``1 student``, ``4 students``: the count with its noun in the right number (nouns taking an ``s``)."""
    return f"{n} {noun}{'s' * (n != 1)}"


@dataclass
class ReportResult:
    """What ``report`` wrote: the page and the data shown on it (``insights`` or ``cohort``)."""

    out: Path
    data: Insights | Cohort

    @property
    def is_cohort(self) -> bool:
        from sheetkit.cohort import Cohort

        return isinstance(self.data, Cohort)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "cohort" if self.is_cohort else "workbook", "out": str(self.out), **self.data.to_dict()}


def write_report(path: str | Path, out: str | Path, today: dt.date,
                 progress: Callable[[int, int], None] | None = None) -> ReportResult:
    """Write the report page of a workbook, or the cohort page of a folder of workbooks, to ``out``.

    ``progress(done, total)`` is called as a folder's workbooks are read.
    """
    source, target = Path(path), output_file(Path(out), PAGE_SUFFIXES, "report.html")
    if source.is_dir():
        from sheetkit.cohort import read_cohort

        cohort = read_cohort(source, today, progress)
        result = ReportResult(target, cohort)
        html = render_cohort(result)
    else:
        from sheetkit.agenda import plan
        from sheetkit.insights import insights
        from sheetkit.reader import read_workbook

        if target.resolve() == source.resolve():
            raise UsageError("--out is the workbook itself", "give a new file name ending in .html", target)
        from sheetkit.charts import preload

        charting = preload()
        campaign = read_workbook(source)
        result = ReportResult(target, insights(campaign, plan(campaign, today)))
        charting.join()
        html = render_workbook(result, source.name)
    atomic_write_text(target, html)
    return result


def render_workbook(result: ReportResult, source: str) -> str:
    """The page of one campaign."""
    from sheetkit import charts
    from sheetkit.insights import ACTIVITY, Insights

    r = result.data
    assert isinstance(r, Insights)
    p = r.plan
    drawn = {
        "pipeline": charts.bars(list(p.counts), list(p.counts.values()), "Contacts per status (table below)"),
        "fields": charts.goal_bars([f.field for f in p.fields], [f.interviews for f in p.fields],
                                   [f.goal for f in p.fields], "Interviews per field against the goal (table below)"),
        "weekly": charts.weekly(
            [w.label for w in r.weeks],
            {name.replace("_", "-"): [getattr(w, name) for w in r.weeks] for _, name in ACTIVITY},
            "Requests, follow-ups, interviews and thank-yous per week (table below)",
        ) if r.weeks else "",
    }
    # Markup: matplotlib's SVG, in which it escaped every label it drew (a Field is the user's text).
    return _render("report.html.j2", result, r=r, source=source, limits=LIMITS,
                   charts={k: Markup(v) for k, v in drawn.items()})


def render_cohort(result: ReportResult) -> str:
    """The coach's page of a cohort."""
    return _render("cohort.html.j2", result, c=result.data, statuses=[str(s) for s in schema.Status])


def _render(template: str, result: ReportResult, **context: Any) -> str:
    from sheetkit import __version__

    # Where the page was written is not part of it: the same workbook and day give the same bytes anywhere.
    # A campaign's page carries its numbers; its words (digest, tree) are on the page itself.
    from sheetkit.insights import Insights

    if isinstance(result.data, Insights):
        data = {"kind": "workbook", **result.data.numbers()}
    else:
        data = {k: v for k, v in result.to_dict().items() if k != "out"}
    return environment().get_template(template).render(data=data, version=__version__, **context)
