"""A researcher's `# comments` in an artefact, carried into the machine's rewrite of it.

PyYAML drops comments, so a rewrite would delete them. Each comment is anchored to the YAML path
of what it stands next to (records by their id, so `codes[tidspress].decision`): a comment on its
own line belongs to the next content line, a trailing one to its own line. In the new text each
goes back beside the same path; one whose path is gone is kept at the end of the file, marked with
where it stood. Nothing is parsed or scanned unless the old text has a `#` that could be one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

import yaml

from thematic.yaml_guard import PlainLoader

Path_ = tuple[Any, ...]
END: Path_ = ("<end>",)
GONE = "# [gone: "
_CANDIDATE = re.compile(r"(?:^|(?<=\s))#")


@dataclass(frozen=True)
class Comment:
    anchor: Path_
    text: str  # "# ..." lines as written (full-line) or one "# ..." (trailing)
    trailing: bool


def might_have_comments(text: str) -> bool:
    """A cheap test that lets files without comments skip all the work below."""
    return _CANDIDATE.search(text) is not None


def comments_of(text: str, node: yaml.Node | None) -> list[Comment]:
    """Every comment in text (whose node tree is given), with the path it belongs to."""
    if node is None or not might_have_comments(text):
        return []
    inside = _scalar_cover(node)
    paths = _line_paths(node)
    found: list[Comment] = []
    pending: list[str] = []
    for number, line in enumerate(text.split("\n")):
        column = _comment_column(line, number, inside)
        if column is None:
            if line.strip() and pending:
                found.append(Comment(paths.get(number, END), "\n".join(pending), False))
                pending = []
            continue
        if line[:column].strip():
            found.append(Comment(paths.get(number, END), line[column:].rstrip(), True))
        else:
            pending.append(line[column:].rstrip())
    if pending:
        found.append(Comment(END, "\n".join(pending), False))
    return found


def with_comments(text: str, comments: list[Comment]) -> tuple[str, list[Comment]]:
    """text with each comment beside its path again, and the comments whose path is gone
    (appended at the end, marked with where they stood)."""
    if not comments:
        return text, []
    lines = text.split("\n")
    starts = _path_lines(yaml.compose(text, Loader=PlainLoader))
    before: dict[int, list[str]] = {}
    orphans: list[Comment] = []
    for comment in comments:
        line = starts.get(comment.anchor)
        if line is None:
            orphans.append(comment) if comment.anchor != END else None
        elif comment.trailing:
            lines[line] = f"{lines[line]}  {comment.text}"
        else:
            indent = lines[line][: len(lines[line]) - len(lines[line].lstrip())]
            before.setdefault(line, []).extend(indent + c for c in comment.text.split("\n"))
    tail = [c.text for c in comments if c.anchor == END] + [_marked(c) for c in orphans]
    body = [x for number, line in enumerate(lines) for x in before.get(number, []) + [line]]
    while body and body[-1] == "":
        body.pop()
    return "\n".join(body + tail) + "\n", orphans


def where(anchor: Path_) -> str:
    """A path as the researcher reads it: codes[tidspress].decision."""
    out = ""
    for part in anchor:
        out += f"[{part[1]}]" if isinstance(part, tuple) else f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".")


def _marked(comment: Comment) -> str:
    if comment.text.startswith(GONE):
        return comment.text
    return "\n".join(f"{GONE}{where(comment.anchor)}] {line}" for line in comment.text.split("\n"))


def _comment_column(line: str, number: int, inside: dict[int, list[tuple[int, int]]]) -> int | None:
    """Where a comment starts on this line, or None: a # after space that no scalar covers."""
    for match in _CANDIDATE.finditer(line):
        if not any(start <= match.start() < end for start, end in inside.get(number, ())):
            return match.start()
    return None


def _scalar_cover(node: yaml.Node) -> dict[int, list[tuple[int, int]]]:
    """line -> column ranges that scalars (keys and values) cover: a # there is text, not a comment."""
    cover: dict[int, list[tuple[int, int]]] = {}
    for scalar in _nodes(node):
        if not isinstance(scalar, yaml.ScalarNode):
            continue
        first, last = scalar.start_mark, scalar.end_mark
        for line in range(first.line, last.line + 1):
            start = first.column if line == first.line else 0
            end = last.column if line == last.line else 1 << 30
            cover.setdefault(line, []).append((start, end))
    return cover


def _nodes(node: yaml.Node) -> Iterator[yaml.Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, yaml.MappingNode):
            stack.extend(n for pair in current.value for n in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _walk(node: yaml.Node) -> Iterator[tuple[int, Path_]]:
    """(line, path) of every key and list item, parents before children (a collection itself is
    not yielded: it starts on the line of its first key or item, which is that key's or item's)."""
    stack: list[tuple[yaml.Node, Path_]] = [(node, ())]
    while stack:
        current, path = stack.pop()
        if isinstance(current, yaml.MappingNode):
            children = [(value, path + (key.value,), key) for key, value in current.value]
        elif isinstance(current, yaml.SequenceNode):
            children = [(item, path + (_item_key(item, i),), item) for i, item in enumerate(current.value)]
        else:
            continue
        for _, child_path, start in children:
            yield start.start_mark.line, child_path
        stack.extend((child, child_path) for child, child_path, _ in reversed(children))


def _item_key(item: yaml.Node, index: int) -> Any:
    """A list item by its id (records keep their id across rewrites), else by position."""
    if isinstance(item, yaml.MappingNode):
        for key, value in item.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode):
                return ("id", value.value)
    return index


def _line_paths(node: yaml.Node) -> dict[int, Path_]:
    """line -> the shallowest path that starts on it (a record's line is the record)."""
    out: dict[int, Path_] = {}
    for line, path in _walk(node):
        out.setdefault(line, path)
    return out


def _path_lines(node: yaml.Node | None) -> dict[Path_, int]:
    """path -> the line it starts on (a key's own line, even where its value starts below)."""
    out: dict[Path_, int] = {}
    for line, path in _walk(node) if node is not None else ():
        out.setdefault(path, line)
    return out
