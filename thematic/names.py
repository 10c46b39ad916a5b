"""Likely personal and place names in Norwegian text, and one consistent replacement pass.

Detection. A name candidate is a capitalised word that does not start a sentence and that the
Ordbank lexicon either does not know or knows only as a proper noun ("Kari", "Nordby");
neighbouring candidates make one name ("Kari Nordby"). A one-word candidate is a place (`sted`)
when it has a typical place-name ending (Elvestad, Nordby, Fjordvik, Askøy: at least three
letters before -stad, -vik, -by, -dal, -nes, -sund, -fjord, -heim, -berg, -havn, -øy, -land,
-ås, -vang, -strand, -vær, -våg) or somewhere follows a place preposition (i, på, fra, til,
ved, utenfor), unless a person reading is likelier: it somewhere follows "heter"/"het", or it is
one of a few first names with such an ending (Johannes, Ludvik). A run of candidates (a name
and a surname) is a person. Detection is a suggestion list: the kind only picks the label.

Replacement. A term the researcher listed is replaced in every case form (Ole, OLE, ole: the
standard is that no listed name is left in any form; a word to keep as a common word, such as
"bakken", goes under keep:, which leaves it alone exactly as written there), with a genitive
(Oles, Ole's, Ole’s, Nils'), and with its words split by a hyphen, spaces or one line break
(Anne-Grethe, "Ole\\nBakken"). A line-broken name becomes its pseudonym where it started,
followed by the line break, so every line keeps its number; a line break followed by a speaker
label ("Ole\\nBakken: ...") is not joined. Detected terms are replaced as written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

_TOKEN = re.compile(r"\w+(?:-\w+)*")
_CAPITALISED = re.compile(r"[A-ZÆØÅ][a-zæøåéèüöäáóñç]+(?:-[A-ZÆØÅa-zæøå][a-zæøåéèüöäáóñç]+)*")
_SENTENCE_START = set(".!?:;\"«»“”–—-…([*")
# Not identifying, and so common in interviews that replacing them would only blur the text;
# and interjections that transcribers capitalise.
COMMON_PROPER = frozenset({"Norge", "Sverige", "Danmark", "Norden", "Europa", "Gud", "Jesus"})
INTERJECTIONS = frozenset("Ok Okei Okay Hmm Hm Mm Mhm Eh Ehm Æh Ah Aha Oi Huff Ja Nei Jo".split())
PLACE_PREPOSITIONS = frozenset("i på fra til ved utenfor".split())
PERSON_CUES = frozenset({"heter", "het"})
_PLACE_ENDING = re.compile(r"\w{3,}(?:stad|vik|by|dal|nes|sund|fjord|heim|berg|havn|øy|land|ås|vang|strand|vær|våg)")
FIRST_NAMES_LIKE_PLACES = frozenset({"Johannes", "Hannes", "Ludvik", "Roland"})
_BRACKETED_END = re.compile(r"(?:\s*[(\[][^()\[\]\n]{0,40}[)\]])+\s*$")
_PRONOUNS = re.compile(r"\b(?:(han|hun|ham|henne|Han|Hun)|(hans|hennes|Hennes))\b")
_GENITIVE = r"(?:[sS]|['’][sS]?)"
# Between the words of a name: a hyphen, spaces, or one line break (also after a hyphen) that is
# not followed by what looks like a speaker label, which must stay at the start of its line.
_SEPARATOR = r"(?:-|[^\S\n]+|-?[^\S\n]*\n[^\S\n]*(?!(?:\*\*)?[\w-]+(?: [\w-]+){0,2}(?:\*\*)?:))"
_WORD_BREAK = re.compile(r"[\s-]+")

Known = Callable[[str], "str | None"]  # lower-case form -> its Ordbank entry, None if unknown
Seen = Callable[[str, int], None]  # (pseudonym, line)


@dataclass(frozen=True)
class Found:
    """One detected name and the word just before it (lower case, "" at the start)."""

    name: str
    before: str


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


def is_common_word(entry: str | None) -> bool:
    """Known to the lexicon with a lower-case lemma: "bakken" is also the hill."""
    return entry is not None and any(part[2:3].islower() for part in entry.split("|"))


def found_names(text: str, known: Known, keep: Iterable[str] = ()) -> Iterator[Found]:
    """Capitalised non-initial words (and runs of them) that look like names, in text order."""
    skip = set(keep) | COMMON_PROPER | INTERJECTIONS
    run: list[str] = []
    before = previous = ""
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
                yield Found(" ".join(run), before)
            run, before = ([word] if candidate else []), previous
        previous, last_end = m.group().lower(), m.end()
    if run:
        yield Found(" ".join(run), before)


def likely_names(text: str, known: Known, keep: Iterable[str] = ()) -> Iterator[str]:
    """The names found_names finds, without their context."""
    return (found.name for found in found_names(text, known, keep))


def kinds(found: Iterable[Found]) -> dict[str, str]:
    """"sted" or "navn" per detected name, judged on all its occurrences (see the module docstring)."""
    before: dict[str, set[str]] = defaultdict(set)
    for f in found:
        before[f.name].add(f.before)
    return {name: _kind(name, words) for name, words in before.items()}


def _kind(name: str, before: set[str]) -> str:
    if " " in name or name in FIRST_NAMES_LIKE_PLACES or before & PERSON_CUES:
        return "navn"
    return "sted" if _PLACE_ENDING.fullmatch(name.lower()) or before & PLACE_PREPOSITIONS else "navn"


def label_is_name(label: str, known: Known) -> bool:
    """A speaker label that is a person's name ("Kari Nordmann"), not a role ("Veileder 2")."""
    words = label.split()
    return all(_CAPITALISED.fullmatch(w) and proper_or_unknown(w, known(w.lower())) for w in words)


