"""How well phase 3 recovers the themes the example transcripts were written to carry.

    python benchmarks/theme_recovery.py [--study examples/arbeidsinkludering]

Runs phases 1-3 on a copy of the study, then prints one table: the adjusted Rand index (ARI)
between each grouping's theme assignment of coded turns and the intended themes in
intended-themes.yaml, for thematic's phase 3 as run, a baseline that groups codes by their
codebook theme hint alone, co-occurrence without the hint prior, other hint-prior strengths and
Louvain resolutions (sensitivity), and a ceiling that puts each code in its most common intended
theme (it knows the answer; no grouping of codes with this turn rule does much better).

Evaluated turns: informant turns that are both coded and labelled ([] = background is left out).
A turn with several intended labels counts under its first. A turn's theme is the theme whose
codes have most extracts in it (ties: the alphabetically first theme id); the same rule for
every row, so the rows compare groupings of codes, nothing else.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml  # noqa: E402

from thematic.codes import EffectiveCode, effective_codes  # noqa: E402
from thematic.cooccurrence import association_from  # noqa: E402
from thematic.measures import adjusted_rand_index  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "arbeidsinkludering"
Turn = tuple[str, int]


def gold_labels(study: Path) -> dict[Turn, str]:
    """(item, turn) -> first intended theme, for turns that carry one."""
    gold = yaml.safe_load((study / "intended-themes.yaml").read_text(encoding="utf-8"))
    return {(item, int(t)): labels[0] for item, turns in gold["turns"].items() for t, labels in turns.items() if labels}


def turn_assignment(codes: list[EffectiveCode], theme_of: dict[str, str]) -> dict[Turn, str]:
    """Each coded turn goes to the theme with most extracts in it (ties: first theme id)."""
    votes: dict[Turn, Counter] = defaultdict(Counter)
    for code in codes:
        for extract in code.extracts:
            votes[(extract["item"], extract["turn"])][theme_of.get(code.id, "diverse")] += 1
    return {turn: min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for turn, v in votes.items()}


def ari(codes: list[EffectiveCode], theme_of: dict[str, str], gold: dict[Turn, str]) -> tuple[float, int]:
    assigned = turn_assignment(codes, theme_of)
    turns = sorted(t for t in assigned if t in gold)
    return adjusted_rand_index([assigned[t] for t in turns], [gold[t] for t in turns]), len(turns)


def grouping(codes: list[EffectiveCode], docs: list, params: dict) -> dict[str, str]:
    """Phase 3's clustering with other params (moves not applied): code id -> theme id."""
    from thematic.phases.themes import cluster, name_groups

    assoc = association_from(docs, codes, params)
    hints = {c.id: c.theme_hint for c in codes}
    return {c: tid for tid, members in name_groups(cluster(codes, assoc, params), assoc, hints).items() for c in members}


def ceiling(codes: list[EffectiveCode], gold: dict[Turn, str]) -> dict[str, str]:
    """Each code in the intended theme most of its labelled turns carry (knows the answer)."""
    out = {}
    for code in codes:
        seen = Counter(gold[(e["item"], e["turn"])] for e in code.extracts if (e["item"], e["turn"]) in gold)
        out[code.id] = min(seen.items(), key=lambda kv: (-kv[1], kv[0]))[0] if seen else "none"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, default=EXAMPLE)
    args = parser.parse_args()

    from thematic.context import Context
    from thematic.project import load_project
    from thematic.runner import run_phases

    with tempfile.TemporaryDirectory() as tmp:
        study = Path(tmp) / "study"
        shutil.copytree(args.study, study, ignore=shutil.ignore_patterns("analysis", "thematic.lock"))
        project = load_project(study)
        run_phases(project, until="themes")
        analysis = project.analysis_dir
        codes = [c for c in effective_codes(yaml.safe_load((analysis / "2-codes.yaml").read_text(encoding="utf-8"))) if c.extracts]
        themes = yaml.safe_load((analysis / "3-candidate-themes.yaml").read_text(encoding="utf-8"))["themes"]
        docs = Context(project).docs
        params = project.params("themes")
        gold = gold_labels(study)

        rows = [("thematic phase 3 (as run)", {c: t["id"] for t in themes for c in t["codes"]})]
        rows.append(("baseline: codebook hints alone", {c.id: c.theme_hint or "diverse" for c in codes}))
        rows.append(("co-occurrence alone (hint_prior 0)", grouping(codes, docs, dict(params, hint_prior=0.0))))
        for prior in (0.075, 0.1, 0.15, 0.2):
            rows.append((f"  sensitivity: hint_prior {prior}", grouping(codes, docs, dict(params, hint_prior=prior))))
        for resolution in (1.0, 1.5):
            rows.append((f"  sensitivity: resolution {resolution}", grouping(codes, docs, dict(params, resolution=resolution))))
        rows.append(("ceiling: each code to its best intended theme", ceiling(codes, gold)))

        print(f"{'grouping':48} {'themes':>6} {'turns':>6} {'ARI':>6}")
        for name, theme_of in rows:
            value, turns = ari(codes, theme_of, gold)
            print(f"{name:48} {len(set(theme_of.values())):>6} {turns:>6} {value:>6.3f}")
        print(f"\n{len(codes)} codes; intended themes: {len(set(gold.values()))}; default params: {params}")


if __name__ == "__main__":
    main()
