"""thematic.louvain is networkx's Louvain without the graph classes: it must find the very same
communities for every graph and seed, or phase 3-5's artefacts would change with the speed-up."""

from __future__ import annotations

import random
from itertools import combinations

import networkx as nx
import pytest

from thematic.clustering import communities
from thematic.louvain import louvain_communities, louvain_runs
from thematic.measures import adjusted_rand_index


def random_graph(rng: random.Random, n: int, density: float, tied: bool) -> tuple[list[dict[int, float]], nx.Graph]:
    """The same graph twice: our adjacency and a networkx Graph built as clustering used to build it.
    Tied weights (few distinct values) make equal gains, where the order of the loops decides."""
    adj: list[dict[int, float]] = [{} for _ in range(n)]
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    for i, j in combinations(range(n), 2):
        if rng.random() < density:
            w = rng.choice([0.5, 1.0, 2.0]) if tied else rng.random() * 0.4
            adj[i][j] = adj[j][i] = w
            graph.add_edge(i, j, weight=w)
    return adj, graph


def as_sorted(partition: list[set[int]]) -> list[list[int]]:
    return sorted(sorted(c) for c in partition)


@pytest.mark.parametrize("tied", [False, True])
def test_same_communities_as_networkx(tied: bool) -> None:
    rng = random.Random(11 + tied)
    for _ in range(150):
        n, density = rng.randint(1, 32), rng.random()
        resolution, seed = rng.choice([0.5, 1.0, 1.2, 2.0]), rng.randint(0, 50)
        adj, graph = random_graph(rng, n, density, tied)
        expected = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
        assert as_sorted(louvain_communities(adj, resolution, seed)) == as_sorted(expected)


@pytest.mark.parametrize("tied", [False, True])
def test_runs_sharing_their_first_level_find_each_seed_s_communities(tied: bool) -> None:
    """louvain_runs builds the first level once for all its seeds: each seed must still get the
    communities networkx finds with it alone."""
    rng = random.Random(11 if tied else 12)
    for _ in range(8):
        adj, graph = random_graph(rng, rng.randint(3, 28), rng.choice([0.2, 0.5, 0.9]), tied)
        resolution, seeds = rng.choice([0.5, 1.0, 1.2]), range(rng.randint(0, 9), 14)
        found = louvain_runs(adj, resolution, seeds)
        assert [as_sorted(p) for p in found] == [
            as_sorted(nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=s)) for s in seeds]


def test_no_edges_leaves_every_node_alone() -> None:
    assert as_sorted(louvain_communities([{}, {}, {}], 1.0, 0)) == [[0], [1], [2]]


def networkx_communities(ids: list[str], weight, resolution: float, runs: int, seed: int) -> tuple:
    """clustering.communities as it was with networkx and an adjusted Rand index per pair of runs."""
    ids = sorted(ids)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(ids)))
    for i, j in combinations(range(len(ids)), 2):
        if weight(ids[i], ids[j]) > 0:
            graph.add_edge(i, j, weight=weight(ids[i], ids[j]))
    labelings = []
    for s in range(seed, seed + runs):
        label = [0] * len(ids)
        for k, community in enumerate(sorted(nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=s), key=min)):
            for node in community:
                label[node] = k
        labelings.append(tuple(label))
    agreement = [sum(adjusted_rand_index(list(a), list(b)) for k, b in enumerate(labelings) if k != i)
                 for i, a in enumerate(labelings)]
    return labelings[min(range(runs), key=lambda i: (-round(agreement[i], 9), i))], tuple(labelings)


def test_consensus_partition_unchanged() -> None:
    rng = random.Random(5)
    ids = [f"kode-{i:02}" for i in range(24)]
    strengths = {pair: rng.choice([0.0, rng.random() * 0.3]) for pair in combinations(ids, 2)}

    def weight(a: str, b: str) -> float:
        return strengths[(a, b)]

    best, runs = networkx_communities(ids, weight, 1.2, 25, 0)
    partition = communities(ids, weight, 1.2, 25, 0)
    assert partition.runs == runs
    assert [[ids.index(c) for c in g] for g in partition.groups] == sorted(
        ([i for i, label in enumerate(best) if label == k] for k in set(best)), key=lambda g: g[0])
