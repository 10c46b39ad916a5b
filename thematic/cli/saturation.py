"""thematic saturation: the code-discovery curve, honestly framed."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from thematic.cli._util import HERE, Json, Study, app, emit_json, failing, out, say, warn

if TYPE_CHECKING:
    from thematic.saturation import ChartRow, Saturation

BAR_WIDTH = 30  # the chart's other columns take 49: 79 in all
MARKS = {"base": "b", "run": "r", "": " "}


@app.command(name="saturation")
def saturation(
    study: Study = HERE,
    runs: Annotated[int, typer.Option("--runs", min=0, max=100_000, help="Random orders of the interviews for the band.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random orders (same seed, same output).")] = 0,
    base: Annotated[int, typer.Option("--base", min=1, help="Base size: the first interviews whose codes the new ones are measured against.")] = 4,
    run_length: Annotated[int, typer.Option("--run-length", min=1, help="Run length: how many following interviews are checked for new codes.")] = 2,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=0.99, help="New-information threshold: at most this share of the base's codes (0.05 = 5%).")] = 0.05,
    as_json: Json = False,
) -> None:
    """The code-discovery curve: new codes per interview (in collection order when participants.yaml
    gives every interview a date: or order:, else file order) and a band over random orders; in
    codebook and coding-reliability TA, Guest, Namey & Chen's (2020) saturation verdict; in reflexive
    TA, the curve as information only and information-power prompts. Writes analysis/saturation.svg.

    Example: thematic saturation studie/ --runs 500 --seed 1
    """
    from thematic.project import load_project
    from thematic.saturation import assess

    with failing():
        result = assess(load_project(study), runs, seed, base, run_length, threshold)
    if as_json:
        emit_json(result.as_dict())
        return
    warn(result.warnings)
    _show(result, study)


def _show(result: Saturation, study: Path) -> None:
    from thematic.saturation import INFORMATION_POWER, REFLEXIVE_NOTE

    if result.reflexive:
        say(REFLEXIVE_NOTE)
    draft = " (a draft: no code is accepted yet, the machine's suggestions stand in)" if result.draft else ""
    found = result.totals[-1] if result.items else 0
    codes = f"{result.codes} codes that count" if found == result.codes else \
        f"{found} of the {result.codes} codes that count found in them"
    say(f"thematic saturation {study}: {len(result.items)} interviews, {codes}{draft}")
    say(f"order: {result.order_note}")
    _chart(result)
    if result.reflexive:
        say("Information power (Malterud, Siersma & Guassora 2016), prompts for your method section:")
        for dimension, prompt in INFORMATION_POWER:
            say(textwrap.fill(f"{dimension}: {prompt}", width=max(min(out.width, 80), 40), initial_indent="  ",
                              subsequent_indent="    "))
    else:
        say(f"verdict: {result.verdict_text()}")
        _random_line(result)
    say(f"image: {result.image}")


def _random_line(result: Saturation) -> None:
    summary = result.random_summary()
    if not summary:
        return
    where = (f", at interview {summary['median']:g} (median; 10th-90th percentile {summary['p10']:g}-{summary['p90']:g})"
             if summary["reached"] else "")
    say(f"random orders: reached in {summary['reached']} of {summary['orders']} (seed {result.settings['seed']}){where}")


def _chart(result: Saturation) -> None:
    """One line per interview (or per bin in a large study): new codes as a bar, the random
    orders' 90th percentile as a lighter bar behind it."""
    from rich.text import Text

    rows = result.chart()
    band = bool(result.band)
    say(f"{'#':>7}   {'interview':<16} {'new':>4} {'total':>5} {'p10-p90' if band else '':>9}")
    top = max([r.new for r in rows] + [r.band.p90 for r in rows if r.band] + [1])
    for row in rows:
        line = Text(f"{row.label:>7} {MARKS[row.mark]} {_cut(row.items, 16):<16} {row.new:>4} {row.total:>5} "
                    f"{_band_text(row):>9}  ", style="bold" if row.mark else "")
        full, behind = round(row.new * BAR_WIDTH / top), round((row.band.p90 if row.band else 0) * BAR_WIDTH / top)
        line.append("█" * full, style="green")
        line.append("░" * max(behind - full, 0), style="dim")
        out.print(line, no_wrap=True, overflow="crop")
    legend = ["█ new codes"] + (["░ up to the 90th percentile of random orders"] if band else [])
    if not result.reflexive and not result.verdict.why:
        legend = ["b base", *(["r the run that met the threshold"] if result.verdict.at is not None else []), *legend]
    say("  " + "; ".join(legend))


def _band_text(row: ChartRow) -> str:
    return f"{row.band.p10:g}-{row.band.p90:g}" if row.band else ""


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
