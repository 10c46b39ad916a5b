"""The questions asked in the transcripts, indexed by their words, kept between runs (thematic.kept_words).

Phase 4 measures how much of a theme answers a question that names one of its forms
(keywords.naming), over thousands of questions. The questions are kept as an index, for each word
the questions that hold it, so a re-run after a decision looks a theme's forms up rather than
reading every question's words (splitting them was most of that measure). Kept in
`cache/question-words.bin`, apart from the turns' words: phase 4 reads them on the other core.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from thematic import kept_words
from thematic.keywords import TOKEN_RULE, tokens

CACHE = "question-words.bin"
FORMAT = "thematic-question-words@1"


@dataclass(frozen=True)
class QuestionWords:
    """The questions asked, in order, and for each word (keywords.tokens) the questions holding it."""

    asked: list[str]  # a question's number is its place
    words: list[str]  # sorted: every word some question holds
    ends: Sequence[int]  # per word, where its questions end in `numbers` (they start where the word before ends)
    numbers: Sequence[int]  # per word, the numbers of the questions holding it, ascending

    def holding(self, word: str) -> list[str]:
        """The questions whose words include `word`, in the order asked."""
        at = bisect_left(self.words, word)
        if at == len(self.words) or self.words[at] != word:
            return []
        return [self.asked[n] for n in self.numbers[self.ends[at - 1] if at else 0:self.ends[at]]]


def question_words(questions: Iterable[str], cache: Path) -> tuple[QuestionWords, str | None]:
    """The index of these questions (in the order asked; empty ones left out), from `cache` when
    it was made from the same questions; else found, with the key to keep it under (`keep`: the
    caller keeps it, as phase 4 finds it on the other core and only this process writes)."""
    asked = [q for q in dict.fromkeys(questions) if q]
    key = kept_words.digest(f"{FORMAT}\n{TOKEN_RULE}", [], asked)
    kept = kept_words.read(cache, FORMAT, key)
    if kept is not None:
        words, numbers = kept
        ends, postings = numbers[:len(words)], numbers[len(words):]
        if len(ends) == len(words) and (ends[-1] if words else 0) == len(postings):
            return QuestionWords(asked, words, ends, postings), None
    return _found(asked), key


def keep(cache: Path, key: str, index: QuestionWords) -> None:
    """Keep a found index for the next run."""
    kept_words.write(cache, FORMAT, key, index.words, (index.ends, index.numbers))


def _found(asked: list[str]) -> QuestionWords:
    """Each question's distinct words, and for each word the questions holding it."""
    holding: defaultdict[str, array] = defaultdict(lambda: array("I"))  # 4 bytes a question, not a Python int
    for n, question in enumerate(asked):
        for word in set(tokens(question)):
            holding[word].append(n)
    words, ends, numbers = sorted(holding), array("I"), array("I")
    for word in words:
        numbers.extend(holding[word])
        ends.append(len(numbers))
    return QuestionWords(asked, words, ends, numbers)
