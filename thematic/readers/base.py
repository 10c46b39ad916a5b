"""What every reader returns: the text the tool analyses, shows and quotes, and how it maps back
to the file the researcher has open (line numbers, and for plain text character offsets)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from thematic.errors import CorpusError

_LINE_END = re.compile(r"(\r\n|\r|\n)")
_NEWLINE = re.compile("\n")
# 00:12:03, 12:03, 00:12:03.250, 00:12:03,250 (subtitles, Teams, transcription tools)
TIMESTAMP = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?")


@dataclass(frozen=True)
class OffsetMap:
    """Offsets in the normalised text -> character offsets in the decoded original.

    Anchors are the points where the two stop moving in step (a CRLF became one newline, an
    NFD "å" became one character); between anchors both advance together.
    """

    norm: tuple[int, ...] = (0,)
    orig: tuple[int, ...] = (0,)

    def to_original(self, offset: int) -> int:
        i = bisect_right(self.norm, offset) - 1
        return self.orig[i] + (offset - self.norm[i])


def line_starts(text: str) -> list[int]:
    """Offsets where each line of text starts (line 1 at offset 0)."""
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


@dataclass(frozen=True)
class Source:
    """A data item as read: text (NFC, "\\n" line ends) plus maps back to the file."""

    path: Path
    text: str
    sha256: str
    format: str
    encoding: str | None = None
    speakers: frozenset[str] = frozenset()  # labels the format itself marks as speakers
    lines: tuple[tuple[int, int], ...] | None = None  # (text offset, source line) anchors; None: same lines
    offsets: OffsetMap | None = None  # plain text only


def _chunks(line: str) -> Iterable[str]:
    """A line cut before every character that does not combine with the one before it."""
    start = 0
    for i in range(1, len(line)):
        if not unicodedata.combining(line[i]):
            yield line[start:i]
            start = i
    if line:
        yield line[start:]


def normalise(text: str) -> tuple[str, OffsetMap]:
    """NFC and "\\n" line ends, with the offset map back to the original; lines stay one to one
    (only CRLF, CR and LF end a line, as in editors)."""
    if "\r" not in text and unicodedata.is_normalized("NFC", text):
        return text, OffsetMap()
    norm, orig, parts, n, o = [0], [0], [], 0, 0
    for k, piece in enumerate(_LINE_END.split(text)):
        if k % 2:  # a line ending
            pieces = [(piece, "\n")]
        elif unicodedata.is_normalized("NFC", piece):
            pieces = [(piece, piece)]
        else:
            pieces = [(c, unicodedata.normalize("NFC", c)) for c in _chunks(piece)]
            if "".join(p for _, p in pieces) != unicodedata.normalize("NFC", piece):
                pieces = [(piece, unicodedata.normalize("NFC", piece))]  # composition across chunks
        for before, after in pieces:
            parts.append(after)
            n, o = n + len(after), o + len(before)
            if len(before) != len(after):
                norm.append(n)
                orig.append(o)
    return "".join(parts), OffsetMap(tuple(norm), tuple(orig))


def from_blocks(path: Path, blocks: list[list[tuple[str, int]]], sha256: str, fmt: str,
                speakers: frozenset[str] = frozenset()) -> Source:
    """A Source from blocks (paragraphs, turns) of pieces (text, source line or paragraph number):
    pieces joined by a space, blocks by a blank line, each text line anchored to its source line."""
    parts: list[str] = []
    anchors: list[tuple[int, int]] = []
    size = 0
    for block in blocks:
        pieces = [(normalise(text)[0].strip(), number) for text, number in block]
        pieces = [(text, number) for text, number in pieces if text]
        if not pieces:
            continue
        if parts:
            parts.append("\n\n")
            size += 2
        for k, (text, number) in enumerate(pieces):
            if k:
                parts.append(" ")
                size += 1
            anchors.append((size, number))
            anchors.extend((size + m.end(), number) for m in _NEWLINE.finditer(text))
            parts.append(text)
            size += len(text)
    text = "".join(parts)
    if not text.strip():
        raise CorpusError(f"{path}: no text in this {fmt} file")
    return Source(path, text, sha256, fmt, speakers=speakers, lines=tuple(anchors))
