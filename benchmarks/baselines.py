"""Turn groupings that know nothing of thematic's codes, to set its theme recovery against:
topics from NMF on TF-IDF, one group per file, and random labels."""

from __future__ import annotations

import random

from studies import Turn

from thematic.nlp.stopwords import is_stop

OPEN_CLASSES = frozenset({"NOUN", "VERB", "ADJ", "PROPN"})
# What a topic model needs dropped beyond thematic's stop list (which keeps verbs: they can be
# codes): auxiliaries and light verbs, and Nynorsk function words the bokmål lexicon does not
# tag as closed-class. Added once, after thematic's stop list alone gave topics of være/ha/få/eg;
# nouns only, or TF-IDF without max_df/sublinear tf, score within 0.05 ARI of this: not tuned.
EXTRA_STOP = frozenset(
    "være ha få bli kunne skulle ville måtte burde gjøre si komme gå ta se tro tenke vite "
    "eg dei ein eit då heil ikkje kva korleis berre mykje me dykk hen".split())
TFIDF = {"min_df": 2, "max_df": 0.5, "sublinear_tf": True}


def topic_word(lemma: str, pos: str) -> bool:
    """A lemma a topic model gets: an open-class word past thematic's stop list and EXTRA_STOP."""
    return pos in OPEN_CLASSES and not is_stop(lemma, pos) and lemma.casefold() not in EXTRA_STOP


def nmf_labels(tokens: dict[Turn, list[str]], k: int, seed: int) -> dict[Turn, str]:
    """Each turn to its strongest of k NMF components over TF-IDF of its lemmas. A turn with no
    weight on any component (nothing but stop words: "Ja.") is left out, so it falls in the
    unassigned group as an uncoded turn does for thematic, rather than silently in component 0."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    turns = sorted(tokens)
    matrix = TfidfVectorizer(analyzer=lambda words: words, **TFIDF).fit_transform([tokens[t] for t in turns])
    weights = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=2000).fit_transform(matrix)
    return {t: f"topic-{row.argmax()}" for t, row in zip(turns, weights) if row.max() > 0}


def file_labels(turns: list[Turn]) -> dict[Turn, str]:
    """One group per transcript: what a reader gets by filing each turn under its interview."""
    return {t: t[0] for t in turns}


def random_labels(turns: list[Turn], k: int, seed: int) -> dict[Turn, str]:
    rng = random.Random(seed)
    return {t: f"r{rng.randrange(k)}" for t in sorted(turns)}
