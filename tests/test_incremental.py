"""Per-item caches below phase 2: one changed transcript is matched and counted again, the others
are read, and the artefacts are byte for byte those of a cold run on the same corpus."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

import thematic.artefacts as atomic
import thematic.item_coding as coding
from helpers import invoke, items_done_afresh

CACHE = Path("analysis") / ".thematic" / "cache" / "code"


def _files(study: Path) -> dict[str, bytes]:
    """Every artefact, the lock and the extract store's rows (SQLite's own bytes may differ)."""
    out = {p.name: p.read_bytes() for p in (study / "analysis").iterdir() if p.is_file()}
    out["thematic.lock"] = (study / "thematic.lock").read_bytes()
    with sqlite3.connect(study / "analysis" / ".thematic" / "extracts.sqlite") as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out["extracts.sqlite"] = repr([db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables]).encode()
    return out


def _edit(study: Path, name: str = "mentor-03.txt") -> None:
    path = study / "interviews" / name
    path.write_text(path.read_text(encoding="utf-8") + "\nMentor: Tilliten kom med tett oppfølging, og samarbeidet ble bedre.\n",
                    encoding="utf-8")


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Which items phase 2 matched and counted afresh (not read from its cache)."""
    return items_done_afresh(monkeypatch, coding, "item_result")


def _run(study: Path, *more: str) -> None:
    result = invoke("run", study, *more)
    assert result.exit_code == 0, result.output


def test_a_warm_run_after_an_edit_writes_what_a_cold_run_on_the_edited_corpus_writes(example_study: Path,
                                                                                     tmp_path: Path, counted: Counter):
    _run(example_study)
    assert len(counted) == 10
    _edit(example_study)
    counted.clear()
    _run(example_study)
    assert counted == {"mentor-03": 1}  # one transcript re-matched and re-counted
    cold = tmp_path / "cold"
    shutil.copytree(example_study, cold, ignore=shutil.ignore_patterns("analysis", "thematic.lock"))
    _run(cold)
    assert _files(example_study) == _files(cold)


def test_the_cache_keeps_one_entry_per_item(tiny_study: Path, counted: Counter):
    _run(tiny_study)
    before = {p.name for p in (tiny_study / CACHE).iterdir()}
    _edit(tiny_study, "mentor-a.txt")
    _run(tiny_study)
    after = {p.name for p in (tiny_study / CACHE).iterdir()}
    assert len(before) == len(after) == 3 and len(before & after) == 2  # the old entry of mentor-a is gone


def test_another_keyword_or_compound_reading_matches_every_item_again(tiny_study: Path, counted: Counter):
    _run(tiny_study)
    book = tiny_study / "codebooks" / "mini.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace("[tid, portefølje]", "[tid, portefølje, uke]"), encoding="utf-8")
    counted.clear()
    _run(tiny_study)
    assert set(counted) == {"mentor-a", "mentor-b", "veiledere"}
    settings = tiny_study / "thematic.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("phases:\n", "phases:\n  code: {compound_min_length: 10}\n"),
                        encoding="utf-8")  # "samarbeid" (9 letters) no longer matches as a compound head
    counted.clear()
    _run(tiny_study)
    assert set(counted) == {"mentor-a", "mentor-b", "veiledere"}
    settings.write_text(settings.read_text(encoding="utf-8").replace("compound_min_length: 10}", "compound_min_length: 10, min_count: 3}"),
                        encoding="utf-8")  # a corpus-level parameter: ranking changes, no item is matched again
    counted.clear()
    _run(tiny_study)
    assert not counted


def test_who_is_an_informant_is_part_of_the_key(tiny_study: Path, counted: Counter):
    _run(tiny_study)
    settings = tiny_study / "thematic.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "corpus:\n  interviewer_labels: [Intervjuer, Veileder 2]\n",
                        encoding="utf-8")
    counted.clear()
    _run(tiny_study, "--force")  # (the lock does not see corpus settings yet)
    assert set(counted) == {"veiledere"}  # only its turns changed role


def test_a_damaged_entry_is_recomputed_to_the_same_result(tiny_study: Path, counted: Counter):
    _run(tiny_study)
    before = _files(tiny_study)
    for path in (tiny_study / CACHE).iterdir():
        path.write_bytes(path.read_bytes()[:20])
    counted.clear()
    _run(tiny_study, "--force")
    assert len(counted) == 3 and _files(tiny_study) == before


def test_an_unwritable_cache_is_one_warning_and_the_same_artefacts(tiny_study: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch):
    cold = tmp_path / "cold"
    shutil.copytree(tiny_study, cold)
    _run(cold)
    real = atomic.tempfile.mkstemp

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        if f"{Path('cache') / 'code'}" in str(kwargs.get("dir", "")):
            raise OSError(errno.EROFS, "Read-only file system")
        return real(*args, **kwargs)

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    result = invoke("run", tiny_study)
    assert result.exit_code == 0, result.output
    assert result.output.count("cannot write the coding cache") == 1
    assert _files(tiny_study) == _files(cold)


def test_lookup_matching_finds_phrases_and_their_heads_inside_one_sentence_only():
    from array import array

    from thematic.matching import KeywordMatcher, parse_keyword
    from thematic.nlp.analysis import DocAnalysis

    text = "tett oppfølging . tett oppfølging"  # a sentence ends between the last two words
    words = text.split()
    starts = [text.index(w, sum(len(x) + 1 for x in words[:i])) for i, w in enumerate(words)]
    analysis = DocAnalysis(lemmas=sorted(set(words)), tags=["NOUN"], start=array("q", starts),
                           end=array("q", [s + len(w) for s, w in zip(starts, words)]),
                           lemma=array("q", [sorted(set(words)).index(w) for w in words]), tag=array("q", [0] * 5),
                           sentences=array("q", [1, 0, 22, 0, 4, 1, 23, 33, 4, 5]))
    keywords = {"tett": [parse_keyword("tett oppfølging", str.lower, 6)], "oppf": [parse_keyword("oppfølging", str.lower, 6)]}
    found = KeywordMatcher(None, keywords).sentence_codes(analysis, text)
    assert {k: dict(v) for k, v in found.items()} == {0: {"tett": {"tett oppfølging"}, "oppf": {"oppfølging"}},
                                                      1: {"oppf": {"oppfølging"}}}


def test_results_made_on_workers_are_handed_out_from_memory_not_read_back(tiny_study: Path,
                                                                         monkeypatch: pytest.MonkeyPatch):
    import thematic.jobs as jobs
    from thematic.item_cache import ItemCache

    monkeypatch.setattr(jobs, "MIN_CHARS", 0)  # the study is far too small to pay for a worker
    monkeypatch.setattr(jobs, "WORKERS_FIRST", True)
    reads: list[str] = []
    real = ItemCache.get

    def get(self, key):  # type: ignore[no-untyped-def]
        reads.append(self.what)
        return real(self, key)

    monkeypatch.setattr(ItemCache, "get", get)
    _run(tiny_study, "--jobs", "2")
    assert "coding" not in reads and len(list((tiny_study / CACHE).glob("*.json"))) == 3  # cached all the same
