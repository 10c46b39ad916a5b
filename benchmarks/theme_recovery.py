"""How well thematic's themes recover the themes the example transcripts were written to carry,
next to groupings that know nothing of its codes. One table per example study, then both side by side.

    python benchmarks/theme_recovery.py [--study DIR ...]     (default: both examples; needs the
                                                               bench extra: pip install -e .[bench])

Each study is copied to a temporary folder and run twice: untouched (no decisions: codebook codes
count; with no codebook, phases 3-6 draft on the suggestions), then with every suggestion's
decision set to accepted (phases 3-6 re-run). Rows: both runs' phase 3; NMF topics over TF-IDF of
each informant turn's lemmas (thematic's lemmas of open-class words, after its stop list and a
few auxiliaries: benchmarks/baselines.py), k = 3..6, each turn to its strongest topic; one group
per file; the codebook's theme hints alone; random labels (k = intended themes, mean of 20 seeds);
and ceilings that put each code in its most common intended theme (they know the answer).

The score is the adjusted Rand index over EVERY informant turn intended-themes.yaml labels, by its
main (first) theme. A turn labelled [] is gold class "background", not dropped: a tool should
leave small talk out of its themes, and dropping those turns (or the turns a grouping leaves
uncoded) would reward a grouping for coding little. A turn a grouping leaves uncoded is one more
group, "unassigned", so leaving background uncoded scores as agreement and leaving a theme's
turns uncoded as disagreement. The last column is the old measure, over assigned turns only.

A turn's theme in a code grouping is the theme whose codes have most extracts in it (ties: the
alphabetically first theme id; a code in no theme counts for "diverse"), the same rule for every
code grouping, so those rows compare groupings of codes.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

from baselines import TFIDF, file_labels, nmf_labels, random_labels, topic_word  # noqa: E402
from studies import EXAMPLES, Turn, commit, copy_study, heading, turn_gold, turn_lemmas  # noqa: E402
from thematic.codes import EffectiveCode, counted_codes  # noqa: E402
from thematic.compare import turn_themes  # noqa: E402
from thematic.extracts import with_stored_extracts  # noqa: E402
from thematic.measures import adjusted_rand_index  # noqa: E402

UNASSIGNED = "unassigned"
NMF_K = (3, 4, 5, 6)
NMF_SEED = 0
RANDOM_SEEDS = range(20)


@dataclass
class Row:
    """One grouping of turns: turn -> group for the turns it assigns; None = not applicable."""

    name: str
    assigned: dict[Turn, str] | None
    scores: tuple[float, float] | None = None  # precomputed (random labels: means over seeds)
    groups: int | None = None  # when not the number of distinct labels in `assigned`


@dataclass
class Run:
    """What one phase-3 run grouped: the codes it worked on and code id -> theme id."""

    codes: list[EffectiveCode]
    theme_of: dict[str, str]
    draft: bool


def scores(assigned: dict[Turn, str], gold: dict[Turn, str]) -> tuple[float, float]:
    """ARI over all labelled turns (uncoded = one more group), and over the assigned ones only."""
    turns = sorted(gold)
    every = adjusted_rand_index([assigned.get(t, UNASSIGNED) for t in turns], [gold[t] for t in turns])
    inside = [t for t in turns if t in assigned]
    return every, adjusted_rand_index([assigned[t] for t in inside], [gold[t] for t in inside])


def read_run(analysis: Path) -> Run:
    """The codes phase 3 worked on (counted_codes, with every extract from the extract store, as
    phase 3 takes them: 2-codes.yaml shows only a sample) and its themes."""
    load = lambda name: yaml.safe_load((analysis / name).read_text(encoding="utf-8"))  # noqa: E731
    codes, draft = counted_codes(with_stored_extracts(load("2-codes.yaml"), analysis / ".thematic"))
    themes = load("3-candidate-themes.yaml")["themes"]
    return Run([c for c in codes if c.extracts], {c: t["id"] for t in themes for c in t["codes"]}, draft)


def accept_all(analysis: Path) -> int:
    """Set decision: accepted on every suggested code, as a researcher would in 2-codes.yaml."""
    path = analysis / "2-codes.yaml"
    text = path.read_text(encoding="utf-8")
    wanted = sum(c.get("origin") == "suggested" for c in yaml.safe_load(text)["codes"])
    text, n = re.subn(r"^(  origin: suggested\n  decision: )suggested$", r"\1accepted", text, flags=re.M)
    if n != wanted:
        raise SystemExit(f"{path}: accepted {n} of {wanted} suggestions; the file layout changed")
    path.write_text(text, encoding="utf-8")
    return n


def ceiling(codes: list[EffectiveCode], gold: dict[Turn, str]) -> dict[str, str]:
    """Each code in the intended theme most of its labelled turns carry (knows the answer)."""
    out = {}
    for code in codes:
        seen = Counter(gold[(e["item"], e["turn"])] for e in code.extracts if (e["item"], e["turn"]) in gold)
        out[code.id] = min(seen.items(), key=lambda kv: (-kv[1], kv[0]))[0] if seen else "none"
    return out


def random_row(gold: dict[Turn, str]) -> Row:
    k = len(set(gold.values()) - {"background"})
    runs = [scores(random_labels(sorted(gold), k, seed), gold) for seed in RANDOM_SEEDS]
    mean = (statistics.fmean(r[0] for r in runs), statistics.fmean(r[1] for r in runs))
    return Row(f"random labels (k={k}, mean of {len(runs)} seeds)", {t: "r" for t in gold}, mean, k)


def nmf_rows(tokens: dict[Turn, list[str]]) -> list[Row]:
    try:
        return [Row(f"NMF on TF-IDF of turn lemmas, k={k}", nmf_labels(tokens, k, NMF_SEED)) for k in NMF_K]
    except ImportError:
        return [Row("NMF on TF-IDF (scikit-learn missing: pip install -e .[bench])", None)]


def measure(source: Path) -> tuple[list[Row], dict[Turn, str], list[str]]:
    """Run one study twice in a temporary copy and build every row; notes say what ran."""
    from thematic.context import Context
    from thematic.project import load_project
    from thematic.runner import run_phases

    with tempfile.TemporaryDirectory() as tmp:
        project = load_project(copy_study(source, tmp))
        run_phases(project)
        untouched = read_run(project.analysis_dir)
        accepted_n = accept_all(project.analysis_dir)
        reran = [r.spec.name for r in run_phases(project) if r.action == "ran"]
        accepted = read_run(project.analysis_dir)
        ctx = Context(project)
        tokens = turn_lemmas(ctx.docs, ctx.analyses, topic_word)
        gold = turn_gold(project.root)
        themes = project.params("themes")
    hinted = [c for c in untouched.codes if c.theme_hint]
    rows = [Row("thematic, untouched run", turn_themes(untouched.codes, untouched.theme_of)),
            Row("thematic, every suggestion accepted", turn_themes(accepted.codes, accepted.theme_of)),
            *nmf_rows(tokens),
            Row("one group per file", file_labels(sorted(tokens))),
            Row("codebook theme hints alone", turn_themes(hinted, {c.id: c.theme_hint for c in hinted}) if hinted else None),
            random_row(gold),
            Row("ceiling, untouched codes (knows the answer)", turn_themes(untouched.codes, ceiling(untouched.codes, gold))),
            Row("ceiling, accepted codes (knows the answer)", turn_themes(accepted.codes, ceiling(accepted.codes, gold)))]
    notes = [f"phase 3: seed {themes.get('seed')}, {themes.get('runs')} runs, hint_prior {themes.get('hint_prior')}, "
             f"resolution {themes.get('resolution')}",
             f"untouched run: {len(untouched.codes)} codes with extracts "
             f"({'a draft on the suggestions' if untouched.draft else 'the codebook codes'}), "
             f"{len(set(untouched.theme_of.values()))} themes",
             f"accepted run: {accepted_n} suggestions accepted, phases re-run: {', '.join(reran)}; "
             f"{len(accepted.codes)} codes, {len(set(accepted.theme_of.values()))} themes"]
    return rows, gold, notes


def print_study(source: Path, rows: list[Row], gold: dict[Turn, str], notes: list[str]) -> dict[str, float | None]:
    """The study's table; returns row name -> ARI over all labelled turns for the side-by-side table."""
    classes = Counter(gold.values())
    print(heading(source))
    print(f"{len(gold)} labelled informant turns ({classes['background']} background); "
          f"{len(classes) - 1} intended themes + background")
    for note in notes:
        print(note)
    print(f"{'grouping':52} {'groups':>6} {'assigned':>9} {'ARI all':>8} {'ARI assigned':>13}")
    out: dict[str, float | None] = {}
    for row in rows:
        if row.assigned is None:
            print(f"{row.name:52} {'n/a':>6} {'n/a':>9} {'n/a':>8} {'n/a':>13}")
            out[row.name] = None
            continue
        every, inside = row.scores or scores(row.assigned, gold)
        groups = row.groups or len(set(row.assigned.values()))
        assigned = sum(t in row.assigned for t in gold)
        print(f"{row.name:52} {groups:>6} {assigned:>4}/{len(gold):<4} {every:>8.3f} {inside:>13.3f}")
        out[row.name] = every
    print()
    return out


def print_side_by_side(results: dict[str, dict[str, float | None]]) -> None:
    names = list(results)
    print("=== side by side: ARI over all labelled turns (uncoded = unassigned, [] = background) ===")
    print(f"{'grouping':52} " + " ".join(f"{n:>20}" for n in names))
    rows = list(dict.fromkeys(r for table in results.values() for r in table))
    for row in rows:
        cells = [results[n].get(row) for n in names]
        print(f"{row:52} " + " ".join(f"{'n/a' if v is None else f'{v:.3f}':>20}" for v in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, action="append", help="a study with intended-themes.yaml (repeatable)")
    args = parser.parse_args()
    print(f"theme recovery at commit {commit()}; seeds: phase 3 as configured per study, NMF random_state "
          f"{NMF_SEED} (TF-IDF {TFIDF}), random labels {RANDOM_SEEDS.start}..{RANDOM_SEEDS.stop - 1}\n")
    results = {}
    for source in args.study or EXAMPLES:
        rows, gold, notes = measure(source.resolve())
        results[source.name] = print_study(source, rows, gold, notes)
    print_side_by_side(results)


if __name__ == "__main__":
    main()
