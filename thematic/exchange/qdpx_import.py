"""REFI-QDA import: a study made from another program's project (.qdpx) or codebook (.qdc).

A .qdpx is read where it lies: members are looked up by name in the zip, never extracted, so a
member name can never become a path; each is read only up to a size limit whatever its header
claims. Text sources become UTF-8 transcripts in interviews/; codings become your own (manual)
codes, accepted, whose extracts are exactly the selections imported (offsets in Unicode code
points, end-exclusive, checked against the text); parent codes become codebook theme hints;
notes become memos; cases and variables become participants.yaml. What has no place in a
thematic study is listed, as REFI-QDA (§7) asks of an importer.

Where programs differ (research notes in the refi-qda folder, QualCoder's importer): the sources
folder is `sources/` or `Sources/`; a BOM is dropped; CRLF counts two characters in NVivo's and
MAXQDA's offsets but one in ATLAS.ti's; NVivo counts characters beyond U+FFFF twice (UTF-16);
NVivo writes cases as codes with the case's GUID and annotations as Links from a Note; MAXQDA
writes an annotation as a selection with a Description and no Coding, and document variables as
a Case without a name; QualCoder names a selection by its text; Taguette's codebook has an
empty <Sets/>.
"""

from __future__ import annotations

import shlex
import zipfile
from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from thematic.artefacts import FlowMap, dumps, write_atomic
from thematic.errors import CorpusError, ProjectError, ThematicError
from thematic.exchange.qdc import (
    CodePlan, OurCode, QdaCode, codebook_id, codebook_yaml, is_ours, plan_codes, read_codebook, walk,
)
from thematic.readers.base import normalise
from thematic.exchange.qdpx_read import QdaCase, QdaProject, QdaSource, Selection, read_file, read_project

TRANSCRIPTS = "interviews"
TREE = "kodetre"  # codebooks/<file>-kodetre.yaml: a project's code tree as theme hints
SUFFIXES = (".txt", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".md")  # stripped from a source's name
RESERVED = ("speakers", "voices")  # participants.yaml keys that are settings, not attributes
CASE_ATTRIBUTE = "kasus"  # a case's name, when it names neither the item nor the speaker
_UNSAFE = str.maketrans({c: "_" for c in '<>:"/\\|?*'})
RICH_ONLY = "counting characters of a plain text the .qdpx does not hold (only its Word file)"
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10))}
_NOT_TRANSCRIPTS = ("readme", "license", "licence", "changelog", "contributing")  # thematic.discover leaves these out


@dataclass
class Imported:
    """What an import wrote and what it could not map, for the CLI's report and --json."""

    root: Path
    source: Path
    format: str
    origin: str
    transcripts: list[str] = field(default_factory=list)
    codes: int = 0
    themes: int = 0
    codings: int = 0
    extracts: int = 0
    memos: int = 0
    cases: int = 0
    participants: int = 0
    codebook: str = ""
    files: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "root": str(self.root), "source": str(self.source)}


@dataclass
class Item:
    """A text source placed in the study: its file, id and text, and its selections' spans."""

    source: QdaSource
    path: Path
    id: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # selection GUID -> span in our text
    doc: Any = None  # thematic.corpus.Document, once the study's settings are written
    ends: list[int] = field(default_factory=list)  # where each of its turns ends

    def turn(self, start: int) -> Any:
        """The turn an extract belongs to: the one it starts in, or the next (it starts on a
        label or a blank line), or the last."""
        return self.doc.turns[min(bisect_right(self.ends, start), len(self.doc.turns) - 1)]


def import_study(path: Path, root: Path, title: str | None = None, approach: str = "reflexive") -> Imported:
    """A new study in `root` (a new or empty folder) from a REFI-QDA project or codebook."""
    from thematic.project import APPROACHES

    if approach not in APPROACHES:
        raise ThematicError(f"import: approach {approach!r} is not known; allowed: {', '.join(APPROACHES)}")
    if not path.is_file():
        raise CorpusError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    _check_root(root, path)
    if path.suffix.lower() == ".qdc" or (not zipfile.is_zipfile(path) and _looks_like_codebook(path)):
        return _import_codebook(path, root, title, approach)
    return _import_project(read_project(path), path, root, title, approach)


def _looks_like_codebook(path: Path) -> bool:
    with path.open("rb") as handle:
        return b"<CodeBook" in handle.read(4096)


