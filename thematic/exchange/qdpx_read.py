"""Reading a REFI-QDA project (.qdpx) into plain records: sources with their text, selections,
codings, notes and cases, as each program writes them (the quirks are in thematic.exchange.qdpx_import's
docstring). The zip is read where it lies, members looked up by name and read only up to a size limit."""

from __future__ import annotations

import zipfile
import zlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from xml.etree import ElementTree

from thematic.errors import CorpusError
from thematic.exchange.qdc import QdaCode, Xml, norm_guid, parse_xml, read_codes, read_sets
from thematic.exchange.refi import INTERNAL, PROJECT_FILE, PROJECT_NS, SOURCES_DIR
from thematic.readers.base import OffsetMap, normalise

MAX_MEMBER = 200_000_000  # one zip member; a transcript over 100 MB is refused by the reader anyway
MAX_TOTAL = 2_000_000_000  # everything read from one .qdpx
OTHER_SOURCES = {"PictureSource": "picture", "PDFSource": "PDF", "AudioSource": "audio", "VideoSource": "video"}
VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")


# ---------------------------------------------------------------- what the file holds


@dataclass
class Selection:
    """A PlainTextSelection (or a Coding on the whole source: start 0, end None)."""

    guid: str
    name: str
    start: int
    end: int | None
    codes: list[str]
    notes: list[str]
    description: str
    users: set[str]


@dataclass
class SourceText:
    """A source's text as the study keeps it (NFC, "\\n"), and the program's offsets onto it."""

    text: str
    length: int  # in the program's units
    to_ours: Callable[[int], int]


@dataclass
class QdaSource:
    guid: str
    name: str
    kind: str  # "text", or what the other kinds are called ("PDF", "picture", ...)
    text: SourceText | None
    problem: str  # why the text could not be had, when it could not
    selections: list[Selection]
    notes: list[str]
    values: list[tuple[str, Any]]
    description: str
    rich_only: bool = False  # text from the .docx alone: offsets into a plain text we do not have


@dataclass
class QdaNote:
    guid: str
    name: str
    text: str
    date: str
    span: tuple[int, int] | None  # QualCoder: an annotation holds its own selection


@dataclass
class QdaCase:
    guid: str
    name: str
    description: str
    values: list[tuple[str, Any]]  # (variable GUID, value)
    sources: list[str]
    selections: list[str]


@dataclass
class QdaProject:
    name: str
    origin: str
    description: str
    codes: list[QdaCode]
    sets: list
    variables: dict[str, tuple[str, str]]  # GUID -> (name, type)
    cases: list[QdaCase]
    sources: list[QdaSource]
    notes: dict[str, QdaNote]
    note_refs: list[str]  # notes about the whole project
    links: list[tuple[str, str]]  # (origin GUID, target GUID)
    graphs: int


# ---------------------------------------------------------------- reading the zip


