"""Readers: a transcript file in any supported format -> the text the researcher sees (Source).

One module per format family; all return text normalised the same way (NFC, "\\n" line ends)
and maps back to the file, so extracts, line numbers and quote checks agree across formats.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from thematic.artefacts import sha256_bytes
from thematic.errors import CorpusError
from thematic.readers.base import OffsetMap, Source, line_starts, normalise
from thematic.readers.office import read_docx, read_odt
from thematic.readers.plain import read_plain
from thematic.readers.rtf import read_rtf
from thematic.readers.subtitles import read_subtitles

__all__ = ["MAX_BYTES", "READERS", "OffsetMap", "Source", "line_starts", "normalise", "read_bytes", "read_source"]

MAX_BYTES = 100_000_000  # ~15 million words: far beyond any interview; a bigger file is a mistake
Reader = Callable[[Path, bytes, str], Source]
READERS: dict[str, Reader] = {
    ".txt": read_plain, ".md": read_plain, ".docx": read_docx, ".odt": read_odt, ".rtf": read_rtf,
    ".vtt": read_subtitles, ".srt": read_subtitles,
}


def read_bytes(path: Path, raw: bytes) -> Source:
    """The reader for the file's extension applied to its bytes; CorpusError if it cannot."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise CorpusError(f"{path}: cannot read {path.suffix or 'extensionless'} files; use one of {known}")
    if not raw.strip():
        raise CorpusError(f"{path}: the file is empty")
    source = reader(path, raw, sha256_bytes(raw))
    if not source.text.strip():
        raise CorpusError(f"{path}: no text in the file")
    return source


def read_source(path: Path) -> Source:
    """Read a data item from disk, refusing a file too large to be a transcript before reading it."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CorpusError(f"{path}: {size // 1_000_000} MB is too large for a transcript "
                              f"(limit {MAX_BYTES // 1_000_000} MB); split it or check it is the right file")
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return read_bytes(path, raw)
