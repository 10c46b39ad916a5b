"""check: Braun & Clarke's 15-point checklist, each point answered from the artefacts where they
can answer it, and the answer following what the researcher writes and decides."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from thematic.bc_check import CRITERIA, JUDGE, PASS, POINTS, STAGES, WARN, Artefacts, checklist, coverage_by_item
from thematic.project import Project, load_project
from thematic.turns import Turn

from helpers import invoke, load

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DECIDED = (2, 3, 4, 5, 6, 8, 10, 12, 13, 15)  # the points the artefacts answer (never "yours to judge")
JUDGED = (1, 9, 11, 14)  # the points only the researcher can answer


def _copy(study: Path, tmp_path: Path) -> Path:
    target = tmp_path / study.name
    shutil.copytree(study, target)
    return target


def _points(study: Path) -> dict[int, dict]:
    result = invoke("check", study, "--json")
    assert result.exit_code == 0, result.output
    return {p["number"]: p for p in json.loads(result.output)["points"]}


def _answer(number: int, found: Artefacts) -> tuple[str, str]:
    return next(answer for n, _, answer in POINTS if n == number)(found)


def _narrate(study: Path, words: int = 120) -> None:
    """A narrative for every theme, quoting one of its extracts, longer than its quotes."""
    for theme in load(study, "5-themes.yaml")["themes"]:
        quote = theme["extracts"][0]["text"]
        text = f"Deltakerne beskriver dette som noe de selv må håndtere. «{quote}» " + "Jeg tolker det som et mønster. " * (words // 6)
        assert invoke("themes", "define", study, theme["id"], "--field", "narrative", "--text", text).exit_code == 0


def test_every_point_is_answered_once_in_order_with_one_line_of_evidence(analysed_example: Path):
    points = checklist(load_project(analysed_example))
    assert [p.number for p in points] == list(range(1, 16))
    assert [p.stage for p in points] == ["transcription"] + ["coding"] * 5 + ["analysis"] * 4 + ["overall"] + ["written report"] * 4
    for point in points:
        assert point.status in (PASS, WARN, JUDGE) and point.evidence and "\n" not in point.evidence
        assert point.criterion == CRITERIA[point.number]["en"]
        assert point.criterion_in("nb") != point.criterion and point.stage_in("nn") == STAGES[point.stage]["nn"]


def test_the_artefacts_decide_the_points_they_can_and_leave_the_rest_to_you(analysed_example: Path):
    points = _points(analysed_example)
    assert all(points[n]["status"] in (PASS, WARN) for n in DECIDED)
    assert all(points[n]["status"] == JUDGE and points[n]["status_text"] == "yours to judge" for n in JUDGED)
    assert points[2]["status"] == PASS and "coded share of informant words" in points[2]["evidence"]
    assert points[13]["status"] == PASS  # a fresh run: the method describes what ran
    assert points[8]["status"] == WARN and "no narrative: in 5-themes.yaml for tema-" in points[8]["evidence"]
    assert points[10]["status"] == WARN and points[10]["evidence"].startswith("narrative 0 words")
    assert points[12]["status"] == WARN and "does not state approach:" in points[12]["evidence"]
    assert points[15]["status"] == WARN and "no memos or reflexive journal" in points[15]["evidence"]


def test_a_theme_that_loses_its_narrative_turns_points_8_and_13(analysed_example: Path, tmp_path: Path):
    study = _copy(analysed_example, tmp_path)
    _narrate(study)
    assert invoke("run", study).exit_code == 0
    written = _points(study)
    assert written[8]["status"] == PASS and "5 of 5 narratives quote the data" in written[8]["evidence"]
    assert written[10]["status"] == PASS and written[13]["status"] == PASS
    theme = load(study, "5-themes.yaml")["themes"][2]["id"]
    assert invoke("themes", "define", study, theme, "--field", "narrative", "--text", "").exit_code == 0
    lost = _points(study)
    assert lost[8]["status"] == WARN and lost[8]["evidence"] == f"no narrative: in 5-themes.yaml for {theme}"
    assert lost[13]["status"] == WARN and "6 report stale" in lost[13]["evidence"]
    assert next(p for p in checklist(load_project(study), writing=("report",)) if p.number == 13).status == PASS


def test_the_researchers_position_and_approach_follow_what_they_wrote(analysed_example: Path, tmp_path: Path):
    study = _copy(analysed_example, tmp_path)
    (study / "thematic.yaml").write_text((study / "thematic.yaml").read_text(encoding="utf-8") + "approach: reflexive\n",
                                         encoding="utf-8")
    assert invoke("memo", study, "-m", "Jeg jobbet selv i NAV, og leter kanskje etter tidspress.").exit_code == 0
    points = _points(study)
    assert points[12]["status"] == PASS and points[12]["evidence"].startswith("approach: reflexive in thematic.yaml")
    assert points[15]["status"] == PASS and "1 memo, 1 of them in the reflexive journal" in points[15]["evidence"]
    assert points[11]["status"] == JUDGE and "1 memo dated " in points[11]["evidence"]
    theme = load(study, "5-themes.yaml")["themes"][0]["id"]
    text = "Temaet dukket opp i alle intervjuene, uten bias."
    assert invoke("themes", "define", study, theme, "--field", "narrative", "--text", text).exit_code == 0
    points = _points(study)
    assert points[15]["status"] == WARN and f"«dukket opp» ({theme})" in points[15]["evidence"]
    assert points[14]["status"] == JUDGE and f"«bias» ({theme})" in points[14]["evidence"]


def _reviewed(flag: str, decision: str) -> dict:
    theme = {"id": "tema-x", "flags": [{"flag": flag, "suggest": "discard", "why": "..."}], "decision": decision,
             "level1": {"items": 2, "coherence": 0.01}, "level2": {"overlap": {}, "possible_missed": {"turns": 0}}}
    return {"themes": [theme], "dataset": {"informant_turns": 10, "coverage": 0.5}}


@pytest.mark.parametrize(("number", "flag"), [(3, "anecdotal"), (3, "thin"), (6, "incoherent"), (6, "overlapping"),
                                              (7, "mirrors-question")])
def test_a_flag_warns_until_the_theme_has_a_decision(tmp_path: Path, number: int, flag: str):
    found = Artefacts(Project(tmp_path, {"approach": "reflexive"}), {}, reviewed=_reviewed(flag, "pending"),
                      defined={"themes": [{"id": "tema-x"}]})
    status, evidence = _answer(number, found)
    assert status == WARN and f"tema-x ({flag})" in evidence
    found.reviewed = _reviewed(flag, "keep")
    assert _answer(number, found)[0] in (PASS, JUDGE)


def _turn(start: int, end: int, words: int, role: str = "informant") -> Turn:
    return Turn(start, None, role, None, start, end, 1, " ".join(["ord"] * words))


def test_an_item_coded_far_less_than_the_others_is_named(tmp_path: Path):
    turns = {"a": [_turn(0, 10, 10), _turn(10, 20, 10)], "b": [_turn(0, 10, 10), _turn(10, 20, 10, "interviewer")],
             "c": [_turn(0, 10, 2), _turn(10, 20, 18)]}
    coded = {"a": [0, 12], "b": [1], "c": [0]}
    index = SimpleNamespace(items=[SimpleNamespace(id=i) for i in turns], turns=turns.__getitem__)
    view = SimpleNamespace(index=index, coded_starts=coded.__getitem__)
    assert coverage_by_item(view) == {"a": 1.0, "b": 1.0, "c": 0.1}
    found = Artefacts(Project(tmp_path, {"approach": "reflexive"}), {}, view=view)
    status, evidence = _answer(2, found)
    assert status == WARN and evidence.endswith("far below the others: c 10%")


def test_the_second_example_is_answered_as_well(tmp_path: Path):
    study = tmp_path / "ungdom-jobbstotte"
    shutil.copytree(EXAMPLES / "ungdom-jobbstotte", study,
                    ignore=shutil.ignore_patterns("analysis", "thematic.lock", ".thematic-run.lock"))
    assert invoke("run", study).exit_code == 0
    points = _points(study)
    assert all(points[n]["status"] in (PASS, WARN) for n in DECIDED)
    assert points[4]["status"] == PASS and "extracts of the 40 codes that count" in points[4]["evidence"]
    result = invoke("check", study)
    assert "Braun & Clarke's 15-point checklist" in result.output and "yours to judge" in result.output


def test_before_any_run_every_point_still_answers_and_names_the_command(tiny_study: Path):
    result = invoke("check", tiny_study, "--json")
    assert result.exit_code == 0, result.output
    points = json.loads(result.output)["points"]
    assert len(points) == 15
    assert points[0]["status"] == WARN and "1-familiarisation.yaml is missing" in points[0]["evidence"]
    assert "no coded data to measure" in points[1]["evidence"]


def test_the_terminal_list_groups_the_points_by_stage(analysed_example: Path):
    result = invoke("check", analysed_example)
    lines = result.output.splitlines()
    assert [line for line in lines if line in {s["en"] for s in STAGES.values()}] == \
        ["Transcription", "Coding", "Analysis", "Overall", "Written report"]
    assert re.fullmatch(r"\d+ pass, \d+ warn, \d+ yours to judge", lines[-1])
