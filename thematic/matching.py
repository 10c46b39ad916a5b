"""Codebook keywords matched on lemmas by lookup: inflections, compounds, phrases.

A keyword is a lemma sequence; its last word also matches as the head of a compound when it is
long enough (or written with a leading "*"): "oppfølging" finds "arbeidsgiveroppfølgingen".
Matching reads the cached analysis, so coding never re-runs the pipeline. Each distinct lemma,
and each distinct form's Ordbank readings, are resolved once to the longest keyword they are, or
end with as a compound (so "selvtillit" is not "tillit"); a word is then the longer of its
lemma's and (where no context word decided it) its readings' keyword, looked up in a dict of the
keywords' last words, and a phrase checks its earlier words' lemmas right before. Only words
with a keyword in their lemma or readings are visited in Python (about one in ten). No Doc, Matcher or object per word: spaCy's Matcher trying all patterns at every token
took 70% of phase 2 (a REGEX pattern per token, before that, was ~25x slower still).
A keyword also matches in the other written form (thematic.nlp.nynorsk.other_spellings): a
bokmål codebook's `arbeidsgiver` codes a Nynorsk transcript's `arbeidsgivaren` (lemma arbeidsgivar).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass
from itertools import compress, product, repeat
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
        self.of_lemma: dict[str, str] = {}  # lemma -> the longest keyword it is or ends with, or ""
        self.of_readings: dict[str, str] = {}  # form -> the longest keyword any reading of it is or ends with
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

    def _lemma_keyword(self, lemma: str) -> str:
        """`_keyword_in` of a lemma, remembered (bounded: NORMS_KEPT lemmas, then all forgotten)."""
        found = self.of_lemma.get(lemma)
        if found is None:
            if len(self.of_lemma) >= NORMS_KEPT:
                self.of_lemma.clear()
            found = self.of_lemma[lemma] = self._keyword_in(lemma)
        return found

    def _readings_keyword(self, form: str) -> str:
        """The longest keyword that any Ordbank reading of the form is or ends with (the first
        such reading's on a tie), or "": "sykmeldt" is the adjective keyword though its likeliest
        reading is the verb. Remembered per form, bounded like `_lemma_keyword` (a 10M-word
        corpus has millions of distinct words)."""
        found = self.of_readings.get(form)
        if found is None:
            if len(self.of_readings) >= NORMS_KEPT:
                self.of_readings.clear()
            found = self.of_readings[form] = max((self._keyword_in(x) for x in self.readings(form)), key=len, default="")
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
        lower-cased and joined by one space). What the keyword patterns see of a word is the
        longest keyword its lemma is (or ends with), or, where no context word decided its
        reading, any other reading's if longer ("en stol" stays a chair); else its lemma, which
        no keyword ends with. So only words whose lemma or readings hold a keyword are visited
        in Python; the others are told apart by lookups in C loops (`map`) and numpy."""
        import numpy

        if not len(analysis.start) or not self.ending:
            return {}
        starts, ends = analysis.start, analysis.end
        lowers = _lowered_words(text, starts, ends)
        vocabulary = [lemma.lower() for lemma in analysis.lemmas]
        own = list(map(self.of_lemma.get, vocabulary))
        for k in list(compress(range(len(own)), map(operator.is_, own, repeat(None)))):
            own[k] = self._lemma_keyword(vocabulary[k])
        read = list(map(self.of_readings.get, lowers))
        for i in list(compress(range(len(read)), map(operator.is_, read, repeat(None)))):
            read[i] = self._readings_keyword(lowers[i])
        ids = numpy.frombuffer(analysis.lemma, dtype="int64")
        marked = numpy.array([bool(x) for x in own], dtype=bool)[ids] | numpy.fromiter(map(bool, read), bool, len(read))
        found: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        sentence_of: list[int] = []
        lemma_ids, deciding = analysis.lemma, self.deciding
        for i in numpy.flatnonzero(marked).tolist():
            mine, other = own[lemma_ids[i]], read[i]
            norm = other if len(other) > len(mine) and not (i and lowers[i - 1] in deciding) else mine
            for code_id, earlier in self.ending.get(norm, ()):
                start = i - len(earlier)
                if earlier and (start < 0 or vocabulary[lemma_ids[i - 1]] != earlier[-1]
                                or tuple(vocabulary[lemma_ids[j]] for j in range(start, i)) != earlier):
                    continue
                sentence_of = sentence_of or self._sentence_of_token(analysis)
                if sentence_of[start] == sentence_of[i]:
                    found[sentence_of[i]][code_id].add(" ".join(text[starts[j]:ends[j]] for j in range(start, i + 1)).lower())
        return found

    @staticmethod
    def _sentence_of_token(analysis: DocAnalysis) -> list[int]:
        """Each word token's sentence number (-1 outside every sentence)."""
        import numpy

        rows = numpy.frombuffer(analysis.sentences, dtype="int64").reshape(-1, 5)
        owner = numpy.full(len(analysis.start), -1, dtype="int64")
        lengths = rows[:, 4] - rows[:, 3]
        at = numpy.repeat(rows[:, 3] - numpy.cumsum(lengths) + lengths, lengths) + numpy.arange(int(lengths.sum()))
        owner[at] = numpy.repeat(numpy.arange(len(rows)), lengths)
        return owner.tolist()


def _lowered_words(text: str, starts: Iterable[int], ends: Iterable[int]) -> list[str]:
    """Each token's text lower-cased: sliced from the text lowered once, where lowering goes
    character by character (the same length, and no Greek capital sigma, whose lower case
    depends on the next letter); else each token lowered on its own."""
    low = text.lower()
    if len(low) == len(text) and "\u03a3" not in text:
        return [low[s:e] for s, e in zip(starts, ends)]
    return [text[s:e].lower() for s, e in zip(starts, ends)]
