"""What a decision costs outside the phases' own work: Python start, imports, loading the project,
the staleness checks, the lock and printing, in `thematic run` and `thematic status`.

    python benchmarks/overhead.py --study STUDY [--checkout PATH ...] [--repeat 3]

STUDY is an analysed study (e.g. the 1M-word one benchmarks/scale.py makes). Each repeat copies
it, accepts one suggestion in 2-codes.yaml and runs (untimed: a study made by another version gets
this one's caches), accepts the next suggestion, then times `thematic status` and `thematic run`
as a user would start them: wall seconds and CPU seconds (user + system) of the whole process.
The run's process also adds up the time spent inside the phases' `run`: the rest ("outside") is
what this benchmark is about. CPU seconds move far less than wall seconds when other work shares
the machine. Each --checkout (a source tree, e.g. a `git worktree` of an older commit) is
measured in turn, repeat by repeat, so a busy machine weighs on all alike; the table shows medians.
"""

from __future__ import annotations

import ast
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkouts import interleaved, parsed  # noqa: E402
from scale import accept_first_suggestion  # noqa: E402

# The child: `python -m thematic ARGS`, with each phase's run() timed (its module's import is not).
CHILD = """
import os, runpy, sys, time
from thematic.phases import PhaseSpec

spent, real = [0.0, 0.0], PhaseSpec.impl.fget


class Timed:
    def __init__(self, module):
        self._module = module

    def __getattr__(self, name):
        found = getattr(self._module, name)
        if name != "run":
            return found

        def run(*args, **kwargs):
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return found(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start
                spent[1] += time.process_time() - cpu
        return run


PhaseSpec.impl = property(lambda spec: Timed(real(spec)))
sys.argv = ["thematic", *sys.argv[1:]]
try:
    runpy.run_module("thematic", run_name="__main__", alter_sys=True)
finally:
    with open(os.environ["OVERHEAD_OUT"], "w") as out:
        out.write(repr(spent))
"""


def timed(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float, float]:
    """Wall and CPU seconds of one thematic command, and of its phases' run()."""
    spent = cwd / "spent"
    start, before = time.perf_counter(), _children_cpu()
    subprocess.run([sys.executable, "-c", CHILD, *args], env={**env, "OVERHEAD_OUT": str(spent)}, cwd=cwd,
                   check=True, stdout=subprocess.DEVNULL)
    wall, cpu = time.perf_counter() - start, _children_cpu() - before
    inside_wall, inside_cpu = ast.literal_eval(spent.read_text())
    return wall, cpu, inside_wall, inside_cpu


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def one_repeat(study: Path, checkout: Path | None, root: Path) -> dict[str, float]:
    copy = root / "study"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(study, copy)
    time.sleep(2.5)  # the copies' ctime is now: let them be as settled as a real study's transcripts (file_hashes)
    env = {**os.environ, **({"PYTHONPATH": str(checkout)} if checkout else {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user runs it: compiled once, then from __pycache__
    accept_first_suggestion(copy)
    subprocess.run([sys.executable, "-m", "thematic", "run", str(copy)], env=env, cwd=root, check=True,
                   stdout=subprocess.DEVNULL)
    accept_first_suggestion(copy)
    status, status_cpu, _, _ = timed(["status", str(copy)], env, root)
    wall, cpu, inside_wall, inside_cpu = timed(["run", str(copy)], env, root)
    return {"status": status, "status_cpu": status_cpu, "run": wall, "outside": wall - inside_wall,
            "run_cpu": cpu, "outside_cpu": cpu - inside_cpu}


def main() -> None:
    args = parsed(__doc__.splitlines()[0])
    if args is None:
        return
    runs = interleaved(args, one_repeat)
    keys = ("status", "status_cpu", "run", "outside", "run_cpu", "outside_cpu")
    head = ("checkout", "status s", "status cpu s", "re-run s", "outside phases s", "re-run cpu s", "outside phases cpu s")
    rows = [(name, *(f"{statistics.median(r[k] for r in seen):.2f}" for k in keys)) for name, seen in runs.items()]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


if __name__ == "__main__":
    main()
