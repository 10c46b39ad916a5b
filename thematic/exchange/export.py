"""`thematic export`: one call that reads the study once and writes it as a REFI-QDA project
(.qdpx), its codebook (.qdc) or CSV tables, where the researcher asked or beside the analysis."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from thematic.errors import ThematicError

FORMATS = ("qdpx", "qdc", "csv")
CSV_DIR = "csv"  # analysis/csv/ unless -o says otherwise


@dataclass
class Exported:
    """What an export wrote, for the CLI's line and --json."""

    path: Path
    format: str
    bytes: int = 0
    sources: int = 0
    themes: int = 0
    codes: int = 0
    selections: int = 0
    codings: int = 0
    cases: int = 0
    variables: int = 0
    notes: int = 0
    rows: int = 0
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "path": str(self.path), "files": [str(p) for p in self.files]}


def export(root: Path, fmt: str, output: Path | None = None, excel: bool = False) -> Exported:
    """Write the study in `fmt` to `output` (default: beside the analysis, named after the study)."""
    if fmt not in FORMATS:
        raise ThematicError(f"export: unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    if excel and fmt != "csv":
        raise ThematicError("export: --excel is for --format csv (it adds the BOM Excel needs to show æøå)")
    from thematic.exchange.snapshot import take_snapshot

    _check_coded(root)
    snapshot = take_snapshot(root, text=fmt == "csv", corpus=fmt != "qdc")
    target = output if output is not None else default_path(snapshot.analysis_dir, snapshot.root, fmt)
    if fmt == "csv":
        from thematic.exchange.csv_tables import write_tables

        return write_tables(snapshot, target, excel)
    from thematic.exchange.qdpx import write_qdc, write_qdpx

    return (write_qdpx if fmt == "qdpx" else write_qdc)(snapshot, target)


def _check_coded(root: Path) -> None:
    """An export needs phase 2's codes and extracts: before them, say which command makes them."""
    from thematic.errors import ProjectError
    from thematic.phases import BY_NAME
    from thematic.project import load_project

    project = load_project(root)
    artefact = project.analysis_dir / BY_NAME["code"].artefact
    if not artefact.is_file():
        raise ProjectError(f"{artefact}: missing, so there is nothing to export yet", fix=f"thematic run {project.root}")


def default_path(analysis_dir: Path, root: Path, fmt: str) -> Path:
    """analysis/<study folder>.qdpx (or .qdc), analysis/csv/ for the tables."""
    from thematic.slug import slugify

    if fmt == "csv":
        return analysis_dir / CSV_DIR
    return analysis_dir / f"{slugify(root.resolve().name) or 'study'}.{fmt}"
