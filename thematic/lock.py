"""thematic.lock and the state of each phase: fresh, stale, edited, hand-edited or missing.

As in weasel's project.lock, an entry holds the hashes of a phase's inputs and params and of
what it wrote. Unlike weasel, an artefact that differs from what was written is compared with
a copy of it, so a researcher's decisions ("edited") are told apart from edits to machine-owned
fields ("hand-edited"), which a run refuses to overwrite without --force.
"""

from __future__ import annotations

import errno
import json
import os
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from importlib import util
from pathlib import Path
from typing import Any, Callable, Iterator

try:
    import fcntl
except ImportError:  # Windows: no study lock (see study_lock)
    fcntl = None  # type: ignore[assignment]

from thematic.artefacts import (
    HUMAN_FIELDS, MEMO_FIELDS, Loaded, canonical_hash, dumps, load_artefact, load_yaml, sha256_bytes,
    sha256_file, without_fields, write_atomic,
)
from thematic.corpus import corpus_paths
from thematic.errors import ArtefactError, ProjectError, ThematicError
from thematic.file_hashes import file_hashes
from thematic.phases import BY_NAME, PHASES, PhaseSpec
from thematic.project import PROJECT_FILE, Project
from thematic.memos import MEMO_FILE
from thematic.store import STORE_FILE, store_matches
from thematic.versions import installed_version
from thematic.written import accepted, current, lock_copy, lock_copy_path, record, shadow_path, write_cache

FRESH, STALE, EDITED, HAND_EDITED, MISSING, INVALID = "fresh", "stale", "edited", "hand-edited", "missing", "invalid"


@dataclass(frozen=True)
class PhaseState:
    spec: PhaseSpec
    status: str
    detail: str = ""


def read_lock(project: Project) -> dict[str, Any]:
    """The lock; from its JSON copy while that is of these very bytes (no YAML to parse)."""
    if not project.lock_path.is_file():
        return {}
    with suppress(OSError, ValueError):
        sha = sha256_file(project.lock_path)
        copy = lock_copy(project)
        if copy.get("sha256") == sha and isinstance(copy.get("lock"), dict):
            return copy["lock"]
    data = load_yaml(project.lock_path).data
    return data if isinstance(data, dict) else {}


def write_lock(project: Project, lock: dict[str, Any]) -> None:
    """Write the lock, then its JSON copy with the pieces of each artefact it names as written
    (thematic.written): one more write per lock, so the next status reads neither in YAML."""
    ordered = {name: lock[name] for name in BY_NAME if name in lock}
    text = _lock_text(ordered)
    write_atomic(project.lock_path, text)
    with suppress(ThematicError, OSError):  # a cache: a failure only costs the next status time
        previous = lock_copy(project).get("pieces") or {}
        pieces = {}
        for spec in (p for p in PHASES if p.is_yaml and isinstance(ordered.get(p.name), dict)):
            entry = ordered[spec.name]
            written = (entry.get("outputs") or {}).get(project.relative(project.analysis_dir / spec.artefact))
            found = record(project, spec, written, (entry.get("digests") or {}).get("semantic"), previous.get(spec.schema)) if written else None
            if found:
                pieces[spec.schema] = found
        copy = {"sha256": sha256_bytes(text.encode("utf-8")), "lock": ordered, "pieces": pieces}
        write_cache(lock_copy_path(project), json.dumps(copy, ensure_ascii=False))


_ENTRY_TEXTS: dict[str, str] = {}


def _lock_text(ordered: dict[str, Any]) -> str:
    """dumps(ordered), each phase's entry dumped once per process and content: a run writes the
    lock after every phase it runs, and the entries of the others are the same each time. A block
    mapping's YAML is its keys' YAML one after another; an entry of other types than JSON's
    (a Flow list...) is dumped afresh, as JSON text could not tell it from a plain one."""
    if not ordered:
        return dumps(ordered)
    parts = []
    for name, entry in ordered.items():
        if not _plain(entry):
            parts.append(dumps({name: entry}))
            continue
        key = json.dumps([name, entry], ensure_ascii=False)
        if key not in _ENTRY_TEXTS:
            if len(_ENTRY_TEXTS) > 64:
                _ENTRY_TEXTS.clear()
            _ENTRY_TEXTS[key] = dumps({name: entry})
        parts.append(_ENTRY_TEXTS[key])
    return "".join(parts)


def _plain(value: Any) -> bool:
    """Only dicts with text keys, text, numbers, booleans and None: what JSON text says exactly."""
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return value is None or type(value) in (str, int, float, bool)


