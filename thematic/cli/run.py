"""thematic run, status and the six phase commands: thin wrappers over thematic.runner and thematic.lock."""

from __future__ import annotations

from pathlib import Path

from thematic.cli._util import HERE, Force, SkipBad, Study, app, failing, out, progress, table, warn

PHASE_HELP = {
    "familiarise": (1, "profile every transcript: speakers, words, key terms; your notes kept"),
    "code": (2, "code the informants' talk with the codebooks; your decisions kept"),
    "themes": (3, "group the codes that count into candidate themes and a thematic map"),
    "review": (4, "review themes against their extracts and the whole data set"),
    "define": (5, "scaffold names, definitions and representative extracts"),
    "report": (6, "write the report with verified verbatim extracts"),
}


def run_study(study: Path, until: str | None, force: bool, skip_bad: bool = False) -> None:
    """Run the stale phases (up to `until`) and print one summary row per phase."""
    from thematic.project import load_project
    from thematic.runner import run_phases

    with failing(), progress() as factory:
        results = run_phases(load_project(study), until=until, force=force, progress=factory, skip_bad=skip_bad)
    warn([w for r in results for w in r.warnings])
    grid = table(f"thematic {until or 'run'} {study}", "phase", "artefact", "action", "was", "summary")
    for r in results:
        summary = ", ".join(f"{k} {v}" for k, v in r.summary.items())
        grid.add_row(f"{r.spec.number} {r.spec.name}", r.spec.artefact, r.action, r.status, summary)
    out.print(grid)


@app.command()
def run(study: Study = HERE, force: Force = False, skip_bad: SkipBad = False) -> None:
    """Run every stale phase in order (1-6); fresh phases are skipped.

    Example: thematic run examples/arbeidsinkludering
    """
    run_study(study, None, force, skip_bad)


@app.command()
def status(study: Study = HERE) -> None:
    """Show each phase as fresh, stale, edited (your decisions), hand-edited or missing.

    Example: thematic status examples/arbeidsinkludering
    """
    from thematic.lock import named_theme_changes, states
    from thematic.project import load_project

    with failing():
        project = load_project(study)
        phase_states, changes = states(project), named_theme_changes(project)
    grid = table(f"thematic status {study}", "phase", "artefact", "status", "detail")
    colours = {"fresh": "green", "edited": "cyan", "stale": "yellow", "missing": "yellow"}
    for s in phase_states:
        grid.add_row(f"{s.spec.number} {s.spec.name}", s.spec.artefact,
                     f"[{colours.get(s.status, 'red')}]{s.status}[/]", s.detail)
    out.print(grid)
    warn(changes)


def phase_help(name: str) -> str:
    number, summary = PHASE_HELP[name]
    return f"Phase {number}: {summary} (runs stale earlier phases first).\n\nExample: thematic {name} examples/arbeidsinkludering"


def _phase_command(name: str) -> None:
    def command(study: Study = HERE, force: Force = False, skip_bad: SkipBad = False) -> None:
        run_study(study, name, force, skip_bad)

    command.__doc__ = phase_help(name)
    app.command(name=name)(command)


for _name in PHASE_HELP:
    if _name != "themes":  # `thematic themes` is also a command group: thematic.cli.themes
        _phase_command(_name)
