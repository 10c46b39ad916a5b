"""Codebook keywords matched on lemmas with spaCy's Matcher: inflections, compounds, phrases.

A keyword is a lemma sequence; its last word also matches as the head of a compound when it is
long enough (or written with a leading "*"): "oppfølging" finds "arbeidsgiveroppfølgingen".
Matching runs on a Doc rebuilt from the cached analysis, so coding never re-runs the pipeline.
The last word of every keyword is matched on the token's NORM, resolved once per distinct word:
the longest keyword that any Ordbank reading of the word is, or ends with as a compound (so
"selvtillit" is not "tillit"); a REGEX pattern per token was ~25x slower.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Collection, Iterable

from thematic.nlp.analysis import DocAnalysis

Lemmatise = Callable[[str], str]
MATCH_FORMAT = "matches.v1"  # what item_matches returns (and the item cache keeps); bump on change


@dataclass(frozen=True)
class Keyword:
    """One keyword as lemma sequence; compound=True also matches it as a compound's last part."""

    lemmas: tuple[str, ...]
    compound: bool

    def pattern(self) -> list[dict]:
        return [{"LEMMA": lemma} for lemma in self.lemmas[:-1]] + [{"NORM": self.lemmas[-1]}]


def parse_keyword(raw: str, lemmatise: Lemmatise, compound_min_length: int) -> Keyword:
    """'*tid' forces compound matching; otherwise long single words match as compound heads."""
    text = raw.strip().lower()
    forced = text.startswith("*")
    lemmas = tuple(lemmatise(w) for w in text.lstrip("*").split())
    return Keyword(lemmas, forced or len(lemmas[-1]) >= compound_min_length)


class KeywordMatcher:
    """All codes' keywords in one Matcher; finds which codes each sentence carries."""

    def __init__(self, vocab, keywords: dict[str, list[Keyword]],  # type: ignore[no-untyped-def]
                 readings: Callable[[str], Iterable[str]] = lambda form: (),
                 deciding: frozenset[str] = frozenset()) -> None:
        from spacy.matcher import Matcher

        self.vocab = vocab
        self.matcher = Matcher(vocab)
        self.heads = {k.lemmas[-1] for kws in keywords.values() for k in kws if k.compound}
        self.exact = {k.lemmas[-1] for kws in keywords.values() for k in kws if not k.compound}
        self.readings = readings
        self.deciding = deciding  # words after which the lemmatiser's choice is context-made
        self.norm_of: dict[tuple[str, str, bool], str] = {}
        self.keywords = keywords
        for code_id, kws in keywords.items():
            if kws:
                self.matcher.add(code_id, [k.pattern() for k in kws])

    def _keyword_in(self, lemma: str) -> str:
        """The longest keyword this lemma is, or ends with as a compound (after 2+ letters); ""."""
        if lemma in self.exact and lemma not in self.heads:
            return lemma
        return next((lemma[i:] for i in range(len(lemma)) if i != 1 and lemma[i:] in self.heads), "")

    def _norm(self, form: str, lemma: str, decided: bool) -> str:
        """What the keyword patterns see: the longest keyword the word's lemma is (or ends with),
        or, where no context word decided its reading, any other reading's ("sykmeldt" is the
        adjective keyword though its likeliest reading is the verb; "en stol" stays a chair)."""
        key = (form, lemma, decided)
        found = self.norm_of.get(key)
        if found is None:
            hits = [self._keyword_in(x) for x in (lemma, *(() if decided else self.readings(form)))]
            found = self.norm_of[key] = max(hits, key=len) or lemma
        return found

    def signature(self) -> list[Any]:
        """What the matches depend on besides the text, its analysis and the lexicon's readings
        (a cache key part: another codebook, keyword or compound length changes it)."""
        keywords = [[code, [[list(k.lemmas), k.compound] for k in kws]] for code, kws in sorted(self.keywords.items())]
        return [MATCH_FORMAT, keywords, sorted(self.deciding)]

    def item_matches(self, analysis: DocAnalysis, text: str, informant: Collection[int]) -> list[list]:
        """[turn, start, end, {code id: forms seen}] for each informant sentence that carries a
        code, in order: one item's coding, compact enough to cache."""
        rows, out = analysis.sentences, []
        for k, codes in sorted(self.sentence_codes(analysis, text).items()):
            turn, start, end = rows[5 * k:5 * k + 3]
            if turn in informant:
                out.append([turn, start, end, {code: sorted(seen) for code, seen in codes.items()}])
        return out

    def sentence_codes(self, analysis: DocAnalysis, text: str) -> dict[int, dict[str, set[str]]]:
        """sentence number -> code id -> surface forms that matched in it."""
        import numpy
        from spacy.attrs import NORM
        from spacy.tokens import Doc

        if not len(analysis.start) or not len(self.matcher):
            return {}
        words = [text[s:e] for s, e in zip(analysis.start, analysis.end)]
        vocabulary = [lemma.lower() for lemma in analysis.lemmas]
        lemmas = [vocabulary[i] for i in analysis.lemma]
        doc = Doc(self.vocab, words=words, lemmas=lemmas)
        add = self.vocab.strings.add
        lowers = [word.lower() for word in words]
        decided = [False] + [prev in self.deciding for prev in lowers[:-1]]
        norms = [add(self._norm(w, lemma, d)) for w, lemma, d in zip(lowers, lemmas, decided)]
        doc.from_array([NORM], numpy.array(norms, dtype="uint64"))
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
