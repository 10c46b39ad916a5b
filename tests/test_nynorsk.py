"""Nynorsk: `language: nn` lemmatises Nynorsk, `auto` detects it per file, an unknown language
is refused, and bokmål analysis is what it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.context import Context
from thematic.corpus import read_document
from thematic.errors import ProjectError
from thematic.nlp.analysis import _cache_key, analyse_corpus, analyse_document
from thematic.nlp.language import detect
from thematic.nlp.lemmas import Lemmatiser
from thematic.nlp.nynorsk import NynorskLemmatiser
from thematic.nlp.pipeline import PIPELINE_NAME, load_pipeline
from thematic.nlp.stopwords import is_stop
from thematic.phases import familiarise
from thematic.project import load_project

NYNORSK = ("Intervjuar: Korleis ser NAV på brukarane sine?\n\n"
           "Informant: Eg trur ikkje dei veit kva brukarane treng. Arbeidsgivaren vart glad, "
           "og eg fekk jobben. Då gjekk det mykje betre.\n")
BOKMAL = ("Intervjuer: Hvordan ser NAV på brukerne sine?\n\n"
          "Informant: Jeg tror ikke de vet hva brukerne trenger. Arbeidsgiveren ble glad, "
          "og jeg fikk jobben. Da gikk det mye bedre.\n")


@pytest.fixture(scope="module")
def nynorsk() -> NynorskLemmatiser:
    return NynorskLemmatiser()


@pytest.mark.parametrize("form, lemma, pos", [
    ("brukarane", "brukar", "NOUN"),
    ("Brukarane", "brukar", "NOUN"),          # sentence-initial: not a name
    ("arbeidsgivaren", "arbeidsgivar", "NOUN"),
    ("Eg", "eg", "FUNC"),                      # the pronoun, not a proper noun
    ("eg", "eg", "FUNC"),
    ("ikkje", "ikkje", "FUNC"),
    ("mykje", "mykje", "FUNC"),
    ("vart", "verte", "VERB"),                 # bokmål reads it as the adjective "vare"
    ("fekk", "få", "VERB"),
    ("gjekk", "gå", "VERB"),
    ("snakkar", "snakke", "VERB"),             # bokmål made it a noun
    ("skulen", "skule", "NOUN"),
    ("hjelpte", "hjelpe", "VERB"),             # simplemma's a-infinitive "hjelpa" as e-infinitive
    ("NAV", "NAV", "PROPN"),
])
def test_nynorsk_lemma_and_word_class(nynorsk, form, lemma, pos):
    assert nynorsk(form) == (lemma, pos)


@pytest.mark.parametrize("word", ["ikkje", "eg", "kva", "korleis", "dykk", "dei", "mykje", "berre", "no", "heime"])
def test_nynorsk_closed_class_words_are_stop_words(nynorsk, word):
    assert is_stop(*nynorsk(word))


def test_context_picks_the_nynorsk_reading_of_the_class_it_asks_for(nynorsk):
    assert nynorsk("del", "ein") == ("del", "NOUN")


def _doc(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, {"Intervjuar", "Intervjuer"})


def _tokens(doc, analysis) -> dict[str, tuple[str, str]]:
    return {doc.text[t.start:t.end]: (t.lemma, t.pos) for _, s in analysis.iter_sentences() for t in s.tokens}


def test_the_nynorsk_pipeline_reads_a_transcript(tmp_path: Path):
    doc = _doc(tmp_path, "ung.txt", NYNORSK)
    tokens = _tokens(doc, analyse_document(doc, load_pipeline("blank", "nn")))
    assert tokens["Eg"] == ("eg", "FUNC") and tokens["ikkje"] == ("ikkje", "FUNC")
    assert tokens["brukarane"] == ("brukar", "NOUN") and tokens["Arbeidsgivaren"] == ("arbeidsgivar", "NOUN")
    assert tokens["vart"] == ("verte", "VERB") and tokens["gjekk"] == ("gå", "VERB")


@pytest.mark.parametrize("text, language", [(BOKMAL, "nb"), (NYNORSK, "nn"), ("Informant: Ja. Nei.\n", "nb")])
def test_auto_detects_the_language_of_a_snippet(text, language):
    assert detect(text) == language


def test_auto_reads_each_file_in_its_own_language_and_caches_them_apart(tmp_path: Path):
    nn, nb = _doc(tmp_path, "nn.txt", NYNORSK), _doc(tmp_path, "nb.txt", BOKMAL)
    cache = tmp_path / "cache"
    auto = load_pipeline("blank", "auto")
    analyses = analyse_corpus([nn, nb], auto, cache)
    assert _tokens(nn, analyses["nn"])["brukarane"] == ("brukar", "NOUN")
    assert _tokens(nb, analyses["nb"])["brukerne"] == ("bruker", "NOUN")
    assert _tokens(nb, analyses["nb"])["Jeg"] == ("jeg", "FUNC")
    assert [auto.for_text(d.text).language for d in (nn, nb)] == ["nn", "nb"]
    # the same Nynorsk file under `language: nb` is another cache entry, never the nn one
    analyse_corpus([nn], load_pipeline("blank", "nb"), cache)
    assert len(list(cache.glob("*.bin"))) == 3


def test_bokmal_keeps_its_pipeline_and_cache_keys(tmp_path: Path):
    """nb is what it was before Nynorsk existed: same pipeline name and fingerprint inputs, and
    the same cache key as the old formula (no language part); auto gives a bokmål file the same."""
    nb = load_pipeline("blank")
    assert nb is load_pipeline("blank", "nb") and nb.name == PIPELINE_NAME
    assert nb.nlp.pipe_names == ["thematic_norwegian"] and "simplemma" not in nb.version
    doc = _doc(tmp_path, "nb.txt", BOKMAL)
    fingerprint = nb.describe()["fingerprint"]
    assert _cache_key(doc, fingerprint) == _cache_key(doc, fingerprint, "nb") != _cache_key(doc, fingerprint, "nn")
    assert load_pipeline("blank", "auto").for_text(doc.text) is nb
    assert Lemmatiser()("Eg") == ("Eg", "PROPN")  # bokmål reading of the nn pronoun: unchanged in nb


def _study(tmp_path: Path, language: str) -> Path:
    (tmp_path / "interviews").mkdir(parents=True, exist_ok=True)
    (tmp_path / "thematic.yaml").write_text(f"title: Språk\nlanguage: {language}\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("language", ["en", "nynorsk", "NN", "''"])
def test_an_unknown_language_is_refused_with_its_line_and_the_allowed_values(tmp_path: Path, language):
    with pytest.raises(ProjectError) as raised:
        load_project(_study(tmp_path, language))
    message = str(raised.value)
    assert "thematic.yaml:2:" in message and "allowed: nb, nn, auto" in message and "\n" not in message


@pytest.mark.parametrize("language", ["nb", "nn", "auto"])
def test_the_known_languages_are_accepted(tmp_path: Path, language):
    assert load_project(_study(tmp_path, language)).settings["language"] == language


def test_phase_one_records_each_items_language_under_auto(tmp_path: Path):
    study = _study(tmp_path, "auto")
    (study / "interviews" / "ung.txt").write_text(NYNORSK, encoding="utf-8")
    (study / "interviews" / "mentor.txt").write_text(BOKMAL, encoding="utf-8")
    ctx = Context(load_project(study))
    ctx.__dict__["pipeline"] = load_pipeline("blank", "auto")  # what Context loads for language: auto
    items = familiarise.run(ctx, ctx.project.params("familiarise"))["items"]
    assert {i["id"]: i["language"] for i in items} == {"mentor": "nb", "ung": "nn"}


def test_a_bokmal_study_records_no_language(tmp_path: Path):
    study = _study(tmp_path, "nb")
    (study / "interviews" / "mentor.txt").write_text(BOKMAL, encoding="utf-8")
    ctx = Context(load_project(study))
    items = familiarise.run(ctx, ctx.project.params("familiarise"))["items"]
    assert "language" not in items[0]


def test_a_nynorsk_study_is_lemmatised_as_nynorsk_end_to_end_and_switching_language_reruns_it(tmp_path):
    from helpers import invoke, load

    study = tmp_path / "nn"
    (study / "interviews").mkdir(parents=True)
    talk = ("Intervjuar: Korleis var det?\n\nInformant: Eg synest brukarane fekk mykje hjelp. Brukarane treng "
            "arbeidsgivarane, og arbeidsgivaren ringde kvar veke.\n\nIntervjuar: Ja?\n\nInformant: Ja, brukarane.\n")
    for name in ("a", "b"):
        (study / "interviews" / f"{name}.txt").write_text(talk, encoding="utf-8")
    (study / "thematic.yaml").write_text("language: nn\ncorpus:\n  interviewer_labels: [Intervjuar]\ncodebooks: []\n",
                                         encoding="utf-8")
    assert invoke("run", study).exit_code == 0
    suggested = {c["evidence"]["lemma"] for c in load(study, "2-codes.yaml")["codes"] if c["origin"] == "suggested"}
    assert "brukar" in suggested and "brukarane" not in suggested and "ikkje" not in suggested
    (study / "thematic.yaml").write_text("language: nb\ncorpus:\n  interviewer_labels: [Intervjuar]\ncodebooks: []\n",
                                         encoding="utf-8")
    status = invoke("status", study).output
    assert "1 familiarise" in status and "stale" in status.split("2 code")[0]


@pytest.mark.parametrize("lemma, spelt", [
    ("arbeidsgiver", "arbeidsgivar"), ("arbeidsgiveroppfølging", "arbeidsgivaroppfølging"),
    ("sykepenger", "sjukepengar"), ("selvtillit", "sjølvtillit"), ("følge", "følgje"), ("ikke", "ikkje"),
    ("brukar", "bruker"), ("løn", "lønn"), ("tilgjengeleg", "tilgjengelig"),
])
def test_other_spellings_give_the_word_in_the_other_written_form(lemma, spelt):
    from thematic.nlp.nynorsk import MAX_SPELLINGS, other_spellings

    spellings = other_spellings(lemma)
    assert spellings[0] == lemma and spelt in spellings and len(spellings) <= MAX_SPELLINGS


@pytest.mark.parametrize("lemma", ["lønn", "høre", "tro", "psykolog", "samarbeid"])
def test_other_spellings_leave_alone_what_has_no_other_spelling(lemma):
    from thematic.nlp.nynorsk import other_spellings

    assert other_spellings(lemma) == [lemma] or lemma == "lønn" and other_spellings(lemma) == ["lønn", "løn"]
