"""Louvain communities on a small weighted graph: networkx's algorithm, step for step, without its graph.

networkx 3.x `louvain_communities(G, weight="weight", resolution=r, seed=s)` spends most of its time
in its graph classes and views (building a copy per call, degree and edge views, modularity over
edge views); the code graphs here have a few dozen nodes and are clustered hundreds of times a run
(phase 4's stability bootstrap). This is the same algorithm on plain lists and dicts, doing the same
float operations in the same order and drawing the same random numbers, so it returns the same
partition for the same graph and seed (tests/test_louvain.py holds it to networkx on random graphs).
Only undirected graphs without multi-edges, nodes 0..n-1, as thematic.clustering builds them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Iterable, Iterator

THRESHOLD = 0.0000001  # networkx's default: a level must gain more modularity than this to go on

Adjacency = list[dict[int, float]]  # node -> {neighbour: weight}, neighbours in networkx's order


@dataclass
class Level:
    """One level's graph: its adjacency (a self-loop holds a community's inner weight) and, per
    node, the original nodes it stands for (None at the first level: just itself)."""

    adj: Adjacency
    members: list[set[int]] | None = None
    _degrees: list[float] | None = None
    _neighbours: list[list[tuple[int, float]]] | None = None

    def degrees(self) -> list[float]:
        """Weighted degrees as networkx's DegreeView sums them (a self-loop counts twice); a
        level's graph does not change, so they are summed once."""
        if self._degrees is None:
            self._degrees = [sum(nbrs.values()) + (u in nbrs and nbrs[u]) for u, nbrs in enumerate(self.adj)]
        return self._degrees

    def neighbours(self) -> list[list[tuple[int, float]]]:
        """Each node's neighbours and weights, self-loop aside, in adjacency order; every run of
        louvain_runs starts from the same first level, so they are listed once."""
        if self._neighbours is None:
            self._neighbours = [[(v, w) for v, w in nbrs.items() if v != u] for u, nbrs in enumerate(self.adj)]
        return self._neighbours

    def nodes_of(self, u: int) -> set[int]:
        return {u} if self.members is None else self.members[u]

    def edges(self) -> list[tuple[int, int, float]]:
        """Each edge once, in networkx's edge-view order (by node, then neighbour order)."""
        seen: set[int] = set()
        out = []
        for u, nbrs in enumerate(self.adj):
            out.extend((u, v, w) for v, w in nbrs.items() if v not in seen)
            seen.add(u)
        return out


def louvain_communities(adj: Adjacency, resolution: float, seed: int) -> list[set[int]]:
    """The communities networkx's louvain_communities finds on this graph with this seed."""
    return louvain_runs(adj, resolution, [seed])[0]


def louvain_runs(adj: Adjacency, resolution: float, seeds: Iterable[int]) -> list[list[set[int]]]:
    """louvain_communities for each seed, on one first level: its degrees, neighbours and the
    modularity of every node alone are the same for every seed."""
    level = Level([dict(nbrs) for nbrs in adj])
    if not any(adj):
        return [[{u} for u in range(len(adj))] for _ in seeds]
    alone = modularity(level, [{u} for u in range(len(adj))], resolution)
    return [_louvain(level, alone, resolution, random.Random(seed)) for seed in seeds]


def _louvain(level: Level, mod: float, resolution: float, rng: random.Random) -> list[set[int]]:
    """networkx's louvain_partitions, to its last level, from `level` with every node alone
    (whose modularity is `mod`)."""
    m = sum(level.degrees()) / 2
    partition, inner, _ = one_level(level, m, [{u} for u in range(len(level.adj))], resolution, rng)
    while True:
        found = [s.copy() for s in partition]
        new_mod = modularity(level, inner, resolution)
        if new_mod - mod <= THRESHOLD:
            return found
        mod = new_mod
        level = coarsened(level, inner)
        partition, inner, improved = one_level(level, m, partition, resolution, rng)
        if not improved:
            return found


def one_level(level: Level, m: float, partition: list[set[int]], resolution: float,
              rng: random.Random) -> tuple[list[set[int]], list[set[int]], bool]:
    """Move nodes to the neighbouring community that gains most modularity until none moves:
    networkx's loop, with its float operations in its order (2 m^2 is the same number each time,
    so it is computed once)."""
    n = len(level.adj)
    node2com = list(range(n))
    inner = [{u} for u in range(n)]
    degrees = level.degrees()
    stot = list(degrees)
    nbrs = level.neighbours()
    order = list(range(n))
    rng.shuffle(order)
    twice_m2 = 2 * m**2
    moves, improved = 1, False
    while moves > 0:
        moves = 0
        for u in order:
            weights: dict[int, float] = {}
            for nbr, wt in nbrs[u]:
                com = node2com[nbr]
                weights[com] = weights.get(com, 0.0) + wt
            degree = degrees[u]
            best_mod, best = 0, node2com[u]
            stot[best] -= degree
            own = weights.setdefault(best, 0.0)
            remove_cost = -own / m + resolution * (stot[best] * degree) / twice_m2
            for com, wt in weights.items():
                gain = remove_cost + wt / m - resolution * (stot[com] * degree) / twice_m2
                if gain > best_mod:
                    best_mod, best = gain, com
            stot[best] += degree
            if best != node2com[u]:
                com = level.nodes_of(u)
                partition[node2com[u]].difference_update(com)
                inner[node2com[u]].remove(u)
                partition[best].update(com)
                inner[best].add(u)
                improved = True
                moves += 1
                node2com[u] = best
    return list(filter(len, partition)), list(filter(len, inner)), improved


def coarsened(level: Level, inner: list[set[int]]) -> Level:
    """The next level's graph: one node per community, edge weights summed as networkx sums them."""
    node2com: dict[int, int] = {}
    members = []
    for i, part in enumerate(inner):
        nodes: set[int] = set()
        for node in part:
            node2com[node] = i
            nodes.update(level.nodes_of(node))
        members.append(nodes)
    adj: Adjacency = [{} for _ in inner]
    for u, v, wt in level.edges():
        a, b = node2com[u], node2com[v]
        total = wt + adj[a].get(b, 0)
        adj[a][b] = total
        adj[b][a] = total
    return Level(adj, members)


def modularity(level: Level, communities: list[set[int]], resolution: float) -> float:
    """networkx.community.modularity of an undirected weighted graph, summed in its order."""
    degree = level.degrees()
    deg_sum = sum(degree)
    m = deg_sum / 2
    norm = 1 / deg_sum**2

    def contribution(community: set[int]) -> float:
        comm = set(community)
        inside = sum(_inner_weights(level.adj, comm))
        total = sum(degree[u] for u in comm)
        return inside / m - resolution * total * total * norm

    return sum(map(contribution, communities))


def _inner_weights(adj: Adjacency, nodes: set[int]) -> Iterator[float]:
    """The weights of the edges inside these nodes, each edge once, in networkx's edge-view
    order for an nbunch (node by node as the set iterates, then neighbour order)."""
    seen: set[int] = set()
    for u in nodes:
        yield from (w for v, w in adj[u].items() if v in nodes and v not in seen)
        seen.add(u)
