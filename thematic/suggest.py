"""Inductive code suggestions from the informants' talk (algorithm "keyness.v2").

Candidates are content words of the right class: noun lemmas (compounds included: the lexicon
gives them their own lemma) and acronyms in capitals of 2-5 letters (AAP, DPS, IPS: the lexicon
leaves them as names, but benefits and services are often the codes in this field), never a word
of the stop list or thematic.nlp.stopwords.NEVER_CODES. Phrases are adjective + noun ("tett
oppfølging") and noun + preposition + noun ("tempo om morgenen"), whose head is the noun.

One suggestion per idea, with its forms:
- A word family is one candidate. A verb or adjective joins the noun it derives from when that
  noun is a candidate (`derived_nouns`, a rule over Ordbank lemmas): the same lemma (støtte,
  ønske); for a verb of 5+ letters in -e, its stem, stem + -ing, stem + -ning (a double consonant
  made single), + -lse, and for -ere verbs -asjon (samarbeide -> samarbeid, tilpasse ->
  tilpasning, oppleve -> opplevelse, motivere -> motivasjon); an adjective + -het (trygg ->
  trygghet), and an -ert/-et participle through its verb (motivert -> motivere -> motivasjon).
  Shorter verbs are left alone: their stems are mostly other words (lage/lag, føle/føl).
- A noun + preposition + noun phrase whose head is a suggestion is a variant of it, listed with
  the head, not a suggestion of its own (tempo, with the variant tempo om morgenen); a variant
  needs `min_phrase_share` of its head's occurrences, and so is an adjective + noun phrase whose
  adjective is a light one (LIGHT_ADJECTIVES: høyt tempo). Any other adjective + noun phrase
  that scores above its noun is ranked on its own (psykisk helse beside helse): a narrower idea
  more telling than its noun.

Spread, the rule that stands in for a count of participants: a candidate needs `min_count`
occurrences from at least `min_participants` units, where a unit is a participant (a person the
data can tell apart) or, in an item whose people cannot be told apart (no speaker labels, or
`voices: anonymous` in participants.yaml), one informant turn: an anonymous voice
(thematic.corpus). So a word used in two quotes of a file of quotes is suggested, and a word one
labelled speaker repeats is not.

Ranking: Kilgarriff's "simple maths" keyness against general Norwegian (wordfreq) with a
smoothing constant that lets common-but-central words (tid, samarbeid) through, times the square
root of the candidate's share of all units: one vivid speaker is not a pattern. An adjective +
noun phrase's general frequency is the lower of two estimates: its share of its head's here
applied to the head's general frequency, and its two words' general frequencies multiplied
(as if independent) times ASSOCIATION.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Collection, Iterable, Iterator, Sequence

from thematic.candidates import Candidate, ItemCounts, Merged, merge, pack, tally_columns
from thematic.corpus import Document
from thematic.nlp.analysis import DocAnalysis, Sentence
from thematic.nlp.reference import FLOOR, reference_frequency
from thematic.nlp.stopwords import is_stop

ALGORITHM = "keyness.v2"  # v1 had no word families, phrase variants, acronyms or voices
COUNTS_FORMAT = "tallies.v3"  # what item_counts returns (and the item cache keeps); bump on change
# (v3: columns, numbers packed, thematic.candidates; v2 was a list per word and item)
PREPOSITIONS = frozenset("i på av med for til om fra hos under etter mellom uten".split())
FAMILY_POS = ("VERB", "ADJ")  # word classes that join a noun's family
MIN_DERIVING_VERB = 5  # letters; shorter verbs' stems are mostly other words (lage/lag)
ASSOCIATION = 10  # how much more often than chance an adjective goes with a noun in general text
# (chosen on the first example: 1 to 100 rank it alike, 1,000 ranks its two phrases lower and
# 10,000 lets none stand alone; 10 is in the middle of the even range)


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    keyness: float
    score: float
    variants: tuple[Candidate, ...] = ()  # phrases folded into this head, most frequent first


def is_acronym(lemma: str) -> bool:
    """AAP, DPS, IPS: 2-5 capitals, not a capitalised function word or filler."""
    return 2 <= len(lemma) <= 5 and lemma.isalpha() and lemma.isupper() and not is_stop(lemma.lower(), "NOUN")


@lru_cache(maxsize=1 << 16)
def _content_noun(lemma: str, pos: str) -> bool:
    """A noun that can be a code, and so the head of a phrase (a phrase's head is always a
    candidate of its own: ranking looks it up)."""
    if pos == "PROPN":
        return is_acronym(lemma)
    return pos == "NOUN" and not is_stop(lemma, pos) and len(lemma) >= 3


@lru_cache(maxsize=1 << 16)
def _family_word(lemma: str, pos: str) -> bool:
    """A verb or adjective that may belong to a noun's family."""
    return pos in FAMILY_POS and not is_stop(lemma, pos) and len(lemma) >= 3