def _check_root(root: Path, path: Path) -> None:
    """Only a new or empty folder: an import never writes over anything."""
    from thematic.project import PROJECT_FILE as SETTINGS

    fix = f"thematic import {shlex.quote(str(path))} {shlex.quote(str(root.parent / (root.name + '-importert')))}"
    if (root / SETTINGS).exists():
        raise ProjectError(f"{root / SETTINGS}: already exists; thematic import makes a new study and never "
                           "overwrites one", fix=fix)
    if root.exists() and not root.is_dir():
        raise ProjectError(f"{root}: not a folder", fix=fix)
    if root.is_dir() and any(root.iterdir()):
        raise ProjectError(f"{root}: not empty; thematic import makes a new study in a new or empty folder, "
                           "so nothing there is overwritten", fix=fix)


def _import_codebook(path: Path, root: Path, title: str | None, approach: str) -> Imported:
    book = read_codebook(read_file(path), str(path))
    plan = plan_codes(book.codes, book.sets, set())
    done = Imported(root, path, "qdc", book.origin, codes=len(plan.codes), themes=len(plan.hints),
                    lost=plan.lost, changed=plan.changed)
    book_id = codebook_id(path)
    header = (f"# Kodebok importert fra {path.name}{_by(book.origin)}. Kodene har ingen nøkkelord ennå:\n"
              "# skriv lemmaer under keywords: (se codebooks/README.md i thematic), ellers finner fase 2 ingen utdrag.\n")
    done.codebook = _write(root, f"codebooks/{book_id}.yaml",
                           codebook_yaml(book_id, title or path.stem, "", plan, True, header), done)
    _settings(root, book_id, title or path.stem, approach, done)
    return done


def _by(origin: str) -> str:
    return f" ({origin})" if origin else ""


def _import_project(project: QdaProject, path: Path, root: Path, title: str | None, approach: str) -> Imported:
    done = Imported(root, path, "qdpx", project.origin)
    case_guids = {c.guid for c in project.cases}
    tree = _without(project.codes, case_guids)  # NVivo: a case is also a code, with the case's GUID
    coded = {g for s in project.sources for sel in s.selections for g in sel.codes}
    plan = plan_codes(tree, project.sets, coded, colours=not is_ours(project.origin))
    done.lost += plan.lost
    done.changed += plan.changed
    items = _place(project, done)
    for item in items:
        _write(root, f"{TRANSCRIPTS}/{item.path.name}", item.source.text.text, done)  # type: ignore[union-attr]
        done.transcripts.append(f"{TRANSCRIPTS}/{item.path.name}")
    book_id = ""
    if plan.hints:
        book_id = f"{codebook_id(path)}-{TREE}"
        header = (f"# Temaforslag importert fra {path.name}{_by(project.origin)}: kodene i kodetreet som har underkoder.\n"
                  "# Kodene selv står i analysis/2-codes.yaml som dine egne (manuelle) koder, med utdragene sine.\n")
        done.codebook = _write(root, f"codebooks/{book_id}.yaml",
                               codebook_yaml(book_id, f"Kodetre fra {project.name or path.stem}", "", plan, False, header), done)
    labels = _settings(root, book_id, title or project.name or path.stem, approach, done)
    _read_documents(items, labels)
    spans = _spans(project, items, done)
    records = _code_records(project, plan, items, spans, case_guids, done)
    _write_codes(root, records, done)
    _write_participants(root, project, items, path, done)
    _write_memos(root, project, plan, items, done)
    done.themes = len(plan.hints)
    _report_rest(project, done)
    return done


def _without(codes: list[QdaCode], guids: set[str]) -> list[QdaCode]:
    """The code tree without the codes that are cases."""
    for code, _ in walk(codes):
        code.children = [c for c in code.children if c.guid not in guids]
    return [c for c in codes if c.guid not in guids]


def _write(root: Path, relative: str, text: str, done: Imported) -> str:
    write_atomic(root / relative, text)
    done.files.append(relative)
    return relative


def _settings(root: Path, codebook: str, title: str, approach: str, done: Imported) -> list[str]:
    """thematic.yaml as `thematic init` writes it (it finds the transcripts just written and the
    interviewer's label), with the approach asked for; the interviewer labels it chose."""
    from thematic.project import PROJECT_FILE as SETTINGS
    from thematic.project import init_project

    made = init_project(root, codebook or None, title)
    if approach != "reflexive":
        text = made.path.read_text(encoding="utf-8")
        write_atomic(made.path, text.replace("\napproach: reflexive\n", f"\napproach: {approach}\n", 1))
    done.files.append(SETTINGS)
    return made.interviewer_labels


