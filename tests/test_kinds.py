"""The kinds registry: one declaration per kind, and everything else derived from it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

from sheetkit import kinds, schema
from sheetkit.kinds import Kind, Row, Situation, all_kinds, get, kinds_for, letter_kinds, register
from sheetkit.schema import Status
from tests.conftest import TODAY, build_workbook, contact

ROOT = Path(__file__).resolve().parent.parent

# A kind added from outside sheetkit: a short, gracious note to people who declined.
PLUGIN = textwrap.dedent('''
    import sys
    from sheetkit import kinds
    from sheetkit.schema import Status

    def gracious(row, situation):
        yield kinds.Due(situation.today)

    kinds.register(kinds.Kind(
        "gracious-close", "thank them anyway", "`Declined`, never thanked", gracious,
        statuses=(Status.DECLINED,), letter=True,
    ))
    from sheetkit.cli import app
    app(sys.argv[1:])
''')
TEMPLATE = "Subject: Thank you all the same\n\nDear {{ contact.first_name }},\n\nThank you for replying.\n"


def run_with_plugin(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PLUGIN, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_the_method_kinds_in_order() -> None:
    """The registry holds the README's kinds, in the order the method reaches them; four make letters."""
    assert [k.name for k in all_kinds()] == [
        "outreach", "follow-up", "call", "reply", "prepare", "thank-you", "add-referral", "keep-in-touch"]
    assert [k.name for k in letter_kinds()] == ["outreach", "follow-up", "thank-you", "keep-in-touch"]
    assert all(k.template == k.name for k in letter_kinds())


def test_what_is_recorded_follows_the_method() -> None:
    """Each kind records its date column and moves the status only forward, as the README's table says."""
    order = list(Status)
    for kind in all_kinds():
        if kind.moves_to is not None:
            assert kind.records is not None
            assert all(order.index(s) < order.index(kind.moves_to) for s in kind.moves_from)
    assert kinds.OUTREACH.records is schema.REQUEST_SENT and kinds.OUTREACH.moves_to is Status.REQUESTED
    assert kinds.CALL.records is schema.FOLLOWED_UP and kinds.CALL.moves_to is None


def test_kinds_are_asked_only_about_their_statuses() -> None:
    """A Requested row is asked about follow-ups, calls, replies and referrals; never about outreach."""
    asked = [k.name for k in kinds_for(Status.REQUESTED)]
    assert asked == ["follow-up", "call", "reply", "add-referral"]


def test_a_rule_sees_the_row_and_the_day() -> None:
    """The follow-up rule on a bare row: due seven business days after a Friday request."""
    columns = {c.name: [None] for c in schema.CONTACTS.columns}
    columns[schema.REQUEST_SENT.name] = [TODAY.replace(day=20)]
    situation = Situation(TODAY.replace(day=20), 7, 2, 90, {}, {})
    row = Row(columns, 0, Status.REQUESTED)
    assert list(kinds.FOLLOW_UP.rule(row, situation)) == []
    later = Situation(TODAY.replace(month=12, day=1), 7, 2, 90, {}, {})
    assert [d.when.isoformat() for d in kinds.FOLLOW_UP.rule(row, later)] == ["2026-12-01"]


def test_a_name_is_registered_once() -> None:
    """Registering a second kind under a taken name is refused; names are looked up ignoring case."""
    with pytest.raises(ValueError, match="already registered"):
        register(Kind("outreach", "x", "x", kinds.OUTREACH.rule))
    assert get(" Thank-You ") is kinds.THANK_YOU and get("nope") is None


def test_a_new_kind_reaches_status_drafts_help_and_the_guide(tmp_path: Path) -> None:
    """A registry entry and a template are all it takes: status, drafts, --help and the Guide show the new kind."""
    book = build_workbook(tmp_path / "t.xlsx", [
        contact(first_name="Ann", last_name="Lee", status="Declined", email="ann@example.com"),
    ], profile={schema.YOUR_NAME.name: "Sam Writer", schema.MY_EMAIL.name: "sam@example.com"})
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "gracious-close.j2").write_text(TEMPLATE, encoding="utf-8")

    status = run_with_plugin("status", str(book), "--today", TODAY.isoformat(), "--format", "json")
    assert status.returncode == 0, status.stderr
    assert [a["kind"] for a in json.loads(status.stdout)["actions"]] == ["gracious-close"]
    text = run_with_plugin("status", str(book), "--today", TODAY.isoformat())
    assert "gracious-close: thank them anyway" in text.stdout

    out = tmp_path / "drafts"
    drafted = run_with_plugin("drafts", str(book), "--out", str(out), "--today", TODAY.isoformat(),
                              "--templates", str(templates), "--kind", "gracious-close")
    assert drafted.returncode == 0, drafted.stderr
    manifest = json.loads((out / "drafts.json").read_text(encoding="utf-8"))
    assert [(e["kind"], e["subject"]) for e in manifest] == [("gracious-close", "Thank you all the same")]

    helped = run_with_plugin("drafts", "--help")
    assert "gracious-close" in " ".join(helped.stdout.split())

    made = tmp_path / "new.xlsx"
    assert run_with_plugin("init", str(made)).returncode == 0
    guide = openpyxl.load_workbook(made)[schema.GUIDE]
    text_cells = [str(v) for row in guide.iter_rows(values_only=True) for v in row if v]
    assert "gracious-close" in text_cells
    assert any(t.startswith("Thank them anyway: when Declined") for t in text_cells)
