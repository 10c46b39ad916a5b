"""Word (.docx) and OpenDocument (.odt) transcripts, read with zipfile and defusedxml.

A paragraph becomes a block; its number is the "line" an extract cites. Deleted tracked
changes, comments and footnotes are left out; a table row (time | speaker | words) becomes
one "time speaker: words" turn, so transcripts kept in tables split into turns as well.
The XML is walked with explicit stacks, so deep nesting (content controls, tables in tables)
cannot exhaust Python's recursion limit.
"""

from __future__ import annotations

import lzma
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import cached_property
from io import BytesIO
from pathlib import Path
from typing import Iterator
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_without_dtd

from thematic.errors import CorpusError
from thematic.readers.base import TIMESTAMP, Source, from_blocks

MAX_XML_BYTES = 200_000_000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_SHORT_CELL = re.compile(r"^[^.!?\n]{1,40}$")
_TEXT_TAGS = frozenset({W + "t", T + "p", T + "h", T + "span", T + "a"})
_ZIP_ENCRYPTED = 0x1  # general-purpose flag bit 0 of a zip member
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE container: what Word saves a password-protected .docx as
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ODF_MANIFEST = "META-INF/manifest.xml"


@dataclass(frozen=True)
class Format:
    """What one office format calls a paragraph, a table row and cell, and what it leaves out."""

    name: str  # Source.format
    part: str  # the zip member holding the body
    kind: str  # as named to the researcher
    skip: frozenset[str]
    chars: dict[str, str]
    paragraphs: frozenset[str]
    row: str
    cell: str

    @cached_property
    def block_tags(self) -> frozenset[str]:
        return self.paragraphs | {self.row}


