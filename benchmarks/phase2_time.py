"""What phase 2 (coding) itself costs, with every item coded afresh and with every item cached.

    python benchmarks/phase2_time.py --study STUDY [--checkout PATH ...] [--repeat 3]

STUDY is an analysed study (e.g. the 1M-word one benchmarks/scale.py makes). Each repeat copies
it and forces phase 2 twice, each time in a new process that has read the transcripts and their
analyses before the clock starts (as phase 1 leaves them): once with the per-item cache
(cache/code) removed, on one process (--jobs 1), so its process seconds are all the work a cold
run's phase 2 does; and once more with that cache as the first run left it, which is phase 2 of a
re-run after one transcript edit less the one item. Process seconds are CPU time, so a busy
machine weighs on them less than on wall time. Each --checkout (a source tree, e.g. a `git
worktree` of an older commit) is measured in turn, repeat by repeat; the table shows medians.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkouts import interleaved, parsed  # noqa: E402

KINDS = ("afresh", "cached")


def own_seconds(study: Path) -> dict[str, float]:
    """(child mode) phase 2 forced in this process, timed after the transcripts and analyses are read."""
    import thematic.runner as runner
    from thematic.project import load_project

    seconds, real = {}, runner.run_phase

    def timed(ctx, spec, lock):  # type: ignore[no-untyped-def]
        for doc in ctx.docs:
            ctx.analyses[doc.id]  # noqa: B018
        wall, cpu = time.perf_counter(), time.process_time()
        out = real(ctx, spec, lock)
        seconds.update(wall=time.perf_counter() - wall, cpu=time.process_time() - cpu)
        return out

    runner.run_phase = timed
    runner.run_phases(load_project(study), until="code", force=True, jobs=1)
    return seconds


def one_repeat(study: Path, checkout: Path | None, root: Path) -> dict[str, dict[str, float]]:
    copy = root / "study"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(study, copy)
    env = {**os.environ, **({"PYTHONPATH": str(checkout)} if checkout else {})}
    out = {}
    for kind in KINDS:
        if kind == "afresh":
            shutil.rmtree(copy / "analysis" / ".thematic" / "cache" / "code", ignore_errors=True)
        run = subprocess.run([sys.executable, __file__, "--child", str(copy)], env=env, check=True,
                             capture_output=True, text=True, cwd=root)  # not a source tree: PYTHONPATH decides
        out[kind] = json.loads(run.stdout)
    return out


def main() -> None:
    args = parsed(__doc__.splitlines()[0], own_seconds)
    if args is None:
        return
    runs = interleaved(args, one_repeat)
    head = ("checkout", *(f"{kind} {what} s" for kind in KINDS for what in ("cpu", "wall")))
    rows = [(name, *(f"{statistics.median(r[kind][what] for r in seen):.2f}" for kind in KINDS for what in ("cpu", "wall")))
            for name, seen in runs.items()]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


if __name__ == "__main__":
    main()
