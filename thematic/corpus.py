"""Data items: transcripts read into speaker turns with character spans and line numbers.

Who speaks (participant ids). A participant is a person the data can tell apart: the item itself
when one informant label speaks in it ("mentor-01"), item/label when several do
("gruppe-01/veileder-2"). Where people cannot be told apart, each informant turn is its own
anonymous voice, "item#turn" ("sitater#12"), never the file: in a text without speaker labels
(each paragraph a turn: a file of quotes, survey answers) and in an item whose participants.yaml
entry says `voices: anonymous` (a group interview where every speaker is labelled `Deltaker:`).
`voices: one` says one person speaks every informant turn of the item (an essay); `voices:
labels` says the labels tell people apart (the default where there are labels). Counts of
participants never include voices; spread, co-occurrence and prevalence count a voice as one
unit (thematic.measures).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator

from thematic.artefacts import Loaded, load_yaml
from thematic.errors import CorpusError
from thematic.project import Project
from thematic.readers import READERS, Source, line_starts, read_source
from thematic.readers.base import TIMESTAMP
from thematic.slug import slugify
from thematic.turns import INFORMANT, INTERVIEWER, PREAMBLE, Turn  # here too: corpus is where readers look

READABLE = frozenset(READERS)
_TIME = rf"(?:[\[(]?(?P<time>{TIMESTAMP.pattern})[\])]?[ \t]+)"
# "Intervjuer:", "Veileder 2:", "NAV-veileder 1:", "I:", "[00:12:03] Kari:", "[navn 1]:" at the
# start of a line; a timestamp alone ("[00:12:03] Ja, ...") starts an unlabelled paragraph.
_LABEL = re.compile(
    rf"^{_TIME}?(?:\*\*)?(?P<label>[A-ZÆØÅ][\wÆØÅæøå\-]{{0,30}}(?: [\wÆØÅæøå\-]{{1,20}}){{0,2}}"
    r"|\[[a-zæøå]{1,12} \d{1,4}\])(?:\*\*:|:(?:\*\*)?)[ \t]+", re.M)  # **Mentor:** in Markdown
_LEADING_TIME = re.compile(_TIME)  # used with match(text, pos): anchored at pos
_SURROGATE = re.compile("[\ud800-\udfff]")  # how Python keeps a file name's non-UTF-8 bytes

VOICE_MARK = "#"  # in a participant id: "item#turn", an anonymous voice (slugs never hold "#")
VOICES = ("labels", "anonymous", "one")  # participants.yaml: voices: per item
SHARED_LABEL_REPEATS = 3  # a sole informant label following itself this often: a hint, not a rule


def voice_id(doc_id: str, turn_index: int) -> str:
    """The unit of one informant turn whose speaker cannot be told apart from the others."""
    return f"{doc_id}{VOICE_MARK}{turn_index}"


def is_voice(participant: str | None) -> bool:
    """True for an anonymous voice (one turn), False for a person or no one."""
    return bool(participant) and VOICE_MARK in participant


@dataclass(frozen=True)
class Document:
    """One data item (a transcript), identified by its file name without extension; text is what
    its reader returns (the text quoted and verified), source maps it back to the file."""

    id: str
    path: Path
    sha256: str
    text: str
    turns: tuple[Turn, ...]
    source: Source | None = field(default=None, repr=False, compare=False)

    @cached_property
    def _line_index(self) -> tuple[list[int], list[int] | None]:
        if self.source is not None and self.source.lines is not None:
            return [o for o, _ in self.source.lines], [n for _, n in self.source.lines]
        return line_starts(self.text), None

    def line_at(self, offset: int) -> int:
        """The line (for .docx/.odt/.rtf: the paragraph) the researcher finds this offset on."""
        starts, numbers = self._line_index
        k = max(bisect_right(starts, offset) - 1, 0)
        return numbers[k] if numbers is not None else k + 1

    def source_position(self, offset: int) -> tuple[int, int | None]:
        """(line, column) in the file as saved; the column only for plain text (where an NFD
        "å" is two characters and a CRLF two, the column counts them as the editor does)."""
        line = self.line_at(offset)
        offsets = self.source.offsets if self.source is not None else None
        if offsets is None:
            return line, None
        start = self._line_index[0][line - 1]
        return line, offsets.to_original(offset) - offsets.to_original(start) + 1

    @cached_property
    def informant_turns(self) -> list[Turn]:
        """Its informants' turns, found once: phases 2-6 and the checklist each ask for every item's."""
        return [t for t in self.turns if t.role == INFORMANT]

    @cached_property
    def participants(self) -> list[str]:
        """The people the data tells apart (anonymous voices are not people); once per document,
        as phases 3-6 ask three times each."""
        return sorted({t.participant for t in self.turns if t.participant and not is_voice(t.participant)})

    @cached_property
    def voices(self) -> list[str]:
        """The anonymous voices: one per informant turn where people cannot be told apart."""
        return [t.participant for t in self.turns if is_voice(t.participant)]

    @property
    def has_labels(self) -> bool:
        return any(t.speaker for t in self.turns)


def is_interviewer(label: str, interviewer_labels: set[str]) -> bool:
    """An interviewer label, also numbered or in other case: "Intervjuer 2", "INTERVJUER"."""
    wanted = {x.casefold() for x in interviewer_labels}
    return label.casefold() in wanted or label.rstrip("0123456789 ").casefold() in wanted


def _speaker_labels(text: str, interviewer_labels: set[str], known: frozenset[str] = frozenset()) -> set[str]:
    """Labels that mark speakers: interviewer labels, ones the format marks (a .vtt voice), ones
    used twice, and their numbered siblings ("Veileder 4" who speaks once, beside "Veileder 1");
    a one-off "Sånn: ..." is prose."""
    counts = Counter(m.group("label") for m in _LABEL.finditer(text))
    accepted = {label for label, n in counts.items()
                if n >= 2 or label in known or label.startswith("[") or is_interviewer(label, interviewer_labels)}
    stems = {label.rstrip("0123456789 ") for label in accepted}
    return accepted | {label for label in counts if label[-1].isdigit() and label.rstrip("0123456789 ") in stems}


def _paragraph_turns(doc_id: str, text: str) -> list[Turn]:
    """An unlabelled text (quotes, written answers, an untagged subtitle file): each paragraph is
    one informant turn and, as nothing tells its people apart, one anonymous voice (`voices: one`
    in participants.yaml makes the item one person); a leading timestamp is the turn's time."""
    turns, starts = [], line_starts(text)
    for first, end in _paragraphs(text):
        time = _LEADING_TIME.match(text, first, end)
        start = time.end() if time else first
        if text[start:end].strip():
            n = len(turns) + 1
            turns.append(_turn(n, None, INFORMANT, voice_id(doc_id, n), text, start, end,
                               time.group("time") if time else None, starts))
    return turns


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(first non-space, end) of each paragraph: text between blank lines. Found from the blank
    lines, so a 50 MB line costs one scan, not a regex backtracking over it."""
    pos = 0
    for blank in (*(m.start() for m in _BLANK_LINE.finditer(text)), len(text)):
        first = _NON_SPACE.search(text, pos, blank)
        if first:
            yield first.start(), blank
        pos = blank + 1


_BLANK_LINE = re.compile(r"\n(?=[ \t]*\n)")
_NON_SPACE = re.compile(r"\S")


def split_turns(doc_id: str, text: str, interviewer_labels: set[str],
                known: frozenset[str] = frozenset()) -> list[Turn]:
    """Speaker turns of a transcript; text before the first label is preamble, not coded."""
    labels = _speaker_labels(text, interviewer_labels, known)
    marks = [m for m in _LABEL.finditer(text) if m.group("label") in labels]
    if not marks:
        return _paragraph_turns(doc_id, text)
    speakers = _speakers(doc_id, {m.group("label") for m in marks}, interviewer_labels)
    starts = line_starts(text)
    turns: list[Turn] = []
    if text[: marks[0].start()].strip():
        turns.append(_turn(0, None, PREAMBLE, None, text, 0, marks[0].start()))
    for n, mark in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
        label = mark.group("label")
        role, participant = speakers[label]
        turns.append(_turn(len(turns) + 1, label, role, participant, text, mark.end(), end, mark.group("time"), starts))
    return turns


def _speakers(doc_id: str, labels: set[str], interviewer_labels: set[str]) -> dict[str, tuple[str, str | None]]:
    """Label -> (role, participant id), worked out once per label rather than once per turn: a
    sole informant is the item itself, several are item/label."""
    informants = {label for label in labels if not is_interviewer(label, interviewer_labels)}
    roles: dict[str, tuple[str, str | None]] = {label: (INTERVIEWER, None) for label in labels - informants}
    for label in informants:
        roles[label] = (INFORMANT, doc_id if len(informants) == 1 else f"{doc_id}/{slugify(label)}")
    return roles


def _turn(index: int, speaker: str | None, role: str, participant: str | None,
          text: str, start: int, end: int, time: str | None = None, starts: list[int] | None = None) -> Turn:
    chunk = text[start:end]
    stripped = chunk.strip()
    s = start + (len(chunk) - len(chunk.lstrip()) if stripped else 0)
    line = bisect_right(starts, s) if starts is not None else text.count("\n", 0, s) + 1
    return Turn(index, speaker, role, participant, s, s + len(stripped), line, stripped, time)


def document_from_source(source: Source, interviewer_labels: set[str]) -> Document:
    """Turns and the item id (from the file name) of a read file."""
    doc_id = slugify(source.path.stem)
    if not doc_id:
        raise CorpusError(f"{source.path}: no item id can be made from this file name; give it letters or digits")
    turns = split_turns(doc_id, source.text, interviewer_labels, source.speakers)
    return Document(doc_id, source.path, source.sha256, source.text, tuple(turns), source)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def shown(path: Path) -> str:
    """A path as text that prints and writes everywhere: a byte of the name that is not UTF-8
    (Linux allows any; Python keeps it as a lone surrogate) shown escaped, as \\xff."""
    return _SURROGATE.sub(_escape, str(path))


def check_name(path: Path) -> None:
    """Refuse a file whose name is not UTF-8: its name goes into the YAML artefacts, the lock and
    the terminal, which hold text only; CorpusError showing the name with the byte escaped."""
    bad = _SURROGATE.search(str(path))
    if bad:
        raise CorpusError(f"{shown(path)}: the file name has a byte that is not UTF-8 (shown as "
                          f"{_escape(bad)}); rename the file")


def read_document(path: Path, interviewer_labels: set[str]) -> Document:
    """A data item in any supported format, split into turns; CorpusError naming the file if not."""
    check_name(path)
    return document_from_source(read_source(path), interviewer_labels)


def _is_transcript_name(path: Path) -> bool:
    """Hidden files and Word's "~$name.docx" lock files are never data items."""
    return not path.name.startswith((".", "~$"))


