"""Every command teaches: help with an example line, and a place in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from helpers import invoke
from thematic.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(info.name for info in typer.main.get_command(app).commands.values())


def test_the_cli_has_the_commands_the_issue_names():
    assert {"init", "run", "status", "familiarise", "code", "themes", "review", "define", "report"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command: str):
    result = invoke(command, "--help")
    assert result.exit_code == 0 and f"Example: thematic {command}" in result.output
    assert f"thematic {command}" in README
