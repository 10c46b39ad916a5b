"""WebVTT (.vtt) and SubRip (.srt): Teams, Zoom and Whisper transcripts.

Consecutive cues of one speaker become one turn, "[hh:mm:ss] Speaker: words", timed by its
first cue; every cue keeps the line of the file it came from. The speaker comes from a voice
tag (<v Kari>), a "Kari:" prefix, or else carries over from the cue before.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from thematic.errors import CorpusError
from thematic.readers.base import Source, from_blocks, normalise
from thematic.readers.plain import decode

_STAMP = r"(?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
_TIMING = re.compile(rf"^\s*(?P<start>{_STAMP})\s*-->\s*(?P<end>{_STAMP})")
_VOICE = re.compile(r"<v(?:\.[^ \t>]*)?[ \t]+([^>]{1,80})>")
_TAG = re.compile(r"<[^>\n]{0,200}>")
_PREFIX = re.compile(r"^(?:\[(?P<b>[^\]\n]{1,40})\]|(?P<p>[A-ZÆØÅ][\w.\-]*(?: [\w.\-]+){0,3})):\s+")
_LABEL_LIKE = re.compile(r"^[A-ZÆØÅ][\w.\-]*(?: (?:[A-ZÆØÅ][\w.\-]*|\d+)){0,2}$")
_PAUSE = 2.0  # seconds of silence that start a new paragraph when no speaker is named


@dataclass
class _Cue:
    start: float
    end: float
    voice: str | None  # from <v ...> or a [bracketed] prefix: always a speaker
    prefix: str | None  # a "Kari:" prefix: a speaker when it starts two cues or more
    text: str  # without the prefix
    line: int
    speaker: str | None = None


def _seconds(stamp: str) -> float:
    parts = [float(p.replace(",", ".")) for p in stamp.split(":")]
    return sum(value * 60 ** power for power, value in enumerate(reversed(parts)))


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _cue(block: list[str], timing: int, line: int) -> _Cue | None:
    """One cue from the lines of its block (timing line at index timing, file line number line)."""
    raw = " ".join(part.strip() for part in block[timing + 1:] if part.strip())
    voice = _VOICE.search(raw)
    text = html.unescape(_TAG.sub("", raw)).strip()
    speaker = voice.group(1).strip() if voice else None
    prefix = _PREFIX.match(text) if not speaker else None
    candidate = None
    if prefix:
        speaker, candidate = prefix.group("b"), prefix.group("p")
        text = text[prefix.end():]
    times = _TIMING.match(block[timing])
    if not text or times is None:
        return None
    return _Cue(_seconds(times.group("start")), _seconds(times.group("end")), speaker, candidate, text, line)


def _cues(text: str) -> list[_Cue]:
    """Every cue of the file in order, NOTE/STYLE/REGION blocks left out."""
    cues: list[_Cue] = []
    lines = text.split("\n")
    start = 0
    for end in [i for i, line in enumerate(lines) if not line.strip()] + [len(lines)]:
        block = lines[start:end]
        timing = next((i for i, line in enumerate(block[:3]) if _TIMING.match(line)), None)
        if timing is not None and not block[0].startswith(("NOTE", "STYLE", "REGION")):
            cue = _cue(block, timing, start + timing + 2)
            if cue:
                cues.append(cue)
        start = end + 1
    return cues


def _assign_speakers(cues: list[_Cue]) -> None:
    """Voices, repeated prefixes and label-like ones ("Kari Nordmann:", "Veileder 2:") name the
    speaker ("Det er sånn: ..." does not); a cue without one continues the last speaker's turn."""
    counts = Counter(c.prefix for c in cues if c.prefix)
    previous = None
    for cue in cues:
        if cue.prefix and (counts[cue.prefix] >= 2 or _LABEL_LIKE.match(cue.prefix)):
            cue.voice = cue.prefix
        elif cue.prefix:
            cue.text = f"{cue.prefix}: {cue.text}"
        cue.speaker = previous = cue.voice or previous


def _turns(cues: list[_Cue]) -> list[list[tuple[str, int]]]:
    """Consecutive cues of one speaker (or, none named, without a pause) as one turn."""
    turns: list[list[tuple[str, int]]] = []
    last: _Cue | None = None
    for cue in cues:
        if last is not None and cue.speaker == last.speaker and (cue.speaker or cue.start - last.end < _PAUSE):
            turns[-1].append((cue.text, cue.line))
        else:
            label = f"{cue.speaker}: " if cue.speaker else ""
            turns.append([(f"[{_clock(cue.start)}] {label}{cue.text}", cue.line)])
        last = cue
    return turns


def read_subtitles(path: Path, raw: bytes, sha256: str) -> Source:
    decoded, encoding = decode(path, raw)
    text, _ = normalise(decoded)
    cues = _cues(text)
    _assign_speakers(cues)
    if not cues:
        raise CorpusError(f"{path}: no subtitle cues found (lines like 00:00:01.000 --> 00:00:04.000)")
    speakers = frozenset(c.speaker for c in cues if c.speaker)
    source = from_blocks(path, _turns(cues), sha256, path.suffix.lower().lstrip("."), speakers)
    return Source(**{**source.__dict__, "encoding": encoding})
