"""thematic compare: two analyses of one study, codes and themes added, removed and moved, and ARI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import invoke
from thematic.codes import EffectiveCode
from thematic.compare import compare, turn_themes
from thematic.measures import adjusted_rand_index


def test_adjusted_rand_index_matches_a_count_by_hand():
    # Pairs together in both: (1,2) and (5,6) = 2. Together in A: 2 groups of 3 = 3 + 3 = 6 pairs; in B:
    # 3 groups of 2 = 3 pairs; of 15 pairs in all, expected 6 * 3 / 15 = 1.2, most (6 + 3) / 2 = 4.5.
    # ARI = (2 - 1.2) / (4.5 - 1.2) = 8/33.
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], ["x", "x", "y", "y", "z", "z"]) == pytest.approx(8 / 33)
    assert adjusted_rand_index(list("aabb"), list("bbaa")) == 1.0


def test_a_turn_goes_to_the_theme_with_most_extracts_in_it():
    def code(cid: str, *turns: tuple[str, int]) -> EffectiveCode:
        return EffectiveCode(cid, cid, None, extracts=[{"id": f"{cid}{i}", "item": t[0], "turn": t[1]} for i, t in enumerate(turns)])

    codes = [code("a", ("x", 1), ("x", 2)), code("b", ("x", 1)), code("c", ("x", 2)), code("d", ("x", 3)),
             code("e", ("x", 3)), code("f", ("x", 4))]
    theme_of = {"a": "t1", "b": "t2", "c": "t2", "d": "t2", "e": "t1"}
    assert turn_themes(codes, theme_of) == {("x", 1): "t1", ("x", 2): "t1", ("x", 3): "t1", ("x", 4): "diverse"}
    #                                           tie: first id     tie        tie         in no theme


def test_an_analysis_compared_with_itself_has_no_change_and_ari_1(analysed_example: Path):
    result = invoke("compare", analysed_example / "analysis", analysed_example, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["changed"] is False and data["ari"] == 1.0 and data["turns"] > 100
    assert data["moved"] == data["themes_added"] == data["themes_removed"] == data["codes_added"] == []
    assert data["themes"][0] == data["themes"][1] == len([t for t in data["matched"] if t != "diverse"])
    text = invoke("compare", analysed_example / "analysis", analysed_example / "analysis").output
    assert "adjusted Rand index 1.0 over" in text and text.rstrip().endswith("no change")


def test_another_resolution_moves_codes_and_lowers_ari(analysed_example: Path, tmp_path: Path):
    study = tmp_path / "study"
    shutil.copytree(analysed_example, study)
    assert invoke("run", study, "--set", "phases.themes.resolution=1.0", "--out", "analysis-r10").exit_code == 0
    result = compare(study / "analysis", study / "analysis-r10")
    assert result.changed and result.moved and result.ari < 1.0
    assert result.codes_added == result.codes_removed == result.decisions_changed == []
    # Every move leaves a theme for one that is not its match, and every theme left is matched or removed.
    assert all(result.matched.get(m.before) != m.after for m in result.moved)
    assert result.themes[0] == len(set(result.matched) - {"diverse"}) + len(result.themes_removed)
    text = invoke("compare", study / "analysis", study / "analysis-r10").output
    assert f"adjusted Rand index {result.ari} over {result.turns} coded turns" in text
    assert "  moved:         " in text and "no change" not in text


def test_a_changed_decision_is_reported(analysed_example: Path, tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(analysed_example / "analysis", a)
    shutil.copytree(analysed_example / "analysis", b)
    codes = b / "2-codes.yaml"
    text = codes.read_text(encoding="utf-8")
    head, sep, rest = text.partition("- id: tidspress\n")
    codes.write_text(head + sep + rest.replace("decision: pending", "decision: rejected", 1), encoding="utf-8")
    result = compare(a, b)
    assert result.decisions_changed == [{"code": "tidspress", "a": "pending", "b": "rejected"}]
    assert "  decision:      tidspress: pending -> rejected" in invoke("compare", a, b).output


def test_a_folder_without_an_analysis_is_one_line_error(analysed_example: Path, tmp_path: Path):
    result = invoke("compare", analysed_example / "analysis", tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {tmp_path / '2-codes.yaml'}: missing") and result.output.count("\n") == 1
