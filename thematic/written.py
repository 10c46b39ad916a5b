"""What the machine last wrote of each artefact, kept beside it so that a decision costs what it
changes: a JSON copy of the data (the shadow) and, in the lock's JSON copy, a digest of each
top-level piece of the text (a top-level key, or one record of a top-level list such as
`- id: tidspress`). After an edit,
only the pieces whose text changed are parsed; the rest are the copy's. Anything else (a record
added, moved or removed, a changed `meta:`, YAML that needs its context) is parsed in full.
"""

from __future__ import annotations

import hashlib
import json
import re
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from thematic.artefacts import Loaded, sha256_bytes, temp_files_of, write_atomic
from thematic.errors import ThematicError
from thematic.yaml_guard import PlainLoader, check_nesting, check_tree

if TYPE_CHECKING:
    from thematic.phases import PhaseSpec
    from thematic.project import Project

_PIECE = re.compile(r"^(?=[^\s#])", re.M)  # a line that starts a top-level key or list record
_FAILED = object()


@dataclass(frozen=True)
class Change:
    """A record of a top-level list whose text changed: as written, and as it is now."""

    key: str
    index: int
    written: Any
    now: Any


@dataclass(frozen=True)
class Current:
    """An artefact's data as it is now, and the records that differ from what the machine wrote."""

    data: Any
    changes: list[Change] = field(default_factory=list)


def shadow_path(project: Project, spec: PhaseSpec) -> Path:
    """A JSON copy of what the machine last wrote, to name the field a researcher changed."""
    return project.machine_dir / "written" / f"{spec.schema}.json"


def lock_copy_path(project: Project) -> Path:
    """The lock as JSON, with the pieces of each artefact it names (one file, written with it)."""
    return project.machine_dir / "written" / "lock.json"


def pieces(text: str) -> list[tuple[str, int, str]]:
    """(key, index in its list or -1 for the key itself, text) per top-level piece; a preamble of
    comments is key "" (blank and comment lines stay with the piece they follow)."""
    starts = [m.start() for m in _PIECE.finditer(text)]
    bounds = starts if starts and starts[0] == 0 else [0, *starts]
    out: list[tuple[str, int, str]] = []
    key, index = "", 0
    for a, b in zip(bounds, [*bounds[1:], len(text)]):
        chunk = text[a:b]
        if a == 0 and bounds is not starts:
            out.append(("", -1, chunk))
        elif chunk[:2] in ("- ", "-\n"):
            out.append((key, index, chunk))
            index += 1
        else:
            key, index = chunk.split(":", 1)[0], 0
            out.append((key, -1, chunk))
    return out


def _digest(chunk: str) -> str:
    return hashlib.blake2b(chunk.encode("utf-8"), digest_size=12).hexdigest()


def record(project: Project, spec: PhaseSpec, artefact_sha: str, semantic: str | None,
           previous: Any) -> dict[str, Any] | None:
    """The pieces of the artefact the machine wrote (its hash is the lock's; the previous record
    while that is of the same file), once its shadow is known to be that write's (the same
    semantic digest); None when the file or the shadow is another."""
    if isinstance(previous, dict) and previous.get("artefact") == artefact_sha:
        return previous
    path, shadow = project.analysis_dir / spec.artefact, shadow_path(project, spec)
    try:
        data, shadow_text = path.read_bytes(), shadow.read_bytes()
        if sha256_bytes(data) != artefact_sha or not semantic or _semantic(json.loads(shadow_text)) != semantic:
            return None
        listed = [[key, index, _digest(chunk)] for key, index, chunk in pieces(data.decode("utf-8"))]
    except (OSError, ValueError):
        return None
    return {"artefact": artefact_sha, "shadow": sha256_bytes(shadow_text), "pieces": listed}


