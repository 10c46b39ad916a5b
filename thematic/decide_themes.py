"""The researcher's decisions on themes and chosen extracts, as operations (see thematic.decide).

moves (3-candidate-themes.yaml): where a code goes; decision/reason (4-reviewed-themes.yaml):
keep, split, discard or merge:<id>; name, definition, central organising concept, narrative and
chosen_extracts (5-themes.yaml). Each checks the ids it is given, edits one file in place and
says which phases are now stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from thematic.artefacts import Flow, load_artefact
from thematic.closest import did_you_mean
from thematic.decide import Outcome, finish, open_artefact, record_index
from thematic.errors import ThematicError
from thematic.phases import BY_NAME
from thematic.project import Project, load_project
from thematic.slug import slugify

MISC = "diverse"  # thematic.phases.themes.MISC (not imported: it loads the clustering, twice this module's import time)
WRITABLE = ("name", "definition", "central_organising_concept", "narrative")
CHOSEN = "chosen_extracts"


@dataclass(frozen=True)
class ThemeRow:
    """One theme as `thematic themes list` shows it: its latest name or label, decision, codes."""

    id: str
    title: str
    named: bool
    decision: str
    codes: tuple[str, ...]
    chosen: int


def _themes(project: Project, phase: str) -> list[dict]:
    path = project.analysis_dir / BY_NAME[phase].artefact
    return load_artefact(path, BY_NAME[phase].schema).data.get("themes") or [] if path.is_file() else []


def list_themes(study: Path) -> list[ThemeRow]:
    """The themes of phase 5 (or 3 before it has run), with phase 4's decision on each."""
    project = load_project(study)
    candidates, decisions = _themes(project, "themes"), {t["id"]: t.get("decision", "pending") for t in _themes(project, "review")}
    final = _themes(project, "define")
    if not candidates:
        open_artefact(project, "themes")  # says which command writes it
    rows = [ThemeRow(t["id"], t.get("name") or t["proposed_name"], bool(t.get("name")), t.get("review_decision", "pending"),
                     tuple(c["id"] for c in t.get("codes") or []), len(t.get(CHOSEN) or [])) for t in final]
    shown = {r.id for r in rows}
    rows += [ThemeRow(t["id"], t.get("label", t["id"]), False, decisions.get(t["id"], "pending"), tuple(t.get("codes") or []), 0)
             for t in candidates if t["id"] not in shown]
    return rows


def move_code(study: Path, code: str, theme: str, new: bool = False) -> Outcome:
    """`moves: {code: theme}` in 3-candidate-themes.yaml: applied by phase 3 on every run. A theme
    that does not exist yet needs new=True (a theme of your own), so a typo is caught."""
    project = load_project(study)
    doc = open_artefact(project, "themes")
    themes = doc.data["themes"]
    where = {c: t["id"] for t in themes for c in t.get("codes") or []}
    warnings = [] if code in where or code in (doc.data.get("uncoded") or []) else [_new_code(project, code)]
    targets = {t["id"] for t in themes} | {MISC} | set((doc.data.get("moves") or {}).values())
    if slugify(theme) != theme:
        raise ThematicError(f"a theme id is lowercase with hyphens, e.g. {slugify(theme) or 'tema-x'!r}; not {theme!r}")
    if theme not in targets and not new:
        raise ThematicError(f"{doc.path}: no theme {theme!r}{did_you_mean(theme, targets)} "
                            "(to start a theme of your own, add --new)")
    if where.get(code) == theme and code not in (doc.data.get("moves") or {}):
        return Outcome(doc.path, [f"{code} is already in {theme}"])
    doc.set(("moves", code), theme)
    return finish(project, doc, "themes", "moves", [f"{code}: {where.get(code, '(not placed yet)')} -> {theme}"], warnings)


def _new_code(project: Project, code: str) -> str:
    """A code phase 3 has not placed: fine if 2-codes.yaml has it (it counts after the re-run)."""
    codes = load_artefact(project.analysis_dir / BY_NAME["code"].artefact, BY_NAME["code"].schema).data.get("codes") or []
    known = {c["id"] for c in codes} | {slugify(str(c.get("decision", ""))[8:]) for c in codes
                                        if str(c.get("decision", "")).startswith("renamed:")}
    if code not in known:
        raise ThematicError(f"no code {code!r}{did_you_mean(code, known)}")
    return f"{code} is not in a theme yet; phase 3 places it when it re-runs (if it counts by then)"


def review_theme(study: Path, theme: str, decision: str, reason: str | None = None) -> Outcome:
    """A phase-4 decision on a theme (keep, split, discard, merge:<id>, pending) and its reason."""
    from thematic.phases.review import check_decision

    project = load_project(study)
    doc = open_artefact(project, "review")
    index = record_index(doc, "themes", theme, "theme")
    ids = [t["id"] for t in doc.data["themes"]]
    if decision.startswith("merge:"):
        _check_merge(doc.data["themes"], theme, decision[6:], ids, doc.path)
    problem = check_decision(decision, set(ids), theme)
    if problem:
        raise ThematicError(f"{doc.path}: theme {theme}: {problem}")
    before = doc.data["themes"][index].get("decision", "pending")
    doc.set(("themes", index, "decision"), decision)
    changes = [f"{theme}: {before} -> {decision}" if before != decision else f"{theme}: already {decision}"]
    if reason is not None:
        doc.set(("themes", index, "reason"), reason.strip())
        changes.append(f"{theme}: reason written")
    return finish(project, doc, "review", "decision", changes)


