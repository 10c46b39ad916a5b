"""The words phase 4 reads in the transcripts, kept between runs: they change only with the texts.

Phase 4 looks for theme keywords and possibly missed extracts among the words of every informant
turn, and for a theme's words in every question asked (thematic.keywords). Finding them is a
third of the phase on a large study, yet a decision changes none of them, so a re-run after one
takes them from `cache/turn-words.bin`, kept under a digest of the very texts they were found
in and of the rules that find them: a changed transcript, turn split or stop list finds them
again. Words are stored once each (a vocabulary) and referred to by number, in binary: reading
JSON of this size would cost most of what the cache saves. They stay numbers once read, with how
many turns hold each word: phase 4 makes strings only of the words that can be keywords
(TurnWords.among), a few of every turn's. The questions are kept as an index: for each word,
the questions that hold it (QuestionWords).
"""

from __future__ import annotations

import hashlib
import json
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Collection, Iterable, Iterator, Sequence

from thematic.keywords import NOT_KEYWORDS, Turn, tokens, words

CACHE = "turn-words.bin"
FORMAT = "thematic-turn-words@4"  # @4: the questions as an index of their words
HASHED_AT_ONCE = 1000  # texts joined per update of the digest


@dataclass(frozen=True)
class TurnWords:
    """Each informant turn's distinct words (keywords.words) as numbers in a sorted vocabulary,
    in how many turns each word occurs, and the questions holding each word (keywords.tokens)."""

    keys: list[Turn]
    vocabulary: list[str]  # sorted: a word's number is its place
    sizes: Sequence[int]  # how many words each turn has
    ids: Sequence[int]  # every turn's numbers after the one before, ascending within a turn
    held: Sequence[int]  # per word, in how many turns it occurs
    questions: QuestionWords

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


@dataclass(frozen=True)
class QuestionWords:
    """The questions asked, indexed by the words they hold (keywords.tokens): phase 4 looks for the
    questions that name a theme's forms among thousands, and looking the forms up here costs less
    than reading every question's words (splitting them was most of phase 4's questions)."""

    asked: list[str]  # a question's number is its place
    words: list[str]  # sorted: every word some question holds
    ends: Sequence[int]  # per word, where its questions end in `numbers` (they start where the last word's end)
    numbers: Sequence[int]  # per word, the numbers of the questions holding it, ascending

    @classmethod
    def of(cls, asked: list[str]) -> QuestionWords:
        """The index of these questions' words."""
        holding: dict[str, list[int]] = {}
        for n, question in enumerate(asked):
            for word in dict.fromkeys(tokens(question)):
                holding.setdefault(word, []).append(n)
        words, ends, numbers = sorted(holding), array("I"), array("I")
        for word in words:
            numbers.extend(holding[word])
            ends.append(len(numbers))
        return cls(asked, words, ends, numbers)

    def holding(self, word: str) -> list[str]:
        """The questions whose words include `word`, in the order asked."""
        at = bisect_left(self.words, word)
        if at == len(self.words) or self.words[at] != word:
            return []
        return [self.asked[n] for n in self.numbers[self.ends[at - 1] if at else 0:self.ends[at]]]


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
    """Each turn's words numbered as they come (no strings kept per turn), then in the
    vocabulary's order; the questions indexed by their words."""
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
    return TurnWords(list(informant), vocabulary, sizes, ids, array("I", [held[i] for i in range(len(vocabulary))]),
                     QuestionWords.of(asked))


def _digest(informant: dict[Turn, str], asked: list[str]) -> str:
    """Of the turns' keys, every text's length (so no text can run into the next), the texts
    and the rules. The texts are hashed a thousand at a time, not all joined: the same digest
    without a copy of every text at once, and without an update per text."""
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
    """The kept words when the cache holds these texts': a header line; the vocabulary, a word a
    line; the questions' words, a word a line; then as 32-bit integers how many words each turn
    has, in how many turns each word occurs, the turns' words by number, and per question word
    where its questions end and the questions holding it by number."""
    try:
        loaded = _load(cache, key)
        if loaded is None:
            return None
        vocab = loaded[0].split("\n") if loaded[0] else []
        qwords, numbers = loaded[1].split("\n") if loaded[1] else [], memoryview(loaded[2])  # slices copy nothing
        sizes, numbers = numbers[:len(turns)], numbers[len(turns):]
        held, numbers = numbers[:len(vocab)], numbers[len(vocab):]
        total = sum(sizes)
        ids, numbers = numbers[:total], numbers[total:]
        ends, postings = numbers[:len(qwords)], numbers[len(qwords):]
        if (len(sizes) != len(turns) or len(held) != len(vocab) or len(ids) != total or len(ends) != len(qwords)
                or (ends[-1] if qwords else 0) != len(postings)):
            return None  # cut short or run on: not what was written
        return TurnWords(turns, vocab, sizes, ids, held, QuestionWords(asked, qwords, ends, postings))
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, UnicodeDecodeError):
        return None  # no cache, or not this one: found again


def _load(cache: Path, key: str) -> tuple[str, str, array] | None:
    """The vocabulary and the questions as text and the numbers, when the header says they are
    these texts' words; the file's bytes are let go on return (at 10M words, tens of MB)."""
    data = cache.read_bytes()
    start = data.index(b"\n") + 1
    meta = json.loads(data[:start])
    if meta.get("format") != FORMAT or meta.get("key") != key or meta.get("byteorder") != sys.byteorder:
        return None
    body, cut = memoryview(data)[start:], meta["vocabulary"] + meta["questions"]
    numbers = array("I")
    numbers.frombytes(body[cut:])
    return str(body[:meta["vocabulary"]], "utf-8"), str(body[meta["vocabulary"]:cut], "utf-8"), numbers


def _write(cache: Path, key: str, found: TurnWords) -> None:
    """Words are letters only (keywords' patterns), so a space or a new line never is one."""
    from thematic.artefacts import replace_atomically, temp_files_of

    text = "\n".join(found.vocabulary).encode("utf-8")
    questions = "\n".join(found.questions.words).encode("utf-8")
    numbers = array("I", found.sizes)
    for part in (found.held, found.ids, found.questions.ends, found.questions.numbers):
        numbers.extend(part)
    meta = {"format": FORMAT, "key": key, "byteorder": sys.byteorder, "vocabulary": len(text), "questions": len(questions)}
    try:  # as thematic.written.write_cache, in bytes: a killed write's temp file first
        for leftover in temp_files_of(cache):
            leftover.unlink(missing_ok=True)
        replace_atomically(cache, [json.dumps(meta).encode(), b"\n", text, questions, numbers.tobytes()])
    except OSError:
        pass  # a read-only folder only costs time
