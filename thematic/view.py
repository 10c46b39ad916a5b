"""A study opened for queries: the index and extracts of phase 2, with the researcher's decisions.

`find`, `show` and `stats` answer from the extract store and its index (thematic.index) and the
small decision-bearing 2-codes.yaml, never from transcripts or the NLP pipeline, so that each
answers in a fraction of a second on a 1M-word study. The store must be the one the lock's
phase-2 entry names (else phase 2 is rerun first); transcripts or codebooks changed since phase 2
ran give a warning, not a refusal: the answer is the last run's, and says so. 2-codes.yaml is
read from a JSON copy kept per file content (parsing a 1M-word study's file takes 0.3 s). The
corpus readers are imported only where a query needs them (office line maps, manual extracts,
participants.yaml attributes).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from thematic.artefacts import load_yaml, sha256_file
from thematic.codes import EffectiveCode, counted_codes
from thematic.errors import ArtefactError, ProjectError, ThematicError
from thematic.index import Index, has_index
from thematic.json_copy import artefact_data
from thematic.phases import BY_NAME, PhaseSpec
from thematic.project import Project, load_project
from thematic.store import STORE_FILE, extract_count, extracts_of, open_store, tally_of

if TYPE_CHECKING:
    from thematic.context import Context

THEME_ARTEFACTS = ("define", "review", "themes")  # the latest phase's themes are the ones shown
VOICE_MARK = "#"  # thematic.corpus.VOICE_MARK: "item#turn" is an anonymous voice, not a person


def is_voice(participant: str | None) -> bool:
    return bool(participant) and VOICE_MARK in participant


@dataclass(frozen=True)
class Theme:
    """A theme as queries use it: id, the name shown, its (counted) codes."""

    id: str
    label: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Tally:
    """What counting needs of some extracts (each once): how many each speaker of an item said,
    keyed (item, speaker, participant), and the (item, turn) pairs they are in."""

    speakers: dict[tuple, int]
    turns: frozenset[tuple]

    @property
    def total(self) -> int:
        return sum(self.speakers.values())


@dataclass
class StudyView:
    """Phase 2's data with decisions applied: which codes count, under which id, and their extracts."""

    project: Project
    index: Index
    codes_data: dict[str, Any]
    codes_digest: str  # 2-codes.yaml's content without memo fields, as the lock's inputs name it
    lock: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def _counting(self) -> tuple[list[EffectiveCode], bool]:
        return counted_codes({"codes": [_without_extracts(c) for c in self.codes_data.get("codes", [])]})

    @property
    def draft(self) -> bool:
        """True while no code counts yet and the machine's suggestions stand in (as in phases 3-6)."""
        return self._counting[1]

    @cached_property
    def codes(self) -> dict[str, EffectiveCode]:
        """The codes that count, by id, in id order (their `extracts` empty: see `extracts`)."""
        return {c.id: EffectiveCode(c.id, c.label, c.theme_hint, list(c.sources)) for c in self._counting[0]}

    @cached_property
    def code_of(self) -> dict[str, str]:
        """Every source code id (as in 2-codes.yaml) -> the id it counts as."""
        return {source: code.id for code in self.codes.values() for source in code.sources}

    def resolve_code(self, code_id: str) -> str:
        """A code id as counted (a renamed or merged code's own id leads to its target)."""
        if code_id in self.codes:
            return code_id
        if code_id in self.code_of:
            return self.code_of[code_id]
        known = {c["id"]: c.get("decision", "pending") for c in self.codes_data.get("codes", [])}
        why = f"it is {known[code_id]}, so it counts nowhere" if code_id in known else "no such code"
        raise ThematicError(f"{self._codes_path}: code {code_id!r}: {why}",
                            fix=f"codes that count: {', '.join(list(self.codes)[:8])}{' …' if len(self.codes) > 8 else ''}")

    @property
    def _codes_path(self) -> Path:
        return self.project.analysis_dir / BY_NAME["code"].artefact

    def extracts(self, code_ids: Iterable[str] | None = None, text: bool = True) -> dict[str, list[dict]]:
        """Counted code id -> all its extracts (store rows and hand-written ones), each once, in
        the order of the data; without text, only where each is and who said it (for counting)."""
        wanted = set(self.codes) if code_ids is None else set(code_ids)
        sources = {s: c for s, c in self.code_of.items() if c in wanted}
        out: dict[str, dict[str, dict]] = {c: {} for c in sorted(wanted)}
        machine = [s for s in sources if s not in self._manual_codes]
        for code, extract in (*extracts_of(self.index.db, machine, text), *self._manual_extracts):
            if code in sources:
                out[sources[code]].setdefault(extract["id"], extract)
        return {c: sorted(found.values(), key=_place) for c, found in out.items()}

    def tally(self, code_ids: Iterable[str]) -> Tally:
        """The extracts of these counted codes, each once, counted by SQLite; a code with
        hand-written extracts (in 2-codes.yaml only) is counted from its extracts instead."""
        wanted = set(code_ids)
        sources = [s for s, c in self.code_of.items() if c in wanted]
        if not any(s in self._manual_codes for s in sources):
            speakers, turns = tally_of(self.index.db, sources)
            return Tally(speakers, frozenset(turns))
        found = {e["id"]: e for es in self.extracts(wanted, text=False).values() for e in es}.values()
        return Tally(dict(Counter((e["item"], e.get("speaker"), e.get("participant")) for e in found)),
                     frozenset((e["item"], e.get("turn")) for e in found))

    def extract_count(self, code_ids: Iterable[str]) -> int:
        """How many distinct extracts these counted codes have: tally(...).total, counted by SQLite
        alone unless a code has hand-written extracts."""
        wanted = set(code_ids)
        sources = [s for s, c in self.code_of.items() if c in wanted]
        if any(s in self._manual_codes for s in sources):
            return self.tally(wanted).total
        return extract_count(self.index.db, sources)

    @cached_property
    def _manual_codes(self) -> set[str]:
        return {c["id"] for c in self.codes_data.get("codes", []) if c.get("origin") == "manual"}

    @cached_property
    def _manual_extracts(self) -> list[tuple[str, dict]]:
        """Hand-written extracts of the manual codes that count, located in their items' text
        (2-codes.yaml holds them; the store has only the machine's)."""
        manual = [c for c in self.codes_data.get("codes", []) if c["id"] in self._manual_codes and c["id"] in self.code_of]
        if not manual:
            return []
        from thematic.extracts import resolve_manual_extracts

        items = {e.get("item") for c in manual for e in c.get("extracts") or []}
        docs = {i: self.index.document(i) for i in items if i in self.index.by_id}
        resolved = resolve_manual_extracts({"codes": manual}, docs, str(self._codes_path))
        return [(c["id"], e) for c in resolved["codes"] for e in c["extracts"]]

    def coded_spans(self, item: str) -> list[tuple[int, int, frozenset[str]]]:
        """(start, end, counted codes) of every coded extract in one item, in order."""
        by_span: dict[tuple[int, int], set[str]] = {}
        for start, end, code in self.coded_in(item):
            by_span.setdefault((start, end), set()).add(code)
        return [(s, e, frozenset(codes)) for (s, e), codes in sorted(by_span.items())]

    def coded_starts(self, item: str) -> list[int]:
        """Where each coded extract in one item starts, in order; a code that does not count is
        left out (the checklist's coverage needs no more of each of the 90,000 extracts at 1M words)."""
        starts, _, numbers = self.index.coded(item)
        counted = self._counted_numbers
        out = [s for s, k in zip(starts, numbers) if k in counted]
        manual = [e["span"][0] for c, e in self._manual_extracts if e["item"] == item]
        return sorted(out + manual) if manual else out

    @cached_property
    def _counted_numbers(self) -> frozenset[int]:
        """The index's numbers of the codes that count."""
        return frozenset(k for k, name in enumerate(self.index.codes) if name in self.code_of)

    def coded_in(self, item: str) -> list[tuple[int, int, str]]:
        """(start, end, counted code) of every coded extract in one item, by start; a code that
        does not count is left out."""
        starts, ends, numbers = self.index.coded(item)
        names, code_of = self.index.codes, self.code_of
        out = [(s, e, code_of[names[k]]) for s, e, k in zip(starts, ends, numbers) if names[k] in code_of]
        manual = [(e["span"][0], e["span"][1], code_of[c]) for c, e in self._manual_extracts if e["item"] == item]
        return sorted(out + manual) if manual else out

    @cached_property
    def participants(self) -> dict[str, dict[str, Any]]:
        from thematic.corpus import load_participants

        return load_participants(self.project)

    def attributes(self, item: str, speaker: str | None) -> dict[str, Any]:
        """participants.yaml's attributes of a speaker in an item (the item's own, overlaid)."""
        from thematic.corpus import participant_attributes

        return participant_attributes(self.participants, item, speaker)

    def attribute_names(self) -> list[str]:
        """Every attribute participants.yaml gives an item or a speaker."""
        return sorted({k for attrs in self.participants.values() for a in [attrs, *(attrs.get("speakers") or {}).values()]
                       if isinstance(a, dict) for k in a if k != "speakers"})

    def check_item(self, item: str) -> None:
        if item not in self.index.by_id:
            known = list(self.index.by_id)
            raise ThematicError(f"{self.project.root}: no item {item!r} (items: {', '.join(known[:6])}"
                                f"{' …' if len(known) > 6 else ''})")

    @cached_property
    def themes(self) -> tuple[str, list[Theme]]:
        """(artefact file, themes) of the latest theme phase that ran; ("", []) before phase 3."""
        for name in THEME_ARTEFACTS:
            spec = BY_NAME[name]
            if (self.project.analysis_dir / spec.artefact).is_file():
                data, _ = artefact_data(self.project, spec)
                self._warn_if_older(spec)
                return spec.artefact, [_theme(t) for t in data.get("themes") or [] if isinstance(t, dict)]
        return "", []

    def _warn_if_older(self, spec: PhaseSpec) -> None:
        """Say so when the themes were made before the code decisions now in 2-codes.yaml."""
        key = f"{self.project.settings['analysis_dir']}/{BY_NAME['code'].artefact}"
        used = ((self.lock.get(spec.name) or {}).get("inputs") or {}).get(key)
        if used and used != self.codes_digest:
            self.warnings.append(f"{spec.artefact} predates your latest code decisions; `thematic run "
                                 f"{self.project.root}` updates the themes")


