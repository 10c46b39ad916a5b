"""How fast the query commands answer on a large study: find, show code and stats, warm.

    python benchmarks/query.py [--interviews 100] [--words-per-interview 10000] [--repeat 5]

A generated study (benchmarks/generate.py, seed 7; the bundled codebook; as benchmarks/scale.py
makes it) is run once with `thematic run`; each query is then run once to warm it (the first query
after a run parses 2-codes.yaml and keeps a JSON copy), and timed warm: each in its own process
(wall time, median of --repeat, output to /dev/null: what a user or a script waits for) and
in-process (the command invoked again in one process, median: the work itself, without Python's
start-up and the CLI's imports). Two floors are timed too: `thematic --version`, and `thematic memo
list`, a command with a parameter that reads one small file: what every command pays before its
own work (Python, typer, and the one command module it imports; thematic.cli.lazy).
"""

from __future__ import annotations

import argparse
import io
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

from scale import make_study  # noqa: E402

THEMATIC = [sys.executable, "-m", "thematic"]
# The anchor: the `qc` CLI on a 1M-word project, as the issue quotes it (not measured here).
QC = {"find": "2-13 s per query", "show": "2-13 s per query", "stats": "crosstab by document: not done in 10 min"}


def own_process(args: list[str], repeat: int, before: object = None) -> float:
    """Median wall seconds of `thematic ARGS` in a fresh process; `before` runs untimed each time."""
    times = []
    for _ in range(repeat):
        if callable(before):
            before()
        start = time.perf_counter()
        done = subprocess.run([*THEMATIC, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"thematic {' '.join(args)} failed: {done.stderr.decode()[-800:]}")
    return statistics.median(times)


def in_process(args: list[str], repeat: int) -> tuple[float, int]:
    """Median seconds of the command run again in this process, and its output's line count."""
    from thematic.cli import app

    times, lines = [], 0
    for _ in range(repeat + 1):  # the first call imports the core modules: not timed
        buffer = io.StringIO()
        start = time.perf_counter()
        with redirect_stdout(buffer):
            try:
                app(args, standalone_mode=False)
            except SystemExit:
                pass
        times.append(time.perf_counter() - start)
        lines = buffer.getvalue().count("\n")
    return statistics.median(times[1:]), lines


def median_code(study: Path) -> str:
    """A codebook code with the median number of extracts: a typical `show code`."""
    import yaml

    codes = yaml.safe_load((study / "analysis" / "2-codes.yaml").read_text(encoding="utf-8"))["codes"]
    counted = sorted((c["extracts_total"], c["id"]) for c in codes if c["origin"] == "codebook" and c["extracts_total"])
    return counted[len(counted) // 2][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=100)
    parser.add_argument("--words-per-interview", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip()
    root = Path(tempfile.mkdtemp(prefix="thematic-query-"))
    try:
        words = make_study(root, args.interviews, args.words_per_interview)
        start = time.perf_counter()
        subprocess.run([*THEMATIC, "run", str(root)], check=True, stdout=subprocess.DEVNULL)
        cold = time.perf_counter() - start
        code = median_code(root)
        commands = [["find", str(root), "skreddersøm"], ["show", "code", str(root), code], ["stats", str(root)]]
        for command in commands:
            own_process(command, 1)  # warm: the JSON copy of 2-codes.yaml, the page cache
        store = (root / "analysis" / ".thematic" / "extracts.sqlite").stat().st_size
        print(f"thematic at {commit}; {os.cpu_count()} cores; {words:,} words in {args.interviews} generated "
              f"interviews (seed 7); thematic run {cold:.0f} s; extract store with index {store / 1e6:.0f} MB")
        print(f"warm, median of {args.repeat}\n")
        floors = {"thematic --version": ["--version"], "thematic memo list STUDY (reads one small file)": ["memo", "list", str(root)]}
        names = [*floors, *("thematic " + " ".join("STUDY" if a == str(root) else a for a in c) for c in commands)]
        width = max(map(len, names))
        print(f"{'command':{width}} {'own process':>11} {'in-process':>10} {'lines':>6}   qc, 1M words (the issue)")
        for name, floor in floors.items():
            print(f"{name:{width}} {own_process(floor, args.repeat):>9.2f} s")
        for name, command in zip(names[len(floors):], commands):
            inside, lines = in_process(command, args.repeat)
            print(f"{name:{width}} {own_process(command, args.repeat):>9.2f} s {inside:>8.2f} s {lines:>6,}   {QC[command[0]]}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
