"""Smoke test of benchmarks/: the cohort generator and the runner work end to end on a tiny cohort.

No timing is asserted here: the figures mean something only on a full-size
cohort on a quiet machine (``python benchmarks/run.py``, see the README).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import python_calamine

from sheetkit import schema

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=600, check=False)


def test_generator_makes_a_cohort_workbook_and_caches_it(tmp_path: Path) -> None:
    book = tmp_path / "cohort.xlsx"
    made = _run(str(BENCH / "make_cohort.py"), "--contacts", "200", "--out", str(book))
    assert made.returncode == 0, made.stderr
    summary = json.loads(book.with_name("cohort.xlsx.json").read_text(encoding="utf-8"))
    assert summary["contacts"] == 200
    assert summary["letters_expected"] > 0

    wb = python_calamine.CalamineWorkbook.from_path(str(book))
    assert list(wb.sheet_names) == list(schema.SHEET_ORDER)
    contacts = wb.get_sheet_by_name(schema.CONTACTS.name).to_python()
    assert tuple(contacts[0]) == schema.CONTACTS.headers
    assert len(contacts) == 201
    assert len(wb.get_sheet_by_name(schema.QUESTIONS.name).to_python()) > 100
    wb.close()

    again = _run(str(BENCH / "make_cohort.py"), "--contacts", "200", "--out", str(book))
    assert again.returncode == 0
    assert "cached" in again.stderr


def test_runner_times_every_command_and_writes_results(tmp_path: Path) -> None:
    book = tmp_path / "cohort.xlsx"
    assert _run(str(BENCH / "make_cohort.py"), "--contacts", "200", "--out", str(book)).returncode == 0
    results = tmp_path / "results.json"
    run = _run(str(BENCH / "run.py"), "--file", str(book), "--repeat", "1", "--warmup", "0", "--no-pandas",
               "--json", str(results), "--quiet", "--folder", "4")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "bare read" in run.stdout and "import pandas" in run.stdout

    data = json.loads(results.read_text(encoding="utf-8"))
    assert data["scratch"]["filesystem"] != "" and "drafts written under" in run.stdout
    rows = {(r["group"], r["command"]): r for r in data["results"]}
    assert {name for group, name in rows if group == "cohort"} == {
        "bare read (python-calamine)", "sheetkit validate", "sheetkit status", "sheetkit drafts", "sheetkit record",
        "sheetkit report",
        "sheetkit import",
    }
    assert {name for group, name in rows if group == "folder"} == {
        "sheetkit status on each in turn", "sheetkit report FOLDER"}
    assert {name for group, name in rows if group == "small"} >= {"sheetkit --help", "sheetkit validate"}
    for row in rows.values():
        assert row["error"] is None, row
        assert row["median_wall_s"] > 0 and row["median_peak_mb"] > 0
        assert row["result"] in ("baseline", "PASS", "FAIL", "(reference)")
    drafts = rows[("cohort", "sheetkit drafts")]
    summary = json.loads(book.with_name("cohort.xlsx.json").read_text(encoding="utf-8"))
    assert 0 < drafts["letters"] <= summary["due_rows"]
