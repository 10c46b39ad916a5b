"""How fast `thematic export` writes a large study, and how large the files are.

    python benchmarks/exchange.py [--study DIR] [--interviews 100] [--words-per-interview 10000] [--repeat 3]

With --study, a copy of that already-run study is measured (e.g. the 1M-word benchmark study);
without it a study is generated (benchmarks/generate.py, seed 7, the bundled codebook, as
benchmarks/scale.py makes it) and run once with `thematic run`. Each export is then timed warm:
in its own process (wall time, median of --repeat: what a user or a script waits for) and
in-process (the command invoked again in one process, median: the work itself, without Python's
start-up and the CLI's imports). The study is measured as run (the codebook's codes count) and
again with every suggestion accepted (every extract in the store becomes a coding). The `qc`
figure is the issue's, for a 1M-word project (not measured here).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from query import in_process, own_process  # noqa: E402
from scale import make_study  # noqa: E402
from studies import commit  # noqa: E402

THEMATIC = [sys.executable, "-m", "thematic"]
QC = {"qdpx": "11 s (qc export, the issue)"}


@dataclass(frozen=True)
class Row:
    """One timed command: its name in the table, its arguments, and what it is compared with."""

    name: str
    args: list[str]
    anchor: str = ""


def rows(study: Path, out: Path, label: str) -> list[Row]:
    """The exports timed on one state of the study. Other exchange benchmarks (an import of the
    .qdpx written here) add their rows in their own script, benchmarks/qdpx_import.py."""
    return [Row(f"export --format {fmt} ({label})", ["export", str(study), "--format", fmt, "-o", str(out / name), "--json"],
                QC.get(fmt, ""))
            for fmt, name in (("qdpx", "studie.qdpx"), ("qdc", "studie.qdc"), ("csv", "csv"))]


def measure(row: Row, repeat: int) -> tuple[float, float, dict]:
    """Own-process and in-process medians, and the export's own summary (--json)."""
    done = subprocess.run([*THEMATIC, *row.args], capture_output=True, text=True, check=True)
    summary = json.loads(done.stdout)
    inside, _ = in_process(row.args, repeat)
    return own_process(row.args, repeat), inside, summary


def what(summary: dict) -> str:
    size = f"{summary['bytes'] / 1e6:.2f} MB"
    if summary["format"] == "qdpx":
        return f"{size}  {summary['selections']:,} selections, {summary['codings']:,} codings, {summary['sources']} sources"
    if summary["format"] == "csv":
        return f"{size}  {summary['rows']:,} extract rows + codes × {summary['cases']} participants"
    return f"{size}  {summary['themes']} themes, {summary['codes']} codes"


def prepare(args: argparse.Namespace, root: Path) -> tuple[Path, str]:
    """The study to measure (a copy of --study, or generated and run) and a line saying what it is."""
    study = root / "studie"
    if args.study:
        shutil.copytree(args.study, study)
        return study, f"a copy of {args.study}"
    words = make_study(study, args.interviews, args.words_per_interview)
    start = time.perf_counter()
    subprocess.run([*THEMATIC, "run", str(study)], check=True, stdout=subprocess.DEVNULL)
    return study, f"{words:,} words in {args.interviews} generated interviews (seed 7); thematic run {time.perf_counter() - start:.0f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, help="An already-run study to copy and measure (else one is generated).")
    parser.add_argument("--interviews", type=int, default=100)
    parser.add_argument("--words-per-interview", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="thematic-exchange-"))
    try:
        study, about = prepare(args, root)
        out = root / "out"
        timed = rows(study, out, "as run")
        results = [measure(row, args.repeat) for row in timed]
        subprocess.run([*THEMATIC, "codes", "accept", str(study), "--all-suggested"], check=True, stdout=subprocess.DEVNULL)
        accepted = rows(study, out, "all accepted")[:1]
        results += [measure(row, args.repeat) for row in accepted]
        print(f"thematic at {commit()}; {os.cpu_count()} cores; {about}")
        print(f"warm, median of {args.repeat}\n")
        width = max(len(r.name) for r in timed + accepted)
        print(f"{'command':{width}} {'own process':>11} {'in-process':>10}   output")
        for row, (own, inside, summary) in zip(timed + accepted, results):
            anchor = f"   qc: {row.anchor}" if row.anchor else ""
            print(f"{row.name:{width}} {own:>9.2f} s {inside:>8.2f} s   {what(summary)}{anchor}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
