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


def ok(*args: object) -> str:
    """A command that must succeed; its output."""
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result.output


def fails(*args: object) -> str:
    """A command that must fail with our one-line error; its output on one line."""
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    return " ".join(result.output.split())
