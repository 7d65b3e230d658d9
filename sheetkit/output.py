"""Rendering results for people: Rich tables on the terminal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sheetkit import schema
from sheetkit.issues import Report
from sheetkit.kinds import letter_kinds
from sheetkit.planner import Action, Plan
from sheetkit.terminal import visible

if TYPE_CHECKING:
    from sheetkit.drafts import DraftsResult
    from sheetkit.ics import CalendarResult
    from sheetkit.importing import ImportResult
    from sheetkit.mailbox import MailboxDrafts
    from sheetkit.page import ReportResult
    from sheetkit.record import RecordResult

STYLE = {"error": "bold red", "warning": "yellow"}
PROBLEMS_SHOWN = 50


def console() -> Console:
    # Wide enough for messages when piped to a file; soft-wrapped on a terminal.
    return Console(highlight=False, markup=False, width=None if Console().is_terminal else 140)


def _text(text: str, style: str = "") -> Text:
    """Text for Rich to print: never read as markup, and with nothing raw from a cell (:func:`visible`)."""
    return Text(visible(text), style=style)


def some(items: list[str], limit: int = 8) -> str:
    """A list for one line: the first few, then how many more."""
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} … and {len(items) - limit:,} more"


# Above this many rows a table is printed as plain aligned columns: Rich lays a table
# out cell by cell, about half a millisecond a row, so a cohort's 25,000-line agenda
# took 14 s to print and validate's 9,000 issues 6 s.
PLAIN_FROM = 400


@dataclass(frozen=True)
class Column:
    name: str
    right: bool = False
    no_wrap: bool = False
    ratio: int | None = None


Cell = str | tuple[str, str]
"""A table cell: text, or ``(text, style)``; made a Rich Text only when drawn as a Rich table (6 µs each)."""


def print_table(con: Console, title: str, columns: list[Column], rows: list[list[Cell]],
                sections: frozenset[int] = frozenset()) -> None:
    """A Rich table, or for a cohort's thousands of rows the same columns as plain aligned text.

    ``sections`` are the row positions that start a new group (a rule above
    them in the Rich table).
    """
    if len(rows) < PLAIN_FROM:
        # Text, never a markup string: a name such as "Ann [/x]" is the user's, not Rich markup.
        table = Table(title=_text(title), title_justify="left")
        for c in columns:
            table.add_column(c.name, justify="right" if c.right else "left", no_wrap=c.no_wrap, ratio=c.ratio)
        for i, row in enumerate(rows):
            if i in sections:
                table.add_section()
            table.add_row(*(_text(cell) if isinstance(cell, str) else _text(*cell) for cell in row))
        con.print(table)
        return
    cells = [[_one_line(visible(cell if isinstance(cell, str) else cell[0])) for cell in row] for row in rows]
    widths = [max(_width(c.name), *(_width(row[j]) for row in cells)) for j, c in enumerate(columns)]
    last = len(columns) - 1

    ascii_line = "  ".join(
        f"{{:>{w}}}" if c.right else "{}" if j == last else f"{{:<{w}}}"
        for j, (c, w) in enumerate(zip(columns, widths, strict=True))
    ).format

    def line(values: list[str]) -> str:
        if all(v.isascii() for v in values):  # nearly every row: padded by str.format, in C
            return ascii_line(*values).rstrip()
        parts = []
        for j, (c, value, w) in enumerate(zip(columns, values, widths, strict=True)):
            pad = " " * (w - _width(value))
            parts.append(pad + value if c.right else value if j == last else value + pad)
        return "  ".join(parts).rstrip()

    text = [_one_line(visible(title)), line([c.name for c in columns]), line(["-" * w for w in widths])]
    text += [line(values) for values in cells]
    con.file.write("\n".join(text) + "\n")


# A line break or tab in a cell would break its row in two or misalign it: a line break is
# shown as the ↵ a person typed, a tab as one space (visible() has escaped every other control).
_CONTROLS = {10: "↵", 9: " "}


def _one_line(text: str) -> str:
    return text if text.isprintable() else text.translate(_CONTROLS)


def _width(text: str) -> int:
    """Columns the text takes on a terminal: a CJK character takes two."""
    return len(text) if text.isascii() else cell_len(text)


def print_report(report: Report, *, strict: bool = False, out: Console | None = None) -> None:
    """The issues as a table grouped by sheet and row, then a one-line summary."""
    con = out or console()
    if report.issues:
        columns = [Column("Where", no_wrap=True), Column("Cell", no_wrap=True), Column("Severity", no_wrap=True),
                   Column("Code", no_wrap=True), Column("Column"), Column("How to fix", ratio=1)]
        rows: list[list[Cell]] = []
        sections: set[int] = set()
        previous: tuple[str, int | None] | None = None
        for issue in report.issues:
            group = (issue.sheet, issue.row)
            if previous is not None and group != previous:
                sections.add(len(rows))
            where = f"{issue.sheet} row {issue.row}" if issue.row else issue.sheet
            rows.append([
                where if group != previous else "",
                issue.cell or "",
                (issue.severity, STYLE[issue.severity]),
                issue.code,
                issue.column or "",
                issue.message,
            ])
            previous = group
        print_table(con, report.path, columns, rows, frozenset(sections))
    con.print(summary(report, strict=strict), soft_wrap=True)


def summary(report: Report, *, strict: bool = False) -> Text:
    """One line: how many errors and warnings, and what to do next."""
    rows = len({(i.sheet, i.row) for i in report.issues})
    e, w = report.errors, report.warnings
    counts = f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"
    if e:
        return _text(f"✗ {counts} in {rows} row{'s' * (rows != 1)} of {report.path} — fix the errors, then run "
                     "`sheetkit validate` again.", style="bold red")
    if w:
        tail = " (--strict: warnings fail)" if strict else ""
        return _text(f"! {counts} in {report.path} — it can be used; the warnings are worth a look{tail}.",
                     style="yellow")
    return _text(f"✓ {report.path}: no problems found.", style="green")


def print_plan(plan: Plan, path: str, out: Console | None = None) -> None:
    """The pipeline (per status, per field, requests answered) and the agenda, overdue first."""
    con = out or console()
    con.print(_text(f"{path} — {plan.today.strftime('%A %d %B %Y')}", style="bold"), soft_wrap=True)
    pipeline = Table(title="Pipeline", title_justify="left")
    pipeline.add_column("Status")
    pipeline.add_column("Contacts", justify="right")
    for status, count in plan.counts.items():
        pipeline.add_row(status, str(count), style=None if count else "dim")
    con.print(pipeline)
    if plan.asked:
        con.print(f"Requests answered: {plan.answered} of {plan.asked} ({plan.answered_percent}%)")
    if plan.fields:
        fields = Table(title="Interviews per field", title_justify="left")
        fields.add_column("Field")
        fields.add_column("Interviews", justify="right")
        fields.add_column("Goal", justify="right")
        fields.add_column("")
        for f in plan.fields:
            mark = _text("✓ enough", style="green") if f.interviews >= f.goal else _text(
                f"{f.goal - f.interviews} to go", style="yellow")
            fields.add_row(_text(f.field), str(f.interviews), str(f.goal), mark)
        con.print(fields)
    if not plan.actions:
        con.print(_text("Nothing due today.", style="green"))
    else:
        columns = [Column("Due", no_wrap=True), Column("What", no_wrap=True), Column("Contact"),
                   Column("Row", right=True), Column("Note")]
        rows: list[list[Cell]] = []
        for a in plan.actions:
            when = (a.due.isoformat(), "bold red" if a.overdue else "")
            late = f"overdue {(plan.today - a.due).days} days" if a.overdue else ""
            note = f"{late}; {a.note}" if late and a.note else late or a.note
            rows.append([when, a.kind.what, a.contact, str(a.row), note])
        print_table(con, f"Agenda — {len(plan.actions)} due, {plan.overdue} overdue", columns, rows)
    if plan.held:
        con.print(held_back(plan.held, plan.profile_errors, path), soft_wrap=True)
    if plan.letters():
        con.print(_text(f"Draft the {len(plan.letters())} letter(s): sheetkit drafts {path} --out drafts/"),
                  soft_wrap=True)


def held_back(held: list[Action], profile_errors: list[str], path: str) -> Text:
    """Why letters are held back: errors on the Profile (which hold every letter), else in their rows."""
    if profile_errors:
        why = f"the Profile has errors in {some(profile_errors)}"
    else:
        why = f"row(s) {some(sorted({str(a.row) for a in held}, key=int))} have errors"
    return _text(f"! {len(held)} letter(s) held back: {why} — run `sheetkit validate {path}` and fix them first.",
                 style="yellow")


class ProgressBar:
    """A progress bar on stderr for long work (drafts written, workbooks read); silent when short or not a terminal."""

    THRESHOLD = 25

    def __init__(self, label: str = "Writing drafts", threshold: int = THRESHOLD) -> None:
        self._label = label
        self._threshold = threshold
        self._progress: Any = None
        self._task: Any = None
        self._console = Console(stderr=True, markup=False)
        self._shown = self._console.is_terminal  # asked once: rich works it out anew on every call

    def __enter__(self) -> ProgressBar:
        return self

    def update(self, done: int, total: int) -> None:
        if total < self._threshold or not self._shown:
            return
        if self._progress is None:
            from rich.progress import Progress

            self._progress = Progress(console=self._console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self._label, total=total)
        self._progress.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def print_drafts(result: DraftsResult, path: str, out: Console | None = None) -> None:
    """What was (or would be) written where, problems by row and template, and a closing line."""
    con = out or console()
    err = Console(stderr=True, highlight=False, markup=False, width=con.width)
    if result.dry_run and result.drafts:
        columns = [Column(name, right=name == "Row") for name in ("File", "Kind", "Contact", "Row", "To", "Subject")]
        rows: list[list[Cell]] = [[d.file, d.kind, d.contact, str(d.row), d.to, d.subject] for d in result.drafts]
        print_table(con, f"Would write to {result.out}/", columns, rows)
    for problem in result.problems[:PROBLEMS_SHOWN]:
        err.print(_text(f"✗ {problem.line()}", style="red"), soft_wrap=True)
    if len(result.problems) > PROBLEMS_SHOWN:
        err.print(_text(f"✗ … and {len(result.problems) - PROBLEMS_SHOWN:,} more letters that could not be drafted",
                        style="red"))
    if result.held:
        err.print(held_back(result.held, result.profile_errors, path), soft_wrap=True)
    if result.kept:
        err.print(_text(f"! Kept {len(result.kept)} draft(s) you edited since the last run: "
                        f"{some(result.kept)} — delete a file to have it drafted again.", style="yellow"),
                  soft_wrap=True)
    counts = result.counts()
    detail = ", ".join(f"{counts[k.name]} {k}" for k in letter_kinds() if counts[k.name])
    verb = "Would write" if result.dry_run else "Wrote"
    n = len(result.drafts)
    line = f"{verb} {n} draft{'s' * (n != 1)} to {result.out}/" + (f": {detail}" if detail else "")
    if result.out is not None:  # None: every email went to the mailbox, which print_mailbox_drafts reports
        con.print(_text(line), soft_wrap=True)
    postal = [d for d in result.drafts if d.postal]
    if postal:
        con.print(_text(f"{len(postal)} of them {'is a' if len(postal) == 1 else 'are'} printable letter"
                        f"{'s' * (len(postal) != 1)} to print and post (Preferred Contact: Letter): "
                        + some([d.file for d in postal])), soft_wrap=True)
    if result.replaced:
        con.print(_text(f"Deleted {len(result.replaced)} unedited draft(s) of an earlier round, now drafted anew: "
                        + some(result.replaced)), soft_wrap=True)
    if result.problems:
        con.print(_text(f"{len(result.problems)} letter(s) could not be drafted — see above.", style="red"))


# How the summary names what falls due next, by kind.
_NEXT_NAMES = {"follow-up": "follow-ups (unless they answer first)", "keep-in-touch": "keep-in-touch notes"}


def print_record(result: RecordResult, path: str, out: Console | None = None) -> None:
    """What changed by contact (cell, old → new), what was skipped and why, the backup and what is next."""
    con = out or console()
    err = Console(stderr=True, highlight=False, markup=False, width=con.width)
    if result.changes:
        columns = [Column("Contact"), Column("Row", right=True), Column("Cell", no_wrap=True), Column("Column"),
                   Column("Old"), Column("New")]
        rows: list[list[Cell]] = []
        sections: set[int] = set()
        previous = None
        for c in result.changes:
            if previous is not None and c.row != previous:
                sections.add(len(rows))
            first = c.row != previous
            rows.append([result.contacts.get(c.row, "") if first else "", str(c.row) if first else "", c.cell,
                         result.columns.get(c.column, c.column), _shown(c.old), _shown(c.new)])
            previous = c.row
        title = f"{'Would change' if result.dry_run else 'Changed'} in {path}"
        print_table(con, title, columns, rows, frozenset(sections))
    for s in result.skipped[:PROBLEMS_SHOWN]:
        what = f" ({s.kind})" if s.kind else ""
        err.print(_text(f"✗ Skipped {s.contact}{what}: {s.reason}", style="red"), soft_wrap=True)
    if len(result.skipped) > PROBLEMS_SHOWN:
        err.print(_text(f"✗ … and {len(result.skipped) - PROBLEMS_SHOWN:,} more skipped", style="red"))
    con.print(_text(record_summary(result, path)), soft_wrap=True)
    if result.backup is not None:
        con.print(_text(f"The previous version is kept as {result.backup}"), soft_wrap=True)
    for due in result.next:
        n = due.contacts
        con.print(_text(f"Next: {_NEXT_NAMES.get(due.kind.name, due.kind.name)} fall due on "
                        f"{due.due:%A} {due.due.day} {due.due:%B %Y} for {n} contact{'s' * (n != 1)}: "
                        f"`sheetkit status {path}` lists them that morning."), soft_wrap=True)
    if result.skipped:
        n = len(result.skipped)
        con.print(_text(f"{n} skipped — see above; nothing was written for {'it' if n == 1 else 'them'}.",
                        style="red"), soft_wrap=True)


def record_summary(result: RecordResult, path: str) -> str:
    """One line: how many actions were recorded (or would be), of which kinds, and how many already were."""
    already = result.already
    if not result.changes:
        if already:
            where = "listed" if result.dated else "found in the mailbox"  # the mailbox's are not listed above
            listed = f"{already} action{'s' * (already != 1)} {where} {'is' if already == 1 else 'are'}"
            return f"Nothing changed: the {listed} already recorded in {path}."
        return f"Nothing to record in {path}."
    n = sum(result.recorded.values())
    detail = ", ".join(f"{count} {kind}" for kind, count in result.recorded.items())
    verb = "Would record" if result.dry_run else "Recorded"
    tail = f"; {already} already recorded" if already else ""
    dry = " (--dry-run: nothing written)" if result.dry_run else ""
    when = f"sent on {result.date.isoformat()}" if result.dated else "found in the mailbox"
    return f"{verb} {n} action{'s' * (n != 1)} {when} in {path}: {detail}{tail}{dry}."


def _shown(value: object) -> str:
    if value is None:
        return "(empty)"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def print_mailbox_drafts(result: MailboxDrafts, path: str, out: Console | None = None) -> None:
    """What went into the Drafts folder, what was there already, the printed letters, and what to do next."""
    con = out or console()
    files = result.files
    if files.drafts or files.problems or files.held:
        print_drafts(files, path, con)
    verb = "would be added" if result.dry_run else "added"
    n, there = len(result.added), len(result.already)
    sent = f", {len(result.sent)} already sent (not added again)" if result.sent else ""
    con.print(_text(f"{n} draft{'s' * (n != 1)} {verb} to {result.folder} on {result.server}, "
                    f"{there} already there{sent}."), soft_wrap=True)
    if result.dry_run and result.added:
        con.print(_text(f"Next: run the same command without --dry-run to add {'them' if n != 1 else 'it'}."),
                  soft_wrap=True)
    elif result.sent and not result.added:
        con.print(_text(f"Next: record what you sent with `sheetkit record {path} --from-mailbox`."), soft_wrap=True)
    elif result.added or result.already:
        con.print(_text(f"Next: review and send them from your mail program, then run "
                        f"`sheetkit record {path} --from-mailbox`."), soft_wrap=True)
def print_report_page(result: ReportResult, path: str, out: Console | None = None) -> None:
    """What the page holds in one or two lines, and what to do with it."""
    con = out or console()
    data = result.to_dict()
    if result.is_cohort:
        students, unreadable = data["students"], data["unreadable"]
        attention = sum(1 for s in students if s["attention"])
        line = (f"Wrote {result.out}: {len(students)} student{'s' * (len(students) != 1)} from {path}, "
                f"{attention} needing attention (listed first)")
        if unreadable:
            files = some([u["file"] for u in unreadable])
            line += f"; {len(unreadable)} file{'s' * (len(unreadable) != 1)} could not be read: {files}"
        con.print(_text(line + "."), soft_wrap=True)
    else:
        status = data["status"]
        people, due, themes = sum(status["counts"].values()), len(status["actions"]), len(data["themes"])
        con.print(_text(f"Wrote {result.out}: {people} contact{'s' * (people != 1)}, {due} action"
                        f"{'s' * (due != 1)} due, {themes} theme{'s' * (themes != 1)} in the learnings digest."),
                  soft_wrap=True)
    con.print(_text("Open it in a browser (it needs no network); print it to PDF from there to share it."),
              soft_wrap=True)


def print_calendar(result: CalendarResult, path: str, out: Console | None = None) -> None:
    """How many events of which kind were written, and how to import them."""
    con = out or console()
    actions = len(result.events) - result.interviews
    zone = result.time_zone or (f"your calendar's own time zone (no {schema.TIME_ZONE.name} in the "
                                f"{schema.PROFILE.name})")
    if result.unknown_time_zone is not None:
        zone = (f"your calendar's own time zone, since {schema.TIME_ZONE.name} {result.unknown_time_zone!r} in the "
                f"{schema.PROFILE.name} "
                f"names none: fix it (`sheetkit validate {path}` says how) and run calendar again")
    con.print(_text(f"Wrote {result.out}: {result.interviews} upcoming interview{'s' * (result.interviews != 1)} "
                    f"and {actions} due action{'s' * (actions != 1)} from {path}; times in {zone}."),
              soft_wrap=True)
    con.print(_text("Import it into your calendar (Google Calendar, Outlook, Apple Calendar, Thunderbird); "
                    "import it again after a change: the events are updated, not doubled."), soft_wrap=True)
def import_summary(result: ImportResult) -> str:
    """One line: how many people were imported (or would be), as what, and how many were skipped and why."""
    n = len(result.imported)
    counts = result.counts
    verb = "Would import" if result.dry_run else "Imported"
    people = f"{n} {'person' if n == 1 else 'people'}"
    sheet = result.changes[0].sheet if result.changes else schema.CONTACTS.name
    why = []
    if counts["already"]:
        why.append(f"{counts['already']} already there")
    if counts["twice"]:
        why.append(f"{counts['twice']} twice in the file")
    if counts["bad"]:
        bad = [s for s in result.skipped if s.why == "bad"]
        lines = "; ".join(s.reason for s in bad[:3]) + ("; …" if len(bad) > 3 else "")
        why.append(f"{counts['bad']} bad line{'s' * (counts['bad'] != 1)}: {lines}")
    tail = f" ({', '.join(why)})" if why else ""
    dry = " — --dry-run: nothing written" if result.dry_run else ""
    return f"{verb} {people} from {result.source.name} into {sheet} as {result.status}{tail}{dry}."


def print_import(result: ImportResult, path: str, out: Console | None = None) -> None:
    """Who was added on which row, the bad lines, the summary, the backup and what to do next."""
    con = out or console()
    err = Console(stderr=True, highlight=False, markup=False, width=con.width)
    if result.imported:
        title = f"{'Would add' if result.dry_run else 'Added'} to {path}"
        rows: list[list[Cell]] = [[str(row), name] for row, name in result.imported[:PROBLEMS_SHOWN]]
        if len(result.imported) > PROBLEMS_SHOWN:
            rows.append(["…", f"and {len(result.imported) - PROBLEMS_SHOWN:,} more"])
        print_table(con, title, [Column("Row", right=True), Column("Contact")], rows)
    bad = [s for s in result.skipped if s.why == "bad"]
    for s in bad[:PROBLEMS_SHOWN]:
        err.print(_text(f"✗ Not imported: {s.reason}" + (f" ({s.contact})" if s.contact else ""), style="red"),
                  soft_wrap=True)
    if len(bad) > PROBLEMS_SHOWN:
        err.print(_text(f"✗ … and {len(bad) - PROBLEMS_SHOWN:,} more bad lines", style="red"))
    con.print(_text(import_summary(result)), soft_wrap=True)
    if result.missing:
        con.print(_text(f"The source has {', '.join(result.missing)}, which {schema.CONTACTS.name} has no column "
                        "for: add the column and import again to fill it for new people.", style="yellow"),
                  soft_wrap=True)
    if result.backup is not None:
        con.print(_text(f"The previous version is kept as {result.backup}"), soft_wrap=True)
    if result.imported and not result.dry_run:
        con.print(_text(f"Next: fill {schema.COMMON_GROUND.name} and {schema.WHY_THEM.name} for each, then set "
                        f"{schema.STATUS.name} to {schema.Status.TO_CONTACT} for those you will write to; "
                        f"`sheetkit validate {path}` lists what is still missing."), soft_wrap=True)
    elif result.imported:
        con.print(_text(f"Run it again without --dry-run to add them to {path}."), soft_wrap=True)


def print_annotated(report: Report, copy: str, path: str, out: Console | None = None) -> None:
    """Where the annotated copy went, how many cells it marks, and what to do with it."""
    con = out or console()
    marked = len({(i.sheet, i.cell) for i in report.issues if i.cell})
    if marked:
        con.print(_text(f"Wrote {copy}: {marked} cell{'s' * (marked != 1)} marked; open it beside {path}, "
                        f"fix the problems in {path} itself, then validate again."), soft_wrap=True)
    else:
        con.print(_text(f"Wrote {copy}: a clean copy, as {path} has no problems to mark."), soft_wrap=True)
