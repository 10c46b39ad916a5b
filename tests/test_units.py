"""Units follow the data: co-occurrence, prevalence, review's thin flag and level 2 count turns,
participants and anonymous voices, never a file as a person."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.codes import EffectiveCode
from thematic.corpus import split_turns
from thematic.cooccurrence import Association, Segments
from thematic.corpus import Document
from thematic.flags import flags_for
from thematic.measures import corpus_totals, prevalence, prevalence_text
from helpers import load

LABELS = {"Intervjuer"}


def _doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, Path(f"{doc_id}.txt"), "0" * 64, text, tuple(split_turns(doc_id, text, LABELS)))


def _code(code_id: str, *places: tuple[str, int]) -> EffectiveCode:
    extracts = [{"id": f"{item}:{turn}:{code_id}", "item": item, "turn": turn, "participant": f"{item}#{turn}"}
                for item, turn in places]
    return EffectiveCode(code_id, code_id, None, [code_id], extracts)


QUOTES = "Portefølje.\n\nTidspress.\n\nPortefølje og tidspress.\n\nRapportering.\n"
INTERVIEW = "Intervjuer: Hvordan?\n\nMentor: a\n\nMentor: b\n\nIntervjuer: Og?\n\nMentor: c\n"


def test_in_a_file_without_interviewer_turns_each_turn_is_its_own_segment():
    segments = Segments.from_docs([_doc("sitater", QUOTES), _doc("mentor", INTERVIEW)])
    assert [segments.of_turn[("sitater", n)] for n in (1, 2, 3, 4)] == [("sitater", n) for n in (1, 2, 3, 4)]
    assert [segments.of_turn[("mentor", n)] for n in (2, 3, 5)] == [("mentor", 1), ("mentor", 1), ("mentor", 2)]
    assert segments.totals == {"turn": 7, "segment": 6, "item": 2}


def test_codes_in_different_paragraphs_of_one_file_are_not_associated():
    # They used to share the file's one segment: association 1.0 for talk that never met.
    segments = Segments.from_docs([_doc("sitater", QUOTES), _doc("mentor", INTERVIEW)])
    apart = Association(segments, {"turn": 0.0, "segment": 1.0, "item": 0.1}, 2).add(
        [_code("portefolje", ("sitater", 1), ("sitater", 3)), _code("rapportering", ("sitater", 4), ("sitater", 2))])
    assert apart.strength("portefolje", "rapportering") == 0.0
    assert apart.together("portefolje", "rapportering") == {"turn": 0, "segment": 0, "item": 1}


def test_prevalence_counts_people_voices_turns_and_items_and_says_which():
    person = {"id": "m:1", "item": "m", "turn": 2, "participant": "m"}
    group = {"id": "g:1", "item": "g", "turn": 3, "participant": "g/veileder-1"}
    voices = [{"id": f"s:{n}", "item": "s", "turn": n, "participant": f"s#{n}"} for n in (1, 4)]
    code = EffectiveCode("c", "c", None, ["c"], [person, dict(person, id="m:2"), group, *voices])
    assert prevalence([code]) == {"extracts": 5, "turns": 4, "items": 3, "participants": 2, "voices": 2}
    assert "voices" not in prevalence([EffectiveCode("d", "d", None, ["d"], [person])])


def test_prevalence_text_names_voices_and_keeps_the_old_sentence_without_them():
    prev = {"participants": 2, "items": 3}
    assert prevalence_text(prev, {"participants": 6, "items": 10}) == "Temaet finnes hos 2 av 6 deltakere i 3 av 10 intervjuer."
    text = prevalence_text({**prev, "voices": 5}, {"participants": 6, "voices": 40, "items": 9})
    assert text == ("Temaet finnes hos 2 av 6 deltakere og i 5 av 40 anonyme ytringer (personer som ikke kan skilles), "
                    "i 3 av 9 filer.")
    assert prevalence_text({"participants": 0, "voices": 3, "items": 1}, {"participants": 0, "voices": 4, "items": 1}) \
        == "Temaet finnes i 3 av 4 anonyme ytringer (personer som ikke kan skilles), i 1 av 1 filer."


def test_corpus_totals_never_count_a_file_of_quotes_as_a_participant():
    assert corpus_totals([_doc("sitater", QUOTES), _doc("mentor", INTERVIEW)]) == \
        {"items": 2, "turns": 7, "participants": 1, "voices": 4}


@pytest.mark.parametrize("people, voices, thin", [(1, 3, False), (1, 1, True), (2, 0, True), (3, 0, False)])
def test_thin_counts_people_and_anonymous_voices_together(people: int, voices: int, thin: bool):
    level1 = {"participants": people, **({"voices": voices} if voices else {}), "top_participant_share": 0.2,
              "coherence": None}
    level2 = {"overlap": {}, "questions": {"share": 0.0}}
    flags = flags_for("tema-x", level1, level2, [], {"thin_participants": 3, "anecdotal_share": 0.5, "overlap": 0.3,
                                                       "incoherent": 0.05, "question_share": 0.5}, is_misc=False)
    assert any(f["flag"] == "thin" for f in flags) is thin
    if thin and voices:
        assert flags[0]["why"] == "only 1 participants and 1 anonymous voices, together (fewer than 3)"


def test_level_2_places_every_coded_turn_and_lists_what_the_coding_missed(tiny_study: Path):
    from thematic.project import load_project
    from thematic.runner import run_phases

    (tiny_study / "interviews" / "sitater.txt").write_text(
        "Skreddersøm er alt.\n\nVi snakket lenge om helt andre ting den dagen, og ingen av dem gjaldt jobben.\n\nKort.\n",
        encoding="utf-8")
    run_phases(load_project(tiny_study))
    dataset = load(tiny_study, "4-reviewed-themes.yaml")["dataset"]
    assert dataset["informant_turns"] == 11
    assert dataset["coded_turns"] == dataset["turns_in_themes"] + dataset["only_in_diverse"]["turns"]
    # Samarbeid alone (in diverse) codes mentor-b's first answer and one of Veileder 1's turns
    assert dataset["only_in_diverse"]["turns"] == 2 and "no co-occurrence" in dataset["only_in_diverse"]["reason"]
    uncoded = dataset["uncoded"]
    assert uncoded["turns"] == 11 - dataset["coded_turns"] == sum(uncoded["by_item"].values())
    assert uncoded["by_item"] == {"mentor-a": 0, "mentor-b": 0, "sitater": 2, "veiledere": 0}
    assert uncoded["longest"] == [{"item": "sitater", "turn": 2, "line": 3, "words": 15},
                                  {"item": "sitater", "turn": 3, "line": 5, "words": 1}]


def test_the_report_names_anonymous_voices_beside_participants():
    from thematic.writeup.method import DataSet, _data
    from thematic.writeup.strings import words

    assert "med 7 deltakere og 103 anonyme ytringer der personene ikke kan skilles." in _data(DataSet(9, 7, 103, {}, 1000, 10), words("nb"))


def test_editing_participants_yaml_re_runs_phase_2(tiny_study):
    from helpers import invoke

    assert invoke("run", tiny_study).exit_code == 0
    path = tiny_study / "participants.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# a new role later\n", encoding="utf-8")
    status = invoke("status", tiny_study).output
    row = next(line for line in status.splitlines() if "2 code" in line)
    assert "stale" in row  # phase 2 reads roles (design terms) and voices: from participants.yaml


def test_familiarisation_counts_the_anonymous_voices_of_an_unlabelled_file_instead_of_naming_one():
    from thematic.phases.familiarise import _speakers

    doc = _doc("sitater", "Første sitat om tillit.\n\nAndre sitat om tempo.\n\nTredje sitat.\n")
    (row,) = _speakers(doc, {})
    assert row["voices"] == 3 and "participant" not in row and row["turns"] == 3
