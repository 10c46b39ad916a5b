"""--jobs: per-item work on worker processes, placed back by item, so any N writes the same bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import thematic.jobs as jobs
import thematic.nlp.analysis as analysis
from helpers import invoke
from thematic.project import load_project
from thematic.runner import run_phases
from test_incremental import _files


@pytest.fixture()
def here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The items this process analysed itself (the rest went to workers)."""
    seen: list[str] = []
    real = analysis.analyse_document

    def spy(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(doc.id)
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(analysis, "analyse_document", spy)
    return seen


def test_two_jobs_write_what_one_writes(example_study: Path, tmp_path: Path, here: list[str],
                                        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(jobs, "MIN_CHARS", 0)  # the example is far too small to pay for a worker
    monkeypatch.setattr(jobs, "WORKERS_FIRST", True)
    other = tmp_path / "other"
    shutil.copytree(example_study, other)
    assert invoke("run", example_study, "--jobs", "1").exit_code == 0
    assert len(here) == 10
    here.clear()
    result = invoke("run", other, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert len(here) <= 8  # the worker takes the first two transcripts at least
    assert _files(example_study) == _files(other)


def test_too_little_text_stays_in_this_process(tiny_study: Path, here: list[str]):
    assert invoke("run", tiny_study, "--jobs", "2").exit_code == 0
    assert len(here) == 3


def test_results_come_back_to_their_items_whoever_made_them(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(jobs, "MIN_CHARS", 0)
    made: dict[int, int] = {}
    monkeypatch.setattr(jobs, "WORKERS_FIRST", True)
    by_worker: set[int] = set()

    def here(i: int) -> int:
        by_worker.discard(i)
        return i * i

    with jobs.parallel(2):
        jobs.run_items(9, here, lambda i: by_worker.add(i) or (pow, (i, 2)), 1, made.__setitem__, (abs, (0,)))
    assert made == {i: i * i for i in range(9)} and {0, 1} <= by_worker


def test_a_worker_runs_with_fewer_garbage_collections(monkeypatch: pytest.MonkeyPatch):
    import gc

    from thematic.collector import YOUNG

    monkeypatch.setattr(jobs, "MIN_CHARS", 0)
    monkeypatch.setattr(jobs, "WORKERS_FIRST", True)
    made: dict[int, object] = {}
    with jobs.parallel(2):
        jobs.run_items(6, lambda i: "here", lambda i: (gc.get_threshold, ()), 1, made.__setitem__, (abs, (0,)))
    thresholds = [value for value in made.values() if value != "here"]
    assert thresholds and {t[0] for t in thresholds} == {YOUNG}


@pytest.fixture()
def may_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """beside as in a run: whatever memory this test process has grown to, and whatever threads
    earlier tests left behind (a run makes none: see test_overhead's progress bar test)."""
    monkeypatch.setattr(jobs, "FORK_BELOW_MB", float("inf"))
    monkeypatch.setattr(jobs.threading, "active_count", lambda: 1)


def test_work_beside_runs_in_a_copy_of_this_process_and_gives_what_it_gives_here(may_fork):
    import os

    here = os.getpid()
    with jobs.parallel(2):
        pid_of = jobs.beside(os.getpid)
        squares = jobs.beside(lambda: [i * i for i in range(10_000)])
        assert squares() == [i * i for i in range(10_000)]  # more than a pipe holds at once
        assert pid_of() != here
    with jobs.parallel(1):
        assert jobs.beside(os.getpid)() == here


def test_a_process_past_the_memory_bound_works_beside_nothing(monkeypatch: pytest.MonkeyPatch):
    import os

    assert jobs._resident_mb() > 0
    monkeypatch.setattr(jobs, "FORK_BELOW_MB", 0)
    with jobs.parallel(2):
        assert jobs.beside(os.getpid)() == os.getpid()


def test_a_process_with_another_thread_works_beside_nothing(monkeypatch: pytest.MonkeyPatch):
    """A thread may hold a lock at the fork that the copy would then wait on for ever."""
    import os

    monkeypatch.setattr(jobs, "FORK_BELOW_MB", float("inf"))
    monkeypatch.setattr(jobs.threading, "active_count", lambda: 2)
    with jobs.parallel(2):
        assert jobs.beside(os.getpid)() == os.getpid()


def test_work_that_fails_in_the_copy_is_done_here_and_fails_here_as_it_would(may_fork):
    import os

    here = os.getpid()
    calls: list[int] = []

    def work() -> int:
        calls.append(os.getpid())  # only this process's list is seen here
        if os.getpid() != here:
            raise MemoryError("the copy ran out")
        return 7

    with jobs.parallel(2):
        assert jobs.beside(work)() == 7 and calls == [here]
        with pytest.raises(ZeroDivisionError):
            jobs.beside(lambda: 1 // 0)()


def test_one_job_or_one_item_never_starts_a_worker(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(jobs, "MIN_CHARS", 0)
    monkeypatch.setattr(jobs._Run, "workers", lambda self: pytest.fail("a worker was started"))
    made: dict[int, int] = {}
    with jobs.parallel(1):
        jobs.run_items(3, lambda i: i, lambda i: (abs, (i,)), 10**9, made.__setitem__, (abs, (0,)))
    with jobs.parallel(4):
        jobs.run_items(1, lambda i: i, lambda i: (abs, (i,)), 10**9, made.__setitem__, (abs, (0,)))
    assert made == {0: 0, 1: 1, 2: 2}


def test_the_blank_pipelines_fingerprint_is_known_before_loading_it():
    """What lets workers start before spaCy is imported here: the guess is the loaded pipeline's own."""
    from importlib.util import find_spec

    from thematic.nlp.pipeline import TRAINED, expected_fingerprint, load_pipeline

    assert expected_fingerprint("blank", "nb") == load_pipeline("blank").describe()["fingerprint"]
    if not any(find_spec(name) for name in TRAINED):
        assert expected_fingerprint("auto", "nb") == load_pipeline("auto").describe()["fingerprint"]
    assert expected_fingerprint("blank", "nn") is None and expected_fingerprint("nb_core_news_sm", "nb") is None


def test_workers_start_before_this_process_loads_its_pipeline_and_not_when_all_is_cached(
        example_study: Path, monkeypatch: pytest.MonkeyPatch):
    """A first run starts them before the transcripts are read (from their sizes); a later one
    once they are read and the cache is checked."""
    import thematic.context as context
    import thematic.nlp.pipeline as pipeline

    monkeypatch.setattr(jobs, "MIN_CHARS", 0)
    events: list[str] = []
    real_workers, real_load, real_corpus = jobs._Run.workers, pipeline.load_pipeline, context.load_corpus
    monkeypatch.setattr(jobs._Run, "workers", lambda self: events.append("workers") or real_workers(self))
    monkeypatch.setattr(pipeline, "load_pipeline", lambda *args: events.append("pipeline") or real_load(*args))
    monkeypatch.setattr(context, "load_corpus", lambda *args: events.append("read") or real_corpus(*args))
    run_phases(load_project(example_study), until="familiarise", jobs=2)
    assert events[:3] == ["workers", "read", "pipeline"]
    events.clear()
    run_phases(load_project(example_study), until="familiarise", jobs=2, force=True)
    assert events == ["read", "pipeline"]  # every analysis in the cache: no worker
    events.clear()
    (example_study / "interviews" / "mentor-03.txt").write_text("Mentor: Ny tekst, lang nok.\n" * 50, encoding="utf-8")
    (example_study / "interviews" / "mentor-04.txt").write_text("Mentor: Enda en ny tekst.\n" * 50, encoding="utf-8")
    run_phases(load_project(example_study), until="familiarise", jobs=2)
    assert events[:3] == ["read", "workers", "pipeline"]  # two to analyse: started once the cache is checked
