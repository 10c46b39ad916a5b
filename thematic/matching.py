"""Codebook keywords matched on lemmas with spaCy's Matcher: inflections, compounds, phrases.

A keyword is a lemma sequence; its last word also matches as the head of a compound when it is
long enough (or written with a leading "*"): "oppfølging" finds "arbeidsgiveroppfølgingen".
Matching runs on a Doc rebuilt from the cached analysis, so coding never re-runs the pipeline.
Compound heads are resolved once per distinct lemma into the token's NORM (the longest keyword
head it ends with, so "selvtillit" is not "tillit"); a REGEX pattern per token was ~25x slower.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from thematic.nlp.analysis import DocAnalysis

Lemmatise = Callable[[str], str]


@dataclass(frozen=True)
class Keyword:
    """One keyword as lemma sequence; compound=True also matches it as a compound's last part."""

    lemmas: tuple[str, ...]
    compound: bool

    def pattern(self) -> list[dict]:
        last = {"NORM" if self.compound else "LEMMA": self.lemmas[-1]}
        return [{"LEMMA": lemma} for lemma in self.lemmas[:-1]] + [last]


def parse_keyword(raw: str, lemmatise: Lemmatise, compound_min_length: int) -> Keyword:
    """'*tid' forces compound matching; otherwise long single words match as compound heads."""
    text = raw.strip().lower()
    forced = text.startswith("*")
    lemmas = tuple(lemmatise(w) for w in text.lstrip("*").split())
    return Keyword(lemmas, forced or len(lemmas[-1]) >= compound_min_length)


class KeywordMatcher:
    """All codes' keywords in one Matcher; finds which codes each sentence carries."""

    def __init__(self, vocab, keywords: dict[str, list[Keyword]]) -> None:  # type: ignore[no-untyped-def]
        from spacy.matcher import Matcher

        self.vocab = vocab
        self.matcher = Matcher(vocab)
        self.heads = {k.lemmas[-1] for kws in keywords.values() for k in kws if k.compound}
        self.head_of: dict[str, str] = {}
        for code_id, kws in keywords.items():
            if kws:
                self.matcher.add(code_id, [k.pattern() for k in kws])

    def _head(self, lemma: str) -> str:
        """The longest compound keyword head the lemma ends with (after 2+ letters), or itself."""
        found = self.head_of.get(lemma)
        if found is None:
            found = next((lemma[i:] for i in range(len(lemma)) if i != 1 and lemma[i:] in self.heads), lemma)
            self.head_of[lemma] = found
        return found

    def sentence_codes(self, analysis: DocAnalysis, text: str) -> dict[int, dict[str, set[str]]]:
        """sentence number -> code id -> surface forms that matched in it."""
        from spacy.tokens import Doc

        if not len(analysis.start) or not len(self.matcher):
            return {}
        import numpy
        from spacy.attrs import NORM

        words = [text[s:e] for s, e in zip(analysis.start, analysis.end)]
        vocabulary = [lemma.lower() for lemma in analysis.lemmas]
        lemmas = [vocabulary[i] for i in analysis.lemma]
        doc = Doc(self.vocab, words=words, lemmas=lemmas)
        norms = [self.vocab.strings.add(self._head(lemma)) for lemma in vocabulary]
        doc.from_array([NORM], numpy.array(norms, dtype="uint64")[numpy.asarray(analysis.lemma, dtype="int64")])
        sentence_of = self._sentence_of_token(analysis)
        found: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        strings = self.vocab.strings
        for match_id, start, end in self.matcher(doc):
            sentence = sentence_of[start]
            if sentence == sentence_of[end - 1]:
                found[sentence][strings[match_id]].add(doc[start:end].text.lower())
        return found

    @staticmethod
    def _sentence_of_token(analysis: DocAnalysis) -> list[int]:
        rows = analysis.sentences
        owner = [-1] * len(analysis.start)
        for k in range(len(rows) // 5):
            for i in range(rows[5 * k + 3], rows[5 * k + 4]):
                owner[i] = k
        return owner
