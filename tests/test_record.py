"""`sheetkit record`: drafts, send, record, and the workbook knows; as a new user would run it.

The bundled example is drafted and recorded as openpyxl wrote it and as
LibreOffice saves it (.ods); LibreOffice then opens both results (CSV of every
sheet, and a conversion to .xlsx), in one start per batch.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from sheetkit import manifest, schema, workbook
from sheetkit.agenda import plan
from sheetkit.cli import app
from sheetkit.editor import BACKUP_FOLDER
from sheetkit.reader import read_workbook
from sheetkit.record import record_actions
from tests import lo
from tests.conftest import MakeBook, contact
from tests.test_editor import MUST_CHANGE, cohort, csv_rows, kill_at_random_moments, members

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "sample_workbooks" / "example.xlsx"
DAY = dt.date(2026, 11, 25)  # a Wednesday
SENT = ["--date", DAY.isoformat(), "--today", DAY.isoformat()]
FOLLOW_UPS_DUE = dt.date(2026, 12, 4)  # 7 business days after DAY
CONTACTS = schema.CONTACTS.name
FORMATS = ("xlsx", "ods")
runner = CliRunner()


def letter(column: schema.Column) -> str:
    return workbook.column_letter(schema.CONTACTS, column)


STATUS, REQUEST_SENT, LAST_CONTACT = letter(schema.STATUS), letter(schema.REQUEST_SENT), letter(schema.LAST_CONTACT)


def invoke(*args: str | Path) -> Any:
    """Run the command line; never a traceback."""
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def draft(path: Path, out: Path) -> Path:
    result = invoke("drafts", path, "--out", out, "--today", DAY.isoformat())
    assert result.exit_code == 0, result.output
    return out


@dataclass
class Flow:
    original: Path
    path: Path
    drafts: Path
    output: dict[str, Any]
    exit_code: int


@pytest.fixture(scope="module")
def flows(work: Path) -> dict[str, Flow]:
    """The example (.xlsx, and .ods as LibreOffice saves it): drafts for DAY, then record them as sent on DAY."""
    out = {}
    # The edited copies are named as tests.test_editor.csv_rows reads them.
    for fmt, (original, target) in lo.example_copies(EXAMPLE, work, "edited").items():
        drafts = draft(target, target.parent / "drafts")
        result = invoke("record", target, drafts, *SENT, "--format", "json")
        out[fmt] = Flow(original, target, drafts, json.loads(result.stdout), result.exit_code)
    return out


@pytest.fixture(scope="module")
def opened(flows: dict[str, Flow], work: Path) -> Path:
    """Every recorded workbook opened by LibreOffice: each sheet as CSV, and the whole saved as .xlsx."""
    return lo.opened([f.path for f in flows.values()], work / "opened")


def outreach_rows(path: Path) -> list[int]:
    """The rows whose outreach is due on DAY."""
    return [a.row for a in plan(read_workbook(path), DAY).actions if a.kind.name == "outreach"]


# --- the daily loop -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_drafts_then_record_then_status(flows: dict[str, Flow], fmt: str) -> None:
    """The outreach rows become Requested on DAY, and their follow-ups fall due 7 business days later, not before."""
    flow = flows[fmt]
    assert flow.exit_code == 0 and flow.output["skipped"] == []
    assert flow.output["backup"] and Path(flow.output["backup"]).read_bytes() == flow.original.read_bytes()
    asked = outreach_rows(flow.original)
    assert len(asked) == 4
    contacts = read_workbook(flow.path).contacts
    for row in asked:
        i = contacts.rows.index(row)
        assert contacts.data[schema.STATUS.name][i] == "Requested"
        assert contacts.data[schema.REQUEST_SENT.name][i] == DAY
    assert outreach_rows(flow.path) == []
    for day, due in ((FOLLOW_UPS_DUE - dt.timedelta(days=1), False), (FOLLOW_UPS_DUE, True)):
        status = invoke("status", flow.path, "--today", day.isoformat(), "--format", "json")
        follow_ups = {a["row"] for a in json.loads(status.stdout)["actions"] if a["kind"] == "follow-up"}
        assert set(asked) <= follow_ups if due else not set(asked) & follow_ups, day


@pytest.mark.parametrize("fmt", FORMATS)
def test_json_lists_each_change_with_its_old_value(flows: dict[str, Flow], fmt: str) -> None:
    """Each change is a cell with its column, old and new value; Last Contact moves on from an earlier round."""
    changes = {c["cell"]: c for c in flows[fmt].output["changes"]}
    assert set(flows[fmt].output) == {"changes", "skipped", "backup"}
    assert all(set(c) == {"sheet", "cell", "row", "column", "old", "new"} for c in changes.values())
    row = outreach_rows(flows[fmt].original)[0]
    assert changes[f"{STATUS}{row}"] == {"sheet": CONTACTS, "cell": f"{STATUS}{row}", "row": row,
                                         "column": "Status", "old": "To Contact", "new": "Requested"}
    assert changes[f"{REQUEST_SENT}{row}"]["old"] is None and changes[f"{REQUEST_SENT}{row}"]["new"] == "2026-11-25"
    # Amara Nwosu's keep-in-touch note is due on 2026-11-15, 90 days after her Last Contact.
    assert changes[f"{LAST_CONTACT}5"]["old"] == "2026-08-17" and changes[f"{LAST_CONTACT}5"]["new"] == "2026-11-25"


@pytest.mark.parametrize("fmt", FORMATS)
def test_libreoffice_shows_the_new_counts_chart_drop_downs_and_dates(
    flows: dict[str, Flow], opened: Path, fmt: str
) -> None:
    """Opened in LibreOffice: the Dashboard counts the recorded statuses, the chart and drop-downs are there,
    and the recorded dates are date cells."""
    flow = flows[fmt]
    now, before = plan(read_workbook(flow.path), DAY).counts, plan(read_workbook(flow.original), DAY).counts
    assert now != before
    dashboard = csv_rows(opened, fmt, schema.DASHBOARD)
    for status, cell in workbook.DASHBOARD_STATUS_CELLS.items():
        assert dashboard[int(cell[1:]) - 1][:2] == [status.value, str(now[status.value])], status
    saved = opened / f"edited-{fmt}.xlsx"
    with zipfile.ZipFile(saved) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())
    ws = openpyxl.load_workbook(saved)[CONTACTS]
    for change in flow.output["changes"]:
        cell = ws[change["cell"]]
        if change["column"] == "Status":
            assert [dv.type for dv in ws.data_validations.dataValidation if change["cell"] in dv.sqref] == ["list"]
            assert cell.value == change["new"]
        else:
            assert cell.is_date and cell.value == dt.datetime.combine(DAY, dt.time()), change["cell"]


def test_other_parts_keep_their_bytes(flows: dict[str, Flow]) -> None:
    """Every part of the .xlsx but the Contacts sheet and the Dashboard's cached results keeps its bytes."""
    before, after = members(flows["xlsx"].original), members(flows["xlsx"].path)
    assert list(after) == list(before)
    assert {name for name in before if before[name] != after[name]} == MUST_CHANGE["xlsx"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_second_record_changes_nothing_and_says_so(flows: dict[str, Flow], tmp_path: Path, fmt: str) -> None:
    """Recording the same drafts again writes nothing, keeps no backup, exits 0 and says they are recorded."""
    target = tmp_path / flows[fmt].path.name
    shutil.copyfile(flows[fmt].path, target)
    result = invoke("record", target, flows[fmt].drafts, *SENT)
    assert result.exit_code == 0, result.output
    assert "Nothing changed: the 10 actions listed are already recorded" in result.stdout
    assert target.read_bytes() == flows[fmt].path.read_bytes()
    assert not (tmp_path / BACKUP_FOLDER).exists()


def test_text_output_lists_the_changes_the_backup_and_what_is_next(flows: dict[str, Flow], tmp_path: Path) -> None:
    """Text output: the changes by contact, old → new, the backup's path and when the follow-ups fall due."""
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    result = invoke("record", target, flows["xlsx"].drafts, *SENT)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Siobhán Kelly" in out and "To Contact" in out and "Requested" in out
    assert "Recorded 10 actions sent on 2026-11-25" in out and "4 outreach" in out
    assert f"kept as {tmp_path / BACKUP_FOLDER}" in out.replace("\n", "")
    assert "follow-ups (unless they answer first) fall due on Friday 4 December 2026 for 4 contacts" in out


def test_dry_run_lists_the_changes_and_writes_nothing(flows: dict[str, Flow], tmp_path: Path) -> None:
    """--dry-run prints the changes as the real run makes them, writes nothing and keeps no backup."""
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    result = invoke("record", target, flows["xlsx"].drafts, *SENT, "--dry-run", "--format", "json")
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    assert shown["changes"] == flows["xlsx"].output["changes"] and shown["backup"] is None
    assert target.read_bytes() == EXAMPLE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tracker.xlsx"]


@pytest.mark.parametrize("lock", ["~${}", ".~lock.{}#"])
def test_refused_untouched_while_open(flows: dict[str, Flow], tmp_path: Path, lock: str) -> None:
    """With Excel's or LibreOffice's lock file beside it: one Error line, exit 2, the workbook untouched."""
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    (tmp_path / lock.format(target.name)).write_bytes(b"someone")
    result = invoke("record", target, flows["xlsx"].drafts, *SENT)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "open in Excel or LibreOffice" in result.stderr
    assert target.read_bytes() == EXAMPLE.read_bytes()
    assert not (tmp_path / BACKUP_FOLDER).exists()


# --- finding people ----------------------------------------------------------------------------


def rearranged(path: Path, how: str) -> Path:
    """The example as Excel saves it after two people were inserted above everyone, or the rows sorted backwards."""
    wb = openpyxl.load_workbook(path)
    ws = wb[CONTACTS]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=ws.max_row)]
    rows = [r for r in rows if any(v is not None for v in r)]
    if how == "inserted":
        ws.insert_rows(2, 2)
        ws["A2"], ws["B2"], ws[STATUS + "2"] = "Nadia", "Kowalski", "To Contact"
        ws["A3"], ws["B3"], ws[STATUS + "3"] = "Omar", "Haddad", "Prospect"
    else:
        for r, values in enumerate(reversed(rows), start=2):
            for c, value in enumerate(values, start=1):
                ws.cell(row=r, column=c).value = value  # cell(value=None) would leave the old value
    wb.save(path)
    return path


