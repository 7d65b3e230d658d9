"""A time and memory limit on rendering one letter, kept by one watchdog thread per process.

Jinja compiles ``{% for %}`` to plain Python loops, which no sandbox hook
reaches, so a template that loops for ever (or piles up memory while it loops)
is stopped from outside: the renderer arms its thread's deadline for the
length of one render, and a thread that wakes a few times a second raises
:class:`Overrun` in a rendering thread that overran, with CPython's
``PyThreadState_SetAsyncExc``. The exception lands between two bytecodes, so a
single operation in C finishes first: the sandbox keeps each of those small.

Arming is a few attribute writes, disarming one uncontended lock: drafting a
cohort renders tens of thousands of letters at a few dozen microseconds each.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time

RENDER_SECONDS = 2.0
RENDER_MEGABYTES = 256
# How often the watchdog looks: the limit is kept to within this, and an idle
# process pays for nothing more than this many wake-ups a second.
TICK_SECONDS = 0.05
# A render stopped that is still running this much later swallowed the Overrun
# (in a __del__ the collector ran, say) and is stopped again. Never sooner: the
# renderer needs a moment, after catching one, to disarm before another lands.
RESTOP_SECONDS = 1.0
# Why a render was stopped, as a Slot's reason.
TOO_LONG = f"took longer than {RENDER_SECONDS:g} s"
TOO_BIG = f"used more than {RENDER_MEGABYTES} MB of memory"


class Overrun(BaseException):
    """Raised in a rendering thread that ran too long or grew too much.

    A BaseException, so that no ``except Exception`` in Jinja or in a filter
    the template is running at the time can swallow it.
    """


class Slot:
    """One thread's render: its deadline while armed, and why the watchdog stopped it."""

    __slots__ = ("base", "deadline", "fired", "reason", "seen", "serial", "tid")

    def __init__(self, tid: int) -> None:
        self.tid = tid
        self.deadline: float | None = None
        self.serial = 0  # counts renders, so the watchdog knows one it has seen before
        self.seen = -1
        self.base = 0  # resident memory when the watchdog first saw this render
        self.fired = False
        self.reason = ""  # TOO_LONG or TOO_BIG, once stopped

    def arm(self) -> None:
        """Start the clock for one render in this thread."""
        self.fired = False
        self.serial += 1
        self.deadline = time.monotonic() + RENDER_SECONDS

    def disarm(self) -> None:
        """Stop the clock; after this no Overrun can reach the thread.

        Under the lock, so the watchdog is not half-way through stopping this
        render; one it already stopped may not have landed yet, and is
        withdrawn. Call it inside the region that catches Overrun: the one
        withdrawn may land first.
        """
        with _watchdog.lock:
            self.deadline = None
            fired = self.fired
        if fired:
            _raise_in(self.tid, None)


class _Watchdog:
    """The slots of this process's rendering threads, and the thread that watches them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.slots: dict[int, Slot] = {}
        self.thread: threading.Thread | None = None

    def slot(self) -> Slot:
        """The calling thread's slot, the watchdog started if it is not yet."""
        slot = self.slots.get(threading.get_ident())
        if slot is None:
            with self.lock:
                if self.thread is None and _ASYNC_EXC:
                    self.thread = threading.Thread(target=self._watch, name="sheetkit-render-watchdog", daemon=True)
                    self.thread.start()
                slot = self.slots.setdefault(threading.get_ident(), Slot(threading.get_ident()))
        return slot

    def _watch(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            if all(s.deadline is None for s in list(self.slots.values())):
                continue
            rss = _resident_bytes()
            with self.lock:
                now = time.monotonic()
                for slot in self.slots.values():
                    deadline = slot.deadline  # read first: when set, the render's serial is already counted
                    if deadline is None:
                        continue
                    if slot.seen != slot.serial:
                        slot.seen, slot.base = slot.serial, rss
                    if now >= deadline:  # or, stopped already, it is still running (see RESTOP_SECONDS)
                        _stop(slot, TOO_LONG)
                    elif not slot.fired and rss - slot.base > RENDER_MEGABYTES << 20:
                        _stop(slot, TOO_BIG)


def _stop(slot: Slot, reason: str) -> None:
    if not slot.fired:
        slot.reason = reason
    slot.fired = True
    slot.deadline = time.monotonic() + RESTOP_SECONDS
    _raise_in(slot.tid, Overrun)


def _raise_in(tid: int, exc: type[BaseException] | None) -> None:
    """Raise ``exc`` in thread ``tid`` at its next bytecode, or (None) withdraw one not raised yet."""
    if _set_async_exc is not None:
        _set_async_exc(ctypes.c_ulong(tid), None if exc is None else ctypes.py_object(exc))


def _resident_bytes() -> int:
    """This process's resident memory (0 where the system does not say)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


# CPython only: elsewhere there is no way to interrupt a thread, and renders run unlimited.
_ASYNC_EXC = sys.implementation.name == "cpython" and hasattr(ctypes, "pythonapi")
_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc if _ASYNC_EXC else None
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_watchdog = _Watchdog()


def _after_fork() -> None:
    # The watchdog thread does not survive a fork (drafting a cohort forks its
    # workers), and its lock may have been held at the time: start afresh.
    global _watchdog
    _watchdog = _Watchdog()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def slot() -> Slot:
    """The calling thread's slot: ``arm()`` it before a render and ``disarm()`` it after."""
    return _watchdog.slot()
