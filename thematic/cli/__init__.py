"""The command line, one module per command group (as spaCy's spacy/cli/): each command a thin
wrapper that declares its parameters, calls one core function and prints what it returns.
Core modules are imported inside the commands, so `thematic --help` and `thematic status`
never load spaCy; and a command imports only its own module (thematic.cli.lazy), so
`thematic find` does not pay for the other sixteen."""

from __future__ import annotations

from typing import Annotated

import typer

from thematic import __version__
from thematic.cli._util import app, say

# Every command module: importing one registers its commands. `thematic --help` imports them all.
MODULES = ("init", "run", "themes", "codes", "extracts", "review_codes", "query", "memo", "map", "anonymise",
           "report", "export", "import_qda", "agree", "saturation", "check", "compare")
# Command -> the module that registers it, in the order `thematic --help` lists them; a command
# missing here still works (its lookup imports every module) and is listed after these.
COMMANDS = {
    "init": "init", "run": "run", "status": "run", "familiarise": "run", "code": "run", "review": "run",
    "define": "run", "review-codes": "review_codes", "find": "query", "stats": "query", "map": "map",
    "anonymise": "anonymise", "report": "report", "export": "export", "import": "import_qda", "agree": "agree",
    "saturation": "saturation", "check": "check", "compare": "compare", "themes": "themes", "codes": "codes",
    "extracts": "extracts", "show": "query", "memo": "memo",
}


def _version(value: bool) -> None:
    if value:
        say(f"thematic {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False) -> None:
    """Braun & Clarke's six phases of thematic analysis over a folder of interview transcripts."""


def main() -> None:
    app()


__all__ = ["COMMANDS", "MODULES", "app", "main"]