def _check_merge(themes: list[dict], theme: str, target: str, ids: list[str], path: Path) -> None:
    """A merge target must exist, not be discarded, and not lead back to the theme."""
    if target not in ids:
        raise ThematicError(f"{path}: no theme {target!r}{did_you_mean(target, ids)}")
    decisions = {t["id"]: str(t.get("decision", "pending")) for t in themes}
    seen = [theme, target]
    while decisions.get(seen[-1], "").startswith("merge:"):
        seen.append(decisions[seen[-1]][6:].strip())
        if seen[-1] in seen[:-1]:
            raise ThematicError(f"{path}: merging {theme} into {target} makes a loop: {' -> '.join(seen)}")
    if decisions.get(seen[-1]) == "discard":
        raise ThematicError(f"{path}: {seen[-1]} is discarded, so {theme}'s codes would leave the analysis; "
                            f"keep it first (thematic themes keep) or merge into another theme")


def write_theme(study: Path, theme: str, field_name: str, text: str) -> Outcome:
    """Your name, definition, central organising concept or narrative of a theme (5-themes.yaml)."""
    if field_name not in WRITABLE:
        raise ThematicError(f"unknown field {field_name!r}{did_you_mean(field_name, WRITABLE)}")
    project = load_project(study)
    doc = open_artefact(project, "define")
    index = record_index(doc, "themes", theme, "theme")
    changed = doc.set(("themes", index, field_name), text.strip())
    word = field_name.replace("_", " ")
    return finish(project, doc, "define", field_name, [f"{theme}: {word} written" if changed else f"{theme}: {word} unchanged"])


def current_text(study: Path, theme: str, field_name: str) -> str:
    """What a theme's field says now (the text $EDITOR opens on)."""
    doc = open_artefact(load_project(study), "define")
    return str(doc.data["themes"][record_index(doc, "themes", theme, "theme")].get(field_name) or "")


def theme_extracts(project: Project, code_ids: list[str]) -> dict[str, dict]:
    """Every extract of these (counted) codes by id, as phases 3-6 see them: from the extract
    store, hand-written ones located in their transcripts. Parses 2-codes.yaml once."""
    from thematic.codes import counted_codes
    from thematic.corpus import corpus_paths, read_document
    from thematic.extracts import resolve_manual_extracts, with_stored_extracts

    source = project.analysis_dir / BY_NAME["code"].artefact
    data = with_stored_extracts(load_artefact(source, BY_NAME["code"].schema).data, project.machine_dir)
    cited = {e.get("item") for c in data.get("codes", []) if c.get("origin") == "manual"
             for e in c.get("extracts") or [] if "span" not in e}
    labels = set(project.settings["corpus"]["interviewer_labels"])
    docs = {slugify(p.stem): p for p in corpus_paths(project) if slugify(p.stem) in cited}
    data = resolve_manual_extracts(data, {k: read_document(p, labels) for k, p in docs.items()}, str(source))
    counted = {c.id: c for c in counted_codes(data)[0]}
    return {e["id"]: {**e, "code": cid} for cid in code_ids if cid in counted for e in counted[cid].extracts}


def list_extracts(study: Path, theme: str) -> tuple[list[dict], list[str]]:
    """A theme's extracts (each with its code) and the ids you chose for it, in that order."""
    project = load_project(study)
    doc = open_artefact(project, "define")
    record = doc.data["themes"][record_index(doc, "themes", theme, "theme")]
    found = theme_extracts(project, [c["id"] for c in record.get("codes") or []])
    return list(found.values()), list(record.get(CHOSEN) or [])


def pick_extract(study: Path, theme: str, extract_id: str) -> Outcome:
    """Add an extract to the theme's chosen_extracts: phase 5 puts them first, phase 6 quotes them."""
    project = load_project(study)
    doc = open_artefact(project, "define")
    index = record_index(doc, "themes", theme, "theme")
    record = doc.data["themes"][index]
    chosen = list(record.get(CHOSEN) or [])
    if extract_id in chosen:
        return Outcome(doc.path, [f"{theme}: {extract_id} is already chosen"])
    if extract_id not in {e.get("id") for e in record.get("extracts") or []}:
        known = theme_extracts(project, [c["id"] for c in record.get("codes") or []])
        if extract_id not in known:
            raise ThematicError(f"no extract {extract_id!r} among the codes of {theme}{did_you_mean(extract_id, known)} "
                                f"(see: thematic extracts list {project.root} {theme})")
    doc.set(("themes", index, CHOSEN), Flow([*chosen, extract_id]))
    return finish(project, doc, "define", CHOSEN, [f"{theme}: chose {extract_id}"])


def drop_extract(study: Path, theme: str, extract_id: str) -> Outcome:
    """Take an extract out of the theme's chosen_extracts (the machine's picks stay as they are)."""
    project = load_project(study)
    doc = open_artefact(project, "define")
    index = record_index(doc, "themes", theme, "theme")
    chosen = list(doc.data["themes"][index].get(CHOSEN) or [])
    if extract_id not in chosen:
        raise ThematicError(f"{doc.path}: {theme} has no chosen extract {extract_id!r}{did_you_mean(extract_id, chosen)}")
    rest = [e for e in chosen if e != extract_id]
    if rest:
        doc.set(("themes", index, CHOSEN), Flow(rest))
    else:
        doc.delete(("themes", index, CHOSEN))
    return finish(project, doc, "define", CHOSEN, [f"{theme}: dropped {extract_id}"])
