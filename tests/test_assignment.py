"""The assignment behind theme identity carries as much weight as a general matching does."""

from __future__ import annotations

import random

import networkx as nx

from thematic.assignment import best_pairs


def _matching_weight(weights: list[list[float]]) -> float:
    graph = nx.Graph()
    for i, row in enumerate(weights):
        for j, w in enumerate(row):
            if w > 0:
                graph.add_edge(("r", i), ("c", j), weight=w)
    return sum(graph[a][b]["weight"] for a, b in nx.max_weight_matching(graph))


def test_best_pairs_carry_the_most_weight_on_random_matrices():
    rng = random.Random(3)
    for _ in range(300):
        rows, cols = rng.randint(0, 7), rng.randint(1, 7)
        weights = [[rng.choice([0.0, 0.0, round(rng.random(), 3)]) for _ in range(cols)] for _ in range(rows)]
        pairs = best_pairs(weights)
        assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
        assert all(weights[i][j] > 0 for i, j in pairs)
        assert abs(sum(weights[i][j] for i, j in pairs) - _matching_weight(weights)) < 1e-9


def test_a_heavy_pair_gives_way_when_two_lighter_ones_carry_more():
    # greedy would pair row 0 with column 0 (0.9) and leave row 1 alone
    assert best_pairs([[0.9, 0.8], [0.5, 0.0]]) == [(0, 1), (1, 0)]


def test_nothing_to_pair():
    assert best_pairs([]) == [] and best_pairs([[0.0, 0.0]]) == []
