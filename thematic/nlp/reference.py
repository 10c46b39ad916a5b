"""General Norwegian as a reference for keyness: wordfreq's offline nb frequencies."""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

FLOOR = 1e-6  # words rarer than one per million count as one per million: typos never top a list


@lru_cache(maxsize=1)
def _frequencies() -> Mapping[str, str]:
    """word -> its frequency as repr() text, from a memory-mapped copy of wordfreq's list in the
    user cache (made on first use): a run looks up a few thousand words, and loading the whole
    list (320k words, with wordfreq's imports) took ~0.3 s in every run."""
    from thematic.nlp import mapped_table

    path = cache_path()
    found = mapped_table.read(path)
    if found is not None:
        return found
    table = {word: repr(freq) for word, freq in _wordfreq().items() if word and "\t" not in word and "\n" not in word}
    try:
        mapped_table.save(path, table)
    except OSError:
        return table  # a cache that cannot be written only costs this again next run
    return mapped_table.read(path) or table


def _wordfreq() -> dict[str, float]:
    import wordfreq

    return wordfreq.get_frequency_dict("nb", wordlist="large")


def cache_path() -> Path:
    """Named by wordfreq's version and the file format: another of either makes a new file."""
    from thematic.nlp.lexicon import cache_dir
    from thematic.nlp.mapped_table import FORMAT
    from thematic.versions import required_version

    return cache_dir() / f"wordfreq-nb-large-{required_version('wordfreq')}.{FORMAT}"


def reference_frequency(lemma: str, forms: Iterable[str]) -> float:
    """Frequency of a lemma in general Norwegian: its own form plus the inflected forms seen."""
    table = _frequencies()
    return sum(float(table.get(form, "0.0")) for form in {lemma.lower(), *(f.lower() for f in forms)})


def log_ratio(count: int, total: int, reference: float) -> float:
    """log2 of how much more often a word occurs here than in general Norwegian."""
    return math.log2((count / max(total, 1)) / max(reference, FLOOR))
