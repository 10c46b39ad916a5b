"""Codebook keywords matched on lemmas by lookup: inflections, compounds, phrases.

A keyword is a lemma sequence; its last word also matches as the head of a compound when it is
long enough (or written with a leading "*"): "oppfølging" finds "arbeidsgiveroppfølgingen".
Matching reads the cached analysis, so coding never re-runs the pipeline. Each word is resolved
once per distinct (form, lemma, context) to the longest keyword that any Ordbank reading of it
is, or ends with as a compound (so "selvtillit" is not "tillit"); that keyword is then looked up
in a dict of the keywords' last words, and a phrase checks its earlier words' lemmas right
before. No Doc, Matcher or object per word: spaCy's Matcher trying all patterns at every token
took 70% of phase 2 (a REGEX pattern per token, before that, was ~25x slower still).
A keyword also matches in the other written form (thematic.nlp.nynorsk.other_spellings): a
bokmål codebook's `arbeidsgiver` codes a Nynorsk transcript's `arbeidsgivaren` (lemma arbeidsgivar).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import product
from typing import Any, Callable, Collection, Iterable

from thematic.nlp.analysis import DocAnalysis
from thematic.nlp.nynorsk import SPELLINGS_VERSION, other_spellings

Lemmatise = Callable[[str], str]
NORMS_KEPT = 200_000  # words whose resolved keyword is remembered (~50 MB), then forgotten all at once
MATCH_FORMAT = "matches.v2"  # what item_matches returns (and the item cache keeps); bump on change
# v2: keywords also match their other written form (nb/nn)


@dataclass(frozen=True)
class Keyword:
    """One keyword as lemma sequence; compound=True also matches it as a compound's last part."""

    lemmas: tuple[str, ...]
    compound: bool


def parse_keyword(raw: str, lemmatise: Lemmatise, compound_min_length: int) -> Keyword:
    """'*tid' forces compound matching; otherwise long single words match as compound heads."""
    text = raw.strip().lower()
    forced = text.startswith("*")
    lemmas = tuple(lemmatise(w) for w in text.lstrip("*").split())
    return Keyword(lemmas, forced or len(lemmas[-1]) >= compound_min_length)


def spellings(keyword: Keyword) -> list[Keyword]:
    """The keyword and its bokmål/Nynorsk spellings, every word of a phrase in either form."""
    return [Keyword(lemmas, keyword.compound) for lemmas in product(*map(other_spellings, keyword.lemmas))]


def signature_of(keywords: dict[str, list[Keyword]], deciding: frozenset[str]) -> list[Any]:
    """What a matcher's matches depend on besides the text, its analysis and the lexicon's
    readings (a cache key part: another codebook, keyword or compound length changes it)."""
    listed = [[code, [[list(k.lemmas), k.compound] for k in kws]] for code, kws in sorted(keywords.items())]
    return [MATCH_FORMAT, SPELLINGS_VERSION, listed, sorted(deciding)]


class KeywordMatcher:
    """All codes' keywords by their last word; finds which codes each sentence carries."""

    def __init__(self, vocab, keywords: dict[str, list[Keyword]],  # type: ignore[no-untyped-def]
                 readings: Callable[[str], Iterable[str]] = lambda form: (),
                 deciding: frozenset[str] = frozenset()) -> None:
        """`vocab` (a spaCy Vocab) is no longer used: matching needs no Doc."""
        spelt = {code: list(dict.fromkeys(s for k in kws for s in spellings(k))) for code, kws in keywords.items()}
        self.heads = {k.lemmas[-1] for kws in spelt.values() for k in kws if k.compound}
        self.exact = {k.lemmas[-1] for kws in spelt.values() for k in kws if not k.compound}
        self.readings = readings
        self.deciding = deciding  # words after which the lemmatiser's choice is context-made
        self.norm_of: dict[tuple[str, str, bool], str] = {}
        self.keywords = keywords
        self.ending: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)  # last word -> (code, earlier words)
        for code_id, kws in spelt.items():
            for k in dict.fromkeys((k.lemmas[-1], k.lemmas[:-1]) for k in kws):
                self.ending[k[0]].append((code_id, k[1]))

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
            if len(self.norm_of) >= NORMS_KEPT:  # bounded: a 10M-word corpus has millions of distinct words
                self.norm_of.clear()
            hits = [self._keyword_in(x) for x in (lemma, *(() if decided else self.readings(form)))]
            found = self.norm_of[key] = max(hits, key=len) or lemma
        return found

    def signature(self) -> list[Any]:
        return signature_of(self.keywords, self.deciding)

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
        """sentence number -> code id -> surface forms that matched in it (a phrase's words
        lower-cased and joined by one space)."""
        if not len(analysis.start) or not self.ending:
            return {}
        words = [text[s:e] for s, e in zip(analysis.start, analysis.end)]
        vocabulary = [lemma.lower() for lemma in analysis.lemmas]
        lemmas = [vocabulary[i] for i in analysis.lemma]
        lowers = [word.lower() for word in words]
        decided = [False] + [word in self.deciding for word in lowers[:-1]]
        found: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        sentence_of: list[int] = []
        norm_of, ending = self.norm_of, self.ending
        for i, key in enumerate(zip(lowers, lemmas, decided)):
            entries = ending.get(norm_of.get(key) or self._norm(*key))
            for code_id, earlier in entries or ():
                start = i - len(earlier)
                if start < 0 or (earlier and tuple(lemmas[start:i]) != earlier):
                    continue
                sentence_of = sentence_of or self._sentence_of_token(analysis)
                if sentence_of[start] == sentence_of[i]:
                    found[sentence_of[i]][code_id].add(" ".join(words[start:i + 1]).lower())
        return found

    @staticmethod
    def _sentence_of_token(analysis: DocAnalysis) -> list[int]:
        rows = analysis.sentences
        owner = [-1] * len(analysis.start)
        for k in range(len(rows) // 5):
            for i in range(rows[5 * k + 3], rows[5 * k + 4]):
                owner[i] = k
        return owner
