"""What phases 3-5 themselves cost on a re-run after one decision, apart from the loads they share.

    python benchmarks/decision_phases.py --study STUDY [--checkout PATH ...] [--repeat 3]

STUDY is an analysed study (e.g. the 1M-word one benchmarks/scale.py makes). Each repeat copies
it, accepts one suggestion in 2-codes.yaml and runs (untimed: a study made by another version gets
this one's caches), then accepts the next suggestion and runs again in a process that times each
phase's own work: process seconds of the phase's `run`, after the loads phases 3-6 share (the
transcripts, the codes with their extracts, the earlier artefacts) were made untimed. Each
--checkout (a source tree, e.g. a `git worktree` of an older commit) is measured in turn, repeat
by repeat, so a busy machine weighs on all alike; the table shows the median per phase.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import accept_first_suggestion  # noqa: E402

PHASES = ("themes", "review", "define")


def own_seconds(study: Path) -> dict[str, float]:
    """(child mode) thematic run in this process; each phase's run timed after the shared loads."""
    import thematic.runner as runner
    from thematic.extracts import counted
    from thematic.project import load_project

    seconds, real = {}, runner.run_phase

    def timed(ctx, spec, lock):  # type: ignore[no-untyped-def]
        if spec.name in PHASES:
            ctx.docs, counted(ctx), [ctx.artefact(name) for name in ("code", *PHASES[:PHASES.index(spec.name)])]
            start = time.process_time()
            spec.impl.run(ctx, ctx.project.params(spec.name))
            seconds[spec.name] = time.process_time() - start
        return real(ctx, spec, lock)

    runner.run_phase = timed
    runner.run_phases(load_project(study), jobs=1)
    return seconds


def one_repeat(study: Path, checkout: Path | None, root: Path) -> dict[str, float]:
    copy = root / "study"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(study, copy)
    env = {**os.environ, **({"PYTHONPATH": str(checkout)} if checkout else {})}
    accept_first_suggestion(copy)
    subprocess.run([sys.executable, "-m", "thematic", "run", str(copy)], env=env, check=True, stdout=subprocess.DEVNULL)
    accept_first_suggestion(copy)
    out = subprocess.run([sys.executable, __file__, "--child", str(copy)], env=env, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path)
    parser.add_argument("--checkout", type=Path, action="append", help="a source tree to measure (default: this one)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(own_seconds(args.child)))
        return
    if not args.study:
        parser.error("--study: an analysed study is needed")
    checkouts = args.checkout or [None]
    runs: dict[str, list[dict[str, float]]] = {str(c or "this tree"): [] for c in checkouts}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            for checkout in checkouts:
                runs[str(checkout or "this tree")].append(one_repeat(args.study, checkout, Path(tmp)))
    head = ("checkout", *(f"{p} s" for p in PHASES), "3-5 s")
    rows = []
    for name, seen in runs.items():
        medians = [statistics.median(r.get(p, 0.0) for r in seen) for p in PHASES]
        rows.append((name, *(f"{m:.2f}" for m in medians), f"{sum(medians):.2f}"))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


if __name__ == "__main__":
    main()