def lock_copy(project: Project) -> dict[str, Any]:
    """What lock_copy_path holds ({} when there is none or it is unreadable)."""
    try:
        data = json.loads(lock_copy_path(project).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_cache(path: Path, text: str) -> None:
    """An atomic write of a file only we read (not forced to disk: its reader checks it), first
    clearing the temp file of a write that was killed (a run holds the study lock, so no other
    write of it is under way)."""
    for leftover in temp_files_of(path):
        leftover.unlink(missing_ok=True)
    write_atomic(path, text, cache=True)


def _semantic(data: Any) -> str:
    from thematic.lock import digests

    return digests(data)["semantic"]


_CURRENT: dict[tuple[Path, str], Current] = {}


def current(project: Project, spec: PhaseSpec) -> Current | None:
    """The artefact's data from the machine's copy and its changed records, or None when only a
    full parse can tell (no record of the write, or an edit beyond records). Once per content."""
    path = project.analysis_dir / spec.artefact
    try:
        data = path.read_bytes()
    except OSError:
        return None
    key = (path, sha256_bytes(data))
    if key not in _CURRENT:
        found = _splice(project, spec, path, data.decode("utf-8", errors="replace"))
        if found is None:
            return None
        if len(_CURRENT) > 16:
            _CURRENT.clear()
        _CURRENT[key] = found
    return _CURRENT[key]


def spliced(project: Project, spec: PhaseSpec) -> Any | None:
    """The artefact's data from the machine's copy with only the records edited since parsed,
    if the phase accepts it; None when only a full parse can tell."""
    now = current(project, spec)
    path = project.analysis_dir / spec.artefact
    return now.data if now is not None and accepted(spec, Loaded(path, now.data, None)) else None


def accepted(spec: PhaseSpec, loaded: Loaded) -> bool:
    """Whether the phase accepts the data; if not, the full parse says where (with its line)."""
    try:
        spec.impl.validate(loaded)
    except ThematicError:
        return False
    return True


def _splice(project: Project, spec: PhaseSpec, path: Path, text: str) -> Current | None:
    record = (lock_copy(project).get("pieces") or {}).get(spec.schema)
    try:
        shadow_text = shadow_path(project, spec).read_bytes()
    except OSError:
        return None
    if not isinstance(record, dict):
        return None
    now = pieces(text)
    listed = record.get("pieces") if sha256_bytes(shadow_text) == record.get("shadow") else None
    if not isinstance(listed, list) or [p[:2] for p in listed] != [[k, i] for k, i, _ in now]:
        return None
    data = json.loads(shadow_text)
    changes = []
    for (key, index, chunk), (_, _, digest) in zip(now, listed):
        if _digest(chunk) != digest:
            if key == "" and _parse(path, chunk) is None:  # only the comments above everything
                continue
            change = _changed(path, data, key, index, chunk)
            if change is None:
                return None
            changes.append(change)
    for change in changes:
        data[change.key] = list(data[change.key])
        data[change.key][change.index] = change.now
    return Current(data, changes)


def _changed(path: Path, data: Any, key: str, index: int, chunk: str) -> Change | None:
    """One changed record parsed alone, or None if it is not a record the machine wrote."""
    if index < 0 or not isinstance(data, dict) or not isinstance(data.get(key), list) or index >= len(data[key]):
        return None
    parsed = _parse(path, chunk)
    if not (isinstance(parsed, list) and len(parsed) == 1 and isinstance(parsed[0], dict)):
        return None
    written, now = data[key][index], parsed[0]
    if not isinstance(written, dict) or "manual" in (written.get("origin"), now.get("origin")):
        return None  # the researcher's own records: machine_view drops them, so indexes shift
    return Change(key, index, written, now)


def _parse(path: Path, text: str) -> Any:
    """A piece parsed alone with the guards of a whole file; _FAILED if it does not parse."""
    loader = None
    try:
        check_nesting(path, text)
        loader = PlainLoader(text)
        node = loader.get_single_node()
        check_tree(path, text, node)
        return loader.construct_document(node) if node is not None else None
    except (yaml.YAMLError, ThematicError, ValueError, TypeError, OverflowError, RecursionError):
        return _FAILED
    finally:
        if loader is not None:
            loader.dispose()
