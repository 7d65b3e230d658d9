"""``drafts.json``: the list of the drafts in an output folder, kept true across runs (README, `sheetkit drafts`).

``record`` reads it to learn which letters were sent, so it lists every
draft in the folder, not only the last run's:

- An entry stays while its file exists, whatever ``--kind`` and ``--contact``
  chose and whatever was due that day; it is dropped once its file is gone.
  One entry per file, in file name order.
- ``sha256`` is the hash of what sheetkit wrote: a file that no longer has
  it was edited by the user, and their words win.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sheetkit.files import atomic_write_text
from sheetkit.paths import OutputFolder, inside

MANIFEST = "drafts.json"
Entry = dict[str, Any]


def read_entries(out_dir: Path) -> dict[str, Entry]:
    """The manifest's entries by file name (empty when absent or unreadable; a later duplicate wins)."""
    try:
        entries = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(entries, list):
        return {}
    return {e["file"]: e for e in entries if isinstance(e, dict) and isinstance(e.get("file"), str)}


def merge(previous: dict[str, Entry], drafted: list[Entry], folder: OutputFolder) -> list[Entry]:
    """The entries after a run that ``drafted`` these.

    ``previous`` is :func:`read_entries` from before the run; ``folder`` was
    listed before it too, so whether an earlier draft is still there costs no
    look at the disk.
    """
    entries = {e["file"]: e for e in drafted}
    for name, entry in previous.items():
        if name not in entries and folder.has(name):
            entries[name] = entry
    return [entries[name] for name in sorted(entries)]


def write(out_dir: Path, entries: list[Entry]) -> None:
    """Replace ``drafts.json`` in ``out_dir`` with ``entries``, atomically."""
    atomic_write_text(inside(out_dir, MANIFEST), manifest_text(entries))


_ENTRY = json.JSONEncoder(ensure_ascii=False).encode


def manifest_text(entries: list[Entry]) -> str:
    """``drafts.json``: a JSON array with one draft per line, easy to read and to diff.

    Each line comes from the C encoder; ``indent=2`` would switch the whole
    file to the pure-Python one, the slowest step left after the drafts.
    """
    if not entries:
        return "[]\n"
    return "[\n" + ",\n".join("  " + _ENTRY(entry) for entry in entries) + "\n]\n"


def file_sha256(path: str) -> str | None:
    """The hash of a file as the manifest keeps it, or None when there is no such file."""
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except FileNotFoundError:
        return None
