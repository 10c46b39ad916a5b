"""thematic compare: two analyses of one study side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from thematic.cli._util import Json, app, emit_json, failing, say

Analysis = Annotated[Path, typer.Argument(help="An analysis folder (a study's analysis/ or a variant's --out folder), or a study folder for its main analysis.")]


@app.command()
def compare(analysis_a: Analysis, analysis_b: Analysis, as_json: Json = False) -> None:
    """Compare two analyses of one study, e.g. the main one and a variant run with --set/--out:
    codes added, removed and with another decision; candidate themes matched by their codes,
    added, removed, and the codes that moved; the adjusted Rand index of the two groupings of
    coded turns (1.0: the same grouping).

    Example: thematic compare examples/arbeidsinkludering/analysis examples/arbeidsinkludering/analysis-r10
    """
    from thematic.compare import compare as compare_analyses

    with failing():
        result = compare_analyses(analysis_a, analysis_b)
    if as_json:
        emit_json(result.as_dict())
        return
    say(f"thematic compare {analysis_a} {analysis_b}")
    say(f"codes: {result.codes[0]} -> {result.codes[1]}; added {len(result.codes_added)}, removed "
        f"{len(result.codes_removed)}, decision changed {len(result.decisions_changed)}")
    say(f"themes: {result.themes[0]} -> {result.themes[1]}; matched {len(result.matched) - ('diverse' in result.matched)}, "
        f"added {len(result.themes_added)}, removed {len(result.themes_removed)}; codes moved {len(result.moved)}")
    say(f"adjusted Rand index {result.ari} over {result.turns} coded turns (1.0: the same grouping)")
    _details(result)
    if not result.changed:
        say("no change")


def _details(result) -> None:  # type: ignore[no-untyped-def]
    """The lists behind the counts, one line each (ids are typed back: never wrapped)."""
    for code in result.codes_added:
        say(f"  code added:    {code}")
    for code in result.codes_removed:
        say(f"  code removed:  {code}")
    for d in result.decisions_changed:
        say(f"  decision:      {d['code']}: {d['a']} -> {d['b']}")
    for theme in result.themes_added:
        say(f"  theme added:   {theme['id']} ({theme['label']}): {', '.join(theme['codes'])}")
    for theme in result.themes_removed:
        say(f"  theme removed: {theme['id']} ({theme['label']}): {', '.join(theme['codes'])}")
    moves: dict[tuple[str, str], list[str]] = {}
    for move in result.moved:
        moves.setdefault((move.before, move.after), []).append(move.code)
    for (before, after), codes in sorted(moves.items()):
        say(f"  moved:         {before} -> {after}: {', '.join(codes)}")
