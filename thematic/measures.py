"""Shared measures: prevalence of codes, agreement between two groupings (association between
codes lives in thematic.cooccurrence)."""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from thematic.codes import EffectiveCode


def prevalence(codes: Iterable[EffectiveCode]) -> dict[str, int]:
    """Information only (Braun & Clarke: themes are not ranked by how often they occur)."""
    extracts = {e["id"]: e for c in codes for e in c.extracts}
    return {
        "extracts": len(extracts),
        "items": len({e["item"] for e in extracts.values()}),
        "participants": len({e["participant"] for e in extracts.values() if e.get("participant")}),
    }


def adjusted_rand_index(a: list, b: list) -> float:
    """Agreement of two labelings of the same things, corrected for chance (Hubert & Arabie 1985):
    1 = identical groupings, about 0 = no better than random."""
    if len(a) != len(b):
        raise ValueError("both labelings must cover the same things")

    def pairs(n: int) -> float:
        return n * (n - 1) / 2

    together = sum(pairs(n) for n in Counter(zip(a, b)).values())
    in_a = sum(pairs(n) for n in Counter(a).values())
    in_b = sum(pairs(n) for n in Counter(b).values())
    expected = in_a * in_b / pairs(len(a)) if len(a) > 1 else 0.0
    best = (in_a + in_b) / 2
    return 1.0 if best == expected else (together - expected) / (best - expected)
