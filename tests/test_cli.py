"""The command line: exit codes, output shapes and one-line errors, through Typer's runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sheetkit.cli import app
from tests.conftest import MakeBook, contact

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
TODAY = ["--today", "2026-11-25"]


def clean(**fields: str) -> dict[str, str]:
    base = dict(first_name="Ann", last_name="Lee", status="To Contact", email="ann@example.com",
                common_ground="Same university")
    base.update(fields)
    return contact(**base)


def test_validate_clean_exit_0(make_book: MakeBook) -> None:
    """A clean workbook exits 0 and says so."""
    result = runner.invoke(app, ["validate", str(make_book([clean()])), *TODAY])
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output


def test_validate_errors_exit_1_and_json_shape(make_book: MakeBook) -> None:
    """Errors exit 1; --format json prints exactly the README's object."""
    path = make_book([clean(status="Intervewed"), clean(first_name="Bo", email="bo at x")])
    result = runner.invoke(app, ["validate", str(path), "--format", "json", *TODAY])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(data) == ["valid", "errors", "warnings", "issues"]
    assert data["valid"] is False and data["errors"] == 2 and data["warnings"] == 0
    assert [(i["code"], i["cell"]) for i in data["issues"]] == [("invalid-choice", "Q2"), ("invalid-email", "G3")]
    assert set(data["issues"][0]) == {"severity", "code", "sheet", "row", "column", "cell", "message"}


def test_validate_text_groups_by_row_with_summary(make_book: MakeBook) -> None:
    """The text report names each cell and ends with a one-line summary."""
    path = make_book([clean(status="Intervewed")])
    result = runner.invoke(app, ["validate", str(path), *TODAY])
    assert "Contacts row 2" in result.output and "Q2" in result.output and "invalid-choice" in result.output
    assert result.output.strip().splitlines()[-1].startswith("✗ 1 error, 0 warnings")


def test_warnings_pass_unless_strict(make_book: MakeBook) -> None:
    """Warnings alone exit 0; --strict makes them exit 1."""
    path = make_book([clean(common_ground=None)])
    assert runner.invoke(app, ["validate", str(path), *TODAY]).exit_code == 0
    assert runner.invoke(app, ["validate", str(path), "--strict", *TODAY]).exit_code == 1


