"""How fast `thematic import` makes a study from a large REFI-QDA project, and what a first run
of the imported study then takes.

    python benchmarks/qdpx_import.py [--study DIR] [--interviews 100] [--words-per-interview 10000] [--repeat 3] [--no-run]

The project is thematic's own export (`thematic export --format qdpx`) of a copy of --study (an
already-run study, e.g. the 1M-word benchmark study) or of a generated study (as
benchmarks/exchange.py makes it): once as run, and once with every suggestion accepted (every
extract in the store a coding). Each import goes into a new folder, timed warm in its own process
(wall time, median of --repeat: what a user waits for) and in-process (median: the import itself,
without Python's start-up and the CLI's imports). Then, unless --no-run, `thematic run` on one
imported study, cold (its NLP cache empty, as after a real import). The `qc` figure is the
issue's, for importing a 1M-word project (not measured here).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exchange import prepare  # noqa: E402
from studies import commit  # noqa: E402

THEMATIC = [sys.executable, "-m", "thematic"]
QC = "292 s (qc import, the issue)"


def export(study: Path, target: Path) -> dict:
    done = subprocess.run([*THEMATIC, "export", str(study), "-o", str(target), "--json"], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def own_process(qdpx: Path, out: Path, repeat: int) -> float:
    """Median wall seconds of `thematic import` into a new folder, each in a fresh process."""
    times = []
    for n in range(repeat):
        start = time.perf_counter()
        subprocess.run([*THEMATIC, "import", str(qdpx), str(out / f"own-{n}"), "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(qdpx: Path, out: Path, repeat: int) -> tuple[float, dict]:
    """Median seconds of the import run again in this process (the first, which imports the core
    modules, untimed), and what the last one reported."""
    from thematic.cli import app

    times, report = [], {}
    for n in range(repeat + 1):
        buffer = io.StringIO()
        start = time.perf_counter()
        with redirect_stdout(buffer):
            try:
                app(["import", str(qdpx), str(out / f"in-{n}"), "--json"], standalone_mode=False)
            except SystemExit:
                pass
        times.append(time.perf_counter() - start)
        report = json.loads(buffer.getvalue())
    return statistics.median(times[1:]), report


def first_run(study: Path) -> float:
    start = time.perf_counter()
    subprocess.run([*THEMATIC, "run", str(study), "--quiet"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(study: Path, out: Path, label: str, args: argparse.Namespace) -> tuple[str, float, float, float | None, str]:
    qdpx = out / f"{label.replace(' ', '-')}.qdpx"
    exported = export(study, qdpx)
    own = own_process(qdpx, out / label.replace(" ", "-"), args.repeat)
    inside, report = in_process(qdpx, out / label.replace(" ", "-"), args.repeat)
    ran = first_run(out / label.replace(" ", "-") / "own-0") if args.run and label == "as run" else None
    what = (f"{exported['bytes'] / 1e6:.1f} MB .qdpx: {report['codes']} codes, {report['codings']:,} codings on "
            f"{report['extracts']:,} extracts, {len(report['transcripts'])} transcripts, {report['cases']} cases")
    return label, own, inside, ran, what


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, help="An already-run study to copy, export and import (else one is generated).")
    parser.add_argument("--interviews", type=int, default=100)
    parser.add_argument("--words-per-interview", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-run", dest="run", action="store_false", help="Skip the first run of an imported study.")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="thematic-import-"))
    try:
        study, about = prepare(args, root)
        out = root / "out"
        rows = [measure(study, out, "as run", args)]
        subprocess.run([*THEMATIC, "codes", "accept", str(study), "--all-suggested"], check=True, stdout=subprocess.DEVNULL)
        rows.append(measure(study, out, "all accepted", args))
        print(f"thematic at {commit()}; {os.cpu_count()} cores; {about}")
        print(f"import: warm, median of {args.repeat}; run: once, cold, on a study just imported\n")
        print(f"{'project (its export)':20} {'import, own process':>19} {'in-process':>10} {'then run':>9}   what")
        for label, own, inside, ran, what in rows:
            run = f"{ran:>7.1f} s" if ran is not None else f"{'-':>9}"
            print(f"{label:20} {own:>17.2f} s {inside:>8.2f} s {run}   {what}")
        print(f"\nqc, 1M words: {QC}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
