"""A researcher's own code, written into 2-codes.yaml by hand: kept, counted, quoted, verified."""

from __future__ import annotations

from pathlib import Path

from helpers import invoke, load

MANUAL = """\
- id: egen-kode
  label: Egen kode
  origin: manual
  decision: accepted
  notes: lagt til av meg
  extracts:
  - item: mentor-b
    text: Vi har tett oppfølging av [hen].
"""


def add_manual_code(study: Path) -> None:
    path = study / "analysis" / "2-codes.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ncodes:\n", "\ncodes:\n" + MANUAL, 1), encoding="utf-8")


def test_a_manual_code_survives_reruns_and_reaches_the_later_phases(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    add_manual_code(tiny_study)
    assert invoke("run", tiny_study).exit_code == 0
    (tiny_study / "interviews" / "mentor-c.txt").write_text("Mentor: Skreddersøm.\n\nMentor: Ja.\n", encoding="utf-8")
    result = invoke("run", tiny_study)
    assert result.exit_code == 0, result.output
    codes = {c["id"]: c for c in load(tiny_study, "2-codes.yaml")["codes"]}
    assert codes["egen-kode"]["notes"] == "lagt til av meg"
    assert codes["egen-kode"]["extracts"] == [{"item": "mentor-b", "text": "Vi har tett oppfølging av [hen]."}]
    themes = load(tiny_study, "3-candidate-themes.yaml")
    placed = [t["id"] for t in themes["themes"] if "egen-kode" in [c["id"] if isinstance(c, dict) else c for c in t["codes"]]]
    assert placed, "the manual code is in no candidate theme"


def test_a_manual_extract_that_is_not_in_the_transcript_is_refused(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    path = tiny_study / "analysis" / "2-codes.yaml"
    add_manual_code(tiny_study)
    path.write_text(path.read_text(encoding="utf-8").replace("Vi har tett oppfølging av [hen].", "Dette ble aldri sagt.", 1),
                    encoding="utf-8")
    result = invoke("run", tiny_study)
    assert result.exit_code == 1
    assert "egen-kode" in result.output and "Dette ble aldri sagt" in result.output.replace("\n", "")


def test_a_suggestion_with_the_id_of_your_own_code_gives_way_to_it():
    from thematic.decisions import carry_decisions

    yours = {"id": "tillit", "label": "Tillit", "origin": "manual", "decision": "accepted",
             "extracts": [{"item": "a", "text": "jeg stoler på henne"}]}
    new = carry_decisions({"codes": [yours]}, {"codes": [{"id": "tillit", "origin": "suggested", "decision": "suggested", "extracts": []}]})
    assert new["codes"] == [yours]
