"""Phase 1's per-item cache: one edited transcript is profiled again, the others are read, and
1-familiarisation.yaml is byte for byte what a run without the cache writes."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

import thematic.phases.familiarise as familiarise
from helpers import invoke, items_done_afresh

CACHE = Path("analysis") / ".thematic" / "cache" / "familiarise"
ARTEFACT = Path("analysis") / "1-familiarisation.yaml"


@pytest.fixture()
def profiled(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Which items phase 1 profiled afresh (not read from its cache)."""
    return items_done_afresh(monkeypatch, familiarise, "profile")


def _familiarise(study: Path, *more: str) -> bytes:
    result = invoke("familiarise", study, *more)
    assert result.exit_code == 0, result.output
    return (study / ARTEFACT).read_bytes()


def _edit(study: Path, name: str) -> None:
    path = study / "interviews" / name
    path.write_text(path.read_text(encoding="utf-8") + "\nMentor: Tilliten kom med tett oppfølging og arbeidstrening.\n",
                    encoding="utf-8")


def test_an_edit_profiles_one_item_and_writes_what_a_run_without_the_cache_writes(example_study: Path, tmp_path: Path,
                                                                                 profiled: Counter):
    _familiarise(example_study)
    assert len(profiled) == 10
    _edit(example_study, "mentor-03.txt")
    profiled.clear()
    warm = _familiarise(example_study)
    assert profiled == {"mentor-03": 1}
    cold = tmp_path / "cold"
    shutil.copytree(example_study, cold, ignore=shutil.ignore_patterns("analysis", "thematic.lock"))
    assert _familiarise(cold) == warm


def test_a_damaged_entry_is_profiled_again_and_stale_entries_are_pruned(tiny_study: Path, profiled: Counter):
    first = _familiarise(tiny_study)
    entries = sorted((tiny_study / CACHE).iterdir())
    assert len(entries) == 3
    entries[0].write_bytes(b"{not json")
    profiled.clear()
    assert _familiarise(tiny_study, "--force") == first
    assert sum(profiled.values()) == 1
    _edit(tiny_study, "mentor-a.txt")
    _familiarise(tiny_study)
    after = {p.name for p in (tiny_study / CACHE).iterdir()}
    assert len(after) == 3 and len(after & {p.name for p in entries}) == 2  # mentor-a's old entry is gone


def test_participant_attributes_are_read_afresh_without_profiling_any_item(tiny_study: Path, profiled: Counter):
    _familiarise(tiny_study)
    people = tiny_study / "participants.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("mentor-b: {role: mentor}", "mentor-b: {role: leder}"),
                      encoding="utf-8")
    profiled.clear()
    text = _familiarise(tiny_study).decode("utf-8")
    assert not profiled and "role: leder" in text


def test_new_parameters_profile_every_item_again(tiny_study: Path, profiled: Counter):
    _familiarise(tiny_study)
    settings = tiny_study / "thematic.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("phases:\n", "phases:\n  familiarise: {key_terms: 3}\n"),
                        encoding="utf-8")
    profiled.clear()
    _familiarise(tiny_study)
    assert sum(profiled.values()) == 3


def _key_terms_by_sentence(doc, analysis, limit: int, min_count: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """key_terms as it was written over Sentence and Token objects: the reference it must equal."""
    from collections import defaultdict

    from thematic.nlp.reference import log_ratio, reference_frequency
    from thematic.nlp.stopwords import is_stop

    counts: Counter[str] = Counter()
    forms: dict[str, set[str]] = defaultdict(set)
    total = 0
    for turn in doc.informant_turns:
        for sentence in analysis.get(turn.index, []):
            for token in sentence.tokens:
                total += 1
                if token.pos == "NOUN" and not is_stop(token.lemma, token.pos):
                    counts[token.lemma] += 1
                    forms[token.lemma].add(doc.text[token.start:token.end])
    scored = [(log_ratio(n, total, reference_frequency(lemma, forms[lemma])), lemma)
              for lemma, n in counts.items() if n >= min_count]
    return {lemma: counts[lemma] for _, lemma in sorted(scored, key=lambda p: (-p[0], p[1]))[:limit]}


def test_key_terms_read_off_the_columns_equal_those_counted_token_by_token(example_study: Path):
    from thematic.context import Context
    from thematic.project import load_project

    ctx = Context(load_project(example_study))
    for doc in ctx.docs:
        for limit, min_count in ((15, 3), (40, 1)):
            expected = _key_terms_by_sentence(doc, ctx.analyses[doc.id], limit, min_count)
            assert familiarise.key_terms(doc, ctx.analyses[doc.id], limit, min_count) == expected
            assert list(familiarise.key_terms(doc, ctx.analyses[doc.id], limit, min_count)) == list(expected)


def test_each_item_is_profiled_as_soon_as_it_is_analysed(tiny_study: Path, monkeypatch: pytest.MonkeyPatch):
    """Profiling interleaves with the analyses (so it shares the cores with the workers' analyses),
    not after all of them; items read from the NLP cache are profiled after, as before."""
    import thematic.nlp.analysis as analysis

    events: list[str] = []
    real_store, real_profile = analysis._store, familiarise.profile
    monkeypatch.setattr(analysis, "_store", lambda path, a, warn: events.append("analysed") or real_store(path, a, warn))
    monkeypatch.setattr(familiarise, "profile", lambda doc, a, params: events.append("profiled") or real_profile(doc, a, params))
    first = _familiarise(tiny_study)
    assert events == ["analysed", "profiled"] * 3
    shutil.rmtree(tiny_study / CACHE)
    events.clear()
    assert _familiarise(tiny_study, "--force") == first and events == ["profiled"] * 3
