"""The command line: thin wrappers that parse options, call one core function and print."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from thematic import __version__
from thematic.errors import ThematicError

app = typer.Typer(
    help="Braun & Clarke's six phases of thematic analysis over a folder of interview transcripts.\n\n"
         "Example: thematic init studie/ --codebook arbeidsinkludering && thematic run studie/",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console()
err = Console(stderr=True)
STUDY = typer.Argument(Path("."), help="The study folder (holds thematic.yaml).", show_default=True)
FORCE = typer.Option(False, "--force", help="Re-run even if fresh and overwrite hand edits of machine-owned fields (your decisions are still kept).")
SKIP_BAD = typer.Option(False, "--skip-bad", help="Skip transcripts that cannot be read (each with a warning) instead of stopping.")


@contextmanager
def _progress() -> Iterator[Callable[[str, int], Callable[[str], None]]]:
    """A rich progress bar per long step, shown only on a terminal."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        def factory(description: str, total: int) -> Callable[[str], None]:
            task = bar.add_task(description, total=total)
            return lambda item: bar.advance(task)
        yield factory


def _fail(exc: BaseException) -> None:
    if isinstance(exc, KeyboardInterrupt):
        err.print("interrupted: every artefact is either the old or the new complete file", style="yellow", highlight=False)
        raise typer.Exit(130)
    err.print(f"error: {exc}", style="red", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(1)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        err.print(f"warning: {warning}", style="yellow", highlight=False, markup=False, soft_wrap=True)


def _run(study: Path, until: str | None, force: bool, skip_bad: bool = False) -> None:
    from thematic.project import load_project
    from thematic.runner import run_phases

    try:
        project = load_project(study)
        with _progress() as factory:
            results = run_phases(project, until=until, force=force, progress=factory, skip_bad=skip_bad)
    except (ThematicError, KeyboardInterrupt) as exc:
        _fail(exc)
    _warn([w for r in results for w in r.warnings])
    table = Table(title=f"thematic {until or 'run'} {study}")
    for column in ("phase", "artefact", "action", "was", "summary"):
        table.add_column(column)
    for r in results:
        summary = ", ".join(f"{k} {v}" for k, v in r.summary.items())
        table.add_row(f"{r.spec.number} {r.spec.name}", r.spec.artefact, r.action, r.status, summary)
    out.print(table)


@app.command()
def init(
    study: Path = STUDY,
    codebook: str = typer.Option(None, "--codebook", help="A bundled codebook to copy in, e.g. arbeidsinkludering."),
    title: str = typer.Option(None, "--title", help="Title of the study (used in the report)."),
) -> None:
    """Start a study: write thematic.yaml and an interviews/ folder.

    Example: thematic init studie/ --codebook arbeidsinkludering
    """
    from thematic.project import init_project

    try:
        path = init_project(study, codebook, title)
    except ThematicError as exc:
        _fail(exc)
    out.print(f"wrote {path}; put transcripts in {study / 'interviews'}/ and run: thematic run {study}")


@app.command()
def run(study: Path = STUDY, force: bool = FORCE, skip_bad: bool = SKIP_BAD) -> None:
    """Run every stale phase in order (1-6); fresh phases are skipped.

    Example: thematic run examples/arbeidsinkludering
    """
    _run(study, None, force, skip_bad)


@app.command()
def status(study: Path = STUDY) -> None:
    """Show each phase as fresh, stale, edited (your decisions), hand-edited or missing.

    Example: thematic status examples/arbeidsinkludering
    """
    from thematic.lock import named_theme_changes, states
    from thematic.project import load_project

    try:
        project = load_project(study)
        phase_states, changes = states(project), named_theme_changes(project)
    except ThematicError as exc:
        _fail(exc)
    table = Table(title=f"thematic status {study}")
    for column in ("phase", "artefact", "status", "detail"):
        table.add_column(column)
    colours = {"fresh": "green", "edited": "cyan", "stale": "yellow", "missing": "yellow"}
    for s in phase_states:
        table.add_row(f"{s.spec.number} {s.spec.name}", s.spec.artefact,
                      f"[{colours.get(s.status, 'red')}]{s.status}[/]", s.detail)
    out.print(table)
    _warn(changes)


def _phase_command(name: str, number: int, summary: str) -> None:
    def command(study: Path = STUDY, force: bool = FORCE, skip_bad: bool = SKIP_BAD) -> None:
        _run(study, name, force, skip_bad)

    command.__doc__ = f"Phase {number}: {summary} (runs stale earlier phases first).\n\nExample: thematic {name} examples/arbeidsinkludering"
    app.command(name=name)(command)


for _name, _number, _summary in (
    ("familiarise", 1, "profile every transcript: speakers, words, key terms; your notes kept"),
    ("code", 2, "code the informants' talk with the codebooks; your decisions kept"),
    ("themes", 3, "group the codes that count into candidate themes and a thematic map"),
    ("review", 4, "review themes against their extracts and the whole data set"),
    ("define", 5, "scaffold names, definitions and representative extracts"),
    ("report", 6, "write the report with verified verbatim extracts"),
):
    _phase_command(_name, _number, _summary)


@app.command(name="map")
def map_(study: Path = STUDY) -> None:
    """Print the thematic map of 3-candidate-themes.yaml as a tree: themes, their codes (central first).

    Example: thematic map examples/arbeidsinkludering
    """
    from thematic.project import load_project
    from thematic.thematic_map import candidate_map

    try:
        tree, image = candidate_map(load_project(study))
    except ThematicError as exc:
        _fail(exc)
    out.print(tree)
    out.print(f"image: {image}", markup=False, highlight=False, soft_wrap=True)


@app.command()
def anonymise(
    study: Path = STUDY,
    names: Path = typer.Option(None, "--names", help="YAML list: names:, places:, pseudonyms: {original: own}, keep: [not names]."),
    out_dir: Path = typer.Option(None, "--out", help="Folder for the copy (default: STUDY-anonymisert beside the study)."),
    key: Path = typer.Option(None, "--key", help="Where the key (pseudonym -> original) goes; never inside --out (default: STUDY/anonymisation-key.yaml)."),
    hen: bool = typer.Option(False, "--hen", help='Also replace "han"/"hun" (and ham, henne, hans, hennes) by "[hen]"/"[hens]".'),
    detect: bool = typer.Option(True, "--detect/--no-detect", help="Also replace likely names found in the text (not only your list)."),
    skip_bad: bool = SKIP_BAD,
) -> None:
    """Write a pseudonymised copy of the study's transcripts; the originals are never changed.

    Example: thematic anonymise examples/arbeidsinkludering --names navn.yaml --hen
    """
    from thematic.anonymise import anonymise as run_anonymise

    try:
        done = run_anonymise(study, out_dir, names, key, hen, detect, skip_bad)
    except (ThematicError, KeyboardInterrupt) as exc:
        _fail(exc)
    where = "not found anywhere in the study (transcripts, participants.yaml, thematic.yaml)"
    _warn(done.warnings + [f"{where}: {term}" for term in done.unused])
    table = Table(title=f"thematic anonymise {study}")
    for column in ("pseudonym", "original", "kind", "found by", "replaced"):
        table.add_column(column)
    for term in done.terms:
        table.add_row(*(escape(v) for v in (term.pseudonym, term.original, term.kind, term.origin)),
                      str(done.counts.get(term.pseudonym, 0)))
    out.print(table)
    out.print(f"wrote {done.out} (report: {done.report}); key: {done.key} (keep it apart from the copy)",
              markup=False, highlight=False)


def _version(value: bool) -> None:
    if value:
        out.print(f"thematic {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version.")) -> None:
    """Braun & Clarke's six phases of thematic analysis over a folder of interview transcripts."""


def main() -> None:
    app()


if __name__ == "__main__" and sys.argv:
    main()
