"""The cached per-document analysis: what it keeps, and that a cached re-run does no NLP work."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.corpus import read_document
from thematic.nlp.analysis import analyse_corpus, analyse_document
from thematic.nlp.pipeline import load_pipeline

TEXT = ("Intervjuer: Hvordan går det?\n\n"
        "Mentor: Skreddersømmen tar tid. (ler) [hen] mestrer oppgavene!\n\nNy linje her.\n\n"
        "Intervjuer: Mm.\n\nMentor: Ja.\n")


@pytest.fixture(scope="module")
def pipeline():
    return load_pipeline("blank")


@pytest.fixture()
def doc(tmp_path: Path):
    path = tmp_path / "mentor.txt"
    path.write_text(TEXT, encoding="utf-8")
    return read_document(path, {"Intervjuer"})


def test_sentences_and_words_of_each_turn_point_into_the_text(doc, pipeline):
    analysis = analyse_document(doc, pipeline)
    mentor = doc.turns[1]
    sentences = analysis.turn_sentences(mentor.index)
    assert [doc.text[s.start:s.end] for s in sentences] == [
        "Skreddersømmen tar tid.", "(ler) [hen] mestrer oppgavene!", "Ny linje her."]
    words = [(doc.text[t.start:t.end], t.lemma, t.pos) for t in sentences[0].tokens]
    assert words == [("Skreddersømmen", "skreddersøm", "NOUN"), ("tar", "ta", "VERB"), ("tid", "tid", "NOUN")]
    second = [t.lemma for t in sentences[1].tokens]
    assert "(ler)" not in second and "[hen]" not in second and "mestre" in second
    labels = {doc.text[t.start:t.end] for _, s in analysis.iter_sentences() for t in s.tokens}
    assert "Mentor" not in labels and "Intervjuer" not in labels  # speaker labels are not words


def test_a_cached_rerun_does_no_nlp_work_and_a_damaged_cache_is_rebuilt(doc, pipeline, tmp_path: Path):
    cache = tmp_path / "cache"
    first = analyse_corpus([doc], pipeline, cache)

    class NoNLP:
        def __call__(self, *args, **kwargs):
            raise AssertionError("the pipeline ran on a cached document")

        def __getattr__(self, name):
            return getattr(pipeline, name)

    guarded = type(pipeline)(NoNLP(), pipeline.name, pipeline.version, pipeline.trained)
    object.__setattr__(guarded, "describe", pipeline.describe)
    again = analyse_corpus([doc], guarded, cache)
    assert again[doc.id].sentences == first[doc.id].sentences and again[doc.id].lemmas == first[doc.id].lemmas
    (cache_file,) = cache.iterdir()
    cache_file.write_bytes(cache_file.read_bytes()[:40])
    rebuilt = analyse_corpus([doc], pipeline, cache)
    assert rebuilt[doc.id].sentences == first[doc.id].sentences
