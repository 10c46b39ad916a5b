"""thematic.turn_words: the words of every informant turn, as phase 4 reads them, kept between runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import thematic.question_words
import thematic.turn_words
from helpers import invoke
from thematic.keywords import words
from thematic.question_words import CACHE as QUESTION_WORDS
from thematic.turn_words import CACHE, turn_words

TURNS = {("a", 1): "Tilliten kom sakte, men oppfølgingen var tett.", ("a", 3): "Skjemaene tok tiden fra samtalene.",
         ("b", 2): "Arbeidsgiveren ville prøve igjen"}


def as_found(found) -> dict:  # type: ignore[no-untyped-def]
    """Read words are the sorted tuple of the words found: compared as sets."""
    return {k: frozenset(ws) for k, ws in found.among().items()}


def expected(turns: dict) -> dict:
    return {k: words(t) for k, t in turns.items()}


def test_the_words_are_found_once_and_then_read_as_they_were_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / CACHE
    first = turn_words(TURNS, cache)
    assert as_found(first) == expected(TURNS)
    monkeypatch.setattr(thematic.turn_words, "words", lambda text: pytest.fail("found again"))
    again = turn_words(TURNS, cache)
    assert as_found(again) == expected(TURNS)


@pytest.mark.parametrize("turns", [{}, {("a", 1): "Ja."}, {("a", 1): ""}])
def test_no_words_are_kept_too(tmp_path: Path, turns: dict, monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / CACHE
    turn_words(turns, cache)
    monkeypatch.setattr(thematic.turn_words, "words", lambda text: pytest.fail("found again"))
    assert as_found(turn_words(turns, cache)) == expected(turns)


@pytest.mark.parametrize("change", ["text", "turn", "cut", "cut-by-a-number", "another-kind"])
def test_other_texts_or_a_damaged_file_find_them_again(tmp_path: Path, change: str):
    cache = tmp_path / CACHE
    turn_words(TURNS, cache)
    turns = dict(TURNS)
    if change == "text":
        turns[("a", 3)] = "Skjemaene tok tiden fra arbeidsgiveren."
    elif change == "turn":
        turns[("a", 4)] = turns.pop(("a", 3))
    elif change == "another-kind":  # the questions' file under the turns' name
        from thematic.question_words import keep, question_words

        index, key = question_words(TURNS.values(), tmp_path / "q.bin")
        keep(cache, key, index)
    else:
        cache.write_bytes(cache.read_bytes()[:-7 if change == "cut" else -4])
    found = turn_words(turns, cache)
    assert as_found(found) == expected(turns)
    kept = turn_words(turns, cache)
    assert as_found(kept) == expected(turns)


def test_a_decision_re_run_reads_the_words_and_reviews_as_it_would_have(analysed_example: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch):
    studies = []
    for name in ("kept", "afresh"):
        study = tmp_path / name
        shutil.copytree(analysed_example, study)
        codes = study / "analysis" / "2-codes.yaml"
        codes.write_text(codes.read_text(encoding="utf-8").replace("decision: suggested", "decision: accepted", 1), encoding="utf-8")
        studies.append(study)
    for kept in (CACHE, QUESTION_WORDS):
        (studies[1] / "analysis" / ".thematic" / "cache" / kept).unlink()
    assert invoke("run", studies[1]).exit_code == 0
    assert all((studies[1] / "analysis" / ".thematic" / "cache" / kept).is_file() for kept in (CACHE, QUESTION_WORDS))
    monkeypatch.setattr(thematic.turn_words, "words", lambda text: pytest.fail("found again"))
    monkeypatch.setattr(thematic.question_words, "tokens", lambda text: pytest.fail("found again"))
    result = invoke("run", studies[0])
    assert result.exit_code == 0, result.output
    for name in ("4-reviewed-themes.yaml", "5-themes.yaml"):
        assert (studies[0] / "analysis" / name).read_bytes() == (studies[1] / "analysis" / name).read_bytes()


def test_found_words_are_sorted_numbers_of_one_vocabulary_counted_over_the_turns(tmp_path: Path):
    turns = {("a", 1): "Oppfølgingen var tett, tett oppfølging.", ("b", 2): "Oppfølgingen kom sent.", ("c", 3): "Ja."}
    for found in (turn_words(turns, tmp_path / CACHE), turn_words(turns, tmp_path / CACHE)):  # found, then read
        assert found.vocabulary == ["oppfølging", "oppfølgingen", "sent", "tett"]
        every = found.among()
        assert every == {("a", 1): ("oppfølging", "oppfølgingen", "tett"), ("b", 2): ("oppfølgingen", "sent"), ("c", 3): ()}
        assert every[("a", 1)][1] is every[("b", 2)][0]  # one string per word, shared by every turn
        assert found.counts() == {"oppfølging": 1, "oppfølgingen": 2, "sent": 1, "tett": 1}
        assert found.among({"tett", "sent", "aldri"}) == {("a", 1): ("tett",), ("b", 2): ("sent",), ("c", 3): ()}


def test_the_digest_is_the_one_of_the_texts_joined():
    """Hashed text by text, the key is still the one of the keys, the lengths and the texts joined."""
    import hashlib

    from thematic.kept_words import digest

    keys, texts = [("a'b", 1), ('c"d', 22)], ["Æ, ø og å", "Ja.\ud800"]
    joined = hashlib.sha256("form\n".encode())
    for part in (repr(keys), repr([len(t) for t in texts]), "".join(texts)):
        joined.update(part.encode("utf-8", "surrogatepass") + b"\0")
    assert digest("form", keys, texts) == joined.hexdigest()
    assert digest("form", [], []) != digest("form", [("a", 1)], [""]) != digest("other", [("a", 1)], [""])
