"""The words phase 4 reads in the transcripts, kept between runs: they change only with the texts.

Phase 4 looks for theme keywords and possibly missed extracts among the words of every informant
turn, and for a theme's words in every question asked (thematic.keywords). Finding them is a
third of the phase on a large study, yet a decision changes none of them, so a re-run after one
takes them from `cache/turn-words.bin`, kept under a digest of the very texts they were found
in and of the rules that find them: a changed transcript, turn split or stop list finds them
again. Words are stored once each (a vocabulary) and referred to by number, in binary: reading
JSON of this size would cost most of what the cache saves.
"""

from __future__ import annotations

import hashlib
import json
import sys
from array import array
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import numpy as np

from thematic.keywords import NOT_KEYWORDS, Turn, tokens, words

CACHE = "turn-words.bin"
FORMAT = "thematic-turn-words@3"
HASHED_AT_ONCE = 1000  # texts joined per update of the digest


@dataclass(frozen=True)
class TurnWords:
    """Each informant turn's distinct words (keywords.words) as numbers in a sorted vocabulary,
    every turn's after the one before in one array, and each question's words (keywords.tokens).
    Phase 4 counts words over many turns at once and needs the words of a few turns only, so the
    words are not made into a tuple of strings per turn (the larger part of a re-run's reading)."""

    keys: list[Turn]  # the turns in the order given
    vocabulary: list[str]  # sorted: a word's number is its place
    starts: np.ndarray  # turn k's numbers are ids[starts[k]:starts[k + 1]], ascending
    ids: np.ndarray
    questions: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, keys: list[Turn], found: Iterable[Iterable[str]], questions: dict[str, tuple[str, ...]]) -> "TurnWords":
        """From each turn's words (each once, in any order), one turn at a time: numbered as they
        come, then renumbered in the vocabulary's order (no string is kept per turn)."""
        number: dict[str, int] = {}
        sizes, ids = array("I"), array("I")
        for ws in found:
            before = len(ids)
            ids.extend([number.setdefault(w, len(number)) for w in ws])
            sizes.append(len(ids) - before)
        vocabulary = sorted(number)
        place = np.empty(len(number), dtype=np.uint32)
        place[np.fromiter(map(number.__getitem__, vocabulary), dtype=np.int64, count=len(number))] = np.arange(len(number))
        renumbered = place[np.frombuffer(ids, dtype=np.uint32)] if len(ids) else np.zeros(0, dtype=np.uint32)
        sizes_ = np.frombuffer(sizes, dtype=np.uint32) if len(sizes) else np.zeros(0, dtype=np.uint32)
        of_turn = np.repeat(np.arange(len(sizes_)), sizes_)
        return cls(keys, vocabulary, _starts(sizes_), renumbered[np.lexsort((renumbered, of_turn))], questions)

    @cached_property
    def row(self) -> dict[Turn, int]:
        return {key: k for k, key in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self.keys)

    def words_of(self, turn: Turn) -> tuple[str, ...]:
        """One turn's words, sorted."""
        k = self.row[turn]
        return tuple(map(self.vocabulary.__getitem__, self.ids[self.starts[k]:self.starts[k + 1]].tolist()))

    def counts(self, turns: Iterable[Turn] | None = None, at_least: int = 1) -> dict[str, int]:
        """In how many of these turns (default: all) each word occurs (keywords.word_turns), for
        the words in at least `at_least` of them."""
        ids = self.ids if turns is None else self.ids[np.repeat(self._mask(turns), np.diff(self.starts))]
        tally = np.bincount(ids, minlength=len(self.vocabulary))
        found = np.flatnonzero(tally >= max(at_least, 1))
        return dict(zip(map(self.vocabulary.__getitem__, found.tolist()), tally[found].tolist()))

    def holding(self, wanted: Iterable[str], at_least: int) -> dict[Turn, tuple[str, ...]]:
        """The turns that hold at least `at_least` of the wanted words, with the wanted words
        each holds (sorted): only those become strings."""
        number = dict(zip(self.vocabulary, range(len(self.vocabulary))))
        marked = np.zeros(len(self.vocabulary) + 1, dtype=bool)
        marked[[number.get(w, len(self.vocabulary)) for w in wanted]] = True  # the last: a word no turn has
        at = np.flatnonzero(marked[self.ids])  # the places of the wanted words, turn by turn
        turn_of = np.searchsorted(self.starts, at, side="right") - 1
        hits = np.bincount(turn_of, minlength=len(self.keys))
        held: dict[int, list[str]] = {k: [] for k in np.flatnonzero(hits >= at_least).tolist()}
        for k, word in zip(turn_of.tolist(), self.ids[at].tolist()):
            if k in held:
                held[k].append(self.vocabulary[word])
        return {self.keys[k]: tuple(ws) for k, ws in held.items()}

    def _mask(self, turns: Iterable[Turn]) -> np.ndarray:
        mask = np.zeros(len(self.keys), dtype=bool)
        mask[[self.row[t] for t in turns if t in self.row]] = True
        return mask


