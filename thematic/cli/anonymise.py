"""thematic anonymise: a pseudonymised copy of a study (thematic.anonymise)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from thematic.cli._util import HERE, SkipBad, Study, app, failing, out, say, table, warn


@app.command()
def anonymise(
    study: Study = HERE,
    names: Annotated[Optional[Path], typer.Option("--names", help="YAML list: names:, places:, pseudonyms: {original: own}, keep: [not names].")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Folder for the copy (default: STUDY-anonymisert beside the study).")] = None,
    key: Annotated[Optional[Path], typer.Option("--key", help="Where the key (pseudonym -> original) goes; never inside --out (default: STUDY/anonymisation-key.yaml).")] = None,
    hen: Annotated[bool, typer.Option("--hen", help='Also replace "han"/"hun" (and ham, henne, hans, hennes) by "[hen]"/"[hens]".')] = False,
    detect: Annotated[bool, typer.Option("--detect/--no-detect", help="Also replace likely names found in the text (not only your list).")] = True,
    skip_bad: SkipBad = False,
) -> None:
    """Write a pseudonymised copy of the study's transcripts; the originals are never changed.

    Example: thematic anonymise examples/arbeidsinkludering --names navn.yaml --hen
    """
    from thematic.anonymise import anonymise as run_anonymise

    with failing():
        done = run_anonymise(study, out_dir, names, key, hen, detect, skip_bad)
    where = "not found anywhere in the study (transcripts, participants.yaml, thematic.yaml)"
    warn(done.warnings + [f"{where}: {term}" for term in done.unused])
    grid = table(f"thematic anonymise {study}", "pseudonym", "original", "kind", "found by", "replaced")
    for term in done.terms:
        grid.add_row(*(escape(v) for v in (term.pseudonym, term.original, term.kind, term.origin)),
                     str(done.counts.get(term.pseudonym, 0)))
    out.print(grid)
    say(f"wrote {done.out} (report: {done.report}); key: {done.key} (keep it apart from the copy)")
