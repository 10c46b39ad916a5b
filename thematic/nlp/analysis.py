"""Run the pipeline over every turn once and keep the result as compact columns, cached on disk.

The cache key is the document's content hash, its turn spans and the pipeline fingerprint, so
adding one interview analyses one interview, and a changed pipeline re-analyses everything; the
bokmål and Nynorsk pipelines have their own fingerprints, so their analyses never mix.
Results are read out of spaCy with `to_array` (no Token objects) into `array` columns (offsets
int32), and each lemma string is kept once for the whole corpus (interned): 1M words take ~35 MB,
not the ~1 GB that one Python object per token took (nor the 57 MB of int64 offsets and a copy
of every lemma per transcript).
"""

from __future__ import annotations

import json
import sys
from array import array
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from thematic.artefacts import canonical_hash
from thematic.corpus import Document
from thematic.nlp.chunks import Chunker, turn_gaps
from thematic.nlp.pipeline import Pipeline

CLOSED_CLASSES = frozenset({"ADP", "AUX", "CCONJ", "DET", "INTJ", "PART", "PRON", "SCONJ"})
NON_WORDS = frozenset({"PUNCT", "SYM", "NUM", "SPACE"})
CACHE_FORMAT = "columns.v4"  # v4: int32 offsets (v3: every column int64)
OFFSET = "i"  # int32 (array's "i" is 4 bytes wherever CPython runs): offsets of texts under 2 GB fit
ID = "q"  # int64: phase 1 reads lemma, tag and sentence columns as int64 buffers (familiarise._column)
CHUNK_CHARS = 1_000_000  # spaCy's default max_length: longer texts are analysed in chunks this long
Progress = Callable[[str], None]
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    lemma: str
    pos: str


@dataclass(frozen=True)
class Sentence:
    """A sentence inside one turn; offsets are absolute in the document text."""

    start: int
    end: int
    tokens: tuple[Token, ...]


