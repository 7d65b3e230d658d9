"""drafts.json: its text, and reading back whatever an older or damaged one holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sheetkit.manifest import MANIFEST, read_entries, write


@pytest.mark.parametrize("entries", [[], [{"kind": "outreach", "contact": "Zoë \"Z\" Müller", "row": 2}],
                                     [{"file": "a.eml"}, {"file": "b.eml", "subject": "Line\nbreak"}]])
def test_manifest_is_json_one_draft_per_line(tmp_path: Path, entries: list[dict[str, Any]]) -> None:
    """drafts.json reads back as the entries written, one entry on each line between the brackets."""
    write(tmp_path, entries)
    text = (tmp_path / MANIFEST).read_text(encoding="utf-8")
    assert json.loads(text) == entries
    assert text.endswith("\n") and len(text.splitlines()) == (1 if not entries else len(entries) + 2)


def test_damaged_manifest_reads_as_the_entries_it_can(tmp_path: Path) -> None:
    """A drafts.json that is not JSON, not a list, or holds odd items gives what it can, never an error."""
    assert read_entries(tmp_path) == {}
    for text in ("{", '{"file": "a.eml"}', "null"):
        (tmp_path / MANIFEST).write_text(text, encoding="utf-8")
        assert read_entries(tmp_path) == {}
    (tmp_path / MANIFEST).write_text(json.dumps([1, None, {"file": 3}, {"file": "a.eml", "n": 1},
                                                 {"file": "a.eml", "n": 2}]), encoding="utf-8")
    assert read_entries(tmp_path) == {"a.eml": {"file": "a.eml", "n": 2}}
