"""The README stays true: every command, option, column, list value, code and kind is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from sheetkit import schema
from sheetkit.cli import app
from sheetkit.issues import CODES
from sheetkit.kinds import Kind, all_kinds
from sheetkit.sandbox import MAX_INT_DIGITS, MAX_VALUE_SIZE
from sheetkit.watchdog import RENDER_MEGABYTES, RENDER_SECONDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(app)


def quick_start() -> list[str]:
    """The commands of the Quick start's one fenced sh block."""
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "Quick start must hold exactly one ```sh block"
    return [line for line in blocks[0].splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_quick_start_has_two_commands() -> None:
    """One command runs the main job on the bundled example, the other the tests."""
    first, second = quick_start()
    assert "sheetkit drafts sample_workbooks/example.xlsx" in first
    assert "pytest" in second and ".[test]" in second


@pytest.mark.parametrize("name", sorted(COMMANDS.commands))  # type: ignore[attr-defined]
def test_every_command_and_option_is_documented(name: str) -> None:
    """Each command has a README section and each of its options appears in it."""
    section = README.split(f"### `sheetkit {name}", 1)
    assert len(section) == 2, f"README has no section for `sheetkit {name}`"
    body = section[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    command = COMMANDS.commands[name]  # type: ignore[attr-defined]
    for param in command.params:
        for opt in param.opts:
            if opt.startswith("--"):
                assert opt in body, f"`{opt}` of `sheetkit {name}` is not in its README section"


def test_schema_is_documented() -> None:
    """Every sheet, column, setting and list value of the schema appears in the README."""
    names = [*schema.SHEET_ORDER, *(s.name for s in schema.PROFILE_SETTINGS)]
    names += [c.name for sheet in (schema.CONTACTS, schema.QUESTIONS) for c in sheet.columns]
    names += [v for c in schema.CHOICE_COLUMNS for v in c.choices]
    missing = [n for n in names if f"`{n}`" not in README]
    assert missing == []


def test_codes_are_documented() -> None:
    """Every issue code is in the README's table."""
    missing = [c for c in CODES if f"| `{c}` |" not in README]
    assert missing == []


def kind_row(kind: Kind) -> str:
    """The README's row for a kind, as its declaration says it."""
    recorded = f"`{kind.records.name}`" if kind.records else "—"
    moves = " or ".join(f"`{s}`" for s in kind.moves_from) + f" → `{kind.moves_to}`" if kind.moves_to else "—"
    return f"| `{kind.name}` | {kind.due_when} | {'yes' if kind.letter else 'no'} | {recorded} | {moves} |"


def test_kinds_table_is_the_registry() -> None:
    """The README's kinds table lists exactly the declared kinds, in order, each row as declared."""
    table = README.split("| kind | due when |", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    assert table == [kind_row(k) for k in all_kinds()]


def test_template_variables_are_documented() -> None:
    """Every column reaches templates under a name the README lists."""
    missing = [c.attr for c in schema.CONTACTS.columns if f"`{c.attr}`" not in README]
    missing += [s.attr for s in schema.PROFILE_SETTINGS if f"`{s.attr}`" not in README]
    assert missing == []


def test_render_limits_are_documented() -> None:
    """The section on writing templates states the limits a render is kept to, as the code keeps them."""
    section = README.split("## Writing your own templates", 1)[1].split("\n## ", 1)[0]
    limits = [f"{RENDER_SECONDS:g} seconds", f"longer than {RENDER_SECONDS:g} s", f"{RENDER_MEGABYTES} MB",
              f"{MAX_VALUE_SIZE:,} characters", f"{MAX_INT_DIGITS:,} digits"]
    assert [limit for limit in limits if limit not in section] == []
