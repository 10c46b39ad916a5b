"""Lemma and word class for a Norwegian form, from the Ordbank table plus fallbacks.

No tagger in the blank pipeline, so a little context decides between readings ("å jobbe" is a
verb, "en jobb" a noun); unknown compounds take their longest known noun head.
"""

from __future__ import annotations

from typing import Mapping

from thematic.nlp.lexicon import load_table

NOUN, VERB, ADJ, ADV, PROPN, FUNC, OTHER = "NOUN", "VERB", "ADJ", "ADV", "PROPN", "FUNC", "X"
_TAGS = {"N": NOUN, "V": VERB, "A": ADJ, "R": ADV, "X": FUNC}

# Strong and very frequent verbs whose Ordbank rows collide with homographs (går -> gåre).
_IRREGULAR = {
    "går": "gå", "gikk": "gå", "gått": "gå", "blir": "bli", "ble": "bli", "blitt": "bli",
    "gir": "gi", "ga": "gi", "gav": "gi", "gitt": "gi", "får": "få", "fikk": "få", "fått": "få",
    "sier": "si", "sa": "si", "sagt": "si", "ser": "se", "sett": "se", "tar": "ta", "tok": "ta",
    "tatt": "ta", "gjør": "gjøre", "gjorde": "gjøre", "gjort": "gjøre", "vet": "vite",
    "visste": "vite", "står": "stå", "sto": "stå", "stått": "stå", "kom": "komme",
    "ligger": "ligge", "lå": "ligge", "satt": "sitte", "fant": "finne", "funnet": "finne",
    "var": "være", "vært": "være",
}
VERB_CONTEXT = frozenset(  # "[hen]" stands for han/hun in pseudonymised transcripts
    "å skal kan vil må bør kunne skulle ville måtte jeg du han hun hen [hen] vi dere de man".split()
)
NOUN_CONTEXT = frozenset(
    "en ei et den denne dette disse min mitt mine din ditt dine sin sitt sine vår vårt våre "
    "hans hennes deres noen mange flere alle all hver enhver "
    "i på om med for til fra av under etter mellom uten hos ved mot gjennom".split()
)
_MIN_HEAD, _MIN_MODIFIER = 3, 3


def _noun_lemma(entry: str) -> str:
    """The noun reading's lemma of a table entry, wherever it is listed ("" when there is none):
    "møter" is first of all the verb, but as a compound head it is the noun "møte"."""
    return next((part[2:] for part in entry.split("|") if part.startswith("N:")), "")


def _longest(table: Mapping[str, str]) -> int:
    """The longest form in the table (a mapped table knows it without reading every form)."""
    longest = getattr(table, "longest", None)
    return longest if isinstance(longest, int) else max(map(len, table), default=0)


def _readings(entry: str) -> list[tuple[str, str]]:
    return [(_TAGS[part[0]], part[2:]) for part in entry.split("|")]


class Lemmatiser:
    """Maps (form, previous word) to (lemma, word class); caches per form and context."""

    verb_context = VERB_CONTEXT  # the words that make the next one a verb or a noun
    noun_context = NOUN_CONTEXT

    def __init__(self, table: Mapping[str, str] | None = None) -> None:
        self.table = table if table is not None else load_table()
        self._longest = _longest(self.table)  # no head is longer than this
        self._cache: dict[tuple[str, str], tuple[str, str]] = {}

    def __call__(self, form: str, prev: str = "") -> tuple[str, str]:
        lower = form.lower()
        context = "v" if prev in self.verb_context else "n" if prev in self.noun_context else ""
        key = (form, context)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._analyse(form, lower, context)
        return hit

    def is_known(self, lower: str) -> bool:
        return lower in self.table

    def source(self, form: str) -> str:
        """How a form gets its lemma: 'lexicon', 'fallback' (compound head, hyphen, genitive,
        all read from the lexicon), 'name' (capitalised or acronym) or 'unknown'."""
        lower = form.lower()
        if lower in self.table and not (form.isupper() and len(form) > 1):
            return "lexicon"
        lemma, pos = self(form)
        if pos == PROPN:
            return "name"
        return "unknown" if pos == OTHER else "fallback"

    def readings(self, form: str) -> list[str]:
        """Every lemma the lexicon lists for a lowercase form, likeliest first."""
        return [part[2:].lower() for part in self.table.get(form, "").split("|") if part]

    def keyword_lemma(self, word: str) -> str:
        """A codebook keyword is already a lemma when the lexicon knows it as one: "mestre" stays
        a verb instead of becoming the plural of "mester"."""
        lower = word.lower()
        entry = self.table.get(lower, "")
        if any(part[2:] == lower for part in entry.split("|") if part):
            return lower
        return self(word)[0].lower()

    def _analyse(self, form: str, lower: str, context: str) -> tuple[str, str]:
        if form.isupper() and len(form) > 1:
            return form, PROPN  # acronyms (NAV, IPS) before the table: "nav" is also a noun
        entry = self.table.get(lower)
        if entry is not None:
            return self._choose(lower, _readings(entry), context)
        if "-" in lower.strip("-"):
            head, _, last = form.rpartition("-")
            lemma, pos = self(last)
            return f"{head}-{lemma}", pos if pos != PROPN else NOUN
        if lower.endswith("s") and _noun_lemma(self.table.get(lower[:-1], "")):
            return _noun_lemma(self.table[lower[:-1]]), NOUN
        compound = self._compound(lower)
        if compound:
            return compound, NOUN
        if form[:1].isupper():
            return form, PROPN
        return lower, OTHER

    def _choose(self, lower: str, readings: list[tuple[str, str]], context: str) -> tuple[str, str]:
        by_class = dict(reversed(readings))
        if FUNC in by_class:
            return by_class[FUNC].lower(), FUNC
        if lower in _IRREGULAR and (VERB in by_class or context == "v"):
            return _IRREGULAR[lower], VERB
        preferred = (VERB,) if context == "v" else (NOUN, ADJ) if context == "n" else ()
        for pos in preferred:
            if pos in by_class:
                return by_class[pos], pos
        pos, lemma = readings[0]  # the table lists the likeliest reading first
        return lemma, pos

    def _compound(self, lower: str) -> str | None:
        """Longest known noun head: 'hybridmodellen' -> 'hybridmodell'. Heads longer than any
        form in the table are not tried: a 1M-letter "word" would take minutes (O(n²) slicing)."""
        for cut in range(max(_MIN_MODIFIER, len(lower) - self._longest), len(lower) - _MIN_HEAD + 1):
            head = _noun_lemma(self.table.get(lower[cut:], ""))
            if head:
                return lower[:cut] + head
        return None
