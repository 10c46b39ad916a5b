"""thematic.yaml: the study's settings, validated once, with defaults and resolved paths."""

from __future__ import annotations

import copy
import os
import shlex
from contextlib import suppress
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any

from thematic.artefacts import Loaded, dumps, load_yaml, write_atomic
from thematic.errors import ProjectError
from thematic.nlp.language import LANGUAGES
from thematic.phases import PHASES

PROJECT_FILE = "thematic.yaml"
LOCK_FILE = "thematic.lock"
# What a run writes into analysis_dir: each phase's artefact and phase 3's map image
# (thematic.phases.themes.MAP_IMAGE, not imported: it would load networkx for every command).
OUTPUT_NAMES = tuple(spec.artefact for spec in PHASES) + ("3-thematic-map.svg",)

# Braun & Clarke's three families of thematic analysis; reflexive is the default.
APPROACHES = ("reflexive", "codebook", "coding-reliability")

DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    "familiarise": {"key_terms": 12, "min_count": 2},
    "code": {"compound_min_length": 6, "suggest": "keyness.v2", "suggestions": 40, "min_count": 2,
             "min_participants": 2, "smoothing": 10.0, "min_phrase_share": 0.15, "extracts_shown": 20},
    "themes": {"units": {"turn": 0.0, "segment": 1.0, "item": 0.1}, "min_cooccurrence": 2,
               "hint_prior": 0.125, "resolution": 1.2, "runs": 25, "seed": 0, "sample_extracts": 3},
    "review": {"thin_participants": 3, "anecdotal_share": 0.5, "overlap": 0.3, "incoherent": 0.05,
               "question_share": 0.5, "keywords": 10, "keyword_max_frequency": 0.0001,
               "missed_min_keywords": 2, "missed_examples": 3,
               "stability_rounds": 20, "stability_runs": 5, "stability_seed": 0, "unstable": 0.5},  # thematic.stability
    "define": {"extracts": 4},
    "report": {"language": "auto"},  # auto: the study's language (thematic.writeup.strings: nb, nn, en)
}

DEFAULTS: dict[str, Any] = {
    "title": "Thematic analysis",
    "language": "nb",
    "approach": "reflexive",
    "corpus": {
        "include": [f"interviews/*.{ext}" for ext in ("txt", "md", "docx", "odt", "rtf", "vtt", "srt")],
        "interviewer_labels": ["Intervjuer", "Interviewer", "I", "Int", "Moderator"],
    },
    "participants": "participants.yaml",
    "codebooks": [],
    "analysis_dir": "analysis",
    "nlp": {"model": "auto"},
    "phases": DEFAULT_PARAMS,
}


@dataclass(frozen=True)
class Variant:
    """A run of the study with other settings into a folder of its own (thematic.variant): what
    it changes (--set KEY=VALUE, in the order given) and the main analysis folder it started from."""

    of: str
    sets: dict[str, Any]


@dataclass
class Project:
    """A study folder and its validated settings."""

    root: Path
    settings: dict[str, Any] = field(default_factory=dict)
    variant: Variant | None = None  # --set/--out: analysis_dir is the variant's folder
    _folders: dict[tuple[str, Path], Path] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def analysis_dir(self) -> Path:
        return self.root / self.settings["analysis_dir"]

    @property
    def machine_dir(self) -> Path:
        """Bulky machine data (NLP cache, copies of what was written) beside the artefacts."""
        return self.analysis_dir / ".thematic"

    @property
    def nlp_cache(self) -> Path:
        """Per-transcript NLP results, keyed by the text and the pipeline: a variant shares its
        main analysis' (once that exists), so a grid of settings analyses each transcript once."""
        main = self.root / self.variant.of if self.variant else self.analysis_dir
        return (main if main.is_dir() else self.analysis_dir) / ".thematic" / "cache" / "nlp"

    @property
    def lock_path(self) -> Path:
        """Beside thematic.yaml; a variant's inside its folder, so the main lock is never touched."""
        return self.analysis_dir / LOCK_FILE if self.variant else self.root / LOCK_FILE

    @property
    def participants_path(self) -> Path:
        return self.root / self.settings["participants"]

    def params(self, phase: str) -> dict[str, Any]:
        return dict(self.settings["phases"][phase])

    def relative(self, path: Path) -> str:
        """A path as written in artefacts and the lock: relative to the study, or bundled:NAME,
        so the same study gives the same bytes wherever it lives."""
        resolved, root = self._resolved(path), self._resolved(self.root)
        if resolved.is_relative_to(root):
            return resolved.relative_to(root).as_posix()
        for folder in bundled_codebook_dirs():
            if resolved.parent == folder.resolve():
                return f"bundled:{resolved.name}"
        return resolved.as_posix()

    def _resolved(self, path: Path) -> Path:
        """path.resolve(), each folder resolved once per project: a study's hundreds of transcripts
        lie in a few folders, and resolving is a system call per part of the path."""
        if path.name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        key = ("" if path.is_absolute() else os.getcwd(), path.parent)  # a relative one: from here, now
        if key not in self._folders:
            self._folders[key] = path.parent.resolve()
        return self._folders[key] / path.name

    def codebook_paths(self) -> list[Path]:
        return [resolve_codebook(self.root, name) for name in self.settings["codebooks"]]


