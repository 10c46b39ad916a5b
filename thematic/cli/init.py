"""thematic init: a project file for the transcripts already in a folder."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from thematic.cli._util import HERE, Study, app, failing, say, warn

if TYPE_CHECKING:
    from thematic.discover import Found
    from thematic.project import Initialised


@app.command()
def init(
    study: Study = HERE,
    codebook: Annotated[Optional[str], typer.Option("--codebook", help="A bundled codebook to copy in, e.g. arbeidsinkludering.")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Title of the study (used in the report).")] = None,
) -> None:
    """Start a study in a folder: find its transcripts (any subfolder) and write thematic.yaml.

    Example: thematic init studie/ --codebook arbeidsinkludering
    """
    from thematic.project import init_project

    with failing():
        done = init_project(study, codebook, title)
    found, where = done.found, shlex.quote(str(study))
    warn([f"could not read {w}" for w in found.warnings])
    if not found.files:
        say(f"wrote {done.path}; no transcripts found yet: put them in {study / 'interviews'}/ and run: thematic run {where}")
        return
    formats = ", ".join(f"{n} {ext}" for ext, n in sorted(found.formats.items()))
    folders = ", ".join(f"{folder}/ ({n})" if folder != "." else f"the study folder ({n})" for folder, n in sorted(found.folders.items()))
    say(f"found {len(found.files)} transcripts: {formats}; in {folders}")
    say(f"corpus.include: {', '.join(found.include)}")
    for s in found.speakers[:12]:
        role = "interviewer" if s.interviewer else "informant"
        say(f"  {s.label}: {s.turns} turns in {s.files} file{'s' if s.files != 1 else ''}, {role}")
    if len(found.speakers) > 12:
        say(f"  ... and {len(found.speakers) - 12} more speaker labels")
    _interviewer_note(done, found)
    say(f"wrote {done.path}; next: thematic run {where}")


def _interviewer_note(done: Initialised, found: Found) -> None:
    if done.taken_as_interviewer:
        say(f"taken as interviewer (their turns are mostly questions): {', '.join(done.taken_as_interviewer)}; "
            "edit corpus.interviewer_labels in thematic.yaml if that is wrong")
    elif found.speakers and not any(s.interviewer for s in found.speakers):
        warn(["no speaker label is taken as the interviewer; add the interviewer's label to "
              "corpus.interviewer_labels in thematic.yaml, or every turn is coded"])
