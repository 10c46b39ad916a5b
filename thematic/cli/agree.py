"""thematic agree: agreement between coders, for codebook and coding-reliability studies."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from thematic.cli._util import HERE, Json, Study, app, emit_json, failing, listing, print_rows, say, warn

if TYPE_CHECKING:
    from thematic.agreement import Agreement


@app.command()
def agree(
    study: Study = HERE,
    coders: Annotated[Optional[str], typer.Option("--coders", help="The coders to compare, e.g. anna,bjorn (default: every coder with a file).")] = None,
    as_json: Json = False,
    csv: Annotated[Optional[Path], typer.Option("--csv", help="Also write agreement-codes.csv and agreement-disagreements.csv to this folder.")] = None,
) -> None:
    """Agreement between coders: Krippendorff's alpha, Cohen's kappa and percentage agreement per
    code and over all codes, on the informant turns, and the disagreeing extracts to discuss.

    Each coder's coding is analysis/2-codes.NAME.yaml (thematic codes accept|reject|rename|merge|add
    --coder NAME). Phases 3-6 read 2-codes.yaml, the agreed coding. For codebook and
    coding-reliability studies: in a reflexive study (approach: reflexive) nothing is computed.

    Example: thematic agree studie/ --coders anna,bjorn
    """
    from thematic.agreement import agreement, write_csv

    with failing():
        result = agreement(study, [c.strip() for c in coders.split(",") if c.strip()] if coders else None)
        written = write_csv(result, csv) if csv is not None and result.reason is None else []
    if as_json:
        emit_json(asdict(result))
        return
    warn(result.warnings)
    if result.reason:
        say(result.reason)
        return
    _print(result, study)
    for path in written:
        say(f"wrote {path}")


def _print(result: Agreement, study: Path) -> None:
    say(f"{len(result.coders)} coders ({', '.join(result.coders)}), {result.units} informant turns, "
        f"{len(result.codes)} codes ({result.approach} approach)")
    say(f"Krippendorff's alpha {_num(result.alpha)} (nominal, each turn x code a unit); "
        f"kappa {_num(result.kappa)} ({result.kappa_method}, mean over codes)")
    say(f"agreement {_pct(result.agreement)} of turn x code pairs; {_pct(result.alike)} of turns given the same codes")
    if result.unused:
        say(f"left out, as no coder applied them: {', '.join(result.unused)}")
    print_rows(f"thematic agree {study}: per code (turns each coder gave it)",
               ("code", *result.coders, "agree", "kappa", "alpha"),
               [(c.code, *(str(c.coded[n]) for n in result.coders), _pct(c.agreement), _num(c.kappa), _num(c.alpha))
                for c in result.codes], prose=0)
    if not result.disagreements:
        say("no disagreements")
        return
    say(f"disagreements to discuss: {len(result.disagreements)} extracts in turns the coders code differently")
    for d in result.disagreements:
        listing(f"{d.code}: {d.item}, turn {d.turn}, line {d.line or '?'}; coded by {', '.join(d.coded_by)}", d.text)


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"