def _analysis_folders(root: Path, paths: set[Path]) -> set[Path]:
    """The folders among these files' parents that hold a `.thematic/` machine folder: an analysis
    (or a variant's), whose reports (6-report.docx ...) and exports are never transcripts."""
    holding = {p.parent for p in paths}  # a few folders for hundreds of files
    folders = {parent for f in holding for parent in (f, *f.parents) if parent != root and root in parent.parents}
    return {f for f in folders if (f / ".thematic").is_dir()}


def corpus_paths(project: Project) -> list[Path]:
    """The data item files the project's include globs match, in a stable order."""
    found: set[Path] = set()
    for pattern in project.settings["corpus"]["include"]:
        found.update(p for p in project.root.glob(pattern) if p.is_file() and _is_transcript_name(p))
    analysis = _analysis_folders(project.root, found)
    paths = sorted((p for p in found if not (analysis and analysis & set(p.parents))), key=project.relative)
    for path in paths:  # here, not per read: the lock lists these names before any is read
        check_name(path)
    if not paths:
        globs = ", ".join(project.settings["corpus"]["include"])
        raise CorpusError(f"{project.root}: no transcripts match {globs}",
                          fix=f"put transcripts ({', '.join(sorted(READABLE))}) in interviews/ "
                              "or change corpus.include in thematic.yaml")
    return paths


