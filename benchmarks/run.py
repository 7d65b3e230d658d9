#!/usr/bin/env python3
"""Time sheetkit on a cohort workbook against a bare python-calamine read (issue 4, Performance).

Every measurement is a separate child process, so its peak memory is its own:
wall time from just before the spawn to the reaping, peak RSS from
``os.wait4`` (``ru_maxrss``, KiB on Linux). The commands run interleaved,
round-robin (each round starts one command later), R rounds, after an
untimed warm-up round that fills the page cache and the bytecode cache. The
table shows medians and each command's ratio to its baseline in the same run.

On the cohort (``--contacts N``, default 100,000; the workbook is made by
``make_cohort.py`` and cached) the baseline is a bare read: python-calamine
opening the file and reading the ``Contacts`` and ``Questions`` sheets with
``to_python()``, the data sheetkit needs. Targets: ``validate`` and
``status`` within 2x its wall time and 2x its peak memory, ``drafts``
(about 20,000 letters) within 3x its wall time, and ``record`` of every one
of those drafts (drafted once, untimed, before the rounds; each run on a
fresh copy of the cohort, copied untimed) within 3x its time and 2x its
memory; ``import`` of a LinkedIn export of 10,000 new people, each run on a
fresh copy, within 3x its time; and ``report`` (the HTML page) within 3x its time. pandas'
``read_excel(engine="calamine")`` of the same two sheets is timed for
reference.

A coach's folder (``--folder N``, default 200 copies of the example,
cached): ``report FOLDER`` within a quarter of the time of running
``sheetkit status`` on each workbook in turn, each in its own process.

Drafts go to a fresh folder under ``--scratch``, by default ``/dev/shm``:
a RAM-backed tmpfs, as the page cache the bare read reads from is RAM, so
the ratio is sheetkit's own work. Give a folder on a disk to add that disk's
cost per file; the header names the file system written to.

CPU time (user + system) is shown beside wall time: above it, the command
used several cores. Peak memory is ``wait4``'s: the largest of the process and
its reaped children (a process pool's workers), not their sum.

On the 20-contact ``sample_workbooks/example.xlsx`` the baseline is
``python -c "import pandas"``: ``sheetkit --help``, ``validate``, ``status``
and ``drafts`` each within 1.5x of it.

The runner itself imports nothing heavy, generates the workbook in a child
process and counts drafts without parsing their manifest: on Linux a spawned
child's ``ru_maxrss`` starts from its parent's resident size, so a fat runner
would inflate every figure (the JSON records the runner's own peak).

Usage: ``python benchmarks/run.py [--contacts N] [--repeat R] [--file PATH]``.
Results go to ``benchmarks/out/results.json`` as well; ``--check`` makes a
missed target exit 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT_DIR = HERE / "out"
EXAMPLE = ROOT / "sample_workbooks" / "example.xlsx"
TODAY = "2026-11-25"
DEFAULT_CONTACTS = 100_000
PY = sys.executable

BARE_READ = """\
import sys
import python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
sheets = [book.get_sheet_by_name(name).to_python() for name in ("Contacts", "Questions")]
assert len(sheets[0]) > 1, "no rows read"
"""
PANDAS_READ = """\
import sys
import pandas
frames = pandas.read_excel(sys.argv[1], sheet_name=["Contacts", "Questions"], engine="calamine")
assert len(frames["Contacts"]) > 0, "no rows read"
"""
IMPORT_PANDAS = "import pandas"
# What a coach does without `report FOLDER`: `sheetkit status` on each workbook in turn.
EACH_STATUS = """\
import subprocess, sys
from pathlib import Path
folder, today, command = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
for book in sorted(folder.glob("*.xlsx")):
    subprocess.run([*command, "status", str(book), "--today", today, "--format", "json"],
                   stdout=subprocess.DEVNULL, check=True)
