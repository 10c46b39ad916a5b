"""Deterministic YAML in and out: stable bytes, atomic writes, errors that name file:line."""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

from thematic import __version__
from thematic.errors import ArtefactError
from thematic.yaml_guard import PlainLoader, check_nesting, check_size, check_tree
from thematic.yaml_hints import yaml_hint

SCHEMA_VERSION = 1
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# Fields the researcher owns: the machine never overwrites them, and "notes" never make
# downstream phases stale (they are memos, not analytic decisions).
HUMAN_FIELDS = frozenset(
    {"notes", "decision", "reason", "name", "definition", "central_organising_concept", "narrative", "moves",
     "named_with", "orphaned", "chosen_extracts"}
)
MEMO_FIELDS = frozenset({"notes"})


class Flow(list):
    """A short list written on one line, e.g. a span: [120, 184]."""


class FlowMap(dict):
    """A short mapping written on one line, e.g. {shared: 12, share: 0.21}."""


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else None  # maps and memos stay readable as blocks
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(
    Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)
_Dumper.add_representer(
    FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True)
)


def dumps(data: Any) -> str:
    """YAML text with keys in insertion order, unicode as-is and one value per line."""
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000,
        default_flow_style=False,
    )


def file_mode(path: Path) -> int:
    """The mode an ordinary new file gets (0644 under umask 022), or the existing file's own."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, text: str, cache: bool = False) -> None:
    """Write via a temp file in the same folder, fsync, rename: old or new, never half. A full or
    read-only disk is one ArtefactError naming the file; the old file and no temp file remain.
    cache=True: a copy only we read, checked when read (replace_cache)."""
    try:
        (replace_cache if cache else replace_atomically)(path, [text.encode("utf-8")])
    except OSError as exc:
        raise ArtefactError(f"{path}: cannot write ({exc.strerror or exc})") from None


def replace_atomically(path: Path, parts: Iterable[bytes]) -> None:
    """The bytes behind every atomic write (artefacts, NLP caches): a temp file with the usual
    mode, fsync, rename; OSError is left to the caller, who knows whether the file matters."""
    _replace(path, parts, flush=True)


def replace_cache(path: Path, parts: Iterable[bytes]) -> None:
    """replace_atomically without the fsync, for a cache whose reader checks it (a hash or key
    inside) and recomputes it when it is wrong: renamed whole, so never seen half written, but
    a power cut may lose it. A decision re-run writes a dozen such copies, and an fsync takes
    milliseconds on a busy disk."""
    _replace(path, parts, flush=False)


def _replace(path: Path, parts: Iterable[bytes], flush: bool) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where the folder should be: say so, not "File exists"
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)) from None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, file_mode(path))  # mkstemp makes 0600: shared study folders need the usual mode
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                handle.write(part)
            handle.flush()
            if flush:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def temp_files_of(path: Path) -> list[Path]:
    """The temp files a killed write_atomic(path, ...) left (.NAME.<8 random>.tmp, as mkstemp
    names them); a researcher's own .mine.tmp never matches."""
    own = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")
    return [p for p in path.parent.glob(f".{glob.escape(path.name)}.*.tmp") if own.fullmatch(p.name)]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hash read in chunks (a stray huge file costs no memory); unreadable is a ThematicError."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as exc:
        raise ArtefactError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return digest.hexdigest()


def canonical_hash(data: Any) -> str:
    """Hash of a value independent of YAML formatting. Hand-edited YAML may hold keys of mixed
    types ({12: x, null: y}) that JSON cannot sort: those are hashed with typed keys, so the
    phase's own validation, not the hash, reports them with their line."""
    try:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        text = json.dumps(_typed_keys(data), ensure_ascii=False, sort_keys=True, default=repr)
    return sha256_bytes(text.encode())


def _typed_keys(data: Any) -> Any:
    if isinstance(data, dict):
        return {f"{type(k).__name__}:{k}": _typed_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_typed_keys(v) for v in data]
    return data


def without_fields(data: Any, fields: Iterable[str]) -> Any:
    """A copy of data with the given mapping keys removed at every depth."""
    return _without(data, frozenset(fields))


def _without(data: Any, fields: frozenset[str]) -> Any:
    """without_fields below the top: the set made once, not once per value (a 1M-word codes
    file has ~17,000 of them, and status digests it after every decision)."""
    if isinstance(data, dict):
        return {k: _without(v, fields) for k, v in data.items() if k not in fields}
    if isinstance(data, list):
        return [_without(v, fields) for v in data]
    return data