@pytest.mark.parametrize("how", ["inserted", "sorted"])
def test_people_are_found_after_rows_were_inserted_or_sorted(flows: dict[str, Flow], tmp_path: Path,
                                                             how: str) -> None:
    """After rows were inserted above or sorted, each draft is recorded on its person's new row, nobody else's."""
    asked = {a.contact for a in plan(read_workbook(EXAMPLE), DAY).actions if a.kind.name == "outreach"}
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    before = read_workbook(rearranged(target, how)).contacts
    result = invoke("record", target, flows["xlsx"].drafts, *SENT, "--format", "json")
    assert result.exit_code == 0, result.output
    after = read_workbook(target).contacts
    for i, first in enumerate(after.data[schema.FIRST_NAME.name]):
        name = f"{first} {after.data[schema.LAST_NAME.name][i]}"
        sent = after.data[schema.REQUEST_SENT.name][i]
        if name in asked:
            assert (sent, after.data[schema.STATUS.name][i]) == (DAY, "Requested"), name
        else:
            assert sent == before.data[schema.REQUEST_SENT.name][i], after.rows[i]
    assert json.loads(result.stdout)["skipped"] == []


def manifest_for(folder: Path, *entries: dict[str, Any]) -> Path:
    """A drafts folder as `sheetkit drafts` leaves it: a file per entry and drafts.json listing them."""
    folder.mkdir(exist_ok=True)
    full = []
    for n, entry in enumerate(entries):
        name = f"{entry.get('kind', 'outreach')}-{n}.eml"
        (folder / name).write_text("draft", encoding="utf-8")
        full.append({"kind": "outreach", "contact": "", "row": None, "to": "", "subject": "", "file": name,
                     "due": DAY.isoformat(), "email": None, "company": None, "sha256": None, "message_id": None,
                     **entry})
    manifest.write(folder, full)
    return folder


