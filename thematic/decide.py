"""The researcher's decisions on codes as operations, for people and for scripts.

Each operation validates the ids it is given (with "did you mean"), edits 2-codes.yaml in place
(thematic.edit: every other byte as it was), checks every code's decision afterwards as phase 2
would, and returns what changed and which phases are now stale. No phase runs: the edit itself
is what makes the later phases stale, and `thematic run` re-runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from thematic.closest import did_you_mean
from thematic.codes import check_decision
from thematic.edit import Editable
from thematic.errors import ProjectError, ThematicError
from thematic.phases import BY_NAME, PHASES
from thematic.project import Project, load_project
from thematic.slug import slugify

UNDECIDED = "suggested"
SORTS = ("score", "id", "extracts", "participants", "decision")


@dataclass
class Outcome:
    """What a decision command did: the file, each change in words, the phases now stale."""

    path: Path
    changes: list[str]
    stale: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: bool = False  # False: the file already said so, nothing was written


@dataclass(frozen=True)
class CodeRow:
    """One code as `thematic codes list` shows it, with its evidence."""

    id: str
    label: str
    origin: str
    decision: str
    extracts: int
    participants: int
    items: int
    score: float | None
    forms: tuple[str, ...]


def open_artefact(project: Project, phase: str, path: Path | None = None) -> Editable:
    """A phase's artefact (or a coder's copy of it at path), parsed once and validated as the phase validates it."""
    spec = BY_NAME[phase]
    path = path or project.analysis_dir / spec.artefact
    if not path.is_file():
        raise ProjectError(f"{path}: not written yet", fix=f"thematic {phase} {project.root}")
    doc = Editable.open(path, spec.schema)
    spec.impl.validate(doc.loaded)
    return doc


def stale_after(edited: str, field_name: str) -> list[str]:
    """The phases an edit of field_name in phase `edited`'s artefact makes stale: those that read
    the artefact (phase 3 reads its own moves), and every phase reading one of those. Worked out
    from the phases' deps, as `thematic status` will find them, without parsing anything again."""
    stale: list[str] = []
    for spec in PHASES:
        touched = f"{edited}#{field_name}" in spec.deps or (edited in spec.deps and spec.name != edited)
        if touched or any(dep in stale for dep in spec.deps):
            stale.append(spec.name)
    return stale


def write(project: Project, doc: Editable) -> bool:
    """Save under the study lock, so a decision never lands in the middle of a run (which would
    write its own copy of the file over it); False when nothing changed."""
    from thematic.lock import study_lock

    with study_lock(project):
        return doc.save()


def finish(project: Project, doc: Editable, phase: str, field_name: str, changes: list[str],
           warnings: list[str] | None = None) -> Outcome:
    """Write the edit (nothing when nothing changed) and say what is stale now."""
    saved = write(project, doc)
    return Outcome(doc.path, changes, stale_after(phase, field_name) if saved else [], warnings or [], saved)


def record_index(doc: Editable, key: str, record_id: str, what: str) -> int:
    """The position of the record with this id, or an error naming the closest id."""
    ids = [r["id"] for r in doc.data[key]]
    if record_id in ids:
        return ids.index(record_id)
    raise ThematicError(f"{doc.path}: no {what} {record_id!r}{did_you_mean(record_id, ids)}")


# -- codes --------------------------------------------------------------------------------------


def _row(code: dict) -> CodeRow:
    evidence = code.get("evidence") if isinstance(code.get("evidence"), dict) else {}
    extracts = code.get("extracts_total", evidence.get("extracts", evidence.get("frequency", len(code.get("extracts") or []))))
    return CodeRow(code["id"], str(code.get("label") or code["id"]), str(code.get("origin", "manual")),
                   str(code.get("decision", "pending")), int(extracts or 0), int(evidence.get("participants") or 0),
                   int(evidence.get("items") or 0), evidence.get("score"), tuple(evidence.get("forms") or ()))


def _sort_key(sort: str):  # type: ignore[no-untyped-def]
    keys = {"score": lambda r: (r.score is None, -(r.score or 0), r.id), "id": lambda r: r.id,
            "extracts": lambda r: (-r.extracts, r.id), "participants": lambda r: (-r.participants, r.id),
            "decision": lambda r: (r.decision, r.id)}
    if sort not in keys:
        raise ThematicError(f"unknown sort {sort!r}{did_you_mean(sort, keys)}; use one of {', '.join(SORTS)}")
    return keys[sort]


def list_codes(study: Path, decision: str | None = None, sort: str = "score", coder: str | None = None) -> list[CodeRow]:
    """The codes of 2-codes.yaml (or a coder's file) with their evidence, those with `decision`
    only when given (renamed and merged match their prefix), sorted by score (best first), id,
    extracts, participants or decision."""
    return code_rows(CodeDecisions(study, coder).codes, decision, sort)


def code_rows(codes: list[dict], decision: str | None = None, sort: str = "score") -> list[CodeRow]:
    rows = [_row(c) for c in codes]
    if decision:
        rows = [r for r in rows if r.decision == decision or r.decision.startswith(f"{decision}:")]
    return sorted(rows, key=_sort_key(sort))