def load_corpus(project: Project, skip_bad: bool = False) -> tuple[list[Document], list[str]]:
    """Every data item, sorted by id, and warnings; with skip_bad an unreadable file or a
    duplicate id is skipped with a warning instead of stopping the run."""
    labels = set(project.settings["corpus"]["interviewer_labels"])
    docs: dict[str, Document] = {}
    warnings: list[str] = []
    for path in corpus_paths(project):
        try:
            doc = read_document(path, labels)
            if doc.id in docs:
                raise CorpusError(f"{path}: same item id {doc.id!r} as {docs[doc.id].path}; rename one")
        except CorpusError as exc:
            if not skip_bad:
                raise
            warnings.append(f"skipped {exc}")
            continue
        docs[doc.id] = doc
    if not docs:
        raise CorpusError(f"{project.root}: no readable transcripts (all {len(warnings)} skipped)")
    return _with_voices(project, [docs[k] for k in sorted(docs)], warnings), warnings


def _with_voices(project: Project, docs: list[Document], warnings: list[str]) -> list[Document]:
    """The items with participants.yaml's `voices:` applied; an item without the key whose one
    informant label keeps following itself gets a hint (several people may share the label)."""
    loaded = _participants_file(project)
    data = loaded.data if loaded is not None else {}
    out = []
    for doc in docs:
        voices = (data.get(doc.id) or {}).get("voices")
        if voices is None:
            warnings.extend(_shared_label_hint(project, doc))
            out.append(doc)
            continue
        if voices not in VOICES or (voices == "labels" and not doc.has_labels):
            allowed = ", ".join(VOICES) if doc.has_labels else "one or anonymous (the file has no speaker labels)"
            raise loaded.error([doc.id, "voices"], f"voices of {doc.id!r} is {voices!r}; allowed: {allowed}")
        out.append(with_voices(doc, voices))
    return out