def run_lock_path(project: Project) -> Path:
    """The file whose flock says a run is writing this study (it holds that run's pid). Beside
    thematic.yaml, so a run that fails before writing anything leaves no analysis folder."""
    return project.root / ".thematic-run.lock"


@contextmanager
def study_lock(project: Project) -> Iterator[None]:
    """One writing run per study at a time. An flock, so the kernel drops it however its holder
    dies: a killed run's lock is simply free again. A read-only file system needs none."""
    fd = _open_run_lock(project)
    if fd is None:
        yield
        return
    try:
        _acquire(project, fd)
        with suppress(OSError):  # the pid only names the holder; a full disk must not stop the run
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            with suppress(OSError):
                os.ftruncate(fd, 0)  # still held: an empty file means "just being taken or let go"
    finally:
        os.close(fd)


def _open_run_lock(project: Project) -> int | None:
    path = run_lock_path(project)
    if fcntl is None:
        return None
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        if exc.errno == errno.EROFS:  # nobody can write here, so no run needs keeping out
            return None
        raise ArtefactError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _acquire(project: Project, fd: int) -> None:
    """Take the lock or name the run that holds it; retried only in the instants when the
    holder has the lock but its pid is not (or no longer) in the file."""
    for _ in range(200):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = _live_pid(os.pread(fd, 32, 0))
            if holder:
                raise ProjectError(f"another thematic run is working on {project.root} (pid {holder})") from None
            time.sleep(0.01)
    raise ProjectError(f"another thematic run is working on {project.root} (pid unknown)")


def _live_pid(text: bytes) -> int | None:
    """The pid written in the lock file if that process exists (a killed run's stays behind)."""
    try:
        pid = int(text.split()[0])
        if pid <= 0:
            return None
        os.kill(pid, 0)
    except (ValueError, IndexError, OverflowError, ProcessLookupError):
        return None
    except PermissionError:  # another user's process: alive
        pass
    return pid


def pipeline_key(project: Project) -> dict[str, str]:
    """What decides NLP results, without importing spaCy (status must stay fast)."""
    model = project.settings["nlp"]["model"]
    if model == "auto":
        model = next((n for n in ("nb_core_news_lg", "nb_core_news_md", "nb_core_news_sm") if _installed(n)), "blank")
    versions = {"model": model}
    meta = project.root / model / "meta.json"
    if meta.is_file():  # a pipeline folder of the study's own: its meta says which training run
        versions["model_meta"] = sha256_file(meta)
    language = project.settings["language"]
    packages = ("spacy", "spacy-lookups-data", "wordfreq", model) + (("simplemma",) if language != "nb" else ())
    if language != "nb":  # bokmål studies keep the key (and so the lock) they had
        versions["language"] = language
    for package in packages:
        version = installed_version(package)
        if version is not None:
            versions[package] = version
    return versions


@lru_cache(maxsize=None)
def _installed(module: str) -> bool:
    """Whether a pipeline package is installed; asked once per process (status asks per phase)."""
    return util.find_spec(module) is not None


def digests(data: Any) -> dict[str, str]:
    """What later phases depend on in an artefact: its content without memo fields (notes never
    make a phase stale) and each own human field a phase applies to itself ("moves")."""
    out = {"semantic": canonical_hash(without_fields(data, MEMO_FIELDS))}
    store = data.get("extract_store") if isinstance(data, dict) else None
    if isinstance(store, dict) and isinstance(store.get("digest"), str):
        out["store"] = store["digest"]  # the extract store beside it must be this one (phase_state)
    for dep in (d for p in PHASES for d in p.deps if "#" in d):
        out[dep] = canonical_hash((data.get(dep.partition("#")[2]) if isinstance(data, dict) else None) or {})
    return out


def _digest(project: Project, spec: PhaseSpec, key: str, lock: dict[str, Any]) -> str:
    """A digest from the lock while the file is the one the machine wrote (a no-change run then
    parses no YAML: a 1M-word study's codes file takes seconds to load); else from the file,
    after a decision edit from the machine's copy and the changed records (thematic.written)."""
    path = project.analysis_dir / spec.artefact
    entry = lock.get(spec.name) or {}
    if key in entry.get("digests", {}) and entry.get("outputs", {}).get(project.relative(path)) == sha256_file(path):
        return entry["digests"][key]
    if not spec.is_yaml:
        return sha256_file(path)
    return _digests(project, spec, sha256_file(path))[key]


_DIGESTS: dict[tuple[Path, str], dict[str, str]] = {}


