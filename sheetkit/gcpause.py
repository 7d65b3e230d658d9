"""The garbage collector paused while a workbook's cells are in memory.

A cohort's hundreds of thousands of cells form no reference cycle, yet
every collection would walk them all again, over and over.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection inside the block; the collector as it was after it."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
