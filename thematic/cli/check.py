"""thematic check: Braun & Clarke's 15-point checklist answered from the artefacts."""

from __future__ import annotations

import textwrap
from collections import Counter
from typing import TYPE_CHECKING

from thematic.cli._util import HERE, Json, Study, app, emit_json, failing, out, say

if TYPE_CHECKING:
    from thematic.bc_check import CheckPoint

STYLE = {"pass": "green", "warn": "yellow", "judge": "cyan"}
INDENT = 20  # "  15 yours to judge " : the criterion and evidence start here


@app.command(name="check")
def check(study: Study = HERE, as_json: Json = False) -> None:
    """Braun & Clarke's (2006) 15-point checklist for a good thematic analysis, each point answered
    from the artefacts where they can answer it: pass, warn (with what to look at), or yours to judge.

    Example: thematic check studie/ --json
    """
    from thematic.bc_check import checklist
    from thematic.project import load_project

    with failing():
        points = checklist(load_project(study))
    if as_json:
        emit_json({"study": str(study), "points": [p.as_dict() for p in points]})
        return
    say(f"thematic check {study}: Braun & Clarke's 15-point checklist (2006), answered from the artefacts")
    stage = ""
    for point in points:
        if point.stage != stage:
            stage = point.stage
            out.print(point.stage_in("en"), style="bold", highlight=False, markup=False)
        _point(point)
    counts = Counter(p.status for p in points)
    say(f"{counts['pass']} pass, {counts['warn']} warn, {counts['judge']} yours to judge")


def _point(point: CheckPoint) -> None:
    """The number, the answer and the criterion, then the evidence indented below (wrapped to the terminal)."""
    from rich.text import Text

    from thematic.bc_check import STATUS_TEXT

    width = max(min(out.width, 100), 60) - INDENT
    criterion = textwrap.wrap(point.criterion, width, break_on_hyphens=False)
    head = Text(f"  {point.number:>2} ")
    head.append(f"{STATUS_TEXT[point.status]:<15}", style=STYLE[point.status])
    out.print(head + Text(criterion[0]), no_wrap=True, overflow="crop")
    for line in criterion[1:]:
        say(" " * INDENT + line)
    for line in textwrap.wrap(point.evidence, width - 2, break_long_words=False, break_on_hyphens=False):
        out.print(Text(" " * (INDENT + 2) + line, style="dim"), no_wrap=True, overflow="ignore")
