"""The report's charts, drawn by matplotlib as SVG text to inline in the page.

SVG keeps the page self-contained (no script, no network) and prints sharp at
any size; ``svg.fonttype: none`` writes labels as text, so the page stays
small, searchable and readable by a screen reader. matplotlib is imported here
only, and only by ``sheetkit report``: the other commands never pay for it.
The charts are drawn on a bare :class:`~matplotlib.figure.Figure` (no pyplot,
no GUI backend), and an id salt makes the SVG the same bytes on every run.
"""

from __future__ import annotations

import functools
import io
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# The colours of the page's stylesheet, so charts and tables read as one.
INK = "#1f2933"
MUTED = "#9aa5b1"
SERIES = ("#2f6fb3", "#e3a33b", "#3a9d6a", "#b5495b")
GOAL = "#b5495b"
WIDTH_IN = 7.2  # fits an A4 or Letter page's text width when printed

# What a standalone SVG file carries that an SVG inside an HTML page does not need: the XML
# declaration, the DOCTYPE and metadata (both name URLs) and the namespace declarations.
_STANDALONE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<metadata>.*?</metadata>|\s+xmlns(?::\w+)?=\"[^\"]*\"",
                         flags=re.S)


# Fixed margins, in inches, instead of matplotlib's constrained layout, which measures every label
# again and again: a third of the drawing time. Status names and fields are cut to fit (see _tick).
LABELS_IN = 1.45
BOTTOM_IN = 0.45


def preload() -> threading.Thread:
    """Start importing matplotlib on a thread, while the workbook is read; join it before drawing.

    The import takes half a second of mostly Python work, and reading a large
    workbook leaves a CPU idle while calamine parses (it releases the GIL).
    """
    thread = threading.Thread(target=_import, name="sheetkit-import-matplotlib", daemon=True)
    thread.start()
    return thread


def _import() -> None:
    import matplotlib.backends.backend_svg
    import matplotlib.figure  # noqa: F401


def _figure(height: float, *, left: float = LABELS_IN, bottom: float = BOTTOM_IN, top: float = 0.1) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, height))
    figure.subplots_adjust(left=left / WIDTH_IN, right=1 - 0.3 / WIDTH_IN, bottom=bottom / height,
                           top=1 - top / height)
    return figure


def _styled(draw: Callable[P, R]) -> Callable[P, R]:
    """Run ``draw`` in the charts' style, leaving matplotlib's settings as they were.

    sheetkit is a library too: a report written from a notebook must not
    change the fonts and axes of the user's own charts drawn afterwards.
    """

    @functools.wraps(draw)
    def styled(*args: P.args, **kwargs: P.kwargs) -> R:
        import matplotlib

        with matplotlib.rc_context():  # restores every setting on the way out
            matplotlib.rcParams.update({
                "svg.fonttype": "none",
                "svg.hashsalt": "sheetkit",
                "font.family": "sans-serif",
                "font.size": 9,
                "axes.edgecolor": MUTED,
                "axes.labelcolor": INK,
                "xtick.color": INK,
                "ytick.color": INK,
                "axes.spines.top": False,
                "axes.spines.right": False,
            })
            return draw(*args, **kwargs)

    return styled


@_styled
def _svg(figure: Any, label: str) -> str:
    """The figure as inline SVG, announced to screen readers by ``label`` (the table beside it has the numbers)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    svg = _STANDALONE.sub("", buffer.getvalue()).strip()
    attributes = f' role="img" aria-label="{_attribute(label)}"'
    return svg.replace("<svg", "<svg" + attributes, 1)


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _tick(text: str, width_pt: float = (LABELS_IN - 0.15) * 72) -> str:
    """A label cut to the width the axis leaves it, measured in the font drawn (a count of letters is not:
    "WWWW" is twice "iiii"); matplotlib would read ``$…$`` as mathematics, so it is escaped."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    font = FontProperties(family="sans-serif", size=9)

    def width(t: str) -> float:
        return float(text_to_path.get_text_width_height_descent(t, font, ismath=False)[0])

    short = text
    if width(short) > width_pt:
        # A first cut in proportion, then a letter at a time: a label is measured a handful of times.
        short = text[: max(1, int(len(text) * width_pt / width(text)))]
        while len(short) > 1 and width(short + "…") > width_pt:
            short = short[:-1]
        short = short.rstrip() + "…"
    return short.replace("$", r"\$")


def bars(labels: Sequence[str], values: Sequence[int], label: str) -> str:
    """Horizontal bars, one per label (the pipeline: contacts per status)."""
    return _svg(bars_figure(labels, values), label)


@_styled
def bars_figure(labels: Sequence[str], values: Sequence[int]) -> Any:
    """The figure :func:`bars` draws; its axis starts at 0 even before there is anything to count."""
    figure = _figure(0.22 * len(labels) + 0.6)
    ax = figure.add_subplot()
    positions = range(len(labels))
    ax.barh(positions, values, color=SERIES[0])
    ax.set_yticks(list(positions), [_tick(t) for t in labels])
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)
    for y, value in zip(positions, values, strict=True):
        ax.annotate(str(value), (value, y), xytext=(3, 0), textcoords="offset points", va="center", color=INK)
    if not any(values):  # a new workbook: matplotlib would centre the axis on 0, from -0.04 to 0.04
        ax.set_xlim(0, 1)
    return figure


def goal_bars(labels: Sequence[str], values: Sequence[int], goals: Sequence[int], label: str) -> str:
    """Horizontal bars against a goal mark each (interviews per field)."""
    return _svg(goal_figure(labels, values, goals), label)


@_styled
def goal_figure(labels: Sequence[str], values: Sequence[int], goals: Sequence[int]) -> Any:
    """The figure :func:`goal_bars` draws."""
    figure = _figure(0.35 * len(labels) + 0.9, bottom=0.6)
    ax = figure.add_subplot()
    positions = list(range(len(labels)))
    colours = [SERIES[2] if v >= g else SERIES[1] for v, g in zip(values, goals, strict=True)]
    ax.barh(positions, values, color=colours)
    ax.scatter(goals, positions, marker="|", s=300, color=GOAL, label="goal", zorder=3)
    ax.set_yticks(positions, [_tick(t) for t in labels])
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("interviews held; the red mark is the goal")
    return figure


def weekly(weeks: Sequence[str], series: dict[str, Sequence[int]], label: str) -> str:
    """Stacked bars per week, one colour per series (requests, follow-ups, interviews, thank-yous)."""
    return _svg(weekly_figure(weeks, series), label)


@_styled
def weekly_figure(weeks: Sequence[str], series: dict[str, Sequence[int]]) -> Any:
    """The figure :func:`weekly` draws; its legend sits above the bars, where no bar can reach."""
    figure = _figure(3.1, left=0.4, bottom=0.85, top=0.4)
    ax = figure.add_subplot()
    positions = list(range(len(weeks)))
    bottom = [0] * len(weeks)
    for colour, (name, values) in zip(SERIES, series.items(), strict=False):
        ax.bar(positions, values, bottom=bottom, color=colour, label=name, width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    step = max(1, len(weeks) // 12)
    ax.set_xticks(positions[::step], [weeks[i] for i in positions[::step]], rotation=45, ha="right")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), borderaxespad=0.2, frameon=False, ncols=len(series))
    return figure
