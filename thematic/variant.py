"""Variants: the study run with other settings into a folder of its own (sensitivity analysis).

`thematic run STUDY --set phases.themes.resolution=1.0 --out analysis-r10` runs every phase with
thematic.yaml's settings but the ones given, into analysis-r10/, which holds its own lock: neither
thematic.yaml, thematic.lock nor the main analysis folder is written (only the NLP cache, keyed by
text and pipeline, is shared). A value is read as YAML (1.0 is a number, [a, b] a list); a key
thematic.yaml does not know, or a value of another kind than the default's, is refused naming
the --set. The folder records what it changes in variant.yaml, so `--out analysis-r10` alone runs
it again as made, and another --set for it is refused rather than mixed in.

On its first run a variant starts from the main analysis as it stands: its artefacts with every
decision the researcher wrote there, their machine copies, the extract store and the lock entries
(its paths renamed) are copied in, so only the phases the change touches re-run. After that the
variant is its own: decisions made later in the main analysis do not flow into it (delete the
folder to start it again from the main analysis), and decisions tried in it stay there.
"""

from __future__ import annotations

import copy
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator

import yaml

from thematic.artefacts import Loaded, dumps, load_yaml, replace_atomically, write_atomic
from thematic.closest import did_you_mean
from thematic.errors import ArtefactError, ProjectError
from thematic.phases import PHASES
from thematic.project import DEFAULTS, OUTPUT_NAMES, Project, Variant, project_from, read_project_file
from thematic.yaml_guard import PlainLoader

VARIANT_FILE = "variant.yaml"
OUT_FIX = "give a folder of its own beside the main analysis, e.g. --out analysis-variant"
KINDS = ((bool, "true or false"), (int, "a whole number"), (float, "a number"), (str, "text"),
         (list, "a list, e.g. [a, b]"), (dict, "a mapping, e.g. {a: 1}"))


@dataclass
class _Given(Loaded):
    """thematic.yaml with the variant's values in place: an error in one of them names its option."""

    options: dict[tuple[str, ...], str] = field(default_factory=dict)

    def error(self, keys: Iterable[Any], message: str, fix: str | None = None) -> ArtefactError:
        keys = tuple(keys)
        option = next((o for path, o in self.options.items() if keys[:len(path)] == path), None)
        if option is None:
            return super().error(keys, message, fix)
        return ArtefactError(f"{option}: {message}", OUT_FIX if option.startswith("--out") else fix)


def load_variant(root: Path, sets: list[str], out: str | None) -> Project:
    """The study's project with the --set values, writing into --out (see the module's docstring)."""
    if out is None:
        raise ProjectError(f"--set {sets[0]}: a changed setting needs a folder of its own (--out); "
                           "thematic.yaml and the main analysis stay as they are",
                           fix=f"thematic run {shlex.quote(str(root))} --set {shlex.quote(sets[0])} --out analysis-variant")
    loaded = read_project_file(root)
    main = project_from(root, loaded)
    out = PurePosixPath(out.replace("\\", "/")).as_posix()
    given = dict(parse_set(text) for text in sets)
    project = _with(root, loaded, given, out)
    _check_folder(main, project, out)
    recorded = recorded_sets(project.analysis_dir)
    if recorded is not None and given and given != recorded:
        raise ProjectError(f"--out {out}: this variant was made with {_options(recorded) or 'no --set'}; "
                           "a variant keeps the settings it was made with",
                           fix=f"choose another --out, or delete {out} to make it again")
    if recorded:
        project = _with(root, loaded, recorded, out)
    project.variant = Variant(of=main.settings["analysis_dir"], sets=given or recorded or {})
    _check_codebooks(project)
    return project


def _check_codebooks(project: Project) -> None:
    """A codebook a --set names is found before the variant's folder is made (a run looks later)."""
    try:
        project.codebook_paths()
    except ProjectError as exc:
        sets = project.variant.sets if project.variant else {}
        if "codebooks" not in sets:
            raise
        raise ProjectError(f"--set {_option('codebooks', sets['codebooks'])}: {exc.message.split(': ', 1)[-1]}",
                           fix=exc.fix) from None


def _with(root: Path, loaded: Loaded, sets: dict[str, Any], out: str) -> Project:
    """The project whose thematic.yaml says these values and analysis_dir: out, validated."""
    data = copy.deepcopy(loaded.data or {})
    for key, value in sets.items():
        *parents, last = key.split(".")
        node = data
        for part in parents:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[last] = value
    data["analysis_dir"] = out
    options = {tuple(k.split(".")): f"--set {_option(k, v)}" for k, v in sets.items()}
    return project_from(root, _Given(loaded.path, data, loaded.node, {**options, ("analysis_dir",): f"--out {out}"}))


def parse_set(text: str) -> tuple[str, Any]:
    """KEY=VALUE as (dotted key, value read as YAML), the key one thematic.yaml knows and the
    value of its default's kind."""
    key, eq, raw = text.partition("=")
    key = key.strip()
    if not eq or not key:
        raise ProjectError(f"--set {text}: write KEY=VALUE", fix="e.g. --set phases.themes.resolution=1.0")
    try:
        value = yaml.load(raw, Loader=PlainLoader)  # noqa: S506 (the safe loader, without timestamps)
    except yaml.YAMLError as exc:
        raise ProjectError(f"--set {text}: the value is not YAML ({getattr(exc, 'problem', None) or exc})",
                           fix="quote text with spaces or colons, e.g. --set 'title=\"Ny tittel\"'") from None
    if key == "analysis_dir":
        raise ProjectError(f"--set {text}: a variant's folder is given with --out", fix=f"--out {raw}")
    default = _default(key, text)
    kind = next(name for t, name in KINDS if isinstance(default, t))
    if not _same_kind(value, default):
        like = f", like its default ({_scalar(default)})" if not isinstance(default, (dict, list)) else ""
        raise ProjectError(f"--set {text}: {key} must be {kind}{like}")
    return key, value