"""
DEFAULT_FOLDER = 200
IMPORTED = 10_000
# A LinkedIn Connections.csv of new people, with its Notes: preamble, for the import bench.
MAKE_CONNECTIONS = """\
import csv, sys
from pathlib import Path
people = int(sys.argv[2])
with open(Path(sys.argv[1]) / "Connections.csv", "w", encoding="utf-8", newline="") as fh:
    fh.write('Notes:\\r\\n"Some email addresses may be missing."\\r\\n\\r\\n')
    out = csv.writer(fh)
    out.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
    for i in range(people):
        out.writerow([f"Imported{i}", f"Person{i}", f"https://www.linkedin.com/in/imported-{i}",
                      f"imported{i}@example.net" if i % 3 else "", f"Company {i % 500}", "Research Lead",
                      "07 Mar 2024"])
"""


def sheetkit_command() -> list[str]:
    """The installed ``sheetkit`` script of this interpreter, run directly (no pyenv-style shim)."""
    beside = Path(PY).parent / "sheetkit"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    return [PY, "-m", "sheetkit.cli"]


@dataclass
class Target:
    time: float | None = None  # at most this many times the baseline's median wall time
    memory: float | None = None  # at most this many times the baseline's median peak RSS

    def describe(self) -> str:
        parts = []
        if self.time is not None:
            parts.append(f"≤{self.time:g}× time")
        if self.memory is not None:
            parts.append(f"≤{self.memory:g}× mem")
        return ", ".join(parts)


@dataclass
class Bench:
    """One command to time; ``{out}`` in its argv becomes a fresh, empty folder on every run."""

    name: str
    group: str  # "cohort" or "small"
    argv: list[str]
    baseline: str | None = None  # the name of the command it is compared with; None = it is a baseline
    target: Target | None = None
    drafts: bool = False
    ok_codes: tuple[int, ...] = (0,)
    # Untimed: ``setup`` runs once before the rounds, into a folder that ``{prepared}`` names in both argvs;
    # ``fresh`` is copied before every run to ``{copy}`` in a folder of its own (a command that edits it).
    setup: list[str] | None = None
    fresh: Path | None = None
    prepared: Path | None = None
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks_kib: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)
    letters: int | None = None
    error: str | None = None

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")

    @property
    def peak_mb(self) -> float:
        return statistics.median(self.peaks_kib) / 1024 if self.peaks_kib else float("nan")


@dataclass
class Sample:
    wall: float
    cpu: float  # user + system time, the child's and its reaped children's (a process pool's workers)
    peak_kib: int
    code: int
    stderr: str


def prepare(bench: Bench, scratch: Path) -> None:
    """Run a bench's untimed ``setup`` once (``sheetkit drafts`` for ``record``); a failure marks it an error."""
    if bench.setup is None:
        return
    bench.prepared = Path(tempfile.mkdtemp(prefix="prepared-", dir=scratch))
    argv = [a.replace("{prepared}", str(bench.prepared)) for a in bench.setup]
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    if proc.returncode not in (0, 1):
        tail = proc.stderr.strip().splitlines()
        bench.error = f"setup exit status {proc.returncode}: {tail[-1] if tail else 'no message'}"


def run_bench(bench: Bench, scratch: Path) -> tuple[Sample, int | None]:
    """One timed run of ``bench``: a fresh copy of the file it edits first, deleted after, neither timed."""
    argv = [a.replace("{prepared}", str(bench.prepared)) for a in bench.argv]
    if bench.fresh is None:
        return run_once(argv, scratch)
    folder = Path(tempfile.mkdtemp(prefix="fresh-", dir=scratch))
    try:
        copy = folder / bench.fresh.name
        shutil.copyfile(bench.fresh, copy)
        return run_once([a.replace("{copy}", str(copy)) for a in argv], scratch)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_once(argv: list[str], scratch: Path) -> tuple[Sample, int | None]:
    """Spawn one child, reap it with ``wait4``; return its figures and, for drafts, how many were written.

    Each drafts run gets a fresh folder inside ``scratch``; all are deleted together at the end
    of the benchmark, because deleting 20,000 files keeps the disk busy well after the
    call returns and would slow the next command's writes.
    """
    out = Path(tempfile.mkdtemp(prefix="drafts-", dir=scratch)) if any("{out}" in a for a in argv) else None
    args = [a.replace("{out}", str(out)) for a in argv]
    letters = None
    if hasattr(os, "sync"):
        os.sync()  # the previous run's writes are flushed outside the timed span
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read()[-4000:].decode("utf-8", "replace")
    if out is not None and (out / "drafts.json").is_file():
        # Counted from the folder, not by parsing the manifest: a runner grown by a
        # 20,000-entry JSON would raise the ru_maxrss floor of every later child.
        with os.scandir(out) as entries:
            letters = sum(1 for e in entries if e.name != "drafts.json" and not e.name.startswith("."))
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code, text), letters


