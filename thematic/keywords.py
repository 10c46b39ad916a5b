"""Words that mark a theme, and the informant turns that use them but were not coded with it.

Review is not an NLP phase, so words are lower-cased word forms (letters only, four or more,
no fillers or generic nouns). A theme keyword occurs in at least `min_turns` of the turns the
theme touches, is at least `min_lift` times as common there as in all informant turns, and is
rarer than `max_general` in general Norwegian (wordfreq), which keeps out words such as
"fikk" or "mange" that mark no theme.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Collection, Iterable, Mapping, Sequence

from thematic.nlp.stopwords import FILLERS, GENERIC_NOUNS

_WORD = re.compile(r"[^\W\d_]{4,}")
_TOKEN = re.compile(r"[^\W\d_]+")
TOKEN_RULE = _TOKEN.pattern  # what tokens() finds: words kept between runs are kept under it
NOT_KEYWORDS = FILLERS | GENERIC_NOUNS
MIN_TURNS = 3  # a theme keyword occurs in at least this many of the theme's turns
Turn = tuple[str, int]
Words = Collection[str]  # a turn's distinct words: thematic.turn_words' sorted tuple, or words()' frozenset


def words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower())).difference(NOT_KEYWORDS)


def word_turns(turns: Iterable[Words]) -> Counter:
    """In how many of these turns each word occurs (over all turns: every theme's baseline)."""
    counts: Counter = Counter()
    for ws in turns:
        counts.update(ws)
    return counts


def theme_keywords(theme_turns: Iterable[Turn], turn_words: dict[Turn, Words], limit: int,
                   max_general: float, min_turns: int = MIN_TURNS, min_lift: float = 2.0,
                   overall: Mapping[str, int] | None = None, general: dict[str, float] | None = None) -> list[str]:
    """The words most over-represented in the theme's turns (by count x log2 lift), best first.
    `overall` is word_turns(turn_words.values()) and `general` general_frequencies(...), when a
    caller asks for many themes over one data set."""
    own = [turn_words[t] for t in theme_turns if t in turn_words]
    if not own or not turn_words:
        return []
    in_theme = word_turns(own)
    overall = word_turns(turn_words.values()) if overall is None else overall
    scored = []
    for word, n in in_theme.items():
        if n < min_turns:  # most words: no lift to compute
            continue
        lift = (n / len(own)) / (overall[word] / len(turn_words))
        if lift >= min_lift and _frequency(word, general) < max_general:
            scored.append((-round(n * math.log2(lift), 6), word))
    return [w for _, w in sorted(scored)[:limit]]


def keyword_words(overall: Mapping[str, int], general: dict[str, float], max_general: float,
                  min_turns: int = MIN_TURNS) -> set[str]:
    """The words that can be a theme keyword at all: in `min_turns` turns or more and rarer than
    `max_general` (theme_keywords gives the same keywords when a turn's other words are left out)."""
    return {w for w, n in overall.items() if n >= min_turns and _frequency(w, general) < max_general}


def _frequency(word: str, general: dict[str, float] | None) -> float:
    return general[word] if general is not None and word in general else _general(word)


def general_frequencies(overall: Mapping[str, int], min_turns: int, cache: Path) -> dict[str, float]:
    """The general frequency of every word in at least `min_turns` informant turns: the only
    words a theme keyword can be. They depend on the transcripts alone, so they are kept in
    `cache` and a re-run after a decision does not load wordfreq's table (over half a second).
    Written on every call, found or not: a run writes the same files whatever it finds (a kept
    file as it was read, not encoded again: that is most of the call at 1M words)."""
    from thematic.errors import ThematicError
    from thematic.written import write_cache

    wanted = sorted(w for w, n in overall.items() if n >= min_turns)
    key = _vocabulary_key(wanted)
    try:
        text = cache.read_text(encoding="utf-8")
        kept = json.loads(text)
    except (OSError, ValueError):
        text, kept = "", {}
    found = kept.get("frequencies") if isinstance(kept, dict) and kept.get("key") == key else None
    frequencies = found if isinstance(found, dict) else {w: _general(w) for w in wanted}
    try:
        write_cache(cache, text if frequencies is found else
                    json.dumps({"key": key, "frequencies": frequencies}, ensure_ascii=False))
    except (ThematicError, OSError):  # a cache: a read-only folder only costs time
        pass
    return frequencies


def _vocabulary_key(words: list[str]) -> str:
    from thematic.artefacts import sha256_bytes

    from thematic.versions import installed_version

    version = installed_version("wordfreq") or "?"
    return sha256_bytes(json.dumps([version, words], ensure_ascii=False).encode("utf-8"))


@lru_cache(maxsize=65536)
def _general(word: str) -> float:
    """A word's frequency in general Norwegian (asked once per word, not once per theme)."""
    from thematic.nlp.reference import reference_frequency

    return reference_frequency(word, ())


def possible_missed(keywords: list[str], theme_turns: set[Turn], turn_words: dict[Turn, Words],
                    min_hits: int) -> list[tuple[Turn, list[str]]]:
    """Informant turns outside the theme that hold at least `min_hits` of its keywords."""
    wanted = set(keywords)
    hits = [(turn, sorted(wanted.intersection(turn_words[turn]))) for turn in sorted(turn_words) if turn not in theme_turns]
    found = [(turn, ws) for turn, ws in hits if len(ws) >= min_hits]
    return sorted(found, key=lambda pair: (-len(pair[1]), pair[0]))


def missed_candidates(keywords: Iterable[list[str]], turn_words: dict[Turn, Words],
                      min_hits: int) -> dict[Turn, Words]:
    """The turns that hold `min_hits` of all these themes' keywords together: the only turns
    possible_missed can find for any of them (one pass over the turns, not one per theme)."""
    wanted = set().union(*keywords)
    return {turn: ws for turn, ws in turn_words.items() if len(wanted.intersection(ws)) >= min_hits}


@dataclass(frozen=True)
class Mentioning:
    """Whether mentions(text, forms) finds any, for many texts: single words are looked up among
    the text's words, and only a phrase whose first word is among them is searched for
    (thousands of questions, hundreds of forms). `words`: tokenized(text), when the caller has them."""

    single: frozenset[str]
    phrases: dict[str, list[str]]  # a phrase's first word -> the phrases, space-padded

    def __call__(self, text: str, words: Sequence[str] | None = None) -> bool:
        words = tokenized(text) if words is None else words
        if not self.single.isdisjoint(words):
            return True
        first = self.phrases.keys() & words
        padded = _padded(words) if first else ""
        return any(p in padded for w in first for p in self.phrases[w])


def mentioning(forms: Iterable[str]) -> Mentioning:
    """The forms (any case; empty ones left out) split into single words and phrases."""
    lowered = {f.lower() for f in forms if f}
    single = frozenset(f for f in lowered if " " not in f)
    phrases: dict[str, list[str]] = {}
    for f in sorted(lowered - single):
        phrases.setdefault(f.split(" ")[0], []).append(f" {f} ")
    return Mentioning(single, phrases)


def naming(forms_of: Mapping[str, Iterable[str]], asked_of: Mapping[str, Iterable[str]],
           holding: Callable[[str], Iterable[str]]) -> dict[str, set[str]]:
    """For each key of `forms_of` (a theme), which of its questions (`asked_of`) name one of its
    forms, as mentioning finds them. `holding(word)`: the questions whose tokens include the word
    (thematic.turn_words keeps them): a single form's questions are looked up, and a phrase is
    searched for only in the questions holding all its words, not every question in every theme."""
    named = {}
    for key, forms in forms_of.items():
        test, asked = mentioning(forms), set(asked_of[key])
        sure = asked & set().union(*map(holding, test.single))
        maybe = asked & set().union(*(_holding_all(holding, p) for ps in test.phrases.values() for p in ps)) - sure
        named[key] = sure | {q for q in maybe if test(q)}
    return named


def _holding_all(holding: Callable[[str], Iterable[str]], phrase: str) -> set[str]:
    """The questions holding every word of the phrase (a phrase is found only among them)."""
    words = phrase.split()
    return set(holding(words[0])).intersection(*map(holding, words[1:])) if words else set()


def mentions(text: str, forms: Iterable[str]) -> list[str]:
    """The forms (single words or phrases) that occur as whole words in text."""
    padded = _padded(tokenized(text))
    return sorted({f for f in forms if f and f" {f.lower()} " in padded})


def tokens(text: str) -> tuple[str, ...]:
    """A text's words, lower-cased, in order."""
    return tuple(_TOKEN.findall(text.lower()))


@lru_cache(maxsize=32768)
def tokenized(text: str) -> tuple[str, ...]:
    """tokens(text), kept: a caller without thematic.turn_words' question words asks of the same
    questions once per theme. Phase 4 has those words, so it leaves this cache empty."""
    return tokens(text)


def _padded(words: Sequence[str]) -> str:
    """Words space-separated and space-padded: a phrase is found as " its words "."""
    return f" {' '.join(words)} "
