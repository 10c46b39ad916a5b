"""Where a cold run's memory goes, step by step: resident memory now and at its peak so far.

    python benchmarks/memory.py [--study /work/bench/study-1m-pristine] [--jobs 1]

A copy of the study without its analysis folder gets one cold `thematic run` in this process
(the per-user lexicon cache already built), each phase and the NLP pass wrapped to note the
resident memory (VmRSS) after it and the process's peak so far (ru_maxrss, which only grows: the
step after which it grew is where the peak was reached). The thematic imported is the one on
sys.path, so `PYTHONPATH=/tmp/base-worktree python benchmarks/memory.py` measures another commit.
Compare within one machine state; the allocator keeps some freed memory, so "now" overstates
what is live.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable


def resident() -> tuple[float, float]:
    """(now, peak so far) resident memory of this process in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        now = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    return now / 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def noted(name: str, rows: list[tuple[str, float, float, float]], step: Callable) -> Callable:
    """`step` wrapped: its seconds, then resident memory now and the peak so far, as a row."""
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        out = step(*args, **kwargs)
        rows.append((name, time.perf_counter() - start, *resident()))
        return out
    return run


def measure(study: Path, jobs: int) -> list[tuple[str, float, float, float]]:
    import thematic.nlp.analysis as analysis
    from thematic.phases import PHASES
    from thematic.project import load_project
    from thematic.runner import run_phases

    rows: list[tuple[str, float, float, float]] = [("start (thematic imported)", 0.0, *resident())]
    analysis.analyse_corpus = noted("  NLP pass (in phase 1)", rows, analysis.analyse_corpus)
    for spec in PHASES:
        spec.impl.run = noted(f"phase {spec.number}, {spec.name}", rows, spec.impl.run)
    run_phases(load_project(study), jobs=jobs)
    return rows


def commit() -> str:
    """The short commit of the thematic measured (the checkout it was imported from)."""
    import thematic

    where = Path(thematic.__file__).resolve().parent
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=where, capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, default=Path("/work/bench/study-1m-pristine"))
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="thematic-memory-"))
    try:
        study = root / "study"
        shutil.copytree(args.study, study, ignore=shutil.ignore_patterns("analysis", "thematic.lock"))
        rows = measure(study, args.jobs)
        print(f"thematic at {commit()}; {os.cpu_count()} cores; a cold run of a copy of {args.study}, "
              f"--jobs {args.jobs}, in one process\n")
        width = max(len(row[0]) for row in rows)
        print(f"  {'step':{width}}  {'seconds':>7}  {'resident now':>12}  {'peak so far':>11}")
        for name, seconds, now, peak in rows:
            print(f"  {name:{width}}  {seconds:7.1f}  {now:9.0f} MB  {peak:8.0f} MB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
