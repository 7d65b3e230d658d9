"""Rendering results for people: Rich tables on the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sheetkit.issues import Report

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
