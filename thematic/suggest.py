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
- A phrase whose head is a suggestion is a variant of it, listed with the head, not a
  suggestion of its own (tempo, with variants høyt tempo and tempo om morgenen); a variant
  needs `min_phrase_share` of its head's occurrences.

Spread, the rule that stands in for a count of participants: a candidate needs `min_count`
occurrences from at least `min_participants` units, where a unit is a participant (a person the
data can tell apart) or, in an item whose people cannot be told apart (no speaker labels, or
`voices: anonymous` in participants.yaml), one informant turn: an anonymous voice
(thematic.corpus). So a word used in two quotes of a file of quotes is suggested, and a word one
labelled speaker repeats is not.

Ranking: Kilgarriff's "simple maths" keyness against general Norwegian (wordfreq) with a
smoothing constant that lets common-but-central words (tid, samarbeid) through, times the square
root of the candidate's share of all units: one vivid speaker is not a pattern.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from thematic.corpus import Document
from thematic.nlp.analysis import DocAnalysis, Sentence, Token
from thematic.nlp.reference import reference_frequency
from thematic.nlp.stopwords import is_stop

ALGORITHM = "keyness.v2"  # v1 had no word families, phrase variants, acronyms or voices
PREPOSITIONS = frozenset("i på av med for til om fra hos under etter mellom uten".split())
FAMILY_POS = ("VERB", "ADJ")  # word classes that join a noun's family
MIN_DERIVING_VERB = 5  # letters; shorter verbs' stems are mostly other words (lage/lag)


@dataclass
class Candidate:
    """A possible code and the evidence for it, gathered over the whole corpus."""

    lemma: str
    head: str
    count: int = 0
    forms: Counter = field(default_factory=Counter)
    units: set = field(default_factory=set)  # participant ids: people and anonymous voices
    items: set = field(default_factory=set)
    places: list = field(default_factory=list)  # (doc id, sentence start, turn index, sentence)
    family: set = field(default_factory=set)  # lemmas of other word classes merged into it

    @property
    def is_phrase(self) -> bool:
        return " " in self.lemma

    def add(self, doc: Document, turn_index: int, unit: str, sentence: Sentence, form: str) -> None:
        """One occurrence; a sentence is one place however often the word occurs in it."""
        self.count += 1
        self.forms[form] += 1
        self.units.add(unit)
        self.items.add(doc.id)
        if not self.places or self.places[-1][:2] != (doc.id, sentence.start):
            self.places.append((doc.id, sentence.start, turn_index, sentence))

    def put_in_order(self) -> None:
        """Places in data order, one per sentence (after a family word's were added)."""
        merged = {place[:2]: place for place in self.places}
        self.places = [merged[key] for key in sorted(merged)]


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    keyness: float
    score: float
    variants: tuple[Candidate, ...] = ()  # phrases folded into this head, most frequent first


def is_acronym(lemma: str) -> bool:
    """AAP, DPS, IPS: 2-5 capitals, not a capitalised function word or filler."""
    return 2 <= len(lemma) <= 5 and lemma.isalpha() and lemma.isupper() and not is_stop(lemma.lower(), "NOUN")


def _content_noun(tok: Token) -> bool:
    """A noun that can be a code, and so the head of a phrase (a phrase's head is always a
    candidate of its own: ranking looks it up)."""
    if tok.pos == "PROPN":
        return is_acronym(tok.lemma)
    return tok.pos == "NOUN" and not is_stop(tok.lemma, tok.pos) and len(tok.lemma) >= 3


def _family_word(tok: Token) -> bool:
    """A verb or adjective that may belong to a noun's family."""
    return tok.pos in FAMILY_POS and not is_stop(tok.lemma, tok.pos) and len(tok.lemma) >= 3


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


Occurrence = tuple[Document, int, str, Sentence, Token]  # doc, turn index, unit, sentence, token