def with_voices(doc: Document, voices: str) -> Document:
    """The item with its informant turns attributed as `voices:` says: `anonymous`, each turn its
    own voice; `one`, every turn the item's one person; `labels`, as the labels say."""
    if voices == "labels":
        return doc
    turns = tuple(replace(t, participant=voice_id(doc.id, t.index) if voices == "anonymous" else doc.id)
                  if t.role == INFORMANT else t for t in doc.turns)
    return replace(doc, turns=turns)


def _shared_label_hint(project: Project, doc: Document) -> list[str]:
    """A warning when the item's one informant label, unnumbered, follows itself in at least
    SHARED_LABEL_REPEATS turns: a new label marks a new speaker, so this may be several people
    under one label. Only a hint: one person whose every paragraph is labelled looks the same."""
    labels = {t.speaker for t in doc.informant_turns}
    if len(labels) != 1 or None in labels or next(iter(labels))[-1:].isdigit():
        return []
    label = next(iter(labels))
    order = [t.speaker for t in doc.turns if t.role in (INFORMANT, INTERVIEWER)]
    repeats = sum(a == b == label for a, b in zip(order, order[1:]))
    if repeats < SHARED_LABEL_REPEATS:
        return []
    return [f"{shown(doc.path)}: {repeats} turns labelled {label!r} follow another {label!r} turn; if several "
            f"people share the label, write voices: anonymous under {doc.id} in {project.relative(project.participants_path)} "
            f"(voices: labels if it is one person)"]


def read_corpus(project: Project) -> list[Document]:
    """Every data item, sorted by id; any unreadable file or duplicate id is an error."""
    return load_corpus(project)[0]


def load_participants(project: Project) -> dict[str, dict[str, Any]]:
    """participants.yaml: {item-id: {attr: value, voices: labels|anonymous|one, speakers: {label:
    {attr: value}}}}, optional."""
    loaded = _participants_file(project)
    return loaded.data if loaded is not None else {}


def _participants_file(project: Project) -> Loaded | None:
    """participants.yaml parsed and checked to map item ids to attributes; None when absent."""
    path = project.participants_path
    if not path.is_file():
        return None
    loaded = load_yaml(path)
    loaded.data = loaded.data or {}
    if not isinstance(loaded.data, dict):
        raise loaded.error([], "participants.yaml must map item ids to attributes")
    for item, attrs in loaded.data.items():
        if not isinstance(attrs, dict):
            raise loaded.error([item], f"attributes of {item!r} must be a mapping")
    return loaded


def participant_attributes(participants: dict[str, dict[str, Any]], turn_item: str, speaker: str | None) -> dict[str, Any]:
    """Item attributes overlaid with the speaker's own (role of Veileder 2 in a group interview)."""
    item = participants.get(turn_item, {})
    attrs = {k: v for k, v in item.items() if k != "speakers"}
    attrs.update((item.get("speakers") or {}).get(speaker or "", {}) or {})
    return attrs
