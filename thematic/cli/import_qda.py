"""thematic import: a study made from another program's REFI-QDA project or codebook."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from thematic.cli._util import Json, Quiet, app, emit_json, failing, say, warn

if TYPE_CHECKING:
    from thematic.exchange.qdpx_import import Imported


@app.command(name="import")
def import_qda(
    file: Annotated[Path, typer.Argument(help="A REFI-QDA project (.qdpx) or codebook (.qdc) from ATLAS.ti, MAXQDA, NVivo, QualCoder, Taguette or thematic.")],
    study: Annotated[Path, typer.Argument(help="The new study's folder: new or empty, never overwritten.")],
    title: Annotated[Optional[str], typer.Option("--title", help="The study's title; default: the project's name.")] = None,
    approach: Annotated[str, typer.Option("--approach", help="reflexive (default), codebook or coding-reliability.")] = "reflexive",
    as_json: Json = False,
    quiet: Quiet = False,
) -> None:
    """Make a study from a REFI-QDA export: text sources become transcripts in interviews/,
    codings your own accepted codes with exactly their extracts, parent codes theme hints in a
    codebook, notes memos, cases participants.yaml. A .qdc alone gives a codebook and no
    transcripts. Ends with what was imported and what could not be mapped.

    Example: thematic import prosjekt.qdpx studie/
    """
    from thematic.exchange.qdpx_import import import_study

    with failing():
        done = import_study(file, study, title, approach)
    if as_json:
        emit_json(done.as_dict())
        return
    _summary(done, quiet)


def _summary(done: Imported, quiet: bool) -> None:
    what = "codebook" if done.format == "qdc" else "project"
    say(f"imported the {what} {done.source}{f' ({done.origin})' if done.origin else ''} into {done.root}")
    if done.format == "qdpx":
        say(f"  sources    {_n(len(done.transcripts), 'transcript')} in interviews/")
    say(f"  codes      {_n(done.codes, 'code')}, {_n(done.themes, 'theme hint')}"
        + (f" in {done.codebook}" if done.codebook else ""))
    if done.format == "qdpx":
        say(f"  codings    {_n(done.codings, 'coding')} on {_n(done.extracts, 'extract')} (accepted, in analysis/2-codes.yaml)")
        say(f"  notes      {_n(done.memos, 'memo')}" + (" in memos.yaml" if done.memos else ""))
        say(f"  cases      {_n(done.cases, 'case')}" + (f" -> participants.yaml ({_n(done.participants, 'item')})"
                                                         if done.participants else ""))
    if not quiet:
        warn(done.changed)
    if done.lost:
        say("not mapped (REFI-QDA asks an import to say what it leaves behind):")
        for line in done.lost:
            say(f"  - {line}")
    else:
        say("not mapped: nothing")
    if quiet:
        return
    study = shlex.quote(str(done.root))
    if done.format == "qdc":
        say(f"next: transcripts into {done.root / 'interviews'}/, keywords into {done.root / done.codebook}, "
            f"then thematic run {study}")
    else:
        say(f"next: thematic run {study}")


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
