"""thematic export: the study as a REFI-QDA project (.qdpx), codebook (.qdc) or CSV tables."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from thematic.cli._util import HERE, Json, Quiet, Study, app, emit_json, failing, say, warn

if TYPE_CHECKING:
    from thematic.exchange.export import Exported


class Format(str, Enum):
    qdpx = "qdpx"
    qdc = "qdc"
    csv = "csv"


@app.command()
def export(
    study: Study = HERE,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="qdpx: the whole project for ATLAS.ti, MAXQDA, NVivo, QualCoder (REFI-QDA); qdc: the codebook alone; csv: extracts.csv and codes-by-participant.csv.")] = Format.qdpx,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The file (qdpx, qdc) or folder (csv) to write; default: in the analysis folder, named after the study.")] = None,
    excel: Annotated[bool, typer.Option("--excel", help="CSV with a BOM, so Excel shows æøå (R and pandas read it either way).")] = False,
    as_json: Json = False,
    quiet: Quiet = False,
) -> None:
    """Write the codes that count (your decisions applied), the themes, every extract, the
    participants with their attributes and your memos, for another program: a REFI-QDA project
    or codebook, or CSV tables. The same study gives the same bytes.

    Example: thematic export studie/ --format qdpx -o studie.qdpx
    """
    from thematic.exchange.export import export as run_export

    with failing():
        done = run_export(study, fmt.value, output, excel)
    if as_json:
        emit_json(done.as_dict())
        return
    if not quiet:
        warn(done.warnings)
    say(_summary(done))


def _summary(done: Exported) -> str:
    size = f"{done.bytes / 1e6:.1f} MB" if done.bytes >= 100_000 else f"{done.bytes / 1e3:.1f} kB"
    if done.format == "csv":
        files = ", ".join(p.name for p in done.files)
        return (f"wrote {done.path}/ ({files}; {size}): {_n(done.rows, 'extract row')}, {_n(done.codes, 'code')}, "
                f"{_n(done.cases, 'participant')}")
    if done.format == "qdc":
        return f"wrote {done.path} ({size}): {_n(done.themes, 'theme')}, {_n(done.codes, 'code')}"
    return (f"wrote {done.path} ({size}): {_n(done.sources, 'source')}, {_n(done.themes, 'theme')}, "
            f"{_n(done.codes, 'code')}, {_n(done.selections, 'selection')} with {_n(done.codings, 'coding')}, "
            f"{_n(done.cases, 'case')}, {_n(done.variables, 'variable')}, {_n(done.notes, 'note')}")


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
