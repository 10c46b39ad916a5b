"""The collector runs less often while a command works, and as before once it is done."""

from __future__ import annotations

import gc

import pytest

from thematic.collector import YOUNG, fewer_collections


def test_the_young_threshold_is_raised_inside_and_restored_after_even_on_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with fewer_collections():
            assert gc.get_threshold() == (YOUNG, *before[1:])
            raise RuntimeError("stop")
    assert gc.get_threshold() == before



def test_a_run_works_with_fewer_collections_and_gives_python_its_own_back(tiny_study, monkeypatch):
    import thematic.runner
    from thematic.project import load_project

    seen: list[tuple[int, ...]] = []
    real = thematic.runner.run_phase
    monkeypatch.setattr(thematic.runner, "run_phase", lambda *a: seen.append(gc.get_threshold()) or real(*a))
    before = gc.get_threshold()
    thematic.runner.run_phases(load_project(tiny_study))
    assert len(seen) == 6 and {s[0] for s in seen} == {YOUNG}
    assert gc.get_threshold() == before
