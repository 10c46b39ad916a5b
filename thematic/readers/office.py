"""Word (.docx) and OpenDocument (.odt) transcripts, read with zipfile and ElementTree only.

A paragraph becomes a block; its number is the "line" an extract cites. Deleted tracked
changes, comments and footnotes are left out; a table row (time | speaker | words) becomes
one "time speaker: words" turn, so transcripts kept in tables split into turns as well.
"""

from __future__ import annotations

import lzma
import re
import struct
import zipfile
import zlib
from io import BytesIO
from pathlib import Path
from typing import Iterator
from xml.etree import ElementTree

from thematic.errors import CorpusError
from thematic.readers.base import TIMESTAMP, Source, from_blocks

MAX_XML_BYTES = 200_000_000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_SHORT_CELL = re.compile(r"^[^.!?\n]{1,40}$")

_DOCX_SKIP = {W + "del", W + "delText", W + "instrText", W + "footnoteReference", W + "commentReference",
              W + "moveFrom", MC + "Fallback", W + "rPr", W + "pPr"}
_DOCX_CHARS = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
_ODT_SKIP = {T + "note", OFFICE + "annotation", T + "tracked-changes", T + "bookmark-ref"}
_ODT_CHARS = {T + "tab": "\t", T + "line-break": "\n"}


def _part(path: Path, raw: bytes, name: str, kind: str) -> ElementTree.Element:
    """One XML part of the zip, size-checked and without DTDs (no entity expansion)."""
    try:
        with zipfile.ZipFile(BytesIO(raw)) as archive:
            info = archive.getinfo(name)
            if info.file_size > MAX_XML_BYTES:
                raise CorpusError(f"{path}: {name} is too large ({info.file_size // 1_000_000} MB)")
            with archive.open(info) as handle:
                data = handle.read(MAX_XML_BYTES + 1)
    except zipfile.BadZipFile:
        raise CorpusError(f"{path}: not a {kind} file (not a zip archive)") from None
    except KeyError:
        raise CorpusError(f"{path}: not a {kind} file (no {name} inside)") from None
    # zipfile raises NotImplementedError for a compression method it cannot read, RuntimeError
    # for an encrypted member: to the researcher both are a file thematic cannot open.
    except (OSError, RuntimeError, NotImplementedError, EOFError, ValueError, zlib.error, lzma.LZMAError,
            struct.error) as exc:
        raise CorpusError(f"{path}: damaged {kind} file ({exc})") from None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise CorpusError(f"{path}: {name} declares a DTD; refused (a {kind} file never does)")
    try:
        return ElementTree.fromstring(data)
    except (ElementTree.ParseError, LookupError, ValueError) as exc:  # LookupError: a garbled encoding= name
        raise CorpusError(f"{path}: damaged {kind} file ({name}: {exc})") from None


def _text(element: ElementTree.Element, skip: set[str], chars: dict[str, str], paragraph: str) -> str:
    """The visible text of one paragraph (nested paragraphs, e.g. text boxes, left out)."""
    out: list[str] = [element.text or ""] if element.tag in (W + "t", T + "p", T + "h", T + "span", T + "a") else []
    for child in element:
        if child.tag in skip or child.tag == paragraph:
            pass
        elif child.tag in chars:
            out.append(chars[child.tag])
        elif child.tag == T + "s":
            count = child.get(T + "c", "1")
            out.append(" " * min(int(count), 100) if count.isdigit() else " ")
        else:
            out.append(_text(child, skip, chars, paragraph))
        if element.tag.startswith(T):
            out.append(child.tail or "")
    return "".join(out)


def _row(cells: list[str], speakers: set[str]) -> str:
    """time | speaker | words -> "[time] speaker: words" when the first cells are short labels
    and the last is talk (a header row "Tid | Taler | Tekst" stays as it is)."""
    cells = [c.strip() for c in cells if c.strip()]
    if len(cells) < 2 or _SHORT_CELL.match(cells[-1]) or not all(_SHORT_CELL.match(c) for c in cells[:-1]):
        return "\t".join(cells)
    times = [c.strip("[]()") for c in cells[:-1] if TIMESTAMP.fullmatch(c.strip("[]()"))]
    label = " ".join(c for c in cells[:-1] if c.strip("[]()") not in times).rstrip(":").strip()
    if label:
        speakers.add(label)
    prefix = "".join(f"[{t}] " for t in times[:1])
    return f"{prefix}{label}: {cells[-1]}" if label else f"{prefix}{cells[-1]}"


def _blocks(element: ElementTree.Element, spec: dict, counter: list[int],
            speakers: set[str]) -> Iterator[tuple[str, int]]:
    """(paragraph text, paragraph number) in document order, tables row by row."""
    for child in element:
        if child.tag in spec["skip"]:
            continue
        if child.tag in spec["paragraphs"]:
            counter[0] += 1
            yield _text(child, spec["skip"], spec["chars"], child.tag), counter[0]
            yield from _blocks(child, spec, counter, speakers)  # text boxes inside the paragraph
        elif child.tag == spec["row"]:
            counter[0] += 1
            cells = [" ".join(t for t, _ in _blocks(cell, spec, [0], speakers))
                     for cell in child if cell.tag == spec["cell"]]
            yield _row(cells, speakers), counter[0]
        else:
            yield from _blocks(child, spec, counter, speakers)


DOCX = {"skip": _DOCX_SKIP, "chars": _DOCX_CHARS, "paragraphs": {W + "p"}, "row": W + "tr", "cell": W + "tc"}
ODT = {"skip": _ODT_SKIP, "chars": _ODT_CHARS, "paragraphs": {T + "p", T + "h"},
       "row": TABLE + "table-row", "cell": TABLE + "table-cell"}


def _read(path: Path, raw: bytes, sha256: str, fmt: str) -> Source:
    part, kind, spec = {"docx": ("word/document.xml", "Word (.docx)", DOCX),
                        "odt": ("content.xml", "OpenDocument (.odt)", ODT)}[fmt]
    speakers: set[str] = set()
    blocks = [[block] for block in _blocks(_part(path, raw, part, kind), spec, [0], speakers)]
    return from_blocks(path, blocks, sha256, fmt, frozenset(speakers))


def read_docx(path: Path, raw: bytes, sha256: str) -> Source:
    return _read(path, raw, sha256, "docx")


def read_odt(path: Path, raw: bytes, sha256: str) -> Source:
    return _read(path, raw, sha256, "odt")