def person(first: str, last: str, status: str, **fields: Any) -> dict[str, Any]:
    return contact(first_name=first, last_name=last, status=status, **fields)


def test_not_found_and_ambiguous_drafts_are_skipped_with_the_reason(make_book: MakeBook, tmp_path: Path) -> None:
    """A person no longer in Contacts, or two rows with their email, is skipped with why; the rest is recorded."""
    path = make_book([
        person("Ann", "Lee", "To Contact", email="ann@example.com"),
        person("Bo", "Chen", "To Contact", email="bo@example.com"),
        person("Bo", "Chen", "To Contact", email="bo@example.com", company="Acme"),
    ])
    drafts = manifest_for(
        tmp_path / "drafts",
        {"contact": "Ann Lee", "row": 2, "email": "ann@example.com"},
        {"contact": "Bo Chen", "row": 9, "email": "bo@example.com"},
        {"contact": "Cy Park", "row": 3, "email": "cy@example.com"},
    )
    result = invoke("record", path, drafts, *SENT, "--format", "json")
    assert result.exit_code == 1
    shown = json.loads(result.stdout)
    reasons = {s["contact"]: s["reason"] for s in shown["skipped"]}
    assert set(reasons) == {"Bo Chen", "Cy Park"}
    assert reasons["Bo Chen"].startswith("ambiguous: rows 3, 4") and reasons["Cy Park"].startswith("not found")
    assert {c["cell"] for c in shown["changes"]} == {f"{STATUS}2", f"{REQUEST_SENT}2"}


