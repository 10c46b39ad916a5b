"""thematic.keywords: what a re-run after a decision does not compute again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import thematic.keywords
from helpers import invoke
from thematic.keywords import mentioning, mentions


def test_a_decision_re_run_takes_the_general_frequencies_from_the_cache(analysed_example: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch):
    study = tmp_path / "study"
    shutil.copytree(analysed_example, study)
    codes = study / "analysis" / "2-codes.yaml"
    codes.write_text(codes.read_text(encoding="utf-8").replace("decision: suggested", "decision: accepted", 1), encoding="utf-8")
    asked = []
    monkeypatch.setattr(thematic.keywords, "_general", lambda word: asked.append(word) or 0.0)
    result = invoke("run", study, "--json")
    assert result.exit_code == 0, result.output
    assert '"phase": "review"' in result.output and '"action": "ran"' in result.output
    assert asked == []  # the transcripts did not change, so neither did their words' frequencies


def test_a_changed_vocabulary_asks_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from collections import Counter

    asked = []
    monkeypatch.setattr(thematic.keywords, "_general", lambda word: asked.append(word) or 1e-5)
    cache = tmp_path / "general.json"
    assert thematic.keywords.general_frequencies(Counter(tid=3, skreddersøm=4, sjelden=1), 3, cache) == {"skreddersøm": 1e-5, "tid": 1e-5}
    assert thematic.keywords.general_frequencies(Counter(tid=3, skreddersøm=4), 3, cache) == {"skreddersøm": 1e-5, "tid": 1e-5}
    assert asked == ["skreddersøm", "tid"]
    thematic.keywords.general_frequencies(Counter(tid=3, mestring=3), 3, cache)
    assert asked == ["skreddersøm", "tid", "mestring", "tid"]


def test_kept_frequencies_are_written_back_as_read_not_encoded_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A run writes the same files whatever it finds (tests/test_crash_safety.py), but a kept
    table is rewritten from the text read: encoding it again was most of the call at 1M words."""
    import json
    import types
    from collections import Counter

    monkeypatch.setattr(thematic.keywords, "_general", lambda word: 1e-5)
    cache = tmp_path / "general.json"
    thematic.keywords.general_frequencies(Counter(tid=3, skreddersøm=4), 3, cache)
    written = cache.read_bytes()
    cache.unlink()
    cache.write_bytes(written)
    def dumps(data, **kwargs):  # type: ignore[no-untyped-def]
        assert not isinstance(data, dict), "the kept table encoded again"
        return json.dumps(data, **kwargs)  # the vocabulary's key

    monkeypatch.setattr(thematic.keywords, "json", types.SimpleNamespace(loads=json.loads, dumps=dumps))
    assert thematic.keywords.general_frequencies(Counter(tid=3, skreddersøm=4), 3, cache) == {"skreddersøm": 1e-5, "tid": 1e-5}
    assert cache.read_bytes() == written


@pytest.mark.parametrize("text", ["Hva med tiden, og tett oppfølging?", "Og tid?", "Tett  Oppfølging!", "Ingenting her", "",
                                  "Tett på, men ingen oppfølging", "e-post kontakt", "E post?"])
def test_mentioning_finds_what_mentions_finds(text: str):
    forms = ["tiden", "tett oppfølging", "tid", "", "e-post", " tid", "e post", "tett  oppfølging", "e-post kontakt"]
    assert mentioning(forms)(text) == bool(mentions(text, forms))


def test_naming_finds_for_each_theme_the_questions_mentioning_finds(tmp_path: Path):
    from thematic.keywords import naming
    from thematic.question_words import question_words

    texts = ["Hva med tiden, og tett oppfølging?", "Og tid?", "Tett  Oppfølging!", "Ingenting her", "",
             "Tett på, men ingen oppfølging", "e-post kontakt", "E post?", "Oppfølging tett?"]
    forms_of = {"a": ["tiden", "tett oppfølging", "tid", "", "e-post", " tid", "e post", "tett  oppfølging", " "],
                "b": ["Oppfølging", "e post kontakt"], "c": ["ingen oppfølging", "e-post kontakt"], "d": []}
    asked_of = {"a": texts, "b": texts[:5], "c": texts[3:], "d": texts}
    index, _ = question_words(texts, tmp_path / "questions.bin")
    named = naming(forms_of, asked_of, index.holding)
    for key, forms in forms_of.items():
        assert named[key] == {t for t in asked_of[key] if mentioning(forms)(t)}
    assert named["a"] == {texts[i] for i in (0, 1, 2, 6, 7)} and named["b"] == {texts[0], texts[2]}
    assert named["c"] == {texts[5]} and named["d"] == set()


def test_missed_candidates_keep_every_turn_possible_missed_finds():
    from thematic.keywords import missed_candidates, possible_missed

    turn_words = {("a", i): frozenset(ws.split()) for i, ws in enumerate(
        ["tillit relasjon", "tillit", "tempo frist skjema", "relasjon tempo", "skjema frist", ""])}
    keywords = {"t1": ["tillit", "relasjon"], "t2": ["tempo", "frist", "skjema"]}
    for min_hits in (0, 1, 2, 3):
        kept = missed_candidates(keywords.values(), turn_words, min_hits)
        for tid, kws in keywords.items():
            theme = {("a", 0)} if tid == "t1" else {("a", 2)}
            assert possible_missed(kws, theme, kept, min_hits) == possible_missed(kws, theme, turn_words, min_hits)
    assert set(missed_candidates(keywords.values(), turn_words, 2)) == {("a", 0), ("a", 2), ("a", 3), ("a", 4)}


def test_leaving_out_words_that_cannot_be_keywords_changes_no_keyword():
    """Phase 4 makes strings only of the words keyword_words allows: the keywords and the turns
    that hold them must be those found over every word."""
    from collections import Counter

    from thematic.keywords import keyword_words, missed_candidates, theme_keywords, word_turns

    texts = ["skjema frist tempo og", "skjema frist og", "skjema tempo relasjon og", "tillit relasjon", "tillit relasjon skjema",
             "tillit og", "frist", "relasjon tempo tillit og", "sjelden"]
    every = {("a", i): tuple(sorted(t.split())) for i, t in enumerate(texts)}
    overall = Counter(word_turns(every.values()))
    general = {w: (0.5 if w == "og" else 1e-6) for w, n in overall.items() if n >= 2}
    allowed = keyword_words(overall, general, 1e-4, min_turns=2)
    assert allowed == {"frist", "relasjon", "skjema", "tempo", "tillit"}
    some = {turn: tuple(w for w in ws if w in allowed) for turn, ws in every.items()}
    for theme in ({("a", 0), ("a", 1), ("a", 2)}, {("a", 3), ("a", 4), ("a", 5), ("a", 7)}):
        found = [theme_keywords(theme, ws, 5, 1e-4, min_turns=2, min_lift=1.1, overall=overall, general=general)
                 for ws in (every, some)]
        assert found[0] == found[1] and found[0]
        assert missed_candidates([found[0]], every, 1) == {t: every[t] for t in missed_candidates([found[0]], some, 1)}
