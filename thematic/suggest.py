"""Inductive code suggestions from the informants' talk (algorithm "keyness.v1").

Candidates are noun lemmas (compounds included: the lexicon gives them their own lemma),
adjective + noun phrases ("tett oppfølging") and noun + preposition + noun phrases ("person i
situasjon"). They are ranked by Kilgarriff's "simple maths" keyness against general Norwegian
(wordfreq) with a smoothing constant that lets common-but-central words (tid, samarbeid) through,
times their spread over participants: one vivid speaker is not a pattern.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from thematic.corpus import Document
from thematic.nlp.analysis import DocAnalysis, Sentence, Token
from thematic.nlp.reference import reference_frequency
from thematic.nlp.stopwords import is_stop

ALGORITHM = "keyness.v1"
PREPOSITIONS = frozenset("i på av med for til om fra hos under etter mellom uten".split())


@dataclass
class Candidate:
    """A possible code and the evidence for it, gathered over the whole corpus."""

    lemma: str
    head: str
    count: int = 0
    forms: Counter = field(default_factory=Counter)
    participants: set = field(default_factory=set)
    items: set = field(default_factory=set)
    places: list = field(default_factory=list)  # (doc id, turn index, sentence)

    @property
    def is_phrase(self) -> bool:
        return " " in self.lemma


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    keyness: float
    score: float


def _content_noun(tok: Token) -> bool:
    """A noun that can be a code, and so the head of a phrase (a phrase's head is always a
    candidate of its own: ranking looks it up)."""
    return tok.pos == "NOUN" and not is_stop(tok.lemma, tok.pos) and len(tok.lemma) >= 3


def _spans(sentence: Sentence) -> Iterable[tuple[str, str, int, int]]:
    """(lemma, head lemma, first token, last token) of every candidate in a sentence."""
    toks = sentence.tokens
    for i, tok in enumerate(toks):
        if not _content_noun(tok):
            continue
        yield tok.lemma, tok.lemma, i, i
        if i >= 1 and toks[i - 1].pos == "ADJ" and not is_stop(toks[i - 1].lemma, "ADJ"):
            yield f"{toks[i - 1].lemma} {tok.lemma}", tok.lemma, i - 1, i
        if i >= 2 and toks[i - 1].lemma in PREPOSITIONS and _content_noun(toks[i - 2]):
            yield f"{toks[i - 2].lemma} {toks[i - 1].lemma} {tok.lemma}", toks[i - 2].lemma, i - 2, i


def collect(docs: Iterable[Document], analyses: dict[str, DocAnalysis]) -> tuple[dict[str, Candidate], int]:
    """Every candidate in informant turns, and the number of informant word tokens."""
    found: dict[str, Candidate] = {}
    total = 0
    for doc in docs:
        informants = {t.index: t for t in doc.informant_turns}
        for turn_index, sentence in analyses[doc.id].iter_sentences():
            turn = informants.get(turn_index)
            if turn is None:
                continue
            total += len(sentence.tokens)
            for lemma, head, a, b in _spans(sentence):
                cand = found.setdefault(lemma, Candidate(lemma, head))
                cand.count += 1
                cand.forms[doc.text[sentence.tokens[a].start:sentence.tokens[b].end].lower()] += 1
                cand.participants.add(turn.participant)
                cand.items.add(doc.id)
                if not cand.places or cand.places[-1][:2] != (doc.id, sentence.start):
                    cand.places.append((doc.id, sentence.start, turn_index, sentence))
    return found, total


def simple_maths(count: int, total: int, reference: float, smoothing: float) -> float:
    """Kilgarriff's keyness: (per-million here + k) / (per-million in general Norwegian + k)."""
    return (count / max(total, 1) * 1e6 + smoothing) / (reference * 1e6 + smoothing)


def rank(found: dict[str, Candidate], total: int, participants: int, params: dict) -> list[Suggestion]:
    """Candidates seen often and widely enough, best first (ties by lemma, so stable)."""
    out = []
    for cand in found.values():
        if cand.count < params["min_count"] or len(cand.participants) < params["min_participants"]:
            continue
        if cand.is_phrase:
            head = found[cand.head]
            share = cand.count / head.count
            if share < params["min_phrase_share"]:
                continue
            reference = reference_frequency(cand.head, head.forms) * share
        else:
            reference = reference_frequency(cand.lemma, cand.forms)
        keyness = simple_maths(cand.count, total, reference, params["smoothing"])
        spread = math.sqrt(len(cand.participants) / max(participants, 1))
        out.append(Suggestion(cand, round(keyness, 3), round(keyness * spread, 4)))
    return sorted(out, key=lambda s: (-s.score, s.candidate.lemma))
