"""`thematic report --format html|docx|md`: phase 6 if stale, then the same report in that format.

The Report comes from the JSON copy phase 6 keeps beside the artefacts (a second, cheap read),
rebuilt from the artefacts only when that copy is missing or not the one 6-report.md was written
from. A report file is often opened and edited in Word: one that changed since thematic wrote
it (or that thematic never wrote) is not overwritten without --force, and no study input
(transcript, thematic.yaml, participants.yaml, memos.yaml, codebook, artefact) ever is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from thematic.artefacts import replace_atomically, sha256_bytes, sha256_file, write_atomic
from thematic.closest import did_you_mean
from thematic.context import ProgressFactory, _no_progress
from thematic.errors import ArtefactError, ThematicError
from thematic.phases import BY_NAME, PHASES
from thematic.project import PROJECT_FILE, Project, load_project
from thematic.writeup.model import MODEL_FILE, Report, from_json

FORMATS = ("md", "html", "docx")
EXPORTS_FILE = "exports.json"  # in the machine folder's written/: what thematic wrote where


@dataclass
class Exported:
    path: Path
    size: int
    ran: list[str]  # the phases that ran first ("6 report")
    warnings: list[str] = field(default_factory=list)


def format_of(fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output file's name ends in."""
    chosen = fmt or (output.suffix.lstrip(".").lower() if output is not None else "md")
    if chosen not in FORMATS:
        raise ThematicError(f"unknown report format {chosen!r}{did_you_mean(chosen, FORMATS)}; known: {', '.join(FORMATS)}")
    return chosen


def export_report(study: Path, fmt: str, output: Path | None = None, force: bool = False, skip_bad: bool = False,
                  progress: ProgressFactory = _no_progress) -> Exported:
    """Run the stale phases up to 6, then write the report as fmt to output (default: the
    analysis folder's 6-report.<fmt>)."""
    from thematic.runner import run_phases

    project = load_project(study)
    results = run_phases(project, until="report", force=force, progress=progress, skip_bad=skip_bad)
    ran = [f"{r.spec.number} {r.spec.name}" for r in results if r.action == "ran"]
    warnings = [w for r in results for w in r.warnings]
    markdown = (project.analysis_dir / BY_NAME["report"].artefact).read_bytes()
    target = output if output is not None else project.analysis_dir / f"6-report.{fmt}"
    if fmt == "md" and output is None:
        return Exported(target, len(markdown), ran, warnings)
    report = saved_report(project, markdown) or _rebuilt(project, skip_bad, progress, warnings)
    data = markdown if fmt == "md" else RENDERERS[fmt]()(report)
    _write(project, target, data, force)
    return Exported(target, len(data), ran, warnings)


def _html() -> Callable[[Report], bytes]:
    from thematic.writeup.html import html

    return lambda report: html(report).encode("utf-8")


def _docx() -> Callable[[Report], bytes]:
    from thematic.writeup.docx import docx

    return docx


RENDERERS: dict[str, Callable[[], Callable[[Report], bytes]]] = {"html": _html, "docx": _docx}


def saved_report(project: Project, markdown: bytes) -> Report | None:
    """Phase 6's JSON copy of the Report, if it is the one this 6-report.md was written from."""
    path = project.machine_dir / MODEL_FILE
    return from_json(path.read_text(encoding="utf-8"), sha256_bytes(markdown)) if path.is_file() else None


def _rebuilt(project: Project, skip_bad: bool, progress: ProgressFactory, warnings: list[str]) -> Report:
    from thematic.context import Context
    from thematic.phases.report import build

    ctx = Context(project, progress, skip_bad=skip_bad)
    report = build(ctx, project.params("report"))
    warnings.extend(ctx.warnings)
    return report


def _inputs(project: Project) -> set[Path]:
    """Every file the study reads or a phase writes: never a report's target."""
    from thematic.corpus import corpus_paths
    from thematic.memos import memo_path

    files = {project.root / PROJECT_FILE, project.participants_path, memo_path(project), project.lock_path,
             *corpus_paths(project), *project.codebook_paths()}
    files |= {project.analysis_dir / spec.artefact for spec in PHASES if spec.is_yaml}
    return {f.resolve() for f in files}


def _exports(project: Project) -> Path:
    return project.machine_dir / "written" / EXPORTS_FILE


def _key(project: Project, target: Path) -> str:
    return project.relative(target)


def _write(project: Project, target: Path, data: bytes, force: bool) -> None:
    """Write atomically, unless that would lose someone's work; remember what was written."""
    if target.resolve() in _inputs(project):
        raise ThematicError(f"{target}: is one of the study's own files; a report is never written over it",
                            fix="give another file name with -o")
    record = _record(project)
    if target.exists() and not force and record.get(_key(project, target)) != sha256_file(target):
        raise ThematicError(f"{target}: changed since thematic wrote it, or not written by thematic; not overwriting it",
                            fix="save your edited copy under another name, or add --force to overwrite it")
    try:
        replace_atomically(target, [data])
    except OSError as exc:
        raise ArtefactError(f"{target}: cannot write ({exc.strerror or exc})") from None
    write_atomic(_exports(project), json.dumps({**record, _key(project, target): sha256_bytes(data)},
                                                ensure_ascii=False, sort_keys=True, indent=1) + "\n")


def _record(project: Project) -> dict[str, str]:
    path = _exports(project)
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:
        return {}  # machine data: a broken copy only means asking for --force once
    return data if isinstance(data, dict) else {}
