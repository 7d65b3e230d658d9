"""Rendering results for people: Rich tables on the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sheetkit.issues import Report
from sheetkit.planner import Plan

STYLE = {"error": "bold red", "warning": "yellow"}


def console() -> Console:
    # Wide enough for messages when piped to a file; soft-wrapped on a terminal.
    return Console(highlight=False, width=None if Console().is_terminal else 140)


def print_report(report: Report, *, strict: bool = False, out: Console | None = None) -> None:
    """The issues as a table grouped by sheet and row, then a one-line summary."""
    con = out or console()
    if report.issues:
        table = Table(title=report.path, title_justify="left", show_lines=False, expand=False)
        table.add_column("Where", no_wrap=True)
        table.add_column("Cell", no_wrap=True)
        table.add_column("Severity", no_wrap=True)
        table.add_column("Code", no_wrap=True)
        table.add_column("Column")
        table.add_column("How to fix", ratio=1)
        previous: tuple[str, int | None] | None = None
        for issue in report.issues:
            group = (issue.sheet, issue.row)
            if previous is not None and group != previous:
                table.add_section()
            where = f"{issue.sheet} row {issue.row}" if issue.row else issue.sheet
            table.add_row(
                where if group != previous else "",
                issue.cell or "",
                Text(issue.severity, style=STYLE[issue.severity]),
                issue.code,
                issue.column or "",
                issue.message,
            )
            previous = group
        con.print(table)
    con.print(summary(report, strict=strict), soft_wrap=True)


def summary(report: Report, *, strict: bool = False) -> Text:
    """One line: how many errors and warnings, and what to do next."""
    rows = len({(i.sheet, i.row) for i in report.issues})
    e, w = report.errors, report.warnings
    counts = f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"
    if e:
        return Text(f"✗ {counts} in {rows} row{'s' * (rows != 1)} of {report.path} — fix the errors, then run "
                    "`sheetkit validate` again.", style="bold red")
    if w:
        tail = " (--strict: warnings fail)" if strict else ""
        return Text(f"! {counts} in {report.path} — it can be used; the warnings are worth a look{tail}.",
                    style="yellow")
    return Text(f"✓ {report.path}: no problems found.", style="green")


KIND_HINT = {
    "outreach": "write the request",
    "follow-up": "send a polite follow-up",
    "call": "call",
    "prepare": "prepare questions",
    "thank-you": "send a thank-you",
    "add-referral": "add to Contacts",
    "keep-in-touch": "send an update",
}


def print_plan(plan: Plan, path: str, out: Console | None = None) -> None:
    """The pipeline (per status, per field, requests answered) and the agenda, overdue first."""
    con = out or console()
    con.print(Text(f"{path} — {plan.today.strftime('%A %d %B %Y')}", style="bold"), soft_wrap=True)
    pipeline = Table(title="Pipeline", title_justify="left")
    pipeline.add_column("Status")
    pipeline.add_column("Contacts", justify="right")
    for status, count in plan.counts.items():
        pipeline.add_row(status, str(count), style=None if count else "dim")
    con.print(pipeline)
    if plan.asked:
        share = round(100 * plan.answered / plan.asked)
        con.print(f"Requests answered: {plan.answered} of {plan.asked} ({share}%)")
    if plan.fields:
        fields = Table(title="Interviews per field", title_justify="left")
        fields.add_column("Field")
        fields.add_column("Interviews", justify="right")
        fields.add_column("Goal", justify="right")
        fields.add_column("")
        for f in plan.fields:
            mark = Text("✓ enough", style="green") if f.interviews >= f.goal else Text(
                f"{f.goal - f.interviews} to go", style="yellow")
            fields.add_row(f.field, str(f.interviews), str(f.goal), mark)
        con.print(fields)
    if not plan.actions:
        con.print(Text("Nothing due today.", style="green"))
    else:
        overdue = sum(a.overdue for a in plan.actions)
        agenda = Table(title=f"Agenda — {len(plan.actions)} due, {overdue} overdue", title_justify="left")
        agenda.add_column("Due", no_wrap=True)
        agenda.add_column("What", no_wrap=True)
        agenda.add_column("Contact")
        agenda.add_column("Row", justify="right")
        agenda.add_column("Note")
        for a in plan.actions:
            when = Text(a.due.isoformat(), style="bold red" if a.overdue else "")
            late = f"overdue {(plan.today - a.due).days} days" if a.overdue else ""
            note = "; ".join(x for x in (late, a.note) if x)
            agenda.add_row(when, f"{a.kind}: {KIND_HINT[a.kind]}", a.contact, str(a.row), note)
        con.print(agenda)
    if plan.held:
        rows = ", ".join(sorted({str(a.row) for a in plan.held}, key=int))
        con.print(
            Text(f"! {len(plan.held)} letter(s) held back: row(s) {rows} have errors — "
                 f"run `sheetkit validate {path}` and fix them first.", style="yellow"),
            soft_wrap=True,
        )
    if plan.letters():
        con.print(f"Draft the {len(plan.letters())} letter(s): sheetkit drafts {path} --out drafts/", soft_wrap=True)
