"""Norsk Ordbank full-form tables (from spacy-lookups-data) as a compact form -> readings table.

Built once into a pickle in the user cache (a dict of short strings, not nested objects), so
start-up stays fast and memory small. Norsk Ordbank: Språkbanken, Nasjonalbiblioteket, CC-BY 4.0.
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path


LEXICON_VERSION = "ordbank-lexicon.v1"
CLASSES = {"noun": "N", "verb": "V", "adj": "A", "adv": "R"}


def cache_dir() -> Path:
    base = os.environ.get("THEMATIC_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "thematic" if base else Path.home() / ".cache" / "thematic"


def _data_file(name: str):
    return resources.files("spacy_lookups_data") / "data" / name


def lookups_version() -> str:
    return metadata.version("spacy-lookups-data")


def build_table() -> dict[str, str]:
    """form -> 'N:lemma|V:lemma' (classes in N, A, V, R order); 'X:lemma' marks closed-class words."""
    with _data_file("nb_lemma_exc.json.gz").open("rb") as raw:
        exc = json.load(gzip.open(raw))
    with _data_file("nb_lemma_lookup.json.gz").open("rb") as raw:
        closed = json.load(gzip.open(raw))
    readings: dict[str, list[str]] = {}
    for cls in ("noun", "adj", "verb", "adv"):
        tag = CLASSES[cls]
        for form, lemmas in exc[cls].items():
            readings.setdefault(form.lower(), []).extend(f"{tag}:{lemma}" for lemma in lemmas[:1])
    for form, lemma in closed.items():
        if form.islower():
            readings[form] = [f"X:{lemma}"]
    return {form: "|".join(dict.fromkeys(parts)) for form, parts in readings.items()}


def _pickle_path() -> Path:
    return cache_dir() / f"{LEXICON_VERSION}-{lookups_version()}.pickle"


@lru_cache(maxsize=1)
def load_table() -> dict[str, str]:
    """The compact table, from the cache when present (built and saved on first use)."""
    path = _pickle_path()
    if path.is_file():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError):
            pass  # a damaged cache is rebuilt below
    table = build_table()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return table