def _spans(sentence: Sentence) -> Iterable[tuple[str, str, int, int]]:
    """(lemma, head lemma, first token, last token) of every candidate in a sentence."""
    toks = sentence.tokens
    return _candidates([t.lemma for t in toks], [t.pos for t in toks])


def _candidates(lemma: Sequence[str], pos: Sequence[str]) -> Iterator[tuple[str, str, int, int]]:
    """`_spans` over a sentence's lemmas and word classes as two lists (no object per token)."""
    for i, (word, tag) in enumerate(zip(lemma, pos)):
        if not _content_noun(word, tag):
            continue
        yield word, word, i, i
        if i >= 1 and pos[i - 1] == "ADJ" and not is_stop(lemma[i - 1], "ADJ"):
            yield f"{lemma[i - 1]} {word}", word, i - 1, i
        if i >= 2 and lemma[i - 1] in PREPOSITIONS and _content_noun(lemma[i - 2], pos[i - 2]):
            yield f"{lemma[i - 2]} {lemma[i - 1]} {word}", lemma[i - 2], i - 2, i


def derived_nouns(lemma: str, pos: str) -> list[str]:
    """The nouns a verb or adjective lemma may derive from or give, likeliest first (the rule in
    the module docstring); only those that are candidates in the data are ever used."""
    if pos == "ADJ":
        verb = lemma[:-1] + "e" if lemma.endswith("ert") else lemma[:-2] + "e" if lemma.endswith("et") and len(lemma) >= 6 else ""
        return [lemma + "het"] + (derived_nouns(verb, "VERB") if verb else [])
    out = [lemma]
    if len(lemma) >= MIN_DERIVING_VERB and lemma.endswith("e"):
        stem = lemma[:-1]
        single = stem[:-1] if stem[-1] == stem[-2] else stem  # tilpass -> tilpasning
        out += [stem, stem + "ing", single + "ning", lemma + "lse"]
        if lemma.endswith("ere"):
            out.append(lemma[:-3] + "asjon")
    return out


def _tally(tallies: dict, key: Any, form: str, turn: int, place: int) -> None:
    """One occurrence into an item's tally [count, forms, turns, sentences] of one word."""
    tally = tallies.get(key)
    if tally is None:
        tally = tallies[key] = [0, {}, [], []]
    tally[0] += 1
    tally[1][form] = tally[1].get(form, 0) + 1
    if not tally[2] or tally[2][-1] != turn:
        tally[2].append(turn)
    if not tally[3] or tally[3][-1] != place:
        tally[3].append(place)


def item_counts(text: str, analysis: DocAnalysis, informant: Collection[int]) -> dict[str, Any]:
    """One item's candidates and family words in its informant turns, each tallied (count,
    forms in order of first use, turns, sentences as numbers into the item's table of [start,
    turn, end]), and its informant word tokens: compact data that `merge_counts` sums over the
    corpus, so an unchanged item is never re-counted. Which tokens count is decided once per
    distinct (lemma, word class) with numpy; Python visits only the nouns and family words."""
    marks = _Marks(analysis, informant)
    nouns: dict[str, list] = {}
    heads: dict[str, str] = {}
    related: dict[tuple[str, str], list] = {}
    lemmas, tags, starts, ends = analysis.lemmas, analysis.tags, analysis.start, analysis.end
    for i, word, turn, place, modified, linked in marks.nouns:
        word = lemmas[word]
        heads.setdefault(word, word)
        _tally(nouns, word, text[starts[i]:ends[i]].lower(), turn, place)
        if modified >= 0:
            phrase = f"{lemmas[modified]} {word}"
            heads.setdefault(phrase, word)
            _tally(nouns, phrase, text[starts[i - 1]:ends[i]].lower(), turn, place)
        if linked >= 0:
            before = lemmas[linked]
            phrase = f"{before} {lemmas[analysis.lemma[i - 1]]} {word}"
            heads.setdefault(phrase, before)
            _tally(nouns, phrase, text[starts[i - 2]:ends[i]].lower(), turn, place)
    for i, word, tag, turn, place in marks.family:
        _tally(related, (tags[tag], lemmas[word]), text[starts[i]:ends[i]].lower(), turn, place)
    return {"format": COUNTS_FORMAT, "total": marks.total, "sentences": pack(marks.sentences, "<i8"),
            "nouns": list(nouns), "heads": [heads[w] if heads[w] != w else "" for w in nouns],
            "related_pos": [tag for tag, _ in related], "related": [word for _, word in related],
            **tally_columns([*nouns.values(), *related.values()])}