def _digests(project: Project, spec: PhaseSpec, sha256: str) -> dict[str, str]:
    """digests() of an artefact's current data, once per process and content (every later phase
    asks for the codes file's)."""
    key = (project.analysis_dir / spec.artefact, sha256)
    if key not in _DIGESTS:
        now = current(project, spec)
        _DIGESTS[key] = digests(now.data if now else _parsed(key[0], spec.schema, sha256).data)
    return _DIGESTS[key]


def known_semantic(path: Path, sha256: str) -> str | None:
    """The semantic digest of this content of an artefact if this process has made it already
    (a decision re-run's staleness check digests the edited codes file; its copy needs it too)."""
    return (_DIGESTS.get((path, sha256)) or {}).get("semantic")


@lru_cache(maxsize=8)
def _parsed(path: Path, schema: str, sha256: str) -> Loaded:
    """An artefact parsed once per process and content (status and a run ask for 2-codes.yaml's
    digests once per later phase); read-only: callers never change what it returns."""
    return load_artefact(path, schema)


_SNAPSHOT: list[Any] = [None, {}]


def _file_inputs(lock: dict[str, Any], dep: str, hashed: Callable[[], dict[str, str]]) -> dict[str, str]:
    """The hashes of a dependency's files (the transcripts...), once per read of the lock: a run
    or a status hashes the corpus once, not once per phase. Keyed by the lock object, which
    lives as long as that one run or status."""
    if _SNAPSHOT[0] is not lock:
        _SNAPSHOT[:] = [lock, {}]
    memo = _SNAPSHOT[1]
    if dep not in memo:
        memo[dep] = hashed()
    return memo[dep]


def current_inputs(project: Project, spec: PhaseSpec, lock: dict[str, Any]) -> dict[str, str] | None:
    """Input name -> hash; None when an upstream artefact is missing."""
    inputs: dict[str, str] = {}
    for dep in spec.deps:
        if dep in SETTING_DEPS:
            inputs[f"{PROJECT_FILE}#{dep}"] = canonical_hash({key: project.settings[key] for key in SETTING_DEPS[dep]})
        if dep in FILE_DEPS:
            inputs.update(_file_inputs(lock, dep, lambda dep=dep: FILE_DEPS[dep](project)))
        elif "#" in dep:  # "themes#moves": a human field its own phase applies (an edit re-runs it)
            upstream = BY_NAME[dep.partition("#")[0]]
            present = (project.analysis_dir / upstream.artefact).is_file()
            name = f"{project.settings['analysis_dir']}/{upstream.artefact}#{dep.partition('#')[2]}"
            inputs[name] = _digest(project, upstream, dep, lock) if present else canonical_hash({})
        elif dep in BY_NAME:
            upstream = BY_NAME[dep]
            if not (project.analysis_dir / upstream.artefact).is_file():
                return None
            inputs[f"{project.settings['analysis_dir']}/{upstream.artefact}"] = _digest(project, upstream, "semantic", lock)
    return dict(sorted(inputs.items()))


def _files(paths: list[Path], project: Project) -> dict[str, str]:
    return file_hashes(project, paths)


# Settings of thematic.yaml a dependency reads: which files are transcripts and how they are split
# into turns (interviewer labels, language), and the TA approach the report's method names.
SETTING_DEPS: dict[str, tuple[str, ...]] = {"corpus": ("corpus", "language"), "approach": ("approach",)}

FILE_DEPS: dict[str, Callable[[Project], dict[str, str]]] = {
    "corpus": lambda project: _files(corpus_paths(project), project),
    "participants": lambda project: _files([project.participants_path] if project.participants_path.is_file() else [], project),
    # the researcher's journal: the report's appendix quotes it
    "memos": lambda project: {MEMO_FILE: sha256_file(project.root / MEMO_FILE)} if project.root.joinpath(MEMO_FILE).is_file() else {},
    "codebooks": lambda project: _files(project.codebook_paths(), project),
}


def params_for(project: Project, spec: PhaseSpec) -> dict[str, Any]:
    params = project.params(spec.name)
    return {**params, "pipeline": pipeline_key(project)} if spec.uses_nlp else params


