"""Shared measures over coded extracts: turn sets, association between codes, prevalence."""

from __future__ import annotations

from itertools import combinations
from typing import Iterable

from thematic.codes import EffectiveCode


def turn_set(code: EffectiveCode) -> set[tuple[str, int]]:
    """The (item, turn) units a code touches: co-occurrence is counted per speaker turn."""
    return {(e["item"], e.get("turn", -1)) for e in code.extracts}


def jaccard(a: set, b: set) -> float:
    """Association that does not simply reward frequent codes: shared / either."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def mean_association(codes: list[EffectiveCode]) -> float | None:
    """Mean pairwise Jaccard of the codes' turn sets; None for a single code."""
    pairs = list(combinations(codes, 2))
    if not pairs:
        return None
    return round(sum(jaccard(turn_set(a), turn_set(b)) for a, b in pairs) / len(pairs), 3)


def prevalence(codes: Iterable[EffectiveCode]) -> dict[str, int]:
    """Information only (Braun & Clarke: themes are not ranked by how often they occur)."""
    extracts = {e["id"]: e for c in codes for e in c.extracts}
    return {
        "extracts": len(extracts),
        "items": len({e["item"] for e in extracts.values()}),
        "participants": len({e["participant"] for e in extracts.values() if e.get("participant")}),
    }
