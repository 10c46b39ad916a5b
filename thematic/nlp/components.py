"""Our spaCy components for Norwegian transcripts, built for speed on a blank nb pipeline.

Lemma, word class and sentence starts are computed on token-id arrays and written with one
`from_array` call; writing token attributes one by one was over 2x slower (NLP-NOTES.md).
"""

from __future__ import annotations

import re

# "[hen]", "[navn fjernet]", "[...]": one token each, never split into brackets and words.
MARKER = re.compile(r"\[[^\[\]\n]{1,40}\]")
SENTENCE_END = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
CLOSERS = frozenset({"»", '"', "”", ")", "]", "'"})
UD = {"FUNC": "PART"}
_SALT = 0x9E3779B97F4A7C15  # spreads the small context codes over all 64 bits
_NOT_START = 2**64 - 1  # SENT_START -1 ("not a start") as the uint64 from_array wants  # spaCy wants UD tags; analysis maps all closed classes back to FUNC


def _marker_spans(doc, values, opener: str, closer: str, width: int) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Token ranges from `opener` to the next `closer`, at most `width` characters, on one line."""
    import numpy

    strings = doc.vocab.strings
    opens = numpy.flatnonzero(values[:, 0] == strings.add(opener))
    closes = numpy.flatnonzero(values[:, 0] == strings.add(closer))
    spans: list[tuple[int, int]] = []
    for i in opens.tolist():
        after = closes[closes > i]
        if not len(after):
            break
        j = int(after[0])
        if j > i + 1 and int(values[j, 1]) + 1 - int(values[i, 1]) <= width \
                and (not spans or i > spans[-1][1]) and "\n" not in doc[i:j + 1].text:
            spans.append((i, j))
    return spans


def merge_markers(doc):  # type: ignore[no-untyped-def]
    """Merge transcript markers into one token: "[hen]", "[navn fjernet]", "[...]" and short
    annotations such as "(ler)" or "(lang pause)", which are not the informant's words.

    Works on token-id arrays: `doc.text` would build a Python object for every token.
    """
    from spacy.attrs import IDX, ORTH

    values = doc.to_array([ORTH, IDX])
    spans = _marker_spans(doc, values, "[", "]", 42) + _marker_spans(doc, values, "(", ")", 22)
    if not spans:
        return doc
    spans.sort()
    with doc.retokenize() as retokenizer:
        last = -1
        for i, j in spans:
            if i > last:
                retokenizer.merge(doc[i:j + 1])
                last = j
    return doc


class NorwegianAnnotator:
    """Markers merged, then lemma, word class and sentence starts for every token.

    Vectorised: the lemmatiser runs once per distinct (form, context) pair, cached across docs;
    numpy gathers the results for all tokens and one `from_array` call writes them.
    """

    def __init__(self, vocab, lemmas_only: bool = False, language: str = "nb") -> None:  # type: ignore[no-untyped-def]
        import numpy

        from thematic.nlp.lemmas import Lemmatiser

        self.vocab = vocab
        self.lemmas_only = lemmas_only  # a trained pipeline keeps its own word classes and sentences
        if language == "nn":
            from thematic.nlp.nynorsk import NynorskLemmatiser

            self.lemmatiser: Lemmatiser = NynorskLemmatiser()
        else:
            self.lemmatiser = Lemmatiser()
        verbs, nouns = self.lemmatiser.verb_context, self.lemmatiser.noun_context
        add = vocab.strings.add
        self.verb_context = numpy.array(sorted(add(w) for w in verbs), dtype="uint64")
        self.noun_context = numpy.array(sorted(add(w) for w in nouns), dtype="uint64")
        self.prev_word = ("", next(iter(verbs)), next(iter(nouns)))
        self.ends = numpy.array(sorted(add(p) for p in SENTENCE_END), dtype="uint64")
        self.closers = numpy.array(sorted(add(p) for p in CLOSERS), dtype="uint64")
        self.known = numpy.zeros(0, dtype="uint64")  # sorted (form, context) keys annotated so far
        self.annotations = numpy.zeros((0, 2), dtype="uint64")  # their (lemma hash, POS id), row by row

    def _entries(self, orths: list[int], contexts: list[int]) -> list[tuple[int, int]]:
        """(lemma hash, POS id) of new (form, context) keys, in one loop: ~80k keys per 1M words,
        so the per-key call and import overhead of a method per key was a third of the cost."""
        from spacy.symbols import IDS

        strings, lemmatise, prev, add = self.vocab.strings, self.lemmatiser, self.prev_word, self.vocab.strings.add
        made = []
        for orth, context in zip(orths, contexts):
            text = strings[orth]
            if text.isalpha() or ("-" in text and any(c.isalpha() for c in text)):
                lemma, pos = lemmatise(text, prev[context])
            else:
                lemma, pos = text, self._non_word(orth)
            made.append((add(lemma), IDS[UD.get(pos, pos)]))
        return made

    def _non_word(self, orth: int) -> str:
        lexeme = self.vocab[orth]
        return "PUNCT" if lexeme.is_punct else "SPACE" if lexeme.is_space else "NUM" if lexeme.like_num else "SYM"

    def _annotations(self, unique, orths, context):  # type: ignore[no-untyped-def]
        """(lemma hash, POS id) of each distinct (form, context) key of a doc, in the order of
        `unique` (sorted). Keys seen in earlier docs are gathered from sorted arrays with numpy;
        only new ones reach `_entries` (a dict lookup per key and doc was a quarter of the time)."""
        import numpy

        at = numpy.searchsorted(self.known, unique)
        seen = at < len(self.known)
        seen[seen] = self.known[at[seen]] == unique[seen]
        rows = numpy.empty((len(unique), 2), dtype="uint64")
        rows[seen] = self.annotations[at[seen]]
        new = numpy.flatnonzero(~seen)
        if len(new):
            made = self._entries(orths[new].tolist(), context[new].tolist())
            rows[new] = numpy.array(made, dtype="uint64").reshape(-1, 2)
            self.known = numpy.insert(self.known, at[new], unique[new])
            self.annotations = numpy.insert(self.annotations, at[new], rows[new], axis=0)
        return rows

    def _sentence_starts(self, orths):  # type: ignore[no-untyped-def]
        import numpy

        ends = numpy.isin(orths, self.ends)
        ends[1:] |= numpy.isin(orths[1:], self.closers) & ends[:-1]
        starts = numpy.full(len(orths), _NOT_START, dtype="uint64")
        starts[0] = 1
        starts[1:][ends[:-1] & ~ends[1:]] = 1
        return starts

    def __call__(self, doc):  # type: ignore[no-untyped-def]
        import numpy
        from spacy.attrs import LEMMA, LOWER, ORTH, POS, SENT_START

        doc = merge_markers(doc)
        if not len(doc):
            return doc
        ids = doc.to_array([ORTH, LOWER])
        orths, lowers = ids[:, 0], ids[:, 1]
        context = numpy.zeros(len(doc), dtype="uint64")
        context[1:] = numpy.where(numpy.isin(lowers[:-1], self.verb_context), 1,
                                  numpy.where(numpy.isin(lowers[:-1], self.noun_context), 2, 0))
        keys = orths ^ (context * _SALT)  # one uint64 per (form, context): a 1-D unique is fast
        unique, first, inverse = numpy.unique(keys, return_index=True, return_inverse=True)
        rows = self._annotations(unique, orths[first], context[first])[inverse.reshape(-1)]
        if self.lemmas_only:
            doc.from_array([LEMMA], rows[:, :1].copy())
            return doc
        values = numpy.empty((len(doc), 3), dtype="uint64")
        values[:, :2] = rows
        values[:, 2] = self._sentence_starts(orths)
        doc.from_array([LEMMA, POS, SENT_START], values)
        return doc


def register() -> None:
    """Make our components known to spaCy (idempotent)."""
    from spacy.language import Language

    if not Language.has_factory("thematic_norwegian"):
        Language.component("thematic_markers", func=merge_markers)
        Language.factory("thematic_norwegian", func=lambda nlp, name: NorwegianAnnotator(nlp.vocab))
        Language.factory("thematic_lemmas", func=lambda nlp, name: NorwegianAnnotator(nlp.vocab, lemmas_only=True))
    if not Language.has_factory("thematic_nynorsk"):
        Language.factory("thematic_nynorsk", func=lambda nlp, name: NorwegianAnnotator(nlp.vocab, language="nn"))
        Language.factory("thematic_nynorsk_lemmas",
                         func=lambda nlp, name: NorwegianAnnotator(nlp.vocab, lemmas_only=True, language="nn"))
