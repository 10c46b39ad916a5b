"""Plain text (.txt, .md): the encoding found from the bytes, never guessed from the locale.

UTF-8 (with or without BOM), UTF-16/32 with BOM (and UTF-16 without one), else Windows-1252,
which also reads Latin-1 files with æøå; a file that mixes UTF-8 with other bytes is refused.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from thematic.errors import CorpusError
from thematic.readers.base import Source, normalise

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Other formats by their first bytes, so a mislabelled file is named for what it is.
MAGIC = (
    (b"PK\x03\x04", "a zip archive (a .docx or .odt?)"), (b"%PDF", "a PDF"), (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an old Word .doc (save it as .docx)"), (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"), (b"\x7fELF", "a program"),
)
# UTF-8 for æ ø å Æ Ø Å é: seen in a file that is not valid UTF-8, the file mixes encodings.
_UTF8_LETTERS = re.compile(rb"\xc3[\xa5\xa6\xb8\x85\x86\x98\xa9]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def sniff(raw: bytes) -> str | None:
    """What the bytes are when they are a known non-text format, else None."""
    return next((what for magic, what in MAGIC if raw.startswith(magic)), None)


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 saved without a BOM: one zero byte in every pair of mostly-ASCII text."""
    sample = raw[:4096]
    if len(raw) % 2 or len(sample) < 4:
        return None
    if sample[1::2].count(0) > 0.4 * len(sample) / 2 and sample[0::2].count(0) == 0:
        return "utf-16-le"
    if sample[0::2].count(0) > 0.4 * len(sample) / 2 and sample[1::2].count(0) == 0:
        return "utf-16-be"
    return None


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _decode_8bit(path: Path, raw: bytes, error: UnicodeDecodeError) -> tuple[str, str]:
    """Not UTF-8: Windows-1252 (a superset of Latin-1's letters), unless the file mixes encodings."""
    if _UTF8_LETTERS.search(raw):
        raise CorpusError(f"{path}: mixes UTF-8 with another encoding (bad byte at line "
                          f"{_line_of(raw, error.start)}); save it again as UTF-8")
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: undecodable byte 0x{raw[exc.start]:02x} at line "
                          f"{_line_of(raw, exc.start)} (neither UTF-8 nor Windows-1252)") from None


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """(text, encoding name) of a plain-text file, or a CorpusError naming the file."""
    encoding, body = next(((name, raw[len(bom):]) for bom, name in _BOMS if raw.startswith(bom)), (None, raw))
    if encoding is None and b"\x00" in raw[:4096]:
        encoding = _utf16_without_bom(raw)
        if encoding is None:
            raise CorpusError(f"{path}: looks like a binary file, not a transcript")
    try:
        text = body.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        if encoding:
            raise CorpusError(f"{path}: not valid {encoding.upper()} (byte {exc.start})") from None
        text, encoding = _decode_8bit(path, raw, exc)
    if len(_CONTROL.findall(text[:65536])) > 1 + len(text[:65536]) // 200:
        raise CorpusError(f"{path}: looks like a binary file, not a transcript")
    return text, encoding or "utf-8"


def read_plain(path: Path, raw: bytes, sha256: str) -> Source:
    """A .txt or .md file as the researcher sees it in an editor, normalised, with its maps."""
    what = sniff(raw)
    if what:
        raise CorpusError(f"{path}: is {what}, not plain text; give it the right extension")
    original, encoding = decode(path, raw)
    text, offsets = normalise(original)
    return Source(path, text, sha256, "text", encoding, offsets=offsets)
