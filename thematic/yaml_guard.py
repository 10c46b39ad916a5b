"""Limits for YAML a person may have edited: bounded size, nesting and alias expansion, and only
the plain types artefacts use, so a hand-edited or hostile file is refused with one line instead
of exhausting memory, crashing the C parser or failing later in a hash."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from thematic.errors import ArtefactError

MAX_BYTES = 64_000_000  # far above any artefact a person reads; parsing stays in bounded memory
MAX_DEPTH = 500  # artefacts nest ~10 deep; libyaml's C composer overflows the stack near 30,000
MAX_ALIAS_NODES = 100_000  # nodes that aliases may add by repetition ("billion laughs")
_BRACKETS = re.compile(r"[\[\]{}]")
_DEEP_BLOCK = re.compile(rf"^(?:[ \t]{{{MAX_DEPTH},}}|[ \t]*(?:[-?:][ \t]+){{{MAX_DEPTH},}})", re.M)
_ANCHOR_OR_TAG = re.compile(r"(?:^|[\s\[{,])[&!]\S")
PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map", "merge"))


def _where(path: Path, text: str, offset: int) -> str:
    return f"{path}:{text.count(chr(10), 0, offset) + 1}"


def check_size(path: Path) -> None:
    """Refuse a file too large to be an artefact before reading it."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ArtefactError(f"{path}: {size // 1_000_000} MB is too large for a YAML file "
                            f"(limit {MAX_BYTES // 1_000_000} MB); refused without reading it")


def check_nesting(path: Path, text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH (an upper bound: brackets in quoted text count too)."""
    depth = 0
    for m in _BRACKETS.finditer(text):
        depth = depth + 1 if m.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            raise ArtefactError(f"{_where(path, text, m.start())}: nested more than {MAX_DEPTH} levels deep; refused")
    deep = _DEEP_BLOCK.search(text)
    if deep:
        raise ArtefactError(f"{_where(path, text, deep.start())}: nested more than {MAX_DEPTH} levels deep; refused")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def check_tree(path: Path, text: str, root: yaml.Node | None) -> None:
    """Refuse recursive aliases, aliases that expand past MAX_ALIAS_NODES, and tags other than
    plain str/int/float/bool/null/list/map (!!binary, !!set, !!timestamp...)."""
    if root is None or not _ANCHOR_OR_TAG.search(text):
        return
    size: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        if finished:
            open_nodes.discard(id(node))
            size[id(node)] = 1 + sum(size[id(c)] for c in _children(node))
            if size[id(node)] > len(size) + MAX_ALIAS_NODES:
                raise ArtefactError(f"{path}:{node.start_mark.line + 1}: aliases expand too far; refused")
            continue
        if id(node) in size:
            continue
        if id(node) in open_nodes:
            raise ArtefactError(f"{path}:{node.start_mark.line + 1}: recursive alias; refused")
        if node.tag not in PLAIN_TAGS:
            tag = node.tag.removeprefix("tag:yaml.org,2002:")
            raise ArtefactError(f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}: "
                                f"unsupported type {tag!r}; write it as plain text")
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))


class PlainLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader without implicit timestamps: "notes: 2024-05-01" stays the text it looks like."""


PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in PlainLoader.yaml_implicit_resolvers.items()
}
