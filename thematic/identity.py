"""Theme identity that follows content, not the most central code of the day.

A theme's id keys everything the researcher writes about it in phases 4-5 (decisions, name,
definition, narrative). After re-clustering, each new group takes the id of the previous run's
theme it shares the most codes with: one optimal one-to-one assignment on overlap (Jaccard),
where a pair counts only if the shared codes are at least half of the smaller of the two themes.
An unmatched group gets a fresh id that no previous theme had, so writing about one theme never
lands on another. Accepting a code does not change the id of the theme it joins.
"""

from __future__ import annotations

from thematic.assignment import best_pairs

MIN_SHARED = 0.5  # of the smaller theme's codes: less than half in common is another theme


def overlap(a: set[str], b: set[str]) -> float:
    """Jaccard overlap of two code sets, 0 when they share too little to be the same theme."""
    shared = len(a & b)
    if not shared or shared < MIN_SHARED * min(len(a), len(b)):
        return 0.0
    return shared / len(a | b)


def matched_ids(groups: dict[str, list[str]], previous: dict[str, list[str]]) -> dict[str, str]:
    """new group key -> its id: the matched previous theme's, else the key made unique."""
    new_keys, old_keys = sorted(groups), sorted(previous)
    weights = [[overlap(set(groups[new]), set(previous[old])) for old in old_keys] for new in new_keys]
    ids = {new_keys[i]: old_keys[j] for i, j in best_pairs(weights)}
    taken = set(previous) | set(ids.values())
    for new in sorted(set(groups) - set(ids)):
        ids[new] = _unique(new, taken)
        taken.add(ids[new])
    return ids


def _unique(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


def code_changes(named_with: list[str], now: list[str]) -> tuple[list[str], list[str]]:
    """(codes added, codes removed) since the researcher named a theme."""
    return sorted(set(now) - set(named_with)), sorted(set(named_with) - set(now))


def changed_beyond(named_with: list[str], now: list[str], share: float = 0.25) -> bool:
    """A named theme worth a second look: a code it was named with has left it, or a quarter
    or more of its codes are new."""
    added, removed = code_changes(named_with, now)
    return bool(removed) or len(added) >= share * max(1, len(named_with))