@pytest.mark.parametrize("args", [["validate", "missing.xlsx"], ["validate", "{book}", "--today", "25/11/2026"]])
def test_bad_input_is_one_error_line_exit_2(make_book: MakeBook, args: list[str]) -> None:
    """Unreadable files and bad arguments print one Error: line and exit 2."""
    book = str(make_book([clean()]))
    result = runner.invoke(app, [a.replace("{book}", book) for a in args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and " — " in lines[0]
    assert "Traceback" not in result.output


def test_unknown_format_exits_2(make_book: MakeBook) -> None:
    """A wrong --format value is a usage error, exit 2."""
    result = runner.invoke(app, ["validate", str(make_book([clean()])), "--format", "xml"])
    assert result.exit_code == 2


def test_init_creates_and_refuses_to_overwrite(tmp_path: Path) -> None:
    """init writes the workbook, refuses to overwrite it, and replaces it with --force."""
    target = tmp_path / "tracker.xlsx"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    before = target.read_bytes()
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "--force" in result.stderr
    assert target.read_bytes() == before
    assert runner.invoke(app, ["init", str(target), "--force"]).exit_code == 0


def test_init_then_validate_is_clean(tmp_path: Path) -> None:
    """A fresh workbook validates with no issues."""
    target = tmp_path / "tracker.xlsx"
    runner.invoke(app, ["init", str(target)])
    result = runner.invoke(app, ["validate", str(target), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"valid": True, "errors": 0, "warnings": 0, "issues": []}


def test_debug_shows_traceback(tmp_path: Path) -> None:
    """--debug lets the exception through for a bug report."""
    result = runner.invoke(app, ["--debug", "validate", str(tmp_path / "nope.xlsx")])
    assert result.exit_code != 0 and result.exception is not None


def test_help_imports_neither_pandas_nor_openpyxl() -> None:
    """`sheetkit --help` stays light: no pandas, openpyxl or calamine at start-up."""
    code = (
        "import sys\nfrom sheetkit.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'openpyxl', 'python_calamine') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:"


def run_in(encoding: str, args: list[str], cwd: Path) -> tuple[int, str, str]:
    """sheetkit in a process whose console encodes as ``encoding``, output redirected to files as in `> report.txt`."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}  # this checkout's sheetkit
    with open(cwd / "out.txt", "wb") as out, open(cwd / "err.txt", "wb") as err:
        code = subprocess.run([sys.executable, "-m", "sheetkit.cli", *args], stdout=out, stderr=err, env=env,
                              cwd=cwd, check=False).returncode
    return code, (cwd / "out.txt").read_bytes().decode(encoding), (cwd / "err.txt").read_bytes().decode(encoding)


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_a_console_that_is_not_utf8_gets_degraded_output_never_a_crash(make_book: MakeBook, tmp_path: Path,
                                                                       encoding: str) -> None:
    """validate, status (text and JSON), drafts --dry-run and an Error: line all work on a cp1252 or ASCII console."""
    interviewed = dict(status="Interviewed", field="UX", interview_date="2026-11-24", key_takeaways="x")
    rows = [clean(first_name="李", last_name="小龍", email="li@example.com"), clean(first_name="Zoë", email="z@x")]
    rows += [clean(first_name=f"Bo{i}", email=f"bo{i}@example.com", **interviewed) for i in range(3)]
    book = str(make_book(rows, profile={"Your Name": "Sam Seeker", "Email": "sam@example.com"}))

    code, out, err = run_in(encoding, ["validate", book, *TODAY], tmp_path)
    assert (code, err) == (1, "")
    assert out.splitlines()[-1].startswith("X 1 error, 0 warnings")

    code, out, err = run_in(encoding, ["status", book, *TODAY], tmp_path)
    assert (code, err) == (0, "")
    assert "OK enough" in out and "\\u674e \\u5c0f\\u9f8d" in out

    code, out, err = run_in(encoding, ["status", book, "--format", "json", *TODAY], tmp_path)
    assert (code, err) == (0, "") and out.isascii()
    utf8 = runner.invoke(app, ["status", book, "--format", "json", *TODAY])
    assert json.loads(out) == json.loads(utf8.stdout), "the same JSON, losslessly"
    assert ("outreach", "李 小龍") in [(a["kind"], a["contact"]) for a in json.loads(out)["actions"]]

    code, out, err = run_in(encoding, ["drafts", book, "--dry-run", "--out", "drafts", *TODAY], tmp_path)
    assert code == 1 and "Traceback" not in err and "held back" in err
    assert "Would write 4 drafts" in out and "\\u674e" in out

    code, out, err = run_in(encoding, ["validate", "报告.xlsx"], tmp_path)
    assert (code, out) == (2, "")
    assert err.splitlines() == ["Error: \\u62a5\\u544a.xlsx: no such file - check the path, or create a workbook "
                                "with `sheetkit init`".replace(" - ", " — " if encoding == "cp1252" else " - ")]


def test_json_on_a_utf8_console_escapes_bidi_and_controls_from_cells(make_book: MakeBook) -> None:
    """status --format json keeps text as typed but writes a cell's bidi override or C1 control as a \\u escape."""
    book = make_book([clean(field="UX\u202eR\x85x", referrals_given="Cy\u2067 Dee")])
    result = runner.invoke(app, ["status", str(book), "--format", "json", *TODAY])
    assert not set("\u202e\x85\u2067") & set(result.stdout)
    assert "UX\\u202eR\\u0085x" in result.stdout and "Cy\\u2067 Dee" in result.stdout
    data = json.loads(result.stdout)
    assert data["fields"][0]["field"] == "UX\u202eR\x85x"
    assert ("add-referral", "Cy\u2067 Dee") in [(a["kind"], a["contact"]) for a in data["actions"]]


@pytest.mark.parametrize(("args", "says"), [
    (["record", "{book}", "drafts", "--from-mailbox"], "--from-mailbox reads what to record from the mailbox"),
    (["record", "{book}", "--from-mailbox", "--date", "2026-11-25"], "leave out DRAFTS_DIR, --done"),
    (["record", "{book}", "drafts", "--since", "2026-11-01"], "--since is for --from-mailbox"),
    (["record", "{book}", "--from-mailbox", "--since", "last week"], "--since 'last week' is not a date"),
    (["drafts", "{book}", "--to-mailbox", "--format", "md"], "--format md is for drafts written as files"),
    (["drafts", "{book}"], "--out is missing"),
    (["drafts", "{book}", "--to-mailbox"], "the Profile has no Mail Server"),
])
def test_mailbox_options_misused_are_one_line(make_book: MakeBook, args: list[str], says: str) -> None:
    """The mailbox options, wrongly combined or without an account, are refused before any connection: exit 2."""
    book = make_book([clean()], profile={})
    result = runner.invoke(app, [a.format(book=book) for a in args])
    assert result.exit_code == 2, result.output
    assert says in result.output and "Traceback" not in result.output
EXAMPLE = ROOT / "sample_workbooks" / "example.xlsx"


def test_report_writes_the_page_and_says_what_next(tmp_path: Path) -> None:
    """`report` writes the page and closes with what it holds and how to use it."""
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(EXAMPLE), "--out", str(out), *TODAY])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"Wrote {out}: 20 contacts, 12 actions due" in result.output
    assert "print it to PDF" in result.output


def test_calendar_writes_the_file_and_counts_events(tmp_path: Path) -> None:
    """`calendar` writes the .ics and says how many interviews and actions it holds, in which zone."""
    out = tmp_path / "interviews.ics"
    result = runner.invoke(app, ["calendar", str(EXAMPLE), "--out", str(out), *TODAY])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert "4 upcoming interviews and 17 due actions" in result.output and "America/New_York" in result.output


@pytest.mark.parametrize(("command", "out", "says"), [
    ("report", "r.pdf", "is not a .html file"),
    ("calendar", "c.html", "is not a .ics file"),
    ("report", "missing/r.html", "folder does not exist"),
])
def test_report_and_calendar_bad_out_is_one_error_line(tmp_path: Path, command: str, out: str, says: str) -> None:
    """A wrong --out is one `Error:` line saying what to do, exit 2, nothing written."""
    result = runner.invoke(app, [command, str(EXAMPLE), "--out", str(tmp_path / out), *TODAY])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and says in lines[0] and " — " in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_report_of_an_unreadable_workbook_is_one_error_line(tmp_path: Path) -> None:
    """A single workbook that cannot be read is an error (exit 2); only in a folder is it listed and passed over."""
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook", encoding="utf-8")
    result = runner.invoke(app, ["report", str(broken), "--out", str(tmp_path / "r.html"), *TODAY])
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()


def test_top_level_help_walks_through_every_command() -> None:
    """`sheetkit --help` teaches the loop: each command appears there as a runnable example."""
    import typer.main

    shown = runner.invoke(app, ["--help"]).output
    text, unwrapped = " ".join(shown.split()), "".join(shown.split())  # wrapping may break after a hyphen
    for command in typer.main.get_command(app).commands:  # type: ignore[attr-defined]
        assert f"`sheetkit {command} tracker.xlsx" in text, command
    assert "`--to-mailbox`" in unwrapped and "`--from-mailbox`" in unwrapped
