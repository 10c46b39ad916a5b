"""The blank-nb pipeline with our Ordbank lexicon, on hand-written Norwegian."""

import pytest

from thematic.nlp.lemmas import Lemmatiser
from thematic.nlp.pipeline import load_pipeline


@pytest.fixture(scope="module")
def lemmatiser() -> Lemmatiser:
    return Lemmatiser()


@pytest.mark.parametrize("form, prev, lemma, pos", [
    ("skreddersømmen", "", "skreddersøm", "NOUN"),
    ("veilederne", "", "veileder", "NOUN"),
    ("porteføljen", "", "portefølje", "NOUN"),
    ("kollegene", "", "kollega", "NOUN"),
    ("går", "hun", "gå", "VERB"),
    ("jobbe", "å", "jobbe", "VERB"),
    ("hybridmodellen", "", "hybridmodell", "NOUN"),        # unknown compound -> known head
    ("trepartsmøter", "", "trepartsmøte", "NOUN"),         # head "møter" is verb-first, noun as a head
    ("brukermedvirkningen", "", "brukermedvirkning", "NOUN"),
    ("NAV-veilederens", "", "NAV-veileder", "NOUN"),      # hyphenated: lemma of the last part
    ("brukernes", "", "bruker", "NOUN"),
    ("NAV", "", "NAV", "PROPN"),
    ("og", "", "og", "FUNC"),
])
def test_lemma_and_word_class(lemmatiser, form, prev, lemma, pos):
    assert lemmatiser(form, prev) == (lemma, pos)


def test_pipeline_keeps_markers_whole_and_splits_sentences():
    pipeline = load_pipeline("blank")
    doc = pipeline.nlp("Vi møtte [navn fjernet] i går. (ler) Skreddersømmen tar tid!")
    assert "[navn fjernet]" in [t.text for t in doc] and "(ler)" in [t.text for t in doc]
    assert [s.text for s in doc.sents] == ["Vi møtte [navn fjernet] i går.", "(ler) Skreddersømmen tar tid!"]
    assert pipeline.nlp.max_length >= 10_000_000
    assert set(pipeline.describe()) == {"name", "version", "fingerprint"}


@pytest.mark.parametrize("keyword, lemma", [("mestre", "mestre"), ("tørre", "tørre"), ("veilederne", "veileder")])
def test_codebook_keywords_that_are_lemmas_stay_as_written(lemmatiser, keyword, lemma):
    assert lemmatiser.keyword_lemma(keyword) == lemma
