"""The query index: the corpus as `find`, `show` and `stats` need it, inside the extract store.

Queries must answer in well under a second on a 1M-word study, so they never read transcripts,
run the NLP pipeline, parse the big artefacts or build an object per turn or token. Phase 2,
which has every transcript and its analysis at hand, writes this index into the same SQLite file
as the extracts, in the same atomic write: per item its text, line map, turns, coded spans and
word tokens as packed int32 columns, and per lemma the tokens that carry it (postings). The
store's digest (named by 2-codes.yaml and the lock) therefore vouches for the index too;
`INDEX_FORMAT` in its meta says an index is there at all. This module imports neither the
corpus readers nor the NLP pipeline: a query process pays only for what it reads.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping

from thematic.turns import INFORMANT, Turn

if TYPE_CHECKING:
    from thematic.corpus import Document

INDEX_FORMAT = "thematic-query-index@2"  # @2: each turn's word count (turn_words)
TURN_COLUMNS = ("turn_index", "turn_start", "turn_end", "turn_line", "turn_voice", "turn_words")
CODED_COLUMNS = ("coded_start", "coded_end", "coded_code")
TOKEN_COLUMNS = ("starts", "ends", "lemmas")
_PACKED = TURN_COLUMNS + CODED_COLUMNS + TOKEN_COLUMNS
_ITEM_COLUMNS = ("n", "item", "path", "sha256", "format", "text", "lines", "voices", "times") + _PACKED
SCHEMA = f"""
CREATE TABLE q_items (n INTEGER PRIMARY KEY, item TEXT NOT NULL UNIQUE, path TEXT NOT NULL,
                      sha256 TEXT NOT NULL, format TEXT NOT NULL, text TEXT NOT NULL, lines TEXT,
                      voices TEXT NOT NULL, times TEXT, {', '.join(f'{c} BLOB NOT NULL' for c in _PACKED)});
