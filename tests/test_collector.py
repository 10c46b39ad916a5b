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

