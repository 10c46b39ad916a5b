"""Where phase 4 (review) spends a re-run after one decision, step by step.

    python benchmarks/review_steps.py --study STUDY [--checkout PATH ...] [--repeat 3]

STUDY is an analysed study (e.g. the 1M-word one benchmarks/scale.py makes). Each repeat copies
it, accepts one suggestion in 2-codes.yaml and runs (untimed: a study made by another version gets
this one's caches), then accepts the next suggestion and runs again in a process that times, in
process seconds, phase 4's steps (the turns' words and keywords, the stability bootstrap, the
questions, the rest of the themes' records) and the whole phase as the runner runs it (its
artefact, shadow and lock written). Each --checkout (a source tree, e.g. a `git worktree` of an
older commit) is measured in turn, repeat by repeat, so a busy machine weighs on all alike; the
table shows the median per step, and whether the phase imported numpy.
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

STEPS = ("theme_words", "theme_stability", "_questions", "theme_subgroups", "_dataset")


def step_seconds(study: Path) -> dict[str, float]:
    """(child mode) thematic run in this process; phase 4's steps and the whole phase timed."""
    import thematic.phases.review as review
    import thematic.runner as runner
    from thematic.project import load_project

    seconds = {name: 0.0 for name in (*STEPS, "phase")}
    for name in STEPS:
        def timed(*args, _real=getattr(review, name), _name=name, **kwargs):  # type: ignore[no-untyped-def]
            start = time.process_time()
            out = _real(*args, **kwargs)
            seconds[_name] += time.process_time() - start
            return out
        setattr(review, name, timed)
    real = runner.run_phase

    def run_phase(ctx, spec, lock):  # type: ignore[no-untyped-def]
        start = time.process_time()
        out = real(ctx, spec, lock)
        if spec.name == "review":
            seconds["phase"] = time.process_time() - start
            seconds["numpy"] = float("numpy" in sys.modules)
        return out

    runner.run_phase = run_phase
    runner.run_phases(load_project(study), jobs=1)
    return seconds


def one_repeat(study: Path, checkout: Path | None, root: Path) -> dict[str, float]:
    copy = root / "study"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(study, copy)
    env = {**os.environ, **({"PYTHONPATH": str(checkout)} if checkout else {})}
    accept_first_suggestion(copy)
    subprocess.run([sys.executable, "-m", "thematic", "run", str(copy)], env=env, check=True, stdout=subprocess.DEVNULL, cwd=root)
    accept_first_suggestion(copy)
    out = subprocess.run([sys.executable, __file__, "--child", str(copy)], env=env, check=True,
                         capture_output=True, text=True, cwd=root)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path)
    parser.add_argument("--checkout", type=Path, action="append", help="a source tree to measure (default: this one)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(step_seconds(args.child)))
        return
    if not args.study:
        parser.error("--study: an analysed study is needed")
    checkouts = args.checkout or [None]
    runs: dict[str, list[dict[str, float]]] = {str(c or "this tree"): [] for c in checkouts}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            for checkout in checkouts:
                runs[str(checkout or "this tree")].append(one_repeat(args.study, checkout, Path(tmp)))
    head = ("checkout", "words s", "stability s", "questions s", "subgroups s", "dataset s", "phase 4 s", "numpy")
    rows = []
    for name, seen in runs.items():
        medians = [statistics.median(r[s] for r in seen) for s in (*STEPS, "phase")]
        rows.append((name, *(f"{m:.3f}" for m in medians), "yes" if any(r.get("numpy") for r in seen) else "no"))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


if __name__ == "__main__":
    main()
