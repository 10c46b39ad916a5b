"""The ratios the targets name, each measured as a pair side by side, N times over.

    python benchmarks/ratios.py [--interviews 100] [--repeat 5]

A shared 2-core machine's speed moves by a third from one minute to the next, so a cold run timed
at one minute and a re-run timed at another give a ratio that moves as much. Here each repeat
times, one right after the other, a cold `thematic run --jobs 2` of a generated study (seed 7,
10,000 words per interview; on a fresh copy without analysis), `thematic status` and
`thematic run` after one accepted suggestion (on a fresh copy of the analysed study), and the
bare spacy.blank("nb") tokenizer over the same texts; each row is one repeat, and the last line
the medians of the ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import (  # noqa: E402
    accept_first_suggestion, compile_package, make_study, measured, on_copy, tokenizer_seconds, unanalysed,
)


def one_round(study: Path) -> tuple[float, float, float, float]:
    """(cold, decision re-run, status, tokenizer) seconds, measured one right after the other."""
    cold, _ = on_copy(study, unanalysed, "run", "--jobs", "2")
    status, _ = on_copy(study, accept_first_suggestion, "status")
    decided, _ = on_copy(study, accept_first_suggestion, "run")
    return cold, decided, status, tokenizer_seconds(study / "interviews")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    compile_package()
    root = Path(tempfile.mkdtemp(prefix="thematic-ratios-"))
    try:
        words = make_study(root, args.interviews, 10_000)
        measured("run", str(root))  # the analysed study the decision edits start from (untimed)
        print(f"{args.interviews} generated interviews, {words:,} words; seconds, and ratios within each repeat")
        print(f"  {'cold':>6} {'decision':>9} {'status':>7} {'tokenizer':>10} {'decision/cold':>14} {'cold/tokenizer':>15}")
        shares, speeds = [], []
        for _ in range(args.repeat):
            cold, decided, status, bare = one_round(root)
            shares.append(decided / cold)
            speeds.append(cold / bare)
            print(f"  {cold:6.2f} {decided:9.2f} {status:7.2f} {bare:10.2f} {decided / cold:14.1%} {cold / bare:14.2f}x")
        print(f"  median decision re-run / cold run {statistics.median(shares):.1%} "
              f"(range {min(shares):.1%}-{max(shares):.1%}); median cold run / tokenizer {statistics.median(speeds):.2f}x "
              f"(range {min(speeds):.2f}-{max(speeds):.2f}x)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
