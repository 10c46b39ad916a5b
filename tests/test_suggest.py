"""Inductive suggestions: lemma-based, informants only, spread over participants, never generic."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from thematic.cli import app
from thematic.codes import effective_codes
from thematic.suggest import simple_maths

INTERVIEWS = {
    "a.txt": "Intervjuer: Hva med timelistene? Timelistene, timelistene!\n\nMentor: Brukermedvirkningen er viktig. "
             "Vi snakker om brukermedvirkning hver uke. Ting og tang, altså.\n\nIntervjuer: Mm.\n\n"
             "Mentor: Og vaktplanen min, vaktplanen, vaktplanen igjen.\n",
    "b.txt": "Intervjuer: Fortell.\n\nMentor: Brukermedvirkning betyr at [hen] bestemmer. Ting er ting.\n\n"
             "Intervjuer: Ja.\n\nMentor: Brukermedvirkningen kommer først, liksom.\n",
}


@pytest.fixture()
def study(tmp_path: Path) -> Path:
    root = tmp_path / "s"
    (root / "interviews").mkdir(parents=True)
    for name, text in INTERVIEWS.items():
        (root / "interviews" / name).write_text(text, encoding="utf-8")
    (root / "thematic.yaml").write_text("codebooks: []\n", encoding="utf-8")
    return root


def suggestions(root: Path) -> dict[str, dict]:
    data = yaml.safe_load((root / "analysis" / "2-codes.yaml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in data["codes"] if c["origin"] == "suggested"}


def test_suggestions_are_lemmas_of_informant_talk_spread_over_participants(study: Path):
    assert CliRunner().invoke(app, ["code", str(study)]).exit_code == 0
    found = suggestions(study)
    assert "brukermedvirkning" in found
    evidence = found["brukermedvirkning"]["evidence"]
    assert evidence["frequency"] == 4 and evidence["participants"] == 2
    assert evidence["forms"] == ["brukermedvirkning", "brukermedvirkningen"]
    assert {"lemma", "keyness", "score", "items"} <= set(evidence)
    assert len(found["brukermedvirkning"]["extracts"]) == 4
    assert "timeliste" not in found  # only the interviewer said it
    assert "vaktplan" not in found  # one vivid speaker is not a pattern
    assert "ting" not in found  # generic talk


def test_suggestions_count_only_once_accepted_and_the_decision_survives(study: Path):
    runner = CliRunner()
    assert runner.invoke(app, ["run", str(study)]).exit_code == 0
    codes_path = study / "analysis" / "2-codes.yaml"
    assert suggestions(study)["brukermedvirkning"]["decision"] == "suggested"
    assert effective_codes(yaml.safe_load(codes_path.read_text(encoding="utf-8"))) == []
    text = codes_path.read_text(encoding="utf-8").replace("decision: suggested", "decision: accepted", 1)
    codes_path.write_text(text, encoding="utf-8")
    assert runner.invoke(app, ["run", str(study)]).exit_code == 0
    assert [c.id for c in effective_codes(yaml.safe_load(codes_path.read_text(encoding="utf-8")))] == ["brukermedvirkning"]
    themes = (study / "analysis" / "3-candidate-themes.yaml").read_text(encoding="utf-8")
    assert "brukermedvirkning" in themes
    (study / "interviews" / "c.txt").write_text("Mentor: Brukermedvirkning igjen.\n\nMentor: Ja.\n", encoding="utf-8")
    assert runner.invoke(app, ["run", str(study)]).exit_code == 0
    assert suggestions(study)["brukermedvirkning"]["decision"] == "accepted"
    assert suggestions(study)["brukermedvirkning"]["evidence"]["frequency"] == 5


def test_suggestions_can_be_switched_off(study: Path):
    (study / "thematic.yaml").write_text("codebooks: []\nphases:\n  code: {suggest: none}\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["code", str(study)]).exit_code == 0
    assert suggestions(study) == {}


def test_simple_maths_lets_common_but_overused_words_through():
    # 'tid' is common in general Norwegian; used 10x more here it still scores well above 1
    assert simple_maths(count=100, total=10_000, reference=0.001, smoothing=10) > 5
    assert simple_maths(count=1, total=10_000, reference=0.001, smoothing=10) < 1


@pytest.mark.parametrize("word", ["ikke", "ikkje", "godt", "bit", "tak", "par", "neste", "sted", "snakk", "feil", "ting", "gang", "del"])
def test_words_no_researcher_would_code_are_never_candidates(word: str):
    from thematic.nlp.stopwords import is_stop

    assert is_stop(word, "NOUN")


def test_never_codes_stay_out_of_suggestions_even_when_frequent_and_spread(tmp_path: Path):
    root = tmp_path / "s"
    (root / "interviews").mkdir(parents=True)
    talk = "Informant: Vi fikk ikke tak i en bit av det. Et par ganger gikk det feil, men neste gang gikk det godt. Det var mye snakk om mestring.\n"
    for name in ("a", "b", "c"):
        (root / "interviews" / f"{name}.txt").write_text(talk * 2, encoding="utf-8")
    (root / "thematic.yaml").write_text("codebooks: []\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["code", str(root)]).exit_code == 0
    found = suggestions(root)
    assert "mestring" in found
    assert not {"ikke", "tak", "bit", "par", "feil", "neste", "godt", "snakk"} & set(found)


def test_a_phrase_whose_head_is_no_candidate_is_not_one_either():
    from thematic.nlp.analysis import Sentence, Token
    from thematic.suggest import _spans

    # "tv i stua": the head "tv" is too short to be a code, so the phrase is no candidate
    # (ranking looks a phrase's head up among the candidates: at 5M words this was a KeyError)
    tokens = (Token(0, 2, "tv", "NOUN"), Token(3, 4, "i", "FUNC"), Token(5, 10, "stue", "NOUN"))
    assert [span[0] for span in _spans(Sentence(0, 10, tokens))] == ["stue"]


def _study(tmp_path: Path, interviews: dict[str, str], participants: str = "") -> Path:
    root = tmp_path / "s"
    (root / "interviews").mkdir(parents=True)
    for name, text in interviews.items():
        (root / "interviews" / name).write_text(text, encoding="utf-8")
    (root / "thematic.yaml").write_text("codebooks: []\n", encoding="utf-8")
    if participants:
        (root / "participants.yaml").write_text(participants, encoding="utf-8")
    return root


def _coded(root: Path) -> dict[str, dict]:
    """Phase 2 run through the core API (as the CLI does), then its suggestions by id."""
    from thematic.project import load_project
    from thematic.runner import run_phases

    run_phases(load_project(root), until="code")
    return suggestions(root)


def test_a_noun_used_twice_in_one_unlabelled_file_is_suggested_from_two_voices(tmp_path: Path):
    # A file of quotes from many counsellors: each paragraph is a voice, not the file one person.
    quotes = "Skreddersøm er kjernen i jobben.\n\nUten skreddersøm faller folk fra.\n\nVi har ikke tid.\n"
    found = _coded(_study(tmp_path, {"sitater.txt": quotes}))
    evidence = found["skreddersom"]["evidence"]
    assert (evidence["frequency"], evidence["participants"], evidence["voices"], evidence["items"]) == (2, 0, 2, 1)
    assert {e["participant"] for e in found["skreddersom"]["extracts"]} == {"sitater#1", "sitater#2"}


@pytest.mark.parametrize("voices, suggested", [("", False), ("gruppe: {voices: anonymous}\n", True)])
def test_a_group_whose_speakers_share_one_label_counts_turns_only_when_told(tmp_path: Path, voices: str, suggested: bool):
    group = ("Intervjuer: Hva er vanskelig?\n\nDeltaker: Porteføljen er for stor.\n\n"
             "Deltaker: Ja, porteføljen min også.\n\nIntervjuer: Mm.\n\nDeltaker: Enig.\n")
    found = _coded(_study(tmp_path, {"gruppe.txt": group}, voices))
    assert ("portefolje" in found) is suggested
    if suggested:
        assert found["portefolje"]["evidence"]["voices"] == 2 and found["portefolje"]["evidence"]["participants"] == 0


def test_a_word_family_is_one_suggestion_with_all_its_forms(tmp_path: Path):
    found = _coded(_study(tmp_path, {
        "a.txt": "Intervjuer: Hvordan?\n\nMentor: Samarbeidet er godt. Vi samarbeider hver uke.\n\nMentor: Ja.\n",
        "b.txt": "Intervjuer: Og?\n\nMentor: Samarbeid tar tid. Motivasjonen er høy, og [hen] er motivert.\n\nMentor: Ja.\n",
        "c.txt": "Intervjuer: Og?\n\nMentor: Vi prøver å motivere [hen] og å samarbeide.\n\nMentor: Ja.\n",
    }))
    samarbeid, motivasjon = found["samarbeid"]["evidence"], found["motivasjon"]["evidence"]
    assert samarbeid["family"] == ["samarbeid", "samarbeide"] and samarbeid["frequency"] == 4
    assert {"samarbeider", "samarbeide", "samarbeidet", "samarbeid"} <= set(samarbeid["forms"])
    assert motivasjon["family"] == ["motivasjon", "motivere"]
    assert set(motivasjon["forms"]) == {"motivasjonen", "motivert", "motivere"} and motivasjon["participants"] == 2
    assert not {"samarbeide", "motivere"} & set(found)  # verbs join their noun, never stand alone
    assert [e["id"] for e in found["samarbeid"]["extracts"]] == ["a:30", "a:51", "b:25", "c:25"]  # per sentence, in order


@pytest.mark.parametrize("lemma, pos, noun", [
    ("samarbeide", "VERB", "samarbeid"), ("tilpasse", "VERB", "tilpasning"), ("oppleve", "VERB", "opplevelse"),
    ("motivere", "VERB", "motivasjon"), ("motivert", "ADJ", "motivasjon"), ("tilpasset", "ADJ", "tilpasning"),
    ("trygg", "ADJ", "trygghet"), ("støtte", "VERB", "støtte"), ("mestre", "VERB", "mestring"),
])
def test_derivation_rule_links_verbs_and_adjectives_to_their_nouns(lemma: str, pos: str, noun: str):
    from thematic.suggest import derived_nouns

    assert noun in derived_nouns(lemma, pos)


def test_short_verbs_do_not_join_a_homonym_noun():
    from thematic.suggest import derived_nouns

    assert "lag" not in derived_nouns("lage", "VERB") and "føl" not in derived_nouns("føle", "VERB")


def test_a_phrase_is_a_variant_of_its_head_not_a_suggestion_of_its_own(tmp_path: Path):
    found = _coded(_study(tmp_path, {
        "a.txt": "Mentor: Det er høyt tempo på lageret. Tempo om morgenen er verst.\n\nMentor: Ja.\n",
        "b.txt": "Mentor: Høyt tempo hele dagen. Tempo om morgenen er tøft.\n\nMentor: Tempo, tempo.\n",
    }))
    assert [k for k in found if "tempo" in k] == ["tempo"]
    assert found["tempo"]["evidence"]["variants"] == ["høyt tempo", "tempo om morgenen"]
    assert found["tempo"]["evidence"]["frequency"] == 6


def test_an_adjective_noun_phrase_is_an_idea_of_its_own_unless_its_adjective_is_light(tmp_path: Path):
    found = _coded(_study(tmp_path, {
        "a.txt": "Mentor: Psykisk helse betyr mye. Helsa er viktig, og høyt tempo sliter.\n\nMentor: Tempo, ja.\n",
        "b.txt": "Mentor: Vi snakker om psykisk helse. Helsa først. Høyt tempo hele dagen.\n\nMentor: Tempo.\n",
    }))
    assert found["psykisk-helse"]["label"] == "psykisk helse" and found["psykisk-helse"]["evidence"]["frequency"] == 2
    assert "variants" not in found["helse"]["evidence"]  # the phrase is not folded into its noun
    assert found["tempo"]["evidence"]["variants"] == ["høyt tempo"] and "hoyt-tempo" not in found


def test_an_adjective_noun_phrase_less_telling_than_its_noun_stays_its_variant():
    """Telling = the score, not the keyness alone: "rolige oppgaver" is keyer than "oppgave" (its
    words seldom meet in general Norwegian) but two speakers said it, ten said oppgave."""
    from thematic.suggest import Candidate, rank

    found = {"oppgave": Candidate("oppgave", "oppgave", 16, Counter(oppgave=6, oppgaver=6, oppgaven=2, oppgavene=2),
                                  2 ** 10 - 1),  # units 0-9, as bits
             "rolig oppgave": Candidate("rolig oppgave", "oppgave", 2, Counter({"rolige oppgaver": 2}), 0b11),
             "helse": Candidate("helse", "helse", 9, Counter(helse=7, helsa=2), 2 ** 7 - 1),
             "psykisk helse": Candidate("psykisk helse", "helse", 4, Counter({"psykisk helse": 4}), 0b111)}
    params = {"min_count": 2, "min_participants": 2, "smoothing": 10.0, "min_phrase_share": 0.1}
    ranked = {s.candidate.lemma: s for s in rank(found, 20_000, 17, params)}
    assert set(ranked) == {"oppgave", "helse", "psykisk helse"}
    assert [v.lemma for v in ranked["oppgave"].variants] == ["rolig oppgave"] and not ranked["helse"].variants


def test_a_phrase_is_no_more_common_in_general_norwegian_than_its_words_together():
    """The independence estimate x ASSOCIATION caps a phrase's general frequency, so a phrase of
    common words used often here is key (its share of its noun alone made it never so)."""
    from thematic.suggest import ASSOCIATION, Candidate, _reference
    from thematic.nlp.reference import reference_frequency

    head, phrase = Candidate("helse", "helse", count=4), Candidate("psykisk helse", "helse", count=2)
    alone = reference_frequency("psykisk", ()) * reference_frequency("helse", ())
    assert _reference(phrase, {"helse": head}) == pytest.approx(alone * ASSOCIATION)
    assert _reference(phrase, {"helse": head}) < reference_frequency("helse", ()) / 2


def test_acronyms_in_capitals_are_suggested_but_not_the_study_s_own_roles(tmp_path: Path):
    found = _coded(_study(tmp_path, {
        "a.txt": "Intervjuer: Og?\n\nInformant: Jeg fikk AAP i fjor. NAV ringte.\n\nInformant: DPS hjalp.\n",
        "b.txt": "Intervjuer: Og?\n\nInformant: AAP er lite penger. NAV er tungt.\n\nInformant: DPS, ja.\n",
    }, "a: {role: NAV-veileder}\nb: {role: ungdom}\n"))
    assert found["aap"]["label"] == "AAP" and found["aap"]["evidence"]["participants"] == 2
    assert "dps" in found and "nav" not in found


def test_the_replaced_suggestion_algorithm_is_refused_with_the_fix(study: Path):
    (study / "thematic.yaml").write_text("codebooks: []\nphases:\n  code: {suggest: keyness.v1}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["code", str(study)])
    assert result.exit_code == 1
    assert "keyness.v1 is replaced" in result.output and "write suggest: keyness.v2" in result.output.replace("\n", " ")


def _tallies(nouns: list, related: list, sentences: list[int]) -> dict:
    """An item's tallies in the cached format, from [word, head, count, forms, turns, sentences]
    rows (related: [word class, lemma, ...])."""
    from thematic.candidates import pack, tally_columns

    return {"total": 6, "sentences": pack(sentences, "<i8"), "nouns": [n[0] for n in nouns],
            "heads": [n[1] if n[1] != n[0] else "" for n in nouns], "related_pos": [r[0] for r in related],
            "related": [r[1] for r in related], **tally_columns([row[2:] for row in nouns + related])}


def test_merged_candidates_keep_no_decoded_counts_alive():
    """A 1M-word corpus has some 20,000 candidates: one is made only when asked for, and keeps
    its places as one int64 array into the merge's shared sentence tables, not the item's
    decoded lists, and has no per-object __dict__."""
    from array import array

    from thematic.suggest import merge_counts

    counts = _tallies([["tempo", "tempo", 2, {"tempo": 2}, [1], [0, 1]], ["lager", "lager", 1, {"lageret": 1}, [1], [1]]],
                      [["VERB", "lagre", 1, {"lagret": 1}, [1], [0]]], [0, 1, 20, 21, 1, 40])
    found, total = merge_counts([("a", {1: "p"}, counts), ("b", {1: "q"}, counts)])
    assert not found.made and set(found) == {"tempo", "lager"}
    tempo = found["tempo"]
    assert isinstance(tempo.coded, array) and tempo.table is found["lager"].table
    assert all(isinstance(t, array) for t in tempo.table.sentences) and tempo.items == {"a", "b"}
    assert [(p.item, p.start) for p in tempo.places] == [("a", 0), ("a", 21), ("b", 0), ("b", 21)]
    assert not hasattr(tempo, "__dict__") and total == 12
    assert tempo.units == {"p", "q"} and tempo.reach == 2 and isinstance(tempo.unit_bits, int)
    assert set(found.made) == {"tempo", "lager"}


def test_a_family_word_joins_its_noun_after_the_noun_s_own_forms_and_places():
    """As if summed one by one: the noun's forms and places over all items in data order, then
    each family word's (in order of word class and lemma); a family word joining no noun is
    dropped, and the candidates below the thresholds are never made."""
    from thematic.suggest import merge_counts, rank

    a = _tallies([["samarbeid", "samarbeid", 2, {"samarbeidet": 1, "samarbeid": 1}, [1], [1]]],
                 [["VERB", "samarbeide", 1, {"samarbeider": 1}, [3], [0]], ["VERB", "snakke", 1, {"snakker": 1}, [1], [1]]],
                 [0, 1, 20, 21, 1, 40, 50, 3, 60])
    b = _tallies([["rot", "rot", 1, {"rot": 1}, [1], [0]], ["samarbeid", "samarbeid", 1, {"samarbeidene": 1}, [1], [0]]],
                 [["VERB", "samarbeide", 1, {"samarbeidet": 1}, [1], [0]], ["ADJ", "rotete", 1, {"rotete": 1}, [1], [0]]],
                 [0, 1, 20])
    found, _ = merge_counts([("a", {1: "p", 3: "q"}, a), ("b", {1: "r"}, b)])
    cand = found["samarbeid"]
    assert (cand.count, cand.reach, cand.family) == (5, 3, frozenset({"samarbeide"}))
    assert list(cand.forms.items()) == [("samarbeidet", 2), ("samarbeid", 1), ("samarbeidene", 1), ("samarbeider", 1)]
    assert list(cand.coded) == [1, 1 << 32, 0, 1 << 32]
    assert [(p.item, p.start) for p in cand.places] == [("a", 0), ("a", 21), ("b", 0)]
    assert set(found) == {"samarbeid", "rot"}
    ranked = rank(found, 100, 3, {"min_count": 2, "min_participants": 2, "smoothing": 10.0, "min_phrase_share": 0.1})
    assert [s.candidate.lemma for s in ranked] == ["samarbeid"] and "rot" not in found.made
