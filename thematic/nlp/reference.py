"""General Norwegian as a reference for keyness: wordfreq's offline nb frequencies."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Iterable

FLOOR = 1e-6  # words rarer than one per million count as one per million: typos never top a list


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    import wordfreq

    return wordfreq.get_frequency_dict("nb", wordlist="large")


def reference_frequency(lemma: str, forms: Iterable[str]) -> float:
    """Frequency of a lemma in general Norwegian: its own form plus the inflected forms seen."""
    table = _frequencies()
    return sum(table.get(form, 0.0) for form in {lemma.lower(), *(f.lower() for f in forms)})


def log_ratio(count: int, total: int, reference: float) -> float:
    """log2 of how much more often a word occurs here than in general Norwegian."""
    return math.log2((count / max(total, 1)) / max(reference, FLOOR))