def first_difference(old: Any, new: Any, path: str = "") -> str | None:
    """Dotted path of the first machine-owned value that differs, e.g. codes[tid].evidence."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            found = first_difference(old.get(key), new.get(key), f"{path}.{key}" if path else str(key))
            if found:
                return found
        return None
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return f"{path} (length {len(old)} -> {len(new)})"
        for i, (a, b) in enumerate(zip(old, new)):
            label = a.get("id", i) if isinstance(a, dict) else i
            found = first_difference(a, b, f"{path}[{label}]")
            if found:
                return found
        return None
    return None if old == new else path


def machine_view(data: Any) -> Any:
    """The artefact without the researcher's fields and records (manual codes are theirs)."""
    if isinstance(data, dict):
        return {k: machine_view(v) for k, v in data.items() if k not in HUMAN_FIELDS}
    if isinstance(data, list):
        return [machine_view(v) for v in data if not (isinstance(v, dict) and v.get("origin") == "manual")]
    return data


def hand_edit(project: Project, spec: PhaseSpec) -> str | None:
    """The machine-owned field changed since the machine wrote the artefact, or None."""
    path = project.analysis_dir / spec.artefact
    shadow = shadow_path(project, spec)
    if not shadow.is_file():
        return None
    if not spec.is_yaml:
        return None if json.loads(shadow.read_text(encoding="utf-8")) == path.read_text(encoding="utf-8") else "the text"
    now = current(project, spec)
    if now is not None and accepted(spec, Loaded(path, now.data, None)):
        return next((found for c in now.changes if (found := first_difference(
            machine_view(c.written), machine_view(c.now), f"{c.key}[{c.written.get('id', c.index)}]"))), None)
    written = json.loads(shadow.read_text(encoding="utf-8"))
    loaded = _parsed(path, spec.schema, sha256_file(path))
    spec.impl.validate(loaded)
    return first_difference(machine_view(written), machine_view(loaded.data))


def phase_state(project: Project, spec: PhaseSpec, lock: dict[str, Any]) -> PhaseState:
    path = project.analysis_dir / spec.artefact
    if not path.is_file():
        return PhaseState(spec, MISSING)
    try:
        inputs = current_inputs(project, spec, lock)
        entry = lock.get(spec.name) or {}
        if inputs is None or entry.get("inputs") != inputs or entry.get("params") != canonical_hash(params_for(project, spec)):
            return PhaseState(spec, STALE, _stale_reason(entry, inputs))
        store = entry.get("digests", {}).get("store")
        if store and not store_matches(project.machine_dir / STORE_FILE, store):
            return PhaseState(spec, STALE, f"{STORE_FILE} is missing or from another run")
        if entry.get("outputs", {}).get(project.relative(path)) == sha256_file(path):
            return PhaseState(spec, FRESH)
        field = hand_edit(project, spec)
    except ThematicError as exc:
        return PhaseState(spec, INVALID, str(exc))
    if field:
        return PhaseState(spec, HAND_EDITED, f"machine-owned field {field} changed")
    return PhaseState(spec, EDITED, "your decisions/notes; kept on every run")


def _stale_reason(entry: dict, inputs: dict | None) -> str:
    if inputs is None:
        return "an earlier phase has not run"
    if not entry:
        return "never run with this lock"
    changed = sorted(k for k in set(inputs) | set(entry.get("inputs", {})) if inputs.get(k) != entry["inputs"].get(k))
    return f"changed: {', '.join(changed[:3])}{' …' if len(changed) > 3 else ''}" if changed else "params changed"


def states(project: Project, lock: dict[str, Any] | None = None) -> list[PhaseState]:
    """State of every phase, in order; a phase after a stale one is stale too. `lock`: a run's
    own, as it wrote it (else the file is read)."""
    lock = read_lock(project) if lock is None else lock
    out: list[PhaseState] = []
    for spec in PHASES:
        state = phase_state(project, spec, lock)
        upstream_stale = any(s.status in (STALE, MISSING, INVALID) for s in out if s.spec.name in spec.deps)
        if upstream_stale and state.status in (FRESH, EDITED):
            state = PhaseState(spec, STALE, "an earlier phase will re-run")
        out.append(state)
    return out


def named_theme_changes(project: Project) -> list[str]:
    """Themes whose codes changed since the researcher named them (5-themes.yaml is small: read it)."""
    spec = BY_NAME["define"]
    path = project.analysis_dir / spec.artefact
    if not path.is_file():
        return []
    now = current(project, spec)  # as written, it is the machine's JSON copy
    themes = (now.data if now else load_artefact(path, spec.schema).data).get("themes") or []
    return [f"{t['id']} changed since you named it: +{len(c.get('added') or [])} codes, -{len(c.get('removed') or [])}"
            for t in themes if isinstance(t, dict) and isinstance(c := t.get("changed_since_named"), dict)]
