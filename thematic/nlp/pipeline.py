"""The spaCy pipeline: a trained nb pipeline when installed, else blank nb + our components."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from thematic.errors import ThematicError

PIPELINE_NAME = "blank-nb+ordbank.v1"
TRAINED = ("nb_core_news_lg", "nb_core_news_md", "nb_core_news_sm")
MAX_LENGTH = 50_000_000
# "[hen]", "[navn fjernet]", "[...]": one token each, never split into brackets and words.
_MARKER = re.compile(r"\[[^\[\]\n]{1,40}\]")
_UD = {"FUNC": "PART"}  # spaCy wants UD tags; analysis maps all closed classes back to FUNC


@dataclass(frozen=True)
class Pipeline:
    """A loaded spaCy Language plus how to describe it in artefact meta."""

    nlp: Any
    name: str
    version: str
    trained: bool

    def describe(self) -> dict[str, str]:
        from thematic.artefacts import canonical_hash

        fingerprint = canonical_hash([self.name, self.version, self.nlp.pipe_names])[:16]
        return {"name": self.name, "version": self.version, "fingerprint": fingerprint}


def _register() -> None:
    from spacy.language import Language

    if Language.has_factory("thematic_markers"):
        return

    @Language.component("thematic_markers")
    def merge_markers(doc):  # type: ignore[no-untyped-def]
        with doc.retokenize() as retokenizer:
            for match in _MARKER.finditer(doc.text):
                span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
                if span is not None and len(span) > 1:
                    retokenizer.merge(span)
        return doc

    @Language.factory("thematic_lexicon")
    def make_lexicon(nlp, name):  # type: ignore[no-untyped-def]
        from thematic.nlp.lemmas import Lemmatiser

        lemmatiser = Lemmatiser()

        def lexicon(doc):  # type: ignore[no-untyped-def]
            prev = ""
            for token in doc:
                if token.is_alpha or "-" in token.text:
                    lemma, pos = lemmatiser(token.text, prev)
                    token.lemma_, token.pos_ = lemma, _UD.get(pos, pos)
                    prev = token.lower_
                else:
                    token.pos_ = "PUNCT" if token.is_punct else "X"
                    prev = ""
            return doc

        return lexicon


def _blank() -> Pipeline:
    import spacy

    from thematic.nlp.lexicon import LEXICON_VERSION, lookups_version

    _register()
    nlp = spacy.blank("nb")
    nlp.add_pipe("thematic_markers")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("thematic_lexicon")
    nlp.max_length = MAX_LENGTH
    version = f"spacy {spacy.__version__}; {LEXICON_VERSION}; spacy-lookups-data {lookups_version()}"
    return Pipeline(nlp, PIPELINE_NAME, version, trained=False)


def _trained(name: str) -> Pipeline:
    import spacy

    _register()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ThematicError(f"nlp.model {name!r} cannot be loaded: {exc}",
                            fix="set nlp.model: blank in thematic.yaml, or install the pipeline") from None
    if "thematic_markers" not in nlp.pipe_names:
        nlp.add_pipe("thematic_markers", first=True)
    if not nlp.has_pipe("parser") and not nlp.has_pipe("senter") and not nlp.has_pipe("sentencizer"):
        nlp.add_pipe("sentencizer")
    nlp.max_length = MAX_LENGTH
    meta = nlp.meta
    return Pipeline(nlp, f"{meta.get('lang', 'nb')}_{meta.get('name', name)}", meta.get("version", "0"), trained=True)


def load_pipeline(model: str) -> Pipeline:
    """'auto': the first installed nb_core_news_* else blank; 'blank'; or a package name/path."""
    if model == "blank":
        return _blank()
    if model == "auto":
        import spacy.util

        for name in TRAINED:
            if spacy.util.is_package(name):
                return _trained(name)
        return _blank()
    return _trained(model)
