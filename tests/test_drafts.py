"""Drafting the letters due: files, manifest, headers, safety and re-runs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sheetkit import schema
from sheetkit.cli import app
from sheetkit.drafts import Draft, write_drafts
from sheetkit.errors import UsageError
from sheetkit.manifest import MANIFEST
from tests.conftest import TODAY, MakeBook, contact

S = schema
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "sample_workbooks" / "example.xlsx"
PROFILE = {S.YOUR_NAME.name: "Dana Reyes", S.MY_EMAIL.name: "dana@example.com", S.BACKGROUND.name:
           "a nurse moving into health-tech UX", S.TARGET_FIELD.name: "UX research"}
HEADERS = ["From", "To", "Subject", "Date", "Message-ID", "X-Unsent", "Content-Type",
           "Content-Transfer-Encoding", "MIME-Version"]


def parse(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def to_contact(**fields: Any) -> dict[str, Any]:
    base = dict(first_name="Ann", last_name="Lee", email="ann@example.com", status="To Contact",
                common_ground="We both studied at Lincoln University", why_them="You lead research at Acme")
    base.update(fields)
    return contact(**base)


def listed(out: Path) -> dict[str, dict[str, Any]]:
    """drafts.json by file name."""
    return {e["file"]: e for e in json.loads((out / MANIFEST).read_text(encoding="utf-8"))}


def test_example_writes_one_draft_per_letter_due(tmp_path: Path) -> None:
    """The bundled example on 2026-11-25: ten letters, each listed in drafts.json, nothing else."""
    result = write_drafts(EXAMPLE, tmp_path, today=TODAY)
    assert result.problems == [] and result.held == []
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([MANIFEST, *(m["file"] for m in manifest)])
    assert sorted((m["kind"], m["contact"]) for m in manifest) == sorted([
        ("outreach", "Siobhán Kelly"), ("outreach", "Robert Ashdown"), ("outreach", "Elena Petrova"),
        ("outreach", "Tom Brennan"), ("follow-up", "Sofia Rossi"), ("follow-up", "Kenji Watanabe"),
        ("thank-you", "José Álvarez"), ("thank-you", "Hannah Whitfield"),
        ("keep-in-touch", "Zoë Müller"), ("keep-in-touch", "Amara Nwosu"),
    ])
    spec_keys = ["kind", "contact", "row", "to", "subject", "file"]
    assert all(list(m)[:6] == spec_keys and len(m["sha256"]) == 64 for m in manifest)
    assert [list(m) for m in manifest] == [[f.name for f in dataclasses.fields(Draft) if f.name != "postal"]] * 10


def test_eml_drafts_parse_with_exactly_the_intended_headers(tmp_path: Path) -> None:
    """Each .eml opens as an unsent draft from the Profile to the contact, non-ASCII names intact."""
    write_drafts(EXAMPLE, tmp_path, today=TODAY)
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    emls = [m for m in manifest if m["file"].endswith(".eml")]
    assert len(emls) == 9
    for entry in emls:
        msg = parse(tmp_path / entry["file"])
        assert list(msg.keys()) == HEADERS
        assert msg["X-Unsent"] == "1"
        assert msg["From"].addresses[0].addr_spec == "claire.donnelly@example.com"
        assert msg["From"].addresses[0].display_name == "Claire Donnelly"
        (to,) = msg["To"].addresses
        assert to.display_name == entry["contact"] and to.addr_spec == entry["to"]
        assert msg["Subject"] == entry["subject"]
        assert msg.get_content().startswith("Dear ")


def test_outreach_fits_on_a_phone_screen(tmp_path: Path) -> None:
    """Every outreach drafted for the example is under 150 words, subject to signature, and asks for 15–20 minutes."""
    write_drafts(EXAMPLE, tmp_path, today=TODAY, kinds=["outreach"], format="txt")
    files = sorted(tmp_path.glob("outreach-*.txt"))
    assert len(files) == 4
    for path in files:
        text = path.read_text(encoding="utf-8")
        if "\nRe: " in text:  # the printed letter: count from the subject, not the address blocks
            text = text[text.index("\nRe: "):]
        assert len(text.split()) < 150, path.name
        assert "15–20 minutes" in text
        assert "prefer" in text


def test_rerun_writes_the_same_files(tmp_path: Path) -> None:
    """A second run writes the same names and bytes, never duplicates."""
    write_drafts(EXAMPLE, tmp_path, today=TODAY)
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    write_drafts(EXAMPLE, tmp_path, today=TODAY)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == first


def test_rerun_keeps_drafts_the_user_edited(tmp_path: Path) -> None:
    """A draft edited since the last run is kept, not overwritten; the others are rewritten."""
    first = write_drafts(EXAMPLE, tmp_path, today=TODAY)
    edited = tmp_path / first.drafts[0].file
    edited.write_bytes(edited.read_bytes() + b"My own P.S.\r\n")
    untouched = tmp_path / first.drafts[1].file
    untouched.unlink()
    second = write_drafts(EXAMPLE, tmp_path, today=TODAY)
    assert second.kept == [edited.name]
    assert edited.read_bytes().endswith(b"My own P.S.\r\n")
    assert untouched.is_file()
    third = write_drafts(EXAMPLE, tmp_path, today=TODAY)
    assert third.kept == [edited.name]


def interviewed(**fields: Any) -> dict[str, Any]:
    """Bo Lee, interviewed on TODAY: a thank-you is due."""
    base = dict(first_name="Bo", email="bo@example.com", status="Interviewed", interview_date=TODAY,
                key_takeaways="Talk to users weekly.")
    return to_contact(**{**base, **fields})


@pytest.mark.parametrize("left_out", ["--kind", "--contact", "held back"])
def test_a_draft_left_out_of_a_run_is_redrafted_when_due_again(make_book: MakeBook, tmp_path: Path,
                                                               left_out: str) -> None:
    """A thank-you left out of a run (by a filter, or held back that day) is redrafted the next, not kept as edited."""
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "thank-you.j2").write_text("Subject: Thanks\n\nWe talked {{ (today - action.due).days }} days ago.\n")
    rows = [to_contact(), interviewed()]
    book, out = make_book(rows, profile=PROFILE), tmp_path / "out"
    (thanks,) = [d for d in write_drafts(book, out, today=TODAY, templates=mine).drafts if d.kind == "thank-you"]
    assert "We talked 0 days ago." in parse(out / thanks.file).get_content()
    tomorrow = TODAY + dt.timedelta(days=1)
    if left_out == "--kind":
        write_drafts(book, out, today=tomorrow, templates=mine, kinds=["outreach"])
    elif left_out == "--contact":
        write_drafts(book, out, today=tomorrow, templates=mine, contact="ann")
    else:
        broken = make_book([rows[0], interviewed(email="bo at example.com")], profile=PROFILE)
        assert [a.row for a in write_drafts(broken, out, today=tomorrow, templates=mine).held] == [3]
    assert listed(out)[thanks.file] == thanks.to_dict()
    later = TODAY + dt.timedelta(days=2)
    again = write_drafts(book, out, today=later, templates=mine)
    assert again.kept == []
    msg = parse(out / thanks.file)
    assert msg["Date"].datetime.date() == later and "We talked 2 days ago." in msg.get_content()


def test_manifest_lists_the_drafts_in_the_folder(tmp_path: Path) -> None:
    """After a filtered run drafts.json still lists every draft in the folder, and none whose file is gone."""
    first = write_drafts(EXAMPLE, tmp_path, today=TODAY)
    gone = next(d for d in first.drafts if d.kind == "thank-you")
    (tmp_path / gone.file).unlink()
    write_drafts(EXAMPLE, tmp_path, today=TODAY, kinds=["outreach"])
    assert listed(tmp_path) == {d.file: d.to_dict() for d in first.drafts if d is not gone}
    assert list(listed(tmp_path)) == sorted(listed(tmp_path))


def test_an_older_or_damaged_manifest_is_merged_not_trusted(tmp_path: Path) -> None:
    """Entries of an older drafts.json stay listed while their files exist; malformed or stale ones are dropped."""
    (tmp_path / "outreach-ann-lee.eml").write_bytes(b"an older draft")
    older = {"kind": "outreach", "contact": "Ann Lee", "row": 2, "to": "ann@example.com", "subject": "Hello",
             "file": "outreach-ann-lee.eml", "sha256": hashlib.sha256(b"an older draft").hexdigest()}
    junk = [1, "x", None, {"file": 3}, {"file": "gone.eml", "sha256": "0" * 64}, {"file": "../escape.eml"},
            {"kind": ["x"], "contact": {}, "email": 5, "file": "nowhere.eml"}]
    (tmp_path / MANIFEST).write_text(json.dumps([older, *junk]), encoding="utf-8")
    result = write_drafts(EXAMPLE, tmp_path, today=TODAY)
    assert listed(tmp_path) == {"outreach-ann-lee.eml": older, **{d.file: d.to_dict() for d in result.drafts}}
    assert (tmp_path / "outreach-ann-lee.eml").read_bytes() == b"an older draft"


# A letter that comes round again: the row when it is first due, the same row once the
# next round is due, and the day that round is drafted.
ROUNDS = {
    "keep-in-touch": (
        interviewed(status="Thanked", interview_date=dt.date(2026, 8, 1), thank_you_sent=dt.date(2026, 8, 2),
                    last_contact=dt.date(2026, 8, 27)),
        interviewed(status="Keeping In Touch", interview_date=dt.date(2026, 8, 1), thank_you_sent=dt.date(2026, 8, 2),
                    last_contact=TODAY),
        dt.date(2027, 2, 23),
    ),
    "thank-you": (interviewed(), interviewed(interview_date=dt.date(2027, 1, 12)), dt.date(2027, 1, 13)),
}


@pytest.mark.parametrize("edited", [True, False])
@pytest.mark.parametrize("kind", ROUNDS)
def test_a_new_round_gets_a_fresh_draft(make_book: MakeBook, tmp_path: Path, kind: str, edited: bool) -> None:
    """The next keep-in-touch, or a second interview's thank-you, is drafted anew; the last stays only if edited."""
    first_row, next_row, later = ROUNDS[kind]
    out = tmp_path / "out"
    (last,) = write_drafts(make_book([first_row], profile=PROFILE), out, today=TODAY).drafts
    if edited:
        (out / last.file).write_bytes((out / last.file).read_bytes() + b"My own words\r\n")
    run = CliRunner().invoke(app, ["drafts", str(make_book([next_row], profile=PROFILE)), "--out", str(out),
                                   "--today", later.isoformat()])
    assert run.exit_code == 0, run.output
    entries = listed(out)
    (new,) = [e for name, e in entries.items() if name != last.file]
    assert new["kind"] == kind and new["due"] > last.due and "Kept" not in run.stderr
    assert parse(out / new["file"])["Date"].datetime.date() == later
    assert sorted(entries) == sorted([new["file"], last.file] if edited else [new["file"]])
    assert (out / last.file).exists() is edited
    assert ("Deleted 1 unedited draft(s) of an earlier round" in run.stdout) is not edited
    if edited:
        assert entries[last.file] == last.to_dict()
        assert (out / last.file).read_bytes().endswith(b"My own words\r\n")


