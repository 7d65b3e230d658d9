"""The ``sheetkit`` command: a thin layer that converts arguments, calls the library, renders the result.

Heavy modules (pandas, openpyxl, calamine) are imported inside the commands
that use them, so ``sheetkit --help`` starts instantly. Every
:class:`~sheetkit.errors.SheetkitError` is caught once, in
:class:`SheetkitGroup`, and shown as one ``Error:`` line with exit status 2.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from sheetkit import schema
from sheetkit.errors import SheetkitError, UsageError
from sheetkit.kinds import letter_kinds, recordable_kinds
from sheetkit.terminal import is_utf8, json_text, tolerate_any_encoding, visible

if TYPE_CHECKING:
    from sheetkit.reader import Campaign


class SheetkitGroup(TyperGroup):
    """The one place where sheetkit's own errors become ``Error: …`` and exit status 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SheetkitError as exc:
            if (ctx.obj or {}).get("debug"):
                raise
            # Written as it is, not through click, which would re-encode stderr its own way.
            print(f"Error: {visible(exc.line())}", file=sys.stderr)
            ctx.exit(2)


app = typer.Typer(
    cls=SheetkitGroup,
    help=(
        "Run an informational-interview campaign from one spreadsheet.\n\n"
        "Start with `sheetkit init tracker.xlsx`, fill it in Excel or LibreOffice Calc (or bring people in: "
        "`sheetkit import tracker.xlsx Connections.csv`), then `sheetkit validate tracker.xlsx` to check every "
        "row against the method.\n\n"
        "Every morning: `sheetkit status tracker.xlsx` says what is due, and "
        "`sheetkit drafts tracker.xlsx --out drafts/` writes the letters (or `--to-mailbox` puts them in your "
        "Drafts folder). Send them, then `sheetkit record tracker.xlsx drafts/` (or `--from-mailbox`) writes the "
        "dates back into the workbook.\n\n"
        "Every week: `sheetkit report tracker.xlsx --out report.html` shows the campaign, and "
        "`sheetkit calendar tracker.xlsx --out interviews.ics` puts interviews and deadlines in your calendar."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


# Options declared once and reused by every command that takes them.
WorkbookArg = Annotated[
    Path,
    typer.Argument(metavar="PATH", help="The progress-chart workbook (.xlsx, .xlsm or .ods).", show_default=False),
]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", metavar="YYYY-MM-DD", help="Act as if today were this date (default: today).",
                 show_default=False),
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="text for people, json for programs.", case_sensitive=False),
]


