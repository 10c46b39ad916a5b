"""The trained-pipeline path without downloads: train a tiny morphologizer here, point nlp.model at it."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from thematic.context import Context
from thematic.nlp.pipeline import PIPELINE_NAME
from thematic.project import load_project

SENTENCES = [
    ("Skreddersømmen tar tid", ["NOUN", "VERB", "NOUN"]),
    ("Veilederen ringer arbeidsgiveren", ["NOUN", "VERB", "NOUN"]),
    ("Mentoren følger opp lærlingen", ["NOUN", "VERB", "ADP", "NOUN"]),
    ("Samarbeidet går fint", ["NOUN", "VERB", "ADV"]),
    ("Tilretteleggingen tar tid", ["NOUN", "VERB", "NOUN"]),
]


@pytest.fixture(scope="module")
def trained_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    nlp = spacy.blank("nb")
    nlp.add_pipe("morphologizer")
    examples = [Example.from_dict(nlp.make_doc(text), {"pos": pos}) for text, pos in SENTENCES]
    nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples)
    target = tmp_path_factory.mktemp("model") / "nb_tiny"
    nlp.to_disk(target)
    return target


def test_trained_pipeline_gives_word_classes_and_our_lemmas(tiny_study: Path, trained_model: Path):
    (tiny_study / "thematic.yaml").write_text(f"codebooks: [mini]\nnlp: {{model: {trained_model}}}\n", encoding="utf-8")
    ctx = Context(load_project(tiny_study))
    assert ctx.pipeline.trained and "morphologizer" in ctx.pipeline.nlp.pipe_names
    assert ctx.pipeline.describe()["name"] != PIPELINE_NAME
    tokens = [t for a in ctx.analyses.values() for _, s in a.iter_sentences() for t in s.tokens]
    lemmas = {t.lemma for t in tokens}
    assert {"skreddersøm", "portefølje"} <= lemmas  # Ordbank lemmas added to the trained pipeline
    assert {t.pos for t in tokens} & {"NOUN", "VERB"}  # word classes come from the model


def test_blank_forces_our_pipeline(tiny_study: Path):
    (tiny_study / "thematic.yaml").write_text("codebooks: [mini]\nnlp: {model: blank}\n", encoding="utf-8")
    assert not Context(load_project(tiny_study)).pipeline.trained


def test_a_missing_model_is_a_clear_error(tiny_study: Path):
    from thematic.errors import ThematicError

    (tiny_study / "thematic.yaml").write_text("codebooks: [mini]\nnlp: {model: nb_core_news_none}\n", encoding="utf-8")
    with pytest.raises(ThematicError, match="cannot be loaded"):
        Context(load_project(tiny_study)).pipeline