@dataclass
class DocAnalysis:
    """One document's word tokens as parallel columns, and its sentences as token ranges."""

    lemmas: list[str] = field(default_factory=list)  # lemma vocabulary: id -> text
    tags: list[str] = field(default_factory=list)  # word class vocabulary: id -> tag
    start: array = field(default_factory=lambda: array(OFFSET))
    end: array = field(default_factory=lambda: array(OFFSET))
    lemma: array = field(default_factory=lambda: array(ID))
    tag: array = field(default_factory=lambda: array(ID))
    sentences: array = field(default_factory=lambda: array(ID))  # flat: turn, start, end, first, stop
    key: str = field(default="", compare=False)  # its cache key: what later per-item caches build on

    def __post_init__(self) -> None:
        self.lemmas = [sys.intern(x) for x in self.lemmas]  # one string per lemma in the corpus, not per item
        rows = self.sentences
        self._turns: dict[int, tuple[int, int]] = {}
        for k in range(0, len(rows), 5):
            lo, _ = self._turns.get(rows[k], (k // 5, 0))
            self._turns[rows[k]] = (lo, k // 5 + 1)

    def __setstate__(self, state: dict) -> None:
        """Unpickled (from a worker process): its lemmas interned like those made here."""
        self.__dict__.update(state)
        self.lemmas = [sys.intern(x) for x in self.lemmas]

    def turn_sentences(self, turn: int) -> list[Sentence]:
        """The sentences of one turn with their word tokens (built on demand)."""
        lo, hi = self._turns.get(turn, (0, 0))
        return [self._sentence(k) for k in range(lo, hi)]

    def get(self, turn: int, default: object = None) -> list[Sentence]:
        return self.turn_sentences(turn)

    def iter_sentences(self) -> Iterator[tuple[int, Sentence]]:
        """(turn index, sentence) for the whole document, in order."""
        for k in range(len(self.sentences) // 5):
            yield self.sentences[5 * k], self._sentence(k)

    def _sentence(self, k: int) -> Sentence:
        _, s, e, first, stop = self.sentences[5 * k:5 * k + 5]
        lemmas, tags = self.lemmas, self.tags
        tokens = tuple(Token(self.start[i], self.end[i], lemmas[self.lemma[i]], tags[self.tag[i]])
                       for i in range(first, stop))
        return Sentence(s, e, tokens)


def _as_array(values, typecode: str = ID) -> array:  # type: ignore[no-untyped-def]
    out = array(typecode)
    out.frombytes(values.astype(f"int{8 * out.itemsize}").tobytes())
    return out


def _vocabulary(hashes, strings, keep) -> tuple[list[str], object]:  # type: ignore[no-untyped-def]
    """Distinct hashes as a list of strings (through `keep`) and each token's index into it."""
    import numpy

    unique = numpy.unique(hashes)
    names = [keep(strings[h] if h else "") for h in unique.tolist()]
    return names, numpy.searchsorted(unique, hashes)  # half the time of unique's return_inverse


def _token_values(doc: Document, spacy_doc, offset: int = 0):  # type: ignore[no-untyped-def]
    """IDX, LENGTH, LEMMA, POS, SENT_START of the tokens inside a turn, IDX shifted by `offset`
    (where this spaCy doc's text starts in the document)."""
    import numpy
    from spacy.attrs import IDX, LEMMA, LENGTH, POS, SENT_START

    values = spacy_doc.to_array([IDX, LENGTH, LEMMA, POS, SENT_START]).astype("uint64", copy=False)
    values[:, 0] += numpy.uint64(offset)
    starts_at = numpy.array([t.start for t in doc.turns], dtype="int64")
    ends_at = numpy.array([t.end for t in doc.turns], dtype="int64")
    idx, length = values[:, 0].astype("int64"), values[:, 1].astype("int64")
    turn = numpy.searchsorted(starts_at, idx, side="right") - 1
    inside = (turn >= 0) & (idx + length <= ends_at[turn.clip(0)])
    return values[inside]


def columns(doc: Document, spacy_doc) -> DocAnalysis:  # type: ignore[no-untyped-def]
    """Word tokens and sentences of the turns, read from the whole document's arrays at once.

    Tokens outside every turn (speaker labels) are dropped; a new turn always starts a sentence.
    """
    if not doc.turns or not len(spacy_doc):
        return DocAnalysis()
    return _columns_of(doc, _token_values(doc, spacy_doc), spacy_doc.vocab.strings)


def _columns_of(doc: Document, values, strings) -> DocAnalysis:  # type: ignore[no-untyped-def]
    """The columns of the in-turn token rows of `_token_values` (one doc's, or its chunks' joined)."""
    import numpy

    if not len(values):
        return DocAnalysis()
    starts_at = numpy.array([t.start for t in doc.turns], dtype="int64")
    index = numpy.array([t.index for t in doc.turns], dtype="int64")
    idx, length = values[:, 0].astype("int64"), values[:, 1].astype("int64")
    turn = numpy.searchsorted(starts_at, idx, side="right") - 1
    lemma, pos, sent_start = values[:, 2], values[:, 3], values[:, 4]
    tags, tag_of = _vocabulary(pos, strings, lambda n: "FUNC" if n in CLOSED_CLASSES else n or "X")
    lemmas, lemma_of = _vocabulary(lemma, strings, str)
    not_word = numpy.array([t in NON_WORDS for t in tags])[tag_of]
    not_word |= numpy.array([x[:1] in ("[", "(", "") for x in lemmas])[lemma_of]
    space = numpy.array([t == "SPACE" for t in tags])[tag_of]
    new_sentence = numpy.ones(len(idx), dtype=bool)
    new_sentence[1:] = (turn[1:] != turn[:-1]) | (sent_start[1:] == 1)
    first = numpy.flatnonzero(new_sentence)
    big = numpy.iinfo("int64").max
    char_start = numpy.minimum.reduceat(numpy.where(space, big, idx), first)
    char_end = numpy.maximum.reduceat(numpy.where(space, -1, idx + length), first)
    word = ~not_word
    word_counts = numpy.add.reduceat(word.astype("int64"), first)
    word_stop = numpy.cumsum(word_counts)
    rows = numpy.stack([index[turn[first]], char_start, char_end, word_stop - word_counts, word_stop], axis=1)
    return DocAnalysis(lemmas=lemmas, tags=tags, start=_as_array(idx[word], OFFSET),
                       end=_as_array((idx + length)[word], OFFSET),
                       lemma=_as_array(lemma_of[word]), tag=_as_array(tag_of[word]),
                       sentences=_as_array(rows[char_end > char_start].reshape(-1)))


def analyse_document(doc: Document, pipeline: Pipeline, chunk_chars: int | None = None) -> DocAnalysis:
    """One spaCy pass over the whole transcript, then its turns' columns.

    A text longer than `chunk_chars` (default CHUNK_CHARS) is analysed in chunks (chunks.py) and
    their token rows joined with shifted offsets, so spaCy's max_length and per-doc memory never
    limit what can be read; cut between turns or after sentences, the result is the one-doc one.
    """
    limit = chunk_chars or CHUNK_CHARS
    if len(doc.text) <= limit:
        return columns(doc, pipeline.nlp(doc.text))
    if not doc.turns:
        return DocAnalysis()
    import numpy

    nlp, text = pipeline.nlp, doc.text
    gaps = turn_gaps(text, [(t.start, t.end) for t in doc.turns])
    spans = Chunker(text, gaps, nlp.tokenizer).spans(limit)
    rows = numpy.concatenate([_token_values(doc, nlp(text[a:b]), a) for a, b in spans])  # the parts freed
    return _columns_of(doc, rows, nlp.vocab.strings)


def _cache_key(doc: Document, fingerprint: str, language: str = "nb") -> str:
    """Content, turn spans, pipeline and language (nb and nn analyses never mix); the chunk size
    too for a text long enough to be chunked (so every ordinary bokmål transcript keeps its key)."""
    parts = [CACHE_FORMAT, doc.sha256, fingerprint, [(t.start, t.end) for t in doc.turns]]
    chunked = [CHUNK_CHARS] if len(doc.text) > CHUNK_CHARS else []
    return canonical_hash(parts + chunked + ([language] if language != "nb" else []))[:32]


HELD_CHARS = 8_000_000  # the analyses of the first ~1.3M words stay in memory (~50 MB); see Analyses


class Analyses(Mapping[str, DocAnalysis]):
    """Item id -> analysis. Those of the first HELD_CHARS of the corpus's text are held; every
    later one that is in the cache is re-read from it on each use (~1 ms per 10k words), so a
    10M-word corpus does not hold ~380 MB of them through every phase. One the cache has lost
    meanwhile is made again; one the cache could not keep is held."""

    def __init__(self) -> None:
        self._held: dict[str, DocAnalysis] = {}
        self._at: dict[str, tuple[Document, Pipeline, Path, str]] = {}

    def add(self, doc: Document, pipeline: Pipeline, path: Path, key: str, held: DocAnalysis | None) -> None:
        self._at[doc.id] = (doc, pipeline, path, key)
        if held is not None:
            held.key = key
            self._held[doc.id] = held

    def key_of(self, item: str) -> str:
        """The analysis's cache key, without reading it (what later per-item caches build on)."""
        return self._at[item][3]

    def __getitem__(self, item: str) -> DocAnalysis:
        held = self._held.get(item)
        if held is not None:
            return held
        doc, pipeline, path, key = self._at[item]
        analysis = _read_cache(path)
        analysis = analyse_document(doc, pipeline) if analysis is None else analysis
        analysis.key = key
        return analysis

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


def _held_count(docs: list[Document]) -> int:
    """How many leading documents' analyses stay in memory: as many as fit in HELD_CHARS of text."""
    total = 0
    for n, doc in enumerate(docs):
        total += len(doc.text)
        if total > HELD_CHARS:
            return n
    return len(docs)


Analysed = Callable[[Document, DocAnalysis], None]
_ANALYSED: ContextVar[Analysed | None] = ContextVar("thematic_analysed", default=None)


@contextmanager
def when_analysed(hook: Analysed) -> Iterator[None]:
    """Inside, analyse_corpus calls hook(doc, analysis) here as each document not in the cache
    is analysed (its key set): per-item work that follows the analysis (phase 1's profiles) then
    fills this process's turns between its own analyses, while workers analyse the rest, instead
    of waiting for all of them on one core."""
    token = _ANALYSED.set(hook)
    try:
        yield
    finally:
        _ANALYSED.reset(token)


def analyse_corpus(docs: Iterable[Document], pipeline: Pipeline, cache: Path,
                   progress: Progress | None = None, warn: Warn | None = None) -> Analyses:
    """Analyses for every document, reading the cache where it can and filling it where not
    (see `_store` for what happens when the cache cannot be written); past HELD_CHARS, those in
    the cache are left there (Analyses). The documents not in the cache are analysed on as many
    processes as the run has (thematic.jobs)."""
    from thematic.jobs import run_items

    docs = list(docs)
    chosen = [pipeline.for_text(doc.text) for doc in docs]  # under `language: auto`, nb or nn per file
    paths = [cache / f"{_cache_key(doc, p.describe()['fingerprint'], p.language)}.bin" for doc, p in zip(docs, chosen)]
    held = _held_count(docs)
    found: list[DocAnalysis | None] = []
    missing = []
    for i, doc in enumerate(docs):
        analysis = _read_cache(paths[i])
        found.append(analysis if i < held else None)
        if analysis is None:
            missing.append(i)
        elif progress:
            progress(doc.id)
    writable, hook = True, _ANALYSED.get()

    def done(j: int, analysis: DocAnalysis) -> None:
        nonlocal writable
        i = missing[j]
        writable = writable and _store(paths[i], analysis, warn)
        found[i] = analysis if i < held or not writable else None
        if hook is not None:
            analysis.key = paths[i].stem
            hook(docs[i], analysis)
        if progress:
            progress(docs[i].id)

    run_items(len(missing), lambda j: analyse_document(docs[missing[j]], chosen[missing[j]]),
              lambda j: (analyse_elsewhere, (chosen[missing[j]].model, chosen[missing[j]].language, docs[missing[j]])),
              sum(len(docs[i].text) for i in missing), done,
              (load_elsewhere, (chosen[missing[0]].model, chosen[missing[0]].language) if missing else ()))
    out = Analyses()
    for doc, choice, path, analysis in zip(docs, chosen, paths, found):
        out.add(doc, choice, path, path.stem, analysis)
    return out


def start_first(sizes: list[int], model: str, language: str, cache: Path) -> bool:
    """A study's first analysis (no analysis in the cache yet): start the workers from the
    transcripts' file sizes alone, before the transcripts are even read (~0.35 s per 1M words),
    when that much text pays for them. Only for the pipelines named by nlp.model auto or blank
    and one language (`language: auto` picks per transcript); True if started."""
    from thematic.jobs import start_workers

    if model not in ("auto", "blank") or language == "auto" or next(cache.glob("*.bin"), None) is not None:
        return False
    return start_workers(len(sizes), sum(sizes), (load_elsewhere, (model, language)))


def start_early(docs: list[Document], model: str, language: str, cache: Path) -> bool:
    """Start the run's worker processes before this one loads spaCy, when the documents not in
    the cache will pay for them (thematic.jobs): each process takes ~1.5 s to load, and they
    load side by side instead of one after the other. Only for the blank bokmål pipeline, whose
    fingerprint is known before loading it; True if started."""
    from thematic.jobs import start_workers
    from thematic.nlp.pipeline import expected_fingerprint

    fingerprint = expected_fingerprint(model, language)
    if fingerprint is None:
        return False
    missing = [doc for doc in docs if not (cache / f"{_cache_key(doc, fingerprint)}.bin").is_file()]
    return start_workers(len(missing), sum(len(doc.text) for doc in missing), (load_elsewhere, (model, language)))


def analyse_elsewhere(model: str, language: str, doc: Document) -> DocAnalysis:
    """analyse_document in a worker process, with the pipeline loaded there once."""
    return analyse_document(doc, load_elsewhere(model, language))


def load_elsewhere(model: str, language: str) -> Pipeline:
    """The pipeline in a worker process (loaded once: load_pipeline keeps it)."""
    from thematic.nlp.pipeline import load_pipeline

    return load_pipeline(model, language)


def _store(path: Path, analysis: DocAnalysis, warn: Warn | None) -> bool:
    """Cache one analysis; False when the cache folder cannot be written (thematic.item_cache:
    a read-only folder is one warning, any other failure stops the run naming the file)."""
    from thematic.item_cache import write_or_warn

    return write_or_warn(path, _cache_parts(analysis), warn, "NLP")


_COLUMNS = {"start": OFFSET, "end": OFFSET, "lemma": ID, "tag": ID, "sentences": ID}


def _read_cache(path: Path) -> DocAnalysis | None:
    """Binary cache: a JSON header line (vocabularies, column lengths), then the raw columns."""
    try:
        with path.open("rb") as handle:
            header = json.loads(handle.readline())
            cols = {}
            for name, typecode in _COLUMNS.items():
                cols[name] = array(typecode)
                cols[name].frombytes(handle.read(cols[name].itemsize * header["lengths"][name]))
                if len(cols[name]) != header["lengths"][name]:
                    return None
        return DocAnalysis(header["lemmas"], header["tags"], **cols)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or damaged: recompute


def _cache_parts(a: DocAnalysis) -> list[bytes]:
    """A JSON header line (vocabularies, column lengths), then the raw columns."""
    columns_ = {name: getattr(a, name) for name in _COLUMNS}
    header = {"lemmas": a.lemmas, "tags": a.tags, "lengths": {k: len(v) for k, v in columns_.items()}}
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    return [head, *(column.tobytes() for column in columns_.values())]
