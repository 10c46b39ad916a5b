"""The suggester's candidates summed over the corpus from each item's tallies (thematic.suggest).

An item's tallies are cached as columns (`tally_columns`): the words as lists, every number as
base64 of fixed-width integers, which JSON decodes as one string instead of an object per number.
`merge` sums them with numpy into per-word arrays, and a candidate is made as a Python object only
when asked for: ranking needs the ~15% seen often and widely enough, and their heads. A 1M-word
corpus has some 20,000 nouns and phrases and 120,000 item tallies; summing each as objects was
most of the re-run's phase 2 after one transcript changed.
"""

from __future__ import annotations

import base64
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

from thematic.nlp.stopwords import LIGHT_ADJECTIVES

PLACE_BITS = 32  # a place is (item number << PLACE_BITS) + sentence number: one int64 per sentence
ItemCounts = tuple[str, dict[int, str], dict[str, Any]]  # item id, unit of each informant turn, its tallies
Joins = Callable[[str, str, Mapping[str, int]], "str | None"]  # (pos, lemma, nouns) -> the noun it joins


class Place(NamedTuple):
    """One sentence a candidate occurs in: item, where the sentence starts, its turn, its end."""

    item: str
    start: int
    turn: int
    end: int


@dataclass(slots=True)
class Table:
    """What merged candidates point into, shared by all of them: the items in data order, each
    one's sentence table (flat start, turn, end) and the units (participants and voices) in
    order of first use, a candidate's units being bits of one int."""

    items: list = field(default_factory=list)
    sentences: list = field(default_factory=list)
    units: list = field(default_factory=list)
    unit_numbers: dict = field(default_factory=dict)

    def add(self, item: str, sentences: array, unit_of: dict[int, str]) -> tuple[int, dict[int, int]]:
        """The item's number and its informant turns' unit numbers."""
        self.items.append(item)
        self.sentences.append(sentences)
        return len(self.items) - 1, {turn: self._number(unit) for turn, unit in unit_of.items()}

    def _number(self, unit: str) -> int:
        number = self.unit_numbers.get(unit)
        if number is None:
            number = self.unit_numbers[unit] = len(self.units)
            self.units.append(unit)
        return number


@dataclass(slots=True)
class Candidate:
    """A possible code and the evidence for it, gathered over the whole corpus (slots, its units
    as bits of one int and its places as one int64 array)."""

    lemma: str
    head: str
    count: int = 0
    forms: Counter = field(default_factory=Counter)  # in order of first use (a label's tie-break)
    unit_bits: int = 0  # its units (participants and anonymous voices): bits into table.units
    family: frozenset = frozenset()  # lemmas of other word classes merged into it
    coded: array = field(default_factory=lambda: array("q"), repr=False)  # its places, see PLACE_BITS
    table: Table | None = field(default=None, repr=False)

    @property
    def is_phrase(self) -> bool:
        return " " in self.lemma

    @property
    def is_modified(self) -> bool:
        """An adjective + noun phrase (the only two-word phrase) whose adjective is no light one:
        ranked on its own when it scores above its noun."""
        return self.lemma.count(" ") == 1 and self.lemma.split()[0] not in LIGHT_ADJECTIVES

    @property
    def reach(self) -> int:
        """How many units (participants and anonymous voices) it occurs with."""
        return self.unit_bits.bit_count()

    @property
    def units(self) -> set[str]:
        """Its units' ids (only the suggestions shown need them)."""
        names, bits = self.table.units if self.table else [], self.unit_bits
        return {names[n] for n in range(bits.bit_length()) if bits >> n & 1}

    @property
    def items(self) -> set[str]:
        """The items it occurs in (only the suggestions shown need them)."""
        names = self.table.items if self.table else []
        return {names[v >> PLACE_BITS] for v in self.coded}

    @property
    def places(self) -> list[Place]:
        """The sentences it occurs in, in data order, one place per sentence however often it
        occurs there; built on each call (only the suggestions shown need them)."""
        out: list[Place] = []
        mask = (1 << PLACE_BITS) - 1
        for v in self.coded:
            item, sentences, k = self.table.items[v >> PLACE_BITS], self.table.sentences[v >> PLACE_BITS], v & mask
            start, turn, end = sentences[3 * k:3 * k + 3]
            if not out or out[-1][:2] != (item, start):
                out.append(Place(item, start, turn, end))
        if self.family:  # a family word's places came after the noun's: one per sentence, in order
            merged = {place[:2]: place for place in out}
            out = [merged[key] for key in sorted(merged)]
        return out


def pack(values: Iterable[int], dtype: str = "<i4") -> str:
    """Integers as base64 of fixed-width bytes (JSON then holds one string, not a number each)."""
    import numpy

    return base64.b64encode(numpy.asarray(list(values), dtype=dtype).tobytes()).decode("ascii")


