"""``drafts.json``: the list of the drafts in an output folder, kept true across runs (README, `sheetkit drafts`).

``record`` reads it to learn which letters were sent, so it lists every
draft in the folder, not only the last run's:

- An entry stays while its file exists, whatever ``--kind`` and ``--contact``
  chose and whatever was due that day; it is dropped once its file is gone.
  One entry per file, in file name order.
- ``sha256`` is the hash of what sheetkit wrote: a file that no longer has
  it was edited by the user, and their words win.
- Follow-ups, thank-yous and keep-in-touch notes come round again, each
  round under its own file name (:func:`letter_round`). Once a new round is
  drafted, the last round's draft for the same person is deleted if unedited
  (its occasion has passed) and kept, listed, if edited.
- ``email`` and ``company`` let ``record`` find the person again after the
  rows moved; ``due`` tells one round's letter from the next.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sheetkit import kinds
from sheetkit.errors import UsageError
from sheetkit.files import atomic_write_text
from sheetkit.paths import OutputFolder, inside, person_tag

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


def merge(previous: dict[str, Entry], drafted: list[Entry], folder: OutputFolder) -> tuple[list[Entry], list[str]]:
    """The entries after a run that ``drafted`` these, and the earlier rounds' drafts it replaced (deleted).

    ``previous`` is :func:`read_entries` from before the run; ``folder`` was
    listed before it too, so whether an earlier draft is still there costs no
    look at the disk.
    """
    entries = {e["file"]: e for e in drafted}
    left = {name: e for name, e in previous.items() if name not in entries and folder.has(name)}
    # The people with a recurring letter still in the folder are found first: only if there are
    # any are this run's recurring letters (thousands, in a cohort) hashed for their person.
    earlier = {name: key for name, e in left.items() if _round_of(e) and (key := _person_kind(e))}
    wanted = set(earlier.values())
    rounds: dict[tuple[str, str], str] = {}
    if wanted:
        recurring = (e for e in drafted if letter_round(e["kind"], e["due"]))
        rounds = {key: e["due"] for e in recurring if (key := _person_kind(e)) in wanted}
    replaced: list[str] = []
    for name, entry in left.items():
        key = earlier.get(name)
        if key in rounds and rounds[key] != entry.get("due") and _delete_unedited(folder, name, entry.get("sha256")):
            replaced.append(name)
            continue
        entries[name] = entry
    return [entries[name] for name in sorted(entries)], replaced


def letter_round(kind: str, due: str) -> str:
    """Which round a letter of ``kind`` due on ``due`` (ISO) is for: that date, or ``""`` if the kind never recurs.

    A follow-up's due date marks the request, a thank-you's the interview, a
    keep-in-touch note's the last contact. An outreach is due the day it is
    planned, a date that marks no occasion: it is one letter, however many
    days it waits.
    """
    registered = kinds.get(kind)
    return due if registered is not None and registered.recurs else ""


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


def _person_kind(entry: Entry) -> tuple[str, str] | None:
    """An entry's kind and person tag, or None when it does not say who (a manifest from an older sheetkit)."""
    kind, contact = entry.get("kind"), entry.get("contact")
    if not isinstance(kind, str) or not isinstance(contact, str) or "email" not in entry or "company" not in entry:
        return None
    email, company = entry["email"], entry["company"]
    if not all(v is None or isinstance(v, str) for v in (email, company)):
        return None
    return kind, person_tag(contact, email or "", company or "")


def _round_of(entry: Entry) -> str:
    due = entry.get("due")
    return letter_round(str(entry.get("kind")), due if isinstance(due, str) else "")


def _delete_unedited(folder: OutputFolder, name: str, sha256: Any) -> bool:
    """Delete draft ``name`` if it still holds what sheetkit wrote (hash ``sha256``); whether it did."""
    try:
        path = folder.path(name)
    except UsageError:  # a link planted out of the folder: not sheetkit's to delete
        return False
    if not isinstance(sha256, str) or file_sha256(path) != sha256:
        return False
    try:
        os.unlink(path)
    except OSError:
        return False
    return True
