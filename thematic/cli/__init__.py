"""The command line, one module per command group (as spaCy's spacy/cli/): each command a thin
wrapper that declares its parameters, calls one core function and prints what it returns.
Core modules are imported inside the commands, so `thematic --help` and `thematic status`
never load spaCy; and a command imports only its own module (thematic.cli.lazy), so
`thematic find` does not pay for the other sixteen."""

from __future__ import annotations

import os
import sys
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
    """The `thematic` command. It leaves through os._exit once the command is done and its output
    flushed: the interpreter's teardown frees a run's objects one by one (the corpus, every
    extract), ~60 ms of a 0.9 s decision re-run at 1M words, and by then nothing is left to do:
    every file is written atomically and closed, and the worker pool is shut down. An unexpected
    error still ends the usual way, with its traceback."""
    try:
        app()
        code = 0
    except SystemExit as stop:
        code = _exit_code(stop.code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: Python's own exit says 120
            code = code or 120
    os._exit(code)


def _exit_code(code: object) -> int:
    """The status Python exits with for SystemExit(code): a message is printed and exits 1."""
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)
    return 1


__all__ = ["COMMANDS", "MODULES", "app", "main"]