class QuestionWords(Mapping[str, tuple[str, ...]]):
    """Each question's words, kept as the line the cache holds and split when asked for: phase 4
    asks for the questions its themes' extracts answer, and splitting all of them up front was
    most of reading the cache (thousands of questions at 1M words)."""

    def __init__(self, lines: dict[str, str]) -> None:
        self._lines = lines
        self._split: dict[str, tuple[str, ...]] = {}  # split once, asked of by every theme

    def __getitem__(self, question: str) -> tuple[str, ...]:
        if question not in self._split:
            line = self._lines[question]
            self._split[question] = tuple(line.split(" ")) if line else ()
        return self._split[question]

    def get(self, question: str, default: Any = None) -> Any:
        return self[question] if question in self._lines else default

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


def _starts(sizes: np.ndarray) -> np.ndarray:
    return np.concatenate(([0], np.cumsum(sizes, dtype=np.int64)))


def turn_words(informant: dict[Turn, str], questions: Iterable[str], cache: Path) -> TurnWords:
    """The words of these informant turns (key -> text) and questions (in the order asked), from
    `cache` when it was made from the same texts, else found and kept there (a read-only folder
    only costs time)."""
    asked = [q for q in dict.fromkeys(questions) if q]
    key = _digest(informant, asked)
    kept = _read(cache, key, list(informant), asked)
    if kept is not None:
        return kept
    found = _found(informant, asked)
    _write(cache, key, found)
    return found


def _found(informant: dict[Turn, str], asked: list[str]) -> TurnWords:
    """Each turn's words by number; each question's words one string per distinct word."""
    one = {}.setdefault
    return TurnWords.of(list(informant), map(words, informant.values()),
                        {q: tuple([one(w, w) for w in tokens(q)]) for q in asked})


def _digest(informant: dict[Turn, str], asked: list[str]) -> str:
    """Of the turns' keys, every text's length (so no text can run into the next), the texts
    and the rules. The texts are hashed a thousand at a time, not all joined: the same digest
    without a copy of every text at once."""
    h = hashlib.sha256(f"{FORMAT}\n{_rules()}\n".encode())
    for pieces in ([repr(list(informant))], [repr([len(t) for t in informant.values()])], _batches(informant.values()),
                   [repr([len(q) for q in asked])], _batches(asked)):
        for piece in pieces:
            h.update(piece.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _batches(texts: Iterable[str]) -> Iterator[str]:
    """The texts joined, HASHED_AT_ONCE at a time."""
    left = iter(texts)
    while batch := list(islice(left, HASHED_AT_ONCE)):
        yield "".join(batch)


@lru_cache(maxsize=1)
def _rules() -> str:
    """The word rules that are data: the words that are never keywords."""
    return hashlib.sha256("\n".join(sorted(NOT_KEYWORDS)).encode()).hexdigest()


def _read(cache: Path, key: str, turns: list[Turn], asked: list[str]) -> TurnWords | None:
    """The kept words when the cache holds these texts': a header line; the turns' vocabulary,
    a word a line; the questions' words, a question a line; how many words each turn has and
    their numbers in the vocabulary, as 32-bit integers (read in place, not copied)."""
    try:
        loaded = _load(cache, key)
        if loaded is None:
            return None
        vocab, questions, numbers = loaded[0].split("\n") if loaded[0] else [], loaded[1].split("\n") if asked else [], loaded[2]
        sizes, ids = numbers[:len(turns)], numbers[len(turns):]
        if len(sizes) != len(turns) or int(sizes.sum(dtype=np.int64)) != len(ids) or len(questions) != len(asked):
            return None  # cut short or run on: not what was written
        if len(ids) and int(ids.max()) >= len(vocab):
            return None
        return TurnWords(turns, vocab, _starts(sizes), ids, QuestionWords(dict(zip(asked, questions))))
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, UnicodeDecodeError):
        return None  # no cache, or not this one: found again


def _load(cache: Path, key: str) -> tuple[str, str, np.ndarray] | None:
    """The vocabulary and the questions as text and the numbers (over the file's bytes), when
    the header says they are these texts' words."""
    data = cache.read_bytes()
    start = data.index(b"\n") + 1
    meta = json.loads(data[:start])
    if meta.get("format") != FORMAT or meta.get("key") != key or meta.get("byteorder") != sys.byteorder:
        return None
    body, cut = memoryview(data)[start:], meta["vocabulary"] + meta["questions"]
    return (str(body[:meta["vocabulary"]], "utf-8"), str(body[meta["vocabulary"]:cut], "utf-8"),
            np.frombuffer(body[cut:], dtype=np.uint32))


def _write(cache: Path, key: str, found: TurnWords) -> None:
    """Words are letters only (keywords' patterns), so a space or a new line never is one."""
    from thematic.artefacts import replace_atomically, temp_files_of

    text = "\n".join(found.vocabulary).encode("utf-8")
    questions = "\n".join(map(" ".join, found.questions.values())).encode("utf-8")
    numbers = np.concatenate((np.diff(found.starts).astype(np.uint32), found.ids.astype(np.uint32)))
    meta = {"format": FORMAT, "key": key, "byteorder": sys.byteorder, "vocabulary": len(text), "questions": len(questions)}
    try:  # as thematic.written.write_cache, in bytes: a killed write's temp file first
        for leftover in temp_files_of(cache):
            leftover.unlink(missing_ok=True)
        replace_atomically(cache, [json.dumps(meta).encode(), b"\n", text, questions, numbers.tobytes()])
    except OSError:
        pass  # a read-only folder only costs time
