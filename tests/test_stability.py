"""Theme stability in phase 4: bootstrap resamples of the data items, grouped again as phase 3 does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers import invoke, load

CODEBOOK = """\
codebook:
  id: stabil
  title: Stabilitet
themes:
  - id: tiltak
    label: Tiltak
  - id: fritid
    label: Fritid
codes:
  - id: arbeidsgiver
    label: Arbeidsgiver
    keywords: [arbeidsgiver]
    theme: tiltak
  - id: lonnstilskudd
    label: Lønnstilskudd
    keywords: [lønnstilskudd]
    theme: tiltak
  - id: praksisplass
    label: Praksisplass
    keywords: [praksisplass]
    theme: tiltak
  - id: fotball
    label: Fotball
    keywords: [fotball]
    theme: fritid
  - id: kor
    label: Kor
    keywords: [kor]
    theme: fritid
"""

WORK = (
    "Intervjuer: Hvordan fikk du praksisplassen?\n\n"
    "Deltaker: Arbeidsgiveren ga meg praksisplass med lønnstilskudd fra NAV.\n\n"
    "Intervjuer: Hva skjedde etterpå?\n\n"
    "Deltaker: Lønnstilskuddet gjorde at arbeidsgiveren beholdt meg etter praksisplassen.\n"
)
LEISURE = (
    "\nIntervjuer: Hva gjør du på fritiden?\n\n"
    "Deltaker: Jeg spiller fotball og synger i kor.\n\n"
    "Intervjuer: Hvor ofte da?\n\n"
    "Deltaker: Fotball på tirsdag og kor på torsdag, hver uke.\n"
)


def make_study(root: Path, unstable: float = 0.5, rounds: int = 20) -> Path:
    """Six interviews about a work placement; only the first also talks about football and choir,
    so the theme of those two codes rests on one data item."""
    (root / "interviews").mkdir(parents=True)
    (root / "codebooks").mkdir()
    (root / "codebooks" / "stabil.yaml").write_text(CODEBOOK, encoding="utf-8")
    for n in range(1, 7):
        text = WORK + (LEISURE if n == 1 else "")
        (root / "interviews" / f"deltaker-{n:02d}.txt").write_text(text, encoding="utf-8")
    (root / "thematic.yaml").write_text(
        "title: Stabilitet\ncodebooks: [stabil]\ncorpus: {include: [interviews/*.txt], interviewer_labels: [Intervjuer]}\n"
        f"phases:\n  review: {{thin_participants: 1, stability_rounds: {rounds}, unstable: {unstable}}}\n",
        encoding="utf-8")
    return root


def reviewed(study: Path) -> dict[str, dict]:
    return {t["id"]: t for t in load(study, "4-reviewed-themes.yaml")["themes"]}


def test_a_theme_from_one_interview_comes_back_less_often(tmp_path: Path):
    study = make_study(tmp_path / "s")
    assert invoke("run", study).exit_code == 0
    themes = reviewed(study)
    work = next(t for t in themes.values() if "lonnstilskudd" in t["codes"])
    leisure = next(t for t in themes.values() if "fotball" in t["codes"])
    assert set(leisure["codes"]) == {"fotball", "kor"}
    # The work theme is in every interview, so in every resample; the leisure theme only comes back
    # when deltaker-01 is drawn (about 1 - (5/6)^6 = 0.67 of the rounds).
    assert work["level2"]["stability"] == {"came_back": 1.0, "rounds": 20, "verdict": "stable"}
    assert 0.3 <= leisure["level2"]["stability"]["came_back"] < 1.0
    assert leisure["level2"]["stability"]["verdict"] == "stable"  # above the 0.5 of unstable:
    assert "unstable" not in {f["flag"] for t in themes.values() for f in t["flags"]}


def test_an_unstable_theme_is_flagged_with_its_figure(tmp_path: Path):
    study = make_study(tmp_path / "s", unstable=0.9)
    assert invoke("run", study).exit_code == 0
    leisure = next(t for t in reviewed(study).values() if "fotball" in t["codes"])
    share = leisure["level2"]["stability"]["came_back"]
    assert leisure["level2"]["stability"]["verdict"] == "unstable"
    flag = next(f for f in leisure["flags"] if f["flag"] == "unstable")
    # Its codes have no other theme to join (they occur with nothing else): discard is the suggestion.
    assert flag["suggest"] == "discard"
    assert flag["why"].startswith(f"came back in {share:.0%} of 20 bootstrap resamples of the data items (below 90%)")


def test_stability_is_identical_on_re_run(tmp_path: Path):
    study = make_study(tmp_path / "s")
    assert invoke("run", study).exit_code == 0
    path = study / "analysis" / "4-reviewed-themes.yaml"
    first = path.read_bytes()
    assert invoke("review", study, "--force").exit_code == 0
    assert path.read_bytes() == first
    assert b"stability: {came_back:" in first


def test_zero_rounds_turns_it_off(tmp_path: Path):
    study = make_study(tmp_path / "s", rounds=0)
    assert invoke("run", study).exit_code == 0
    data = load(study, "4-reviewed-themes.yaml")
    assert data["meta"]["params"]["stability_rounds"] == 0
    assert all("stability" not in t["level2"] and all(f["flag"] != "unstable" for f in t["flags"])
               for t in data["themes"])


def test_the_unstable_flag_suggests_the_theme_its_codes_went_to():
    from collections import Counter

    from thematic.stability import Stability

    figures = Stability(rounds=10, unstable_below=0.5, came_back={"tema-a": 3, "tema-b": 10},
                        joined={"tema-a": Counter({"tema-b": 5, "tema-c": 2})})
    assert figures.level2("tema-b") == {"stability": {"came_back": 1.0, "rounds": 10, "verdict": "stable"}}
    assert figures.flags("tema-b") == []
    assert figures.flags("tema-a") == [{
        "flag": "unstable", "suggest": "merge:tema-b",
        "why": "came back in 30% of 10 bootstrap resamples of the data items (below 50%); "
               "otherwise its codes most often joined tema-b's (5 of 7 rounds)"}]
    assert figures.level2("diverse") == {} and figures.flags("diverse") == []
    assert yaml.safe_load(yaml.safe_dump(dict(figures.level2("tema-a")["stability"])))["verdict"] == "unstable"


def test_each_resample_is_grouped_with_stability_runs(tmp_path: Path, monkeypatch):
    """Phase 3 groups with its 25 Louvain runs; each of phase 4's 20 resamples with stability_runs
    (default phases.review.stability_runs), the bulk of a re-run after one decision."""
    import thematic.phases.themes as themes
    from thematic.project import DEFAULT_PARAMS

    runs_asked: list[int] = []
    real = themes.communities
    monkeypatch.setattr(themes, "communities", lambda ids, weight, resolution, runs, seed:
                        runs_asked.append(runs) or real(ids, weight, resolution, runs, seed))
    study = make_study(tmp_path / "s")
    assert invoke("run", study, "--jobs", "1").exit_code == 0  # one process: the bootstrap's calls are seen here
    assert runs_asked == [25] + [DEFAULT_PARAMS["review"]["stability_runs"]] * 20
    settings = study / "thematic.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("stability_rounds: 20", "stability_rounds: 20, stability_runs: 2"),
                        encoding="utf-8")
    runs_asked.clear()
    assert invoke("run", study, "--jobs", "1").exit_code == 0
    assert runs_asked == [2] * 20  # phase 3 is fresh: only phase 4 (its params changed) regroups


def test_a_resample_has_the_strengths_its_unit_sets_give(tmp_path: Path):
    """A resample's association is counted, not built: for any draw it must give every pair the
    strength the resample's own unit sets (each copy of a drawn item holding its units anew) give."""
    import random
    from collections import Counter
    from itertools import combinations

    from thematic.context import Context
    from thematic.cooccurrence import LEVELS, Association, Segments, association_from
    from thematic.extracts import counted
    from thematic.project import load_project
    from thematic.stability import Sampler

    study = make_study(tmp_path / "s")
    assert invoke("run", study).exit_code == 0
    ctx = Context(load_project(study))
    codes = [c for c in counted(ctx)[0] if c.extracts]
    params = {"units": {"turn": 0.5, "segment": 1.0, "item": 0.1}, "min_cooccurrence": 1}
    assoc = association_from(ctx.docs, codes, params)
    sampler = Sampler.of(assoc)
    rng = random.Random(3)
    strengths = []
    for _ in range(10):
        draws = Counter(rng.choices(sampler.items, k=len(sampler.items)))
        sets = {code: {lvl: frozenset((k, u) for item, n in draws.items() for k in range(n)
                                      for u in units[lvl] if (u if lvl == "item" else u[0]) == item) for lvl in LEVELS}
                for code, units in assoc.units.items()}
        present = {code: s for code, s in sets.items() if any(s.values())}
        totals = {lvl: sum(n * sampler.sizes[item][lvl] for item, n in draws.items()) for lvl in LEVELS}
        built = Association(Segments({}, {}, totals), assoc.weights, assoc.min_together, present)
        counted_one = sampler.association(draws, assoc)
        assert sorted(counted_one.units) == sorted(present)
        assert all(counted_one.strength(a, b) == built.strength(a, b) for a, b in combinations(sorted(present), 2))
        strengths += [built.strength(a, b) for a, b in combinations(sorted(present), 2)]
    assert any(s > 0 for s in strengths) and any(s == 0 for s in strengths)


@pytest.mark.parametrize("big", [False, True])
def test_packed_counts_total_every_row_as_one_sum_per_row_would(big: bool):
    """The sampler's counts are packed side by side in one integer per item: a resample's totals
    must be exactly the per-row sums, also when a total needs more than 32 bits."""
    import random

    from thematic.stability import Packed

    rng = random.Random(4)
    rows, items = 7, 30
    top = 2**31 if big else 50
    columns = [[rng.choice([0, 0, rng.randint(1, top)]) for _ in range(rows)] for _ in range(items)]
    packed = Packed.of(columns, rows)
    assert packed.width == (64 if big else 32)
    for _ in range(5):
        times = [rng.choice([0, 0, 1, 2, 3]) for _ in range(items)]
        assert packed.totals(times) == [sum(n * col[r] for n, col in zip(times, columns)) for r in range(rows)]
    assert Packed.of([], 3).totals([]) == [0, 0, 0] and Packed.of([[], []], 0).totals([1, 1]) == []