def test_link_planted_in_the_folder_is_not_written_through(tmp_path: Path) -> None:
    """A draft's name taken by a symbolic link to a file outside the folder stops the run; that file is untouched."""
    names = [d.file for d in write_drafts(EXAMPLE, tmp_path / "first", today=TODAY).drafts]
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"mine")
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / names[0]).symlink_to(outside)
    with pytest.raises(UsageError, match="resolves outside"):
        write_drafts(EXAMPLE, folder, today=TODAY)
    assert outside.read_bytes() == b"mine"


def test_postal_letter_is_printable_with_address(tmp_path: Path) -> None:
    """Preferred Contact Letter gives a .txt letter with the address block, not an email."""
    write_drafts(EXAMPLE, tmp_path, today=TODAY, contact="ashdown")
    (letter,) = list(tmp_path.glob("outreach-*"))
    assert letter.suffix == ".txt"
    text = letter.read_text(encoding="utf-8")
    assert "14 Harbour Street, Suite 300" in text and "Boston, MA 02110" in text
    assert "Re: " in text and "Subject:" not in text


@pytest.mark.parametrize(("permission", "named"), [("Yes", True), ("No", False), (None, False)])
def test_referrer_named_only_with_permission(make_book: MakeBook, tmp_path: Path, permission: str | None,
                                             named: bool) -> None:
    """The outreach names the referrer only when May Use Referrer's Name is Yes."""
    rows = [
        contact(first_name="Priya", last_name="Raman", status="Thanked", interview_date=dt.date(2026, 10, 1),
                thank_you_sent=dt.date(2026, 10, 2), key_takeaways="x", last_contact=dt.date(2026, 11, 1)),
        to_contact(referred_by="Priya Raman", may_use_referrers_name=permission, how_found="Referral"),
    ]
    out = tmp_path / "out"
    result = write_drafts(make_book(rows, profile=PROFILE), out, today=TODAY, kinds=["outreach"])
    assert [d.contact for d in result.drafts] == ["Ann Lee"]
    body = parse(out / result.drafts[0].file).get_content()
    assert ("Priya" in body) is named


