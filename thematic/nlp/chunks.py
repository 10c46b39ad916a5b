"""Cut a text too long for one spaCy doc into pieces whose analyses join into the one-doc result.

A cut is clean when the one-doc analysis starts a sentence there anyway: between two turns, or
after a word the tokenizer ends with a sentence end (not "f.eks." or "i.", which it keeps whole,
and never inside a "[...]" or "(ler)" marker). Only a stretch of a whole chunk without any clean
cut (one endless sentence) falls back to a paragraph break, a line break, a space, or a hard cut.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from thematic.nlp.components import CLOSERS, SENTENCE_END

# a word ending in an end mark (and a closer), then space, then no end mark or closer to carry it on
_SENTENCE = re.compile(r"(?<!\S)(\S*[.!?…][»\"”)\]']?)\s+(?=[^\s.!?…»\"”)\]'])")
_FALLBACKS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"\s+"))
_WHITESPACE = re.compile(r"\s+")
_TAIL = 1 << 16  # characters searched first, at the end of the window
_MARKERS = (("[", "]", 42), ("(", ")", 22))  # opener, closer, longest marker (components.py)


@dataclass(frozen=True)
class Chunker:
    """Chunks of one text; `gaps` are the clean cuts between turns, ascending."""

    text: str
    gaps: Sequence[int]
    tokenizer: Any

    def spans(self, limit: int) -> list[tuple[int, int]]:
        """(start, end) of consecutive pieces, each at most `limit` characters."""
        spans, start = [], 0
        while start < len(self.text):
            end = self.cut(start, limit)
            spans.append((start, end))
            start = end
        return spans

    def cut(self, start: int, limit: int) -> int:
        """The end of the chunk from `start`: its last clean cut, else a fallback."""
        end = start + limit
        if end >= len(self.text):
            return len(self.text)
        k = bisect_right(self.gaps, end) - 1
        gap = self.gaps[k] if k >= 0 and self.gaps[k] > start else start
        return self._sentence_cut(gap, end) or (gap if gap > start else self._fallback(start, end))

    def _sentence_cut(self, start: int, end: int) -> int | None:
        return self._last(_SENTENCE, start, end, lambda m: self._ends_sentence(m.group(1)))

    def _last(self, pattern: re.Pattern, start: int, end: int, accept: Callable[[re.Match], bool]) -> int | None:
        """The end of the last acceptable match in text[start:end] that splits no marker; the
        window's tail is searched first, as a chunk of ordinary text has cuts near its end."""
        tail = max(start, end - _TAIL)
        for lo, hi in ((tail, end), (start, tail)):
            for match in reversed(list(pattern.finditer(self.text, lo, hi))):
                if accept(match) and not self._in_marker(match.end()):
                    return match.end()
        return None

    def _ends_sentence(self, word: str) -> bool:
        """Whether the annotator marks the word's last token a sentence end (components.py)."""
        if any(c in word for c in "[]()"):
            return False  # merged into a marker token first, which ends nothing
        tokens = [t.text for t in self.tokenizer(word)]
        return tokens[-1] in SENTENCE_END or (len(tokens) > 1 and tokens[-1] in CLOSERS and tokens[-2] in SENTENCE_END)

    def _in_marker(self, cut: int) -> bool:
        """Whether a marker that the annotator would merge may span the cut."""
        text = self.text
        return any(text.rfind(o, max(cut - n, 0), cut) > text.rfind(c, max(cut - n, 0), cut) for o, c, n in _MARKERS)

    def _fallback(self, start: int, end: int) -> int:
        for boundary in _FALLBACKS:
            cut = self._last(boundary, start, end, lambda m: True)
            if cut:
                return cut
        return end


def turn_gaps(text: str, turns: Sequence[tuple[int, int]]) -> list[int]:
    """After each turn but the last, the end of the whitespace that follows it (the next label's start)."""
    gaps = []
    for (_, end), (following, _) in zip(turns, turns[1:]):
        space = _WHITESPACE.match(text, end)
        if space and space.end() <= following:
            gaps.append(space.end())
    return gaps
