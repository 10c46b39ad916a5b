"""thematic.file_hashes: an input file is hashed again whenever it may have changed, and only then."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import thematic.file_hashes as file_hashes
from thematic.artefacts import sha256_file
from thematic.lock import states
from thematic.project import load_project
from thematic.runner import run_phases

pytestmark = pytest.mark.skipif(os.name == "nt", reason="not used on Windows (ctime is the creation time)")


@pytest.fixture()
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files actually read and hashed."""
    names: list[str] = []
    monkeypatch.setattr(file_hashes, "sha256_file", lambda path: names.append(path.name) or sha256_file(path))
    return names


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """The clock as if `seconds` had passed since now."""
    now = time.time_ns()
    monkeypatch.setattr(file_hashes.time, "time_ns", lambda: now + int(seconds * 1e9))


def test_settled_files_are_hashed_once_and_a_changed_one_again(tiny_study: Path, hashed: list[str],
                                                              monkeypatch: pytest.MonkeyPatch):
    project = load_project(tiny_study)
    (tiny_study / "analysis" / ".thematic").mkdir(parents=True)
    paths = sorted((tiny_study / "interviews").iterdir())
    later(monkeypatch, 10)
    first = file_hashes.file_hashes(project, paths)
    assert first == {f"interviews/{p.name}": sha256_file(p) for p in paths} and len(hashed) == len(paths)
    hashed.clear()
    assert file_hashes.file_hashes(project, paths) == first and hashed == []
    time.sleep(0.05)  # past the file system's clock tick, as any real edit after a hash is
    edited = paths[0]
    stat = edited.stat()
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("a", "e", 1) if "a" in text else "e" + text[1:], encoding="utf-8")
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: only ctime tells
    assert edited.stat().st_size == stat.st_size and edited.stat().st_mtime_ns == stat.st_mtime_ns
    now = file_hashes.file_hashes(project, paths)
    assert hashed == [edited.name] and now[f"interviews/{edited.name}"] == sha256_file(edited) != first[f"interviews/{edited.name}"]


def test_a_file_changed_just_before_it_was_hashed_is_hashed_every_time(tiny_study: Path, hashed: list[str],
                                                                        monkeypatch: pytest.MonkeyPatch):
    project = load_project(tiny_study)
    (tiny_study / "analysis" / ".thematic").mkdir(parents=True)
    path = sorted((tiny_study / "interviews").iterdir())[0]
    changed = max(path.stat().st_mtime_ns, path.stat().st_ctime_ns)
    monkeypatch.setattr(file_hashes.time, "time_ns", lambda: changed + file_hashes.RACY_NS // 2)
    for _ in range(2):
        file_hashes.file_hashes(project, [path])
    assert hashed == [path.name, path.name]


def test_status_before_the_first_run_writes_nothing_and_a_run_remembers(tiny_study: Path, hashed: list[str],
                                                                         monkeypatch: pytest.MonkeyPatch):
    later(monkeypatch, 10)
    states(load_project(tiny_study))
    assert not (tiny_study / "analysis").exists()
    run_phases(load_project(tiny_study))
    hashed.clear()
    assert {s.status for s in states(load_project(tiny_study))} == {"fresh"}
    assert hashed == []


def test_a_bad_cache_costs_a_hash_not_a_wrong_answer(tiny_study: Path, hashed: list[str], monkeypatch: pytest.MonkeyPatch):
    project = load_project(tiny_study)
    path = sorted((tiny_study / "interviews").iterdir())[0]
    cache = file_hashes.cache_path(project)
    cache.parent.mkdir(parents=True)
    for text in ("{not json", '{"interviews/x.txt": 5}', "[]"):
        cache.write_text(text, encoding="utf-8")
        assert file_hashes.file_hashes(project, [path]) == {f"interviews/{path.name}": sha256_file(path)}
