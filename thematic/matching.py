"""Codebook keywords matched on lemmas: inflections, compounds and multiword phrases included."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from thematic.nlp.analysis import Token

Lemmatise = Callable[[str], str]


@dataclass(frozen=True)
class Keyword:
    """One keyword as lemma sequence; compound=True also matches it as a compound's last part."""

    lemmas: tuple[str, ...]
    compound: bool


def parse_keyword(raw: str, lemmatise: Lemmatise, compound_min_length: int) -> Keyword:
    """'*tid' forces compound matching; otherwise long single words match as compound heads."""
    text = raw.strip().lower()
    forced = text.startswith("*")
    words = text.lstrip("*").split()
    lemmas = tuple(lemmatise(w) for w in words)
    compound = forced or len(lemmas[-1]) >= compound_min_length
    return Keyword(lemmas, compound)


def _same(token_lemma: str, keyword_lemma: str, compound: bool) -> bool:
    if token_lemma == keyword_lemma:
        return True
    return compound and token_lemma.endswith(keyword_lemma) and len(token_lemma) - len(keyword_lemma) >= 2


def find(keyword: Keyword, tokens: tuple[Token, ...]) -> Iterable[tuple[int, int]]:
    """(first, last) token indexes where the keyword occurs; only the last word may be a compound."""
    n = len(keyword.lemmas)
    lemmas = [t.lemma.lower() for t in tokens]
    for i in range(len(tokens) - n + 1):
        if all(lemmas[i + k] == keyword.lemmas[k] for k in range(n - 1)) and _same(
            lemmas[i + n - 1], keyword.lemmas[-1], keyword.compound
        ):
            yield i, i + n - 1
