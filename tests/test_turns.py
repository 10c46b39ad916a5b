"""One Turn for the corpus and the query index: the index hands back the turns the corpus made,
and the module that defines them imports nothing of ours."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_the_turn_module_imports_nothing_of_ours():
    code = "import sys, thematic.turns; print(sorted(m for m in sys.modules if m.startswith('thematic.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['thematic.turns']"
