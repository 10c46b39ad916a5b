"""Small helpers the end-to-end tests share: run the CLI, read an artefact."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from thematic.cli import app

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "arbeidsinkludering"
runner = CliRunner()


def invoke(*args: object):
    """`thematic ARGS...` in-process, as a user would type it."""
    return runner.invoke(app, [str(a) for a in args])


def load(study: Path, name: str) -> dict:
    """An artefact of the study's analysis folder, parsed."""
    return yaml.safe_load((study / "analysis" / name).read_text(encoding="utf-8"))
