"""thematic extracts: the extracts you choose for a theme (chosen_extracts in 5-themes.yaml)."""

from __future__ import annotations

from typing import Annotated

import typer

from thematic.cli._util import Study, failing, group, listing, report, say

extracts = group("extracts", "The extracts you choose for a theme: phase 5 puts them first and phase 6 quotes them.\n\n"
                             "Example: thematic extracts list studie/ tema-portefolje")
Theme = Annotated[str, typer.Argument(help="The theme id (as in 5-themes.yaml).")]
ExtractId = Annotated[str, typer.Argument(help="The extract id, e.g. mentor-01:1988 (see thematic extracts list).")]


@extracts.command("list")
def list_(study: Study, theme: Theme) -> None:
    """Every extract of a theme's codes, with its id; yours marked with *.

    Example: thematic extracts list studie/ tema-portefolje
    """
    from thematic.decide_themes import list_extracts

    with failing():
        found, chosen = list_extracts(study, theme)
    ordered = sorted(found, key=lambda e: (e["id"] not in chosen, chosen.index(e["id"]) if e["id"] in chosen else 0))
    say(f"thematic extracts list {study} {theme}" + (" (* chosen)" if chosen else ""))
    for e in ordered:
        who = ", ".join(str(x) for x in (e.get("speaker"), f"line {e.get('line', '?')}") if x)
        listing(f"{'* ' if e['id'] in chosen else ''}{e['id']}  {e['code']}  ({who})", e["text"])


@extracts.command()
def pick(study: Study, theme: Theme, extract_id: ExtractId) -> None:
    """Choose an extract for a theme: first in 5-themes.yaml, quoted in the report.

    Example: thematic extracts pick studie/ tema-portefolje mentor-05:7710
    """
    from thematic.decide_themes import pick_extract

    with failing():
        report(pick_extract(study, theme, extract_id), study)


@extracts.command()
def drop(study: Study, theme: Theme, extract_id: ExtractId) -> None:
    """Take back a chosen extract (the machine's picks stay as they are).

    Example: thematic extracts drop studie/ tema-portefolje mentor-05:7710
    """
    from thematic.decide_themes import drop_extract

    with failing():
        report(drop_extract(study, theme, extract_id), study)
