"""The one-to-one pairing of two small lists that carries the most weight (the assignment problem).

Theme identity pairs a run's themes with the previous run's by overlap. A graph library's general
matching did it at the cost of importing the library (a quarter of a second on every re-run of
phases 3-6); the bipartite case is the Hungarian method, a few dozen lines for a few dozen themes.
"""

from __future__ import annotations

from math import inf


def best_pairs(weights: list[list[float]]) -> list[tuple[int, int]]:
    """(row, column) pairs of positive weight whose total weight is the largest possible; each
    row and each column in at most one pair. Sorted by row."""
    rows, cols = len(weights), max((len(r) for r in weights), default=0)
    n = max(rows, cols)
    if not n:
        return []
    cost = [[-(weights[i][j] if i < rows and j < len(weights[i]) else 0.0) for j in range(n)] for i in range(n)]
    column_of = _hungarian(cost)
    return [(i, j) for i, j in enumerate(column_of) if i < rows and j < len(weights[i]) and weights[i][j] > 0]


def _hungarian(cost: list[list[float]]) -> list[int]:
    """The column of each row in a least-cost assignment of a square matrix (potentials method,
    O(n^3)); ties go to the lower index, so the result is the same on every run."""
    n = len(cost)
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)
    row_at = [0] * (n + 1)  # 1-based: the row assigned to each column, 0 for none
    for i in range(1, n + 1):
        row_at[0], col = i, 0
        least, way, used = [inf] * (n + 1), [0] * (n + 1), [False] * (n + 1)
        while row_at[col]:
            used[col] = True
            row, delta, nxt = row_at[col], inf, 0
            for j in range(1, n + 1):
                if used[j]:
                    continue
                reduced = cost[row - 1][j - 1] - u[row] - v[j]
                if reduced < least[j]:
                    least[j], way[j] = reduced, col
                if least[j] < delta:
                    delta, nxt = least[j], j
            for j in range(n + 1):
                if used[j]:
                    u[row_at[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            col = nxt
        while col:
            prev = way[col]
            row_at[col] = row_at[prev]
            col = prev
    column_of = [0] * n
    for j in range(1, n + 1):
        if row_at[j]:
            column_of[row_at[j] - 1] = j - 1
    return column_of
