"""thematic run, status and the six phase commands: thin wrappers over thematic.runner and thematic.lock."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from thematic.cli._util import HERE, Force, Json, Quiet, SkipBad, Study, app, emit_json, failing, out, progress, say, table, warn

PHASE_HELP = {
    "familiarise": (1, "profile every transcript: speakers, words, key terms; your notes kept"),
    "code": (2, "code the informants' talk with the codebooks; your decisions kept"),
    "themes": (3, "group the codes that count into candidate themes and a thematic map"),
    "review": (4, "review themes against their extracts and the whole data set"),
    "define": (5, "scaffold names, definitions and representative extracts"),
    "report": (6, "write the report with verified verbatim extracts"),
}


Sets = Annotated[Optional[list[str]], typer.Option(
    "--set", metavar="KEY=VALUE", help="Run a variant with this setting of thematic.yaml changed (repeatable; needs --out).")]
Out = Annotated[Optional[str], typer.Option(
    "--out", metavar="FOLDER", help="The variant's own folder in the study (its lock, its artefacts); thematic.yaml and the main analysis stay untouched.")]


Jobs = Annotated[Optional[int], typer.Option(
    "--jobs", "-j", min=1, metavar="N", show_default="the machine's cores",
    help="Processes for the per-item work (NLP, matching) where it pays, and with 2 or more the review's bootstrap and the report's checklist beside the rest; 1 = this process only. Output is the same for any N.")]


def run_study(study: Path, until: str | None, force: bool, skip_bad: bool = False,
              as_json: bool = False, quiet: bool = False, sets: list[str] | None = None, out_dir: str | None = None,
              jobs: int | None = None) -> None:
    """Run the stale phases (up to `until`) and print one summary row per phase."""
    from thematic.project import load_project
    from thematic.runner import run_phases
    from thematic.variant import load_variant

    with failing(), progress() as factory:
        project = load_variant(study, sets or [], out_dir) if sets or out_dir else load_project(study)
        results = run_phases(project, until=until, force=force, progress=factory, skip_bad=skip_bad, jobs=jobs)
    if as_json:
        emit_json({"phases": [{"phase": r.spec.name, "number": r.spec.number, "artefact": r.spec.artefact,
                               "action": r.action, "was": r.status, "summary": r.summary, "warnings": r.warnings}
                              for r in results]})
        return
    warn([w for r in results for w in r.warnings])
    if quiet:
        return
    variant = "".join(f" --set {s}" for s in sets or []) + (f" --out {out_dir}" if out_dir else "")
    grid = table(f"thematic {until or 'run'} {study}{variant}", "phase", "artefact", "action", "was", "summary")
    for r in results:
        summary = ", ".join(f"{k} {v}" for k, v in r.summary.items())
        grid.add_row(f"{r.spec.number} {r.spec.name}", r.spec.artefact, r.action, r.status, summary)
    out.print(grid)


@app.command()
def run(study: Study = HERE, force: Force = False, skip_bad: SkipBad = False, as_json: Json = False, quiet: Quiet = False,
        sets: Sets = None, out_dir: Out = None, jobs: Jobs = None) -> None:
    """Run every stale phase in order (1-6); fresh phases are skipped. With --set and --out, a
    variant with other settings runs into its own folder (compare it: thematic compare).

    Example: thematic run examples/arbeidsinkludering

    Example: thematic run examples/arbeidsinkludering --set phases.themes.resolution=1.0 --out analysis-r10
    """
    run_study(study, None, force, skip_bad, as_json, quiet, sets, out_dir, jobs)


@app.command()
def status(study: Study = HERE, as_json: Json = False) -> None:
    """Show each phase as fresh, stale, edited (your decisions), hand-edited or missing, and how
    many memos you have written.

    Example: thematic status examples/arbeidsinkludering
    """
    from thematic.lock import named_theme_changes, states
    from thematic.memos import memo_count
    from thematic.project import load_project

    with failing():
        project = load_project(study)
        phase_states, changes = states(project), named_theme_changes(project)
    memos, problem = memo_count(project)
    if as_json:
        emit_json({"phases": [{"phase": s.spec.name, "number": s.spec.number, "artefact": s.spec.artefact,
                               "status": s.status, "detail": s.detail} for s in phase_states],
                   "memos": memos, "warnings": changes + ([problem] if problem else [])})
        return
    grid = table(f"thematic status {study}", "phase", "artefact", "status", "detail")
    colours = {"fresh": "green", "edited": "cyan", "stale": "yellow", "missing": "yellow"}
    for s in phase_states:
        grid.add_row(f"{s.spec.number} {s.spec.name}", s.spec.artefact,
                     f"[{colours.get(s.status, 'red')}]{s.status}[/]", s.detail)
    out.print(grid)
    say(f"memos: {memos} in memos.yaml" if memos else f"memos: none yet (thematic memo {study} -m \"...\")")
    warn(changes + ([problem] if problem else []))


def phase_help(name: str) -> str:
    number, summary = PHASE_HELP[name]
    return f"Phase {number}: {summary} (runs stale earlier phases first).\n\nExample: thematic {name} examples/arbeidsinkludering"


def _phase_command(name: str) -> None:
    def command(study: Study = HERE, force: Force = False, skip_bad: SkipBad = False) -> None:
        run_study(study, name, force, skip_bad)

    command.__doc__ = phase_help(name)
    app.command(name=name)(command)


for _name in PHASE_HELP:
    if _name not in ("themes", "report"):  # also command groups/options: thematic.cli.themes, thematic.cli.report
        _phase_command(_name)
