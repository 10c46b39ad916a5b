"""Phase 5: names and definitions stay the researcher's, extracts spread over people, subthemes, split."""

from __future__ import annotations

import shutil
from pathlib import Path


from thematic.codes import EffectiveCode
from thematic.extracts import representative_extracts
from helpers import invoke, load





def decide(study: Path, theme_id: str, decision: str) -> None:
    path = study / "analysis" / "4-reviewed-themes.yaml"
    head, rest = path.read_text(encoding="utf-8").split(f"- id: {theme_id}\n", 1)
    path.write_text(f"{head}- id: {theme_id}\n{rest.replace('  decision: pending', f'  decision: {decision}', 1)}", encoding="utf-8")



def test_extracts_are_spread_over_participants_before_any_repeats():
    many = [{"id": f"a:{i}", "item": "a", "participant": "a", "text": "ord " * 12, "span": [i, i + 1]} for i in range(9)]
    few = [{"id": "b:1", "item": "b", "participant": "b", "text": "ord " * 12, "span": [1, 2]},
           {"id": "c:1", "item": "c", "participant": "c", "text": "kort", "span": [1, 2]}]
    chosen = representative_extracts([EffectiveCode("x", "X", None, extracts=many + few)], 4)
    assert [e["participant"] for e in chosen] == ["a", "b", "c", "a"]


def test_each_theme_has_a_scaffold_subthemes_and_extracts_from_as_many_people_as_it_can(analysed_example: Path):
    defined = load(analysed_example, "5-themes.yaml")
    reviewed = [t["id"] for t in load(analysed_example, "4-reviewed-themes.yaml")["themes"] if t["id"] != "diverse"]
    assert [t["id"] for t in defined["themes"]] == reviewed  # phase order, never ranked by frequency
    for theme in defined["themes"]:
        assert theme["name"] == theme["definition"] == theme["central_organising_concept"] == ""
        assert theme["proposed_name"] in theme["scaffold"] and theme["boundaries"]
        assert all(c["label"] in theme["scaffold"] for c in theme["codes"])  # the draft names every code
        people = {e["participant"] for e in theme["extracts"]}
        assert len(theme["extracts"]) == 4 and len(people) == min(4, theme["prevalence"]["participants"])
        codes = {c["id"] for c in theme["codes"]}
        in_subthemes = [c for s in theme["subthemes"] for c in s["codes"]]
        assert len(in_subthemes) == len(set(in_subthemes)) and set(in_subthemes) <= codes
    assert any(len(t["subthemes"]) >= 2 for t in defined["themes"])


def test_split_makes_each_subtheme_a_theme_of_its_own(analysed_example: Path, tmp_path: Path):
    study = tmp_path / "split"
    shutil.copytree(analysed_example, study)
    theme = next(t for t in load(study, "5-themes.yaml")["themes"] if len(t["subthemes"]) >= 2)
    decide(study, theme["id"], "split")
    assert invoke("run", study).exit_code == 0
    after = load(study, "5-themes.yaml")["themes"]
    parts = [t for t in after if t["review_decision"] == "split"]
    assert len(parts) == len(theme["subthemes"]) and len({t["id"] for t in parts}) == len(parts)
    assert sorted(c["id"] for t in parts for c in t["codes"]) == sorted(c["id"] for c in theme["codes"])
    report = (study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    assert all(f". {t['proposed_name']}\n" in report for t in parts)


def test_names_and_definitions_written_by_hand_are_never_overwritten(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    path = tiny_study / "analysis" / "5-themes.yaml"
    head, rest = path.read_text(encoding="utf-8").split("- id: tema-tid\n", 1)
    for key, value in (("name", "Tiden som ikke strekker til"), ("definition", "Mangel på tid former oppfølgingen."),
                       ("central_organising_concept", "knapphet"), ("narrative", "Alle snakker om tid.")):
        rest = rest.replace(f"  {key}: ''\n", f"  {key}: {value}\n", 1)
    path.write_text(f"{head}- id: tema-tid\n{rest}", encoding="utf-8")
    decide(tiny_study, "tema-tid", "keep")  # upstream decision: phase 5 runs again
    result = invoke("run", tiny_study)
    assert result.exit_code == 0 and result.output.count(" ran ") == 2
    assert invoke("define", tiny_study, "--force").exit_code == 0
    theme = next(t for t in load(tiny_study, "5-themes.yaml")["themes"] if t["id"] == "tema-tid")
    assert (theme["name"], theme["definition"], theme["central_organising_concept"], theme["narrative"]) == (
        "Tiden som ikke strekker til", "Mangel på tid former oppfølgingen.", "knapphet", "Alle snakker om tid.")
    assert theme["proposed_name"] == "Tid" and theme["review_decision"] == "keep"
    report = (tiny_study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    assert "## 2. Tiden som ikke strekker til" in report and "Mangel på tid former oppfølgingen." in report


def test_the_miscellaneous_bin_is_no_theme_until_you_keep_it(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    defined = load(tiny_study, "5-themes.yaml")
    assert defined["miscellaneous"] == ["samarbeid"] and "diverse" not in {t["id"] for t in defined["themes"]}
    decide(tiny_study, "diverse", "keep")
    assert invoke("run", tiny_study).exit_code == 0
    assert "diverse" in {t["id"] for t in load(tiny_study, "5-themes.yaml")["themes"]}


class _Pairs:
    """An association where only the given pairs are linked (strength 1)."""

    def __init__(self, *pairs: tuple[str, str]) -> None:
        self.pairs = {frozenset(p) for p in pairs}

    def strength(self, a: str, b: str) -> float:
        return 1.0 if frozenset((a, b)) in self.pairs else 0.0

    def centrality(self, ids: list[str]) -> dict[str, float]:
        score = {c: sum(self.strength(c, o) for o in ids if o != c) for c in ids}
        return dict(sorted(score.items(), key=lambda kv: (-kv[1], kv[0])))


def test_a_subtheme_is_labelled_by_its_distinctive_codes_never_by_a_never_code():
    from thematic.clustering import subgroups
    from thematic.phases.define import _subthemes

    def code(cid: str, turns: list[int]) -> EffectiveCode:
        return EffectiveCode(cid, cid, None, [cid], [{"id": f"{cid}:{t}", "item": "a", "turn": t} for t in turns])

    # ting is the most central code of its group (linked to all three) and a never-code
    codes = [code("ting", [1, 2, 3]), code("tillit", [1, 9]), code("relasjon", [2, 9]), code("tempo", [3]),
             code("angst", [5, 6]), code("behandler", [5, 6])]
    assoc = _Pairs(("ting", "tillit"), ("ting", "relasjon"), ("ting", "tempo"), ("tillit", "relasjon"), ("angst", "behandler"))
    subs = _subthemes(codes, assoc, subgroups([c.id for c in codes], assoc.strength, {"resolution": 1.0, "runs": 5, "seed": 0}))
    first = next(s for s in subs if "ting" in s["codes"])
    assert "ting" not in first["label"] and first["label"]
