"""thematic codes: list the codes and decide on them (2-codes.yaml), for people and scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from thematic.cli._util import HERE, Json, Study, emit_json, failing, group, print_rows, report

codes = group("codes", "List the codes of 2-codes.yaml and decide on them: accept, reject, rename, merge, add.\n\n"
                       "With --coder NAME (codebook and coding-reliability studies) a coder decides in their own "
                       "analysis/2-codes.NAME.yaml, begun from the machine's proposals; thematic agree compares the "
                       "coders. Phases 3-6 read only 2-codes.yaml: the agreed coding.\n\n"
                       "Example: thematic codes list studie/ --suggested")
Ids = Annotated[Optional[List[str]], typer.Argument(help="Code ids (as in 2-codes.yaml).", show_default=False)]
Top = Annotated[int, typer.Option("--top", help="The N best-scored undecided suggestions (evidence.score).")]
AllSuggested = Annotated[bool, typer.Option("--all-suggested", help="Every undecided suggestion.")]
Match = Annotated[Optional[str], typer.Option("--match", help="Code ids matching a glob, e.g. 'arbeids*'.")]
Coder = Annotated[Optional[str], typer.Option(
    "--coder", help="Decide as this coder, in analysis/2-codes.NAME.yaml (begun from the machine's proposals on first "
                    "use); 2-codes.yaml, which phases 3-6 read, is not touched. Codebook and coding-reliability studies.")]


@codes.command("list")
def list_(
    study: Study = HERE,
    suggested: Annotated[bool, typer.Option("--suggested", help="Only undecided suggestions.")] = False,
    accepted: Annotated[bool, typer.Option("--accepted", help="Only accepted codes.")] = False,
    rejected: Annotated[bool, typer.Option("--rejected", help="Only rejected codes.")] = False,
    sort: Annotated[str, typer.Option("--sort", help="score (best first), id, extracts, participants or decision.")] = "score",
    coder: Annotated[Optional[str], typer.Option("--coder", help="This coder's codes (analysis/2-codes.NAME.yaml).")] = None,
    as_json: Json = False,
) -> None:
    """A table of the codes with their evidence.

    Example: thematic codes list studie/ --suggested --sort score
    """
    from thematic.decide import list_codes

    which = "suggested" if suggested else "accepted" if accepted else "rejected" if rejected else None
    with failing():
        rows = list_codes(study, which, sort, coder)
    if as_json:
        from dataclasses import asdict

        emit_json({"codes": [asdict(r) for r in rows]})
        return
    print_rows(f"thematic codes list {study}" + (f" --{which}" if which else "") + (f" --coder {coder}" if coder else ""),
               ("code", "decision", "extracts", "people", "score", "forms"),
               [(r.id, r.decision, str(r.extracts), str(r.participants),
                 "" if r.score is None else f"{r.score:.2f}", ", ".join(r.forms[:3])) for r in rows])


def _decide(study: Path, decision: str, ids: Optional[List[str]], top: int, all_suggested: bool, match: Optional[str],
            coder: Optional[str]) -> None:
    from thematic.decide import set_decisions

    with failing():
        report(set_decisions(study, decision, ids or [], top, all_suggested, match, coder), study)


@codes.command()
def accept(study: Study, ids: Ids = None, top: Top = 0, all_suggested: AllSuggested = False, match: Match = None,
           coder: Coder = None) -> None:
    """Accept codes: they count in phases 3-6 (with --coder: in that coder's coding).

    Example: thematic codes accept studie/ --top 10
    """
    _decide(study, "accepted", ids, top, all_suggested, match, coder)


@codes.command()
def reject(study: Study, ids: Ids = None, top: Top = 0, all_suggested: AllSuggested = False, match: Match = None,
           coder: Coder = None) -> None:
    """Reject codes: they and their extracts leave phases 3-6 (with --coder: that coder's coding).

    Example: thematic codes reject studie/ prat start
    """
    _decide(study, "rejected", ids, top, all_suggested, match, coder)


@codes.command()
def rename(study: Study, code: Annotated[str, typer.Argument(help="The code id.")],
           new_name: Annotated[str, typer.Argument(help="The new name (its id is made from it).")],
           coder: Coder = None) -> None:
    """Rename a code: it counts under the new name (decision renamed:<new name>).

    Example: thematic codes rename studie/ angst "Angst og uro"
    """
    from thematic.decide import rename_code

    with failing():
        report(rename_code(study, code, new_name, coder), study)


@codes.command()
def merge(study: Study, code: Annotated[str, typer.Argument(help="The code to merge.")],
          into: Annotated[str, typer.Argument(help="The code id its extracts go to.")],
          coder: Coder = None) -> None:
    """Merge a code into another: its extracts count there (decision merged:<id>).

    Example: thematic codes merge studie/ kasse arbeidsoppgave
    """
    from thematic.decide import merge_code

    with failing():
        report(merge_code(study, code, into, coder), study)


@codes.command()
def add(
    study: Study,
    label: Annotated[str, typer.Argument(help="The code's name (its id is made from it).")],
    item: Annotated[str, typer.Option("--item", help="The data item (transcript id) the extract is from.")],
    text: Annotated[str, typer.Option("--text", help="The extract, word for word as in the transcript.")],
    coder: Coder = None,
) -> None:
    """Add a code of your own with an extract (again with the same name: one more extract).

    Example: thematic codes add studie/ "Å bli sett" --item mentor-01 --text "Hun så meg."
    """
    from thematic.decide import add_code

    with failing():
        report(add_code(study, label, item, text, coder), study)
