"""Theme stability: would the candidate themes come back with other data of the same kind?

Phase 4 draws the data items with replacement (a bootstrap: as many draws as there are items, a
fixed number of rounds from a fixed seed) and groups the codes again on each sample exactly as
phase 3 does (thematic.cooccurrence's association, phase 3's `cluster`, `name_groups` and the
researcher's moves). A candidate theme comes back in a round when some group of the resample
shares at least half of the two code sets together (Jaccard >= 0.5, thematic.identity.overlap).
An item drawn twice counts twice: its turns, segments and the item itself are units of their own,
so co-occurrence in it weighs double, as a bootstrap needs. The share of rounds a theme comes
back is its stability; below `unstable` it is flagged with the figure, else level 2 says stable.
A theme whose codes occur in one interview only comes back only when that interview is drawn.

Each round's grouping runs Louvain `stability_runs` times (default 5), not phase 3's
`runs`: the consensus only has to say which codes go together in that sample, and on
examples/arbeidsinkludering 5 runs give every theme the same share as 25 (benchmarks/stability.py)
at a fifth of the cost, most of a re-run after one decision.
"""

from __future__ import annotations

import random
import sys
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from thematic.artefacts import FlowMap
from thematic.codes import EffectiveCode
from thematic.context import Context
from thematic.cooccurrence import LEVELS, Association, Segments, npmi_of_counts
from thematic.flags import flag
from thematic.identity import overlap
from thematic.phases.themes import MISC, apply_moves, cluster, name_groups, own_moves

COMES_BACK = 0.5  # Jaccard with some group of the resample: at least half of the two code sets shared


