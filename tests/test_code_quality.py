"""ruff and mypy (strict) stay clean: run as tests so CI enforces them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_clean() -> None:
    """ruff finds nothing in the package, tests, scripts and benchmarks."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_clean() -> None:
    """mypy --strict finds nothing in the package."""
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_cites_the_readme_not_a_file_outside_the_repository() -> None:
    """Inside the repository the README is the contract: no code, test or template cites the product spec."""
    import re

    spec = re.compile(r"\b" + "SP" + r"EC\b")  # spelled in two, or this file would cite it
    cited = []
    for folder in ("sheetkit", "tests", "scripts", "benchmarks", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".j2") and spec.search(path.read_text(encoding="utf-8")):
                cited.append(str(path.relative_to(ROOT)))
    assert cited == []
