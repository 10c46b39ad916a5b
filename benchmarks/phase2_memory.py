"""Where phase 2's memory goes, step by step: resident memory (VmRSS) and Python's live objects.

    python benchmarks/phase2_memory.py [--study /work/bench/study-1m-pristine] [--trace]

A copy of an already-run study (its per-item caches warm: a first `thematic code --force`, in a
process of its own, fills phase 2's if it is missing) gets `thematic code --force` once more in
this process, with the analyses loaded first. Rows: resident memory (now and peak) when phase 2
starts, once every item's result is read and the suggestion candidates are merged
(thematic.suggest.merge_counts), when every code's record is made and the candidates are dropped,
and after the extract store and its query index are written; with --trace, also what tracemalloc
sees alive and at its peak in the last two steps (memory Python keeps but no object uses shows as
resident, not live; tracing itself makes resident memory larger, so compare resident figures from
runs without it). Machines are noisy and resident memory depends on the allocator: compare
within one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from studies import commit  # noqa: E402

import thematic.phases.code as code  # noqa: E402
import thematic.runner as runner  # noqa: E402
from thematic.project import load_project  # noqa: E402
from thematic.store import StoreWriter  # noqa: E402


def resident() -> tuple[float, float]:
    """(now, peak) resident memory of this process in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        now = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    return now / 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def traced(name: str, rows: list[tuple[str, str]], step, trace: bool):  # type: ignore[no-untyped-def]
    """`step` wrapped: resident memory after it and, tracing, Python's live and peak memory within it."""
    def run(*args, **kwargs):  # type: ignore[no-untyped-def]
        if trace:
            tracemalloc.start()
        out = step(*args, **kwargs)
        now, top = resident()
        rows.append((f"after {name}: resident now / peak", f"{now:.0f} / {top:.0f} MB"))
        if trace:
            live, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rows.append((f"  {name}: Python objects left / peak", f"{live / 1e6:+.0f} / {peak / 1e6:.0f} MB"))
        return out
    return run


def measure(study: Path, trace: bool) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    real_run, real_records, real_finish, real_merge = code.run, code._records, StoreWriter.finish, code.merge_counts

    def started(ctx, params):  # type: ignore[no-untyped-def]
        ctx.analyses  # noqa: B018  (phase 1's data: in memory before phase 2 starts)
        now, top = resident()
        rows.append(("phase 2 starts (analyses loaded): resident", f"{now:.0f} MB"))
        return real_run(ctx, params)

    code.run = started
    code.merge_counts = traced("items read and candidates merged", rows, real_merge, False)  # inside records' trace
    code._records = traced("records (candidates dropped)", rows, real_records, trace)
    StoreWriter.finish = traced("store and index written", rows, real_finish, trace)
    try:
        runner.run_phases(load_project(study), until="code", force=True, jobs=1)
    finally:
        code.run, code._records, StoreWriter.finish, code.merge_counts = real_run, real_records, real_finish, real_merge
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, default=Path("/work/bench/study-1m-pristine"))
    parser.add_argument("--trace", action="store_true", help="also Python's live objects (tracemalloc)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="thematic-phase2-memory-"))
    try:
        study = root / "study"
        shutil.copytree(args.study, study)
        if not (study / "analysis" / ".thematic" / "cache" / "code").is_dir():
            subprocess.run([sys.executable, "-m", "thematic", "code", str(study), "--force"], check=True,
                           stdout=subprocess.DEVNULL)  # warm phase 2's cache, in a process of its own
        rows = measure(study, args.trace)
        print(f"thematic at {commit()}; {os.cpu_count()} cores; a copy of {args.study}; thematic code --force, "
              f"caches warm, in one process{', traced' if args.trace else ''}\n")
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            print(f"  {name:{width}}  {value}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
