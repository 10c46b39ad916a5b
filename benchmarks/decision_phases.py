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

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkouts import decided_twice, interleaved, parsed  # noqa: E402

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
    return decided_twice(study, checkout, root, __file__)


def main() -> None:
    args = parsed(__doc__.splitlines()[0], own_seconds)
    if args is None:
        return
    runs = interleaved(args, one_repeat)
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