@pytest.mark.parametrize("fmt", ["eml", "txt"])
def test_a_contact_whose_own_email_or_company_names_the_referrer_keeps_them(make_book: MakeBook, tmp_path: Path,
                                                                           fmt: str) -> None:
    """Without permission to name Priya Raman, a contact at raman.ann@… of Raman Partners is still written to,
    and drafts.json keeps the email and company record needs to find them again."""
    rows = [
        contact(first_name="Priya", last_name="Raman", status="Thanked", interview_date=dt.date(2026, 10, 1),
                thank_you_sent=dt.date(2026, 10, 2), key_takeaways="x", last_contact=dt.date(2026, 11, 1)),
        to_contact(email="raman.ann@example.com", company="Raman Partners", referred_by="Priya Raman",
                   how_found="Referral"),
    ]
    out = tmp_path / "out"
    result = write_drafts(make_book(rows, profile=PROFILE), out, today=TODAY, kinds=["outreach"], format=fmt)
    [entry] = listed(out).values()
    assert (entry["email"], entry["company"], entry["to"]) == ("raman.ann@example.com", "Raman Partners",
                                                               "raman.ann@example.com")
    written = out / result.drafts[0].file
    if fmt == "eml":
        assert parse(written)["To"].addresses[0].addr_spec == "raman.ann@example.com"
    else:
        assert written.read_text(encoding="utf-8").startswith("To: Ann Lee <raman.ann@example.com>")
    assert "Priya" not in written.read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_unicode_names_files_and_headers(make_book: MakeBook, tmp_path: Path) -> None:
    """Zoë Müller gets an ASCII file name and a correctly encoded To header."""
    out = tmp_path / "out"
    book = make_book([to_contact(first_name="Zoë", last_name="Müller", email="zoe@example.org")], profile=PROFILE)
    result = write_drafts(book, out, today=TODAY)
    (draft,) = result.drafts
    assert re.fullmatch(r"outreach-zoe-muller-[0-9a-f]{8}\.eml", draft.file)
    raw = (out / draft.file).read_bytes()
    raw.decode("ascii")
    assert parse(out / draft.file)["To"].addresses[0].display_name == "Zoë Müller"