def parse_today(value: str | None) -> dt.date:
    """``--today`` as a date; the local date when absent."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--today {value!r} is not a date", "write it as YYYY-MM-DD, e.g. 2026-03-04") from None


def read_campaign(path: Path) -> Campaign:
    """Read the workbook for one command run.

    The campaign lives until the process exits and holds no reference cycles,
    so it is moved out of the garbage collector's sight: on a cohort sheet the
    collector would otherwise walk millions of cells again and again.
    """
    from sheetkit.reader import read_workbook

    campaign = read_workbook(path)
    gc.freeze()
    return campaign


def emit_json(data: Any) -> None:
    """JSON on stdout: indented for a person at a terminal, compact (and much faster) for a program.

    ASCII-only on a console that is not UTF-8 (a Windows console, a file under
    ``PYTHONIOENCODING=cp1252``): still valid JSON, and it reads back the same.
    """
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json_text(data, indent=indent, ascii_only=not is_utf8(sys.stdout)) + "\n")


def _print_version(value: bool) -> None:
    if value:
        from sheetkit import __version__

        typer.echo(f"sheetkit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")] = False,
    version: Annotated[bool, typer.Option(
        "--version", help="Show sheetkit's version and exit.", callback=_print_version, is_eager=True)] = False,
) -> None:
    ctx.obj = {"debug": debug}


@app.command()
def init(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="Where to create the workbook, e.g. tracker.xlsx.",
                                         show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it already exists.")] = False,
) -> None:
    """Create a new progress-chart workbook, ready to fill in Excel or LibreOffice Calc."""
    from sheetkit.workbook import create_workbook

    written = create_workbook(path, force=force)
    typer.echo(f"Created {written}: fill in Profile, then add people to Contacts.")
    typer.echo(f"Then run: sheetkit validate {written}")


@app.command()
def validate(
    path: WorkbookArg,
    format: FormatOpt = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Count warnings as failures (exit 1).")] = False,
    today: TodayOpt = None,
    annotate: Annotated[Path | None, typer.Option(
        "--annotate", metavar="OUT", help="Also write a copy of the workbook to OUT with each problem cell filled "
                                          "(errors red, warnings amber) and its message as a comment.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="With --annotate: replace OUT if it exists.")] = False,
) -> None:
    """Check every row against the method and list each problem by cell, with how to fix it.

    With --annotate OUT the problems are also shown in a copy of the workbook, to open in Excel or Calc
    beside the original (which is never changed).
    Exit status: 0 no errors (warnings allowed), 1 errors found (or warnings with --strict),
    2 the file cannot be read.
    """
    from sheetkit.validate import check

    if annotate is not None:
        from sheetkit.annotated import write_annotated

        report = write_annotated(path, annotate, today=parse_today(today), force=force)
    else:
        report = check(read_campaign(path), parse_today(today))
    if format is OutputFormat.json:
        emit_json(report.to_dict())
    else:
        from sheetkit.output import print_report

        print_report(report, strict=strict)
        if annotate is not None:
            from sheetkit.output import print_annotated

            print_annotated(report, str(annotate), str(path))
    raise typer.Exit(report.exit_code(strict))


@app.command()
def status(path: WorkbookArg, today: TodayOpt = None, format: FormatOpt = OutputFormat.text) -> None:
    """Show the pipeline and what is due today: outreach, follow-ups, calls, thank-yous, updates.

    Letters for rows with errors are held back until `sheetkit validate` is clean for them.
    """
    from sheetkit.agenda import plan

    result = plan(read_campaign(path), parse_today(today))
    if format is OutputFormat.json:
        emit_json(result.to_dict())
    else:
        from sheetkit.output import print_plan

        print_plan(result, str(path))


def _either(names: Iterable[str]) -> str:
    """``a, b or c``."""
    items = list(names)
    return " or ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


class DraftFormatChoice(StrEnum):
    eml = "eml"
    txt = "txt"
    md = "md"


@app.command()
def drafts(
    path: WorkbookArg,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR",
                                             help="Folder to write the drafts into (created if missing); with "
                                                  "--to-mailbox, only for printed letters.",
                                             show_default=False)] = None,
    today: TodayOpt = None,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", metavar="KIND",
        help=f"Only this kind of letter: {_either(k.name for k in letter_kinds())}. Repeat for several.",
        show_default=False)] = None,
    contact: Annotated[str | None, typer.Option(
        "--contact", metavar="TEXT", help="Only contacts whose name contains TEXT (ignoring case).",
        show_default=False)] = None,
    format: Annotated[DraftFormatChoice, typer.Option(
        "--format", "-f", help="eml: drafts for your mail client; txt or md: plain text.",
        case_sensitive=False)] = DraftFormatChoice.eml,
    templates: Annotated[Path | None, typer.Option(
        "--templates", metavar="DIR", help="Your own templates; kinds missing there use the built-in ones.",
        show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be written; write nothing.")] = False,
    to_mailbox: Annotated[bool, typer.Option(
        "--to-mailbox", help="Put the emails in your mailbox's Drafts folder (Profile: Mail Server, Mail User; "
                             "password in SHEETKIT_MAIL_PASSWORD or the keyring).")] = False,
) -> None:
    """Write the letters due today as drafts to review and send, plus a drafts.json manifest.

    Contacts who prefer a letter get a printable page instead of an email.
    With --to-mailbox the emails go straight into your Drafts folder instead, once each.
    Exit status 1 when a letter could not be drafted or was held back by errors in its row.
    """
    if to_mailbox:
        _drafts_to_mailbox(path, out, today, kind or [], contact, format, templates, dry_run)
        return
    if out is None:
        raise UsageError("--out is missing", "give the folder for the drafts, e.g. --out drafts/, "
                                             "or --to-mailbox to put them in your Drafts folder")
    from sheetkit.drafts import parse_kinds, write_drafts
    from sheetkit.output import ProgressBar, print_drafts

    parse_kinds(kind or [])  # a wrong --kind should not wait for a cohort-sized read
    with ProgressBar() as progress:
        result = write_drafts(
            read_campaign(path), out, today=parse_today(today), kinds=kind or [], contact=contact, format=format.value,
            templates=templates, dry_run=dry_run, progress=progress.update,
        )
    print_drafts(result, str(path))
    raise typer.Exit(result.exit_code)


@app.command()
def record(
    path: WorkbookArg,
    drafts_dir: Annotated[Path | None, typer.Argument(
        metavar="[DRAFTS_DIR]", help="The folder `sheetkit drafts --out` wrote: its drafts.json lists what to record.",
        show_default=False)] = None,
    date: Annotated[str | None, typer.Option(
        "--date", metavar="YYYY-MM-DD", help="The day they were sent (default: today; not after today).",
        show_default=False)] = None,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", metavar="KIND",
        help=f"Only drafts of this kind: {_either(k.name for k in letter_kinds())}. Repeat for several.",
        show_default=False)] = None,
    contact: Annotated[str | None, typer.Option(
        "--contact", metavar="TEXT", help="Only contacts whose name contains TEXT (ignoring case); with --done, "
                                          "the one person.", show_default=False)] = None,
    done: Annotated[str | None, typer.Option(
        "--done", metavar="KIND", help=f"Record one {_either(k.name for k in recordable_kinds())} done without "
                                       "a draft (a phone call, a posted letter) for --contact.",
        show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List the changes; write nothing.")] = False,
    today: TodayOpt = None,
    format: FormatOpt = OutputFormat.text,
    from_mailbox: Annotated[bool, typer.Option(
        "--from-mailbox", help="Record what your Sent folder shows you sent to contacts, each on its date, and "
                               "replies in your Inbox from people you asked.")] = False,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="YYYY-MM-DD", help="With --from-mailbox: read mail from this day on (default: 60 days "
                                              "before today).", show_default=False)] = None,
) -> None:
    """Write back what you sent: each draft's date in the workbook, and the status moved on.

    After `sheetkit drafts` and sending the letters, `sheetkit record tracker.xlsx drafts/` fills Request Sent,
    Followed Up, Thank-You Sent or Last Contact and moves the Status forward; tomorrow's status then knows.
    Sent from your own mail program? `sheetkit record tracker.xlsx --from-mailbox` reads your Sent folder instead,
    and your Inbox for replies (README, The mailbox).
    Dates already filled are never overwritten. The previous workbook is kept in sheetkit-backups/.
    Exit status: 0 all recorded (or already were), 1 some drafts skipped (not found, ambiguous), 2 refused.
    """
    from sheetkit.record import RecordResult, record_actions

    result: RecordResult
    if from_mailbox:
        from sheetkit.mailbox import record_from_mailbox

        if drafts_dir is not None or done or contact or kind or date:
            raise UsageError("--from-mailbox reads what to record from the mailbox",
                             "leave out DRAFTS_DIR, --done, --contact, --kind and --date with it")
        result = record_from_mailbox(path, since=since, today=parse_today(today), dry_run=dry_run)
    elif since is not None:
        raise UsageError("--since is for --from-mailbox", "add --from-mailbox, or leave --since out")
    else:
        # Every argument is checked before the workbook is read: a mistake does not wait for a cohort-sized read.
        result = record_actions(path, drafts_dir, done=done, contact=contact, kinds=kind or [], date=date,
                                today=parse_today(today), dry_run=dry_run)
    if format is OutputFormat.json:
        emit_json(result.to_dict())
    else:
        from sheetkit.output import print_record

        print_record(result, str(path))
    raise typer.Exit(result.exit_code)


def _drafts_to_mailbox(path: Path, out: Path | None, today: str | None, kind: list[str], contact: str | None,
                       format: DraftFormatChoice, templates: Path | None, dry_run: bool) -> None:
    """``drafts --to-mailbox``: the emails appended to the Drafts folder, printed letters into ``--out``."""
    from sheetkit.drafts import parse_kinds
    from sheetkit.mailbox import drafts_to_mailbox
    from sheetkit.output import ProgressBar, print_mailbox_drafts

    if format is not DraftFormatChoice.eml:
        raise UsageError(f"--format {format.value} is for drafts written as files",
                         "leave it out with --to-mailbox: emails go to the mailbox as they are")
    parse_kinds(kind)
    with ProgressBar("Adding drafts to the mailbox") as progress:
        result = drafts_to_mailbox(read_campaign(path), out, today=parse_today(today), kinds=kind, contact=contact,
                                   templates=templates, dry_run=dry_run, progress=progress.update)
    print_mailbox_drafts(result, str(path))
    raise typer.Exit(result.exit_code)


@app.command()
def report(
    path: Annotated[Path, typer.Argument(
        metavar="PATH|FOLDER", help="A progress-chart workbook, or a folder of them (a coach's cohort).",
        show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE.html", help="The page to write.",
                                      show_default=False)],
    today: TodayOpt = None,
) -> None:
    """Write one self-contained HTML page: the campaign over time, or a whole cohort at a glance.

    For a workbook: the pipeline, activity per week, interviews per field against the goal, the answer
    rate, how many days replies and thank-yous take, the agenda, who suggested whom, and what you are
    learning grouped by theme. For a FOLDER: one row per student's workbook, those needing attention
    first (errors, overdue actions, no activity for 14 days), and the files that could not be read.
    The page needs no network; open it in a browser and print it to PDF from there.

    Example: `sheetkit report tracker.xlsx --out report.html`; a coach: `sheetkit report cohort/ --out cohort.html`.
    """
    from sheetkit.output import ProgressBar, print_report_page
    from sheetkit.page import write_report

    with ProgressBar("Reading workbooks", threshold=2) as progress:
        result = write_report(path, out, parse_today(today), progress=progress.update)
    print_report_page(result, str(path))


@app.command()
def calendar(
    path: WorkbookArg,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE.ics", help="The calendar file to write.",
                                      show_default=False)],
    today: TodayOpt = None,
) -> None:
    """Write the upcoming interviews and the due actions as a calendar file (.ics) to import.

    Each interview on or after today is an event (30 minutes at the time in its Interview Date cell, in the
    Profile's Time Zone; all day when the cell holds a date alone) with the contact, your prepared questions
    and your pitch, and a reminder the day before. Each action due (and falling due in the next 8 weeks)
    is an all-day event with a reminder; overdue ones are on today. Import the file again after a change:
    the events are updated, not doubled.

    Example: `sheetkit calendar tracker.xlsx --out interviews.ics`, then import interviews.ics into your calendar.
    """
    from sheetkit.ics import write_calendar
    from sheetkit.output import print_calendar

    result = write_calendar(path, out, parse_today(today))
    print_calendar(result, str(path))


@app.command("import")
def import_(
    path: WorkbookArg,
    source: Annotated[Path, typer.Argument(
        metavar="SOURCE", help="LinkedIn's Connections.csv, a Google Contacts or Outlook CSV export, a vCard .vcf "
                               "file, or any CSV or workbook with Contacts headers.", show_default=False)],
    status: Annotated[str, typer.Option(
        "--status", metavar="STATUS", help=f"The Status of the new rows: {_either(schema.Status)}.",
    )] = schema.Status.PROSPECT.value,
    how_found: Annotated[str | None, typer.Option(
        "--how-found", metavar="VALUE", help=f"How Found for every new row: {_either(schema.HowFound)} (default: "
                                             "LinkedIn for a LinkedIn export, else what the source says).",
        show_default=False)] = None,
    field: Annotated[str | None, typer.Option(
        "--field", metavar="TEXT", help="Field for every new row, e.g. 'UX Research'.", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List who would be added; write nothing.")] = False,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """Bring people in: append each person in SOURCE as a new Contacts row, skipping those already there.

    Export your connections (LinkedIn: Settings > Data privacy > Get a copy of your data > Connections), then
    `sheetkit import tracker.xlsx Connections.csv`. New rows take the formats and drop-downs of the rows above;
    text such as `=HYPERLINK(...)` or `+44 20...` stays text. The previous workbook is kept in sheetkit-backups/.
    Exit status: 0 imported (or all already there), 1 some lines could not be used, 2 refused.
    """
    from rich.console import Console

    from sheetkit.importing import import_contacts

    # On stderr, so that JSON on stdout stays JSON; Rich shows it only on a terminal.
    progress = Console(stderr=True, markup=False, highlight=False)
    with progress.status(f"Importing {source.name} into {path.name}…", spinner="dots"):
        result = import_contacts(path, source, status=status, how_found=how_found, field=field, dry_run=dry_run)
    if format is OutputFormat.json:
        emit_json(result.to_dict())
    else:
        from sheetkit.output import print_import

        print_import(result, str(path))
    raise typer.Exit(result.exit_code)


def main() -> None:
    """Console-script entry point."""
    tolerate_any_encoding()
    app()


if __name__ == "__main__":
    main()