def unpack(text: str, dtype: str = "<i4"):  # type: ignore[no-untyped-def]
    """`pack`'s integers as an int64 numpy array."""
    import numpy

    return numpy.frombuffer(base64.b64decode(text), dtype=dtype).astype("int64")


def tally_columns(tallies: list[list]) -> dict[str, Any]:
    """Tallies [count, forms, turns, sentences] as columns: every form with its count, and each
    row's number of forms, turns and sentences (the count is the sum of its forms')."""
    return {"forms": [form for t in tallies for form in t[1]],
            "form_counts": pack(n for t in tallies for n in t[1].values()),
            "form_rows": pack(len(t[1]) for t in tallies),
            "turns": pack(turn for t in tallies for turn in t[2]), "turn_rows": pack(len(t[2]) for t in tallies),
            "places": pack(k for t in tallies for k in t[3]), "place_rows": pack(len(t[3]) for t in tallies)}


@dataclass
class Columns:
    """Every item's tally rows, as columns over the corpus while they are read."""

    words: list = field(default_factory=list)  # each row's word number
    forms: list = field(default_factory=list)  # every form, row after row
    form_counts: list = field(default_factory=list)
    form_rows: list = field(default_factory=list)
    turn_units: list = field(default_factory=list)  # each turn's unit number
    turn_rows: list = field(default_factory=list)
    places: list = field(default_factory=list)
    place_rows: list = field(default_factory=list)

    def add(self, counts: dict[str, Any], words: list[int], number: int, unit_at) -> None:  # type: ignore[no-untyped-def]
        import numpy

        self.words.append(numpy.array(words, dtype="int64"))
        self.forms += counts["forms"]
        for name in ("form_counts", "form_rows", "turn_rows", "place_rows"):
            getattr(self, name).append(unpack(counts[name]))
        self.turn_units.append(unit_at[unpack(counts["turns"])])
        self.places.append(unpack(counts["places"]) + (number << PLACE_BITS))

    def joined(self) -> dict[str, Any]:
        import numpy

        def cat(parts):  # type: ignore[no-untyped-def]
            return numpy.concatenate(parts) if parts else numpy.zeros(0, dtype="int64")

        return {name: cat(getattr(self, name)) for name in
                ("words", "form_counts", "form_rows", "turn_units", "turn_rows", "places", "place_rows")}


@dataclass
class Merging:
    """The sum being made: the table, each word's number in order of first use (a noun or phrase
    by its lemma, a family word by (word class, lemma)), its head, and the rows read so far."""

    table: Table = field(default_factory=Table)
    total: int = 0
    numbers: dict = field(default_factory=dict)
    heads: list = field(default_factory=list)
    columns: Columns = field(default_factory=Columns)

    def add(self, item: str, unit_of: dict[int, str], counts: dict[str, Any]) -> None:
        import numpy

        self.total += counts["total"]
        sentences = array("q", unpack(counts["sentences"], "<i8").tobytes())
        number, unit_number = self.table.add(item, sentences, unit_of)
        unit_at = numpy.zeros(max(unit_of, default=0) + 1, dtype="int64")
        unit_at[list(unit_number)] = list(unit_number.values())
        words = self._numbers(counts["nouns"], counts["heads"])
        words += self._numbers(list(zip(counts["related_pos"], counts["related"])), None)
        self.columns.add(counts, words, number, unit_at)

    def _numbers(self, keys: list, heads: list[str] | None) -> list[int]:
        """The keys' word numbers, new ones numbered in order (a head "" is the lemma itself)."""
        before, numbers = len(self.heads), self.numbers
        setdefault = numbers.setdefault
        out = [setdefault(key, len(numbers)) for key in keys]
        for key, n, head in zip(keys, out, heads or [""] * len(keys)):
            if n >= before:
                self.heads.append(head or key if heads is not None else "")
        return out


def merge(items: Iterable[ItemCounts], joins: Joins) -> tuple[Merged, int]:
    """Every item's tallies summed (in data order), each family word joined to the noun `joins`
    names, and the number of informant word tokens."""
    merging = Merging()
    for item, unit_of, counts in items:
        merging.add(item, unit_of, counts)
    return Merged(merging, joins), merging.total