def test_header_injection_from_cells_is_never_a_header(make_book: MakeBook, tmp_path: Path) -> None:
    """An encoded newline in a name never becomes a Bcc header: the name is written encoded and reads back as typed."""
    # openpyxl would store a leading "=" as a formula; short enough to be one encoded word, which Python's
    # address parser reads back exactly (it keeps the folding space between two words of a name).
    name = "Ann =?utf-8?q?=0D=0ABcc:_e@x.io?="
    rows = [to_contact(first_name=name, email="ann@example.com"), to_contact(first_name="Bo", email="bo@example.com")]
    out = tmp_path / "out"
    result = write_drafts(make_book(rows, profile=PROFILE), out, today=TODAY)
    assert [d.contact for d in result.drafts] == [f"{name} Lee", "Bo Lee"] and result.problems == []
    msg = parse(out / result.drafts[0].file)
    assert msg.keys() == HEADERS
    assert [(a.display_name, a.addr_spec) for a in msg["To"].addresses] == [(f"{name} Lee", "ann@example.com")]
    for path in out.glob("*.eml"):
        assert b"Bcc" not in path.read_bytes().split(b"\r\n\r\n", 1)[0]


def test_invalid_email_row_is_held_not_drafted(make_book: MakeBook, tmp_path: Path) -> None:
    """A row whose email is invalid gets no letter: it is held back until fixed."""
    rows = [to_contact(email="ann@example.com\nBcc: evil@example.com")]
    out = tmp_path / "out"
    result = write_drafts(make_book(rows, profile=PROFILE), out, today=TODAY)
    assert result.drafts == [] and [a.row for a in result.held] == [2]
    assert result.exit_code == 1


