"""Phase 3: candidate themes from co-occurrence, nothing dropped, a map three ways, hand moves."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from thematic.clustering import communities
from thematic.codes import effective_codes
from thematic.cooccurrence import npmi
from thematic.extracts import with_stored_extracts
from thematic.measures import adjusted_rand_index
from thematic.phases.themes import distinctive
from helpers import invoke, load





def themes_of(study: Path, name: str = "3-candidate-themes.yaml") -> dict[str, list[str]]:
    return {t["id"]: [c["id"] if isinstance(c, dict) else c for c in t["codes"]] for t in load(study, name)["themes"]}



def test_npmi_does_not_favour_frequent_codes():
    everywhere, rare_a, rare_b = frozenset(range(10)), frozenset({1, 2}), frozenset({1, 2})
    assert npmi(rare_a, rare_b, 10, 1) == pytest.approx(1.0)
    assert npmi(everywhere, rare_a, 10, 1) == 0.0  # meets everything, tells nothing
    assert npmi(frozenset({1, 5}), frozenset({1, 6}), 10, 2) == 0.0  # one shared unit is an anecdote


def test_adjusted_rand_index_is_one_for_the_same_grouping_under_other_names_and_near_zero_for_noise():
    assert adjusted_rand_index(["a", "a", "b", "b"], ["x", "x", "y", "y"]) == pytest.approx(1.0)
    assert adjusted_rand_index([1, 1, 2, 2, 3, 3], [1, 2, 3, 1, 2, 3]) < 0.0


def test_communities_are_the_same_whatever_order_the_codes_come_in():
    weights = {("a", "b"): 0.9, ("c", "d"): 0.8, ("b", "c"): 0.05, ("d", "e"): 0.7}
    weight = lambda x, y: weights.get((min(x, y), max(x, y)), 0.0)  # noqa: E731
    first = communities(["a", "b", "c", "d", "e", "f"], weight, 1.0, 10, 0)
    second = communities(["f", "e", "d", "c", "b", "a"], weight, 1.0, 10, 0)
    assert first.groups == second.groups == (("a", "b"), ("c", "d", "e"), ("f",))
    assert first.stability(["a", "b"]) == 1.0


def test_every_code_that_counts_is_in_exactly_one_place_and_themes_carry_their_evidence(analysed_example: Path):
    data = load(analysed_example, "3-candidate-themes.yaml")
    codes = effective_codes(load(analysed_example, "2-codes.yaml"))
    placed = [c for t in data["themes"] for c in t["codes"]] + list(data["uncoded"])
    assert sorted(placed) == sorted(c.id for c in codes)
    by_id = {c.id: c for c in codes}
    machine_dir = analysed_example / "analysis" / ".thematic"
    stored = {c.id: c for c in effective_codes(with_stored_extracts(load(analysed_example, "2-codes.yaml"), machine_dir))}
    for theme in data["themes"]:
        central = list(theme["evidence"]["centrality"])
        assert theme["codes"] == central
        if theme["id"] != "diverse":
            assert theme["id"] == f"tema-{central[0]}"
            # labelled by its most distinctive codes (over all their extracts, in the store), not
            # its most central ones (empty nouns are central)
            assert theme["label"] == " / ".join(stored[c].label for c in distinctive(central, stored)[:2])
            assert theme["evidence"]["pairs"] and all(p["association"] > 0 and max(p["segments"], p["items"]) >= 2
                                                      for p in theme["evidence"]["pairs"].values())
        people = {e["participant"] for c in theme["codes"] for e in by_id[c].extracts}
        assert theme["participants"] == sorted(people)
        assert 1 <= len(theme["extracts"]) <= 3


def test_hints_are_a_prior_not_the_answer(analysed_example: Path):
    codes = effective_codes(load(analysed_example, "2-codes.yaml"))
    hint_groups = {frozenset(c.id for c in codes if c.theme_hint == h) for h in {c.theme_hint for c in codes}}
    found = {frozenset(members) for members in themes_of(analysed_example).values()}
    assert found != hint_groups
    assert 4 <= len(found) <= 7


def test_map_as_mermaid_svg_and_terminal_tree(analysed_example: Path):
    data = load(analysed_example, "3-candidate-themes.yaml")
    svg = (analysed_example / "analysis" / data["map_image"]).read_text(encoding="utf-8")
    root = ElementTree.fromstring(svg.encode())
    assert root.tag.endswith("svg")
    texts = " ".join(el.text or "" for el in root.iter() if el.tag.endswith("text"))
    for theme in data["themes"]:
        assert theme["id"] in texts and theme["id"].replace("-", "_") in data["map"]
    shown = invoke("map", analysed_example)
    assert shown.exit_code == 0
    assert all(t["id"] in shown.output for t in data["themes"]) and "3-thematic-map.svg" in shown.output


def test_phase_3_is_byte_identical_across_hash_seeds(analysed_example: Path, tmp_path: Path):
    outputs = []
    for seed in ("1", "4242"):
        copy = tmp_path / seed
        shutil.copytree(analysed_example, copy)
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "thematic", "themes", str(copy), "--force"], check=True, env=env, capture_output=True)
        outputs.append([(copy / "analysis" / n).read_bytes() for n in ("3-candidate-themes.yaml", "3-thematic-map.svg")])
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == (analysed_example / "analysis" / "3-candidate-themes.yaml").read_bytes()


def _set_moves(study: Path, moves: str) -> None:
    path = study / "analysis" / "3-candidate-themes.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nmoves: {}\n" in text
    path.write_text(text.replace("\nmoves: {}\n", f"\nmoves:\n{moves}"), encoding="utf-8")


def test_a_code_moved_by_hand_survives_reruns_and_changes_phases_4_to_6(analysed_example: Path, tmp_path: Path):
    study = tmp_path / "moved"
    shutil.copytree(analysed_example, study)
    before = themes_of(study)
    code, source = "mentorrollen", next(t for t, cs in before.items() if "mentorrollen" in cs)
    target = next(t for t in sorted(before) if t not in (source, "diverse"))
    _set_moves(study, f"  {code}: {target}\n")
    result = invoke("run", study)
    assert result.exit_code == 0 and result.output.count(" ran ") == 4, result.output
    for name in ("3-candidate-themes.yaml", "4-reviewed-themes.yaml", "5-themes.yaml"):
        after = themes_of(study, name)
        assert code in after[target] and code not in after.get(source, []), name
    moved = next(t for t in load(study, "3-candidate-themes.yaml")["themes"] if t["id"] == target)
    assert moved["moved_in"] == [code] and moved["basis"].startswith("co-occurrence")
    label = next(c.label for c in effective_codes(load(study, "2-codes.yaml")) if c.id == code)
    name = next(t["proposed_name"] for t in load(study, "5-themes.yaml")["themes"] if t["id"] == target)
    report = (study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    section = report.split(f". {name}\n", 1)[1].split("\n## ", 1)[0]
    assert label in section
    assert invoke("run", study).output.count("skipped") == 6
    assert invoke("code", study, "--force").exit_code == 0  # upstream re-run: the move still holds
    assert invoke("run", study).exit_code == 0
    assert code in themes_of(study)[target] and load(study, "3-candidate-themes.yaml")["moves"] == {code: target}


def test_a_move_to_a_new_id_makes_a_theme_of_your_own_and_a_stale_move_is_kept_and_listed(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    _set_moves(tiny_study, "  samarbeid: tema-samarbeid-og-tid\n  tid: tema-samarbeid-og-tid\n  gammel-kode: tema-tid\n")
    assert invoke("run", tiny_study).exit_code == 0
    data = load(tiny_study, "3-candidate-themes.yaml")
    own = next(t for t in data["themes"] if t["id"] == "tema-samarbeid-og-tid")
    assert sorted(own["codes"]) == ["samarbeid", "tid"] and own["basis"] == "researcher (moves)"
    assert data["unplaced_moves"] == ["gammel-kode"] and "gammel-kode" in data["moves"]
    assert "tema-samarbeid-og-tid" in themes_of(tiny_study, "5-themes.yaml")


def test_a_malformed_move_names_its_line(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    _set_moves(tiny_study, "  tid: Ikke En Id\n")
    text = (tiny_study / "analysis" / "3-candidate-themes.yaml").read_text(encoding="utf-8")
    line = text.splitlines().index("  tid: Ikke En Id") + 1
    result = invoke("run", tiny_study)
    assert result.exit_code == 1
    assert f"3-candidate-themes.yaml:{line}: moves: 'tid' must name a theme id" in result.output.replace("\n", "")


def test_moves_with_keys_that_are_not_text_name_their_line_in_run_and_status(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    path = tiny_study / "analysis" / "3-candidate-themes.yaml"
    text = path.read_text(encoding="utf-8").replace("moves: {}", "moves: {12: [1, 2], null: {a: b}}")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("moves: {12: [1, 2], null: {a: b}}") + 1
    result = invoke("run", tiny_study)
    assert result.exit_code == 1 and not isinstance(result.exception, TypeError)
    assert f"3-candidate-themes.yaml:{line}: moves: 12 is not a code id" in result.output.replace("\n", "")
    status = invoke("status", tiny_study)
    assert status.exit_code == 0 and status.exception is None  # it used to raise TypeError


@pytest.mark.parametrize("image", ["../../outside.svg", "/etc/passwd", ".hidden.svg", "sub/map.svg"])
def test_a_map_image_outside_the_analysis_folder_is_refused_with_its_line(tiny_study: Path, image: str):
    assert invoke("run", tiny_study).exit_code == 0
    path = tiny_study / "analysis" / "3-candidate-themes.yaml"
    text = path.read_text(encoding="utf-8").replace("map_image: 3-thematic-map.svg", f"map_image: {image}")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"map_image: {image}") + 1
    result = invoke("map", tiny_study)
    assert result.exit_code == 1 and image not in result.output.split("map_image")[0]
    assert f"3-candidate-themes.yaml:{line}: map_image must be a file name" in result.output.replace("\n", "")


def _code(code_id: str, label: str, *turns: int) -> "EffectiveCode":
    from thematic.codes import EffectiveCode

    return EffectiveCode(code_id, label, None, [code_id], [{"id": f"a:{t}:{code_id}", "item": "a", "turn": t} for t in turns])


def test_a_theme_is_labelled_by_its_most_distinctive_codes_not_its_emptiest():
    from thematic.phases.themes import theme_label as _label

    # "område" is the most central code but meets the theme's other codes in 1 of its 6 turns;
    # portefølje and tidspress meet each other in most of theirs.
    codes = {c.id: c for c in (_code("omrade", "område", 1, 2, 3, 4, 5, 6), _code("portefolje", "Portefølje", 1, 7, 8),
                               _code("tidspress", "Tidspress", 7, 8, 9))}
    central = ["omrade", "portefolje", "tidspress"]
    assert distinctive(central, codes) == ["portefolje", "tidspress", "omrade"]
    assert _label("tema-omrade", central, codes) == "Portefølje / Tidspress"


def test_a_never_code_never_labels_a_theme():
    from thematic.phases.themes import UNNAMED_LABEL, theme_label as _label

    codes = {c.id: c for c in (_code("sted", "sted", 1, 2), _code("tid", "Tid", 1, 2, 3), _code("neste", "Neste", 2, 3))}
    assert _label("tema-sted", ["sted", "neste", "tid"], codes) == "Tid"
    assert _label("tema-sted", ["sted"], {"sted": codes["sted"]}) == UNNAMED_LABEL
