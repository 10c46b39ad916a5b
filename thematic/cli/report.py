"""thematic report: phase 6, and the report as HTML or Word."""

from __future__ import annotations

from thematic.cli._util import HERE, Force, SkipBad, Study, app
from thematic.cli.run import phase_help, run_study


@app.command()
def report(study: Study = HERE, force: Force = False, skip_bad: SkipBad = False) -> None:
    run_study(study, "report", force, skip_bad)


report.__doc__ = phase_help("report")
