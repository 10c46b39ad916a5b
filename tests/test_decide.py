"""Decision commands end to end on a copy of the analysed example: each decision edits one line of
one artefact, says what is stale, and shows in phases 3-6 and the report after a re-run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import fails, invoke, load, ok
from test_cli import status_of
from thematic.decide_themes import list_extracts

THEME = "tema-koordinering-og-ansvarsgruppe"


@pytest.fixture()
def study(analysed_example: Path, tmp_path: Path) -> Path:
    target = tmp_path / "studie"
    shutil.copytree(analysed_example, target)
    return target


def suggested(study: Path) -> list[str]:
    codes = load(study, "2-codes.yaml")["codes"]
    waiting = [c for c in codes if c["decision"] == "suggested"]
    return [c["id"] for c in sorted(waiting, key=lambda c: (-c["evidence"]["score"], c["id"]))]


def test_the_scripted_review_shows_in_every_later_phase_and_the_report(study: Path):
    top = suggested(study)[:10]
    out = ok("codes", "accept", study, "--top", "10")
    assert all(f"{code}: suggested -> accepted" in out for code in top)
    assert "stale now: 3 themes, 4 review, 5 define, 6 report" in out
    assert status_of(study) == {"familiarise": "fresh", "code": "edited", "themes": "stale", "review": "stale",
                                "define": "stale", "report": "stale"}
    rejected = suggested(study)[:2]
    ok("codes", "reject", study, *rejected)
    ok("codes", "rename", study, "angst", "Angst: uro og mestring")
    ok("codes", "merge", study, "kasse", "arbeidsoppgave")
    assert "stale now: 6 report" in ok("themes", "name", study, THEME, "Samarbeid: mange hender")
    machine = {e["id"] for t in load(study, "5-themes.yaml")["themes"] if t["id"] == THEME for e in t["extracts"]}
    pick = next(e["id"] for e in list_extracts(study, THEME)[0] if e["id"] not in machine)
    assert pick in ok("extracts", "list", study, THEME)
    ok("extracts", "pick", study, THEME, pick)
    assert f"* {pick}  " in ok("extracts", "list", study, THEME)
    ok("run", study)

    codes = {c["id"]: c["decision"] for c in load(study, "2-codes.yaml")["codes"]}
    assert codes["angst"] == "renamed:Angst: uro og mestring" and codes["kasse"] == "merged:arbeidsoppgave"
    assert [codes[r] for r in rejected] == ["rejected", "rejected"]
    candidate = {c for t in load(study, "3-candidate-themes.yaml")["themes"] for c in t["codes"]}
    assert {"angst-uro-og-mestring", "arbeidsoppgave", "verksted"} <= candidate
    assert not {"angst", "kasse", *rejected} & candidate
    reviewed = {c for t in load(study, "4-reviewed-themes.yaml")["themes"] for c in t["codes"]}
    assert "angst-uro-og-mestring" in reviewed and "kasse" not in reviewed
    theme = next(t for t in load(study, "5-themes.yaml")["themes"] if t["id"] == THEME)
    assert theme["name"] == "Samarbeid: mange hender" and theme["chosen_extracts"] == [pick]
    assert theme["extracts"][0]["id"] == pick
    report = (study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    assert re.search(r"^## \d\. Samarbeid: mange hender$", report, re.M)
    quote = f"> «{theme['extracts'][0]['text']}»"
    assert quote in report and f"> «{theme['extracts'][1]['text']}»" not in report  # chosen extracts replace the machine's
    assert "godtok 8, avviste 2, ga nytt navn til 1 og slo sammen 1" in report
    assert set(status_of(study).values()) <= {"fresh", "edited"}


def test_an_edit_changes_one_line_and_keeps_every_other_byte(study: Path):
    path = study / "analysis" / "2-codes.yaml"
    before = path.read_text(encoding="utf-8").replace("  decision: suggested\n  notes: ''\n  evidence:\n    lemma: angst",
                                                      "  # usikker\n  decision: suggested\n  notes: ''\n  evidence:\n    lemma: angst")
    path.write_text(before, encoding="utf-8")
    ok("codes", "rename", study, "angst", "Unge menn: overgang")
    after = path.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [("  decision: suggested", "  decision: 'renamed:Unge menn: overgang'")]
    assert len(before.splitlines()) == len(after.splitlines())


def test_moves_stay_in_flow_style_and_a_second_move_finds_them(study: Path):
    out = ok("themes", "move", study, "tillit", "tema-dokumentasjon-og-rapportering")
    assert "stale now: 3 themes, 4 review, 5 define, 6 report" in out
    ok("run", study)
    ok("themes", "move", study, "mestring", "diverse")
    text = (study / "analysis" / "3-candidate-themes.yaml").read_text(encoding="utf-8")
    assert "moves: {tillit: tema-dokumentasjon-og-rapportering, mestring: diverse}\n" in text


@pytest.mark.parametrize("args, message", [
    (("codes", "accept", "{study}", "tilretelegging"), "no code 'tilretelegging'; did you mean 'tilrettelegging'?"),
    (("codes", "merge", "{study}", "kasse", "arbeidsoppgav"), "did you mean 'arbeidsoppgave'?"),
    (("themes", "move", "{study}", "tidspress", "tema-dokumentasjon"), "did you mean 'tema-dokumentasjon-og-rapportering'?"),
    (("themes", "move", "{study}", "tidspres", "diverse"), "no code 'tidspres'; did you mean 'tidspress'?"),
    (("themes", "name", "{study}", "tema-brukermedvirknng", "x"), "did you mean 'tema-brukermedvirkning'?"),
    (("themes", "merge", "{study}", THEME, "tema-brukermedvirkning-x"), "did you mean 'tema-brukermedvirkning'?"),
    (("extracts", "pick", "{study}", THEME, "mentor-01:0"), "no extract 'mentor-01:0' among the codes of"),
    (("codes", "accept", "{study}"), "name the codes: IDs, --top N, --all-suggested or --match GLOB"),
])
def test_a_wrong_id_is_refused_with_the_closest_one_and_nothing_is_written(study: Path, args: tuple, message: str):
    before = {p.name: p.read_bytes() for p in (study / "analysis").glob("*.yaml")}
    assert message in fails(*(str(a).format(study=study) for a in args))
    assert before == {p.name: p.read_bytes() for p in (study / "analysis").glob("*.yaml")}


def test_a_hand_written_decision_typo_names_the_line_and_the_fix(study: Path):
    path = study / "analysis" / "2-codes.yaml"
    text = path.read_text(encoding="utf-8").replace("decision: suggested", "decision: accept", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  decision: accept") + 1
    assert f"2-codes.yaml:{line}: unknown decision 'accept'; did you mean 'accepted'?" in fails("run", study)


def test_a_move_that_places_nothing_is_a_warning_with_the_closest_code(study: Path):
    path = study / "analysis" / "3-candidate-themes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("moves: {}", "moves: {tidspres: diverse}"), encoding="utf-8")
    result = invoke("run", study)
    assert result.exit_code == 0
    assert "moves: 'tidspres' is no code that counts; did you mean 'tidspress'?" in " ".join(result.output.split())


def test_merging_into_a_discarded_theme_or_rejecting_a_merge_target_is_refused(study: Path):
    ok("themes", "discard", study, "tema-brukermedvirkning", "--reason", "for tynt")
    assert "is discarded" in fails("themes", "merge", study, THEME, "tema-brukermedvirkning")
    ok("codes", "merge", study, "kasse", "arbeidsoppgave")
    assert "then code kasse: merged:arbeidsoppgave merges into a rejected code" in fails("codes", "reject", study, "arbeidsoppgave")
    assert {c["id"]: c["decision"] for c in load(study, "2-codes.yaml")["codes"]}["arbeidsoppgave"] == "suggested"


def test_a_manual_code_is_added_with_a_verbatim_extract(study: Path):
    text = "Jeg har en bruker som har angst"
    assert "not in this transcript word for word" in fails("codes", "add", study, "Å bli sett", "--item", "gruppe-01", "--text", "Finnes ikke")
    assert "did you mean 'gruppe-01'?" in fails("codes", "add", study, "Å bli sett", "--item", "gruppe-1", "--text", text)
    ok("codes", "add", study, "Å bli sett", "--item", "gruppe-01", "--text", text)
    ok("codes", "add", study, "Å bli sett", "--item", "gruppe-01", "--text", "så vi fant en plass på et bakeri")
    code = next(c for c in load(study, "2-codes.yaml")["codes"] if c["id"] == "a-bli-sett")
    assert code["origin"] == "manual" and [e["text"] for e in code["extracts"]][0] == text
    ok("run", study)
    assert "a-bli-sett" in {c for t in load(study, "3-candidate-themes.yaml")["themes"] for c in t["codes"]}


def test_a_decision_command_parses_the_codes_file_once(study: Path, monkeypatch: pytest.MonkeyPatch):
    import thematic.artefacts

    parsed: list[str] = []
    original = thematic.artefacts.check_nesting
    monkeypatch.setattr(thematic.artefacts, "check_nesting", lambda path, text: (parsed.append(path.name), original(path, text)))
    ok("codes", "accept", study, "--top", "3")
    assert parsed.count("2-codes.yaml") == 1
    last = list_extracts(study, THEME)[0][-1]["id"]
    parsed.clear()
    ok("extracts", "pick", study, THEME, last)
    assert parsed.count("2-codes.yaml") == 1


def test_a_chosen_extract_that_is_gone_is_kept_and_warned_about(study: Path):
    path = study / "analysis" / "5-themes.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("  narrative: ''", text.index(f"- id: {THEME}"))
    path.write_text(text[:at] + "  chosen_extracts: [mentor-01:999999]\n" + text[at:], encoding="utf-8")
    ok("codes", "accept", study, "verksted")
    result = invoke("run", study)
    assert result.exit_code == 0
    assert "chosen extract mentor-01:999999 is no longer among its codes' extracts" in " ".join(result.output.split())
    theme = next(t for t in load(study, "5-themes.yaml")["themes"] if t["id"] == THEME)
    assert theme["chosen_extracts"] == ["mentor-01:999999"]


def test_a_decision_is_refused_while_a_run_holds_the_study(study: Path):
    from thematic.lock import study_lock
    from thematic.project import load_project

    before = (study / "analysis" / "2-codes.yaml").read_bytes()
    with study_lock(load_project(study)):
        assert "another thematic run is working on" in fails("codes", "accept", study, "angst")
    assert (study / "analysis" / "2-codes.yaml").read_bytes() == before
