"""Likely personal and place names in Norwegian text, and one consistent replacement pass.

A name candidate is a capitalised word that does not start a sentence and that the Ordbank
lexicon either does not know or knows only as a proper noun ("Kari", "Nordby"); neighbouring
candidates make one name ("Kari Nordby"). It is a suggestion list: the key file shows each.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Callable, Iterable, Iterator

_TOKEN = re.compile(r"\w+(?:-\w+)*")
_CAPITALISED = re.compile(r"[A-ZÆØÅ][a-zæøåéèüöäáóñç]+(?:-[A-ZÆØÅa-zæøå][a-zæøåéèüöäáóñç]+)*")
_SENTENCE_START = set(".!?:;\"«»“”–—-…([*")
# Not identifying, and so common in interviews that replacing them would only blur the text;
# and interjections that transcribers capitalise.
COMMON_PROPER = frozenset({"Norge", "Sverige", "Danmark", "Norden", "Europa", "Gud", "Jesus"})
INTERJECTIONS = frozenset("Ok Okei Okay Hmm Hm Mm Mhm Eh Ehm Æh Ah Aha Oi Huff Ja Nei Jo".split())
_BRACKETED_END = re.compile(r"(?:\s*[(\[][^()\[\]\n]{0,40}[)\]])+\s*$")
_PRONOUNS = re.compile(r"\b(?:(han|hun|ham|henne|Han|Hun)|(hans|hennes|Hennes))\b")

Known = Callable[[str], "str | None"]  # lower-case form -> its Ordbank entry, None if unknown
Seen = Callable[[str, int], None]  # (pseudonym, line)


def is_initial(text: str, start: int) -> bool:
    """True where a capital letter is expected anyway: at the start of a line or a sentence,
    also after a stage direction or timestamp there ("(ler) Ok", "[00:12:03] Ja")."""
    before = _BRACKETED_END.sub("", text[max(0, start - 120):start]).rstrip(" \t")
    return not before or before.endswith("\n") or before[-1] in _SENTENCE_START


def proper_or_unknown(word: str, entry: str | None) -> bool:
    """Unknown to the lexicon, or known only with a capitalised lemma (a proper noun) or also as one."""
    return entry is None or _is_proper(entry)


def _is_proper(entry: str | None) -> bool:
    return entry is not None and any(part[2:3].isupper() for part in entry.split("|"))


def likely_names(text: str, known: Known, keep: Iterable[str] = ()) -> Iterator[str]:
    """Capitalised non-initial words (and runs of them) that look like names, in text order."""
    skip = set(keep) | COMMON_PROPER | INTERJECTIONS
    run: list[str] = []
    last_end = -2
    for m in _TOKEN.finditer(text):
        word = m.group()
        candidate = (_CAPITALISED.fullmatch(word) is not None and not is_initial(text, m.start())
                     and word not in skip and proper_or_unknown(word, known(word.lower())))
        if candidate and word.endswith("s") and _is_proper(known(word[:-1].lower())):
            word = word[:-1]  # a genitive: "Karis sjef" names Kari
        if candidate and run and text[last_end:m.start()] == " ":
            run.append(word)
        else:
            if run:
                yield " ".join(run)
            run = [word] if candidate else []
        last_end = m.end()
    if run:
        yield " ".join(run)


def label_is_name(label: str, known: Known) -> bool:
    """A speaker label that is a person's name ("Kari Nordmann"), not a role ("Veileder 2")."""
    words = label.split()
    return all(_CAPITALISED.fullmatch(w) and proper_or_unknown(w, known(w.lower())) for w in words)


class Replacer:
    """Every term in one pass, longest first, whole words only, a genitive -s kept ("Karis")."""

    def __init__(self, pseudonyms: dict[str, str], pronouns: bool = False) -> None:
        self.pseudonyms = pseudonyms
        terms = sorted(pseudonyms, key=lambda t: (-len(t), t))
        self.pattern = re.compile(
            r"(?<!\w)(?P<term>" + "|".join(map(re.escape, terms)) + r")(?P<gen>s)?(?!\w)"
        ) if terms else None
        self.pronouns = pronouns

    def __call__(self, text: str, seen: Seen | None = None) -> str:
        """text with every term replaced; seen(pseudonym, line) for each replacement (no term
        spans a line, so lines stay where they were)."""
        if self.pattern is not None:
            text = self._sub(self.pattern, text, lambda m: self.pseudonyms[m.group("term")] + (m.group("gen") or ""), seen)
        if self.pronouns:
            text = self._sub(_PRONOUNS, text, lambda m: "[hen]" if m.group(1) else "[hens]", seen)
        return text

    def count(self, text: str) -> int:
        """How often the terms occur in text."""
        return len(self.pattern.findall(text)) if self.pattern is not None else 0

    @staticmethod
    def _sub(pattern: re.Pattern, text: str, replacement: Callable[[re.Match], str], seen: Seen | None) -> str:
        starts = [0] + [m.end() for m in re.finditer("\n", text)] if seen else []

        def swap(m: re.Match) -> str:
            new = replacement(m)
            if seen:
                seen(new.rstrip("s") if new.endswith("]s") else new, bisect_right(starts, m.start()))
            return new

        return pattern.sub(swap, text)
