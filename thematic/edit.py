"""Surgical edits of a YAML file a person also edits: change one value, keep every other byte.

PyYAML drops comments and layout, so a command that rewrote the whole file would undo the
researcher's own formatting. Instead the file is parsed once; an edit replaces exactly the text
span of one `key: value` pair (found from the node tree's marks) with the project's own rendering
of it (thematic.artefacts.dumps, so `renamed:Unge menn: overgang` comes out quoted); a missing key
becomes a new line at its record's indentation, a new record a new item after the last one. A
flow mapping (`moves: {a: b}`) stays a flow mapping. Edits are kept as patches on the original
text, so any number of them cost no second parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from thematic.artefacts import FlowMap, Loaded, dumps, load_artefact, load_yaml, write_atomic
from thematic.errors import ArtefactError
from thematic.yaml_guard import PlainLoader

Keys = tuple[Any, ...]
_TRAILING_BLANK_LINES = re.compile(r"(?:\n[ \t]*)+\Z")


@dataclass
class _Patch:
    start: int
    end: int
    text: str
    order: int


class Editable:
    """One YAML file open for edits: its parsed data (kept in step with the edits) and patches."""

    def __init__(self, loaded: Loaded, text: str, crlf: bool = False) -> None:
        self.loaded, self.path, self.original, self.crlf = loaded, loaded.path, text, crlf
        self._patches: dict[tuple, _Patch] = {}
        self._on_disk: str | None = text  # what the file holds now: the original until a save (None: no file yet)

    @classmethod
    def open(cls, path: Path, schema: str | None = None) -> Editable:
        """Parse the file once (an artefact's schema checked when given)."""
        loaded = load_artefact(path, schema) if schema else load_yaml(path)
        raw = path.read_bytes()
        return cls(loaded, path.read_text(encoding="utf-8"), crlf=b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n"))

    @classmethod
    def from_text(cls, path: Path, text: str, on_disk: str | None = None, crlf: bool = False) -> Editable:
        """A file as a command will write it, from its own YAML text (a new file, or one with
        records appended that later edits change): edited like any other, written by the first
        save (so a command that fails writes nothing), which is refused unless the file still
        holds on_disk (None: there is no file yet)."""
        loader = PlainLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node)
        finally:
            loader.dispose()
        doc = cls(Loaded(path, data, node), text, crlf)
        doc._on_disk = on_disk
        return doc

    @property
    def data(self) -> Any:
        return self.loaded.data

    def set(self, keys: Keys, value: Any) -> bool:
        """Set the value at keys (mapping keys and list indexes); False when it already was that."""
        keys = tuple(keys)
        parent = self._node(keys[:-1])
        if ("insert", keys) in self._patches:  # a key this session added: write it again
            _assign(self.data, keys, value)
            self._insert_key(keys, value, parent)
            return True
        if not (isinstance(parent, yaml.MappingNode) and not parent.flow_style and parent.value):
            return self._set_container(keys, value, parent)
        pair = next(((k, v) for k, v in parent.value if k.value == keys[-1]), None)
        if pair is not None and _get(self.data, keys) == value and type(_get(self.data, keys)) is type(value):
            return False
        _assign(self.data, keys, value)
        if pair is None:
            self._insert_key(keys, value, parent)
        else:
            start = pair[0].start_mark.index
            self._patch(("replace", start), start, self._value_end(pair[1]), self._pair_text(keys, value))
        return True

    def append(self, keys: Keys, item: Any) -> None:
        """Add item at the end of the list at keys (a block list gets a new item after its last)."""
        keys = tuple(keys)
        node = self._node(keys)
        current = _get(self.data, keys)
        if not (isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value):
            self.set(keys, [*(current or []), item])
            return
        current.append(item)
        at = self._line_end(self._value_end(node.value[-1]))
        text = _indented(dumps([item]).rstrip("\n"), node.start_mark.column, first=True)
        self._patch(("append", keys, len(current)), at, at, "\n" + text)

    def delete(self, keys: Keys) -> bool:
        """Remove a `key: value` line of a block mapping (one that is not the first of a list item);
        False when the key is not there."""
        keys = tuple(keys)
        parent = self._node(keys[:-1])
        pair = next(((k, v) for k, v in parent.value if k.value == keys[-1]), None) \
            if isinstance(parent, yaml.MappingNode) and not parent.flow_style else None
        if pair is None:
            return False
        start = self.original.rfind("\n", 0, pair[0].start_mark.index) + 1
        if self.original[start:pair[0].start_mark.index].strip():
            raise ArtefactError(f"{self.path}:{self.line_of(keys)}: cannot remove {keys[-1]} from the line it shares")
        end = min(self._line_end(self._value_end(pair[1])) + 1, len(self.original))
        self._patch(("replace", pair[0].start_mark.index), start, end, "")
        container = _get(self.data, keys[:-1])
        container.pop(keys[-1], None)
        return True

    def render(self) -> str:
        """The file's text with every edit applied."""
        out, pos = [], 0
        for patch in sorted(self._patches.values(), key=lambda p: (p.start, p.order)):
            if patch.start < pos:
                raise ArtefactError(f"{self.path}: two edits overlap; make them one at a time")
            out += [self.original[pos:patch.start], patch.text]
            pos = patch.end
        out.append(self.original[pos:])
        return "".join(out)

    @property
    def changed(self) -> bool:
        """Whether the text differs from the file as it was opened."""
        return self.render() != self.original

    def save(self) -> bool:
        """Write the edited file atomically; False (and nothing written) when the file already
        holds this text (an edit undone before a save writes nothing)."""
        text = self.render()
        if text == self._on_disk:
            return False
        if self._disk_text() != self._on_disk:
            raise ArtefactError(f"{self.path}: changed since it was read (by a run or an editor); nothing written",
                                fix="give the command again")
        write_atomic(self.path, text.replace("\n", "\r\n") if self.crlf else text)
        self._on_disk = text
        return True

    def _disk_text(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def line_of(self, keys: Keys) -> int:
        return self.loaded.line_of(keys)

    # -- inside ------------------------------------------------------------------------------

    def _node(self, keys: Keys) -> yaml.Node | None:
        node = self.loaded.node
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == key), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
            else:
                return None
        return node

    def _set_container(self, keys: Keys, value: Any, parent: yaml.Node | None) -> bool:
        """The parent is a flow mapping, empty or null: write the whole parent again, in flow style."""
        if not keys[:-1] or (parent is not None and not isinstance(parent, (yaml.MappingNode, yaml.ScalarNode))):
            raise ArtefactError(f"{self.path}:{self.line_of(keys[:-1])}: cannot set {'.'.join(map(str, keys))} here")
        container = _get(self.data, keys[:-1])
        updated = dict(container) if isinstance(container, dict) else {}
        if keys[-1] in updated and updated[keys[-1]] == value:
            return False
        updated[keys[-1]] = value
        return self.set(keys[:-1], FlowMap(updated))

    def _insert_key(self, keys: Keys, value: Any, parent: yaml.MappingNode) -> None:
        """A new `key: value` line at the mapping's indentation, after its last one-line pair (so
        it never lands inside a list that another edit appends to)."""
        one_line = [v for _, v in parent.value if isinstance(v, yaml.ScalarNode) and v.style not in ("|", ">")
                    or isinstance(v, yaml.CollectionNode) and v.flow_style]
        at = self._line_end(self._value_end((one_line or [parent.value[-1][1]])[-1]))
        column = parent.value[0][0].start_mark.column
        self._patch(("insert", keys), at, at, "\n" + " " * column + self._pair_text(keys, value))

    def _pair_text(self, keys: Keys, value: Any) -> str:
        column = self._column(keys)
        return _indented(dumps({keys[-1]: value}).rstrip("\n"), column, first=False)

    def _column(self, keys: Keys) -> int:
        parent = self._node(keys[:-1])
        if isinstance(parent, yaml.MappingNode) and parent.value:
            return parent.value[0][0].start_mark.column
        return 0

    def _patch(self, key: tuple, start: int, end: int, text: str) -> None:
        order = self._patches[key].order if key in self._patches else len(self._patches)
        self._patches[key] = _Patch(start, end, text, order)

    def _value_end(self, node: yaml.Node) -> int:
        """Where a value's own text ends: a block scalar without its trailing blank lines, a block
        collection at its last leaf (not at the next key, past comments between them)."""
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                span = self.original[node.start_mark.index:node.end_mark.index]
                return node.start_mark.index + len(_TRAILING_BLANK_LINES.sub("", span))
            return node.end_mark.index
        if node.flow_style or not node.value:
            return node.end_mark.index
        last = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
        return self._value_end(last)

    def _line_end(self, index: int) -> int:
        end = self.original.find("\n", index)
        return len(self.original) if end < 0 else end


def _indented(text: str, column: int, first: bool) -> str:
    """Text moved right by column spaces: every line after the first (and the first if asked)."""
    pad = " " * column
    lines = text.split("\n")
    return "\n".join((pad + line if line and (i or first) else line) for i, line in enumerate(lines))


def _get(data: Any, keys: Keys) -> Any:
    for key in keys:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def _assign(data: Any, keys: Keys, value: Any) -> None:
    parent = _get(data, keys[:-1])
    if isinstance(parent, (dict, list)):
        parent[keys[-1]] = value