def bundled_codebook_dirs() -> list[Path]:
    """Where codebooks shipped with thematic live: inside the package, so every kind of install
    (wheel, editable, --user, --prefix) finds them. Found from this module's own file: the same
    folder importlib.resources gives for a package on disk, without its loader machinery (about
    12 ms of every status and run through an editable install's finder)."""
    return [Path(__file__).parent / "codebooks"]


def resolve_codebook(root: Path, name: str) -> Path:
    """A codebook given as a path, a file in the study's codebooks/, or a bundled name."""
    candidates = [root / name, root / "codebooks" / f"{name}.yaml"]
    candidates += [folder / f"{name}.yaml" for folder in bundled_codebook_dirs()]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ProjectError(
        f"{root / PROJECT_FILE}: codebook {name!r} not found",
        fix=f"put it in {root / 'codebooks'}/ or list the bundled ones in thematic's codebooks/ folder",
    )


def _merged(defaults: dict, given: dict) -> dict:
    out = copy.deepcopy(defaults)
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _validate_shapes(loaded: Loaded, given: dict) -> None:
    """Sections that are mappings stay mappings ("corpus: 5" is refused here, not a crash later)."""
    for key in set(given) & set(DEFAULTS):
        value, default = given[key], DEFAULTS[key]
        if isinstance(default, dict) and not isinstance(value, dict):
            raise loaded.error([key], f"{key} must be a mapping ({key}: {{...}}), got {value!r:.40}")
        if isinstance(default, str) and not isinstance(value, str):
            raise loaded.error([key], f"{key} must be text, got {value!r:.40}")
    for phase, params in (given.get("phases") or {}).items():
        if not isinstance(params, dict):
            raise loaded.error(["phases", phase], f"phases.{phase} must be a mapping of parameters, got {params!r:.40}")


def _validate(loaded: Loaded, settings: dict) -> None:
    given = loaded.data or {}
    _validate_shapes(loaded, given)
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise loaded.error([unknown[0]], f"unknown setting {unknown[0]!r}; known: {', '.join(DEFAULTS)}")
    for phase in given.get("phases", {}) or {}:
        if phase not in DEFAULT_PARAMS:
            raise loaded.error(["phases", phase], f"unknown phase {phase!r}; known: {', '.join(DEFAULT_PARAMS)}")
    if not isinstance(settings["codebooks"], list):
        raise loaded.error(["codebooks"], "codebooks must be a list of names or paths")
    if not isinstance(settings["corpus"]["include"], list) or not settings["corpus"]["include"]:
        raise loaded.error(["corpus", "include"], "corpus.include must be a non-empty list of globs")
    if settings["nlp"]["model"] is None or not isinstance(settings["nlp"]["model"], str):
        raise loaded.error(["nlp", "model"], "nlp.model must be auto, blank or a pipeline name/path")
    _validate_language(loaded, settings)
    _validate_approach(loaded, settings)
    _validate_paths(loaded, settings)


def _validate_language(loaded: Loaded, settings: dict) -> None:
    """An unknown language is refused: ignored, `language: nn` once analysed Nynorsk as bokmål."""
    if settings["language"] not in LANGUAGES:
        raise _setting_error(loaded, ["language"], f"language {settings['language']!r} is not supported; "
                             f"allowed: {', '.join(LANGUAGES)}",
                             fix="write language: nb (bokmål), nn (Nynorsk) or auto (detected per transcript)")


def _validate_approach(loaded: Loaded, settings: dict) -> None:
    """The kind of thematic analysis decides what is computed: agreement and saturation only mean
    something outside reflexive TA (Braun & Clarke 2021)."""
    if settings["approach"] not in APPROACHES:
        raise _setting_error(loaded, ["approach"], f"approach {settings['approach']!r} is not known; "
                             f"allowed: {', '.join(APPROACHES)}",
                             fix="write approach: reflexive (the default), codebook or coding-reliability")