def test_a_moved_row_holding_someone_else_is_not_theirs(make_book: MakeBook, tmp_path: Path) -> None:
    """The manifest's row now holds another person: the draft goes to its own person, found by name and company."""
    path = make_book([
        person("Dee", "Fox", "To Contact", email="dee@example.com"),
        person("Ann", "Lee", "To Contact", company="Acme"),
    ])
    drafts = manifest_for(tmp_path / "drafts", {"kind": "outreach", "contact": "Ann Lee", "row": 2,
                                                 "company": "ACME "})
    result = record_actions(path, drafts, date=DAY, today=DAY)
    assert {c.cell for c in result.changes} == {f"{STATUS}3", f"{REQUEST_SENT}3"} and result.exit_code == 0


# --- only forward ------------------------------------------------------------------------------


def test_dates_are_never_overwritten_and_statuses_only_move_forward(make_book: MakeBook, tmp_path: Path) -> None:
    """Filled dates stay; Scheduled and Declined stay; a Prospect's request makes it Requested; Last Contact
    never moves back."""
    earlier = dt.date(2026, 11, 20)
    path = make_book([
        person("Ann", "Lee", "Scheduled", email="a@x.org"),
        person("Bo", "Chen", "Declined", email="b@x.org"),
        person("Cy", "Park", "To Contact", email="c@x.org", request_sent=earlier),
        person("Di", "Ng", "Prospect", email="d@x.org"),
        person("Ed", "Roe", "Keeping In Touch", email="e@x.org", last_contact=DAY),
    ])
    drafts = manifest_for(
        tmp_path / "drafts",
        *({"contact": f"{first} {last}", "row": row, "email": f"{first[0].lower()}@x.org"}
          for row, (first, last) in enumerate([("Ann", "Lee"), ("Bo", "Chen"), ("Cy", "Park"), ("Di", "Ng")], 2)),
        {"kind": "keep-in-touch", "contact": "Ed Roe", "row": 6, "email": "e@x.org", "due": "2026-11-10"},
    )
    result = record_actions(path, drafts, date=dt.date(2026, 11, 24), today=DAY)
    assert [(c.cell, c.old, c.new) for c in result.changes] == [
        (f"{REQUEST_SENT}2", None, dt.date(2026, 11, 24)),
        (f"{REQUEST_SENT}3", None, dt.date(2026, 11, 24)),
        (f"{STATUS}4", "To Contact", "Requested"),
        (f"{STATUS}5", "Prospect", "Requested"),
        (f"{REQUEST_SENT}5", None, dt.date(2026, 11, 24)),
    ]
    assert result.already == 1 and result.exit_code == 0


def test_a_deleted_draft_is_not_recorded(tmp_path: Path) -> None:
    """A draft deleted from the folder was not sent: only the others are recorded."""
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(EXAMPLE, target)
    drafts = draft(target, tmp_path / "drafts")
    entries = manifest.read_entries(drafts)
    gone = next(e for e in entries.values() if e["kind"] == "outreach")
    (drafts / gone["file"]).unlink()
    result = record_actions(target, drafts, kinds=["outreach"], date=DAY, today=DAY)
    recorded = {result.contacts[c.row] for c in result.changes}
    assert len(recorded) == 3 and gone["contact"] not in recorded


# --- --done and wrong arguments -----------------------------------------------------------------