class Merged(Mapping):
    """The noun and phrase candidates by lemma, each made as a Candidate when first asked for;
    their counts and reach are numpy arrays over all of them (`kept` filters without objects)."""

    def __init__(self, merging: Merging, joins: Joins) -> None:
        import numpy

        self.table, self.heads, cols = merging.table, merging.heads, merging.columns.joined()
        self.forms, self.made = merging.columns.forms, {}
        self.nouns = {key: n for key, n in merging.numbers.items() if isinstance(key, str)}
        self.family = self._family(merging.numbers, joins)
        self.families: dict[int, frozenset] = {}
        for noun, _, word in self.family.values():
            self.families[noun] = self.families.get(noun, frozenset()) | {word}
        owner, member = self._owners(cols["words"], merging.numbers)
        self.rows = cols
        self.form_start = _starts(cols["form_rows"])
        self.place_start = _starts(cols["place_rows"])
        row_count = numpy.add.reduceat(cols["form_counts"], self.form_start[:-1]) if len(owner) else owner
        mine = owner >= 0
        self.count = numpy.bincount(owner[mine], row_count[mine], len(self.heads)).astype("int64")
        self.order = numpy.lexsort((numpy.arange(len(owner)), member, owner))[numpy.count_nonzero(~mine):]
        every = numpy.arange(len(self.heads) + 1)
        self.bounds = numpy.searchsorted(owner[self.order], every).tolist()  # each candidate's rows in order
        self.pairs = self._unit_pairs(owner, cols)
        self.unit_bounds = numpy.searchsorted(self.pairs[:, 0], every).tolist()
        self.reach = numpy.bincount(self.pairs[:, 0], minlength=len(self.heads))
        self.form_counts, self.form_starts = cols["form_counts"].tolist(), self.form_start.tolist()

    def _family(self, numbers: dict, joins: Joins) -> dict[int, tuple[int, int, str]]:
        """family word number -> (its noun's number, its place among all family words, lemma),
        in the order of (word class, lemma): the order in which family words join their nouns."""
        out = {}
        for k, key in enumerate(sorted(key for key in numbers if isinstance(key, tuple))):
            noun = joins(key[0], key[1], self.nouns)
            if noun is not None:
                out[numbers[key]] = (self.nouns[noun], k + 1, key[1])
        return out

    def _owners(self, words, numbers: dict):  # type: ignore[no-untyped-def]
        """Each row's candidate (-1 for a family word that joins none) and its place among the
        candidate's words (0: the noun itself; family words after it, in their joining order)."""
        import numpy

        owner_of = numpy.arange(len(self.heads), dtype="int64")
        member_of = numpy.zeros(len(self.heads), dtype="int64")
        owner_of[[n for key, n in numbers.items() if isinstance(key, tuple)]] = -1
        for word, (noun, k, _) in self.family.items():
            owner_of[word], member_of[word] = noun, k
        return owner_of[words], member_of[words]

    def _unit_pairs(self, owner, cols):  # type: ignore[no-untyped-def]
        """Distinct (candidate, unit) pairs, sorted: a candidate's reach and its units."""
        import numpy

        turn_owner = numpy.repeat(owner, cols["turn_rows"])
        units = cols["turn_units"]
        mine = turn_owner >= 0
        width = int(units.max()) + 1 if len(units) else 1
        pairs = numpy.unique(turn_owner[mine] * width + units[mine])
        return numpy.stack([pairs // width, pairs % width], axis=1)

    def kept(self, min_count: int, min_units: int) -> dict[str, Candidate]:
        """The candidates seen at least `min_count` times with at least `min_units` units."""
        wanted = (self.count >= min_count) & (self.reach >= min_units)
        return {lemma: self[lemma] for lemma, n in self.nouns.items() if wanted[n]}

    def __getitem__(self, lemma: str) -> Candidate:
        made = self.made.get(lemma)
        if made is None:
            made = self.made[lemma] = self._make(lemma, self.nouns[lemma])
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self.nouns)

    def __len__(self) -> int:
        return len(self.nouns)

    def _make(self, lemma: str, n: int) -> Candidate:
        """One candidate from its rows: the noun's, then each family word's, in data order."""
        import numpy

        rows = self.order[self.bounds[n]:self.bounds[n + 1]]
        forms: Counter = Counter()
        get, counts, starts = forms.get, self.form_counts, self.form_starts
        for row in rows.tolist():
            a, b = starts[row], starts[row + 1]
            for form, k in zip(self.forms[a:b], counts[a:b]):
                forms[form] = get(form, 0) + k
        first, lengths = self.place_start[rows], self.rows["place_rows"][rows]
        at = numpy.repeat(first - numpy.cumsum(lengths) + lengths, lengths) + numpy.arange(int(lengths.sum()))
        units = self.pairs[self.unit_bounds[n]:self.unit_bounds[n + 1], 1].tolist()
        return Candidate(lemma, self.heads[n], int(self.count[n]), forms, sum(1 << u for u in units),
                         self.families.get(n, frozenset()), array("q", self.rows["places"][at].tobytes()), self.table)


def _starts(rows):  # type: ignore[no-untyped-def]
    """Where each row's entries start in a column, and where the last ends."""
    import numpy

    out = numpy.zeros(len(rows) + 1, dtype="int64")
    numpy.cumsum(rows, out=out[1:])
    return out
