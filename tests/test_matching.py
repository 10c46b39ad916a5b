from array import array

import pytest
import spacy

from thematic.matching import KeywordMatcher, parse_keyword
from thematic.nlp.analysis import DocAnalysis


def analysis_of(*lemmas: str) -> tuple[DocAnalysis, str]:
    """One sentence whose words are the given lemmas (as their own surface forms)."""
    text = " ".join(lemmas)
    starts, pos = [], 0
    for lemma in lemmas:
        starts.append(pos)
        pos += len(lemma) + 1
    a = DocAnalysis(lemmas=list(lemmas), tags=["NOUN"], start=array("q", starts),
                    end=array("q", [s + len(w) for s, w in zip(starts, lemmas)]),
                    lemma=array("q", range(len(lemmas))), tag=array("q", [0] * len(lemmas)),
                    sentences=array("q", [1, 0, len(text), 0, len(lemmas)]))
    return a, text


def codes_in(raw: str, *lemmas: str) -> dict:
    matcher = KeywordMatcher(spacy.blank("nb").vocab, {"k": [parse_keyword(raw, str.lower, 6)]})
    a, text = analysis_of(*lemmas)
    return {s: dict(c) for s, c in matcher.sentence_codes(a, text).items()}


def test_long_keywords_match_as_compound_heads():
    assert codes_in("oppfølging", "arbeidsgiveroppfølging") == {0: {"k": {"arbeidsgiveroppfølging"}}}


@pytest.mark.parametrize("raw, lemmas, hit", [
    ("mål", ("spørsmål",), False),
    ("*tid", ("arbeidstid",), True),
    ("tid", ("tid",), True),
    ("tett oppfølging", ("veldig", "tett", "oppfølging"), True),
    ("tett oppfølging", ("tett", "og", "oppfølging"), False),
])
def test_short_keywords_whole_words_and_phrases(raw, lemmas, hit):
    assert bool(codes_in(raw, *lemmas)) is hit


def test_the_longest_keyword_head_wins_a_compound():
    matcher = KeywordMatcher(spacy.blank("nb").vocab, {"tillit": [parse_keyword("tillit", str.lower, 6)],
                                                       "selvtillit": [parse_keyword("selvtillit", str.lower, 6)]})
    a, text = analysis_of("selvtillit", "tillit")
    found = {k: set(v) for k, v in matcher.sentence_codes(a, text)[0].items()}
    assert found == {"selvtillit": {"selvtillit"}, "tillit": {"tillit"}}


def test_other_readings_count_only_where_no_context_word_decided():
    readings = {"sykmeldt": ["sykmelde", "sykmeldt"], "stol": ["stol", "stole"]}.get
    matcher = KeywordMatcher(spacy.blank("nb").vocab,
                             {"syk": [parse_keyword("sykmeldt", str.lower, 6)], "tillit": [parse_keyword("stole", str.lower, 6)]},
                             lambda form: readings(form, []), frozenset({"en"}))
    a, text = analysis_of("vært", "sykmelde")  # the lemmatiser chose the verb; the adjective is the keyword
    assert set(matcher.sentence_codes(a, text.replace("sykmelde", "sykmeldt"))[0]) == {"syk"}
    b, text_b = analysis_of("en", "stol")
    assert matcher.sentence_codes(b, text_b) == {}


@pytest.mark.parametrize("raw, lemmas", [
    ("arbeidsgiver", ("arbeidsgivar",)),                       # -giver as Nynorsk -givar
    ("arbeidsgiveroppfølging", ("arbeidsgivaroppfølging",)),   # ... inside a compound
    ("oppfølging", ("arbeidsgivaroppfølging",)),               # a head still matches
    ("bruker", ("brukar",)),                                   # -er agent noun as -ar
    ("sykepenger", ("sjukepengar",)),                          # two rules in one word
    ("tro på seg selv", ("tro", "på", "seg", "sjølv")),        # a phrase's earlier words too
    ("brukar", ("bruker",)),                                   # a Nynorsk keyword finds bokmål
])
def test_keywords_match_their_other_written_form(raw, lemmas):
    assert codes_in(raw, *lemmas) == {0: {"k": {" ".join(lemmas)}}}


