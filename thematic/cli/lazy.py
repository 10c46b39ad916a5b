"""A command costs its own module: the `thematic` group imports a command's module when the command
is asked for, and coerces the values a command line gives without pydantic.

typer builds the click group from every registered command, and a pydantic adapter per parameter
of the command that runs: importing every command module and pydantic took about 0.4 s of each
`thematic find` or `status`. LazyCommands is the group's command table: looking up one name imports
the module that registers it (thematic.cli.COMMANDS); listing them (help, completion, a typo's
"did you mean") imports all. QuickParam gives typer's results for plain text, whole numbers,
numbers, paths and lists of text, and hands any other value to typer's own coercion.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from importlib import import_module
from pathlib import Path
from typing import Any, Callable, Iterator, get_args, get_origin

_NO = object()
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


class LazyCommands(MutableMapping):
    """name -> click command, built on first use from the modules imported so far (`build`)."""

    def __init__(self, built: dict[str, Any], build: Callable[[], dict[str, Any]]) -> None:
        self.built, self._build, self._complete = built, build, False

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            from thematic.cli import COMMANDS

            if name in COMMANDS:
                import_module(f"thematic.cli.{COMMANDS[name]}")
                self._add()
            if name not in self.built:  # a command the table does not know yet: every module
                self._load_all()
        return self.built[name]

    def _add(self) -> None:
        for name, command in self._build().items():
            self.built.setdefault(name, command)

    def _load_all(self) -> None:
        if self._complete:
            return
        from thematic.cli import MODULES

        for module in MODULES:
            import_module(f"thematic.cli.{module}")
        self._add()
        self._complete = True

    def __iter__(self) -> Iterator[str]:
        """In the order of thematic.cli.COMMANDS (as `thematic --help` lists them), then the rest."""
        from thematic.cli import COMMANDS

        self._load_all()
        return iter([n for n in COMMANDS if n in self.built] + [n for n in self.built if n not in COMMANDS])

    def __len__(self) -> int:
        self._load_all()
        return len(self.built)

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.built[name]


def quicker_params(command: Any) -> None:
    """Give each parameter of a command (and of a group's commands) a QuickParam, where typer
    would build its pydantic adapter on first use (typer without one is left as it is). The
    help option is made here (as click makes it, once per command) to get one too."""
    for param in [*getattr(command, "params", []), *_help_option(command)]:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and getattr(param, "_runtime_param", _NO) is None:
            param._runtime_param = QuickParam(descriptor)
    commands = getattr(command, "commands", None)
    if isinstance(commands, dict):
        for sub in commands.values():
            quicker_params(sub)


def _help_option(command: Any) -> list[Any]:
    try:
        option = command.get_help_option(command.context_class(command))
    except (AttributeError, TypeError):
        return []
    return [option] if option is not None else []


class QuickParam:
    """typer's runtime coercion for one parameter: the usual values here, the rest by typer."""

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self._typers: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        quick = _quick(self.descriptor, value, param, ctx)
        if quick is not _NO:
            return quick
        if self._typers is None:
            from typer._coercion import build_runtime_param

            self._typers = build_runtime_param(self.descriptor)
        return self._typers.coerce(value, param=param, ctx=ctx)


def _quick(descriptor: Any, value: Any, param: Any, ctx: Any) -> Any:
    """The value typer would give, or _NO when it takes typer's own coercion to say."""
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if info.parser is not None or getattr(info, "click_type", None) is not None or descriptor.file_annotation is not None:
        return _NO
    if value is None:
        return () if param.multiple or param.nargs == -1 else None
    if annotation is str:
        return value if isinstance(value, str) else _NO
    if annotation in (int, float):
        return _number(annotation, value, info)
    if annotation is Path and info.path_type is None and isinstance(value, (str, Path)):
        from typer._param_types import coerce_cli_path  # a Path in: typer checks it, without pydantic

        return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
    if get_origin(annotation) is list and get_args(annotation) == (str,) and isinstance(value, (list, tuple)):
        return list(value) if all(isinstance(v, str) for v in value) else _NO
    return _NO


def _number(kind: type, value: Any, info: Any) -> Any:
    """A whole number or decimal as written, inside its min and max; else typer says what is wrong."""
    if info.clamp or isinstance(value, bool):
        return _NO
    if isinstance(value, kind):
        number = value
    elif isinstance(value, str) and (_INTEGER if kind is int else _DECIMAL).fullmatch(value):
        number = kind(value)
    else:
        return _NO
    inside = (info.min is None or number >= info.min) and (info.max is None or number <= info.max)
    return number if inside else _NO
