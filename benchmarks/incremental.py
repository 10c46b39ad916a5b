"""What a re-run costs after one transcript changes, what --jobs 2 buys, and where memory goes.

    python benchmarks/incremental.py [--sizes 100] [--words-per-interview 10000]

For each size, a generated study (benchmarks/generate.py, seed 7; the bundled codebook; made as
benchmarks/scale.py makes it) is run as a user would run it, each command in its own process
(wall time, and the peak RSS of the largest process from wait4): a cold run with --jobs 1, the bare
spacy.blank("nb") tokenizer over the same texts (in this process) and the ratio, a cold run of a
fresh copy with --jobs 2, a no-change re-run, and a re-run after editing one transcript, as a
process and once more in a process that times each phase and the peak RSS reached by its end
(which phase the time and the memory go to). Machines are noisy: compare within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import make_study, measured, tokenizer_seconds  # noqa: E402

SENTENCE = "\nMentor: Dette er en ny setning om tillit og tett oppfølging.\n"


def edit_one(study: Path, n: int) -> None:
    """Append a sentence to the first transcript (the n-th edit: each is new text)."""
    first = sorted((study / "interviews").glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + SENTENCE.replace("ny", f"ny ({n})"), encoding="utf-8")


def phase_split(study: Path) -> list[tuple[str, float, float]]:
    """Run the stale phases in a child process that times each: (phase, seconds, peak MB by its end)."""
    out = subprocess.run([sys.executable, __file__, "--phases-of", str(study)], capture_output=True, text=True, check=True)
    return [tuple(row) for row in json.loads(out.stdout)]  # type: ignore[misc]


def time_phases(study: Path) -> None:
    """(child mode) thematic run in this process, each phase timed; JSON rows on stdout. With the
    machine's cores, as `thematic run` has them: a phase's work done beside it in a forked copy
    (phase 4's bootstrap and questions, the report's checklist) is then timed as a run waits for it."""
    import thematic.runner as runner
    from thematic.project import load_project

    rows, real = [], runner.run_phase

    def timed(ctx, spec, lock):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        out = real(ctx, spec, lock)
        rows.append((spec.name, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
        return out

    runner.run_phase = timed
    runner.run_phases(load_project(study), jobs=None)
    print(json.dumps(rows))


def fresh_copy(study: Path, target: Path) -> Path:
    shutil.copytree(study, target, ignore=shutil.ignore_patterns("analysis", "thematic.lock", ".thematic-run.lock"))
    return target


def rows_for(root: Path, words: int) -> list[tuple[str, str]]:
    study = root / "study"
    cold, cold_rss = measured("run", str(study), "--jobs", "1")
    bare = tokenizer_seconds(study / "interviews")
    two, two_rss = measured("run", str(fresh_copy(study, root / "two")), "--jobs", "2")
    again, _ = measured("run", str(study))
    edit_one(study, 1)
    edited, edited_rss = measured("run", str(study), "--jobs", "1")
    edit_one(study, 2)
    split = phase_split(study)
    cache = study / "analysis" / ".thematic" / "cache"
    sizes = {kind.name: sum(f.stat().st_size for f in kind.iterdir()) / 1e6 for kind in sorted(cache.iterdir()) if kind.is_dir()}
    return [
        ("words", f"{words:,}"),
        ("cold run --jobs 1: wall / peak RSS", f"{cold:.1f} s / {cold_rss:.0f} MB"),
        ("bare tokenizer over the same texts", f"{bare:.1f} s"),
        ("cold run / tokenizer", f"{cold / bare:.1f}x"),
        ("cold run --jobs 2: wall / peak RSS", f"{two:.1f} s / {two_rss:.0f} MB ({cold / two:.2f}x faster)"),
        ("no-change re-run", f"{again:.2f} s ({again / cold:.0%} of cold)"),
        ("re-run after editing one transcript", f"{edited:.1f} s ({edited / cold:.0%} of cold) / {edited_rss:.0f} MB"),
        ("  the same, by phase (s)", ", ".join(f"{name} {s:.1f}" for name, s, _ in split)),
        ("  peak RSS by the end of each phase (MB)", ", ".join(f"{name} {mb:.0f}" for name, _, mb in split)),
        ("per-item caches (MB)", ", ".join(f"{name} {mb:.1f}" for name, mb in sizes.items())),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100", help="interview counts, comma-separated")
    parser.add_argument("--words-per-interview", type=int, default=10_000)
    parser.add_argument("--phases-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phases_of:
        return time_phases(args.phases_of)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip()
    print(f"thematic at {commit}; {os.cpu_count()} cores; generated studies (seed 7), "
          f"{args.words_per_interview:,} words per interview")
    for size in (int(s) for s in args.sizes.split(",")):
        root = Path(tempfile.mkdtemp(prefix=f"thematic-incremental-{size}-"))
        try:
            words = make_study(root / "study", size, args.words_per_interview)
            print(f"\n{size} interviews")
            for name, value in rows_for(root, words):
                print(f"  {name:44} {value}")
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
