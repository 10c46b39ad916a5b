"""What a command costs apart from the phases' own work: modules it does not need stay unloaded,
and the lock, the package versions and the study's paths are worked out once per process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import thematic.artefacts
import thematic.lock
from thematic.artefacts import Flow, dumps, load_yaml
from thematic.lock import _lock_text, pipeline_key, read_lock, write_lock
from thematic.project import Project, load_project
from thematic.runner import run_phases

from helpers import modules_loaded_by

# Loaded only for what needs them: worker processes, office/subtitle/RTF files, a progress bar on a terminal.
UNNEEDED = ("concurrent.futures", "multiprocessing", "thematic.readers.office", "thematic.readers.rtf",
            "thematic.readers.subtitles", "rich.progress")


def loaded_by(*args: str) -> set[str]:
    """The modules a fresh process (stderr not a terminal) imported to run `thematic ARGS`."""
    return set(modules_loaded_by(*args))


def test_status_and_a_run_of_plain_text_load_no_workers_office_readers_or_progress_bar(tiny_study: Path):
    run_phases(load_project(tiny_study))  # here: a cold run loads spaCy, and spaCy loads some of them
    assert not loaded_by("status", str(tiny_study)) & set(UNNEEDED)
    ran = loaded_by("run", str(tiny_study))
    assert "thematic.runner" in ran and "spacy" not in ran
    assert not ran & set(UNNEEDED)


def test_the_lock_text_is_its_entries_dumped_once_each(tiny_study: Path, monkeypatch: pytest.MonkeyPatch):
    project = load_project(tiny_study)
    run_phases(project, until="code")
    lock = read_lock(project)
    assert _lock_text(lock) == dumps(lock) == project.lock_path.read_text(encoding="utf-8")
    odd = {**lock, "code": {**lock["code"], "span": Flow([1, 2])}, "themes": {}}
    assert _lock_text(odd) == dumps(odd) and _lock_text({}) == dumps({})
    dumped = []
    monkeypatch.setattr(thematic.lock, "dumps", lambda data: dumped.append(list(data)) or dumps(data))
    write_lock(project, {**lock, "code": {**lock["code"], "params": "other"}})
    assert dumped == [["code"]]  # the familiarise entry's text was already known
    assert load_yaml(project.lock_path).data["code"]["params"] == "other"


def test_package_versions_are_looked_up_once_per_process(tiny_study: Path, monkeypatch: pytest.MonkeyPatch):
    import thematic.versions

    asked = []
    real = thematic.versions._from_dist_info
    monkeypatch.setattr(thematic.versions, "_from_dist_info", lambda name: asked.append(name) or real(name))
    thematic.versions.installed_version.cache_clear()
    project = load_project(tiny_study)
    first = pipeline_key(project)
    assert pipeline_key(project) == first and asked and len(asked) == len(set(asked))
    thematic.versions.installed_version.cache_clear()


def test_paths_are_as_resolve_gives_them_with_each_folder_resolved_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    study, elsewhere = tmp_path / "study", tmp_path / "elsewhere"
    (study / "interviews").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("b", encoding="utf-8")
    (study / "linked").symlink_to(elsewhere, target_is_directory=True)
    (study / "interviews" / "c.txt").symlink_to(study / "linked" / "b.txt")
    paths = [study / "interviews" / f"{i}.txt" for i in range(50)] + [study / "linked" / "b.txt",
             study / "interviews" / "c.txt", study / "interviews" / ".." / "x.txt"]
    monkeypatch.chdir(tmp_path)
    project = Project(root=Path("study"))
    expected = [_relative_as_before(project, p) for p in paths]
    resolved = []
    real = Path.resolve
    monkeypatch.setattr(Path, "resolve", lambda self, strict=False: resolved.append(self) or real(self, strict))
    assert [project.relative(p) for p in paths] == expected
    assert project.relative(Path("study") / "interviews" / "0.txt") == "interviews/0.txt"
    assert len([p for p in resolved if p.name != "codebooks"]) <= 6  # ., interviews/ (twice: absolute, relative), linked/, c.txt, ..
    here = Project(root=Path("."))
    for folder in (study, elsewhere):  # the same relative path from another folder is another file
        (folder / "interviews").mkdir(exist_ok=True)
        monkeypatch.chdir(folder)
        assert here.relative(Path("interviews") / "0.txt") == "interviews/0.txt"


def _relative_as_before(project: Project, path: Path) -> str:
    resolved, root = path.resolve(), project.root.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.as_posix()


def test_no_worker_module_is_imported_with_the_jobs_module():
    code = "import sys, thematic.jobs; print(any(m.startswith(('concurrent', 'multiprocessing')) for m in sys.modules))"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout.strip() == "False"


def test_caches_are_renamed_whole_but_not_forced_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from thematic.errors import ArtefactError
    from thematic.written import write_cache

    def no_fsync(fd: int) -> None:
        raise OSError(5, "fsync is not for caches")

    monkeypatch.setattr(thematic.artefacts.os, "fsync", no_fsync)
    write_cache(tmp_path / "lock.json", "{}")
    thematic.artefacts.write_atomic(tmp_path / "copy.json", "[]", cache=True)
    assert (tmp_path / "lock.json").read_text() == "{}" and (tmp_path / "copy.json").read_text() == "[]"
    with pytest.raises(ArtefactError):  # an artefact is still flushed before it replaces the old one
        thematic.artefacts.write_atomic(tmp_path / "2-codes.yaml", "codes: []\n")


def test_a_decision_re_run_digests_the_edited_codes_once(tiny_study: Path, monkeypatch: pytest.MonkeyPatch):
    import thematic.json_copy

    run_phases(load_project(tiny_study))
    path = tiny_study / "analysis" / "2-codes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("decision: suggested", "decision: accepted", 1), encoding="utf-8")
    digested = []
    for module in (thematic.lock, thematic.json_copy):
        real = module.without_fields
        monkeypatch.setattr(module, "without_fields", lambda data, fields, real=real: (
            digested.append(isinstance(data, dict) and "codes" in data and "extract_store" in data) or real(data, fields)))
    results = run_phases(load_project(tiny_study))
    assert [r.action for r in results] == ["skipped", "skipped", "ran", "ran", "ran", "ran"]
    assert digested.count(True) == 1  # the staleness check's; the codes' copy and the phases reuse it


def test_emoji_codes_in_data_are_printed_as_written():
    code = "import sys\nfrom thematic.cli._util import say, table, out\nsay('kode :fire: og 00:12:03')\n" \
           "grid = table('tittel :smile:', 'a')\ngrid.add_row(':warning:')\nout.print(grid)\n" \
           "print('rich._emoji_codes' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8")
    assert "kode :fire: og 00:12:03" in done.stdout and "tittel :smile:" in done.stdout and ":warning:" in done.stdout
    assert done.stdout.strip().endswith("False")


def test_a_progress_bar_on_a_terminal_is_drawn_without_a_thread_of_its_own(monkeypatch: pytest.MonkeyPatch):
    """So a run on a terminal can still work beside itself in a forked copy (jobs.beside)."""
    import io
    import threading

    from rich.console import Console

    import thematic.cli._util as util

    screen = io.StringIO()
    monkeypatch.setattr(util, "err", Console(file=screen, force_terminal=True, width=80))
    before = threading.active_count()
    with util.progress() as factory:
        advance = factory("Lager profiler", 3)
        for item in ("a", "b", "c"):
            advance(item)
        assert threading.active_count() == before
    assert "Lager profiler" in screen.getvalue() and "3/3" in screen.getvalue()