DOCX = Format(
    "docx", "word/document.xml", "Word (.docx)",
    frozenset({W + "del", W + "delText", W + "instrText", W + "footnoteReference", W + "commentReference",
               W + "moveFrom", MC + "Fallback", W + "rPr", W + "pPr"}),
    {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"},
    frozenset({W + "p"}), W + "tr", W + "tc")
ODT = Format(
    "odt", "content.xml", "OpenDocument (.odt)",
    frozenset({T + "note", OFFICE + "annotation", T + "tracked-changes", T + "bookmark-ref"}),
    {T + "tab": "\t", T + "line-break": "\n"},
    frozenset({T + "p", T + "h"}), TABLE + "table-row", TABLE + "table-cell")


def _encrypted(path: Path, kind: str) -> CorpusError:
    return CorpusError(f"{path}: encrypted (password-protected) {kind} file; save it without a password")


def _not_a_zip(path: Path, raw: bytes, kind: str) -> CorpusError:
    """Word saves a password-protected .docx as an OLE container holding an EncryptedPackage."""
    if raw.startswith(_CFB) and _ENCRYPTED_PACKAGE in raw:
        return _encrypted(path, kind)
    return CorpusError(f"{path}: not a {kind} file (not a zip archive)")


def _is_encrypted(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A zip member under a password, or an ODF part encrypted per its manifest."""
    if info.flag_bits & _ZIP_ENCRYPTED:
        return True
    if _ODF_MANIFEST not in archive.namelist():
        return False
    manifest = archive.getinfo(_ODF_MANIFEST)
    if manifest.flag_bits & _ZIP_ENCRYPTED or manifest.file_size > MAX_XML_BYTES:
        return False
    with archive.open(manifest) as handle:
        return b"encryption-data" in handle.read(MAX_XML_BYTES)


def _member(path: Path, raw: bytes, fmt: Format) -> bytes:
    """The bytes of the format's body part, size-checked; a one-line CorpusError if unreadable."""
    try:
        with zipfile.ZipFile(BytesIO(raw)) as archive:
            info = archive.getinfo(fmt.part)
            if _is_encrypted(archive, info):
                raise _encrypted(path, fmt.kind)
            if info.file_size > MAX_XML_BYTES:
                raise CorpusError(f"{path}: {fmt.part} is too large ({info.file_size // 1_000_000} MB)")
            with archive.open(info) as handle:
                return handle.read(MAX_XML_BYTES + 1)
    except zipfile.BadZipFile:
        raise _not_a_zip(path, raw, fmt.kind) from None
    except KeyError:
        raise CorpusError(f"{path}: not a {fmt.kind} file (no {fmt.part} inside)") from None
    # zipfile raises NotImplementedError for a compression method it cannot read, RuntimeError
    # for an encrypted member not flagged as one: to the researcher, a file thematic cannot open.
    except (OSError, RuntimeError, NotImplementedError, EOFError, ValueError, zlib.error, lzma.LZMAError,
            struct.error) as exc:
        raise CorpusError(f"{path}: damaged {fmt.kind} file ({' '.join(str(exc).split())})") from None


def _part(path: Path, raw: bytes, fmt: Format) -> ElementTree.Element:
    """The body part parsed, refusing any DTD or entity declaration in any encoding (UTF-16
    included): an office file never has one, and an entity would put foreign text in the transcript."""
    data = _member(path, raw, fmt)
    try:
        return parse_without_dtd(data, forbid_dtd=True)
    except DefusedXmlException:
        raise CorpusError(f"{path}: {fmt.part} declares a DTD or entities; refused "
                          f"(a {fmt.kind} file never does)") from None
    except (ElementTree.ParseError, LookupError, ValueError) as exc:  # LookupError: a garbled encoding= name
        raise CorpusError(f"{path}: damaged {fmt.kind} file ({fmt.part}: {' '.join(str(exc).split())})") from None


def _spaces(element: ElementTree.Element) -> str:
    """ODF's <text:s text:c="3"/>: that many spaces (at most 100)."""
    count = element.get(T + "c", "1")
    return " " * min(int(count), 100) if count.isdigit() else " "


def _shown(child: ElementTree.Element, fmt: Format, paragraph: str) -> str | None:
    """What a child shows by itself (a character, spaces, nothing), or None: expand it."""
    if child.tag in fmt.skip or child.tag == paragraph:
        return ""
    if child.tag in fmt.chars:
        return fmt.chars[child.tag]
    return _spaces(child) if child.tag == T + "s" else None


def _text(paragraph: ElementTree.Element, fmt: Format) -> str:
    """The visible text of one paragraph (nested paragraphs, e.g. text boxes, left out); in ODF
    the text after a child (its tail) is shown too."""
    out: list[str] = [paragraph.text or ""] if paragraph.tag in _TEXT_TAGS else []
    stack = [(paragraph, iter(paragraph))]
    while stack:
        element, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack and stack[-1][0].tag.startswith(T):
                out.append(element.tail or "")
            continue
        shown = _shown(child, fmt, paragraph.tag)
        if shown is None:
            out.append(child.text or "" if child.tag in _TEXT_TAGS else "")
            stack.append((child, iter(child)))
        else:
            out.append(shown)
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


Block = tuple[str, int]


@dataclass
class _Walk:
    """Children still to visit, the paragraph counter numbering them, and where their blocks go."""

    children: Iterator[ElementTree.Element]
    counter: list[int]
    out: list[Block]


@dataclass
class _RowEnd:
    """A table row whose cells are being read; joined into one block once they all are."""

    cells: list[list[Block]]
    number: int
    out: list[Block]


def _holds_blocks(paragraph: ElementTree.Element, fmt: Format) -> bool:
    """Whether a paragraph holds paragraphs or table rows (a text box): only then is it walked
    again for them (a scan in C, where walking every run in Python doubles the reading time)."""
    return any(node is not paragraph for tag in fmt.block_tags for node in paragraph.iter(tag))


def _visit(child: ElementTree.Element, walk: _Walk, fmt: Format) -> list[_Walk | _RowEnd]:
    """Read one child of the element being walked; returns what to walk next (last first)."""
    if child.tag in fmt.skip:
        return []
    if child.tag in fmt.paragraphs:
        walk.counter[0] += 1
        walk.out.append((_text(child, fmt), walk.counter[0]))
        return [_Walk(iter(child), walk.counter, walk.out)] if _holds_blocks(child, fmt) else []
    if child.tag == fmt.row:
        walk.counter[0] += 1
        walks = [_Walk(iter(cell), [0], []) for cell in child if cell.tag == fmt.cell]  # each cell numbers its own
        return [_RowEnd([w.out for w in walks], walk.counter[0], walk.out), *reversed(walks)]
    return [_Walk(iter(child), walk.counter, walk.out)]


def _blocks(root: ElementTree.Element, fmt: Format, speakers: set[str]) -> list[Block]:
    """(paragraph text, paragraph number) in document order, tables row by row."""
    blocks: list[Block] = []
    stack: list[_Walk | _RowEnd] = [_Walk(iter(root), [0], blocks)]
    while stack:
        top = stack[-1]
        if isinstance(top, _RowEnd):
            stack.pop()
            top.out.append((_row([" ".join(t for t, _ in cell) for cell in top.cells], speakers), top.number))
            continue
        child = next(top.children, None)
        if child is None:
            stack.pop()
        else:
            stack.extend(_visit(child, top, fmt))
    return blocks


def _read(path: Path, raw: bytes, sha256: str, fmt: Format) -> Source:
    speakers: set[str] = set()
    blocks = [[block] for block in _blocks(_part(path, raw, fmt), fmt, speakers)]
    return from_blocks(path, blocks, sha256, fmt.name, frozenset(speakers))


def read_docx(path: Path, raw: bytes, sha256: str) -> Source:
    return _read(path, raw, sha256, DOCX)


def read_odt(path: Path, raw: bytes, sha256: str) -> Source:
    return _read(path, raw, sha256, ODT)
