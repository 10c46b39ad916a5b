"""Data items: transcripts read into speaker turns with character spans and line numbers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thematic.artefacts import load_yaml, sha256_bytes
from thematic.errors import CorpusError
from thematic.project import Project
from thematic.slug import slugify

READABLE = {".txt", ".md"}
# "Intervjuer:", "Veileder 2:", "NAV-veileder 1:", "I:" at the start of a line.
_LABEL = re.compile(r"^(?P<label>[A-ZÆØÅ][\wÆØÅæøå\-]{0,30}(?: [\wÆØÅæøå\-]{1,20}){0,2}):[ \t]+", re.M)
_PARAGRAPH = re.compile(r"\n[ \t]*\n")

INTERVIEWER, INFORMANT, PREAMBLE = "interviewer", "informant", "preamble"


@dataclass(frozen=True)
class Turn:
    """One speaker turn; start/end are character offsets of its text (label excluded)."""

    index: int
    speaker: str | None
    role: str
    participant: str | None
    start: int
    end: int
    line: int
    text: str


@dataclass(frozen=True)
class Document:
    """One data item (a transcript), identified by its file name without extension."""

    id: str
    path: Path
    sha256: str
    text: str
    turns: tuple[Turn, ...]

    def line_at(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    @property
    def informant_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.role == INFORMANT]

    @property
    def participants(self) -> list[str]:
        return sorted({t.participant for t in self.turns if t.participant})


def read_text(path: Path) -> tuple[str, str]:
    """(text, sha256 of the bytes); newlines unified so spans mean the same on every OS."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from None
    if b"\x00" in raw[:4096]:
        raise CorpusError(f"{path}: looks like a binary file, not a transcript")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8 text",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n"), sha256_bytes(raw)


def _speaker_labels(text: str, interviewer_labels: set[str]) -> set[str]:
    """Labels that mark speakers: interviewer labels, ones used twice, and their numbered siblings
    ("Veileder 4" who speaks once, beside "Veileder 1"); a one-off "Sånn: ..." is prose."""
    counts = Counter(m.group("label") for m in _LABEL.finditer(text))
    accepted = {label for label, n in counts.items() if n >= 2 or label in interviewer_labels}
    stems = {label.rstrip("0123456789 ") for label in accepted}
    return accepted | {label for label in counts if label[-1].isdigit() and label.rstrip("0123456789 ") in stems}


def _paragraph_turns(doc_id: str, text: str) -> list[Turn]:
    """An unlabelled text (an essay, a written answer): each paragraph is one informant turn."""
    turns, offset = [], 0
    for index, chunk in enumerate(_PARAGRAPH.split(text)):
        start = text.index(chunk, offset)
        offset = start + len(chunk)
        stripped = chunk.strip()
        if stripped:
            s = start + chunk.index(stripped)
            turns.append(Turn(len(turns) + 1, None, INFORMANT, doc_id, s, s + len(stripped),
                              text.count("\n", 0, s) + 1, stripped))
    return turns


def split_turns(doc_id: str, text: str, interviewer_labels: set[str]) -> list[Turn]:
    """Speaker turns of a transcript; text before the first label is preamble, not coded."""
    labels = _speaker_labels(text, interviewer_labels)
    marks = [m for m in _LABEL.finditer(text) if m.group("label") in labels]
    if not marks:
        return _paragraph_turns(doc_id, text)
    informants = sorted({m.group("label") for m in marks} - interviewer_labels)
    turns: list[Turn] = []
    if text[: marks[0].start()].strip():
        turns.append(_turn(0, None, PREAMBLE, None, text, 0, marks[0].start()))
    for n, mark in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
        label = mark.group("label")
        if label in interviewer_labels:
            role, participant = INTERVIEWER, None
        else:
            role = INFORMANT
            participant = doc_id if len(informants) == 1 else f"{doc_id}/{slugify(label)}"
        turns.append(_turn(len(turns) + 1, label, role, participant, text, mark.end(), end))
    return turns


def _turn(index: int, speaker: str | None, role: str, participant: str | None,
          text: str, start: int, end: int) -> Turn:
    chunk = text[start:end]
    stripped = chunk.strip()
    s = start + (chunk.index(stripped) if stripped else 0)
    return Turn(index, speaker, role, participant, s, s + len(stripped),
                text.count("\n", 0, s) + 1, stripped)


def read_document(path: Path, interviewer_labels: set[str]) -> Document:
    if path.suffix.lower() not in READABLE:
        raise CorpusError(f"{path}: cannot read {path.suffix} files yet; save it as .txt")
    text, digest = read_text(path)
    if not text.strip():
        raise CorpusError(f"{path}: the file is empty")
    doc_id = slugify(path.stem)
    return Document(doc_id, path, digest, text, tuple(split_turns(doc_id, text, interviewer_labels)))


def corpus_paths(project: Project) -> list[Path]:
    """The data item files the project's include globs match, in a stable order."""
    found: set[Path] = set()
    for pattern in project.settings["corpus"]["include"]:
        found.update(p for p in project.root.glob(pattern) if p.is_file())
    paths = sorted(found, key=lambda p: project.relative(p))
    if not paths:
        globs = ", ".join(project.settings["corpus"]["include"])
        raise CorpusError(f"{project.root}: no transcripts match {globs}",
                          fix="put .txt files in interviews/ or change corpus.include in thematic.yaml")
    return paths


def read_corpus(project: Project) -> list[Document]:
    """Every data item, sorted by id; duplicate ids are an error (they would merge silently)."""
    labels = set(project.settings["corpus"]["interviewer_labels"])
    docs = [read_document(p, labels) for p in corpus_paths(project)]
    seen: dict[str, Path] = {}
    for doc in docs:
        if doc.id in seen:
            raise CorpusError(f"{doc.path}: same item id {doc.id!r} as {seen[doc.id]}; rename one")
        seen[doc.id] = doc.path
    return sorted(docs, key=lambda d: d.id)


def load_participants(project: Project) -> dict[str, dict[str, Any]]:
    """participants.yaml: {item-id: {attr: value, speakers: {label: {attr: value}}}}, optional."""
    path = project.participants_path
    if not path.is_file():
        return {}
    loaded = load_yaml(path)
    data = loaded.data or {}
    if not isinstance(data, dict):
        raise loaded.error([], "participants.yaml must map item ids to attributes")
    for item, attrs in data.items():
        if not isinstance(attrs, dict):
            raise loaded.error([item], f"attributes of {item!r} must be a mapping")
    return data


def participant_attributes(participants: dict[str, dict[str, Any]], turn_item: str, speaker: str | None) -> dict[str, Any]:
    """Item attributes overlaid with the speaker's own (role of Veileder 2 in a group interview)."""
    item = participants.get(turn_item, {})
    attrs = {k: v for k, v in item.items() if k != "speakers"}
    attrs.update((item.get("speakers") or {}).get(speaker or "", {}) or {})
    return attrs