@pytest.mark.parametrize("name", ["../../etc/passwd", "/abs/path", "CON", "..", "C:\\Windows\\x", "nul"])
def test_file_names_stay_inside_out_dir(make_book: MakeBook, tmp_path: Path, name: str) -> None:
    """Whatever a name cell holds, the draft is written inside --out."""
    out = tmp_path / "out"
    result = write_drafts(make_book([to_contact(first_name=name, last_name=None)], profile=PROFILE), out,
                          today=TODAY)
    (draft,) = result.drafts
    written = (out / draft.file).resolve()
    assert written.parent == out.resolve() and written.is_file()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted([draft.file, MANIFEST,
                                                                                 "book0.xlsx"])


PEOPLE = [
    to_contact(first_name="Zoë", last_name="Müller", email="zoe@example.org"),
    to_contact(first_name="Zoe", last_name="Muller", email="zoe.muller@example.com"),
    to_contact(first_name="王芳", last_name=None, email="wang.fang@example.cn"),
    to_contact(first_name="王方", last_name=None, email="wang.f@example.cn"),
    to_contact(first_name="Иван", last_name="Петров", email="ivan@example.ru"),
    to_contact(first_name="Ann", last_name="Lee", email="ann@acme.example", company="Acme"),
    to_contact(first_name="Ann", last_name="Lee", email="ann@globex.example", company="Globex"),
]


def assert_each_file_is_its_persons(out: Path) -> None:
    """Every listed draft is addressed to the person its entry names, and every draft is listed."""
    entries = listed(out)
    assert sorted(p.name for p in out.iterdir()) == sorted([MANIFEST, *entries])
    for name, entry in entries.items():
        (to,) = parse(out / name)["To"].addresses
        assert (to.addr_spec, to.display_name) == (entry["to"], entry["contact"])
        assert entry.get("email") == to.addr_spec


def test_sorting_the_rows_leaves_each_draft_with_its_person(make_book: MakeBook, tmp_path: Path) -> None:
    """After the rows are sorted, every draft (edited or not) is still listed under, and written for, its person."""
    out = tmp_path / "out"
    first = write_drafts(make_book(PEOPLE, profile=PROFILE), out, today=TODAY)
    assert len({d.file for d in first.drafts}) == len(PEOPLE)
    edited = {d.file: d.to for d in first.drafts[::2]}
    for name, to in edited.items():
        (out / name).write_bytes((out / name).read_bytes() + f"Edited for {to}\r\n".encode())
    again = write_drafts(make_book(PEOPLE[::-1], profile=PROFILE), out, today=TODAY)
    assert sorted(again.kept) == sorted(edited)
    assert {d.file: d.to for d in again.drafts} == {d.file: d.to for d in first.drafts}
    assert_each_file_is_its_persons(out)
    for name, to in edited.items():
        assert (out / name).read_bytes().endswith(f"Edited for {to}\r\n".encode())
    sorted_rows = {c[S.EMAIL.name]: row for row, c in enumerate(PEOPLE[::-1], start=2)}
    assert all(entry["row"] == sorted_rows[entry["email"]] for entry in listed(out).values())


@pytest.mark.parametrize("order", [["Zoë", "Zoe "], ["zoe ", "ZOË"], ["王芳", "王方"], ["王方", "王芳"]])
def test_contact_filters_in_any_order_leave_each_draft_with_its_person(make_book: MakeBook, tmp_path: Path,
                                                                       order: list[str]) -> None:
    """Drafting one person, editing it, then drafting another whose name slugs alike never touches the first."""
    book, out = make_book(PEOPLE, profile=PROFILE), tmp_path / "out"
    (mine,) = write_drafts(book, out, today=TODAY, contact=order[0]).drafts
    (out / mine.file).write_bytes((out / mine.file).read_bytes() + b"My own words\r\n")
    (theirs,) = write_drafts(book, out, today=TODAY, contact=order[1]).drafts
    assert theirs.file != mine.file and theirs.contact != mine.contact
    assert (out / mine.file).read_bytes().endswith(b"My own words\r\n")
    assert sorted(listed(out)) == sorted([mine.file, theirs.file])
    assert_each_file_is_its_persons(out)


