"""thematic report: phase 6, and the report as HTML or Word."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from thematic.cli._util import HERE, Force, SkipBad, Study, app, failing, progress, say, warn
from thematic.cli.run import run_study

FORMAT_HELP = ("md, html (one self-contained file: the map inline, no link out, reads offline) or docx (Word: "
               "heading styles, a table of contents, block quotes, the map as a picture). Default: from -o's ending.")


@app.command()
def report(
    study: Study = HERE,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help=FORMAT_HELP)] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The file to write; default: 6-report.<format> in the analysis folder.")] = None,
    force: Force = False,
    skip_bad: SkipBad = False,
) -> None:
    """Phase 6: write the report with verified verbatim extracts (runs stale earlier phases
    first). With --format, the same report as self-contained HTML or Word as well; a report file
    you edited is not overwritten without --force.

    Example: thematic report examples/arbeidsinkludering --format docx
    """
    if fmt is None and output is None:
        run_study(study, "report", force, skip_bad)
        return
    from thematic.writeup.export import export_report, format_of

    with failing(), progress() as factory:
        done = export_report(study, format_of(fmt, output), output, force, skip_bad, factory)
    warn(done.warnings)
    say(f"ran: {', '.join(done.ran)}" if done.ran else "phase 6 report: fresh")
    say(f"wrote {done.path} ({done.size / 1024:.0f} KB)")
