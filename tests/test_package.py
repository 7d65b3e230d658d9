"""The habits of a Python package: one version, a typed API, a licence and a changelog that ship."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sheetkit
from sheetkit.cli import app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (built,) = out.glob("sheetkit-*.whl")
    return zipfile.ZipFile(built)


def _metadata(wheel: zipfile.ZipFile) -> str:
    (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    return wheel.read(name).decode()


def test_version_option_prints_the_package_version() -> None:
    """`sheetkit --version` prints the version declared in sheetkit/__init__.py."""
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"sheetkit {sheetkit.__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", sheetkit.__version__)


def test_wheel_version_is_the_one_in_the_package(wheel: zipfile.ZipFile) -> None:
    """The wheel's metadata takes its version from sheetkit.__version__, declared once."""
    assert f"\nVersion: {sheetkit.__version__}\n" in _metadata(wheel)


def test_wheel_ships_the_typed_marker_and_licence(wheel: zipfile.ZipFile) -> None:
    """py.typed tells type checkers the API is typed; the MIT licence travels with the wheel."""
    names = wheel.namelist()
    assert "sheetkit/py.typed" in names
    licences = [n for n in names if n.endswith("/LICENSE") and ".dist-info/" in n]
    assert licences and b"MIT License" in wheel.read(licences[0])
    meta = _metadata(wheel)
    assert "License-Expression: MIT" in meta
    assert "Classifier: Typing :: Typed" in meta


def test_changelog_has_an_entry_for_this_version() -> None:
    """CHANGELOG.md is kept: the current version has its heading."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    assert f"## [{sheetkit.__version__}]" in text
