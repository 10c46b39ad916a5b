"""Per-item caches are written whole without an fsync, and a damaged one is only recomputed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from thematic.item_cache import ItemCache


def test_a_cached_value_is_renamed_into_place_without_an_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd))
    cache = ItemCache(tmp_path / "coding", "coding")
    assert cache.put("k", {"codes": [1, 2]}) and cache.get("k") == {"codes": [1, 2]}
    assert synced == [] and not list((tmp_path / "coding").glob(".*.tmp"))


@pytest.mark.parametrize("damage", [b"", b"\0" * 40, b'{"codes": [1, 2'])
def test_what_a_power_cut_may_leave_is_recomputed_not_read(tmp_path: Path, damage: bytes):
    cache = ItemCache(tmp_path / "coding", "coding")
    cache.put("k", {"codes": [1, 2]})
    cache.path("k").write_bytes(damage)
    assert cache.get("k") is None
