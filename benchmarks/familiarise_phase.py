"""Phase 1 (familiarise, with the NLP pass) on a cold run and after one transcript edit, next to the
bare spaCy tokenizer over the same texts.

    python benchmarks/familiarise_phase.py --study STUDY [--checkout PATH ...] [--repeat 3] [--jobs 2]

STUDY holds transcripts (e.g. the 1M-word one benchmarks/scale.py makes); its analysis is not
used. Each repeat copies the transcripts and settings, runs phase 1 in a fresh process and times
its `run_phase` (wall seconds, so the worker processes of --jobs count as they help), appends one
answer to one transcript and times phase 1 again in another fresh process; then times a fresh
spacy.blank("nb") tokenizer over the same texts in this process. Each --checkout (a source tree,
e.g. a `git worktree` of an older commit) is measured in turn, repeat by repeat, so a busy machine
weighs on all alike; the table shows medians (and the best run, the least disturbed by others
on a shared machine) and the cold run's ratio to the tokenizer.
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

EDIT = "\nDeltaker: Og så fikk jeg en ny jobbkonsulent etterpå, og det hjalp.\n"


def phase_seconds(study: Path, jobs: int) -> float:
    """(child mode) phases up to familiarise in this process; the wall seconds of phase 1's own run."""
    import thematic.runner as runner
    from thematic.project import load_project

    seconds, real = {}, runner.run_phase

    def timed(ctx, spec, lock):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        out = real(ctx, spec, lock)
        seconds[spec.name] = time.perf_counter() - start
        return out

    runner.run_phase = timed
    runner.run_phases(load_project(study), until="familiarise", jobs=jobs)
    return seconds["familiarise"]


def tokenizer_seconds(texts: list[str]) -> float:
    import spacy

    nlp = spacy.blank("nb")  # a new vocabulary each time: cold, like a run's
    nlp.max_length = 50_000_000
    start = time.perf_counter()
    for _ in nlp.tokenizer.pipe(texts):
        pass
    return time.perf_counter() - start


def child(study: Path, checkout: Path | None, jobs: int) -> float:
    env = {**os.environ, **({"PYTHONPATH": str(checkout)} if checkout else {})}
    out = subprocess.run([sys.executable, __file__, "--child", str(study), "--jobs", str(jobs)], env=env,
                         check=True, capture_output=True, text=True, cwd=tempfile.gettempdir())
    return float(out.stdout.split()[-1])


def one_repeat(source: Path, checkout: Path | None, root: Path, jobs: int) -> tuple[float, float]:
    study = root / "study"
    shutil.rmtree(study, ignore_errors=True)
    shutil.copytree(source, study, ignore=shutil.ignore_patterns("analysis", "thematic.lock"))
    cold = child(study, checkout, jobs)
    edited = sorted((study / "interviews").glob("*.txt"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    return cold, child(study, checkout, jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path)
    parser.add_argument("--checkout", type=Path, action="append", help="a source tree to measure (default: this one)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(phase_seconds(args.child, args.jobs)))
        return
    if not args.study:
        parser.error("--study: a study with transcripts is needed")
    texts = [p.read_text(encoding="utf-8") for p in sorted((args.study / "interviews").glob("*.txt"))]
    checkouts = args.checkout or [None]
    runs: dict[str, list[tuple[float, float]]] = {str(c or "this tree"): [] for c in checkouts}
    tokenizer: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            for checkout in checkouts:
                runs[str(checkout or "this tree")].append(one_repeat(args.study, checkout, Path(tmp), args.jobs))
            tokenizer.append(tokenizer_seconds(texts))
    bare, best = statistics.median(tokenizer), min(tokenizer)
    head = ("checkout", f"cold phase 1 s (--jobs {args.jobs})", "one-edit phase 1 s", "tokenizer s", "cold / tokenizer")
    rows = []
    for name, seen in runs.items():
        colds, edits = [c for c, _ in seen], [e for _, e in seen]
        cold = statistics.median(colds)
        rows.append((name, f"{cold:.2f} (best {min(colds):.2f})", f"{statistics.median(edits):.2f} (best {min(edits):.2f})",
                     f"{bare:.2f} (best {best:.2f})", f"{cold / bare:.2f}x (best {min(colds) / best:.2f}x)"))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


if __name__ == "__main__":
    main()
