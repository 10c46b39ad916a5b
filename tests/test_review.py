"""Phase 4: level 1 and level 2 measures checkable by hand, flags, and decisions that flow to 5 and 6."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.keywords import mentions, possible_missed, theme_keywords, words
from helpers import invoke, load





def reviewed(study: Path) -> dict[str, dict]:
    return {t["id"]: t for t in load(study, "4-reviewed-themes.yaml")["themes"]}


def decide(study: Path, theme_id: str, decision: str, reason: str) -> None:
    """Edit one theme's decision and reason in 4-reviewed-themes.yaml, as a researcher would."""
    path = study / "analysis" / "4-reviewed-themes.yaml"
    head, rest = path.read_text(encoding="utf-8").split(f"- id: {theme_id}\n", 1)
    rest = rest.replace("  decision: pending\n  reason: ''\n", f"  decision: {decision}\n  reason: {reason}\n", 1)
    path.write_text(f"{head}- id: {theme_id}\n{rest}", encoding="utf-8")


def test_level_1_and_level_2_measures_match_a_count_by_hand(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    themes = reviewed(tiny_study)
    assert set(themes) == {"tema-skreddersom", "tema-tid", "diverse"}
    tid = themes["tema-tid"]
    # Tid: 6 extracts from mentor-a (2), mentor-b (1), Veileder 1 (2), Veileder 2 (1), in 3 items.
    assert {k: tid["level1"][k] for k in ("extracts", "participants", "items")} == {"extracts": 6, "participants": 4, "items": 3}
    assert (tid["level1"]["top_participant"], tid["level1"]["top_participant_share"]) == ("mentor-a", 0.333)
    # "Og tilpasningen tar tid, den også." is coded both Skreddersøm and Tid: 1 of 5 and 1 of 6 extracts.
    assert themes["tema-skreddersom"]["level2"]["overlap"]["tema-tid"] == {"shared": 1, "share": 0.2}
    assert tid["level2"]["overlap"]["tema-skreddersom"] == {"shared": 1, "share": 0.167}
    # 8 informant turns; the two themes touch 6 of them (mentor-b's first answer only has Samarbeid).
    dataset = load(tiny_study, "4-reviewed-themes.yaml")["dataset"]
    assert (dataset["informant_turns"], dataset["coverage"]) == (8, 0.75)
    assert dataset["coverage_by_item"] == {"mentor-a": 1.0, "mentor-b": 0.5, "veiledere": 0.75}


def test_flags_name_the_problem_and_suggest_a_decision(tiny_study: Path):
    settings = tiny_study / "thematic.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "review: {thin_participants: 2}", "review: {thin_participants: 4, overlap: 0.15, anecdotal_share: 0.35}"), encoding="utf-8")
    assert invoke("run", tiny_study).exit_code == 0
    themes = reviewed(tiny_study)
    flags = {tid: {f["flag"]: f["suggest"] for f in t["flags"]} for tid, t in themes.items()}
    assert flags["tema-skreddersom"] == {"thin": "merge:tema-tid", "anecdotal": "discard", "overlapping": "merge:tema-tid"}
    # 5 of Tid's 6 extracts answer "Hvordan jobber dere med skreddersøm og tid?" or "Hva med tiden?".
    assert flags["tema-tid"] == {"overlapping": "merge:tema-skreddersom", "mirrors-question": "keep"}
    assert themes["tema-tid"]["level2"]["questions"]["share"] == 0.833
    assert flags["diverse"] == {"miscellaneous": "discard"}


def test_keywords_find_turns_that_talk_like_a_theme_but_were_not_coded_with_it():
    turn_words = {("a", 1): words("Portefølje og rapportering, portefølje igjen."),
                  ("a", 2): words("Rapportering og skjemaer hele dagen."),
                  ("b", 1): words("Skjemaer og rapportering tar tiden."),
                  ("b", 2): words("Kollegene i lunsjen var hyggelige."),
                  ("c", 1): words("Lunsjen med kollegene."),
                  ("c", 2): words("Rapportering og skjemaer, men ikke kodet.")}
    theme_turns = {("a", 1), ("a", 2), ("b", 1)}
    keywords = theme_keywords(theme_turns, turn_words, 5, max_general=1e-4, min_turns=2, min_lift=1.3)
    assert keywords == ["rapportering", "skjemaer"]
    assert possible_missed(keywords, theme_turns, turn_words, 2) == [(("c", 2), ["rapportering", "skjemaer"])]
    assert mentions("Hva med tiden, og tett oppfølging?", ["tiden", "tett oppfølging", "tid"]) == ["tett oppfølging", "tiden"]


def test_decisions_and_reasons_are_kept_when_review_runs_again(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    decide(tiny_study, "tema-tid", "keep", "Tid går igjen hos alle")
    assert invoke("review", tiny_study, "--force").exit_code == 0
    assert (reviewed(tiny_study)["tema-tid"]["decision"], reviewed(tiny_study)["tema-tid"]["reason"]) == ("keep", "Tid går igjen hos alle")


def test_an_unknown_merge_target_names_its_line(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    decide(tiny_study, "tema-tid", "merge:tema-finnes-ikke", "x")
    result = invoke("run", tiny_study)
    assert result.exit_code == 1 and "merge:tema-finnes-ikke names no other theme" in result.output.replace("\n", "")


@pytest.mark.parametrize("decision", ["merge:tema-skreddersom", "discard"])
def test_merge_and_discard_survive_a_run_and_change_phases_5_and_6(tiny_study: Path, decision: str):
    assert invoke("run", tiny_study).exit_code == 0
    extracts = {c["id"]: {e["text"] for e in c["extracts"]} for c in load(tiny_study, "2-codes.yaml")["codes"]}
    tid_only = extracts["tid"] - extracts["skreddersom"]
    assert any(text in (tiny_study / "analysis" / "6-report.md").read_text(encoding="utf-8") for text in tid_only)
    decide(tiny_study, "tema-tid", decision, "samme mønster")
    result = invoke("run", tiny_study)
    assert result.exit_code == 0 and result.output.count(" ran ") == 2, result.output  # define, report
    defined = {t["id"]: t for t in load(tiny_study, "5-themes.yaml")["themes"]}
    report = (tiny_study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    assert "tema-tid" not in defined and "## 2. Tid" not in report
    codes = [c["id"] for c in defined["tema-skreddersom"]["codes"]]
    if decision == "discard":
        assert codes == ["skreddersom"] and load(tiny_study, "5-themes.yaml")["discarded"] == ["tema-tid"]
        assert not any(f"«{text}»" in report for text in tid_only)
    else:
        assert codes == ["skreddersom", "tid"] and "Koder: Skreddersøm, Tid." in report
    assert invoke("run", tiny_study).output.count("skipped") == 6
    assert reviewed(tiny_study)["tema-tid"]["decision"] == decision