def select_codes(codes: list[dict], ids: list[str], top: int = 0, all_suggested: bool = False,
                 match: str | None = None, where: Path | str = "2-codes.yaml") -> list[str]:
    """The code ids a command names: by id (each checked), the top N undecided suggestions by
    evidence.score, every undecided suggestion, or ids matching a glob; in that order, once each."""
    known = [c["id"] for c in codes]
    for code_id in ids:
        if code_id not in known:
            raise ThematicError(f"{where}: no code {code_id!r}{did_you_mean(code_id, known)}")
    waiting = [c for c in codes if c.get("decision") == UNDECIDED]
    waiting.sort(key=lambda c: (-float((c.get("evidence") or {}).get("score") or 0), c["id"]))
    chosen = list(ids) + [c["id"] for c in waiting[:top]] + ([c["id"] for c in waiting] if all_suggested else [])
    if match:
        matched = [k for k in known if fnmatchcase(k, match)]
        if not matched:
            raise ThematicError(f"{where}: no code id matches {match!r}")
        chosen += matched
    if not chosen:
        raise ThematicError("name the codes: IDs, --top N, --all-suggested or --match GLOB"
                            + (" (no suggestion is undecided)" if (top or all_suggested) else ""))
    return list(dict.fromkeys(chosen))


class CodeDecisions:
    """2-codes.yaml open for decisions: set one code's decision, checked as phase 2 checks it.
    With a coder, that coder's own file instead (thematic.coders): 2-codes.yaml is not touched
    and no phase is made stale, as phases 3-6 read only the agreed 2-codes.yaml."""

    def __init__(self, study: Path, coder: str | None = None) -> None:
        self.project = load_project(study)
        self.coder, self.opened = coder, []
        if coder is None:
            self.doc = open_artefact(self.project, "code")
        else:
            from thematic.coders import open_coder

            self.doc, self.opened = open_coder(self.project, coder)

    @property
    def codes(self) -> list[dict]:
        return self.doc.data["codes"]

    def decide(self, code_id: str, decision: str) -> str:
        """Set the decision (written on save); what changed, in words."""
        index = record_index(self.doc, "codes", code_id, "code")
        before = self.codes[index].get("decision", "pending")
        problem = check_decision(decision, {c["id"]: c for c in self.codes}, code_id)
        if problem:
            raise ThematicError(f"{self.doc.path}: code {code_id}: {problem}")
        self.doc.set(("codes", index, "decision"), decision)
        try:
            self._check_others(code_id)
        except ThematicError:
            self.doc.set(("codes", index, "decision"), before)
            raise
        return f"{code_id}: {before} -> {decision}" if before != decision else f"{code_id}: already {decision}"

    def _check_others(self, code_id: str) -> None:
        """A decision can break another's (a code merged into one now rejected): refuse it."""
        by_id = {c["id"]: c for c in self.codes}
        for code in self.codes:
            problem = check_decision(code.get("decision", "pending"), by_id, code["id"])
            if problem:
                raise ThematicError(f"{self.doc.path}: not changing {code_id}: then code {code['id']}: {problem}")

    def save(self, changes: list[str], field_name: str = "decision") -> Outcome:
        if self.coder is not None:
            return Outcome(self.doc.path, self.opened + changes, [], [], write(self.project, self.doc))
        return finish(self.project, self.doc, "code", field_name, changes)


def set_decisions(study: Path, decision: str, ids: list[str], top: int = 0, all_suggested: bool = False,
                  match: str | None = None, coder: str | None = None) -> Outcome:
    """Accept or reject codes named by id, --top N, --all-suggested or --match GLOB."""
    session = CodeDecisions(study, coder)
    chosen = select_codes(session.codes, ids, top, all_suggested, match, session.doc.path)
    return session.save([session.decide(code_id, decision) for code_id in chosen])


def rename_code(study: Path, code_id: str, new_name: str, coder: str | None = None) -> Outcome:
    """`renamed:<new name>`: the code counts under the new name (its id is the name's slug)."""
    if not slugify(new_name):
        raise ThematicError(f"the new name {new_name!r} has no letters or digits to make an id from")
    session = CodeDecisions(study, coder)
    return session.save([session.decide(code_id, f"renamed:{new_name.strip()}")])


def merge_code(study: Path, code_id: str, into: str, coder: str | None = None) -> Outcome:
    """`merged:<into>`: the code's extracts count under the other code."""
    session = CodeDecisions(study, coder)
    return session.save([session.decide(code_id, f"merged:{into}")])


def add_code(study: Path, label: str, item: str, text: str, coder: str | None = None) -> Outcome:
    """A manual code (id from its label) with one verbatim extract of a data item; a second call
    with the same label adds an extract to it."""
    session = CodeDecisions(study, coder)
    code_id = slugify(label)
    if not code_id:
        raise ThematicError(f"the label {label!r} has no letters or digits to make an id from")
    extract = {"item": item, "text": _verbatim(session.project, item, text)}
    existing = next((i for i, c in enumerate(session.codes) if c["id"] == code_id), None)
    if existing is None:
        session.doc.append(("codes",), {"id": code_id, "label": label.strip(), "origin": "manual",
                                        "decision": "pending", "notes": "", "extracts": [extract]})
        return session.save([f"{code_id}: new manual code with an extract from {item}"], "codes")
    if session.codes[existing].get("origin") != "manual":
        raise ThematicError(f"{session.doc.path}: code {code_id!r} is a {session.codes[existing].get('origin')} code; "
                            "give your own code another label")
    session.doc.append(("codes", existing, "extracts"), extract)
    return session.save([f"{code_id}: added an extract from {item}"], "codes")


def _verbatim(project: Project, item: str, text: str) -> str:
    """The text as it stands in the data item, or an error naming the item or the mismatch."""
    from thematic.corpus import corpus_paths, read_document

    paths = {slugify(p.stem): p for p in corpus_paths(project)}
    if item not in paths:
        raise ThematicError(f"no data item {item!r} in {project.root}{did_you_mean(item, paths)}")
    doc = read_document(paths[item], set(project.settings["corpus"]["interviewer_labels"]))
    text = text.strip()
    if not text or text not in doc.text:
        raise ThematicError(f"{paths[item]}: the text is not in this transcript word for word; copy it exactly")
    return text
