"""Groups of codes from their association graph: Louvain communities over fixed seeds.

One seed can be unlucky, so the community detection runs once per seed and keeps the partition
that agrees best (adjusted Rand index) with all the others: a consensus that is still exactly
reproducible. How often two codes land together over the runs is the grouping's stability.
The Louvain steps are networkx's, on plain lists (thematic.louvain): the same partitions, faster.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Callable

from thematic.louvain import louvain_runs
from thematic.measures import adjusted_rand_index

ALGORITHM = "louvain-consensus.v1"


@dataclass(frozen=True)
class Partition:
    """Groups of code ids (each sorted, groups ordered by first id) and every run's labels."""

    ids: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]
    runs: tuple[tuple[int, ...], ...]

    def stability(self, members: list[str]) -> float | None:
        """Share of runs that put each pair of these codes in one group, averaged; None for one code."""
        index = {c: i for i, c in enumerate(self.ids)}
        pairs = list(combinations(sorted(index[m] for m in members), 2))
        if not pairs or not self.runs:
            return None
        same = sum(run[i] == run[j] for run in self.runs for i, j in pairs)
        return round(same / (len(pairs) * len(self.runs)), 3)


def _labels(communities: list[set[int]], size: int) -> tuple[int, ...]:
    label = [0] * size
    for k, community in enumerate(sorted(communities, key=min)):
        for node in community:
            label[node] = k
    return tuple(label)


def communities(ids: list[str], weight: Callable[[str, str], float], resolution: float,
                runs: int, seed: int) -> Partition:
    """Louvain over the weighted code graph, `runs` times from `seed`; the medoid partition wins."""
    ids = sorted(ids)
    adj: list[dict[int, float]] = [{} for _ in ids]  # integer nodes, neighbours in ascending order
    for i, j in combinations(range(len(ids)), 2):
        w = weight(ids[i], ids[j])
        if w > 0:
            adj[i][j] = adj[j][i] = w
    labelings = [_labels(found, len(ids)) for found in louvain_runs(adj, resolution, range(seed, seed + max(runs, 1)))]
    best = labelings[_medoid(labelings)]
    groups = {}
    for node, label in enumerate(best):
        groups.setdefault(label, []).append(ids[node])
    ordered = tuple(sorted((tuple(g) for g in groups.values()), key=lambda g: g[0]))
    return Partition(tuple(ids), ordered, tuple(labelings))


def _medoid(labelings: list[tuple[int, ...]]) -> int:
    """The run that agrees best with all the others (first on ties). Runs often repeat a
    partition, so each distinct (ordered) pair's index is computed once; the sums are the same."""
    known: dict[tuple, float] = {}

    def ari(a: tuple[int, ...], b: tuple[int, ...]) -> float:
        if (a, b) not in known:
            known[a, b] = adjusted_rand_index(list(a), list(b))
        return known[a, b]

    agreement = [sum(ari(a, b) for k, b in enumerate(labelings) if k != i) for i, a in enumerate(labelings)]
    return min(range(len(labelings)), key=lambda i: (-round(agreement[i], 9), i))


def subgroups(ids: list[str], weight: Callable[[str, str], float], params: dict) -> list[list[str]]:
    """Sub-clusters of one theme's codes (two or more groups of two or more codes, else none):
    subthemes in phase 5 and the split advice of phase 4. `params` are the themes phase's."""
    if len(ids) < 4:
        return []
    partition = communities(ids, weight, params["resolution"], params["runs"], params["seed"])
    groups = [list(g) for g in partition.groups if len(g) >= 2]
    return groups if len(groups) >= 2 else []
