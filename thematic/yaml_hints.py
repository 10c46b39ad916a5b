"""The fix, in one line, for the usual slips in a hand-edited YAML file.

PyYAML says what its parser met ("mapping values are not allowed in this context"); a researcher
needs what to type instead. Each hint looks at the line the error names and says that: quote a
value with a colon in it (giving the quoted line), use spaces not tabs, line a key up with the
ones above it, close a quote or a bracket, double an apostrophe inside '...'.
"""

from __future__ import annotations

import re

import yaml

_KEY_VALUE = re.compile(r"^(?P<indent>[ ]*(?:- )?)(?P<key>[^\s:#'\"][^:#]*?):[ ]+(?P<value>.*?)\s*$")


def yaml_hint(text: str, exc: yaml.MarkedYAMLError) -> str | None:
    """What to write instead, for the error exc found in text; None when no hint fits."""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    problem = f"{exc.context or ''} {exc.problem or ''}"
    if "tab" in problem or "\t" in line[:max(mark.column, 1)]:
        return f"replace the tab on line {mark.line + 1} with spaces (YAML indents with spaces only)"
    if "quoted scalar" in problem and exc.context_mark is not None:
        return (f"the quote opened on line {exc.context_mark.line + 1} is never closed: close it, and inside "
                "'...' write an apostrophe as ''")
    if "flow mapping" in problem or "flow sequence" in problem:
        opened = exc.context_mark.line + 1 if exc.context_mark is not None else mark.line + 1
        return f"the {{ or [ opened on line {opened} is not closed, or a value in it needs quotes"
    if "mapping values are not allowed" in problem:
        return _colon_hint(lines, mark.line, mark.column)
    if "expected key" in problem and re.search(r"['\"]", line[:mark.column]):
        return f"text follows a closing quote on line {mark.line + 1}: write an apostrophe inside '...' as ''"
    return None


def _colon_hint(lines: list[str], number: int, column: int) -> str:
    """A second colon in a value (quote the value), or a key indented off its neighbours."""
    line = lines[number]
    found = _KEY_VALUE.match(line)
    if found and column > found.end("key") + 1:
        from thematic.artefacts import dumps  # here: artefacts imports this module

        quoted = dumps({found.group("key"): found.group("value")}).rstrip("\n")
        return f"put the value in quotes: {found.group('indent')}{quoted}"
    above = next((ln for ln in reversed(lines[:number]) if ln.strip() and not ln.lstrip().startswith("#")), "")
    want = len(above) - len(above.lstrip(" -")) if above.lstrip().startswith("- ") else len(above) - len(above.lstrip())
    have = len(line) - len(line.lstrip())
    return f"line {number + 1} is indented {have} spaces; line it up with the key above it ({want} spaces)"