# ---------------------------------------------------------------- sources


def _place(project: QdaProject, done: Imported) -> list[Item]:
    """Each text source that has text, as a transcript with a safe, unique file name (the
    source's name; its id, the name as a slug, unique too); the other sources are reported."""
    from thematic.readers import read_bytes
    from thematic.slug import slugify

    items: list[Item] = []
    taken: set[str] = set()
    other: Counter[str] = Counter()
    for source in project.sources:
        if source.kind != "text":
            other[source.kind] += 1
            continue
        if source.text is None or not source.text.text.strip():
            done.lost.append(f"source «{source.name}»: {source.problem or 'no text'}")
            continue
        stem = _file_stem(source.name, len(items) + 1)
        while slugify(stem) in taken:
            stem = _next_stem(stem, taken)
        path = Path(TRANSCRIPTS) / f"{stem}.txt"
        try:
            read_bytes(path, source.text.text.encode("utf-8"))
        except CorpusError as exc:
            done.lost.append(f"source «{source.name}»: {exc.message}")
            continue
        taken.add(slugify(stem))
        if stem != _display(source.name):
            done.changed.append(f"source «{source.name}» is {path.as_posix()}")
        items.append(Item(source, path, slugify(stem)))
    for kind, n in sorted(other.items()):
        done.lost.append(f"{n} {kind} source{'s' if n > 1 else ''}: thematic analyses transcripts (text) only")
    return items


def _display(name: str) -> str:
    """A source's name without the extension some programs keep in it."""
    return name[: -len(suffix)] if (suffix := next((s for s in SUFFIXES if name.lower().endswith(s)), "")) else name


def _file_stem(name: str, n: int) -> str:
    """A file name that is safe on every system: no folders, no characters Windows refuses, no
    leading dot, not too long, and not a name `thematic init` takes for a README."""
    from thematic.slug import slugify

    stem = " ".join(_display(name).translate(_UNSAFE).split())
    stem = "".join(c for c in stem if c.isprintable()).strip(" .")[:100].strip(" .")
    if not slugify(stem):
        return f"kilde-{n}"
    if stem.casefold().startswith(_NOT_TRANSCRIPTS) or stem.split(".")[0].upper() in _WINDOWS_DEVICES:
        return f"kilde {stem}"
    return stem


def _next_stem(stem: str, taken: set[str]) -> str:
    from thematic.slug import slugify

    n = 2
    while slugify(f"{stem} {n}") in taken:
        n += 1
    return f"{stem} {n}"


def _read_documents(items: list[Item], labels: list[str]) -> None:
    """Each transcript read as a run will read it (turns, speakers, participants)."""
    from thematic.corpus import document_from_source
    from thematic.readers import read_bytes

    for item in items:
        raw = item.source.text.text.encode("utf-8")  # type: ignore[union-attr]
        item.doc = document_from_source(read_bytes(item.path, raw), set(labels))
        item.ends = [t.end for t in item.doc.turns]
        if item.doc.text != item.source.text.text:  # type: ignore[union-attr]
            raise ThematicError(f"{item.path}: the transcript reads back as another text; nothing imported from it is safe")


def _spans(project: QdaProject, items: list[Item], done: Imported) -> dict[str, tuple[Item, int, int]]:
    """Every selection checked against its source's text: in range, not blank, and its name (the
    selected words, where a program names it so) found there; GUID -> (item, start, end)."""
    out: dict[str, tuple[Item, int, int]] = {}
    for item in items:
        problems: Counter[str] = Counter()
        for selection in item.source.selections:
            span = _span(item, selection) if not item.source.rich_only else RICH_ONLY
            if isinstance(span, str):
                problems[span] += 1
                continue
            out[selection.guid] = (item, *span)
            item.spans[selection.guid] = span
        for problem, n in sorted(problems.items()):
            done.lost.append(f"source «{item.source.name}»: {n} selection{'s' if n > 1 else ''} {problem}; not imported")
    return out


def _span(item: Item, selection: Selection) -> tuple[int, int] | str:
    text = item.source.text
    assert text is not None
    end = text.length if selection.end is None else selection.end
    if not 0 <= selection.start < end <= text.length:
        return f"outside the text (it has {text.length:,} characters; e.g. {selection.start}–{end})"
    start, stop = text.to_ours(selection.start), text.to_ours(end)
    chunk = text.text[start:stop]
    if not chunk.strip():
        return "with nothing but white space"
    if _misnamed(selection.name, chunk, text.text):
        return f"named by words found elsewhere in the text (e.g. «{_snippet(selection.name)}» at {selection.start})"
    return start, stop