def _default(key: str, text: str) -> Any:
    """The default of a dotted key, or the error naming the first part thematic.yaml does not know."""
    node: Any = DEFAULTS
    parts = key.split(".")
    for depth, part in enumerate(parts):
        if not isinstance(node, dict) or part not in node:
            where = ".".join(parts[:depth])
            known = sorted(node) if isinstance(node, dict) else []
            inside = f" in {where}" if where else ""
            raise ProjectError(f"--set {text}: unknown setting {part!r}{inside}{did_you_mean(part, known)}",
                               fix=f"known{inside}: {', '.join(known)}" if known else f"{where} has no settings inside")
        node = node[part]
    return node


def _same_kind(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def _scalar(value: Any) -> str:
    """A value as YAML on one line, as --set takes it back."""
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000).removesuffix("\n...\n").strip()


def _option(key: str, value: Any) -> str:
    return f"{key}={_scalar(value)}"


def _options(sets: dict[str, Any]) -> str:
    return " ".join(f"--set {shlex.quote(_option(k, v))}" for k, v in sets.items())


def _check_folder(main: Project, variant: Project, out: str) -> None:
    """The variant's folder is neither the main analysis folder nor inside or around it, and it is
    a variant's (variant.yaml), new, or empty: thematic never writes into a folder it did not make."""
    target, own = variant.analysis_dir.resolve(), main.analysis_dir.resolve()
    if target == own or own in target.parents or target in own.parents:
        raise ProjectError(f"--out {out}: is{' inside' if own in target.parents else ''} the main analysis "
                           f"folder ({main.settings['analysis_dir']}){', or holds it' if target in own.parents else ''}",
                           fix=OUT_FIX)
    if target.is_dir() and not (target / VARIANT_FILE).is_file() and any(target.iterdir()):
        raise ProjectError(f"--out {out}: the folder exists and is not a variant's (no {VARIANT_FILE} in it); "
                           "thematic writes only into folders it made", fix="choose another --out")


def recorded_sets(folder: Path) -> dict[str, Any] | None:
    """What variant.yaml says the variant changes, or None for a folder not made yet."""
    path = folder / VARIANT_FILE
    if not path.is_file():
        return None
    loaded = load_yaml(path)
    sets = loaded.data.get("set") if isinstance(loaded.data, dict) else None
    if not isinstance(sets, dict) or not all(isinstance(k, str) for k in sets):
        raise loaded.error(["set"], "set: must map settings to values, e.g. set: {phases.themes.resolution: 1.0}")
    return sets


def start_variant(project: Project) -> None:
    """On a variant's first run (the caller holds the study lock): record its settings, then copy
    the main analysis in as it stands: artefacts, machine copies and store first, lock entries
    last, so a copy cut short only makes phases stale."""
    folder = project.analysis_dir
    if project.variant is None or (folder / VARIANT_FILE).is_file():
        return
    main = replace(project, settings={**project.settings, "analysis_dir": project.variant.of}, variant=None)
    write_atomic(folder / VARIANT_FILE, _record(project))
    from thematic.lock import read_lock, shadow_path, write_lock
    from thematic.store import STORE_FILE

    pairs = [(main.analysis_dir / name, folder / name) for name in OUTPUT_NAMES]
    pairs += [(shadow_path(main, spec), shadow_path(project, spec)) for spec in PHASES]
    pairs.append((main.machine_dir / STORE_FILE, project.machine_dir / STORE_FILE))
    for source, target in pairs:
        if source.is_file():
            replace_atomically(target, _chunks(source))
    lock = read_lock(main)
    if lock:
        write_lock(project, {phase: _moved(entry, main, project) for phase, entry in lock.items() if isinstance(entry, dict)})


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from iter(lambda: handle.read(1 << 20), b"")


def _moved(entry: dict[str, Any], main: Project, variant: Project) -> dict[str, Any]:
    """A main lock entry as the variant's: names inside the analysis folder renamed (inputs are
    named by the analysis_dir setting, outputs by their path from the study folder)."""
    renames = {"inputs": (main.settings["analysis_dir"], variant.settings["analysis_dir"]),
               "outputs": (main.relative(main.analysis_dir), variant.relative(variant.analysis_dir))}
    moved = dict(entry)
    for key, (old, new) in renames.items():
        if isinstance(entry.get(key), dict):
            moved[key] = {f"{new}/{name[len(old) + 1:]}" if name.startswith(f"{old}/") else name: value
                          for name, value in entry[key].items()}
    return moved


def _record(project: Project) -> str:
    """variant.yaml: what the variant changes, and the command that makes and re-runs it."""
    assert project.variant is not None
    out = project.settings["analysis_dir"]
    command = f"thematic run . {_options(project.variant.sets)} --out {shlex.quote(out)}".replace("  ", " ")
    head = (f"# A variant of the analysis in {project.variant.of}/: this study run with these settings instead of\n"
            f"# thematic.yaml's. It started from a copy of {project.variant.of}/ and is its own since. In the\n"
            f"# study folder, this runs it again:\n#   {command}\n")
    return head + dumps({"of": project.variant.of, "set": dict(project.variant.sets)})