@dataclass(frozen=True)
class Packed:
    """Counts per item, every row's side by side in one integer per item (`width` bits each):
    Python's integers add and multiply them all at once, so a resample's total of every row
    (sum over items of draws x counts) is one multiply-add per drawn item, not one per row and
    item. Exact: a field can hold the largest total any draw can make."""

    rows: int
    width: int  # bits per field: 32 or 64
    columns: tuple[int, ...]  # per item, its rows' counts packed

    @classmethod
    def of(cls, columns: list[list[int]], rows: int) -> "Packed":
        most = sum(max(col, default=0) for col in columns)  # no total exceeds it: each item drawn at most len(columns) times
        typecode = "I" if most * max(len(columns), 1) < 2**32 else "Q"
        packed = tuple(int.from_bytes(array(typecode, col).tobytes(), sys.byteorder) for col in columns)
        return cls(rows, 8 * array(typecode).itemsize, packed)

    def totals(self, times: list[int]) -> list[int]:
        """Per row, the sum over items of times[item] x its count there."""
        total = 0
        for n, column in zip(times, self.columns):
            if n:
                total += n * column
        counts = array("I" if self.width == 32 else "Q")
        counts.frombytes(total.to_bytes(self.rows * self.width // 8, sys.byteorder))
        return counts.tolist()


@dataclass(frozen=True)
class Sampler:
    """The coded data split by data item, so a resample's association is built from its items:
    per level, each code's units in each item and each pair's shared units there, counted once."""

    items: tuple[str, ...]
    sizes: dict[str, dict[str, int]]  # item -> units in it per level (informant turns, segments, 1)
    levels: tuple[str, ...]  # the levels the association weighs (the others stay empty)
    codes: tuple[str, ...]  # sorted: pair (i, j), i < j, is row pair_row(i, j) of `shared`
    alone: dict[str, Packed]  # level -> each code's units per item
    shared: dict[str, Packed]  # level -> each pair's shared units per item

    @classmethod
    def of(cls, assoc: Association) -> "Sampler":
        items = tuple(sorted(assoc.segments.per_item))
        levels = tuple(lvl for lvl in LEVELS if assoc.weights.get(lvl, 0) > 0)
        codes = tuple(sorted(assoc.units))
        counted = {lvl: _counts(_item_bits([assoc.units[c][lvl] for c in codes], lvl, items), len(items)) for lvl in levels}
        return cls(items, {item: assoc.segments.per_item[item] for item in items}, levels, codes,
                   {lvl: Packed.of(c[0], len(codes)) for lvl, c in counted.items()},
                   {lvl: Packed.of(c[1], len(codes) * (len(codes) - 1) // 2) for lvl, c in counted.items()})

    def association(self, draws: Counter, like: Association) -> Association:
        """The association over a resample: each copy of a drawn item holds its units anew."""
        totals = {lvl: sum(n * self.sizes[item][lvl] for item, n in draws.items()) for lvl in LEVELS}
        times = [draws.get(item, 0) for item in self.items]
        sizes = {lvl: dict(zip(self.codes, self.alone[lvl].totals(times))) for lvl in self.levels}
        present = [code for code in self.codes if any(sizes[lvl][code] for lvl in self.levels)]
        return Resampled(Segments({}, {}, totals), like.weights, like.min_together, {code: {} for code in present},
                         sizes=sizes, together={lvl: self.shared[lvl].totals(times) for lvl in self.levels},
                         row={code: i for i, code in enumerate(self.codes)})


def _counts(bits: list[dict[int, int]], items: int) -> tuple[list[list[int]], list[list[int]]]:
    """Per item, each code's units there and each pair's shared ones (pair_row's order): a
    code's units in an item are bits of one integer, so a pair's are one `&` and a bit count."""
    alone = [[0] * len(bits) for _ in range(items)]
    shared = [[0] * (len(bits) * (len(bits) - 1) // 2) for _ in range(items)]
    for c, held in enumerate(bits):
        for t, units in held.items():
            alone[t][c] = units.bit_count()
    for t, column in enumerate(shared):
        present = [(c, held[t]) for c, held in enumerate(bits) if t in held]
        for k, (i, a) in enumerate(present):
            for j, b in present[k + 1:]:
                column[pair_row(i, j, len(bits))] = (a & b).bit_count()
    return alone, shared


def _item_bits(sets: list[frozenset], level: str, items: tuple[str, ...]) -> list[dict[int, int]]:
    """Per code, item number -> its units there as bits (a unit's bit is its number within its
    item, the same for every code; a unit's first part is its item, see Segments)."""
    number = {item: t for t, item in enumerate(items)}
    bit: dict = {}
    used = [0] * len(items)  # bits given out per item
    out: list[dict[int, int]] = []
    for units in sets:
        held: dict[int, int] = {}
        for unit in units:
            t = number.get(unit if level == "item" else unit[0])
            if t is None:
                continue
            if unit not in bit:
                bit[unit], used[t] = used[t], used[t] + 1
            held[t] = held.get(t, 0) | 1 << bit[unit]
        out.append(held)
    return out


def pair_row(i: int, j: int, n: int) -> int:
    """The row of pair (i, j), i < j, among the n codes' pairs in combinations' order."""
    return i * (2 * n - i - 1) // 2 + j - i - 1


@dataclass
class Resampled(Association):
    """A resample's association from unit counts alone. A code holds n times its units in an item
    drawn n times, and two codes n times the units they share there; npmi needs only these sizes,
    so the resample's unit sets are never built (the same figures, not the same sets: `units`
    only names the codes present)."""

    sizes: dict[str, dict[str, int]] = field(default_factory=dict)  # level -> code -> units in the resample
    together: dict[str, list[int]] = field(default_factory=dict)  # level -> units each pair shares (pair_row)
    row: dict[str, int] = field(default_factory=dict)  # code -> its place among the Sampler's (sorted) codes

    def level_npmi(self, a: str, b: str, level: str) -> float:
        i, j = sorted((self.row[a], self.row[b]))
        return npmi_of_counts(self.together[level][pair_row(i, j, len(self.row))], self.sizes[level][a],
                              self.sizes[level][b], self.segments.totals[level], self.min_together)

    def strength(self, a: str, b: str) -> float:
        """Association.strength with its loop written out (the same float operations in the same
        order): a bootstrap round asks it of every pair of codes."""
        key = (a, b) if a < b else (b, a)
        value = self._cache.get(key)
        if value is None:
            used, total = self._used
            at = pair_row(self.row[key[0]], self.row[key[1]], len(self.row))  # sorted codes: a < b, row a < row b
            value = 0  # as sum() starts
            for level, w in used:
                sizes = self.sizes[level]
                value += w * npmi_of_counts(self.together[level][at], sizes[a], sizes[b], self.segments.totals[level],
                                            self.min_together)
            value = self._cache[key] = round(value / total, 6) if total else 0.0
        return value


@dataclass(frozen=True)
class Stability:
    """How often each candidate theme came back, and whose codes its own joined when it did not."""

    rounds: int
    unstable_below: float
    came_back: dict[str, int] = field(default_factory=dict)
    joined: dict[str, Counter] = field(default_factory=dict)

    def share(self, tid: str) -> float:
        return round(self.came_back[tid] / self.rounds, 2)

    def level2(self, tid: str) -> dict[str, Any]:
        """{"stability": ...} for level 2 of a theme that was measured, else nothing."""
        if tid not in self.came_back:
            return {}
        verdict = "unstable" if self.share(tid) < self.unstable_below else "stable"
        return {"stability": FlowMap(came_back=self.share(tid), rounds=self.rounds, verdict=verdict)}

    def flags(self, tid: str) -> list[dict[str, str]]:
        """The `unstable` review flag (thematic.flags' shape), suggesting a merge with the theme its
        codes most often joined in the rounds it did not come back, else a discard."""
        if tid not in self.came_back or self.share(tid) >= self.unstable_below:
            return []
        missing = self.rounds - self.came_back[tid]
        why = (f"came back in {self.share(tid):.0%} of {self.rounds} bootstrap resamples of the data items "
               f"(below {self.unstable_below:.0%})")
        if not self.joined.get(tid):
            return [flag("unstable", "discard", why)]
        other, times = min(self.joined[tid].items(), key=lambda kv: (-kv[1], kv[0]))
        return [flag("unstable", f"merge:{other}", f"{why}; otherwise its codes most often joined {other}'s ({times} of {missing} rounds)")]


def theme_stability(ctx: Context, themes: list[tuple[dict, list[EffectiveCode]]], assoc: Association,
                    params: dict) -> Stability:
    """Phase 4's figures: phase 3's candidate themes (with the codes that count, as review reads
    them) and the association it clustered on, resampled `stability_rounds` times (0: off), each
    sample grouped with `stability_runs` Louvain runs."""
    measured = {t["id"]: {c.id for c in members} for t, members in themes if members and t["id"] != MISC}
    theme_params = ctx.artefact("themes")["meta"]["params"]
    regroup = Regroup([c for _, members in themes for c in members], own_moves(ctx),
                      {**theme_params, "runs": max(int(params["stability_runs"]), 1)})
    return bootstrap(measured, assoc, regroup, params)


def bootstrap(measured: dict[str, set[str]], assoc: Association,
              regroup: Callable[[Association], list[set[str]]], params: dict) -> Stability:
    """Draw the items with replacement `stability_rounds` times from `stability_seed`, regroup the
    codes on each sample and count, per theme, the rounds it came back."""
    rounds = int(params["stability_rounds"])
    result = Stability(rounds, float(params["unstable"]), {tid: 0 for tid in sorted(measured)} if rounds > 0 else {})
    if rounds <= 0 or not measured:
        return result
    sampler = Sampler.of(assoc)
    rng = random.Random(int(params["stability_seed"]))
    for _ in range(rounds):
        groups = regroup(sampler.association(Counter(rng.choices(sampler.items, k=len(sampler.items))), assoc))
        for tid in result.came_back:
            _score(result, tid, measured, groups)
    return result


def _score(result: Stability, tid: str, themes: dict[str, set[str]], groups: list[set[str]]) -> None:
    """Count a round for one theme: back, or which other theme's codes its own went with."""
    codes = themes[tid]
    if any(overlap(codes, g) >= COMES_BACK for g in groups):
        result.came_back[tid] += 1
        return
    holding = max(groups, key=lambda g: (len(codes & g), overlap(codes, g)), default=set())
    if not codes & holding:
        return
    hosts = [(len(members & holding), other) for other, members in themes.items() if other != tid]
    best = min(hosts, key=lambda h: (-h[0], h[1]), default=(0, ""))
    if best[0]:
        result.joined.setdefault(tid, Counter())[best[1]] += 1


class Regroup:
    """Phase 3's grouping of codes, given a resample's association: its `cluster` and
    `name_groups`, then the researcher's moves; the groups' code sets, without `diverse`."""

    def __init__(self, codes: list[EffectiveCode], moves: dict[str, str], theme_params: dict) -> None:
        self.codes, self.moves, self.params = codes, moves, theme_params

    def __call__(self, assoc: Association) -> list[set[str]]:
        present = [c for c in self.codes if c.id in assoc.units]
        if not present:
            return []
        partition = cluster(present, assoc, self.params)
        named = name_groups(partition, assoc, {c.id: c.theme_hint for c in present})
        groups, _, _ = apply_moves({t: list(m) for t, m in named.items()}, self.moves)
        return [set(members) for tid, members in sorted(groups.items()) if tid != MISC]
