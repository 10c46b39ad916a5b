"""Themes keep their identity: the researcher's writing stays with the codes it was written about."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from thematic.identity import changed_beyond, matched_ids

from helpers import invoke, load


def test_a_group_takes_the_id_of_the_previous_theme_it_shares_most_codes_with():
    previous = {"tema-a": ["a", "b", "c"], "tema-d": ["d", "e"]}
    groups = {"tema-b": ["b", "c", "x"], "tema-e": ["d", "e", "f"], "tema-z": ["z", "y"]}
    assert matched_ids(groups, previous) == {"tema-b": "tema-a", "tema-e": "tema-d", "tema-z": "tema-z"}


def test_an_unmatched_group_never_reuses_an_old_id_for_other_content():
    previous = {"tema-a": ["a", "b", "c", "d"]}
    groups = {"tema-a": ["a", "q", "r", "s", "t"]}  # one shared code of four: another theme
    assert matched_ids(groups, previous) == {"tema-a": "tema-a-2"}


def test_the_assignment_is_one_to_one_and_optimal():
    previous = {"tema-1": ["a", "b", "c", "d"], "tema-2": ["e", "f"]}
    groups = {"g1": ["a", "b", "e", "f"], "g2": ["c", "d"], "g3": ["a", "b"]}
    ids = matched_ids(groups, previous)
    assert ids["g1"] == "tema-2"  # g1's best is tema-2 (0.5), which leaves tema-1 to g2 or g3
    assert sorted([ids["g2"], ids["g3"]]) in (["g3", "tema-1"], ["g2", "tema-1"])


def test_a_theme_is_flagged_when_a_code_it_was_named_with_leaves_or_many_join():
    assert changed_beyond(["a", "b", "c", "d"], ["a", "b", "c"])
    assert not changed_beyond(["a", "b", "c", "d", "e"], ["a", "b", "c", "d", "e", "f"])
    assert changed_beyond(["a", "b", "c", "d"], ["a", "b", "c", "d", "e"])


def _edit(path: Path, old: str, new: str, after: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


def _themes(study: Path) -> dict[str, dict]:
    return {t["id"]: t for t in load(study, "5-themes.yaml")["themes"]}


def test_a_named_theme_keeps_its_name_when_one_of_its_codes_is_rejected(analysed_example: Path, tmp_path: Path):
    study = tmp_path / "study"
    shutil.copytree(analysed_example, study)
    theme = max(_themes(study).values(), key=lambda t: len(t["codes"]))
    central = theme["codes"][0]["id"]
    _edit(study / "analysis" / "5-themes.yaml", "name: ''", "name: Mitt eget navn", after=f"- id: {theme['id']}")
    _edit(study / "analysis" / "2-codes.yaml", "decision: pending", "decision: rejected", after=f"- id: {central}\n")
    assert invoke("run", study).exit_code == 0
    named = [t for t in _themes(study).values() if t["name"] == "Mitt eget navn"]
    assert len(named) == 1, "the name is on one theme, not copied"
    assert named[0]["id"] == theme["id"] and central not in [c["id"] for c in named[0]["codes"]]
    assert central in named[0]["changed_since_named"]["removed"]
    assert all(central not in [c["id"] for c in t["codes"]] for t in _themes(study).values())
    assert "kodene i temaet har endret seg siden du navnga det" in (study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    status = invoke("status", study)
    assert f"warning: {theme['id']} changed since you named it: +" in status.output and ", -1" in status.output


def test_writing_about_a_theme_that_is_gone_goes_to_orphaned_with_its_codes(analysed_example: Path, tmp_path: Path):
    study = tmp_path / "study"
    shutil.copytree(analysed_example, study)
    theme = min(_themes(study).values(), key=lambda t: len(t["codes"]))
    codes = [c["id"] for c in theme["codes"]]
    _edit(study / "analysis" / "5-themes.yaml", "narrative: ''", "narrative: Min analyse.", after=f"- id: {theme['id']}")
    for code in codes:
        _edit(study / "analysis" / "2-codes.yaml", "decision: pending", "decision: rejected", after=f"- id: {code}\n")
    assert invoke("run", study).exit_code == 0
    defined = load(study, "5-themes.yaml")
    assert all(t.get("narrative") != "Min analyse." for t in defined["themes"])
    assert defined["orphaned"] == [{"id": theme["id"], "codes": codes, "narrative": "Min analyse."}]
    assert invoke("run", study, "--force").exit_code == 0  # kept on every later run
    assert load(study, "5-themes.yaml")["orphaned"] == defined["orphaned"]


def test_a_field_of_yours_keeps_the_one_line_style_the_machine_writes_it_in():
    from thematic.artefacts import Flow, dumps
    from thematic.decisions import carry_decisions

    old = {"themes": [{"id": "tema-a", "chosen_extracts": ["a:1", "b:2"]}]}  # parsed: a plain list
    new = carry_decisions(old, {"themes": [{"id": "tema-a", "chosen_extracts": Flow(["a:9"])}]})
    assert "chosen_extracts: ['a:1', 'b:2']" in dumps(new)  # one line, as phase 5 writes it
