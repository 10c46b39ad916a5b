"""The README's decision commands run as written, on a copy of the analysed example."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
import typer

from helpers import invoke, load
from thematic.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
GROUPS = ("codes", "themes", "extracts")


def readme_block(heading: str) -> list[list[str]]:
    """The commands of the first bash block after a heading, without their # comments."""
    section = README[README.index(heading):]
    block = section[section.index("```bash\n") + 8:section.index("```", section.index("```bash\n") + 8)]
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


def test_the_decision_commands_of_the_readme_run_as_written(analysed_example: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EDITOR", "true")  # `themes define` without --text opens it; `true` changes nothing
    shutil.copytree(analysed_example, tmp_path / "studie")
    for command in readme_block("## Deciding from the command line"):
        assert command[0] == "thematic"
        result = invoke(*command[1:])
        assert result.exit_code == 0, (command, result.output)
    themes = {t["id"]: t for t in load(tmp_path / "studie", "5-themes.yaml")["themes"]}
    assert "gruppe-01:1464" not in str(themes.get("tema-dokumentasjon-og-rapportering", {}).get("chosen_extracts"))


@pytest.mark.parametrize("group", GROUPS)
def test_every_subcommand_has_help_with_an_example_and_is_in_the_readme(group: str):
    commands = typer.main.get_command(app).commands[group].commands
    for name, command in commands.items():
        if command.hidden:
            continue
        result = invoke(group, name, "--help")
        assert result.exit_code == 0 and f"Example: thematic {group} {name}" in result.output, name
        assert f"thematic {group} {name}" in README, name
