"""Groups of codes from their association graph: Louvain communities (networkx) over fixed seeds.

One seed can be unlucky, so the community detection runs once per seed and keeps the partition
that agrees best (adjusted Rand index) with all the others: a consensus that is still exactly
reproducible. How often two codes land together over the runs is the grouping's stability.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Callable

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
    import networkx as nx  # only the phases that cluster pay for the import

    ids = sorted(ids)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(ids)))  # integer nodes: no string hashing anywhere inside
    for i, j in combinations(range(len(ids)), 2):
        w = weight(ids[i], ids[j])
        if w > 0:
            graph.add_edge(i, j, weight=w)
    labelings = [_labels(nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=s),
                         len(ids)) for s in range(seed, seed + max(runs, 1))]
    agreement = [sum(adjusted_rand_index(list(a), list(b)) for k, b in enumerate(labelings) if k != i)
                 for i, a in enumerate(labelings)]
    best = labelings[min(range(len(labelings)), key=lambda i: (-round(agreement[i], 9), i))]
    groups = {}
    for node, label in enumerate(best):
        groups.setdefault(label, []).append(ids[node])
    ordered = tuple(sorted((tuple(g) for g in groups.values()), key=lambda g: g[0]))
    return Partition(tuple(ids), ordered, tuple(labelings))


def subgroups(ids: list[str], weight: Callable[[str, str], float], params: dict) -> list[list[str]]:
    """Sub-clusters of one theme's codes (two or more groups of two or more codes, else none):
    subthemes in phase 5 and the split advice of phase 4. `params` are the themes phase's."""
    if len(ids) < 4:
        return []
    partition = communities(ids, weight, params["resolution"], params["runs"], params["seed"])
    groups = [list(g) for g in partition.groups if len(g) >= 2]
    return groups if len(groups) >= 2 else []