def available(argv: list[str]) -> str | None:
    """None when the command runs (``--help``); otherwise why not."""
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    if proc.returncode == 0:
        return None
    lines = (proc.stderr or proc.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit status {proc.returncode}"


def example_folder(n: int, beside: Path | None) -> Path:
    """A folder of ``n`` copies of the example workbook (a coach's cohort of example-sized campaigns), cached.

    It is made beside the cohort workbook (in ``benchmarks/out/`` by default).
    """
    folder = (beside.parent if beside is not None else OUT_DIR) / f"examples-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, n + 1):
        copy = folder / f"student-{i:03d}.xlsx"
        if not copy.is_file():
            shutil.copyfile(EXAMPLE, copy)
    return folder


def plan_benches(cohort: Path | None, *, small: bool, pandas: bool, today: str,
                 folder: Path | None = None) -> list[Bench]:
    sk = sheetkit_command()
    benches: list[Bench] = []
    if cohort is not None:
        f = str(cohort)
        benches += [
            Bench("bare read (python-calamine)", "cohort", [PY, "-c", BARE_READ, f]),
            Bench("sheetkit validate", "cohort", [*sk, "validate", f, "--today", today, "--format", "json"],
                  "bare read (python-calamine)", Target(2, 2), ok_codes=(0, 1)),
            Bench("sheetkit status", "cohort", [*sk, "status", f, "--today", today, "--format", "json"],
                  "bare read (python-calamine)", Target(2, 2)),
            Bench("sheetkit drafts", "cohort", [*sk, "drafts", f, "--out", "{out}", "--today", today],
                  "bare read (python-calamine)", Target(3, None), drafts=True, ok_codes=(0, 1)),
            # Every draft of the cohort recorded as sent, in a fresh copy of the cohort each run.
            Bench("sheetkit record", "cohort",
                  [*sk, "record", "{copy}", "{prepared}", "--date", today, "--today", today, "--format", "json"],
                  "bare read (python-calamine)", Target(3, 2), ok_codes=(0, 1),
                  setup=[*sk, "drafts", f, "--out", "{prepared}", "--today", today], fresh=cohort),
            Bench("sheetkit report", "cohort", [*sk, "report", f, "--out", "{out}/report.html", "--today", today],
                  "bare read (python-calamine)", Target(3, None)),
            # A LinkedIn export of new people appended to a fresh copy of the cohort each run.
            Bench("sheetkit import", "cohort",
                  [*sk, "import", "{copy}", "{prepared}/Connections.csv", "--format", "json"],
                  "bare read (python-calamine)", Target(3, None),
                  setup=[PY, "-c", MAKE_CONNECTIONS, "{prepared}", str(IMPORTED)], fresh=cohort),
        ]
        if pandas:
            benches.append(Bench("pandas read_excel (calamine)", "cohort", [PY, "-c", PANDAS_READ, f],
                                 "bare read (python-calamine)"))
    if folder is not None:
        each = "sheetkit status on each in turn"
        benches += [
            Bench(each, "folder", [PY, "-c", EACH_STATUS, str(folder), today, *sk]),
            Bench("sheetkit report FOLDER", "folder",
                  [*sk, "report", str(folder), "--out", "{out}/cohort.html", "--today", today], each, Target(0.25)),
        ]
    if small:
        ex = str(EXAMPLE)
        base = "python -c 'import pandas'"
        benches += [
            Bench(base, "small", [PY, "-c", IMPORT_PANDAS]),
            Bench("sheetkit --help", "small", [*sk, "--help"], base, Target(1.5)),
            Bench("sheetkit validate", "small", [*sk, "validate", ex, "--today", today, "--format", "json"],
                  base, Target(1.5), ok_codes=(0, 1)),
            Bench("sheetkit status", "small", [*sk, "status", ex, "--today", today, "--format", "json"],
                  base, Target(1.5)),
            Bench("sheetkit drafts", "small", [*sk, "drafts", ex, "--out", "{out}", "--today", today],
                  base, Target(1.5), drafts=True, ok_codes=(0, 1)),
        ]
    return benches


def check_available(benches: list[Bench]) -> None:
    """Mark commands that do not exist yet (e.g. a subcommand still being written) instead of failing."""
    sk = sheetkit_command()
    seen: dict[str, str | None] = {}
    for b in benches:
        if b.argv[: len(sk)] != sk or b.argv[len(sk)] == "--help":
            continue
        sub = b.argv[len(sk)]
        if sub not in seen:
            seen[sub] = available([*sk, sub, "--help"])
        if seen[sub] is not None:
            b.error = f"`sheetkit {sub}` is not available: {seen[sub]}"


def measure(benches: list[Bench], *, repeat: int, warmup: int, scratch: Path, verbose: bool) -> None:
    for b in benches:
        if b.error is None:
            prepare(b, scratch)
    live = [b for b in benches if b.error is None]
    for rnd in range(-warmup, repeat):
        k = rnd % len(live) if live else 0
        order = live[k:] + live[:k]
        for b in order:
            if b.error is not None:
                continue
            sample, letters = run_bench(b, scratch)
            if sample.code not in b.ok_codes:
                tail = sample.stderr.strip().splitlines()
                b.error = f"exit status {sample.code}: {tail[-1] if tail else 'no message'}"
                continue
            if letters is not None:
                b.letters = letters
            if rnd >= 0:
                b.walls.append(sample.wall)
                b.cpus.append(sample.cpu)
                b.peaks_kib.append(sample.peak_kib)
                b.codes.append(sample.code)
            if verbose:
                label = "warm-up" if rnd < 0 else f"round {rnd + 1}/{repeat}"
                print(f"  {label:>12}  {b.group:6} {b.name:34} {sample.wall:7.3f} s {sample.peak_kib / 1024:7.1f} MB",
                      file=sys.stderr, flush=True)


@dataclass
class Row:
    bench: Bench
    time_ratio: float | None
    mem_ratio: float | None
    verdict: str


def judge(benches: list[Bench]) -> list[Row]:
    by_key = {(b.group, b.name): b for b in benches}
    rows = []
    for b in benches:
        base = by_key.get((b.group, b.baseline)) if b.baseline else None
        tr = mr = None
        if base is not None and b.walls and base.walls:
            tr = b.wall / base.wall
            mr = b.peak_mb / base.peak_mb
        if b.error is not None:
            verdict = "ERROR"
        elif b.baseline is None:
            verdict = "baseline"
        elif b.target is None:
            verdict = "(reference)"
        elif tr is None or mr is None:
            verdict = "n/a"
        else:
            ok = (b.target.time is None or tr <= b.target.time) and (b.target.memory is None or mr <= b.target.memory)
            verdict = "PASS" if ok else "FAIL"
        rows.append(Row(b, tr, mr, verdict))
    return rows


def _fmt(value: float | None, spec: str) -> str:
    """A number right-aligned to the width in ``spec``, or a dash."""
    if value is None or value != value:
        return "—".rjust(int(spec.split(".")[0]))
    return format(value, spec)


def table(rows: list[Row], group: str) -> str:
    head = (f"{'command':<36} {'wall s':>8} {'cpu s':>7} {'peak MB':>8} {'× time':>7} {'× mem':>6}  "
            f"{'target':<20} result")
    lines = [head, "-" * len(head)]
    for r in rows:
        b = r.bench
        if b.group != group:
            continue
        name = b.name + (f" ({b.letters:,} letters)" if b.letters is not None else "")
        lines.append(
            f"{name:<36} {_fmt(b.wall if b.walls else None, '8.3f')} {_fmt(b.cpu if b.cpus else None, '7.2f')} "
            f"{_fmt(b.peak_mb if b.walls else None, '8.1f')} "
            f"{_fmt(r.time_ratio, '7.2f')} {_fmt(r.mem_ratio, '6.2f')}  "
            f"{(b.target.describe() if b.target else ''):<20} {r.verdict}"
        )
        if b.error:
            lines.append(f"    {b.error}")
    return "\n".join(lines)


def cohort_file(args: argparse.Namespace) -> Path:
    if args.file is not None:
        if not args.file.is_file():
            raise SystemExit(f"Error: {args.file}: no such file")
        return Path(args.file)
    path = OUT_DIR / f"cohort-{args.contacts}.xlsx"
    # In a child process: openpyxl in this process would raise every child's ru_maxrss.
    subprocess.run([PY, str(HERE / "make_cohort.py"), "--contacts", str(args.contacts), "--out", str(path)],
                   check=True, stdout=subprocess.DEVNULL)
    return path


def default_scratch() -> Path | None:
    """/dev/shm when it is a writable folder (Linux), else None for the system's temp folder.

    The bare read reads the workbook from the page cache, in RAM; drafts written
    to a tmpfs are in RAM too, so the ratio compares sheetkit's own work. How
    much a disk adds per file depends on the file system and its state: on the
    development VM's ext4 (no journal) creating a file costs 10 to 130 µs of
    kernel time, the most within minutes of many files being deleted.
    """
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def filesystem(path: Path) -> str:
    """The type of the file system holding ``path`` (from /proc/self/mounts), or "unknown"."""
    try:
        mounts = Path("/proc/self/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return "unknown"
    target, best, kind = str(path.resolve()), -1, "unknown"
    for line in mounts:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > best:
            best, kind = len(point), fields[2]
    return kind


def cohort_info(path: Path) -> dict[str, Any]:
    info: dict[str, Any] = {"file": str(path), "bytes": path.stat().st_size}
    side = path.with_name(path.name + ".json")
    if side.is_file():
        made = json.loads(side.read_text(encoding="utf-8"))
        info.update({k: made[k] for k in ("contacts", "questions", "letters_expected", "mistakes") if k in made})
    return info


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("sheetkit", "python-calamine", "pandas", "openpyxl", "jinja2", "typer"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "-"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=DEFAULT_CONTACTS, metavar="N",
                        help=f"cohort size; the workbook is generated and cached (default {DEFAULT_CONTACTS:,})")
    parser.add_argument("--file", type=Path, default=None, metavar="PATH",
                        help="time this workbook instead of a generated cohort")
    parser.add_argument("--repeat", type=int, default=5, metavar="R", help="timed rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, metavar="W", help="untimed rounds first (default 1)")
    parser.add_argument("--today", default=TODAY, help=f"--today for every command (default {TODAY})")
    parser.add_argument("--no-small", action="store_true", help="skip the 20-contact example")
    parser.add_argument("--no-cohort", action="store_true", help="only the 20-contact example")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas read_excel reference")
    parser.add_argument("--folder", type=int, default=DEFAULT_FOLDER, metavar="N",
                        help=f"workbooks in the coach's folder for `report FOLDER` (default {DEFAULT_FOLDER}; 0: skip)")
    parser.add_argument("--scratch", type=Path, default=None, metavar="DIR",
                        help="where the drafts' folders go, all deleted at the end (default: /dev/shm when it "
                             "exists, a RAM-backed tmpfs like the page cache the bare read reads from; give a "
                             "folder on a disk to include that disk's cost per file)")
    parser.add_argument("--json", type=Path, default=OUT_DIR / "results.json", metavar="PATH",
                        help="where to write the results (default benchmarks/out/results.json)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed or a command fails")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")

    cohort = None if args.no_cohort else cohort_file(args)
    folder = example_folder(args.folder, cohort) if args.folder > 0 else None
    benches = plan_benches(cohort, small=not args.no_small, pandas=not args.no_pandas, today=args.today,
                           folder=folder)
    check_available(benches)
    started = dt.datetime.now(dt.UTC)
    scratch_root = args.scratch if args.scratch is not None else default_scratch()
    if scratch_root is not None:
        scratch_root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="sheetkit-bench-", dir=scratch_root))
    scratch_fs = filesystem(scratch)
    try:
        measure(benches, repeat=args.repeat, warmup=args.warmup, scratch=scratch, verbose=not args.quiet)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    runner_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = judge(benches)

    info = cohort_info(cohort) if cohort is not None else None
    env = versions()
    print(f"sheetkit benchmark: {args.repeat} rounds interleaved (+{args.warmup} warm-up), --today {args.today}, "
          f"{os.cpu_count()} CPUs, Python {env['python']}, python-calamine {env['python-calamine']}, "
          f"pandas {env['pandas']}")
    if info is not None:
        what = f"{info['contacts']:,} contacts, {info['questions']:,} questions, " if "contacts" in info else ""
        print(f"\nCohort: {info['file']} ({what}{info['bytes'] / 1e6:.1f} MB); ratios to the bare read; "
              f"drafts written under {scratch.parent} ({scratch_fs})")
        print(table(rows, "cohort"))
    if folder is not None:
        print(f"\nA coach's folder: {args.folder} copies of {EXAMPLE.relative_to(ROOT)}; ratios to `sheetkit status` "
              "run on each in turn")
        print(table(rows, "folder"))
    if not args.no_small:
        print(f"\nSmall example: {EXAMPLE.relative_to(ROOT)}; ratios to `python -c \"import pandas\"`")
        print(table(rows, "small"))

    result = {
        "started": started.isoformat(timespec="seconds"),
        "today": args.today,
        "repeat": args.repeat,
        "warmup": args.warmup,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), **env},
        # A child's ru_maxrss cannot be below its parent's resident size when it was spawned.
        "runner_peak_mb": round(runner_peak, 1),
        "cohort": info,
        "scratch": {"folder": str(scratch.parent), "filesystem": scratch_fs},
        "results": [
            {
                "group": r.bench.group,
                "command": r.bench.name,
                "argv": r.bench.argv,
                "baseline": r.bench.baseline,
                "target": None if r.bench.target is None else {"time": r.bench.target.time,
                                                               "memory": r.bench.target.memory},
                "median_wall_s": round(r.bench.wall, 4) if r.bench.walls else None,
                "median_cpu_s": round(r.bench.cpu, 4) if r.bench.cpus else None,
                "median_peak_mb": round(r.bench.peak_mb, 1) if r.bench.walls else None,
                "time_ratio": None if r.time_ratio is None else round(r.time_ratio, 3),
                "memory_ratio": None if r.mem_ratio is None else round(r.mem_ratio, 3),
                "result": r.verdict,
                "walls_s": [round(w, 4) for w in r.bench.walls],
                "cpus_s": [round(c, 4) for c in r.bench.cpus],
                "peaks_kib": r.bench.peaks_kib,
                "exit_codes": r.bench.codes,
                "letters": r.bench.letters,
                "error": r.bench.error,
            }
            for r in rows
        ],
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nResults: {args.json}")
    missed = any(r.verdict in ("FAIL", "ERROR") for r in rows)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
