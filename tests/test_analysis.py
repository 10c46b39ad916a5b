"""The cached per-document analysis: what it keeps, that a cached re-run does no NLP work, that a
long text is analysed in chunks with the same result, and what a cache that cannot be written does."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from thematic.corpus import read_document
from thematic.errors import ArtefactError
from thematic import artefacts as atomic
from thematic.nlp import analysis
from thematic.nlp.analysis import CHUNK_CHARS, analyse_corpus, analyse_document
from thematic.nlp.chunks import Chunker, turn_gaps
from thematic.nlp.lemmas import Lemmatiser
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


# --- long texts: analysed in chunks, with the one-doc result --------------------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "arbeidsinkludering" / "interviews"


def _same(a, b) -> bool:
    return a.lemmas == b.lemmas and a.tags == b.tags and all(
        getattr(a, name) == getattr(b, name) for name in ("start", "end", "lemma", "tag", "sentences"))


@pytest.mark.parametrize("name", ["mentor-02.txt", "mentor-05.txt", "gruppe-01.txt"])
@pytest.mark.parametrize("limit", [250, 600, 3000])
def test_a_transcript_analysed_in_chunks_equals_its_one_doc_analysis(pipeline, name, limit):
    # mentor-05 has "utdanning i. Jeg" (spaCy keeps "i." whole: no sentence end there) and
    # mentor-02 'veien. "Føler' (the quote still belongs to the sentence before): cuts avoid both.
    doc = read_document(EXAMPLE / name, {"Intervjuer"})
    whole = analyse_document(doc, pipeline)
    spans = Chunker(doc.text, turn_gaps(doc.text, [(t.start, t.end) for t in doc.turns]), pipeline.nlp.tokenizer).spans(limit)
    assert len(spans) > 3 and spans[0][0] == 0 and spans[-1][1] == len(doc.text)
    assert all(b - a <= limit and b == c for (a, b), (c, _) in zip(spans, spans[1:] + [(len(doc.text), 0)]))
    inside_turns = [b for _, b in spans if any(t.start < b < t.end for t in doc.turns)]
    assert inside_turns or limit == 3000  # small limits cut after sentences inside turns too
    assert _same(analyse_document(doc, pipeline, chunk_chars=limit), whole)


def test_the_chunk_size_fits_the_pipeline():
    assert CHUNK_CHARS <= load_pipeline("blank").nlp.max_length


@pytest.mark.parametrize("text, limit, cut", [
    ("Vi tok f.eks. toget. Det gikk fint.", 25, len("Vi tok f.eks. toget. ")),  # not after "f.eks."
    ("Vi tok f.eks. toget hjem", 18, len("Vi tok f.eks. ")),  # no sentence end: the last space
    ("Ja. [navn. fjernet] sa det", 14, len("Ja. ")),  # never inside a marker
    ("abcdefghijklmnopqrstuvwxyz", 10, 10),  # no space at all: a hard cut
])
def test_chunks_are_cut_after_a_sentence_else_at_a_space_else_anywhere(pipeline, text, limit, cut):
    assert Chunker(text, [], pipeline.nlp.tokenizer).cut(0, limit) == cut


def test_a_huge_line_without_spaces_is_analysed_in_chunks_not_refused(pipeline, tmp_path: Path, monkeypatch):
    path = tmp_path / "linje.txt"
    path.write_text("abc" * 20_000 + "\n", encoding="utf-8")
    doc = read_document(path, {"Intervjuer"})
    monkeypatch.setattr(pipeline.nlp, "max_length", 20_000)  # what E088 refused: a text over max_length
    monkeypatch.setattr(analysis, "CHUNK_CHARS", 10_000)
    result = analyse_corpus([doc], pipeline, tmp_path / "cache")[doc.id]
    words = [(t.start, t.end) for _, s in result.iter_sentences() for t in s.tokens]
    assert len(words) == 6 and words[0][0] == 0 and words[-1][1] == doc.turns[0].end == 60_000
    assert all(end == start for (_, end), (start, _) in zip(words, words[1:]))  # the whole line, in pieces


def test_a_very_long_word_is_lemmatised_without_trying_every_split(pipeline):
    """The compound fallback tried every head of a word: a 1M-letter "word" took minutes."""

    class Counting(dict):
        gets = 0

        def get(self, key, default=None):
            Counting.gets += 1
            return super().get(key, default)

    lemmatiser = Lemmatiser(Counting({"hund": "N:hund", "hunder": "N:hund"}))
    assert lemmatiser("x" * 100_000) == ("x" * 100_000, "X")
    assert Counting.gets < 20
    assert lemmatiser("gatehunder") == ("gatehund", "NOUN")


# --- the cache: atomic, and what happens when it cannot be written ---------------------------------

def _fail_with(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return fail


def test_a_full_disk_stops_with_one_line_naming_the_cache_file_and_leaves_no_temp_file(doc, pipeline, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setattr(atomic.os, "fsync", _fail_with(errno.ENOSPC))
    with pytest.raises(ArtefactError) as caught:
        analyse_corpus([doc], pipeline, cache)
    message = str(caught.value)
    assert "\n" not in message and message.endswith(": cannot write (No space left on device)")
    assert message.startswith(str(cache / "")) and message.split(":")[0].endswith(".bin")
    assert list(cache.iterdir()) == []


def test_a_failed_rewrite_keeps_the_old_cache_file(doc, pipeline, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    analyse_corpus([doc], pipeline, cache)
    (old,) = cache.iterdir()
    before = old.read_bytes()
    old.write_bytes(before[:40])  # damaged: it will be recomputed and rewritten
    monkeypatch.setattr(atomic.os, "replace", _fail_with(errno.EIO))
    with pytest.raises(ArtefactError, match="cannot write"):
        analyse_corpus([doc], pipeline, cache)
    assert [p.name for p in cache.iterdir()] == [old.name] and old.read_bytes() == before[:40]


def test_a_read_only_cache_is_skipped_with_one_warning(doc, pipeline, tmp_path, monkeypatch):
    other = read_document(_write(tmp_path / "annen.txt", TEXT.replace("Ja.", "Nei.")), {"Intervjuer"})
    monkeypatch.setattr(atomic.tempfile, "mkstemp", _fail_with(errno.EROFS))
    warnings: list[str] = []
    result = analyse_corpus([doc, other], pipeline, tmp_path / "cache", warn=warnings.append)
    assert _same(result[doc.id], analyse_document(doc, pipeline)) and set(result) == {doc.id, other.id}
    assert len(warnings) == 1 and "Read-only file system" in warnings[0] and "\n" not in warnings[0]
    assert not any((tmp_path / "cache").iterdir())


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway (chmod cannot test it)")
def test_a_chmod_read_only_cache_folder_is_skipped(doc, pipeline, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o555)
    try:
        warnings: list[str] = []
        assert analyse_corpus([doc], pipeline, cache, warn=warnings.append)[doc.id].lemmas
        assert len(warnings) == 1 and "Permission denied" in warnings[0]
    finally:
        cache.chmod(0o755)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_past_the_held_text_analyses_are_left_in_the_cache_and_read_when_used(doc, pipeline, tmp_path, monkeypatch):
    """A 10M-word corpus's analyses held through every phase took ~380 MB: past HELD_CHARS each
    one is read from the cache when used (made again if the cache lost it), the same analysis."""
    other = read_document(_write(tmp_path / "annen.txt", TEXT.replace("Ja.", "Nei.")), {"Intervjuer"})
    monkeypatch.setattr(analysis, "HELD_CHARS", len(doc.text))  # the first document only
    cache = tmp_path / "cache"
    result = analyse_corpus([doc, other], pipeline, cache)
    assert list(result) == [doc.id, other.id] and set(result._held) == {doc.id}
    assert result[other.id] is not result[other.id]  # read afresh at each use, never kept
    assert _same(result[other.id], analyse_document(other, pipeline)) and result[other.id].key == result.key_of(other.id)
    for path in cache.iterdir():
        path.unlink()
    assert _same(result[other.id], analyse_document(other, pipeline))  # the cache lost it: made again
    warm = analyse_corpus([doc, other], pipeline, cache)  # read from the cache: the same split
    assert set(warm._held) == {doc.id} and _same(warm[other.id], result[other.id])


def test_analyses_the_cache_cannot_keep_are_all_held(doc, pipeline, tmp_path, monkeypatch):
    other = read_document(_write(tmp_path / "annen.txt", TEXT.replace("Ja.", "Nei.")), {"Intervjuer"})
    monkeypatch.setattr(analysis, "HELD_CHARS", 0)
    monkeypatch.setattr(atomic.tempfile, "mkstemp", _fail_with(errno.EROFS))
    result = analyse_corpus([doc, other], pipeline, tmp_path / "cache", warn=[].append)
    assert set(result._held) == {doc.id, other.id}
