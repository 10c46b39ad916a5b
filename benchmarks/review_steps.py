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

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkouts import decided_twice, interleaved, parsed  # noqa: E402

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
    return decided_twice(study, checkout, root, __file__)


def main() -> None:
    args = parsed(__doc__.splitlines()[0], step_seconds)
    if args is None:
        return
    runs = interleaved(args, one_repeat)
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
