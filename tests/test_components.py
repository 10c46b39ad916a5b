"""Our spaCy annotator: what it writes for a doc never depends on which docs it annotated before
(its (form, context) annotations are kept across docs in sorted arrays, new ones inserted)."""

from __future__ import annotations

from pathlib import Path

from thematic.nlp.pipeline import _load

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "arbeidsinkludering" / "interviews"


def _annotated(texts: list[str]) -> list[bytes]:
    """LEMMA, POS and SENT_START of each text, by a pipeline of its own (a fresh annotator)."""
    from spacy.attrs import LEMMA, POS, SENT_START

    nlp = _load.__wrapped__("blank", "nb").nlp
    return [nlp(text).to_array([LEMMA, POS, SENT_START]).tobytes() for text in texts]


def test_a_doc_is_annotated_alike_whatever_was_annotated_before():
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.glob("*.txt"))[:4]]
    alone = [_annotated([text])[0] for text in texts]
    assert _annotated(texts) == alone
    assert _annotated(texts[::-1]) == alone[::-1]


def test_only_keys_not_seen_before_are_looked_up():
    nlp = _load.__wrapped__("blank", "nb").nlp
    annotator = nlp.get_pipe("thematic_norwegian")
    looked_up: list[int] = []
    real = annotator._entries
    annotator._entries = lambda orths, contexts: looked_up.extend(orths) or real(orths, contexts)
    nlp("Vi har tett oppfølging. Vi har tid.")
    first = len(looked_up)
    nlp("Vi har tid. Vi har tett oppfølging av mentor.")
    assert len(looked_up) - first == 2  # "av", "mentor": the rest were annotated in the first doc
    assert list(annotator.known) == sorted(annotator.known) and len(annotator.known) == len(looked_up)


def test_the_blank_vocabulary_computes_only_the_attributes_we_read_and_annotates_alike():
    import spacy
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LIKE_NUM, LOWER, ORTH, POS, SENT_START, SHAPE

    lean = _load.__wrapped__("blank", "nb").nlp
    full = _load.__wrapped__("blank", "nb").nlp
    full.vocab.lex_attr_getters = spacy.blank("nb").vocab.lex_attr_getters
    assert SHAPE not in lean.vocab.lex_attr_getters and SHAPE in full.vocab.lex_attr_getters
    attrs = [ORTH, LOWER, IDX, LEMMA, POS, SENT_START, IS_PUNCT, IS_SPACE, LIKE_NUM]
    for path in sorted(EXAMPLE.glob("*.txt"))[:3]:
        text = path.read_text(encoding="utf-8") + "\nI 2024 fikk 12,5 % [navn fjernet] (ler) jobb!?\n"
        assert (lean(text).to_array(attrs) == full(text).to_array(attrs)).all()
