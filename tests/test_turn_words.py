"""thematic.turn_words: the words phase 4 reads in the transcripts, kept between runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import thematic.turn_words
from helpers import invoke
from thematic.keywords import tokenized, words
from thematic.turn_words import CACHE, turn_words

TURNS = {("a", 1): "Tilliten kom sakte, men oppfølgingen var tett.", ("a", 3): "Skjemaene tok tiden fra samtalene.",
         ("b", 2): "Arbeidsgiveren ville prøve igjen"}
QUESTIONS = {"Hvordan var oppfølgingen?", "Og tiden, da?", ""}


def expected(turns: dict, questions: set) -> tuple[dict, dict]:
    """Each turn's words, and for each word the questions holding it."""
    holding: dict[str, set[str]] = {}
    for q in questions:
        for w in tokenized(q):
            holding.setdefault(w, set()).add(q)
    return {k: words(t) for k, t in turns.items()}, holding


def as_found(found) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """Read words are the sorted tuple of the words found: compared as sets."""
    index = found.questions
    assert index.words == sorted(index.words) and all(index.holding(w) for w in index.words)
    return {k: frozenset(ws) for k, ws in found.among().items()}, {w: set(index.holding(w)) for w in index.words}


def test_the_words_are_found_once_and_then_read_as_they_were_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / CACHE
    first = turn_words(TURNS, QUESTIONS, cache)
    assert as_found(first) == expected(TURNS, QUESTIONS)
    monkeypatch.setattr(thematic.turn_words, "words", lambda text: pytest.fail("found again"))
    monkeypatch.setattr(thematic.turn_words, "tokens", lambda text: pytest.fail("found again"))
    again = turn_words(TURNS, QUESTIONS, cache)
    assert as_found(again) == expected(TURNS, QUESTIONS)