def _escapes(value: Any) -> bool:
    """A path setting that is not text, is absolute, or climbs out of the study folder."""
    if not isinstance(value, str) or not value.strip():
        return True
    path = PurePosixPath(value.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or (len(value) > 1 and value[1] == ":")


def _validate_paths(loaded: Loaded, settings: dict) -> None:
    """Every path the tool reads or writes stays inside the study folder (bundled codebook names aside)."""
    for key in ("analysis_dir", "participants"):
        if _escapes(settings[key]):
            raise loaded.error([key], f"{key} must be a relative path inside the study folder, got {settings[key]!r}")
    for i, pattern in enumerate(settings["corpus"]["include"]):
        if _escapes(pattern):
            raise loaded.error(["corpus", "include", i], f"corpus.include globs must stay inside the study folder, got {pattern!r}")
    labels = settings["corpus"]["interviewer_labels"]
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise loaded.error(["corpus", "interviewer_labels"], "corpus.interviewer_labels must be a list of speaker labels")
    for i, name in enumerate(settings["codebooks"]):
        if not isinstance(name, str) or (_escapes(name) and ("/" in str(name) or "\\" in str(name))):
            raise loaded.error(["codebooks", i], f"a codebook is a bundled name or a path inside the study folder, got {name!r}")


def _setting_error(loaded: Loaded, keys: list[Any], message: str, fix: str) -> ProjectError:
    """A settings error as ProjectError, naming thematic.yaml:line as Loaded.error does (or the
    --set option that gave the value: thematic.variant)."""
    error = loaded.error(keys, message, fix)
    return ProjectError(error.message, fix=error.fix)


def _glob_reads(pattern: str, folder: tuple[str, ...]) -> bool:
    """Whether the include glob reads files directly inside folder (parts relative to the study).
    A recursive ** reaches every folder below its start; there it counts only if it would take
    our own outputs (6-report.md for **/*.md) for transcripts."""
    *dirs, name = PurePosixPath(pattern.replace("\\", "/")).parts or ("",)
    if "**" not in dirs:
        return len(folder) == len(dirs) and all(fnmatch(f, d) for f, d in zip(folder, dirs))
    start = dirs[:dirs.index("**")]
    reaches = len(folder) >= len(start) and all(fnmatch(f, d) for f, d in zip(folder, start))
    return reaches and any(fnmatch(output, name) for output in OUTPUT_NAMES)


def _analysis_dir_problem(root: Path, settings: dict) -> str | None:
    """Why analysis_dir cannot hold the artefacts: it is the study folder, a folder transcripts
    are read from (the report would become a transcript), or a file."""
    value = settings["analysis_dir"]
    folder = PurePosixPath(value.replace("\\", "/")).parts
    target = root / value
    if not folder or (target.is_dir() and target.resolve() == root.resolve()):
        return f"analysis_dir {value!r} is the study folder itself"
    reads = [g for g in settings["corpus"]["include"] if _glob_reads(g, folder)]
    if reads:
        return f"analysis_dir {value!r} is where corpus.include reads transcripts ({reads[0]})"
    if _holds_transcripts(root, target, settings["corpus"]["include"]):
        return f"analysis_dir {value!r} holds transcripts the corpus reads"
    return _file_in_the_way(root, target, value)


def _file_in_the_way(root: Path, target: Path, value: str) -> str | None:
    """analysis_dir names a file, or a path through one (participants.yaml/analysis)."""
    blocking = next((p for p in [target, *target.parents] if p.exists() and not p.is_dir()), None)
    if blocking == target:
        return f"analysis_dir {value!r} is a file, not a folder"
    if blocking is not None and blocking.is_relative_to(root):
        return f"analysis_dir {value!r} cannot be a folder: {blocking.relative_to(root).as_posix()} is a file"
    return None


def _holds_transcripts(root: Path, target: Path, include: list[str]) -> bool:
    """Whether files the include globs match lie directly in target: catches a symlink to, or
    another spelling of, the transcripts' folder."""
    if not target.is_dir():
        return False
    resolved = target.resolve()
    for pattern in include:
        with suppress(ValueError):  # a malformed glob is corpus_paths' to report
            if any(p.parent.resolve() == resolved for p in root.glob(pattern)):
                return True
    return False


def _validate_analysis_dir(loaded: Loaded, root: Path, settings: dict) -> None:
    problem = _analysis_dir_problem(root, settings)
    if problem:
        free = [n for n in ("analysis", "thematic-analysis")
                if _analysis_dir_problem(root, {**settings, "analysis_dir": n}) is None]
        fix = f"write analysis_dir: {free[0]}" if free else "narrow corpus.include so it does not read analysis_dir"
        raise _setting_error(loaded, ["analysis_dir"], problem, fix)


def load_project(root: Path) -> Project:
    """Read DIR/thematic.yaml, fill defaults, validate; errors name file:line."""
    return project_from(root, read_project_file(root))


def read_project_file(root: Path) -> Loaded:
    """DIR/thematic.yaml parsed, a mapping (or empty), not yet validated."""
    path = root / PROJECT_FILE
    if not path.is_file():
        raise _no_project(root)
    loaded = load_yaml(path)
    if loaded.data is not None and not isinstance(loaded.data, dict):
        raise loaded.error([], "thematic.yaml must be a mapping of settings")
    return loaded


def project_from(root: Path, loaded: Loaded) -> Project:
    """The project whose settings are these (thematic.yaml's, or a variant's), with defaults, validated."""
    settings = _merged(DEFAULTS, loaded.data or {})
    _validate(loaded, settings)
    _validate_analysis_dir(loaded, root, settings)
    return Project(root=root, settings=settings)


@dataclass
class Initialised:
    """What `thematic init` wrote and found: the project file, the transcripts, the speakers."""

    path: Path
    found: Any  # thematic.discover.Found
    interviewer_labels: list[str]
    taken_as_interviewer: list[str]  # labels added because their turns are mostly questions


def init_project(root: Path, codebook: str | None, title: str | None) -> Initialised:
    """Write a starter thematic.yaml for the transcripts already in root and its subfolders
    (never over an existing one) and copy the codebook in; with no transcripts yet, make
    interviews/ for them."""
    from thematic.discover import Found, find_transcripts

    path = root / PROJECT_FILE
    if path.exists():
        raise ProjectError(f"{path}: already exists; thematic init never overwrites a project file",
                           fix=f"thematic run {_shell(root)}")
    if root.exists() and not root.is_dir():
        raise ProjectError(f"{root}: not a folder; give the folder that holds the transcripts")
    labels = list(DEFAULTS["corpus"]["interviewer_labels"])
    found, extra = find_transcripts(root, labels, DEFAULTS["analysis_dir"]) if root.is_dir() else (Found(), [])
    settings: dict[str, Any] = {"title": title or root.resolve().name, "language": "nb", "approach": "reflexive"}
    settings["corpus"] = {"include": found.include or list(DEFAULTS["corpus"]["include"]),
                          "interviewer_labels": labels + extra}
    settings["participants"] = DEFAULTS["participants"]
    settings["codebooks"] = [_copy_codebook(root, codebook)] if codebook else []
    settings["analysis_dir"] = DEFAULTS["analysis_dir"]
    settings["nlp"] = {"model": "auto"}
    settings["phases"] = copy.deepcopy(DEFAULT_PARAMS)
    if not found.files:
        try:
            (root / "interviews").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProjectError(f"{root / 'interviews'}: cannot write ({exc.strerror or exc})") from None
    write_atomic(path, dumps(settings))
    return Initialised(path, found, labels + extra, extra)


def _copy_codebook(root: Path, codebook: str) -> str:
    """Copy a bundled (or given) codebook into root/codebooks/ and return its name."""
    source = resolve_codebook(root, codebook)
    target = root / "codebooks" / source.name
    if not target.exists():
        write_atomic(target, source.read_text(encoding="utf-8"))
    return source.stem


def _shell(path: Path) -> str:
    return shlex.quote(str(path))


def _no_project(root: Path) -> ProjectError:
    """No thematic.yaml: say exactly what to type (a folder inside a study names the study)."""
    path = root / PROJECT_FILE
    if not root.is_dir():
        return ProjectError(f"{root}: no such folder", fix=f"check the path, or start a study there: thematic init {_shell(root)}")
    study = next((p for p in root.resolve().parents if (p / PROJECT_FILE).is_file()), None)
    if study is not None:
        shown = Path(os.path.relpath(study))
        return ProjectError(f"{path}: no project file; {root} is inside the study {shown}",
                            fix=f"give the study folder: thematic run {_shell(shown)}")
    return ProjectError(f"{root} has no {PROJECT_FILE} yet; thematic init finds the transcripts already in it",
                        fix=f"thematic init {_shell(root)} && thematic run {_shell(root)}")
