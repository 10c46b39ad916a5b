"""thematic themes: phase 3 (`thematic themes STUDY`) and the decisions on themes.

One name for both, as the researcher thinks of them: `thematic themes studie/` runs phase 3, and
`thematic themes move|merge|split|discard|keep|name|define|list ...` records a decision in the
artefact it belongs to (moves in 3-candidate-themes.yaml, review decisions in
4-reviewed-themes.yaml, your writing in 5-themes.yaml).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import click
import typer
from typer.core import TyperGroup

from thematic.cli._util import HERE, Force, SkipBad, Study, failing, group, listing, report, say
from thematic.cli.run import phase_help, run_study

PHASE = "phase"


class PhaseOrDecisions(TyperGroup):
    """`thematic themes [STUDY] [--force]` runs the phase; a known subcommand name dispatches."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        positional = [a for a in args if not a.startswith("-")]
        asks_help = not positional and any(a in ("--help", "-h") for a in args)
        if not asks_help and not (positional and positional[0] in self.commands):
            args = [PHASE, *args]
        return super().parse_args(ctx, args)


themes = group("themes", phase_help("themes") + "\n\nYour decisions on themes: thematic themes list|move|merge|split|"
                         "discard|keep|name|define STUDY ...", cls=PhaseOrDecisions)
Theme = Annotated[str, typer.Argument(help="The theme id, e.g. tema-portefolje.")]
Reason = Annotated[Optional[str], typer.Option("--reason", help="Why (kept as reason: in 4-reviewed-themes.yaml).")]


@themes.command(PHASE, hidden=True)
def phase(study: Study = HERE, force: Force = False, skip_bad: SkipBad = False) -> None:
    run_study(study, "themes", force, skip_bad)


@themes.command("list")
def list_(study: Study = HERE) -> None:
    """The themes (phase 5's, else phase 3's) with your name, the review decision and the codes.

    Example: thematic themes list studie/
    """
    from thematic.decide_themes import list_themes

    with failing():
        rows = list_themes(study)
    say(f"thematic themes list {study}")
    for r in rows:
        chosen = f", {r.chosen} chosen extracts" if r.chosen else ""
        listing(f"{r.id}  {r.title}" + ("" if r.named else " (proposed)"),
                f"review: {r.decision}{chosen}; codes: {', '.join(r.codes)}")


@themes.command()
def move(study: Study, code: Annotated[str, typer.Argument(help="The code id.")], theme: Theme,
         new: Annotated[bool, typer.Option("--new", help="The theme does not exist yet: start a theme of your own.")] = False) -> None:
    """Move a code to another theme (moves: in 3-candidate-themes.yaml; diverse parks it).

    Example: thematic themes move studie/ tidspress tema-portefolje
    """
    from thematic.decide_themes import move_code

    with failing():
        report(move_code(study, code, theme, new), study)


def _review(study: Path, theme: str, decision: str, reason: Optional[str]) -> None:
    from thematic.decide_themes import review_theme

    with failing():
        report(review_theme(study, theme, decision, reason), study)


@themes.command()
def merge(study: Study, theme: Theme, into: Annotated[str, typer.Argument(help="The theme its codes go to.")],
          reason: Reason = None) -> None:
    """Merge a theme into another (decision merge:<id> in 4-reviewed-themes.yaml).

    Example: thematic themes merge studie/ tema-tidspress tema-portefolje --reason "samme mønster"
    """
    _review(study, theme, f"merge:{into}", reason)


@themes.command()
def split(study: Study, theme: Theme, reason: Reason = None) -> None:
    """Split a theme into its sub-clusters in phase 5 (decision split).

    Example: thematic themes split studie/ tema-portefolje
    """
    _review(study, theme, "split", reason)


@themes.command()
def discard(study: Study, theme: Theme, reason: Reason = None) -> None:
    """Discard a theme (decision discard): it leaves phases 5 and 6.

    Example: thematic themes discard studie/ tema-diverse --reason "for tynt"
    """
    _review(study, theme, "discard", reason)


@themes.command()
def keep(study: Study, theme: Theme, reason: Reason = None) -> None:
    """Keep a theme as it is (decision keep; for diverse: make it a theme).

    Example: thematic themes keep studie/ tema-portefolje --reason "bærer analysen"
    """
    _review(study, theme, "keep", reason)


@themes.command()
def name(study: Study, theme: Theme, text: Annotated[str, typer.Argument(help="Your name for the theme.")]) -> None:
    """Name a theme (name: in 5-themes.yaml; the report uses it).

    Example: thematic themes name studie/ tema-portefolje "Tid som knapp ressurs"
    """
    from thematic.decide_themes import write_theme

    with failing():
        report(write_theme(study, theme, "name", text), study)


@themes.command()
def define(
    study: Study, theme: Theme,
    text: Annotated[Optional[str], typer.Option("--text", help="The text; without it $EDITOR opens on the current one.")] = None,
    field: Annotated[str, typer.Option("--field", help="definition, central_organising_concept or narrative.")] = "definition",
) -> None:
    """Write a theme's definition (or --field central_organising_concept / narrative) in 5-themes.yaml.

    Example: thematic themes define studie/ tema-portefolje --text "Hvordan tid ..."
    """
    from thematic.decide_themes import current_text, write_theme

    with failing():
        if text is None:
            text = _edited(current_text(study, theme, field))
        report(write_theme(study, theme, field, text), study)


def _edited(current: str) -> str:
    """The text after $EDITOR (or $VISUAL); an editor closed without saving changes nothing."""
    edited = click.edit(current + "\n", extension=".md", require_save=True)
    return current if edited is None else edited