@pytest.mark.parametrize("turns, questions", [({}, set()), (TURNS, set()), ({("a", 1): "Ja."}, {"Hm?", "Og?"})])
def test_no_words_and_no_questions_are_kept_too(tmp_path: Path, turns: dict, questions: set, monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / CACHE
    turn_words(turns, questions, cache)
    monkeypatch.setattr(thematic.turn_words, "words", lambda text: pytest.fail("found again"))
    monkeypatch.setattr(thematic.turn_words, "tokens", lambda text: pytest.fail("found again"))
    assert as_found(turn_words(turns, questions, cache)) == expected(turns, questions)


@pytest.mark.parametrize("change", ["text", "turn", "question", "cut", "cut-by-a-number"])
def test_other_texts_or_a_damaged_file_find_them_again(tmp_path: Path, change: str):
    cache = tmp_path / CACHE
    turn_words(TURNS, QUESTIONS, cache)
    turns, questions = dict(TURNS), set(QUESTIONS)
    if change == "text":
        turns[("a", 3)] = "Skjemaene tok tiden fra arbeidsgiveren."
    elif change == "turn":
        turns[("a", 4)] = turns.pop(("a", 3))
    elif change == "question":
        questions.add("Hva med arbeidsgiveren?")
    else:
        cache.write_bytes(cache.read_bytes()[:-7 if change == "cut" else -4])
    found = turn_words(turns, questions, cache)
    assert as_found(found) == expected(turns, questions)
    kept = turn_words(turns, questions, cache)
    assert as_found(kept) == expected(turns, questions)


def test_a_decision_re_run_reads_the_words_and_reviews_as_it_would_have(analysed_example: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch):
    studies = []
    for name in ("kept", "afresh"):
        study = tmp_path / name
        shutil.copytree(analysed_example, study)
        codes = study / "analysis" / "2-codes.yaml"
        codes.write_text(codes.read_text(encoding="utf-8").replace("decision: suggested", "decision: accepted", 1), encoding="utf-8")
        studies.append(study)
    (studies[1] / "analysis" / ".thematic" / "cache" / CACHE).unlink()
    assert invoke("run", studies[1]).exit_code == 0
    monkeypatch.setattr(thematic.turn_words, "words", lambda text: pytest.fail("found again"))
    monkeypatch.setattr(thematic.turn_words, "tokens", lambda text: pytest.fail("found again"))
    result = invoke("run", studies[0])
    assert result.exit_code == 0, result.output
    for name in ("4-reviewed-themes.yaml", "5-themes.yaml"):
        assert (studies[0] / "analysis" / name).read_bytes() == (studies[1] / "analysis" / name).read_bytes()


def test_found_words_are_sorted_numbers_of_one_vocabulary_counted_over_the_turns(tmp_path: Path):
    turns = {("a", 1): "Oppfølgingen var tett, tett oppfølging.", ("b", 2): "Oppfølgingen kom sent.", ("c", 3): "Ja."}
    for found in (turn_words(turns, ["Hvordan var oppfølgingen?"], tmp_path / CACHE),
                  turn_words(turns, ["Hvordan var oppfølgingen?"], tmp_path / CACHE)):  # found, then read
        assert found.vocabulary == ["oppfølging", "oppfølgingen", "sent", "tett"]
        every = found.among()
        assert every == {("a", 1): ("oppfølging", "oppfølgingen", "tett"), ("b", 2): ("oppfølgingen", "sent"), ("c", 3): ()}
        assert every[("a", 1)][1] is every[("b", 2)][0]  # one string per word, shared by every turn
        assert found.counts() == {"oppfølging": 1, "oppfølgingen": 2, "sent": 1, "tett": 1}
        assert found.among({"tett", "sent", "aldri"}) == {("a", 1): ("tett",), ("b", 2): ("sent",), ("c", 3): ()}
        assert found.questions.words == ["hvordan", "oppfølgingen", "var"]
        assert found.questions.holding("var") == ["Hvordan var oppfølgingen?"] and found.questions.holding("tett") == []


def test_finding_the_words_leaves_the_tokenized_cache_empty(tmp_path: Path):
    tokenized.cache_clear()
    turn_words(TURNS, QUESTIONS, tmp_path / CACHE)
    turn_words(TURNS, QUESTIONS, tmp_path / CACHE)
    assert tokenized.cache_info().currsize == 0


def test_the_digest_is_the_one_of_the_texts_joined(tmp_path: Path):
    """Hashed text by text, the key is still the one a cache written before was kept under."""
    import hashlib

    from thematic.turn_words import FORMAT, _digest, _rules

    informant = {("a'b", 1): "Æ, ø og å", ('c"d', 22): "Ja.\ud800"}
    asked = ["Hvordan?", "", "Og så?"]
    joined = hashlib.sha256(f"{FORMAT}\n{_rules()}\n".encode())
    for part in (repr(list(informant)), repr([len(t) for t in informant.values()]), "".join(informant.values()),
                 repr([len(q) for q in asked]), "".join(asked)):
        joined.update(part.encode("utf-8", "surrogatepass") + b"\0")
    assert _digest(informant, asked) == joined.hexdigest()
    assert _digest({}, []) != _digest({("a", 1): ""}, [])


def test_kept_questions_are_an_index_of_their_words_in_the_order_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Phase 4 looks the forms of a theme up among the questions' words, so reading the cache
    splits no question; each word gives the questions holding it, in the order they were asked."""
    questions = ["Hvordan var oppfølgingen?", "Og tiden, da?", "1 2 3?", "Og oppfølgingen, da? Og tiden?"]
    turn_words(TURNS, questions, tmp_path / CACHE)
    monkeypatch.setattr(thematic.turn_words, "tokens", lambda text: pytest.fail("split again"))
    kept = turn_words(TURNS, questions, tmp_path / CACHE).questions
    assert kept.holding("og") == ["Og tiden, da?", "Og oppfølgingen, da? Og tiden?"]
    assert kept.holding("oppfølgingen") == ["Hvordan var oppfølgingen?", "Og oppfølgingen, da? Og tiden?"]
    assert kept.holding("1") == [] and kept.holding("nei") == [] and kept.holding("") == []
    assert kept.words == ["da", "hvordan", "og", "oppfølgingen", "tiden", "var"]