@pytest.mark.parametrize("raw, lemmas", [("lønn", ("lønnnn",)), ("tillit", ("tilleit",)), ("tro", ("tru",)),
                                         ("høre til", ("høyre", "til"))])  # nb "høyre" is right, not hear
def test_other_spellings_add_no_other_words(raw, lemmas):
    assert codes_in(raw, *lemmas) == {}


def test_a_nynorsk_transcript_is_coded_with_a_bokmal_codebook(tmp_path):
    """End to end: nb keywords code nn talk (arbeidsgivaren, løna, sjølvtilliten)."""
    from helpers import load

    from thematic.project import load_project
    from thematic.runner import run_phases

    study = tmp_path / "nn"
    (study / "interviews").mkdir(parents=True)
    (study / "codebooks").mkdir()
    (study / "interviews" / "ung.txt").write_text(
        "Intervjuar: Korleis gjekk det?\n\nInformant: Eg fekk ikkje løn den første månaden, og "
        "arbeidsgivaren ringde aldri.\n\nIntervjuar: Og så?\n\nInformant: Sjølvtilliten min vart borte.\n", encoding="utf-8")
    (study / "codebooks" / "mini.yaml").write_text(
        "codebook: {id: mini, title: Mini, language: nb, version: 1}\ncodes:\n"
        "  - {id: arbeidsgiver, label: Arbeidsgiver, definition: Arbeidsgiveren., keywords: [arbeidsgiver]}\n"
        "  - {id: lonn, label: Lønn, definition: Lønn., keywords: [lønn]}\n"
        "  - {id: selvtillit, label: Selvtillit, definition: Selvtillit., keywords: [selvtillit]}\n", encoding="utf-8")
    (study / "thematic.yaml").write_text("title: Nn\nlanguage: nn\ncorpus:\n  interviewer_labels: [Intervjuar]\n"
                                         "codebooks: [mini]\n", encoding="utf-8")
    run_phases(load_project(study), until="code")
    counts = {c["id"]: c["extracts_total"] for c in load(study, "2-codes.yaml")["codes"] if c["origin"] == "codebook"}
    assert counts == {"arbeidsgiver": 1, "lonn": 1, "selvtillit": 1}


def test_words_are_looked_up_by_their_own_lower_case_where_lowering_the_text_shifts_offsets():
    """"İ" lowers to two characters: slices of the lowered text would then be other words."""
    readings = {"sykmeldt": ["sykmelde", "sykmeldt"]}.get
    matcher = KeywordMatcher(None, {"syk": [parse_keyword("sykmeldt", str.lower, 6)]}, lambda form: readings(form, []))
    a, text = analysis_of("İnger", "har", "vært", "sykmelde")
    assert set(matcher.sentence_codes(a, text.replace("sykmelde", "sykmeldt"))[0]) == {"syk"}


def test_the_memory_of_resolved_words_is_bounded_and_forgetting_changes_no_match(monkeypatch):
    """What the matcher remembers per lemma and per form grows with the corpus's distinct words
    (millions at 10M words) unless bounded."""
    import thematic.matching as matching

    words = ("arbeidsgiveroppfølging", "tett", "oppfølging", "stol", "bord", "oppfølging", "vindu")
    remembered = codes_in("oppfølging", *words)
    monkeypatch.setattr(matching, "NORMS_KEPT", 2)
    matcher = KeywordMatcher(None, {"k": [parse_keyword("oppfølging", str.lower, 6)]})
    a, text = analysis_of(*words)
    assert {s: dict(c) for s, c in matcher.sentence_codes(a, text).items()} == remembered
    assert remembered == {0: {"k": {"arbeidsgiveroppfølging", "oppfølging"}}}
    assert 0 < len(matcher.of_lemma) <= 2 and 0 < len(matcher.of_readings) <= 2
