"""What theme stability costs in phase 4, and what it finds on the example studies.

    python benchmarks/stability.py [--study DIR] [--rounds 0,10,20,50] [--runs 25,5] [--repeat 3] [--no-examples]

A large study (the transcripts and thematic.yaml of --study when given, e.g. the 1M-word benchmark
study; else one generated as benchmarks/scale.py makes it: 100 interviews of 10,000 words, seed 7)
is run cold (timed: stability at its default rounds included), then gets `thematic review --force` in its own process (wall time, median of --repeat) once per
value of phases.review.stability_rounds; the table gives the seconds, what the rounds add to
rounds 0 (stability off), and that as a share of the cold run; then the default rounds once per
value of --runs (phases.review.stability_runs: Louvain runs per resample). A second table times
theme_stability alone in this process per --runs value: on a busy machine the whole command's
noise is larger than the bootstrap. Then each example study
is copied and run once per value of --runs, and every candidate theme's stability (default rounds)
is listed side by side: stability_runs was chosen on examples/arbeidsinkludering alone.
Machines are noisy: compare rows within one run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import make_study, measured  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def set_review(study: Path, **values: int) -> None:
    """phases.review.<key> = value in the copy's thematic.yaml (stability_rounds, stability_runs)."""
    path = study / "thematic.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    settings.setdefault("phases", {}).setdefault("review", {}).update(values)
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")


def large_study(work: Path, given: Path | None) -> tuple[Path, float]:
    """The study to time, after a cold run (no analysis folder yet), and that run's seconds."""
    study = work / "large"
    if given is not None:
        shutil.copytree(given, study, ignore=shutil.ignore_patterns("analysis", "thematic.lock", ".thematic-run.lock"))
    else:
        make_study(study, 100, 10_000)
    return study, measured("run", str(study))[0]


def review_seconds(study: Path, repeat: int, **values: int) -> float:
    set_review(study, **values)
    measured("run", str(study))  # phases 1-3 fresh; phase 4 and later pick up the new params
    return statistics.median(measured("review", str(study), "--force")[0] for _ in range(repeat))


def cost_rows(study: Path, rounds: list[int], runs: list[int], repeat: int, cold: float) -> list[tuple[str, ...]]:
    times = {(n, runs[0]): review_seconds(study, repeat, stability_rounds=n, stability_runs=runs[0]) for n in rounds}
    times |= {(20, r): review_seconds(study, repeat, stability_rounds=20, stability_runs=r) for r in runs[1:]}
    base = times.get((0, runs[0]), min(times.values()))
    return [(str(n), str(r), f"{t:.2f}", f"{t - base:+.2f}", f"{(t - base) / cold:.1%}") for (n, r), t in times.items()]


def bootstrap_rows(study: Path, runs: list[int], repeat: int) -> list[tuple[str, ...]]:
    """theme_stability alone, in this process, on the analysed study (median of `repeat`): the
    bootstrap's own cost per stability_runs, without process start and the rest of phase 4."""
    from thematic.context import Context
    from thematic.phases.review import theme_association, themes_with_codes
    from thematic.project import load_project
    from thematic.stability import theme_stability

    ctx = Context(load_project(study))
    themes = themes_with_codes(ctx)
    assoc = theme_association(ctx, [c for _, members in themes for c in members])
    params = ctx.project.params("review")
    rows = []
    for r in runs:
        took = []
        for _ in range(repeat):
            start = time.perf_counter()
            theme_stability(ctx, themes, assoc, {**params, "stability_rounds": 20, "stability_runs": r})
            took.append(time.perf_counter() - start)
        rows.append(("20", str(r), f"{statistics.median(took):.2f}"))
    return rows


def example_rows(work: Path, runs: list[int]) -> list[tuple[str, ...]]:
    shares: dict[tuple[str, str], dict[int, str]] = {}
    for source in sorted(p for p in EXAMPLES.iterdir() if (p / "thematic.yaml").is_file()):
        for r in runs:
            study = work / f"{source.name}-{r}"
            shutil.copytree(source, study, ignore=shutil.ignore_patterns("analysis", "thematic.lock"))
            set_review(study, stability_runs=r)
            measured("run", str(study))
            reviewed = yaml.safe_load((study / "analysis" / "4-reviewed-themes.yaml").read_text(encoding="utf-8"))
            for theme in reviewed["themes"]:
                figure = theme["level2"].get("stability")
                if figure:
                    shares.setdefault((source.name, theme["id"]), {})[r] = f"{figure['came_back']:.2f} {figure['verdict']}"
    return [(study, tid, *(by_runs.get(r, "-") for r in runs)) for (study, tid), by_runs in sorted(shares.items())]


def table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path)
    parser.add_argument("--rounds", default="0,10,20,50")
    parser.add_argument("--runs", default="25,5", help="stability_runs values; the first is used for --rounds")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-examples", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        study, cold = large_study(work, args.study)
        print(f"=== phase 4 on {args.study or 'a generated 1M-word study'} (cold run {cold:.1f} s) ===")
        runs = [int(r) for r in args.runs.split(",")]
        table(("rounds", "runs", "review --force s", "added s", "added / cold run"),
              cost_rows(study, [int(n) for n in args.rounds.split(",")], runs, args.repeat, cold))
        print("\n=== the bootstrap alone, in this process ===")
        table(("rounds", "runs", "theme_stability s"), bootstrap_rows(study, runs, args.repeat))
        if not args.no_examples:
            print("\n=== stability of the example studies' candidate themes (20 rounds) ===")
            table(("study", "theme", *(f"came back, runs={r}" for r in runs)), example_rows(work, runs))


if __name__ == "__main__":
    main()