CREATE TABLE q_codes (id INTEGER PRIMARY KEY, code TEXT NOT NULL);
CREATE TABLE q_lemmas (id INTEGER PRIMARY KEY, lemma TEXT NOT NULL, postings BLOB NOT NULL);
CREATE INDEX q_lemmas_lemma ON q_lemmas (lemma);
"""
COMPOUND_MODIFIER = 2  # letters before a compound's head, as the codebook matcher requires


def _int32(values) -> bytes:  # type: ignore[no-untyped-def]
    """Little-endian int32 bytes (offsets of texts under 100 MB fit), the same on every machine."""
    import numpy

    return numpy.asarray(values, dtype="<i4").tobytes()


def _ints(blob: bytes) -> array:
    out = array("i")
    out.frombytes(blob)
    if sys.byteorder == "big":
        out.byteswap()
    return out


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class IndexSource:
    """What phase 2 hands over: the documents, their analyses, and how paths are written."""

    docs: list[Document]
    analyses: Mapping  # item id -> DocAnalysis (thematic.nlp.analysis.Analyses: each read when used)
    relative: Callable[[Path], str]


def writer(source: IndexSource) -> Callable[[sqlite3.Connection], dict[str, str]]:
    """A function that writes the index into the store's open transaction (after the extracts,
    whose spans it packs per item) and returns the meta entries that name it."""
    def write(db: sqlite3.Connection) -> dict[str, str]:
        db.executescript(SCHEMA)
        names, lemmas = _lemma_ids(source)
        codes = [code for (code,) in db.execute("SELECT DISTINCT code FROM extracts ORDER BY code")]
        db.executemany("INSERT INTO q_codes VALUES (?, ?)", enumerate(codes))
        number = {code: i for i, code in enumerate(codes)}
        db.executemany(f"INSERT INTO q_items VALUES ({', '.join('?' * len(_ITEM_COLUMNS))})",
                       (_item_row(source, n, lemmas[n], _coded(db, d.id, number)) for n, d in enumerate(source.docs)))
        _write_postings(db, names, lemmas)
        informant = sum(t.role == INFORMANT for d in source.docs for t in d.turns)
        return {"index": INDEX_FORMAT, "informant_turns": str(informant)}
    return write


def _lemma_ids(source: IndexSource) -> tuple[list[str], list]:
    """The corpus vocabulary of lowercased lemmas (sorted, so the same corpus gives the same ids)
    and, per item, each word token's id in it (int32: 4 bytes a token, no list of every item's
    lowered lemmas at once)."""
    import numpy

    names = sorted(set().union(*(map(str.lower, source.analyses[d.id].lemmas) for d in source.docs)))
    ids = {lemma: i for i, lemma in enumerate(names)}
    per_item = []
    for d in source.docs:  # one analysis at a time: a large corpus's are re-read from the NLP cache
        a = source.analyses[d.id]
        local = numpy.fromiter(map(ids.__getitem__, map(str.lower, a.lemmas)), dtype="<i4", count=len(a.lemmas))
        per_item.append((local if len(local) else numpy.zeros(1, "<i4"))[numpy.asarray(a.lemma)])
    return names, per_item


def _coded(db: sqlite3.Connection, item: str, number: dict[str, int]) -> list[tuple[int, int, int]]:
    """(start, end, code number) of the item's stored extracts by start: read item by item
    (through the store's index by item), so no corpus-long list of them is ever built."""
    rows = db.execute('SELECT start, "end", code FROM extracts WHERE item = ? ORDER BY start, code', (item,))
    return [(start, end, number[code]) for start, end, code in rows]


def _item_row(source: IndexSource, n: int, lemmas, coded: list[tuple[int, int, int]]) -> tuple:  # type: ignore[no-untyped-def]
    doc, analysis = source.docs[n], source.analyses[source.docs[n].id]
    lines = _json(doc.source.lines) if doc.source is not None and doc.source.lines is not None else None
    voices = sorted({(t.speaker, t.role, t.participant) for t in doc.turns}, key=lambda v: tuple(x or "" for x in v))
    voice = {v: i for i, v in enumerate(voices)}
    turns = doc.turns
    times = _json([t.time for t in turns]) if any(t.time for t in turns) else None
    packed = ([t.index for t in turns], [t.start for t in turns], [t.end for t in turns], [t.line for t in turns],
              [voice[(t.speaker, t.role, t.participant)] for t in turns], [t.words for t in turns],
              [c[0] for c in coded], [c[1] for c in coded], [c[2] for c in coded],
              analysis.start, analysis.end, lemmas)
    return (n, doc.id, source.relative(doc.path), doc.sha256, doc.source.format if doc.source else "txt", doc.text,
            lines, _json(voices), times, *map(_int32, packed))


POSTINGS_BATCH = 1 << 20  # tokens whose postings are sorted at once (a lemma more frequent is one batch)


def _write_postings(db: sqlite3.Connection, names: list[str], lemmas: list) -> None:
    """Per lemma, the (item number, token number) pairs that carry it, in corpus order, one blob
    of int32 pairs each. Lemma ids are taken in consecutive ranges of about POSTINGS_BATCH tokens
    (each range's tokens gathered from every item, then sorted by lemma): memory is bounded by
    the batch, not the corpus (all postings at once took ~28 bytes a token)."""
    import numpy

    if not lemmas:
        return
    counts = numpy.zeros(len(names), dtype="int64")
    for x in lemmas:
        counts += numpy.bincount(x, minlength=len(names))
    rows = ((lemma, names[lemma], blob) for lo, hi in _ranges(counts, POSTINGS_BATCH)
            for lemma, blob in _postings(lemmas, lo, hi))
    db.executemany("INSERT INTO q_lemmas VALUES (?, ?, ?)", rows)


def _ranges(counts, batch: int) -> Iterator[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Consecutive [lo, hi) ranges of lemma ids, each carrying about `batch` tokens (one lemma at least)."""
    import numpy

    ends = numpy.cumsum(counts)
    lo = 0
    while lo < len(counts):
        hi = max(lo + 1, int(numpy.searchsorted(ends, ends[lo] - counts[lo] + batch, side="right")))
        yield lo, hi
        lo = hi


def _postings(lemmas: list, lo: int, hi: int) -> Iterator[tuple[int, bytes]]:
    """(lemma id, its (item, token) pairs as int32 bytes) for the lemma ids in [lo, hi) that occur."""
    import numpy

    at = [numpy.flatnonzero((x >= lo) & (x < hi)) for x in lemmas]
    lemma = numpy.concatenate([x[k] for x, k in zip(lemmas, at)])
    if not len(lemma):
        return iter(())
    pairs = numpy.empty((len(lemma), 2), dtype="<i4")
    pairs[:, 0] = numpy.repeat(numpy.arange(len(at)), [len(k) for k in at])
    pairs[:, 1] = numpy.concatenate(at)
    del at
    order = numpy.argsort(lemma, kind="stable")
    lemma, pairs = lemma[order], pairs[order]
    view = memoryview(pairs).cast("B")
    cuts = [0, *(numpy.flatnonzero(numpy.diff(lemma)) + 1).tolist(), len(lemma)]
    return ((int(lemma[a]), bytes(view[8 * a:8 * b])) for a, b in zip(cuts, cuts[1:]) if b > a)


def has_index(db: sqlite3.Connection) -> bool:
    """True when the store carries an index of this format (an older store has none)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'index'").fetchone()
    return bool(row) and row[0] == INDEX_FORMAT


@dataclass(frozen=True)
class ItemRow:
    """One data item as the index keeps it."""

    n: int
    id: str
    path: str
    sha256: str
    mapped: bool  # its lines are paragraphs or cues (a line map), not the text's own lines




@dataclass(frozen=True)
class Packed:
    """One item's packed columns (read once per item a query touches)."""

    columns: dict[str, array]
    voices: list[list]
    times: list | None

    def turn(self, k: int, text: str) -> Turn:
        c = self.columns
        speaker, role, participant = self.voices[c["turn_voice"][k]]
        start, end = c["turn_start"][k], c["turn_end"][k]
        return Turn(c["turn_index"][k], speaker, role, participant, start, end, c["turn_line"][k],
                    text[start:end], self.times[k] if self.times else None, c["turn_words"][k])

    def turns(self, text: str) -> list[Turn]:
        """Every turn, in order: one pass over the columns (tens of thousands per 1M-word corpus)."""
        c, voices = self.columns, self.voices
        times = self.times or [None] * len(c["turn_start"])
        return [Turn(index, *voices[voice], start, end, line, text[start:end], time, words)
                for index, voice, start, end, line, time, words in zip(c["turn_index"], c["turn_voice"], c["turn_start"],
                                                                       c["turn_end"], c["turn_line"], times, c["turn_words"])]


class Index:
    """Read access to the index of an opened, checked store; loads only what a query touches."""

    def __init__(self, db: sqlite3.Connection, root: Path) -> None:
        self.db, self.root = db, root
        rows = db.execute("SELECT n, item, path, sha256, lines IS NOT NULL FROM q_items ORDER BY n").fetchall()
        self.items = [ItemRow(*row) for row in rows]
        self.by_id = {row.id: row for row in self.items}
        self.codes = [code for (code,) in db.execute("SELECT code FROM q_codes ORDER BY id")]
        self._texts: dict[int, str] = {}
        self._lowered: dict[int, str] = {}
        self._packed: dict[int, Packed] = {}
        self._docs: dict[str, Document] = {}

    def text(self, n: int) -> str:
        if n not in self._texts:
            self._texts[n] = self.db.execute("SELECT text FROM q_items WHERE n = ?", (n,)).fetchone()[0]
        return self._texts[n]

    def texts(self) -> Iterator[tuple[int, str]]:
        """(item number, text) of every item, read in one query (regex search, form lookup)."""
        if len(self._texts) < len(self.items):
            self._texts.update(self.db.execute("SELECT n, text FROM q_items"))
        return ((row.n, self._texts[row.n]) for row in self.items)

    def packed(self, n: int) -> Packed:
        if n not in self._packed:
            row = self.db.execute(f"SELECT text, voices, times, {', '.join(_PACKED)} FROM q_items WHERE n = ?",
                                  (n,)).fetchone()
            text, row = row[0], row[1:]
            self._texts.setdefault(n, text)
            columns = {name: _ints(blob) for name, blob in zip(_PACKED, row[2:])}
            self._packed[n] = Packed(columns, json.loads(row[0]), json.loads(row[1]) if row[1] else None)
        return self._packed[n]

    def tokens(self, n: int) -> tuple[array, array, array]:
        """Start offsets, end offsets and lemma ids of item n's word tokens."""
        c = self.packed(n).columns
        return c["starts"], c["ends"], c["lemmas"]

    def turns(self, item: str) -> list[Turn]:
        """The item's turns in order, with their text."""
        n = self.by_id[item].n
        return self.packed(n).turns(self.text(n))

    def turn_at(self, item: str, offset: int) -> Turn | None:
        """The turn of an item whose text holds this offset, or None (a label, a gap between turns)."""
        n = self.by_id[item].n
        packed = self.packed(n)
        k = bisect_right(packed.columns["turn_start"], offset) - 1
        if k < 0 or offset >= packed.columns["turn_end"][k]:
            return None
        return packed.turn(k, self.text(n))

    def coded(self, item: str) -> tuple[array, array, array]:
        """Start, end and code number (into `codes`) of every stored extract in the item, by start;
        only these three columns read when the item's others are not (the report's coverage asks
        for every item's)."""
        n = self.by_id[item].n
        if n in self._packed:
            c = self._packed[n].columns
            return c["coded_start"], c["coded_end"], c["coded_code"]
        row = self.db.execute(f"SELECT {', '.join(CODED_COLUMNS)} FROM q_items WHERE n = ?", (n,)).fetchone()
        starts, ends, codes = map(_ints, row)
        return starts, ends, codes

    def line_at(self, item: str, turn: Turn, offset: int) -> int:
        """The line an offset is on: counted from its turn's line in plain text, from the item's
        line map for .docx, .odt, .rtf and subtitles."""
        if self.by_id[item].mapped:
            return self.document(item).line_at(offset)
        return turn.line + self.text(self.by_id[item].n).count("\n", turn.start, offset)

    def document(self, item: str) -> Document:
        """The item as a Document, as phase 2 read it (no transcript is re-read): for the line
        map of office and subtitle files and for locating hand-written extracts."""
        if item not in self._docs:
            row = self.by_id[item]
            fmt, lines = self.db.execute("SELECT format, lines FROM q_items WHERE n = ?", (row.n,)).fetchone()
            self._docs[item] = self._document(row, fmt, lines, self.text(row.n), self.packed(row.n))
        return self._docs[item]

    def documents(self) -> list[Document]:
        """Every item as a Document, in one query of only the columns turns need (phases 3-6 of a
        decision re-run take the transcripts from here; the token columns stay unread)."""
        by_n = {row.n: row for row in self.items}
        query = f"SELECT n, format, lines, text, voices, times, {', '.join(TURN_COLUMNS)} FROM q_items"
        for n, fmt, lines, text, voices, times, *turns in self.db.execute(query):
            row = by_n[n]
            if row.id not in self._docs:
                packed = Packed(dict(zip(TURN_COLUMNS, map(_ints, turns))), json.loads(voices),
                                json.loads(times) if times else None)
                self._docs[row.id] = self._document(row, fmt, lines, text, packed)
        return [self._docs[row.id] for row in self.items]

    def _document(self, row: ItemRow, fmt: str, lines: str | None, text: str, packed: Packed) -> Document:
        from thematic.corpus import Document
        from thematic.readers.base import Source

        anchors = tuple(tuple(pair) for pair in json.loads(lines)) if lines else None
        source = Source(self.root / row.path, text, row.sha256, fmt, lines=anchors)
        return Document(row.id, self.root / row.path, row.sha256, text, tuple(packed.turns(text)), source)

    def informant_turns(self) -> int:
        """How many informant turns the corpus has (the unit count of turn-level co-occurrence)."""
        return int(self.db.execute("SELECT value FROM meta WHERE key = 'informant_turns'").fetchone()[0])

    def lemma_ids(self, word: str, compounds: bool = False) -> set[int]:
        """The lemmas a query word stands for: itself if it is a lemma of the corpus, else the
        lemmas its occurrences were given (skreddersømmen -> skreddersøm); with compounds, also
        every lemma ending in one of those after 2+ letters (arbeidsgiveroppfølging for oppfølging)."""
        word = word.lower()
        ids = {i for (i,) in self.db.execute("SELECT id FROM q_lemmas WHERE lemma = ?", (word,))}
        ids = ids or self._lemmas_of_form(word)
        if compounds:
            for head in self.names(ids):
                ids |= {i for (i,) in self.db.execute(
                    "SELECT id FROM q_lemmas WHERE length(lemma) >= length(?1) + ?2 AND substr(lemma, -length(?1)) = ?1",
                    (head, COMPOUND_MODIFIER))}
        return ids

    def _lemmas_of_form(self, form: str) -> set[int]:
        """The lemma ids of the word tokens spelt `form` (any case)."""
        ids: set[int] = set()
        for n, at in self._occurrences(form):
            starts, _, lemmas = self.tokens(n)
            k = bisect_left(starts, at)
            if k < len(starts) and starts[k] == at:
                ids.add(lemmas[k])
        return ids

    def _occurrences(self, form: str) -> Iterator[tuple[int, int]]:
        """(item number, offset) of every whole-word occurrence of a lowercase form: str.find on
        the lowercased text, five times faster than a case-blind regex (which is kept for the
        rare text whose lowercasing changes its length, so that offsets stay true)."""
        for n, text in self.texts():
            lower = self._lowered.setdefault(n, text.lower())
            if len(lower) != len(text):
                yield from ((n, m.start()) for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.I))
                continue
            at = lower.find(form)
            while at >= 0:
                end = at + len(form)
                if (at == 0 or not lower[at - 1].isalnum()) and (end == len(lower) or not lower[end].isalnum()):
                    yield n, at
                at = lower.find(form, at + 1)

    def names(self, ids: Iterable[int]) -> list[str]:
        """The lemmas with these ids, sorted."""
        wanted = sorted(ids)
        marks = ", ".join("?" * len(wanted))
        rows = self.db.execute(f"SELECT lemma FROM q_lemmas WHERE id IN ({marks}) ORDER BY lemma", wanted) if wanted else []
        return [lemma for (lemma,) in rows]

    def postings(self, ids: Iterable[int]) -> list[tuple[int, int]]:
        """Every (item number, token number) carrying one of these lemmas, in corpus order."""
        wanted = sorted(ids)
        out: list[tuple[int, int]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for (blob,) in self.db.execute(f"SELECT postings FROM q_lemmas WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
                flat = _ints(blob)
                out.extend(zip(flat[0::2], flat[1::2]))
        return sorted(out)