def _misnamed(name: str, chunk: str, text: str) -> bool:
    """A selection named by words of the text (QualCoder names it by its text, ATLAS.ti by its
    first words) that does not start with them: its offsets point elsewhere."""
    name = normalise(name.strip())[0].rstrip("…").rstrip(". ").strip()
    if len(name) < 12 or " " not in name:
        return False
    return not chunk.lstrip().startswith(name) and name not in chunk and name in text


def _snippet(text: str, width: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


# ---------------------------------------------------------------- codes


def _code_records(project: QdaProject, plan: CodePlan, items: list[Item], spans: dict[str, tuple[Item, int, int]],
                  case_guids: set[str], done: Imported) -> list[dict[str, Any]]:
    """Each code of the plan as a manual code, accepted, with the extracts of its codings."""
    from thematic.artefacts import Flow
    from thematic.phases.code import extract_record

    extracts: dict[str, dict[tuple[str, int, int], dict]] = {g: {} for g in plan.codes}
    unknown = 0
    people: set[str] = set()
    for item in items:
        for selection in item.source.selections:
            if selection.guid not in item.spans:
                continue
            start, end = item.spans[selection.guid]
            for code in selection.codes:
                if code in case_guids:
                    continue
                if code not in extracts:
                    unknown += 1
                    continue
                extracts[code][(item.id, start, end)] = extract_record(item.doc, item.turn(start), start, end)
                done.codings += 1
            people |= selection.users - {""}
    _unique_ids([e for by_span in extracts.values() for e in by_span.values()])
    done.extracts = len({k for by_span in extracts.values() for k in by_span})
    if unknown:
        done.lost.append(f"{unknown} coding{'s' if unknown > 1 else ''} with a code the codebook does not have")
    if len(people) > 1:
        done.changed.append(f"codings by {len(people)} users are one set of codes here "
                            "(to compare coders, each codes into thematic codes --coder NAME)")
    done.codes = len(plan.codes)
    return [_record(code, [dict(e, span=Flow(e["span"])) for _, e in sorted(extracts[guid].items())])
            for guid, code in plan.codes.items()]


def _unique_ids(extracts: list[dict]) -> None:
    """Extract ids are `item:start`, as phase 2's; where two imported spans start at one place,
    each gets `item:start-end`, so an id names one span."""
    ends: dict[str, set[int]] = {}
    for e in extracts:
        ends.setdefault(e["id"], set()).add(e["span"][1])
    for e in extracts:
        if len(ends[e["id"]]) > 1:
            e["id"] = f"{e['item']}:{e['span'][0]}-{e['span'][1]}"


def _record(code: OurCode, extracts: list[dict]) -> dict[str, Any]:
    return {"id": code.id, "label": code.label, "origin": "manual",
            **({"theme_hint": code.theme} if code.theme else {}),
            **({"definition": code.definition} if code.definition else {}),
            "decision": "accepted", "notes": "", "extracts": extracts}


def _write_codes(root: Path, records: list[dict[str, Any]], done: Imported) -> None:
    """analysis/2-codes.yaml holding only your codes: the first run adds phase 2's own around them
    and keeps them as a decision of yours (like `thematic codes add`)."""
    from thematic import __version__
    from thematic.artefacts import SCHEMA_VERSION
    from thematic.phases import BY_NAME
    from thematic.project import DEFAULTS

    spec = BY_NAME["code"]
    meta = {"schema": f"thematic/{spec.schema}@{SCHEMA_VERSION}", "phase": spec.number, "tool": f"thematic {__version__}"}
    _write(root, f"{DEFAULTS['analysis_dir']}/{spec.artefact}", dumps({"meta": meta, "codes": records}), done)


# ---------------------------------------------------------------- cases and memos


def _write_participants(root: Path, project: QdaProject, items: list[Item], path: Path, done: Imported) -> None:
    """participants.yaml: each case's attributes on the item it covers, or on the speaker whose
    turns its selections are in; variables on a source on that item."""
    by_guid = {i.source.guid: i for i in items}
    selections = {g: i for i in items for g in i.spans}
    attrs: dict[str, dict[str, Any]] = {}
    conflicts: list[str] = []
    for item in items:
        _merge(attrs, item.id, None, _named(project, item.source.values), conflicts)
    mapped = 0
    case_guids = {c.guid for c in project.cases}
    coded: dict[str, list[tuple[Item, Selection]]] = {}  # NVivo: a case's "code" marks the case's text
    for item in items:
        for s in item.source.selections:
            for code in case_guids.intersection(s.codes) if s.guid in item.spans else ():
                coded.setdefault(code, []).append((item, s))
    for case in project.cases:
        targets = _case_targets(case, by_guid, selections, coded.get(case.guid, []), items)
        values = _named(project, case.values)
        if not targets:
            done.lost.append(f"case «{case.name or case.guid}»: refers to no imported source")
            continue
        mapped += 1
        for item, speaker in targets:
            _merge(attrs, item.id, speaker, {**values, **_case_name(project, case, item, speaker)}, conflicts)
    done.cases = mapped
    done.lost += conflicts
    data = {k: _flow(v) for k, v in sorted(attrs.items()) if v}
    if data:
        header = (f"# Kasusattributter importert fra {path.name}{_by(project.origin)}. Nøklene er intervjuenes id-er\n"
                  "# (filnavnet uten .txt); under speakers: står attributtene til hver taler i et gruppeintervju.\n")
        _write(root, "participants.yaml", header + dumps(data), done)
    done.participants = len(data)


def _named(project: QdaProject, values: list[tuple[str, Any]]) -> dict[str, Any]:
    out = {}
    for guid, value in values:
        name = project.variables.get(guid, ("", ""))[0] or guid
        out[f"{name} (variabel)" if name in RESERVED else name] = value
    return out


def _case_targets(case: QdaCase, by_guid: dict[str, Item], selections: dict[str, Item],
                  coded: list[tuple[Item, Selection]], items: list[Item]) -> list[tuple[Item, str | None]]:
    """(item, speaker) pairs a case covers: a whole source (speaker None), or the selections of
    one speaker's turns; selections of several speakers in one item cover the item."""
    whole = {by_guid[g].id: by_guid[g] for g in case.sources if g in by_guid}
    whole |= {i.id: i for i, s in coded if s.end is None}
    picked = [(selections[g], selections[g].spans[g]) for g in case.selections if g in selections]
    picked += [(i, i.spans[s.guid]) for i, s in coded if s.end is not None]
    said: dict[str, set[str | None]] = {}
    for item, (start, _) in picked:
        said.setdefault(item.id, set()).add(item.turn(start).speaker)
    out: list[tuple[Item, str | None]] = [(item, None) for item in whole.values()]
    by_id = {i.id: i for i in items}
    for item_id, speakers in sorted(said.items()):
        if item_id not in whole:
            only = next(iter(speakers)) if len(speakers) == 1 else None
            out.append((by_id[item_id], only))
    return out


def _case_name(project: QdaProject, case: QdaCase, item: Item, speaker: str | None) -> dict[str, str]:
    """The case's name as an attribute when it says more than the item's id or the speaker's."""
    from thematic.slug import slugify

    if not case.name or is_ours(project.origin):
        return {}
    person = next((t.participant for t in item.doc.turns if t.speaker == speaker), None) if speaker else None
    known = {item.id, slugify(person or ""), slugify(speaker or ""), slugify(_display(item.source.name))}
    return {} if slugify(case.name) in known else {CASE_ATTRIBUTE: case.name}


def _merge(attrs: dict[str, dict[str, Any]], item: str, speaker: str | None, values: dict[str, Any],
           conflicts: list[str]) -> None:
    """Values onto an item or one of its speakers; a value given twice differently keeps the first."""
    entry = attrs.setdefault(item, {})
    target = entry.setdefault("speakers", {}).setdefault(speaker, {}) if speaker else entry
    for key, value in values.items():
        if key in target and target[key] != value:
            conflicts.append(f"{item}{'/' + speaker if speaker else ''}: {key} is both «{target[key]}» and «{value}»; "
                             "the first is kept")
            continue
        target[key] = value


def _flow(entry: dict[str, Any]) -> Any:
    """An item's attributes on one line as participants.yaml is written by hand; attributes all
    of several speakers share lifted to the item."""
    speakers = entry.pop("speakers", None) or {}
    if len(speakers) > 1:
        shared = {k: v for k, v in next(iter(speakers.values())).items()
                  if all(s.get(k) == v for s in speakers.values()) and entry.get(k, v) == v}
        entry.update(shared)
        speakers = {s: {k: v for k, v in a.items() if k not in shared} for s, a in speakers.items()}
    speakers = {s: FlowMap(a) for s, a in sorted(speakers.items()) if a}
    if not speakers:
        return FlowMap(entry)
    return {**entry, "speakers": speakers}


def _write_memos(root: Path, project: QdaProject, plan: CodePlan, items: list[Item], done: Imported) -> None:
    """memos.yaml: each note about what its NoteRef (or NVivo's Link) points at, descriptions of
    sources, selections and cases as memos about them; notes nothing points at are the journal."""
    from thematic.memos import HEADER, MEMO_FILE, Memo

    ours = is_ours(project.origin)
    targets = _note_targets(project, plan, items)
    memos: list[Memo] = []
    if project.description and not ours:
        memos.append(Memo("", f"Prosjektbeskrivelse\n\n{project.description}"))
    for note in project.notes.values():
        if not note.text:
            continue
        about, target, prefix = targets.get(note.guid, ("study", None, ""))
        name = f"{note.name}\n\n" if note.name and not ours and not note.text.startswith(note.name) else ""
        memos.append(Memo(note.date, f"{prefix}{name}{note.text}", about, target))
    for item in items:
        if item.source.description and not ours:
            memos.append(Memo("", item.source.description, "item", item.id))
        for selection in item.source.selections:
            if selection.description:
                memos.append(Memo("", _about(item, selection.guid) + selection.description, "item", item.id))
    memos += [Memo("", f"Kasus «{c.name}»: {c.description}") for c in project.cases if c.description and not ours]
    if memos:
        _write(root, MEMO_FILE, HEADER + dumps([m.entry() for m in memos]), done)
    done.memos = len(memos)


def _note_targets(project: QdaProject, plan: CodePlan, items: list[Item]) -> dict[str, tuple[str, str | None, str]]:
    """Note GUID -> (about, target id, a line saying which extract or category), the first
    reference winning: the project, a source, a selection or its coding, a code, NVivo's Links."""
    out: dict[str, tuple[str, str | None, str]] = {}
    for guid in project.note_refs:
        out.setdefault(guid, ("study", None, ""))
    selections = {g: i for i in items for g in i.spans}
    for item in items:
        for guid in item.source.notes:
            note = project.notes.get(guid)
            out.setdefault(guid, ("item", item.id, _about_span(item, note.span) if note and note.span else ""))
        for selection in item.source.selections:
            for guid in selection.notes:
                out.setdefault(guid, ("item", item.id, _about(item, selection.guid)))
    for code, _ in walk(project.codes):
        for guid in code.notes:
            out.setdefault(guid, _about_code(plan, code))
    for origin, target in project.links:
        if origin in project.notes and target in selections:
            out.setdefault(origin, ("item", selections[target].id, _about(selections[target], target)))
    return out


def _about_code(plan: CodePlan, code: QdaCode) -> tuple[str, str | None, str]:
    if code.guid in plan.codes:
        return "code", plan.codes[code.guid].id, ""
    hint = plan.parents.get(code.guid)
    return "study", None, f"Om kategorien «{code.name}»{f' (temaforslaget {hint})' if hint else ''}\n\n"


def _about(item: Item, selection: str) -> str:
    """A memo's first line when it is about one extract: its words and where they start."""
    span = item.spans.get(selection)
    return _quote_line(item, *span) if span else ""


def _about_span(item: Item, span: tuple[int, int]) -> str:
    """The first line for a note that holds its own selection (QualCoder's annotations), in the
    program's offsets."""
    text = item.source.text
    assert text is not None
    if not 0 <= span[0] < span[1] <= text.length:
        return ""
    return _quote_line(item, text.to_ours(span[0]), text.to_ours(span[1]))


def _quote_line(item: Item, start: int, end: int) -> str:
    words = item.doc.text[start:end]
    return f"«{_snippet(words)}» ({item.id}:{start})\n\n" if words.strip() else ""


def _report_rest(project: QdaProject, done: Imported) -> None:
    """What the project holds that no part of a study can keep."""
    notes = {g for g in project.notes}
    links = [lk for lk in project.links if lk[0] not in notes]
    if links:
        done.lost.append(f"{len(links)} link{'s' if len(links) > 1 else ''} between codes, sources or selections "
                         "(thematic's map links themes by the data)")
    if project.graphs:
        done.lost.append(f"{project.graphs} graph{'s' if project.graphs > 1 else ''} (phase 3 draws its own thematic map)")