def _place(extract: dict) -> tuple:
    return extract["item"], (extract.get("span") or [0])[0], extract["id"]


def _without_extracts(code: dict) -> dict:
    """A code with one stand-in extract if it has any: enough for counted_codes to decide which
    codes count (and whether this is a draft) without loading 50,000 extracts."""
    total = code.get("extracts_total", len(code.get("extracts") or []))
    return {**code, "extracts": [{"id": f"#{code['id']}", "item": ""}] if total else []}


def _theme(theme: dict) -> Theme:
    codes = tuple(c["id"] if isinstance(c, dict) else str(c) for c in theme.get("codes") or [])
    label = theme.get("name") or theme.get("proposed_name") or theme.get("label") or theme["id"]
    return Theme(theme["id"], label, codes)


def open_view(root: Path, run: Context | None = None) -> StudyView:
    """The study ready for queries, or one line saying which command makes it so. Inside a run
    (the report's checklist): its project and lock, and no transcript hashed again to tell what
    changed since phase 2 (the run has just checked them)."""
    project = run.project if run else load_project(root)
    inside = run is not None and run.lock is not None  # a Context made outside a run has no lock
    lock = run.lock if inside else load_yaml(project.lock_path).data if project.lock_path.is_file() else {}
    lock = lock if isinstance(lock, dict) else {}
    index = Index(_open_index(project, lock), project.root)
    codes, digest = artefact_data(project, BY_NAME["code"])
    if (codes.get("extract_store") or {}).get("digest") != lock["code"]["digests"]["store"]:
        raise ArtefactError(f"{project.analysis_dir / BY_NAME['code'].artefact}: names another extract store than "
                            f"{project.lock_path.name} (the file is not the one phase 2 wrote last)",
                            fix=f"thematic run {project.root}")
    view = StudyView(project, index, codes, digest, lock)
    view.warnings.extend([] if inside else _changed_since(project, index, lock))
    return view


