"""Run the pipeline over every turn once, and cache the result per document on disk.

The cache key is the document's content hash, its turn spans and the pipeline fingerprint, so
adding one interview analyses one interview, and a changed pipeline re-analyses everything.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from thematic.artefacts import canonical_hash
from thematic.corpus import Document, Turn
from thematic.nlp.pipeline import Pipeline

CLOSED_CLASSES = frozenset({"ADP", "AUX", "CCONJ", "DET", "INTJ", "PART", "PRON", "SCONJ"})
Progress = Callable[[str], None]


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


DocAnalysis = dict[int, list[Sentence]]  # turn index -> sentences


def _cache_key(doc: Document, fingerprint: str) -> str:
    return canonical_hash([doc.sha256, fingerprint, [(t.start, t.end) for t in doc.turns]])[:32]


def _encode(analysis: DocAnalysis) -> dict:
    return {str(i): [[s.start, s.end, [[t.start, t.end, t.lemma, t.pos] for t in s.tokens]]
                     for s in sents] for i, sents in analysis.items()}


def _decode(data: dict) -> DocAnalysis:
    return {int(i): [Sentence(s, e, tuple(Token(*t) for t in toks)) for s, e, toks in sents]
            for i, sents in data.items()}


def _sentences(turn: Turn, spacy_doc) -> list[Sentence]:  # type: ignore[no-untyped-def]
    out = []
    for sent in spacy_doc.sents:
        tokens = tuple(
            Token(turn.start + t.idx, turn.start + t.idx + len(t.text),
                  t.lemma_ or t.lower_, "FUNC" if t.pos_ in CLOSED_CLASSES else t.pos_ or "X")
            for t in sent if t.is_alpha or ("-" in t.text and any(c.isalpha() for c in t.text))
        )
        text = sent.text.strip()
        if text:
            start = turn.start + sent.start_char + sent.text.index(text)
            out.append(Sentence(start, start + len(text), tokens))
    return out


def analyse_document(doc: Document, pipeline: Pipeline) -> DocAnalysis:
    turns = list(doc.turns)
    spacy_docs = pipeline.nlp.pipe(t.text for t in turns)
    return {turn.index: _sentences(turn, sd) for turn, sd in zip(turns, spacy_docs)}


def analyse_corpus(docs: Iterable[Document], pipeline: Pipeline, cache: Path,
                   progress: Progress | None = None) -> dict[str, DocAnalysis]:
    """Analyses for every document, reading the cache where it can and filling it where not."""
    fingerprint = pipeline.describe()["fingerprint"]
    out: dict[str, DocAnalysis] = {}
    for doc in docs:
        path = cache / f"{_cache_key(doc, fingerprint)}.json.gz"
        analysis = _read_cache(path)
        if analysis is None:
            analysis = analyse_document(doc, pipeline)
            _write_cache(path, analysis)
        out[doc.id] = analysis
        if progress:
            progress(doc.id)
    return out


def _read_cache(path: Path) -> DocAnalysis | None:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return _decode(json.load(handle))
    except (OSError, ValueError, EOFError, TypeError):
        return None  # absent or damaged: recompute


def _write_cache(path: Path, analysis: DocAnalysis) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=5) as handle:
        json.dump(_encode(analysis), handle, ensure_ascii=False, separators=(",", ":"))
    tmp.replace(path)
