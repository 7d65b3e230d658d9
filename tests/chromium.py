"""Drive headless Chromium from tests over the DevTools protocol: load a page, watch it, screenshot it.

A small client over a websocket, so the tests use the system's Debian
``chromium`` as it is (no browser download): every network request the page
makes, every console message and every error is recorded while it loads.
Chromium runs with a private profile per call and is always stopped.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TIMEOUT = 60.0
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


class ChromiumError(RuntimeError):
    """Chromium could not be started, or the page did not load in time."""


def chromium() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """Chromium's path; a test that needs it fails without it (CI installs it: see .ci/run)."""
    import pytest

    found = chromium()
    if found is None:
        pytest.fail("Chromium is required but not installed: apt-get install chromium (.ci/run installs it)")
    return found


@dataclass
class Visit:
    """What happened while a page loaded: the requests beyond the page itself, console messages, errors."""

    url: str
    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    screenshot: bytes = b""
    text: str = ""
    pdf: bytes = b""  # the page printed to A4, as "Print to PDF" does


def visit(page: Path, *, width: int = 1000, height: int = 1400) -> Visit:
    """Load ``page`` in headless Chromium, record what it does, take a full-page screenshot and its text."""
    from websockets.sync.client import connect

    exe = require_chromium()
    profile = tempfile.mkdtemp(prefix="sheetkit-chromium-")
    args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--remote-debugging-port=0",
            f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        endpoint = _endpoint(proc)
        url = page.resolve().as_uri()
        found = Visit(url)
        with connect(endpoint, max_size=None, open_timeout=TIMEOUT) as ws:
            client = _Client(ws, found)
            target = client.call("Target.createTarget", url="about:blank")["targetId"]
            session = client.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            for domain in ("Page", "Network", "Runtime", "Log"):
                client.call(f"{domain}.enable", session=session)
            client.call("Page.navigate", session=session, url=url)
            client.wait_for("Page.loadEventFired")
            time.sleep(0.3)  # anything the page would fetch after load
            client.drain()
            metrics = client.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
            shot = client.call("Page.captureScreenshot", session=session, format="png", captureBeyondViewport=True,
                               clip={"x": 0, "y": 0, "width": metrics["width"], "height": metrics["height"],
                                     "scale": 1})
            found.screenshot = base64.b64decode(shot["data"])
            found.text = client.call("Runtime.evaluate", session=session,
                                     expression="document.body.innerText")["result"]["value"]
            printed = client.call("Page.printToPDF", session=session, paperWidth=8.27, paperHeight=11.69,
                                  printBackground=False)
            found.pdf = base64.b64decode(printed["data"])
        return found
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


def _endpoint(proc: subprocess.Popen[str]) -> str:
    """The browser's websocket address, from the line Chromium prints on starting."""
    assert proc.stderr is not None
    os.set_blocking(proc.stderr.fileno(), True)
    deadline = time.monotonic() + TIMEOUT
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        m = re.search(r"DevTools listening on (ws://\S+)", line)
        if m:
            return m[1]
    raise ChromiumError("Chromium did not start:\n" + "".join(seen[-20:]))


class _Client:
    """Calls over the DevTools websocket; every event received on the way is recorded in ``visit``."""

    def __init__(self, ws: Any, visit: Visit) -> None:
        self.ws = ws
        self.visit = visit
        self.ids = itertools.count(1)
        self.events: list[str] = []

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        msg_id = next(self.ids)
        message: dict[str, Any] = {"id": msg_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            reply = self._receive(TIMEOUT)
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise ChromiumError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result

    def wait_for(self, event: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while event not in self.events:
            if time.monotonic() > deadline:
                raise ChromiumError(f"no {event} within {TIMEOUT} s")
            self._receive(TIMEOUT)

    def drain(self) -> None:
        """Record the events already sent."""
        while True:
            try:
                self._receive(0.05)
            except TimeoutError:
                return

    def _receive(self, timeout: float) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(self.ws.recv(timeout=timeout))
        method = message.get("method")
        if method:
            self.events.append(method)
            self._record(method, message.get("params", {}))
        return message

    def _record(self, method: str, params: dict[str, Any]) -> None:
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if url != self.visit.url:
                self.visit.requests.append(url)
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.visit.console.append((params.get("type", ""), text))
        elif method == "Runtime.exceptionThrown":
            self.visit.errors.append(json.dumps(params.get("exceptionDetails", {}))[:500])
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") == "error":
                self.visit.errors.append(f"{entry.get('source')}: {entry.get('text')}")
