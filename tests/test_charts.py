"""The report's charts: inline SVG with text labels, escaped, reaching nothing outside the page, the same every run."""

from __future__ import annotations

from typing import Any

import lxml.html

from sheetkit import charts


def parse(svg: str) -> lxml.html.HtmlElement:
    """The SVG as the page's HTML parser reads it (inline SVG in HTML declares no namespaces)."""
    return lxml.html.fragment_fromstring(svg)


def test_bars_are_inline_svg_with_text_labels_and_a_label_for_screen_readers() -> None:
    """Labels are text (searchable, printable), the figure is announced, and nothing names a URL."""
    svg = charts.bars(["Prospect", "Requested"], [2, 7], "Contacts per status")
    root = parse(svg)
    assert root.tag == "svg" and root.get("role") == "img" and root.get("aria-label") == "Contacts per status"
    texts = [t.text for t in root.iter("text")]
    assert "Prospect" in texts and "Requested" in texts and "7" in texts
    assert "http" not in svg and "<!DOCTYPE" not in svg and "<?xml" not in svg


def test_user_text_is_escaped_and_not_read_as_mathematics() -> None:
    """A field named with markup or dollar signs is drawn as the very text typed."""
    typed = '<b>$5 & up</b>'
    svg = charts.goal_bars([typed], [1], [3], 'Per field "goal"')
    root = parse(svg)
    assert typed in [t.text for t in root.iter("text")]
    assert root.get("aria-label") == 'Per field "goal"' and root.find(".//b") is None


def test_weekly_chart_is_the_same_bytes_on_every_run() -> None:
    """Ids are salted and undated, so a re-run writes the same page."""
    series = {"requests": [1, 0, 3], "interviews": [0, 2, 1]}
    first = charts.weekly(["2026-W46", "2026-W47", "2026-W48"], series, "Weekly")
    assert first == charts.weekly(["2026-W46", "2026-W47", "2026-W48"], series, "Weekly")
    assert "2026-W47" in [t.text for t in parse(first).iter("text")]


def drawn(figure: Any) -> Any:
    """A chart's figure laid out by matplotlib's Agg renderer, so that every artist has its extent."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure).draw()
    return figure.canvas.get_renderer()


def test_long_field_names_are_cut_to_fit_not_clipped_by_the_page() -> None:
    """A long or wide field name is cut with … inside the figure, never drawn past its left edge."""
    figure = charts.goal_figure(["Instructional Design Leadership", "W" * 26, "UX"], [1, 0, 3], [3, 3, 3])
    renderer = drawn(figure)
    ticks = figure.axes[0].get_yticklabels()
    assert [t.get_text().endswith("…") for t in ticks] == [True, True, False]
    assert all(t.get_window_extent(renderer).x0 >= 0 for t in ticks)


def test_the_weekly_legend_never_covers_a_bar() -> None:
    """Even when the tallest week reaches the top of the axes, the legend sits clear of every bar."""
    figure = charts.weekly_figure(["2026-W45", "2026-W46", "2026-W47"],
                                  {"requests": [1, 0, 1], "follow-ups": [0, 0, 0], "interviews": [0, 0, 1],
                                   "thank-yous": [0, 0, 1]})
    renderer = drawn(figure)
    ax = figure.axes[0]
    legend = ax.get_legend().get_window_extent(renderer)
    bars = [patch.get_window_extent(renderer) for patch in ax.patches if patch.get_height() > 0]
    assert bars and not any(legend.overlaps(bar) for bar in bars)
    assert legend.y1 <= figure.bbox.y1


def test_an_empty_pipeline_has_an_axis_from_zero() -> None:
    """A new workbook's pipeline (every count 0) is drawn from 0 up, with no negative ticks."""
    figure = charts.bars_figure(["Prospect", "Requested"], [0, 0])
    drawn(figure)
    ax = figure.axes[0]
    assert ax.get_xlim() == (0, 1)
    assert all(not t.get_text().startswith(("−", "-")) for t in ax.get_xticklabels())


def test_drawing_leaves_matplotlibs_settings_as_they_were() -> None:
    """A report drawn from a notebook does not restyle the user's own charts afterwards."""
    import matplotlib

    before = dict(matplotlib.rcParams)
    charts.bars(["Prospect"], [1], "Pipeline")
    charts.weekly_figure(["2026-W47"], {"requests": [1]})
    changed = {k for k, v in matplotlib.rcParams.items() if before[k] != v}
    assert changed == set()