def _open_index(project: Project, lock: dict[str, Any]) -> sqlite3.Connection:
    """The store the lock's phase-2 entry names, with its index; else which command to run."""
    artefact = project.analysis_dir / BY_NAME["code"].artefact
    digest = ((lock.get("code") or {}).get("digests") or {}).get("store")
    if not artefact.is_file() or not digest:
        raise ProjectError(f"{artefact}: missing, so there is nothing to search yet", fix=f"thematic run {project.root}")
    path = project.machine_dir / STORE_FILE
    try:
        db = open_store(path, digest)
    except ArtefactError as exc:
        raise ArtefactError(exc.message, fix=f"thematic run {project.root}") from None
    if not has_index(db):
        db.close()
        raise ArtefactError(f"{path}: has no query index (an older thematic wrote it)", fix=f"thematic run {project.root}")
    return db


def _changed_since(project: Project, index: Index, lock: dict[str, Any]) -> list[str]:
    """Transcripts and codebooks changed, added or gone since phase 2 ran (each file hashed: 6 MB
    of transcripts take 10 ms), said as one warning: the answer is the last run's."""
    inputs = lock["code"].get("inputs") or {}
    changed = [row.path for row in index.items if not (project.root / row.path).is_file()
               or sha256_file(project.root / row.path) != row.sha256]
    for path in project.codebook_paths():
        name = project.relative(path)
        if name in inputs and (not path.is_file() or sha256_file(path) != inputs[name]):
            changed.append(name)
    added = sorted(name for name in _transcript_names(project) if name not in inputs)
    if not changed and not added:
        return []
    what = ", ".join([*(f"{n} changed" for n in changed[:3]), *(f"{n} is new" for n in added[:3])])
    return [f"{what}{' …' if len(changed) + len(added) > 3 else ''} since phase 2 ran: these results are from "
            f"that run (`thematic run {project.root}` brings them up to date)"]


def _transcript_names(project: Project) -> set[str]:
    """The study-relative names the corpus globs match (as thematic.corpus.corpus_paths finds them)."""
    found = set()
    for pattern in project.settings["corpus"]["include"]:
        found.update(p for p in project.root.glob(pattern) if p.is_file() and not p.name.startswith((".", "~$")))
    return {p.relative_to(project.root).as_posix() for p in found}
