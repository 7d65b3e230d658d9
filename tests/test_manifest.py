"""drafts.json: its text, and merging one run's drafts into what the folder already holds."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from sheetkit.manifest import MANIFEST, merge, read_entries, write
from sheetkit.paths import OutputFolder


@pytest.mark.parametrize("entries", [[], [{"kind": "outreach", "contact": "Zoë \"Z\" Müller", "row": 2}],
                                     [{"file": "a.eml"}, {"file": "b.eml", "subject": "Line\nbreak"}]])
def test_manifest_is_json_one_draft_per_line(tmp_path: Path, entries: list[dict[str, Any]]) -> None:
    """drafts.json reads back as the entries written, one entry on each line between the brackets."""
    write(tmp_path, entries)
    text = (tmp_path / MANIFEST).read_text(encoding="utf-8")
    assert json.loads(text) == entries
    assert text.endswith("\n") and len(text.splitlines()) == (1 if not entries else len(entries) + 2)


def entry(file: str, *, kind: str = "keep-in-touch", contact: str = "Ann Lee", email: str | None = "ann@example.com",
          company: str | None = "Acme", due: str = "2026-11-25", content: bytes = b"") -> dict[str, Any]:
    return {"kind": kind, "contact": contact, "row": 2, "to": email, "subject": "Hello", "file": file, "due": due,
            "email": email, "company": company, "sha256": hashlib.sha256(content).hexdigest()}


def test_only_the_same_persons_unedited_earlier_round_is_deleted(tmp_path: Path) -> None:
    """A new round deletes that person's unedited draft of the last round of that kind, and nothing else."""
    earlier = {
        "last-round.eml": entry("last-round.eml", content=b"as written"),
        "last-round-edited.eml": entry("last-round-edited.eml", due="2026-08-27", content=b"as written"),
        "same-person-typed-apart.eml": entry("same-person-typed-apart.eml", contact="ann  LEE", email="ANN@example.com",
                                             company=" acme", due="2026-05-29", content=b"as written"),
        "other-person.eml": entry("other-person.eml", email="ann@globex.example", company="Globex",
                                  content=b"as written"),
        "outreach.eml": entry("outreach.eml", kind="outreach", content=b"as written"),
        "same-round.txt": entry("same-round.txt", due="2027-02-23", content=b"as written"),
        "older-sheetkit.eml": {k: v for k, v in entry("older-sheetkit.eml", content=b"as written").items()
                               if k not in ("email", "company", "due")},
        "gone.eml": entry("gone.eml", content=b"as written"),
    }
    for name in earlier:
        if name != "gone.eml":
            (tmp_path / name).write_bytes(b"as written" if name != "last-round-edited.eml" else b"my own words")
    drafted = [entry("this-round.eml", due="2027-02-23"), entry("outreach-now.eml", kind="outreach", due="2027-02-23")]
    entries, deleted = merge(earlier, drafted, OutputFolder(tmp_path))
    assert sorted(deleted) == ["last-round.eml", "same-person-typed-apart.eml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        set(earlier) - {*deleted, "gone.eml"})
    assert [e["file"] for e in entries] == sorted(
        ["this-round.eml", "outreach-now.eml", *(set(earlier) - {*deleted, "gone.eml"})])


def test_damaged_manifest_reads_as_the_entries_it_can(tmp_path: Path) -> None:
    """A drafts.json that is not JSON, not a list, or holds odd items gives what it can, never an error."""
    assert read_entries(tmp_path) == {}
    for text in ("{", '{"file": "a.eml"}', "null"):
        (tmp_path / MANIFEST).write_text(text, encoding="utf-8")
        assert read_entries(tmp_path) == {}
    (tmp_path / MANIFEST).write_text(json.dumps([1, None, {"file": 3}, {"file": "a.eml", "n": 1},
                                                 {"file": "a.eml", "n": 2}]), encoding="utf-8")
    assert read_entries(tmp_path) == {"a.eml": {"file": "a.eml", "n": 2}}
