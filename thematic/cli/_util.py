"""What every command module shares: the app, the consoles, the study argument, and one place
where our errors become `error: ...` and exit 1 (no traceback)."""

from __future__ import annotations

import shlex
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Callable, Iterator, NoReturn

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from thematic.cli.lazy import LazyCommands, quicker_params
from thematic.errors import ThematicError

if TYPE_CHECKING:
    from rich.table import Table

    from thematic.decide import Outcome


class LazyGroup(TyperGroup):
    """The `thematic` group: a command is built when it is asked for, after importing only its
    own module (thematic.cli.COMMANDS says which); listing them (help, completion) imports all."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        built = dict(self.commands)  # in a process that imported command modules already
        for command in built.values():
            quicker_params(command)
        self.commands = LazyCommands(built, _built)

    def make_context(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        quicker_params(self)  # its own options, completion's included (typer adds those after __init__)
        return super().make_context(*args, **kwargs)


def _built() -> dict:
    """The commands of every module imported so far, as typer builds them from the app."""
    return dict(typer.main.get_command(app).commands.built)


SETTINGS = {"add_completion": False, "pretty_exceptions_enable": False, "rich_markup_mode": None}
app = typer.Typer(
    help="Braun & Clarke's six phases of thematic analysis over a folder of interview transcripts.\n\n"
         "Example: thematic init studie/ --codebook arbeidsinkludering && thematic run studie/",
    no_args_is_help=True, cls=LazyGroup, **{**SETTINGS, "add_completion": True},  # typer's --install-completion
)
# No emoji codes: ":fire:" in a code label, a quote or a path is data, printed as written (and
# rich's table of 3,600 emoji is never loaded: ~5 ms of every command).
out = Console(emoji=False)
err = Console(stderr=True, emoji=False)
REDRAW = 0.1  # seconds between redraws of a progress bar

Study = Annotated[Path, typer.Argument(help="The study folder (holds thematic.yaml).", show_default=True)]
Force = Annotated[bool, typer.Option("--force", help="Re-run even if fresh and overwrite hand edits of machine-owned fields (your decisions are still kept).")]
SkipBad = Annotated[bool, typer.Option("--skip-bad", help="Skip transcripts that cannot be read (each with a warning) instead of stopping.")]
HERE = Path(".")
Json = Annotated[bool, typer.Option("--json", help="Print the result as JSON (for scripts), nothing else.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Only the results: no titles, counts or warnings.")]


def group(name: str, help_text: str, cls: type | None = None) -> typer.Typer:
    """A command group (`thematic codes ...`) with the app's settings, added to the app."""
    sub = typer.Typer(help=help_text, no_args_is_help=cls is None, **SETTINGS, **({"cls": cls} if cls else {}))
    app.add_typer(sub, name=name)
    return sub


def fail(exc: BaseException) -> NoReturn:
    """Our error (or Ctrl-C) as one line on stderr and a non-zero exit."""
    if isinstance(exc, KeyboardInterrupt):
        err.print("interrupted: every artefact is either the old or the new complete file", style="yellow", highlight=False)
        raise typer.Exit(130)
    err.print(f"error: {exc}", style="red", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(1)


@contextmanager
def failing() -> Iterator[None]:
    """Run a core call; a ThematicError or Ctrl-C inside ends the command through fail()."""
    try:
        yield
    except (ThematicError, KeyboardInterrupt) as exc:
        fail(exc)


def warn(warnings: list[str]) -> None:
    for warning in warnings:
        err.print(f"warning: {warning}", style="yellow", highlight=False, markup=False, soft_wrap=True)


def emit_json(data: object) -> None:
    """One JSON document on stdout, unwrapped and unstyled (scripts parse it)."""
    import json

    out.file.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def say(text: str) -> None:
    """A line of plain text on stdout: never wrapped, never read as markup."""
    out.print(text, markup=False, highlight=False, soft_wrap=True)


@contextmanager
def progress() -> Iterator[Callable[[str, int], Callable[[str], None]]]:
    """A rich progress bar per long step, shown only on a terminal (elsewhere rich's progress
    module is not even loaded: a script's or a pipe's run starts sooner). Drawn as items are
    done, at most every REDRAW seconds, not by rich's refresh thread: a run with no other thread
    can work beside itself in a forked copy (thematic.jobs.beside)."""
    if not err.is_terminal:
        yield lambda description, total: lambda item: None
        return
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, auto_refresh=False) as bar:
        drawn = [0.0]

        def factory(description: str, total: int) -> Callable[[str], None]:
            task, done = bar.add_task(description, total=total), [0]

            def advance(item: str) -> None:
                bar.advance(task)
                done[0] += 1
                if time.monotonic() - drawn[0] >= REDRAW or done[0] >= total:
                    bar.refresh()
                    drawn[0] = time.monotonic()
            return advance
        yield factory


def table(title: str, *columns: str) -> Table:
    """A table whose title is printed as its own line first, so a long study path never wraps it."""
    from rich.table import Table

    say(title)
    grid = Table()
    for column in columns:
        grid.add_column(column)
    return grid


def print_rows(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]], prose: int = 1) -> None:
    """A table for an 80-column terminal: every column but the last `prose` ones keeps its values
    whole on one line (ids are typed back); the prose columns wrap in the width left."""
    grid = table(title)
    for i, column in enumerate(columns):
        if i < len(columns) - prose:
            grid.add_column(column, min_width=max([len(column)] + [len(r[i]) for r in rows]), no_wrap=True)
        else:
            grid.add_column(column, overflow="fold", ratio=1)
    for row in rows:
        grid.add_row(*(Text(cell) for cell in row))  # data, not markup: "[hen]" stays in the table
    out.print(grid)


def listing(head: str, body: str) -> None:
    """One record as two lines, for records too wide for a table: the head bold, the body indented."""
    import textwrap

    out.print(head, style="bold", markup=False, highlight=False, soft_wrap=True)
    say(textwrap.fill(body, width=max(out.width, 40), initial_indent="  ", subsequent_indent="  ",
                      break_long_words=False, break_on_hyphens=False))


def report(outcome: Outcome, study: Path) -> None:
    """What a decision command changed, and which phases are stale now."""
    from thematic.phases import BY_NAME

    warn(outcome.warnings)
    for change in outcome.changes:
        say(f"{outcome.path.name}: {change}")
    if outcome.stale:
        phases = ", ".join(f"{BY_NAME[n].number} {n}" for n in outcome.stale)
        say(f"stale now: {phases} (run: thematic run {shlex.quote(str(study))})")
    elif not outcome.written:
        say(f"nothing changed in {outcome.path.name}")