def term_key(term: str) -> str:
    """A term with its words joined by single spaces, however they were split: the lookup key."""
    return " ".join(word for word in _WORD_BREAK.split(term) if word)


def name_forms(name: str) -> list[str]:
    """The forms a listed person's name takes alone: each run of its capitalised words, so "Anne-
    Grethe Moe" is also "Anne-Grethe", "Anne", "Grethe Moe", "Moe"; an initial is no form alone."""
    words = term_key(name).split()
    runs = [words[i:j] for i in range(len(words)) for j in range(i + 1, len(words) + 1)]
    return [" ".join(run) for run in runs if run[0][:1].isupper() and run[-1][:1].isupper()
            and (len(run) > 1 or sum(c.isalpha() for c in run[0]) > 1)]


def _pattern(exact: Iterable[str], any_case: Iterable[str], keep: Iterable[str]) -> re.Pattern | None:
    """One pattern for all terms as a trie of characters (fast with hundreds of names); a longer
    term is tried before its prefix, so a full name beats its first name."""
    trie: dict[str, dict] = {}
    for term, ignore_case in [(t, False) for t in exact] + [(t, True) for t in any_case]:
        node = trie
        for unit in _units(term, ignore_case):
            node = node.setdefault(unit, {})
        node[""] = {}
    if not trie:
        return None
    guard = "|".join(map(re.escape, sorted(keep, key=lambda k: (-len(k), k))))
    guard = rf"(?!(?:{guard}){_GENITIVE}?(?!\w))" if guard else ""
    return re.compile(rf"(?<!\w){guard}(?P<term>{_branches(trie)})(?P<gen>{_GENITIVE})?(?!\w)")


def _units(term: str, ignore_case: bool) -> list[str]:
    """A term's regex pieces: a character (either case if ignore_case) or a word separator."""
    units: list[str] = []
    for i, word in enumerate(term.split(" ")):
        units += [_SEPARATOR] if i else []
        units += [_letter(c) if ignore_case else re.escape(c) for c in word]
    return units


def _letter(c: str) -> str:
    lower, upper = c.lower(), c.upper()
    return f"[{lower}{upper}]" if lower != upper and len(lower) == len(upper) == 1 else re.escape(c)


def _branches(node: dict[str, dict]) -> str:
    """The regex of a trie node: its branches, optional (greedy, so longest first) where a term ends."""
    branches = [unit + _branches(child) for unit, child in sorted(node.items()) if unit]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


class Replacer:
    """Every term in one pass, longest first, whole words only, a genitive kept ("Karis" becomes
    "[navn 1]s"); any_case terms (the researcher's list) in every case form; a word written as
    under keep is left alone. tally counts every replacement made, per pseudonym."""

    def __init__(self, pseudonyms: dict[str, str], pronouns: bool = False,
                 any_case: dict[str, str] | None = None, keep: Iterable[str] = ()) -> None:
        self.exact = {term_key(t): p for t, p in pseudonyms.items() if term_key(t)}
        self.any_case = {term_key(t).lower(): p for t, p in (any_case or {}).items() if term_key(t)}
        self.pattern = _pattern(self.exact, self.any_case, keep)
        self.pronouns = pronouns
        self.tally: Counter[str] = Counter()

    def __call__(self, text: str, seen: Seen | None = None) -> str:
        """text with every term replaced; seen(pseudonym, line) for each replacement (a line-broken
        name keeps its line break, so lines stay where they were)."""
        if self.pattern is not None:
            text = self._sub(self.pattern, text, self._swap, seen)
        if self.pronouns:
            text = self._sub(_PRONOUNS, text, lambda m: ("[hen]" if m.group(1) else "[hens]", ""), seen)
        return text

    def key(self, matched: str) -> str:
        """The term (its lookup key) that a matched text is a form of."""
        key = term_key(matched)
        return key if key in self.exact else key.lower()

    def pseudonym(self, key: str) -> str:
        """The pseudonym of a term, by its key."""
        return self.exact.get(key) or self.any_case[key]

    def matches(self, text: str) -> Counter[str]:
        """How often each term (by key) occurs in text; nothing is replaced or tallied."""
        found = self.pattern.finditer(text) if self.pattern is not None else ()
        return Counter(self.key(m.group("term")) for m in found)

    def covers(self, text: str) -> bool:
        """True when text as a whole is a form of one of the terms ("Bakkens" of Bakken)."""
        return self.pattern is not None and self.pattern.fullmatch(text) is not None

    def _swap(self, m: re.Match) -> tuple[str, str]:
        pseudonym = self.pseudonym(self.key(m.group("term")))
        return pseudonym, (m.group("gen") or "") + "\n" * m.group("term").count("\n")

    def _sub(self, pattern: re.Pattern, text: str, replacement: Callable[[re.Match], tuple[str, str]],
             seen: Seen | None) -> str:
        starts = [0] + [m.end() for m in re.finditer("\n", text)] if seen else []

        def swap(m: re.Match) -> str:
            pseudonym, rest = replacement(m)
            self.tally[pseudonym] += 1
            if seen:
                seen(pseudonym, bisect_right(starts, m.start()))
            return pseudonym + rest

        return pattern.sub(swap, text)
