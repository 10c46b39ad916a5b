"""Run the phases in order: skip fresh ones, keep decisions, refuse to clobber hand edits."""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thematic.artefacts import (
    canonical_hash, dumps, load_artefact, meta_block, sha256_file, temp_files_of, write_atomic,
)
from thematic.collector import fewer_collections
from thematic.comments import Comment, comments_of, might_have_comments, where, with_comments
from thematic.context import Context, ProgressFactory, _no_progress
from thematic.decisions import carry_decisions
from thematic.errors import HandEditError, ThematicError
from thematic.jobs import parallel
from thematic.json_copy import artefact_data, keep_copy
from thematic.lock import (
    EDITED, FRESH, HAND_EDITED, INVALID, STALE, current_inputs, digests, hand_edit, params_for, phase_state,
    read_lock, shadow_path, study_lock, write_lock,
)
from thematic.phases import BY_NAME, PHASES, PhaseSpec
from thematic.project import OUTPUT_NAMES, Project
from thematic.store import STORE_FILE
from thematic.writeup.model import MODEL_FILE
from thematic.variant import start_variant

RAN, SKIPPED = "ran", "skipped"


@dataclass
class PhaseResult:
    spec: PhaseSpec
    action: str
    status: str
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _previous(project: Project, spec: PhaseSpec) -> tuple[dict[str, Any], list[Comment]]:
    """The old artefact, whose human fields and # comments the new one must keep."""
    path = project.analysis_dir / spec.artefact
    if not spec.is_yaml or not path.is_file():
        return {}, []
    text = path.read_text(encoding="utf-8")
    if not might_have_comments(text):
        return artefact_data(project, spec)[0], []  # no YAML parse for a file the machine wrote
    loaded = load_artefact(path, spec.schema)
    spec.impl.validate(loaded)
    return loaded.data, comments_of(text, loaded.node)


def _refuse_hand_edits(project: Project, spec: PhaseSpec, lock: dict[str, Any]) -> None:
    """Refuse to overwrite edits of machine-owned fields; an artefact whose hash the lock holds is
    exactly what the machine wrote (the shadow copy may already be a newer, interrupted write's)."""
    path = project.analysis_dir / spec.artefact
    written = (lock.get(spec.name) or {}).get("outputs", {}).get(project.relative(path))
    if path.is_file() and written != sha256_file(path):
        changed = hand_edit(project, spec)
        if changed:
            raise HandEditError(
                f"{path}: machine-owned field {changed} was edited by hand; not overwriting it",
                fix=f"undo that edit (use decision:/notes: fields instead) or run thematic {spec.name} {project.root} --force",
            )


def run_phase(ctx: Context, spec: PhaseSpec, lock: dict[str, Any]) -> dict[str, Any]:
    """Run one phase, write its artefact atomically, then record it in the lock."""
    project = ctx.project
    previous, comments = _previous(project, spec)
    params = params_for(project, spec)
    body = spec.impl.run(ctx, project.params(spec.name))
    path = project.analysis_dir / spec.artefact
    inputs = current_inputs(project, spec, lock)
    if spec.is_yaml:
        pipeline = ctx.pipeline.describe() if spec.uses_nlp else None
        meta = meta_block(spec.number, spec.schema, project.params(spec.name), inputs or {}, pipeline)
        data = carry_decisions(previous, {"meta": meta, **body})
        text, orphans = with_comments(dumps(data), comments)
        ctx.warnings.extend(f"{path}: kept a comment whose {where(c.anchor)} is gone at the end of the file"
                            for c in orphans)
        shadow = json.loads(json.dumps(data, ensure_ascii=False))
        written = digests(shadow)
    else:
        text, shadow, written = body, body, {}
    # Shadow first, artefact second, lock last: killed between any two, the next run recovers.
    write_atomic(shadow_path(project, spec), json.dumps(shadow, ensure_ascii=False, sort_keys=True))
    write_atomic(path, text)
    sha = sha256_file(path)
    if spec.is_yaml:
        keep_copy(project, spec, sha, shadow, written["semantic"])
    lock[spec.name] = {
        "inputs": inputs,
        "params": canonical_hash(params),
        "outputs": {project.relative(path): sha},
        "digests": written,
    }
    write_lock(project, lock)
    return body.get("summary", {}) if isinstance(body, dict) else {}


def own_files(project: Project) -> list[Path]:
    """Every file a run writes atomically: artefacts, the map image, shadows, the extract store, the lock."""
    shadows = [shadow_path(project, spec) for spec in PHASES]
    machine = [project.machine_dir / STORE_FILE, project.machine_dir / MODEL_FILE, project.lock_path]
    return [project.analysis_dir / name for name in OUTPUT_NAMES] + shadows + machine


def _clear_interrupted_writes(project: Project) -> None:
    """Temp files that a killed run's atomic writes of our own files left behind; never read.
    Only ours: a researcher's .notes.tmp beside the artefacts is theirs."""
    cache = project.machine_dir / "cache"  # all ours: per-item analyses (nlp/) and phase 2's results (code/)
    leftovers = [tmp for own in own_files(project) for tmp in temp_files_of(own)] + list(cache.glob("*/.*.tmp"))
    for path in leftovers:
        with suppress(OSError):  # a read-only folder keeps it; harmless, as it is never read
            path.unlink(missing_ok=True)


def run_phases(project: Project, until: str | None = None, force: bool = False,
               progress: ProgressFactory = _no_progress, skip_bad: bool = False, jobs: int | None = 1) -> list[PhaseResult]:
    """Every stale phase up to `until` (all by default); --force re-runs the last one(s) anyway;
    skip_bad skips unreadable transcripts, each with a warning in the result of the phase that read them;
    jobs: processes for the per-item work (None: the machine's cores; thematic.jobs).
    Holds the study lock throughout: a second run on the study stops with the first one's pid."""
    with study_lock(project), parallel(jobs), fewer_collections():
        _clear_interrupted_writes(project)
        start_variant(project)  # --out: a new variant's folder starts as a copy of the main analysis
        return _run_locked(project, until, force, Context(project, progress, skip_bad=skip_bad))


def _run_locked(project: Project, until: str | None, force: bool, ctx: Context) -> list[PhaseResult]:
    target = BY_NAME[until].number if until else len(PHASES)
    lock = ctx.lock = read_lock(project)
    results: list[PhaseResult] = []
    for spec in PHASES[:target]:
        forced = force and (until is None or spec.number == target)
        state = phase_state(project, spec, lock)
        if any(r.action == RAN and r.spec.name in spec.deps for r in results) and state.status in (FRESH, EDITED):
            state = type(state)(spec, STALE, "an earlier phase re-ran")
        if state.status == INVALID:
            raise ThematicError(state.detail)
        if state.status in (FRESH, EDITED) and not forced:
            results.append(PhaseResult(spec, SKIPPED, state.status))
            if spec.name == "code":
                ctx.store_digest = ((lock.get("code") or {}).get("digests") or {}).get("store")
            continue
        if not forced:
            _refuse_hand_edits(project, spec, lock)
        if not any(later.uses_nlp for later in PHASES[spec.number - 1:]):
            ctx.let_go_of_nlp()  # phases 3-6 need their memory more
        summary = run_phase(ctx, spec, lock)
        ctx.loaded.pop(spec.name, None)
        results.append(PhaseResult(spec, RAN, state.status if state.status != HAND_EDITED else "forced", summary,
                                   ctx.warnings[:]))
        ctx.warnings.clear()
    return results
