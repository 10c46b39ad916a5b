"""The command line, one module per command group (as spaCy's spacy/cli/): each command a thin
wrapper that declares its parameters, calls one core function and prints what it returns.
Core modules are imported inside the commands, so `thematic --help` and `thematic status`
never load spaCy."""

from __future__ import annotations

from typing import Annotated

import typer

from thematic import __version__
# importing a module registers its commands, in the order `thematic --help` lists them
from thematic.cli import init, run, themes, codes, extracts, review_codes, query, memo, map, anonymise  # noqa: F401, I001
from thematic.cli import report, export, import_qda, agree, saturation, check, compare  # noqa: F401, I001
from thematic.cli._util import app, say


def _version(value: bool) -> None:
    if value:
        say(f"thematic {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False) -> None:
    """Braun & Clarke's six phases of thematic analysis over a folder of interview transcripts."""


def main() -> None:
    app()


__all__ = ["app", "main"]
