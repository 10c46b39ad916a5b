"""thematic.cli.lazy: a command imports its own module only and no pydantic, while help,
completion and every command stay as they were."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import typer

from helpers import invoke, modules_loaded_by
from thematic.cli import COMMANDS, MODULES, app
from thematic.cli.lazy import _NO, QuickParam, _quick


def loaded_by(*args: str) -> list[str]:
    """The CLI modules and pydantic modules a fresh process imported to run `thematic ARGS`."""
    return [m for m in modules_loaded_by(*args) if m.startswith(("thematic.cli.", "pydantic"))]


def test_a_command_imports_its_own_module_and_no_pydantic(tiny_study: Path):
    assert loaded_by("status", str(tiny_study)) == ["thematic.cli._util", "thematic.cli.lazy", "thematic.cli.run"]
    assert loaded_by("memo", "list", str(tiny_study)) == ["thematic.cli._util", "thematic.cli.lazy", "thematic.cli.memo"]


def test_help_imports_every_module_and_lists_every_command_in_the_table_order():
    for module in MODULES:
        importlib.import_module(f"thematic.cli.{module}")
    registered = [info.name or info.callback.__name__.replace("_", "-") for info in app.registered_commands]
    registered += [info.name for info in app.registered_groups]
    assert set(registered) <= set(COMMANDS), "a command is missing from thematic.cli.COMMANDS"
    listed = list(typer.main.get_command(app).commands)
    assert listed == [name for name in COMMANDS if name in registered]
    help_text = invoke("--help").output
    assert all(f"  {name} " in help_text for name in listed if not getattr(typer.main.get_command(app).commands[name], "hidden", False))


def test_an_unknown_command_still_gets_a_suggestion():
    result = invoke("stauts")
    assert result.exit_code != 0 and "Did you mean" in result.output and "'status'" in result.output


class Param:
    multiple, nargs = False, 1


@pytest.mark.parametrize(("annotation", "value", "expected"), [
    (int, "12", 12), (int, 5, 5), (float, "0.5", 0.5), (str, "tema-x", "tema-x"), (Path, "studie", Path("studie")),
    (list[str], ("a", "b"), ["a", "b"]),
])
def test_plain_values_get_what_typer_gives_them(annotation, value, expected):
    from typer._coercion import build_runtime_param, resolve_type_descriptor
    from typer.models import OptionInfo

    descriptor = resolve_type_descriptor(annotation, OptionInfo())
    ours = _quick(descriptor, value, Param(), None)
    assert ours == expected and type(ours) is type(expected)
    assert build_runtime_param(descriptor).coerce(value, param=Param(), ctx=None) == ours


def test_other_values_are_left_to_typer_with_its_message():
    from typer._coercion import resolve_type_descriptor
    from typer.models import OptionInfo

    descriptor = resolve_type_descriptor(int, OptionInfo(min=1))
    assert _quick(descriptor, "0", Param(), None) is _NO and _quick(descriptor, "1e3", Param(), None) is _NO
    with pytest.raises(typer.BadParameter):
        QuickParam(descriptor).coerce("0", Param(), None)
    result = invoke("codes", "accept", ".", "--top", "x")
    assert result.exit_code == 2 and "--top" in result.output