def test_done_records_a_call_for_the_one_contact_named(make_book: MakeBook) -> None:
    """--contact NAME --done call fills Followed Up for that person only; a call to someone Thanked is skipped."""
    path = make_book([
        person("Ann", "Lee", "Requested", request_sent=dt.date(2026, 11, 2), phone="555"),
        person("Ann", "Leeds", "Thanked", thank_you_sent=dt.date(2026, 11, 2)),
    ])
    result = invoke("record", path, "--contact", "ann lee", "--done", "call", *SENT, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(c["cell"], c["column"], c["new"]) for c in json.loads(result.stdout)["changes"]] == [
        (f"{letter(schema.FOLLOWED_UP)}2", "Followed Up", "2026-11-25")]
    thanked = invoke("record", path, "--contact", "Leeds", "--done", "call", *SENT, "--format", "json")
    assert thanked.exit_code == 1 and "is Thanked" in json.loads(thanked.stdout)["skipped"][0]["reason"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--contact", "Ann", "--done", "prepare"], "choose from outreach, follow-up, call, thank-you, keep-in-touch"),
        (["--contact", "Ann", "--done", "add-referral"], "is not a kind record can write"),
        (["--done", "call"], "--done needs --contact"),
        ([], "give either the drafts folder or --done KIND"),
        (["DRAFTS", "--kind", "call"], "is not a kind of letter"),
        (["DRAFTS", "--date", "2026-11-26"], "after today"),
        (["DRAFTS", "--date", "yesterday"], "is not a date"),
        (["NOWHERE"], "is not a folder of drafts"),
    ],
)
def test_wrong_arguments_are_one_error_line(make_book: MakeBook, tmp_path: Path, args: list[str], message: str) -> None:
    """A kind that records nothing, a date after today, a missing folder…: one Error line, exit 2, nothing written."""
    path = make_book([person("Ann", "Lee", "To Contact", email="a@x.org")])
    before = path.read_bytes()
    drafts = manifest_for(tmp_path / "drafts", {"contact": "Ann Lee", "row": 2, "email": "a@x.org"})
    argv = [str(drafts) if a == "DRAFTS" else str(tmp_path / "nowhere") if a == "NOWHERE" else a for a in args]
    result = invoke("record", path, *argv, "--today", DAY.isoformat())
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1 and message in result.stderr
    assert path.read_bytes() == before


# --- killed at any moment -------------------------------------------------------------------------

RECORD_KILL_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from sheetkit import cli, editor, reader, record
    print("ready", flush=True)
    sys.stdout = open(os.devnull, "w")
    sys.argv = ["sheetkit", "record", *sys.argv[1:]]
    cli.main()
    """
)


def test_record_killed_at_any_moment_leaves_the_old_or_the_new_workbook(tmp_path: Path) -> None:
    """`sheetkit record` SIGKILLed at random moments on 20,000 contacts: the old workbook or the new, read cleanly."""
    n = 20_000
    target = cohort(tmp_path / "cohort.xlsx", n)
    drafts = manifest_for(tmp_path / "drafts", *({"contact": f"Person {i}", "row": i + 2,
                                                  "email": f"p{i}@example.com"} for i in range(0, n, 4)))
    argv = [sys.executable, "-c", RECORD_KILL_SCRIPT, str(target), str(drafts), *SENT]
    run: Callable[[], subprocess.Popen[str]] = lambda: subprocess.Popen(  # noqa: E731
        argv, cwd=ROOT, stdout=subprocess.PIPE, text=True)

    def reads_back(new: bool) -> None:
        contacts = read_workbook(target).contacts
        assert len(contacts.rows) == n
        assert contacts.data[schema.STATUS.name].count("Requested") == (n // 4 if new else 0)

    kill_at_random_moments(target, run, reads_back)


def test_a_reply_on_the_day_of_the_request_is_recorded_with_its_time(make_book: MakeBook) -> None:
    """A reply the same day as the request goes in Last Contact with its time, once; without a time it cannot."""
    from sheetkit.record import Found, Reply, record_found

    asked = contact(first_name="Ann", last_name="Lee", email="ann@example.com", status="Requested",
                    request_sent=DAY)
    path = make_book([asked, {**asked, "First Name": "Bo", "Email": "bo@example.com"}], profile={})
    replies = [Reply(0, DAY, dt.time(15, 40)), Reply(1, DAY)]
    first = record_found(path, lambda campaign: Found(replies=list(replies)), today=DAY)
    assert [(c.row, c.new) for c in first.changes] == [(2, dt.datetime(2026, 11, 25, 15, 40))]
    campaign = read_workbook(path)
    assert campaign.contacts.times[schema.LAST_CONTACT.name] == {0: dt.time(15, 40)}
    assert sorted((a.contact, a.kind.name) for a in plan(campaign, DAY + dt.timedelta(days=14)).actions) == [
        ("Ann Lee", "reply"), ("Bo Lee", "follow-up")]
    again = record_found(path, lambda campaign: Found(replies=list(replies)), today=DAY)
    assert again.changes == [] and again.already == 1
