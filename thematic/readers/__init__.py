"""Readers: a transcript file in any supported format -> the text the researcher sees (Source).

One module per format family; all return text normalised the same way (NFC, "\\n" line ends)
and maps back to the file, so extracts, line numbers and quote checks agree across formats.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Callable

from thematic.artefacts import sha256_bytes
from thematic.errors import CorpusError
from thematic.readers.base import OffsetMap, Source, line_starts, normalise
from thematic.readers.plain import read_plain

__all__ = ["MAX_BYTES", "READERS", "OffsetMap", "Source", "line_starts", "normalise", "read_bytes", "read_source"]

MAX_BYTES = 100_000_000  # ~15 million words: far beyond any interview; a bigger file is a mistake
Reader = Callable[[Path, bytes, str], Source]


def _on_first_use(module: str, name: str) -> Reader:
    """The reader `name` of thematic.readers.<module>, imported when a file of its format is
    read: a study of plain text (and every `status`) never loads the zip, XML and HTML parsers."""
    def read(path: Path, raw: bytes, sha256: str) -> Source:
        return getattr(import_module(f"thematic.readers.{module}"), name)(path, raw, sha256)

    return read


READERS: dict[str, Reader] = {
    ".txt": read_plain, ".md": read_plain, ".docx": _on_first_use("office", "read_docx"),
    ".odt": _on_first_use("office", "read_odt"), ".rtf": _on_first_use("rtf", "read_rtf"),
    ".vtt": _on_first_use("subtitles", "read_subtitles"), ".srt": _on_first_use("subtitles", "read_subtitles"),
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
