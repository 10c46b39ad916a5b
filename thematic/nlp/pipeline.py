"""The spaCy pipeline: a trained nb pipeline when installed, else blank nb + our components."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from thematic.errors import ThematicError
from thematic.nlp.components import register

PIPELINE_NAME = "blank-nb+ordbank.v3"
NYNORSK_NAME = "blank-nn+ordbank+simplemma.v1"
TRAINED = ("nb_core_news_lg", "nb_core_news_md", "nb_core_news_sm")
MAX_LENGTH = 50_000_000


@dataclass(frozen=True)
class Pipeline:
    """A loaded spaCy Language plus how to describe it in artefact meta.

    `language` is the study's setting: nb, nn, or auto (this is then the nb pipeline, and
    `for_text` picks nb or nn per transcript); `model` is the nlp.model it was loaded from."""

    nlp: Any
    name: str
    version: str
    trained: bool
    language: str = "nb"
    model: str = "blank"

    def describe(self) -> dict[str, str]:
        from thematic.artefacts import canonical_hash

        fingerprint = canonical_hash([self.name, self.version, self.nlp.pipe_names])[:16]
        return {"name": self.name, "version": self.version, "fingerprint": fingerprint}

    def for_text(self, text: str) -> "Pipeline":
        """The pipeline for one transcript: under `auto`, the one for the language detected."""
        if self.language != "auto":
            return self
        from thematic.nlp.language import detect

        return load_pipeline(self.model, detect(text))


def _blank() -> Pipeline:
    import spacy

    register()
    nlp = _lean(spacy.blank("nb"))
    nlp.add_pipe(BLANK_PIPE)
    nlp.max_length = MAX_LENGTH
    return Pipeline(nlp, PIPELINE_NAME, _blank_version(spacy.__version__), trained=False)


BLANK_PIPE = "thematic_norwegian"


def _blank_version(spacy_version: str) -> str:
    from thematic.nlp.lexicon import LEXICON_VERSION, lookups_version

    return f"spacy {spacy_version}; {LEXICON_VERSION}; spacy-lookups-data {lookups_version()}"


def expected_fingerprint(model: str, language: str) -> str | None:
    """The fingerprint load_pipeline(model, language) will describe, told without importing spaCy
    (~1 s) when it is the blank bokmål pipeline; None for any other. A guess to start worker
    processes early by (thematic.jobs): the analyses' cache keys use the loaded pipeline's own."""
    from importlib.util import find_spec

    from thematic.artefacts import canonical_hash
    from thematic.versions import required_version

    if language != "nb" or model not in ("auto", "blank"):
        return None
    if model == "auto" and any(find_spec(name) is not None for name in TRAINED):
        return None
    return canonical_hash([PIPELINE_NAME, _blank_version(required_version("spacy")), [BLANK_PIPE]])[:16]


def _lean(nlp: Any) -> Any:
    """A blank pipeline whose vocabulary computes only the word attributes we read (LOWER, and
    the punctuation, space and number flags of `NorwegianAnnotator._non_word`): spaCy computes every
    attribute of each new word type in Python, ~20% of the tokenizer's time on 1M words. A
    trained pipeline keeps them all (its models read them)."""
    from spacy.attrs import IS_PUNCT, IS_SPACE, LIKE_NUM, LOWER

    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {attr: getters[attr] for attr in (LOWER, IS_PUNCT, IS_SPACE, LIKE_NUM)}
    return nlp


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


def _blank_nynorsk() -> Pipeline:
    """spaCy has no nn language: the nb tokenizer (the two write words and punctuation alike)
    with our Nynorsk lemmas and word classes."""
    import spacy

    from thematic.nlp.lexicon import LEXICON_VERSION, lookups_version
    from thematic.nlp.nynorsk import NYNORSK_VERSION, simplemma_version

    register()
    nlp = _lean(spacy.blank("nb"))
    nlp.add_pipe("thematic_nynorsk")
    nlp.max_length = MAX_LENGTH
    version = (f"spacy {spacy.__version__}; {LEXICON_VERSION}; spacy-lookups-data {lookups_version()}; "
               f"{NYNORSK_VERSION}; simplemma {simplemma_version()}")
    return Pipeline(nlp, NYNORSK_NAME, version, trained=False, language="nn", model="blank")


def _with_nynorsk_lemmas(pipeline: Pipeline) -> Pipeline:
    """A trained (bokmål) pipeline reading Nynorsk: its tokens, word classes and sentences, our
    Nynorsk lemmas over its own."""
    from thematic.nlp.nynorsk import NYNORSK_VERSION, simplemma_version

    nlp = pipeline.nlp
    if "thematic_lemmas" in nlp.pipe_names:
        nlp.remove_pipe("thematic_lemmas")
    nlp.add_pipe("thematic_nynorsk_lemmas")
    version = f"{pipeline.version}; {NYNORSK_VERSION}; simplemma {simplemma_version()}"
    return Pipeline(nlp, f"{pipeline.name}+nn", version, trained=True, language="nn", model=pipeline.model)


def _bokmal(model: str) -> Pipeline:
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


def _both(model: str) -> Pipeline:
    """`language: auto`: the bokmål pipeline, described as the pair it chooses from."""
    nb, nn = load_pipeline(model, "nb"), load_pipeline(model, "nn")
    return Pipeline(nb.nlp, f"{nb.name} | {nn.name}", f"{nb.version} | {nn.version}", nb.trained,
                    language="auto", model=model)


def load_pipeline(model: str, language: str = "nb") -> Pipeline:
    """The pipeline for nlp.model and the study's language (nb, nn or auto), loaded once."""
    return _load(model, language)


def forget_loaded() -> None:
    """Let go of every pipeline loaded in this process and of the lexicon table (with spaCy's
    strings of a large corpus, 140 MB and more): a run of a large study does once no phase
    left needs them; the next load_pipeline loads again."""
    from thematic.nlp.lexicon import forget_table

    _load.cache_clear()
    forget_table()


@lru_cache(maxsize=8)
def _load(model: str, language: str) -> Pipeline:
    if language == "auto":
        return _both(model)
    if language == "nn":
        trained = load_pipeline(model, "nb").trained
        return _with_nynorsk_lemmas(_bokmal(model)) if trained else _blank_nynorsk()
    return replace(_bokmal(model), model=model)
