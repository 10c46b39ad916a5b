"""The words of every informant turn, as phase 4 reads them, kept between runs (thematic.kept_words).

Phase 4 looks for theme keywords and possibly missed extracts among the words of every informant
turn (thematic.keywords); a re-run after a decision takes them from `cache/turn-words.bin`. Words
are stored once each (a vocabulary) and referred to by number. They stay numbers once read, with
how many turns hold each word: phase 4 makes strings only of the words that can be keywords
(TurnWords.among), a few of every turn's.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Collection, Sequence

from thematic import kept_words
from thematic.keywords import NOT_KEYWORDS, Turn, words

CACHE = "turn-words.bin"
FORMAT = "thematic-turn-words@5"  # @5: the questions' words kept apart (thematic.question_words)


@dataclass(frozen=True)
class TurnWords:
    """Each informant turn's distinct words (keywords.words) as numbers in a sorted vocabulary,
    and in how many turns each word occurs."""

    keys: list[Turn]
    vocabulary: list[str]  # sorted: a word's number is its place
    sizes: Sequence[int]  # how many words each turn has
    ids: Sequence[int]  # every turn's numbers after the one before, ascending within a turn
    held: Sequence[int]  # per word, in how many turns it occurs

    def counts(self) -> dict[str, int]:
        """In how many turns each word occurs (keywords.word_turns over every turn)."""
        return dict(zip(self.vocabulary, self.held))

    def among(self, wanted: Collection[str] | None = None) -> dict[Turn, tuple[str, ...]]:
        """Every turn's words that are among `wanted` (default: all), sorted."""
        keep = None if wanted is None else {i for i, w in enumerate(self.vocabulary) if w in wanted}
        out, start, word = {}, 0, self.vocabulary.__getitem__
        for key, size in zip(self.keys, self.sizes):
            numbers = self.ids[start:start + size]
            out[key] = tuple(map(word, numbers if keep is None else filter(keep.__contains__, numbers)))
            start += size
        return out


def turn_words(informant: dict[Turn, str], cache: Path) -> TurnWords:
    """The words of these informant turns (key -> text), from `cache` when it was made from the
    same texts, else found and kept there."""
    keys = list(informant)
    key = kept_words.digest(f"{FORMAT}\n{_rules()}", keys, list(informant.values()))
    kept = _read(cache, key, keys)
    if kept is not None:
        return kept
    found = _found(informant)
    kept_words.write(cache, FORMAT, key, found.vocabulary, (found.sizes, found.held, found.ids))
    return found


def _found(informant: dict[Turn, str]) -> TurnWords:
    """Each turn's words numbered as they come (no strings kept per turn), then in the
    vocabulary's order."""
    number: dict[str, int] = {}
    sizes, first = array("I"), array("I")
    for text in informant.values():
        found = words(text)
        sizes.append(len(found))
        first.extend([number.setdefault(w, len(number)) for w in found])
    vocabulary = sorted(number)
    place = array("I", bytes(4 * len(number)))
    for rank, w in enumerate(vocabulary):
        place[number[w]] = rank
    ids, start = array("I"), 0
    for size in sizes:
        ids.extend(sorted(map(place.__getitem__, first[start:start + size])))
        start += size
    held = Counter(ids)
    return TurnWords(list(informant), vocabulary, sizes, ids, array("I", [held[i] for i in range(len(vocabulary))]))


@lru_cache(maxsize=1)
def _rules() -> str:
    """The word rules that are data: the words that are never keywords."""
    return hashlib.sha256("\n".join(sorted(NOT_KEYWORDS)).encode()).hexdigest()


def _read(cache: Path, key: str, turns: list[Turn]) -> TurnWords | None:
    """The kept words when the cache holds these texts': the vocabulary, then how many words each
    turn has, in how many turns each word occurs, and the turns' words by number."""
    kept = kept_words.read(cache, FORMAT, key)
    if kept is None:
        return None
    vocab, numbers = kept
    sizes, held, ids = numbers[:len(turns)], numbers[len(turns):len(turns) + len(vocab)], numbers[len(turns) + len(vocab):]
    if len(sizes) != len(turns) or len(held) != len(vocab) or sum(sizes) != len(ids):
        return None  # cut short or run on: not what was written
    return TurnWords(turns, vocab, sizes, ids, held)
