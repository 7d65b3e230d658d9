"""The render watchdog: a render past its limit is stopped, only that render, and nothing outside a render ever is."""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from sheetkit import watchdog
from sheetkit.render import RenderError, Templates

FOREVER = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def template(folder: Path, body: str) -> Path:
    """An outreach.j2 with ``body`` on its third line, in a folder of its own."""
    folder.mkdir(exist_ok=True)
    (folder / "outreach.j2").write_text(f"Subject: x\n\n{body}\n", encoding="utf-8")
    return folder


@pytest.mark.usefixtures("bounded")
def test_only_the_thread_that_overran_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One thread loops for ever while another renders letter after letter: only the looping one fails."""
    monkeypatch.setattr(watchdog, "RENDER_SECONDS", 0.5)
    looping = Templates(template(tmp_path / "looping", FOREVER))
    quick = Templates(template(tmp_path / "quick", "{% for i in range(2000) %}{% endfor %}Dear {{ name }},"))
    stopped: list[RenderError] = []

    def loop() -> None:
        try:
            looping.render_letter("outreach", {})
        except RenderError as exc:
            stopped.append(exc)

    thread = threading.Thread(target=loop, daemon=True)  # should the limit fail, the test does, not the run
    thread.start()
    rendered = 0
    while thread.is_alive():
        assert quick.render_letter("outreach", {"name": "Ann"}).body == "Dear Ann,\n"
        rendered += 1
    thread.join()
    assert [e.lineno for e in stopped] == [3] and "took longer than" in stopped[0].message
    assert rendered > 10


def test_no_overrun_lands_outside_a_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           request: pytest.FixtureRequest) -> None:
    """With a limit about as long as a render, many end just as they are stopped: none leaks an Overrun.

    Each render either returns its text or fails as a RenderError; the code
    around them, which the watchdog must never interrupt, runs undisturbed.
    """
    folder = template(tmp_path, "{% for i in range(3000) %}{{ i }}{% endfor %}")
    templates = Templates(folder)
    took = []
    for _ in range(21):
        start = time.perf_counter()
        templates.render_letter("outreach", {})
        took.append(time.perf_counter() - start)
    limit = sorted(took)[10]
    monkeypatch.setattr(watchdog, "TICK_SECONDS", 0.0001)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(0.00005)  # so the watchdog gets to look while a render runs
    request.addfinalizer(lambda: sys.setswitchinterval(switch))
    outcomes: Counter[str] = Counter()
    for _ in range(400):
        # The limit follows the renders, however busy the machine: many end a moment before or after it.
        monkeypatch.setattr(watchdog, "RENDER_SECONDS", limit)
        templates = Templates(folder)  # a fresh one: a template that overran is not rendered again
        try:
            templates.render_letter("outreach", {})
            outcomes["rendered"] += 1
            limit *= 0.9
        except RenderError:
            outcomes["stopped"] += 1
            limit *= 1.1
        for _ in range(20):  # outside any render: an Overrun landing here would fail the test
            sum(range(200))
    settle = time.monotonic() + 0.2
    while time.monotonic() < settle:
        sum(range(200))
    assert outcomes["rendered"] >= 50 and outcomes["stopped"] >= 50, outcomes