@dataclass
class Loaded:
    """Parsed YAML plus its node tree, so a schema error can name the line of the field."""

    path: Path
    data: Any
    node: yaml.Node | None

    def line_of(self, keys: Iterable[Any]) -> int:
        """1-based line of the value at keys (dict keys / list indexes); nearest parent if absent."""
        node, line = self.node, 1
        for key in keys:
            if node is None:
                break
            line = node.start_mark.line + 1
            node = _child(node, key)
        return node.start_mark.line + 1 if node is not None else line

    def records(self, key: str, what: str) -> list[dict]:
        """The list under `key` whose items are mappings with an id, or an error naming the line."""
        items = self.data.get(key) if isinstance(self.data, dict) else None
        if not isinstance(items, list):
            raise self.error([key], f"{key} must be a list")
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise self.error([key, i], f"each {what} needs an id")
        return items

    def error(self, keys: Iterable[Any], message: str, fix: str | None = None) -> ArtefactError:
        keys = list(keys)
        return ArtefactError(f"{self.path}:{self.line_of(keys)}: {message}", fix)


def _child(node: yaml.Node, key: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for knode, vnode in node.value:
            if knode.value == key:
                return vnode
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def load_yaml(path: Path) -> Loaded:
    """Parse a YAML file or raise ArtefactError with file:line:column."""
    try:
        check_size(path)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ArtefactError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ArtefactError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ArtefactError(f"{path}: cannot read ({exc.strerror or exc})") from None
    check_nesting(path, text)
    loader = PlainLoader(text)
    try:
        node = loader.get_single_node()
        check_tree(path, text, node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise ArtefactError(f"{where}: invalid YAML: {problem}", fix=yaml_hint(text, exc)) from None
    except yaml.reader.ReaderError as exc:
        raise ArtefactError(f"{_position(path, text, exc.position)}: invalid YAML: control character "
                            f"U+{exc.character:04X} is not allowed; delete it") from None
    except yaml.YAMLError as exc:
        raise ArtefactError(f"{path}: invalid YAML: {exc}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise ArtefactError(f"{path}: invalid value in YAML ({type(exc).__name__}: {str(exc)[:80]})") from None
    finally:
        loader.dispose()
    return Loaded(path, data, node)


def _position(path: Path, text: str, byte_offset: int) -> str:
    """file:line:column of a reader error's offset (libyaml counts UTF-8 bytes), as editors count them."""
    counts_bytes = hasattr(yaml, "CSafeLoader") and issubclass(PlainLoader, yaml.CSafeLoader)
    offset = len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore")) if counts_bytes else byte_offset
    line_start = text.rfind("\n", 0, offset) + 1
    return f"{path}:{text.count(chr(10), 0, offset) + 1}:{offset - line_start + 1}"


def meta_block(phase: int, name: str, params: dict, inputs: dict[str, str], pipeline: dict | None) -> dict:
    """The meta: block every artefact starts with (no timestamps: same inputs, same bytes)."""
    meta: dict[str, Any] = {
        "schema": f"thematic/{name}@{SCHEMA_VERSION}",
        "phase": phase,
        "tool": f"thematic {__version__}",
    }
    if pipeline:
        meta["pipeline"] = pipeline
    meta["params"] = params
    meta["inputs"] = dict(sorted(inputs.items()))
    return meta


def load_artefact(path: Path, name: str) -> Loaded:
    """Load an artefact and check it is the one we expect, of a schema version we can read."""
    loaded = load_yaml(path)
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("meta"), dict):
        raise loaded.error([], "not a thematic artefact (no meta: block at the top)")
    schema = data["meta"].get("schema")
    expected = f"thematic/{name}@{SCHEMA_VERSION}"
    if schema != expected:
        raise loaded.error(["meta", "schema"], *_schema_problem(schema, name))
    return loaded


def _schema_problem(schema: Any, name: str) -> tuple[str, str | None]:
    """What is wrong with meta.schema: another artefact, or a version this thematic cannot read."""
    found, _, version = str(schema).rpartition("@")
    if found != f"thematic/{name}" or not version.isdigit():
        return f"meta.schema is {schema!r}; expected 'thematic/{name}@{SCHEMA_VERSION}'", None
    if int(version) > SCHEMA_VERSION:
        return (f"unknown schema version {version} (this thematic {__version__} reads version {SCHEMA_VERSION})",
                "upgrade thematic (pip install -U thematic)")
    return (f"old schema version {version} (this thematic reads version {SCHEMA_VERSION})",
            "move the file aside and re-run the phase; copy your decisions back by hand")
