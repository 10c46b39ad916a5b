"""The query index's postings, written lemma range by lemma range so memory stays bounded: the
rows are the ones a single sort of the whole corpus gives, whatever the batch size."""

from __future__ import annotations

import random
import sqlite3

import numpy
import pytest

from thematic import index


def postings_written(lemmas: list, names: list[str]) -> list[tuple]:
    db = sqlite3.connect(":memory:")
    db.executescript(index.SCHEMA)
    index._write_postings(db, names, lemmas)
    return db.execute("SELECT id, lemma, postings FROM q_lemmas ORDER BY rowid").fetchall()


def by_hand(lemmas: list, names: list[str]) -> list[tuple]:
    """Every lemma that occurs, in id order, with its (item, token) pairs in corpus order."""
    pairs: dict[int, list[int]] = {}
    for n, item in enumerate(lemmas):
        for k, lemma in enumerate(item.tolist()):
            pairs.setdefault(lemma, []).extend((n, k))
    return [(i, names[i], numpy.asarray(pairs[i], dtype="<i4").tobytes()) for i in sorted(pairs)]


@pytest.mark.parametrize("batch", [1, 3, 50, 1 << 20])
def test_postings_are_the_same_whatever_the_batch(monkeypatch, batch: int):
    rng = random.Random(7)
    names = [f"lemma{i:02d}" for i in range(40)]  # some never occur: they get no row
    weights = [1 / (i + 1) for i in range(30)]  # a few frequent lemmas, longer than a batch
    lemmas = [numpy.asarray(rng.choices(range(30), weights, k=rng.randrange(0, 60)), dtype="<i4") for _ in range(9)]
    monkeypatch.setattr(index, "POSTINGS_BATCH", batch)
    assert postings_written(lemmas, names) == by_hand(lemmas, names)


def test_batches_cover_every_lemma_once_and_hold_about_a_batch_of_tokens():
    counts = numpy.array([5, 0, 1, 1, 9, 2, 2, 2])
    ranges = list(index._ranges(counts, 4))
    assert [lo for lo, _ in ranges] == [0, *[hi for _, hi in ranges[:-1]]] and ranges[-1][1] == len(counts)
    assert all(counts[lo:hi].sum() <= 4 or hi == lo + 1 for lo, hi in ranges)
