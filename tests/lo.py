"""Drive LibreOffice headless from tests: convert files, export sheets as CSV.

Every call runs ``soffice --headless --convert-to`` with a private user
profile (one per test process, so parallel runs and a user's own LibreOffice
never collide) and a timeout; a conversion that fails or writes nothing
raises :class:`LibreOfficeError` with LibreOffice's output.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 120  # seconds for one conversion: the first start builds the profile
SKIP_REASON = "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"

# Comma-separated, double-quoted, UTF-8, raw values (not as shown), formulas as results,
# every sheet to its own file <name>-<Sheet>.csv (LibreOffice >= 7.2).
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"

_profile: Path | None = None


class LibreOfficeError(RuntimeError):
    """LibreOffice failed, timed out or wrote no output."""


def soffice() -> str | None:
    """The soffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice")


def require_soffice() -> None:
    """Skip without LibreOffice on a developer's machine; fail in CI, where it must run."""
    if soffice() is not None:
        return
    import pytest

    if os.environ.get("CI"):
        pytest.fail("LibreOffice is required in CI but soffice is not on PATH: .ci/run must install it")
    pytest.skip(SKIP_REASON)


def version() -> str:
    """LibreOffice's version line, e.g. ``LibreOffice 7.4.7.2 40(Build:2)``."""
    return _run(["--version"]).strip()


def convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert ``src`` to ``fmt`` (``ods``, ``xlsx``, ``pdf``, ``csv:…``) in ``outdir``; return the file."""
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{src.stem}.{fmt.split(':', 1)[0]}"
    target.unlink(missing_ok=True)
    output = _run(["--convert-to", fmt, "--outdir", str(outdir), str(src)])
    if not target.is_file():
        raise LibreOfficeError(f"soffice wrote no {target.name}:\n{output}")
    return target


def convert_many(sources: list[Path], fmt: str, outdir: Path) -> list[Path]:
    """Convert several files in one LibreOffice start (each start costs seconds); their stems must differ."""
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{src.stem}.{fmt.split(':', 1)[0]}" for src in sources]
    assert len({t.name for t in targets}) == len(targets), "two sources with the same stem"
    for target in targets:
        target.unlink(missing_ok=True)
    output = _run(["--convert-to", fmt, "--outdir", str(outdir), *map(str, sources)])
    missing = [t.name for t in targets if not t.is_file()]
    if missing:
        raise LibreOfficeError(f"soffice wrote no {', '.join(missing)}:\n{output}")
    return targets


def example_copies(example: Path, folder: Path, name: str) -> dict[str, tuple[Path, Path]]:
    """The example as .xlsx and as the .ods LibreOffice saves: per format, an untouched copy and one to change.

    The copy to change is named ``<name>-<format>``, as the tests that read LibreOffice's CSV of it expect.
    """
    sources = {"xlsx": example, "ods": convert(example, "ods", folder / "lo-ods")}
    out = {}
    for fmt, source in sources.items():
        (folder / fmt).mkdir()
        original = folder / fmt / f"original{source.suffix}"
        target = folder / fmt / f"{name}-{fmt}{source.suffix}"
        shutil.copyfile(source, original)
        shutil.copyfile(source, target)
        out[fmt] = (original, target)
    return out


def sheets_csv(sources: list[Path], outdir: Path) -> None:
    """Export every sheet of each source as CSV (computed values), ``<stem>-<Sheet>.csv``, in one start."""
    outdir.mkdir(parents=True, exist_ok=True)
    _run(["--convert-to", CSV_ALL_SHEETS, "--outdir", str(outdir), *map(str, sources)])


def opened(sources: list[Path], outdir: Path) -> Path:
    """``outdir`` with each source as LibreOffice opens it: every sheet as CSV, and the whole saved as .xlsx."""
    sheets_csv(sources, outdir)
    convert_many(sources, "xlsx", outdir)
    return outdir


def sheet_csv(src: Path, sheet: str, outdir: Path) -> Path:
    """Export every sheet of ``src`` as CSV (computed values) and return the one of ``sheet``."""
    outdir.mkdir(parents=True, exist_ok=True)
    output = _run(["--convert-to", CSV_ALL_SHEETS, "--outdir", str(outdir), str(src)])
    target = outdir / f"{src.stem}-{sheet}.csv"
    if not target.is_file():
        raise LibreOfficeError(f"soffice wrote no {target.name}:\n{output}")
    return target


def _profile_dir() -> Path:
    global _profile
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="sheetkit-lo-profile-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def _run(args: list[str]) -> str:
    exe = soffice()
    if exe is None:
        raise LibreOfficeError(SKIP_REASON)
    command = [
        exe,
        "--headless",
        "--norestore",
        "--nolockcheck",
        f"-env:UserInstallation={_profile_dir().as_uri()}",
        *args,
    ]
    # A session of its own, so a timeout kills soffice.bin too, not just the wrapper script.
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            output, _ = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise LibreOfficeError(f"soffice timed out after {TIMEOUT} s: {' '.join(command)}") from exc
    if proc.returncode != 0:
        raise LibreOfficeError(f"soffice exited with {proc.returncode}:\n{output}")
    return output