@lru_cache(maxsize=1 << 17)
def _kind(lemma: str, pos: str) -> tuple[bool, bool, bool, bool]:
    """Content noun, phrase-making adjective, preposition, family word (see `_candidates`)."""
    return (_content_noun(lemma, pos), pos == "ADJ" and not is_stop(lemma, "ADJ"), lemma in PREPOSITIONS,
            _family_word(lemma, pos))


class _Marks:
    """The tokens of one item's informant sentences that `_candidates` and `_family_word` count,
    judged once per distinct (lemma, word class) with numpy, not once per token in Python:
    nouns as (token, lemma, turn, place, the lemma of an adjective making a phrase with it or -1,
    the lemma of a noun + preposition before it or -1) and family words as (token, lemma, word
    class, turn, place); a place is the number of the item's counted sentences before its own."""

    def __init__(self, analysis: DocAnalysis, informant: Collection[int]) -> None:
        import numpy

        rows = numpy.frombuffer(analysis.sentences, dtype="int64").reshape(-1, 5)
        rows = rows[numpy.isin(rows[:, 0], numpy.fromiter(informant, dtype="int64", count=len(informant)))]
        lengths = rows[:, 4] - rows[:, 3]
        at = numpy.repeat(rows[:, 3] - numpy.cumsum(lengths) + lengths, lengths) + numpy.arange(int(lengths.sum()))
        sentence = numpy.repeat(numpy.arange(len(rows)), lengths)
        lemma = numpy.frombuffer(analysis.lemma, dtype="int64")[at]
        tag = numpy.frombuffer(analysis.tag, dtype="int64")[at]
        noun, modifier, preposition, family = self._kinds(analysis, lemma * max(len(analysis.tags), 1) + tag)
        used = numpy.zeros(len(rows), dtype=bool)
        used[sentence[noun | family]] = True
        place = (numpy.cumsum(used) - used)[sentence]
        k = numpy.flatnonzero(noun)
        one, two = numpy.maximum(k - 1, 0), numpy.maximum(k - 2, 0)
        modified = (k >= 1) & (sentence[one] == sentence[k]) & modifier[one]
        linked = (k >= 2) & (sentence[two] == sentence[k]) & preposition[one] & noun[two]
        turn = rows[:, 0][sentence]
        self.nouns = list(zip(*(x.tolist() for x in (at[k], lemma[k], turn[k], place[k],
                                                     numpy.where(modified, lemma[one], -1), numpy.where(linked, lemma[two], -1)))))
        f = numpy.flatnonzero(family)
        self.family = list(zip(*(x.tolist() for x in (at[f], lemma[f], tag[f], turn[f], place[f]))))
        self.total = int(lengths.sum())
        self.sentences = rows[used][:, [1, 0, 2]].reshape(-1).tolist()

    @staticmethod
    def _kinds(analysis: DocAnalysis, pairs):  # type: ignore[no-untyped-def]
        """Per token: content noun, phrase-making adjective, preposition, family word."""
        import numpy

        width = max(len(analysis.tags), 1)
        unique, inverse = numpy.unique(pairs, return_inverse=True)
        lemmas, tags = analysis.lemmas, analysis.tags
        marks = numpy.array([_kind(lemmas[p // width], tags[p % width]) for p in unique.tolist()], dtype=bool).reshape(-1, 4)
        return [marks[:, n][inverse.reshape(-1)] for n in range(4)]


def units_of(doc: Document) -> dict[int, str]:
    """The unit each informant turn counts for: its participant, or the item itself."""
    return {t.index: t.participant or doc.id for t in doc.informant_turns}


def _joined_noun(pos: str, lemma: str, nouns: Mapping[str, int]) -> str | None:
    """The first noun candidate a verb or adjective derives to, if any: its family's head (a
    word that joins no noun is dropped: as candidates of their own, verbs and adjectives pushed
    the first example's intended codes down: benchmarks/suggestion_quality.py, README)."""
    return next((n for n in derived_nouns(lemma, pos) if n in nouns and " " not in n), None)


def merge_counts(items: Iterable[ItemCounts]) -> tuple[Merged, int]:
    """Every candidate over the items (in data order), word families merged, and the number of
    informant word tokens (thematic.candidates: summed as columns, made as objects on demand)."""
    return merge(items, _joined_noun)


def collect(docs: Iterable[Document], analyses: dict[str, DocAnalysis]) -> tuple[Merged, int]:
    """Every candidate in informant turns, word families merged, and the number of informant
    word tokens (phase 2 does the same through its per-item cache)."""
    return merge_counts((d.id, units_of(d), item_counts(d.text, analyses[d.id], units_of(d))) for d in docs)


def simple_maths(count: int, total: int, reference: float, smoothing: float) -> float:
    """Kilgarriff's keyness: (per-million here + k) / (per-million in general Norwegian + k)."""
    return (count / max(total, 1) * 1e6 + smoothing) / (reference * 1e6 + smoothing)


def _variants(kept: dict[str, Candidate], alone: set[str], params: dict) -> dict[str, list[Candidate]]:
    """head lemma -> its phrases that are common enough to list, most frequent first (a phrase
    that stands alone is none)."""
    out: dict[str, list[Candidate]] = defaultdict(list)
    for cand in kept.values():
        if cand.is_phrase and cand.lemma not in alone and cand.head in kept \
                and cand.count / kept[cand.head].count >= params["min_phrase_share"]:
            out[cand.head].append(cand)
    return {head: sorted(phrases, key=lambda c: (-c.count, c.lemma)) for head, phrases in out.items()}


def _reference(cand: Candidate, found: Mapping[str, Candidate]) -> float:
    """How common the candidate is in general Norwegian (a phrase: its share of its head's, or
    for an adjective + noun phrase the independence estimate if lower)."""
    if not cand.is_phrase:
        return reference_frequency(cand.lemma, cand.forms)
    head = found[cand.head]
    shared = reference_frequency(cand.head, head.forms) * cand.count / head.count
    if not cand.is_modified:
        return shared
    modifier = cand.lemma.split()[0]
    alone = max(reference_frequency(modifier, ()), FLOOR) * max(reference_frequency(cand.head, head.forms), FLOOR)
    return min(shared, alone * ASSOCIATION)


def rank(found: Mapping[str, Candidate], total: int, units: int, params: dict) -> list[Suggestion]:
    """Candidates seen often and widely enough, phrases folded into their heads unless they stand
    alone, best first (ties by lemma, so stable). `units` is the number of participants and
    voices in the study."""
    kept = found.kept(params["min_count"], params["min_participants"]) if isinstance(found, Merged) else \
        {lemma: c for lemma, c in found.items() if c.count >= params["min_count"] and c.reach >= params["min_participants"]}
    scored = {lemma: _scored(c, found, total, units, params) for lemma, c in kept.items()}
    alone = {lemma for lemma, c in kept.items() if c.is_modified and c.head in kept and scored[lemma][1] > scored[c.head][1]}
    variants = _variants(kept, alone, params)
    out = [Suggestion(c, *scored[lemma], tuple(variants.get(lemma, ()))) for lemma, c in kept.items()
           if not (c.is_phrase and c.head in kept) or lemma in alone]  # others are listed with their head
    return sorted(out, key=lambda s: (-s.score, s.candidate.lemma))


def _scored(cand: Candidate, found: Mapping[str, Candidate], total: int, units: int, params: dict) -> tuple[float, float]:
    """(keyness, score): keyness times the square root of the candidate's share of all units."""
    keyness = simple_maths(cand.count, total, _reference(cand, found), params["smoothing"])
    return round(keyness, 3), round(keyness * math.sqrt(cand.reach / max(units, 1)), 4)
