"""One Turn for the corpus and the query index: the index hands back the turns the corpus made,
and the module that defines them imports nothing of ours."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import invoke


def test_the_index_hands_back_the_turns_the_corpus_made(tiny_study: Path):
    from thematic.context import Context
    from thematic.project import load_project
    from thematic.view import open_view

    assert invoke("run", tiny_study).exit_code == 0
    docs = Context(load_project(tiny_study)).docs
    index = open_view(tiny_study).index
    for doc in docs:
        assert index.turns(doc.id) == list(doc.turns)
        assert index.document(doc.id).turns == doc.turns
        middle = doc.turns[-1].start + 1
        assert index.turn_at(doc.id, middle) == doc.turns[-1]


def test_every_document_at_once_is_each_document_as_the_corpus_read_it(tiny_study: Path):
    from thematic.context import Context
    from thematic.project import load_project
    from thematic.view import open_view

    assert invoke("run", tiny_study).exit_code == 0
    docs = Context(load_project(tiny_study)).docs
    every = open_view(tiny_study).index.documents()
    one_by_one = open_view(tiny_study).index
    assert [d.id for d in every] == [d.id for d in docs]
    for doc, stored in zip(docs, every):
        assert (stored.path, stored.sha256, stored.text, stored.turns) == (doc.path, doc.sha256, doc.text, doc.turns)
        assert stored == one_by_one.document(doc.id)
        assert stored.source.lines == one_by_one.document(doc.id).source.lines
        assert all("words" in vars(t) for t in stored.turns)  # kept by the index, not counted again
        assert [t.words for t in stored.turns] == [len(t.text.split()) for t in doc.turns]


def test_a_turn_stays_frozen_and_counts_its_words_once():
    import dataclasses

    from thematic.turns import Turn

    turn = Turn(0, "A", "informant", "A", 0, 11, 1, "to ord her ")
    with pytest.raises(dataclasses.FrozenInstanceError):
        turn.text = "annet"  # type: ignore[misc]
    assert turn.words == 3 and turn == Turn(0, "A", "informant", "A", 0, 11, 1, "to ord her ")
    assert hash(turn) == hash(dataclasses.replace(turn, time=None))
    assert dataclasses.replace(turn, text="ett").words == 1
    assert Turn(0, "A", "informant", "A", 0, 11, 1, "to ord her ", None, 3).words == 3
    assert "words" not in vars(Turn(0, "A", "informant", "A", 0, 3, 1, "ett"))  # counted when first asked


def test_the_turn_module_imports_nothing_of_ours():
    code = "import sys, thematic.turns; print(sorted(m for m in sys.modules if m.startswith('thematic.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['thematic.turns']"
