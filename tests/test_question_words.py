"""thematic.question_words: the questions asked, indexed by their words, kept between runs."""

from __future__ import annotations

from pathlib import Path

import pytest

import thematic.question_words
from thematic.keywords import tokenized
from thematic.question_words import CACHE, keep, question_words

QUESTIONS = ["Hvordan var oppfølgingen?", "Og tiden, da?", "", "1 2 3?", "Og oppfølgingen, da? Og tiden?",
             "Hvordan var oppfølgingen?"]


def as_index(index) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {w: index.holding(w) for w in index.words}


def expected(questions: list[str]) -> dict[str, list[str]]:
    """For each word, the questions holding it, each once, in the order first asked."""
    asked = [q for q in dict.fromkeys(questions) if q]
    return {w: [q for q in asked if w in tokenized(q)] for w in sorted({w for q in asked for w in tokenized(q)})}


def kept_and_read(questions: list[str], cache: Path):  # type: ignore[no-untyped-def]
    index, key = question_words(questions, cache)
    if key is not None:
        keep(cache, key, index)
    return index, key


def test_the_index_is_found_once_and_then_read_as_it_was_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / CACHE
    found, key = kept_and_read(QUESTIONS, cache)
    assert key is not None and as_index(found) == expected(QUESTIONS)
    monkeypatch.setattr(thematic.question_words, "tokens", lambda text: pytest.fail("split again"))
    read, again = question_words(QUESTIONS, cache)
    assert again is None and as_index(read) == expected(QUESTIONS) and read.asked == found.asked


def test_each_word_gives_the_questions_holding_it_in_the_order_asked(tmp_path: Path):
    index, _ = kept_and_read(QUESTIONS, tmp_path / CACHE)
    assert index.words == ["da", "hvordan", "og", "oppfølgingen", "tiden", "var"]
    assert index.holding("og") == ["Og tiden, da?", "Og oppfølgingen, da? Og tiden?"]
    assert index.holding("oppfølgingen") == ["Hvordan var oppfølgingen?", "Og oppfølgingen, da? Og tiden?"]
    assert index.holding("1") == [] and index.holding("nei") == [] and index.holding("") == [] and index.holding("å") == []


@pytest.mark.parametrize("change", ["question", "order", "none", "cut", "cut-by-a-number"])
def test_other_questions_or_a_damaged_file_find_it_again(tmp_path: Path, change: str):
    cache = tmp_path / CACHE
    kept_and_read(QUESTIONS, cache)
    questions = list(QUESTIONS)
    if change == "question":
        questions.append("Hva med arbeidsgiveren?")
    elif change == "order":
        questions.reverse()
    elif change == "none":
        questions = []
    else:
        cache.write_bytes(cache.read_bytes()[:-7 if change == "cut" else -4])
    index, key = kept_and_read(questions, cache)
    assert key is not None and as_index(index) == expected(questions)
    again, key = question_words(questions, cache)
    assert key is None and as_index(again) == expected(questions)
