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
    real = annotator._entry
    annotator._entry = lambda orth, context: looked_up.append(orth) or real(orth, context)
    nlp("Vi har tett oppfølging. Vi har tid.")
    first = len(looked_up)
    nlp("Vi har tid. Vi har tett oppfølging av mentor.")
    assert len(looked_up) - first == 2  # "av", "mentor": the rest were annotated in the first doc
    assert list(annotator.known) == sorted(annotator.known) and len(annotator.known) == len(looked_up)
