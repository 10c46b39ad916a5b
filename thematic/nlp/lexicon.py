"""Norsk Ordbank full-form tables (from spacy-lookups-data) as a compact form -> readings table.

Built once (10-20 s) into a file in the user cache that is looked up through a memory map
(mapped_table): data only, so a cache file someone else could write can never run code (a
pickle could), and opening it takes milliseconds where reading its 1.17M strings into a dict
took 0.4 s in every process.
Norsk Ordbank: Språkbanken, Nasjonalbiblioteket, CC-BY 4.0.
"""

from __future__ import annotations

import gzip
import json
import os
from importlib import resources
from pathlib import Path
from typing import Callable, Mapping

from thematic.nlp import mapped_table
from thematic.versions import required_version


LEXICON_VERSION = "ordbank-lexicon.v4"  # the table's content (part of the pipeline's version)
CACHE_FORMAT = mapped_table.FORMAT  # the cache file's format; the pickles and lines.v1 files before it are never read
BUILDING = "Building the Norwegian lexicon (first run only, 10-20 s)"
ProgressFactory = Callable[[str, int], Callable[[str], None]]
CLASSES = {"noun": "N", "verb": "V", "adj": "A", "adv": "R"}


def cache_dir() -> Path:
    base = os.environ.get("THEMATIC_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "thematic" if base else Path.home() / ".cache" / "thematic"


def _data_file(name: str):
    return resources.files("spacy_lookups_data") / "data" / name


def lookups_version() -> str:
    return required_version("spacy-lookups-data")


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


def cache_path() -> Path:
    return cache_dir() / f"{LEXICON_VERSION}-{lookups_version()}.{CACHE_FORMAT}"


_loaded: dict[Path, Mapping[str, str]] = {}  # one table per cache file, opened once per process


def load_table(progress: ProgressFactory | None = None) -> Mapping[str, str]:
    """The compact table: from the cache file when it holds a sound one, else built and saved.

    The build takes 10-20 s on a first run, so it opens a task of its own in `progress` (the CLI's
    progress bars) instead of leaving another step's bar standing still.
    """
    path = cache_path()
    if path not in _loaded:
        _loaded[path] = read_table(path) or _build(path, progress)
    return _loaded[path]


def forget_table() -> None:
    """Let go of the table opened in this process (its memory map); the next load_table opens it again."""
    _loaded.clear()


def _build(path: Path, progress: ProgressFactory | None) -> Mapping[str, str]:
    """Build and save the table; a cache that cannot be written (read-only or full) only costs
    the same build on the next run, so that is not an error (the table is then kept as a dict)."""
    done = progress(BUILDING, 1) if progress else None
    table = {form: entry for form, entry in build_table().items() if _plain(form) and _plain(entry)}  # as read back
    try:
        save_table(path, table)
    except OSError:
        pass
    if done:
        done("lexicon")
    return read_table(path) or table


def save_table(path: Path, table: Mapping[str, str]) -> None:
    """The table as a memory-mappable file (mapped_table), written atomically."""
    mapped_table.save(path, table)


def _plain(text: str) -> bool:
    """Fits a "form<TAB>readings" line (every Ordbank form and reading does)."""
    return bool(text) and "\t" not in text and "\n" not in text


def read_table(path: Path) -> Mapping[str, str] | None:
    """The table in a cache file, or None when it is absent or not exactly what save_table wrote
    (truncated, damaged, an older format, not ours): such a file is rebuilt, never trusted."""
    return mapped_table.read(path)