def test_user_template_overrides_one_kind(make_book: MakeBook, tmp_path: Path) -> None:
    """--templates with only outreach.j2 changes the outreach; the thank-you uses the built-in one."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "outreach.j2").write_text("Subject: Coffee, {{ contact.first_name }}?\n\nHi {{ contact.first_name }}!\n")
    rows = [to_contact(), to_contact(first_name="Bo", email="bo@example.com", status="Interviewed",
                                     interview_date=TODAY, key_takeaways="Talk to users weekly.")]
    out = tmp_path / "out"
    result = write_drafts(make_book(rows, profile=PROFILE), out, today=TODAY, templates=mine)
    subjects = {d.kind: d.subject for d in result.drafts}
    assert subjects["outreach"] == "Coffee, Ann?"
    (thanks,) = [d.file for d in result.drafts if d.kind == "thank-you"]
    assert "your advice to talk to users weekly." in parse(out / thanks).get_content()


def test_broken_template_reported_others_written(make_book: MakeBook, tmp_path: Path) -> None:
    """A template using a name that does not exist fails for its letters, with row and template; others go on."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thank-you.j2").write_text("Subject: Thanks\n\nDear {{ contact.nickname }},\n")
    rows = [to_contact(), to_contact(first_name="Bo", email="bo@example.com", status="Interviewed",
                                     interview_date=TODAY, key_takeaways="x")]
    result = write_drafts(make_book(rows, profile=PROFILE), tmp_path / "out", today=TODAY, templates=mine)
    assert [d.kind for d in result.drafts] == ["outreach"]
    (problem,) = result.problems
    assert problem.row == 3 and problem.template.endswith("thank-you.j2:3") and "nickname" in problem.message
    assert result.exit_code == 1


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    """--dry-run lists the drafts and creates no file or folder."""
    out = tmp_path / "out"
    result = write_drafts(EXAMPLE, out, today=TODAY, dry_run=True)
    assert len(result.drafts) == 10
    assert not out.exists()


def test_kind_and_contact_filters(tmp_path: Path) -> None:
    """--kind and --contact narrow what is drafted."""
    result = write_drafts(EXAMPLE, tmp_path, today=TODAY, kinds=["thank-you", "follow-up"], contact="o")
    assert sorted((d.kind, d.contact) for d in result.drafts) == [
        ("follow-up", "Sofia Rossi"), ("thank-you", "José Álvarez")]


