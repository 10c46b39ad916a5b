"""The spaCy pipeline: a trained nb pipeline when installed, else blank nb + our components."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from thematic.errors import ThematicError
from thematic.nlp.components import register

PIPELINE_NAME = "blank-nb+ordbank.v3"
TRAINED = ("nb_core_news_lg", "nb_core_news_md", "nb_core_news_sm")
MAX_LENGTH = 50_000_000


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


def _blank() -> Pipeline:
    import spacy

    from thematic.nlp.lexicon import LEXICON_VERSION, lookups_version

    register()
    nlp = spacy.blank("nb")
    nlp.add_pipe("thematic_norwegian")
    nlp.max_length = MAX_LENGTH
    version = f"spacy {spacy.__version__}; {LEXICON_VERSION}; spacy-lookups-data {lookups_version()}"
    return Pipeline(nlp, PIPELINE_NAME, version, trained=False)


def _trained(name: str) -> Pipeline:
    import spacy

    register()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ThematicError(f"nlp.model {name!r} cannot be loaded: {exc}",
                            fix="set nlp.model: blank in thematic.yaml, or install the pipeline") from None
    if "thematic_markers" not in nlp.pipe_names:
        nlp.add_pipe("thematic_markers", first=True)
    if not nlp.has_pipe("parser") and not nlp.has_pipe("senter") and not nlp.has_pipe("sentencizer"):
        nlp.add_pipe("sentencizer")
    if not nlp.has_pipe("lemmatizer"):
        nlp.add_pipe("thematic_lemmas")  # Ordbank lemmas; the model's own word classes stay
    nlp.max_length = MAX_LENGTH
    meta = nlp.meta
    return Pipeline(nlp, f"{meta.get('lang', 'nb')}_{meta.get('name', name)}", meta.get("version", "0"), trained=True)


@lru_cache(maxsize=4)
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
