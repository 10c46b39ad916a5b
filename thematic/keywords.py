"""Words that mark a theme, and the informant turns that use them but were not coded with it.

Review is not an NLP phase, so words are lower-cased word forms (letters only, four or more,
no fillers or generic nouns). A theme keyword occurs in at least `min_turns` of the turns the
theme touches, is at least `min_lift` times as common there as in all informant turns, and is
rarer than `max_general` in general Norwegian (wordfreq), which keeps out words such as
"fikk" or "mange" that mark no theme.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable

from thematic.nlp.stopwords import FILLERS, GENERIC_NOUNS

_WORD = re.compile(r"[^\W\d_]{4,}")
_TOKEN = re.compile(r"[^\W\d_]+")
Turn = tuple[str, int]


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in FILLERS and w not in GENERIC_NOUNS)


def theme_keywords(theme_turns: Iterable[Turn], turn_words: dict[Turn, frozenset[str]], limit: int,
                   max_general: float, min_turns: int = 3, min_lift: float = 2.0) -> list[str]:
    """The words most over-represented in the theme's turns (by count x log2 lift), best first."""
    from thematic.nlp.reference import reference_frequency

    own = [turn_words[t] for t in theme_turns if t in turn_words]
    if not own or not turn_words:
        return []
    in_theme = Counter(w for ws in own for w in ws)
    overall = Counter(w for ws in turn_words.values() for w in ws)
    scored = []
    for word, n in in_theme.items():
        lift = (n / len(own)) / (overall[word] / len(turn_words))
        if n >= min_turns and lift >= min_lift and reference_frequency(word, ()) < max_general:
            scored.append((-round(n * math.log2(lift), 6), word))
    return [w for _, w in sorted(scored)[:limit]]


def possible_missed(keywords: list[str], theme_turns: set[Turn], turn_words: dict[Turn, frozenset[str]],
                    min_hits: int) -> list[tuple[Turn, list[str]]]:
    """Informant turns outside the theme that hold at least `min_hits` of its keywords."""
    wanted = set(keywords)
    hits = [(turn, sorted(turn_words[turn] & wanted)) for turn in sorted(turn_words) if turn not in theme_turns]
    found = [(turn, ws) for turn, ws in hits if len(ws) >= min_hits]
    return sorted(found, key=lambda pair: (-len(pair[1]), pair[0]))


def mentions(text: str, forms: Iterable[str]) -> list[str]:
    """The forms (single words or phrases) that occur as whole words in text."""
    padded = f" {' '.join(_TOKEN.findall(text.lower()))} "
    return sorted({f for f in forms if f and f" {f.lower()} " in padded})