def test_cli_closing_line_and_exit_codes(tmp_path: Path) -> None:
    """The command ends with what was written where; a bad --kind is a one-line error."""
    runner = CliRunner()
    out = tmp_path / "drafts"
    result = runner.invoke(app, ["drafts", str(EXAMPLE), "--out", str(out), "--today", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert f"Wrote 10 drafts to {out}/: 4 outreach, 2 follow-up, 2 thank-you, 2 keep-in-touch" in result.stdout
    bad = runner.invoke(app, ["drafts", str(EXAMPLE), "--out", str(out), "--kind", "call"])
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: --kind 'call'")


def test_out_is_a_file(tmp_path: Path) -> None:
    """--out naming a file is a one-line error, exit 2, and the file is untouched."""
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    result = CliRunner().invoke(app, ["drafts", str(EXAMPLE), "--out", str(target)])
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")
    assert target.read_text() == "mine"


def test_templates_ship_in_installed_package(tmp_path: Path) -> None:
    """A non-editable install finds its templates when run from another directory."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    site = tmp_path / "site"
    (wheel,) = wheels.glob("sheetkit-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import sheetkit, sheetkit.render as r, sys; "
        "print(sheetkit.__file__); print(r.builtin_templates_dir()); "
        f"res = sheetkit.write_drafts({str(EXAMPLE)!r}, 'out', today=__import__('datetime').date(2026, 11, 25)); "
        "print(len(res.drafts), len(res.problems))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0].startswith(str(site))
    assert out[1].startswith(str(site)) and out[1].endswith("templates")
    assert out[2] == "10 0"



@pytest.mark.parametrize("broken", [False, True])
def test_parallel_drafting_writes_the_same_as_sequential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         broken: bool) -> None:
    """Across processes (as for a cohort) the drafts, problems, manifest and order are exactly the sequential ones."""
    import sheetkit.drafts as drafts_module

    templates = None
    if broken:  # every follow-up fails to render: problems come back from the workers too
        templates = tmp_path / "templates"
        templates.mkdir()
        (templates / "follow-up.j2").write_text("Subject: x\n\n{{ contact.no_such_column }}\n", encoding="utf-8")
    seq, par = tmp_path / "seq", tmp_path / "par"
    expected = write_drafts(EXAMPLE, seq, today=TODAY, templates=templates)
    monkeypatch.setattr(drafts_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(drafts_module, "CHUNK", 3)
    monkeypatch.setattr(drafts_module, "usable_cpus", lambda: 2)
    seen: list[tuple[int, int]] = []
    result = write_drafts(EXAMPLE, par, today=TODAY, templates=templates,
                          progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 10), (6, 10), (9, 10), (10, 10)]
    assert result.drafts == expected.drafts and result.problems == expected.problems
    assert len(result.drafts) == (8 if broken else 10) and len(result.problems) == (2 if broken else 0)
    assert {p.name: p.read_bytes() for p in par.iterdir()} == {p.name: p.read_bytes() for p in seq.iterdir()}
    edited = par / result.drafts[0].file
    edited.write_bytes(b"my own words")
    again = write_drafts(EXAMPLE, par, today=TODAY, templates=templates)
    assert again.kept == [edited.name] and edited.read_bytes() == b"my own words"


def test_unwritable_out_dir_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails (a full disk, a read-only folder) stops with an Error: line, exit 2."""
    import sheetkit.drafts as drafts_module

    def refuse(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(drafts_module, "atomic_write_bytes", refuse)
    result = CliRunner().invoke(app, ["drafts", str(EXAMPLE), "--out", str(tmp_path / "out"), "--today",
                                      "2026-11-25"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "No space left" in result.stderr


def test_usable_cpus_follow_the_affinity_mask(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers are counted from the CPUs this process may use, not from all the machine has."""
    import sheetkit.drafts as drafts_module

    monkeypatch.setattr(drafts_module.os, "cpu_count", lambda: 64)
    monkeypatch.setattr(drafts_module.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert drafts_module.usable_cpus() == 3
    monkeypatch.delattr(drafts_module.os, "sched_getaffinity")
    assert drafts_module.usable_cpus() == 64


def test_a_line_break_in_your_name_is_one_space_in_every_from(make_book: MakeBook, tmp_path: Path) -> None:
    """Your Name typed with Alt+Enter drafts every letter, From the name on one line: nothing held, nothing refused."""
    rows = [to_contact(first_name=f"Ann{i}", email=f"ann{i}@example.com") for i in range(9)]
    rows.append(to_contact(first_name="Bo", email=None, preferred_contact="Letter", mailing_address="1 High St"))
    profile = {**PROFILE, S.YOUR_NAME.name: "Dana\nReyes"}
    result = write_drafts(make_book(rows, profile=profile), tmp_path, today=TODAY)
    assert result.problems == [] and result.held == [] and len(result.drafts) == 10
    for path in tmp_path.glob("*.eml"):
        assert parse(path)["From"].addresses[0].display_name == "Dana Reyes"


@pytest.mark.parametrize(("profile", "setting"), [
    ({S.YOUR_NAME.name: "Dana\u202eReyes"}, "Your Name"),
    ({S.MY_EMAIL.name: "dána@example.com"}, "Email"),
])
def test_a_profile_drafts_cannot_carry_holds_every_letter(make_book: MakeBook, tmp_path: Path,
                                                          profile: dict[str, Any], setting: str) -> None:
    """A Profile name or email no draft can carry holds every letter back, naming the setting; none is refused."""
    rows = [to_contact(first_name=f"Ann{i}", email=f"ann{i}@example.com") for i in range(3)]
    result = write_drafts(make_book(rows, profile={**PROFILE, **profile}), tmp_path / "out", today=TODAY)
    assert result.drafts == [] and result.problems == []
    assert len(result.held) == 3 and result.profile_errors == [setting]
    assert result.exit_code == 1


def test_a_follow_up_threads_under_the_request_sheetkit_drafted(make_book: MakeBook, tmp_path: Path) -> None:
    """The follow-up answers the outreach drafted in the same folder (In-Reply-To, References), and says Re:."""
    out = tmp_path / "out"
    asked = dt.date(2026, 11, 2)
    write_drafts(make_book([to_contact(company="Acme")], profile=PROFILE), out, today=asked)
    (request_file,) = out.glob("outreach-*.eml")
    request = parse(request_file)
    later = make_book([to_contact(company="Acme", status="Requested", request_sent=asked)], profile=PROFILE)
    result = write_drafts(later, out, today=TODAY)
    (follow,) = [d for d in result.drafts if d.kind == "follow-up"]
    reply = parse(out / follow.file)
    assert reply["In-Reply-To"] == request["Message-ID"] == reply["References"]
    assert reply["Subject"] == "Re: " + request["Subject"]
    entries = {e["file"]: e for e in json.loads((out / "drafts.json").read_text(encoding="utf-8"))}
    assert entries[request_file.name]["message_id"] == request["Message-ID"]
    assert entries[follow.file]["message_id"] == reply["Message-ID"] != request["Message-ID"]

    elsewhere = write_drafts(later, tmp_path / "fresh", today=TODAY)
    (alone,) = [d for d in elsewhere.drafts if d.kind == "follow-up"]
    assert parse(tmp_path / "fresh" / alone.file)["In-Reply-To"] is None  # no request of sheetkit's to answer


@pytest.mark.parametrize(("zone", "offset"), [("America/New_York", "-0500"), ("Europe/Dublin", "+0000"),
                                              ("Asia/Kolkata", "+0530")])
def test_drafts_are_dated_nine_in_the_morning_in_the_time_zone(make_book: MakeBook, tmp_path: Path, zone: str,
                                                                offset: str) -> None:
    """The Date header is 09:00 on the day planned for, in the Profile's Time Zone."""
    book = make_book([to_contact()], profile={**PROFILE, S.TIME_ZONE.name: zone})
    result = write_drafts(book, tmp_path, today=TODAY)
    date = parse(tmp_path / result.drafts[0].file)["Date"]
    assert date == f"Wed, 25 Nov 2026 09:00:00 {offset}"


def test_without_a_time_zone_drafts_are_dated_in_this_computers(make_book: MakeBook, tmp_path: Path) -> None:
    """No Time Zone on Profile: 09:00 local time, with the local offset of that day."""
    result = write_drafts(make_book([to_contact()], profile=PROFILE), tmp_path, today=TODAY)
    sent = email.utils.parsedate_to_datetime(parse(tmp_path / result.drafts[0].file)["Date"])
    local = dt.datetime.combine(TODAY, dt.time(9, 0)).astimezone()
    assert (sent.hour, sent.minute, sent.utcoffset()) == (9, 0, local.utcoffset())


# Set in a drafting process before it starts, so it drafts with forked workers
# as for a cohort: the example's ten letters in chunks of three, on two CPUs.
IN_WORKERS = "import sheetkit.drafts as d; d.PARALLEL_FROM = 2; d.CHUNK = 3; d.usable_cpus = lambda: 2; "


def run_drafts(*args: str | Path, setup: str = "") -> tuple[subprocess.CompletedProcess[str], float]:
    """``sheetkit drafts ARGS`` in a process group of its own, after ``setup``: its result and wall time.

    A run still going after a minute is killed with its workers, and the test fails.
    """
    command = [sys.executable, "-c", f"{setup}from sheetkit.cli import main; main()", "drafts", *map(str, args)]
    start = time.monotonic()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                          start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail("sheetkit drafts was still running after 60 s")
    return subprocess.CompletedProcess(command, proc.returncode, out, err), time.monotonic() - start


@pytest.mark.parametrize("setup", ["", IN_WORKERS], ids=["one-process", "forked-workers"])
def test_a_template_that_never_ends_fails_its_letters_within_seconds(tmp_path: Path, setup: str) -> None:
    """An outreach.j2 looping 10^10 times: under 5 s, exit 1, each outreach reported at the loop, the rest written."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "outreach.j2").write_text(
        "Subject: Hello {{ contact.first_name }}\n\nDear {{ contact.first_name }},\n{% set r = range(100000) %}\n"
        "{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}\n", encoding="utf-8")
    out = tmp_path / "out"
    result, took = run_drafts(EXAMPLE, "--templates", mine, "--out", out, "--today", "2026-11-25", setup=setup)
    assert took < 5, f"took {took:.1f} s"
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    stopped = f"outreach: {mine / 'outreach.j2'}:5: rendering took longer than 2 s (a loop that never ends?)"
    assert sorted(result.stderr.splitlines()) == [
        f"✗ row {row} ({name}), {stopped}"
        for row, name in [(14, "Siobhán Kelly"), (15, "Robert Ashdown"), (16, "Elena Petrova"), (17, "Tom Brennan")]]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(m["kind"] for m in manifest) == ["follow-up"] * 2 + ["keep-in-touch"] * 2 + ["thank-you"] * 2
    assert sorted(p.name for p in out.iterdir()) == sorted([MANIFEST, *(m["file"] for m in manifest)])
