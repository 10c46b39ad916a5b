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
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from thematic.keywords import NOT_KEYWORDS, Turn, tokens, words

CACHE = "turn-words.bin"
FORMAT = "thematic-turn-words@2"
HASHED_AT_ONCE = 1000  # texts joined per update of the digest


@dataclass(frozen=True)
class TurnWords:
    """Each informant turn's words (keywords.words) and each question's (keywords.tokenized)."""

    turns: dict[Turn, tuple[str, ...]]  # sorted, each distinct word one string shared by every turn
    questions: Mapping[str, tuple[str, ...]]


class QuestionWords(Mapping[str, tuple[str, ...]]):
    """Each question's words, kept as the line the cache holds and split when first asked for:
    phase 4 asks for the questions its themes' extracts answer, and splitting every question up
    front was most of reading the cache (about 11,000 questions at 1M words)."""

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
    """Each turn's words as a sorted tuple of strings shared with every other turn (one string
    per distinct word, not a set of its own copies per turn: a tenth of the memory at 10M words)."""
    shared: dict[str, str] = {}
    one = shared.setdefault
    turns = {k: tuple(sorted([one(w, w) for w in words(text)])) for k, text in informant.items()}
    return TurnWords(turns, {q: tuple([one(w, w) for w in tokens(q)]) for q in asked})


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
    """The kept words when the cache holds these texts': a header line; the turns' vocabulary,
    a word a line; the questions' words, a question a line; how many words each turn has and
    their numbers in the vocabulary, as 32-bit integers."""
    try:
        loaded = _load(cache, key)
        if loaded is None:
            return None
        vocab, questions, numbers = loaded[0].split("\n"), loaded[1].split("\n") if asked else [], loaded[2]
        view = memoryview(numbers)  # slices of it copy nothing
        sizes, ids = view[:len(turns)], view[len(turns):]
        if len(sizes) != len(turns) or sum(sizes) != len(ids) or len(questions) != len(asked):
            return None  # cut short or run on: not what was written
        words = [tuple(map(vocab.__getitem__, ids[a:b])) for a, b in _spans(sizes)]
        return TurnWords(dict(zip(turns, words)), QuestionWords(dict(zip(asked, questions))))
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


def _spans(sizes: array) -> list[tuple[int, int]]:
    out, start = [], 0
    for size in sizes:
        out.append((start, start + size))
        start += size
    return out


def _write(cache: Path, key: str, found: TurnWords) -> None:
    """Words are letters only (keywords' patterns), so a space or a new line never is one."""
    from thematic.artefacts import replace_atomically, temp_files_of

    vocab = sorted(set(chain.from_iterable(found.turns.values())))
    number = {w: i for i, w in enumerate(vocab)}
    text = "\n".join(vocab).encode("utf-8")
    questions = "\n".join(map(" ".join, found.questions.values())).encode("utf-8")
    numbers = array("I", map(len, found.turns.values()))
    numbers.extend(map(number.__getitem__, chain.from_iterable(found.turns.values())))
    meta = {"format": FORMAT, "key": key, "byteorder": sys.byteorder, "vocabulary": len(text), "questions": len(questions)}
    try:  # as thematic.written.write_cache, in bytes: a killed write's temp file first
        for leftover in temp_files_of(cache):
            leftover.unlink(missing_ok=True)
        replace_atomically(cache, [json.dumps(meta).encode(), b"\n", text, questions, numbers.tobytes()])
    except OSError:
        pass  # a read-only folder only costs time