def merge_families(found: dict[str, Candidate], related: dict[tuple[str, str], list[Occurrence]]) -> None:
    """Each verb or adjective into the first noun candidate it derives to (in place); a word that
    joins no noun is dropped."""
    grown = set()
    for (pos, lemma), seen in sorted(related.items()):
        noun = next((found[n] for n in derived_nouns(lemma, pos) if n in found and not found[n].is_phrase), None)
        if noun is None:
            continue
        noun.family.add(lemma)
        for doc, turn_index, unit, sentence, tok in seen:
            noun.add(doc, turn_index, unit, sentence, doc.text[tok.start:tok.end].lower())
        grown.add(noun.lemma)
    for lemma in grown:
        found[lemma].put_in_order()


def collect(docs: Iterable[Document], analyses: dict[str, DocAnalysis]) -> tuple[dict[str, Candidate], int]:
    """Every candidate in informant turns, word families merged, and the number of informant
    word tokens."""
    found: dict[str, Candidate] = {}
    related: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
    total = 0
    for doc in docs:
        informants = {t.index: t for t in doc.informant_turns}
        for turn_index, sentence in analyses[doc.id].iter_sentences():
            turn = informants.get(turn_index)
            if turn is None:
                continue
            total += len(sentence.tokens)
            unit = turn.participant or doc.id
            toks = sentence.tokens
            for lemma, head, a, b in _spans(sentence):
                form = doc.text[toks[a].start:toks[b].end].lower()
                cand = found.get(lemma) or found.setdefault(lemma, Candidate(lemma, head))
                cand.add(doc, turn_index, unit, sentence, form)
            for tok in filter(_family_word, toks):
                related[(tok.pos, tok.lemma)].append((doc, turn_index, unit, sentence, tok))
    merge_families(found, related)
    return found, total


def simple_maths(count: int, total: int, reference: float, smoothing: float) -> float:
    """Kilgarriff's keyness: (per-million here + k) / (per-million in general Norwegian + k)."""
    return (count / max(total, 1) * 1e6 + smoothing) / (reference * 1e6 + smoothing)


def _variants(kept: dict[str, Candidate], params: dict) -> dict[str, list[Candidate]]:
    """head lemma -> its phrases that are common enough to list, most frequent first."""
    out: dict[str, list[Candidate]] = defaultdict(list)
    for cand in kept.values():
        if cand.is_phrase and cand.head in kept and cand.count / kept[cand.head].count >= params["min_phrase_share"]:
            out[cand.head].append(cand)
    return {head: sorted(phrases, key=lambda c: (-c.count, c.lemma)) for head, phrases in out.items()}


def _reference(cand: Candidate, found: dict[str, Candidate]) -> float:
    """How common the candidate is in general Norwegian (a phrase: its share of its head's)."""
    if not cand.is_phrase:
        return reference_frequency(cand.lemma, cand.forms)
    head = found[cand.head]
    return reference_frequency(cand.head, head.forms) * cand.count / head.count


def rank(found: dict[str, Candidate], total: int, units: int, params: dict) -> list[Suggestion]:
    """Candidates seen often and widely enough, phrases folded into their heads, best first
    (ties by lemma, so stable). `units` is the number of participants and voices in the study."""
    kept = {lemma: c for lemma, c in found.items()
            if c.count >= params["min_count"] and len(c.units) >= params["min_participants"]}
    variants = _variants(kept, params)
    out = []
    for cand in kept.values():
        if cand.is_phrase and cand.head in kept:
            continue  # listed with its head (or too rare beside it to list)
        keyness = simple_maths(cand.count, total, _reference(cand, found), params["smoothing"])
        score = keyness * math.sqrt(len(cand.units) / max(units, 1))
        out.append(Suggestion(cand, round(keyness, 3), round(score, 4), tuple(variants.get(cand.lemma, ()))))
    return sorted(out, key=lambda s: (-s.score, s.candidate.lemma))
