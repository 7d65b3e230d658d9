"""The report's charts: inline SVG with text labels, escaped, reaching nothing outside the page, the same every run."""

from __future__ import annotations

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
