"""The passage a report quotes around an extract: long enough to be vivid, never cut mid-word.

An extract is a span of a transcript (often one sentence, sometimes a phrase a researcher marked).
The report quotes the whole sentence(s) it lies in; a passage still shorter than SHORT words
becomes the whole turn when the turn is at most LONG words, else grows sentence by sentence
within the turn. The passage is cut from the transcript itself, so it is verbatim by
construction; the extract inside it is verified first (thematic.extracts.verify_quote).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from thematic.corpus import Document, Turn
from thematic.extracts import LONG, SHORT

# The end of a sentence: . ! ? or … (a closing quote or bracket may follow) and then space before
# something that is not a lower-case letter ("f.eks. det" and "bl.a. at" do not end sentences).
_END = re.compile(r"[.!?…]+[»”\"')\]]*(?=\s+(?![a-zæøå]))")


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    text: str  # whitespace folded to single spaces: a turn's line breaks are not the speaker's
    turn: Turn | None
    line: int


def turn_at(doc: Document, offset: int) -> Turn | None:
    """The turn whose text holds the offset (turns are in text order)."""
    k = bisect_right([t.start for t in doc.turns], offset) - 1
    return doc.turns[k] if k >= 0 and offset < doc.turns[k].end else None


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], ends at the punctuation."""
    spans, pos = [], start
    for match in _END.finditer(text, start, end):
        spans.append((pos, match.end()))
        pos = match.end()
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        spans.append((pos, end))
    return spans


def _words(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def passage(doc: Document, extract: dict) -> Passage:
    """The quoted passage around a verified extract (its span, or where its text is)."""
    span = extract.get("span") or [doc.text.index(extract["text"]), doc.text.index(extract["text"]) + len(extract["text"])]
    start, end = span[0], span[1]
    turn = turn_at(doc, start)
    if turn is not None:
        start, end = _widened(doc.text, turn, start, end)
    return Passage(start, end, " ".join(doc.text[start:end].split()), turn, doc.line_at(start))


def _widened(text: str, turn: Turn, start: int, end: int) -> tuple[int, int]:
    spans = sentences(text, turn.start, turn.end)
    first = next((i for i, (_, e) in enumerate(spans) if e > start), len(spans) - 1)
    last = next((i for i, (_, e) in enumerate(spans) if e >= end), len(spans) - 1)
    if _words(text, spans[first][0], spans[last][1]) < SHORT:
        if _words(text, turn.start, turn.end) <= LONG:
            return min(start, turn.start), max(end, turn.end)
        while _words(text, spans[first][0], spans[last][1]) < SHORT and (first > 0 or last < len(spans) - 1):
            first, last = (first, last + 1) if last < len(spans) - 1 else (first - 1, last)
    return min(start, spans[first][0]), max(end, spans[last][1])
