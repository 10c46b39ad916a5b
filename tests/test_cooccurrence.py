"""thematic.cooccurrence: what phases 3-5 build from the transcripts, built once per run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import thematic.phases.review
from thematic import cooccurrence
from helpers import invoke
from thematic.context import Context
from thematic.cooccurrence import Segments
from thematic.project import load_project


def accept_one(study: Path) -> None:
    """A decision edit: the first suggestion accepted in 2-codes.yaml."""
    codes = study / "analysis" / "2-codes.yaml"
    codes.write_text(codes.read_text(encoding="utf-8").replace("decision: suggested", "decision: accepted", 1), encoding="utf-8")


def test_each_items_own_totals_are_what_it_alone_would_give(analysed_example: Path):
    docs = Context(load_project(analysed_example)).docs
    segments = Segments.from_docs(docs)
    assert segments.per_item == {d.id: Segments.from_docs([d]).totals for d in docs}
    assert {level: sum(t[level] for t in segments.per_item.values()) for level in segments.totals} == segments.totals


@pytest.mark.parametrize("text", ["", "Ja", "Ja, ja", "Og hva  så?", " to  ord ", "tre ord her\n", "én\u00a0to tre"])
def test_a_question_is_at_least_three_words_as_split_counts_them(text: str):
    from thematic.cooccurrence import QUESTION_MIN_WORDS, _words_at_least

    assert _words_at_least(text, QUESTION_MIN_WORDS) == (len(text.split()) >= QUESTION_MIN_WORDS)


def test_a_decision_re_run_builds_the_segments_once_and_each_association_and_subgroups_once(
        analysed_example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Phases 3-5 share the segments (the bootstrap counts each item's totals from them) and the
    association of the same codes, and phase 5's subthemes are phase 4's split advice, not a
    second clustering of the same codes."""
    study = tmp_path / "study"
    shutil.copytree(analysed_example, study)
    accept_one(study)
    built, grouped, associated = [], [], []
    real_segments, real_subgroups, real_associate = Segments.from_docs.__func__, thematic.phases.review.subgroups, cooccurrence.associate
    monkeypatch.setattr(Segments, "from_docs", classmethod(lambda cls, docs: built.append(1) or real_segments(cls, docs)))
    monkeypatch.setattr(cooccurrence, "associate", lambda segments, codes, params:
                        associated.append(tuple(sorted(c.id for c in codes))) or real_associate(segments, codes, params))
    monkeypatch.setattr(thematic.phases.review, "subgroups",
                        lambda ids, weight, params: grouped.append(tuple(sorted(ids))) or real_subgroups(ids, weight, params))
    result = invoke("run", study, "--json")
    assert result.exit_code == 0, result.output
    assert '"phase": "define"' in result.output
    assert len(built) == 1
    assert associated and len(associated) == len(set(associated))  # phase 4 takes phase 3's
    assert grouped and len(grouped) == len(set(grouped))
