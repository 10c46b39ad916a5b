"""Words found in many texts, kept between runs in one binary file per kind.

Phase 4 reads the words of every informant turn and of every question asked (thematic.turn_words,
thematic.question_words). Finding them is a large part of the phase on a large study, yet a
decision changes none of them, so each kind is kept under a digest of the very texts it was found
in and of the rules that find them: a changed transcript, turn split or rule finds them again.
A file is a JSON header line (format, digest, byte order, how long the words are), the words a
line each (letters only: never a new line), then 32-bit integers in binary. Reading JSON of this
size would cost most of what the cache saves.
"""

from __future__ import annotations

import hashlib
import json
import sys
from array import array
from itertools import islice
from pathlib import Path
from typing import Collection, Iterable, Iterator, Sequence

HASHED_AT_ONCE = 1000  # texts joined per update of the digest


def digest(form: str, keys: list, texts: Collection[str]) -> str:
    """Of `form` (the format and the rules), the texts' keys, every text's length (so no text can
    run into the next) and the texts. The texts are hashed a thousand at a time, not all joined:
    the same digest without a copy of every text at once, and without an update per text."""
    h = hashlib.sha256(f"{form}\n".encode())
    for pieces in ([repr(keys)], [repr([len(t) for t in texts])], _batches(texts)):
        for piece in pieces:
            h.update(piece.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _batches(texts: Iterable[str]) -> Iterator[str]:
    """The texts joined, HASHED_AT_ONCE at a time."""
    left = iter(texts)
    while batch := list(islice(left, HASHED_AT_ONCE)):
        yield "".join(batch)


def read(cache: Path, form: str, key: str) -> tuple[list[str], memoryview] | None:
    """The kept words and numbers (a view: slices copy nothing) when the header says they were
    found in these texts (`key`) by these rules; None for no file or another one. The file's
    bytes are let go with the numbers (at 10M words, tens of MB)."""
    try:
        data = cache.read_bytes()
        start = data.index(b"\n") + 1
        meta = json.loads(data[:start])
        if meta.get("format") != form or meta.get("key") != key or meta.get("byteorder") != sys.byteorder:
            return None
        body, cut = memoryview(data)[start:], meta["words"]
        numbers = array("I")
        numbers.frombytes(body[cut:])
        text = str(body[:cut], "utf-8")
    except (OSError, ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError):
        return None
    return (text.split("\n") if text else []), memoryview(numbers)


def write(cache: Path, form: str, key: str, words: list[str], numbers: Iterable[Sequence[int]]) -> None:
    """Keep the words and the numbers (one run of integers after another) under `key`; a
    read-only folder only costs time."""
    from thematic.artefacts import replace_atomically, temp_files_of

    text = "\n".join(words).encode("utf-8")
    packed = array("I")
    for part in numbers:
        packed.extend(part)
    meta = {"format": form, "key": key, "byteorder": sys.byteorder, "words": len(text)}
    try:  # as thematic.written.write_cache, in bytes: a killed write's temp file first
        for leftover in temp_files_of(cache):
            leftover.unlink(missing_ok=True)
        replace_atomically(cache, [json.dumps(meta).encode(), b"\n", text, packed.tobytes()])
    except OSError:
        pass
