"""The lexicon cache in ~/.cache/thematic: data only, checked on load, rebuilt when damaged (never a
crash, never code run), written atomically, and its first build announced through the progress bars."""

from __future__ import annotations

import errno
import gzip
import json
import os
import pickle
from pathlib import Path

import pytest

from thematic.context import Context
from thematic import artefacts as atomic
from thematic.nlp import lexicon
from thematic.project import load_project

FAKE = {"hund": "N:hund", "hunden": "N:hund", "går": "V:gå|N:gåre", "og": "X:og", "ærlig": "A:ærlig"}


@pytest.fixture(scope="module", autouse=True)
def shared_pipelines() -> None:
    """The process-wide pipelines, loaded with the real table before any test here fakes it (a
    pipeline first loaded under a fake table would keep it for the rest of the session)."""
    from thematic.nlp.pipeline import load_pipeline

    load_pipeline("auto"), load_pipeline("blank")


@pytest.fixture()
def builds(tmp_path: Path, monkeypatch) -> list[int]:
    """A small fake build in a fresh cache folder; the list counts the builds."""
    calls: list[int] = []
    monkeypatch.setenv("THEMATIC_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(lexicon, "_loaded", {})
    monkeypatch.setattr(lexicon, "build_table", lambda: calls.append(1) or dict(FAKE))
    return calls


def _fresh_process(monkeypatch) -> None:
    monkeypatch.setattr(lexicon, "_loaded", {})


def test_the_table_is_built_once_then_read_back_equal(builds, monkeypatch):
    assert lexicon.load_table() == FAKE and lexicon.load_table() == FAKE
    _fresh_process(monkeypatch)
    assert lexicon.load_table() == FAKE and sorted(lexicon.load_table()) == sorted(FAKE)
    assert not isinstance(lexicon.load_table(), dict)  # looked up in the file, not loaded
    assert builds == [1]
    assert lexicon.cache_path().name.endswith(f".{lexicon.CACHE_FORMAT}")
    assert [p.name for p in lexicon.cache_path().parent.iterdir()] == [lexicon.cache_path().name]  # no temp file


def _saved() -> bytes:
    """A sound cache file, for cases that break one part of it."""
    path = Path(os.environ["THEMATIC_CACHE"]) / "sound"
    lexicon.save_table(path, FAKE)
    data = path.read_bytes()
    path.unlink()
    return data


@pytest.mark.parametrize("content", [
    lambda: json.dumps(list(FAKE)).encode(),  # valid JSON, wrong shape
    lambda: json.dumps({"hund": 1}).encode(),  # a dict with int values
    lambda: gzip.compress(json.dumps(FAKE).encode()),
    lambda: pickle.dumps(FAKE),  # the old format at the new name
    lambda: _saved()[:-7],  # truncated
    lambda: _saved().replace(b"N:hund", b"N:hunk", 1),  # one changed byte: the checksum differs
    lambda: _saved().replace(b" 5 ", b" 6 ", 1),  # wrong count
    lambda: bytes(range(256)) * 40,  # random bytes
    lambda: b"",
], ids=["json-list", "int-values", "gzip-json", "pickle", "truncated", "changed-byte", "wrong-count", "random", "empty"])
def test_a_damaged_or_foreign_cache_file_is_rebuilt_never_a_crash(builds, content, monkeypatch):
    path = lexicon.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content())
    assert lexicon.read_table(path) is None
    assert lexicon.load_table() == FAKE and builds == [1]
    assert lexicon.read_table(path) == FAKE  # rewritten sound


def test_an_old_pickle_cache_is_never_unpickled(builds, tmp_path: Path):
    """A pickle in a cache folder someone else can write could run any code when loaded."""
    ran = tmp_path / "code-ran"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (ran,))

    old = lexicon.cache_dir() / f"{lexicon.LEXICON_VERSION}-{lexicon.lookups_version()}.pickle"
    old.parent.mkdir(parents=True)
    old.write_bytes(pickle.dumps(Payload()))
    assert lexicon.load_table() == FAKE and builds == [1] and not ran.exists()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_cache_that_cannot_be_written_only_costs_a_rebuild_next_time(builds, code, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.os, "fsync", fail)
    assert lexicon.load_table() == FAKE
    assert list(lexicon.cache_path().parent.iterdir()) == []  # the temp file is gone
    _fresh_process(monkeypatch)
    assert lexicon.load_table() == FAKE and builds == [1, 1]


def test_saving_replaces_the_file_atomically_with_a_unique_temp_name(builds, monkeypatch):
    seen: list[str] = []
    real = atomic.os.replace
    monkeypatch.setattr(atomic.os, "replace", lambda a, b: seen.append(Path(a).name) or real(a, b))
    lexicon.load_table()
    (tmp,) = seen
    assert tmp.startswith(f".{lexicon.cache_path().name}.") and tmp.endswith(".tmp") and tmp != f".{lexicon.cache_path().name}.tmp"


# --- the first build says what it does, through the CLI's progress factory ------------------------

class Recorder:
    """A progress factory that records what the CLI's bars would show."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def __call__(self, description: str, total: int):
        self.events.append(("open", description))
        return lambda item: self.events.append(("advance", description))


def test_the_build_opens_its_own_progress_task_and_completes_it(builds, monkeypatch):
    recorder = Recorder()
    lexicon.load_table(recorder)
    assert recorder.events == [("open", lexicon.BUILDING), ("advance", lexicon.BUILDING)]
    assert "Norwegian lexicon" in lexicon.BUILDING and "first run only" in lexicon.BUILDING
    _fresh_process(monkeypatch)
    again = Recorder()
    lexicon.load_table(again)  # read from the cache: nothing to announce
    assert again.events == []


def test_a_run_reports_the_build_before_the_analysis_bar(tiny_study: Path, builds, monkeypatch):
    project = load_project(tiny_study)
    recorder = Recorder()
    Context(project, recorder).analyses  # noqa: B018
    assert recorder.events[:3] == [("open", lexicon.BUILDING), ("advance", lexicon.BUILDING),
                                   ("open", "Analysing transcripts")]