class Package:
    """The .qdpx zip: project.qde and the flat folder of internal files, looked up by name
    (the folder's name in any case), each read at most up to its size limit."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path, self.archive, self.read_total = path, archive, 0
        infos = archive.infolist()
        self.internal = {i.filename.split("/", 1)[1].casefold(): i for i in infos
                         if i.filename.count("/") == 1 and i.filename.split("/")[0].casefold() == SOURCES_DIR}
        self.project = next((i for i in infos if i.filename == PROJECT_FILE), None) or \
            next((i for i in infos if "/" not in i.filename and i.filename.casefold().endswith(".qde")), None)

    def read(self, info: zipfile.ZipInfo) -> bytes:
        where = f"{self.path}:{info.filename}"
        if info.flag_bits & 0x1:
            raise CorpusError(f"{where}: encrypted inside the zip; export the project again without a password")
        if info.file_size > MAX_MEMBER or self.read_total + info.file_size > MAX_TOTAL:
            raise CorpusError(f"{where}: {info.file_size // 1_000_000} MB is too large to import")
        try:
            with self.archive.open(info) as handle:
                data = handle.read(MAX_MEMBER + 1)
        # what zipfile raises for a damaged member, an unknown compression method or an encrypted one
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
            raise CorpusError(f"{where}: damaged inside the zip ({' '.join(str(exc).split())})") from None
        if len(data) > MAX_MEMBER:
            raise CorpusError(f"{where}: larger than the zip says (a zip bomb?); refused")
        self.read_total += len(data)
        return data

    def internal_file(self, reference: str) -> bytes | None:
        """The bytes of `internal://NAME`, or None when the zip has no such file."""
        info = self.internal.get(reference[len(INTERNAL):].casefold())
        return self.read(info) if info is not None else None


def read_project(path: Path) -> QdaProject:
    """Everything a .qdpx (or a bare project.qde) holds that an import can use."""
    if not zipfile.is_zipfile(path):
        if path.suffix.lower() == ".qdpx":
            raise CorpusError(f"{path}: not a zip archive, so not a REFI-QDA project (.qdpx)",
                              fix="export the project again from its program")
        return _project(parse_xml(read_file(path), str(path), PROJECT_NS, "Project"), None)
    try:
        with zipfile.ZipFile(path) as archive:
            package = Package(path, archive)
            if package.project is None:
                raise CorpusError(f"{path}: no {PROJECT_FILE} inside, so not a REFI-QDA project")
            xml = parse_xml(package.read(package.project), f"{path}:{package.project.filename}", PROJECT_NS, "Project")
            return _project(xml, package)
    except zipfile.BadZipFile as exc:
        raise CorpusError(f"{path}: damaged zip archive ({exc})") from None


def read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_MEMBER:
            raise CorpusError(f"{path}: too large to be a REFI-QDA file")
        return path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _project(xml: Xml, package: Package | None) -> QdaProject:
    root = xml.root
    origin = (root.get("origin") or "").strip()
    variables = {norm_guid(xml.attr(v, "guid")): ((v.get("name") or "").strip(), v.get("typeOfVariable") or "Text")
                 for v in _under(xml, root, "Variables", "Variable")}
    notes = {n.guid: n for n in (_note(xml, e, package) for e in _under(xml, root, "Notes", "Note"))}
    sources = []
    holder = xml.one(root, "Sources")
    for element in list(holder) if holder is not None else []:
        kind = element.tag.rpartition("}")[2]
        if kind == "TextSource":
            sources.append(_text_source(xml, element, package, origin))
        elif kind in OTHER_SOURCES:
            sources.append(QdaSource(norm_guid(element.get("guid")), (element.get("name") or "").strip(),
                                     OTHER_SOURCES[kind], None, "", [], [], [], ""))
    links = [(norm_guid(e.get("originGUID")), norm_guid(e.get("targetGUID"))) for e in _under(xml, root, "Links", "Link")]
    return QdaProject((root.get("name") or "").strip(), origin, xml.text(root, "Description").strip(),
                      read_codes(xml, xml.one(root, "CodeBook")), read_sets(xml, root, "targetGUID"), variables,
                      [_case(xml, e) for e in _under(xml, root, "Cases", "Case")], sources, notes,
                      [norm_guid(n.get("targetGUID")) for n in xml.all(root, "NoteRef")], links,
                      len(_under(xml, root, "Graphs", "Graph")))


def _under(xml: Xml, root: ElementTree.Element, holder: str, name: str) -> list[ElementTree.Element]:
    element = xml.one(root, holder)
    return xml.all(element, name) if element is not None else []


def _text_source(xml: Xml, element: ElementTree.Element, package: Package | None, origin: str) -> QdaSource:
    guid = norm_guid(xml.attr(element, "guid"))
    name = (element.get("name") or "").strip()
    raw, problem, rich_only = _source_chars(xml, element, package)
    selections = [_selection(xml, s) for s in xml.all(element, "PlainTextSelection")]
    whole = _code_refs(xml, element)
    if whole:  # a Coding on the source itself (some programs code a whole document so)
        selections.append(Selection(guid, "", 0, None, whole, [], "", set()))
    text = _source_text(raw, origin) if raw is not None else None
    return QdaSource(guid, name, "text", text, problem, selections,
                     [norm_guid(n.get("targetGUID")) for n in xml.all(element, "NoteRef")],
                     _values(xml, element), xml.text(element, "Description").strip(), rich_only)


def _source_chars(xml: Xml, element: ElementTree.Element, package: Package | None) -> tuple[str | None, str, bool]:
    """(the source's plain text, why there is none, whether it came from the .docx alone)."""
    content = xml.one(element, "PlainTextContent")
    if content is not None:
        return content.text or "", "", False
    plain, rich = element.get("plainTextPath") or "", element.get("richTextPath") or ""
    if plain:
        return (*_internal_text(package, plain), False)
    if rich.lower().endswith(".docx"):
        return (*_internal_text(package, rich), True)
    return None, "no plain text (neither PlainTextContent nor plainTextPath)", False


def _internal_text(package: Package | None, reference: str) -> tuple[str | None, str]:
    """The text of an internal file (.txt decoded as our reader decodes it, .docx read by our
    Word reader); an external file (relative://, absolute://) is never read: a project file
    must not make the import read files elsewhere on this computer."""
    if not reference.startswith(INTERNAL):
        return None, f"an external file ({reference.split('://')[0]}://), not inside the .qdpx"
    data = package.internal_file(reference) if package is not None else None
    if data is None:
        return None, f"{reference} is missing from the .qdpx"
    where = Path(f"{package.path}:{SOURCES_DIR}/{reference[len(INTERNAL):]}")  # type: ignore[union-attr]
    try:
        if reference.lower().endswith(".docx"):
            from thematic.readers.office import read_docx

            return read_docx(where, data, "").text, ""
        from thematic.readers.plain import decode

        return decode(where, data)[0], ""
    except CorpusError as exc:
        return None, exc.message


def _source_text(raw: str, origin: str) -> SourceText:
    """The text as a transcript (NFC, "\\n", no BOM) and the map from the program's offsets:
    ATLAS.ti counts a CRLF as one character, the others as two; NVivo counts UTF-16 units."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    program = origin.casefold()
    base = raw.replace("\r\n", "\n") if "atlas" in program else raw
    text, offsets = normalise(base)
    astral = [i for i, c in enumerate(base) if c > "\uffff"] if "nvivo" in program and max(base, default="") > "\uffff" else []
    if astral:
        units = [a + k for k, a in enumerate(astral)]  # where each astral character starts, in UTF-16 units
        return SourceText(text, len(base) + len(astral), lambda o: _normal(offsets, o - bisect_left(units, o)))
    return SourceText(text, len(base), lambda o: _normal(offsets, o))


def _normal(offsets: OffsetMap, original: int) -> int:
    """An offset in the source's own text as an offset in the normalised text (the inverse of
    OffsetMap.to_original, inside a changed stretch its end)."""
    i = bisect_right(offsets.orig, original) - 1
    out = offsets.norm[i] + (original - offsets.orig[i])
    return min(out, offsets.norm[i + 1]) if i + 1 < len(offsets.norm) else out


def _selection(xml: Xml, element: ElementTree.Element) -> Selection:
    codings = xml.all(element, "Coding")
    notes = [norm_guid(n.get("targetGUID")) for e in (element, *codings) for n in xml.all(e, "NoteRef")]
    return Selection(norm_guid(xml.attr(element, "guid")), element.get("name") or "",
                     xml.number(element, "startPosition"), xml.number(element, "endPosition"),
                     _code_refs(xml, element), notes, xml.text(element, "Description").strip(),
                     {c.get("creatingUser") or "" for c in codings})


def _code_refs(xml: Xml, element: ElementTree.Element) -> list[str]:
    """The codes of the Coding elements directly under `element` (each has one CodeRef)."""
    out = []
    for coding in xml.all(element, "Coding"):
        ref = xml.one(coding, "CodeRef")
        if ref is None:
            raise CorpusError(f"{xml.where}:{xml.line_of(coding)}: <Coding> has no <CodeRef>, which REFI-QDA requires")
        out.append(norm_guid(xml.attr(ref, "targetGUID")))
    return out


def _values(xml: Xml, element: ElementTree.Element) -> list[tuple[str, Any]]:
    """VariableValue children: (variable GUID, the value as YAML should hold it)."""
    out = []
    for value in xml.all(element, "VariableValue"):
        ref = xml.one(value, "VariableRef")
        typed = next((v for v in value if v.tag.rpartition("}")[2] in VALUE_TAGS), None)
        if ref is not None and typed is not None and (typed.text or "").strip():
            out.append((norm_guid(ref.get("targetGUID")), _typed(typed.tag.rpartition("}")[2], typed.text.strip())))
    return out


def _typed(kind: str, text: str) -> Any:
    try:
        if kind == "BooleanValue":
            return text.lower() in ("true", "1")
        if kind == "IntegerValue":
            return int(text)
        if kind == "FloatValue":
            return float(text)
    except ValueError:
        pass
    return text


def _note(xml: Xml, element: ElementTree.Element, package: Package | None) -> QdaNote:
    guid = norm_guid(xml.attr(element, "guid"))
    content = xml.one(element, "PlainTextContent")
    text = (content.text or "") if content is not None else ""
    path = element.get("plainTextPath") or element.get("richTextPath") or ""
    if content is None and path:
        text = _internal_text(package, path)[0] or ""
    selection = xml.one(element, "PlainTextSelection")
    span = (xml.number(selection, "startPosition"), xml.number(selection, "endPosition")) if selection is not None else None
    date = element.get("creationDateTime") or element.get("modifiedDateTime") or ""
    return QdaNote(guid, (element.get("name") or "").strip(), normalise(text.lstrip("\ufeff"))[0].strip(), _date(date), span)


def _date(value: str) -> str:
    """"2025-01-01T10:00:00Z" as memos.yaml dates it: "2025-01-01 10:00"."""
    day, _, time = value.strip().partition("T")
    return f"{day} {time[:5]}".strip() if len(day) == 10 else ""


def _case(xml: Xml, element: ElementTree.Element) -> QdaCase:
    return QdaCase(norm_guid(element.get("guid")), (element.get("name") or "").strip(),
                   xml.text(element, "Description").strip(), _values(xml, element),
                   [norm_guid(r.get("targetGUID")) for r in xml.all(element, "SourceRef")],
                   [norm_guid(r.get("targetGUID")) for r in xml.all(element, "SelectionRef")])
