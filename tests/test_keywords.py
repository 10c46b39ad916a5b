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


@pytest.mark.parametrize("text", ["Hva med tiden, og tett oppfølging?", "Og tid?", "Tett  Oppfølging!", "Ingenting her", ""])
def test_mentioning_finds_what_mentions_finds(text: str):
    forms = ["tiden", "tett oppfølging", "tid", "", "e-post", " tid"]
    assert mentioning(forms)(text) == bool(mentions(text, forms))
