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


LEXICON_VERSION = "ordbank-lexicon.v4"
CLASSES = {"noun": "N", "verb": "V", "adj": "A", "adv": "R"}


def cache_dir() -> Path:
    base = os.environ.get("THEMATIC_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "thematic" if base else Path.home() / ".cache" / "thematic"


def _data_file(name: str):
    return resources.files("spacy_lookups_data") / "data" / name


def lookups_version() -> str:
    return metadata.version("spacy-lookups-data")


# Inflection endings -> lemma endings, to repair homograph collisions in the tables
# ("arbeidet" listed under the noun "arbeide", "går" under the verb "gåre").
SUFFIXES = {
    "noun": (("ene", ""), ("ene", "e"), ("en", ""), ("en", "e"), ("et", ""), ("er", ""), ("er", "e"), ("a", ""), ("a", "e")),
    "verb": (("er", "e"), ("et", "e"), ("te", "e"), ("de", "e"), ("a", "e"), ("es", "e"), ("r", ""), ("dde", "")),
}


def _repair(cls: str, table: dict[str, list[str]], freq: dict[str, float]) -> dict[str, str]:
    """form -> lemma for one word class, choosing among listed and rule-made lemmas by frequency."""
    known = {lemmas[0] for lemmas in table.values()}
    out = {}
    for form, lemmas in table.items():
        best = lemmas[0]
        for end, new in SUFFIXES.get(cls, ()):
            if form.endswith(end) and len(form) > len(end) + 1:
                candidate = form[: len(form) - len(end)] + new
                if candidate in known and freq.get(candidate, 0.0) > 2 * freq.get(best, 0.0):
                    best = candidate
        out[form] = best
    return out


def _likelihood(form: str, reading: tuple[str, str], found: list, paradigms: dict, freq: dict) -> tuple:
    """How likely a reading is: a noun beats an imperative-looking verb (arbeid, jobb, hjelp) and
    a past tense that is also a neuter definite noun (samarbeidet, arbeidet, møtet); otherwise
    the general frequency of the forms only this reading's lemma has decides."""
    cls, lemma = reading
    has_noun = any(c == "noun" for c, _ in found)
    imperative = any(c == "verb" and lem.endswith("e") and lem[:-1] == form for c, lem in found)
    if has_noun and (imperative or (form.endswith("et") and any(c == "verb" for c, _ in found))):
        return (cls == "noun", 0.0)
    shared = set.intersection(*(paradigms[r] for r in found)) if len(found) > 1 else set()
    return (False, sum(freq.get(f, 0.0) for f in paradigms[reading] - shared))


def build_table() -> dict[str, str]:
    """lowercase form -> 'N:lemma|V:lemma', likeliest reading first; 'X:lemma' marks closed-class words."""
    import wordfreq

    with _data_file("nb_lemma_exc.json.gz").open("rb") as raw:
        exc = json.load(gzip.open(raw))
    with _data_file("nb_lemma_lookup.json.gz").open("rb") as raw:
        closed = json.load(gzip.open(raw))
    freq = wordfreq.get_frequency_dict("nb", wordlist="large")
    lemmas = {cls: _repair(cls, exc[cls], freq) for cls in CLASSES}
    paradigms: dict[tuple[str, str], set[str]] = {}
    for cls, table in lemmas.items():
        for form, lemma in table.items():
            paradigms.setdefault((cls, lemma), set()).add(form)
    readings: dict[str, list[str]] = {}
    forms = {f for table in lemmas.values() for f in table}
    for form in sorted(forms, key=lambda f: (f != f.lower(), f)):  # "start" before "Start"
        if form.lower() in readings:
            continue
        found = [(cls, lemmas[cls][form]) for cls in CLASSES if form in lemmas[cls]]
        ranked = sorted(found, key=lambda r: _likelihood(form, r, found, paradigms, freq), reverse=True)
        readings[form.lower()] = [f"{CLASSES[cls]}:{lemma}" for cls, lemma in ranked]
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
