"""The extract store: every extract of every machine code, in SQLite beside the YAML artefacts.

YAML is for people: even libyaml reads it at about 1 MB/s, and a 1M-word study has some 50,000
extracts. So 2-codes.yaml keeps every code, its evidence, its decision and a bounded sample of
its extracts (what a person reads to judge a code), and this store keeps them all, indexed by
code and by item, for phases 3-6 and for queries and exports. The YAML names the store's digest
in its meta, so a store that does not belong to the YAML is never used, and any change to the
store changes the YAML (and so makes later phases stale) like any other phase-2 output. Every
human decision stays in the YAML; hand-written extracts of manual codes live only there.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from thematic.artefacts import Flow, file_mode
from thematic.errors import ArtefactError

STORE_FILE = "extracts.sqlite"
FORMAT = "thematic-extracts@1"
COLUMNS = ("id", "item", "participant", "speaker", "turn", "line", "start", "end", "time", "text")
_QUOTED = ", ".join(f'"{c}"' for c in COLUMNS)  # "end" is an SQL keyword
_SCHEMA = f"""
CREATE TABLE extracts (code TEXT NOT NULL, seq INTEGER NOT NULL, {_QUOTED},
                       PRIMARY KEY (code, seq)) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_BY_ITEM = "CREATE INDEX extracts_item ON extracts (item, start)"  # made once all rows are in: faster
Row = tuple  # an extract as the store keeps it: the values of COLUMNS, in that order
_INSERT = f"INSERT INTO extracts VALUES ({', '.join('?' * (len(COLUMNS) + 2))})"


def _encoder() -> Callable[[Any], str]:
    """JSONEncoder(ensure_ascii=False).encode's text for the flat rows the digest hashes, from
    one C encoder made once: `encode` makes a new one per call, and 100,000 rows per 1M words
    are hashed (half the time)."""
    from json.encoder import c_make_encoder, encode_basestring

    plain = json.JSONEncoder(ensure_ascii=False)
    if c_make_encoder is None:
        return plain.encode
    chunks = c_make_encoder(None, plain.default, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(chunks(value, 0))


_ENCODE = _encoder()


def row_of(e: dict) -> Row:
    """An extract dict as a store row."""
    start, end = e["span"]
    return (e["id"], e["item"], e.get("participant"), e.get("speaker"), e.get("turn"), e.get("line"),
            start, end, e.get("time"), e["text"])


def extract_of(row: Row) -> dict:
    """A stored row as the extract dict phase 2 made (keys absent where the value was); one dict
    built straight from the row: phases 3-6 make 50,000 of them per 1M words."""
    id_, item, participant, speaker, turn, line, start, end, time, text = row  # COLUMNS' order
    out = {"id": id_, "item": item, "participant": participant, "speaker": speaker, "turn": turn, "line": line,
           "span": Flow([start, end]), "text": text}
    if time is not None:
        out["time"] = time
    return out



Extra = Callable[[sqlite3.Connection], dict[str, str]]


class StoreWriter:
    """A new store being filled: rows go to SQLite as they come (in any order of codes, each
    code's rows in its order), so no code's extracts need to be in memory at once."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path, self.db = path, db
        self.seq: dict[str, int] = {}
        self.hashes: dict[str, Any] = {}  # code -> sha256 of its rows so far (see `digest`)
        self.meta: dict | None = None

    def add(self, rows: Iterable[tuple[str, Row]]) -> None:
        """(code, row) pairs, each appended to its code's extracts."""
        numbered = []
        for code, row in rows:
            n = self.seq.get(code, 0)
            self.seq[code] = n + 1
            numbered.append((code, n, *row))
            (self.hashes.get(code) or self.hashes.setdefault(code, hashlib.sha256())).update(_ENCODE(numbered[-1]).encode())
        with self._errors():
            self.db.executemany(_INSERT, numbered)

    def distinct(self) -> int:
        """How many different extracts (by id) the store holds so far, over all codes."""
        with self._errors():
            return self.db.execute("SELECT count(DISTINCT id) FROM extracts").fetchone()[0]

    def finish(self, extra: Extra | None = None) -> dict:
        """Digest, `extra`'s tables (the query index, thematic.index) and meta, committed; the
        meta 2-codes.yaml records (the digest stays the extracts')."""
        digest = self.digest()
        with self._errors():
            self.db.execute(_BY_ITEM)
            more = extra(self.db) if extra is not None else {}
            self.db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("digest", digest), *sorted(more.items())])
            self.db.commit()
        self.meta = {"file": self.path.name, "format": FORMAT, "digest": digest, "extracts": sum(self.seq.values())}
        return self.meta

    def digest(self) -> str:
        """What the store holds, hashed independently of SQLite's bytes (the YAML's meta names
        it): each code's rows in order, hashed as they were added, then the codes in order."""
        h = hashlib.sha256(FORMAT.encode())
        for code in sorted(self.hashes):
            h.update(_ENCODE([code, self.hashes[code].hexdigest()]).encode() + b"\n")
        return h.hexdigest()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (OSError, sqlite3.Error) as exc:
            raise ArtefactError(f"{self.path}: cannot write ({getattr(exc, 'strerror', None) or exc})") from None


@contextmanager
def writing(path: Path) -> Iterator[StoreWriter]:
    """A StoreWriter on a temp database that replaces the store atomically once `finish`ed
    inside the block; removed, leaving the old store, if the block stops before that."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        with closing(_new_database(path, Path(tmp))) as db:
            writer = StoreWriter(path, db)
            yield writer
        if writer.meta is not None:
            _settle(path, Path(tmp))
    finally:
        with suppress(OSError):
            os.unlink(tmp)


def _new_database(path: Path, tmp: Path) -> sqlite3.Connection:
    """The temp database, empty tables made; no journal: an unfinished temp file is discarded."""
    try:
        os.chmod(tmp, file_mode(path))
        db = sqlite3.connect(tmp)
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        return db
    except (OSError, sqlite3.Error) as exc:
        raise ArtefactError(f"{path}: cannot write ({getattr(exc, 'strerror', None) or exc})") from None


def _settle(path: Path, tmp: Path) -> None:
    """The finished temp database on disk, then renamed over the store."""
    try:
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise ArtefactError(f"{path}: cannot write ({exc.strerror or exc})") from None


def write_store(path: Path, extracts: dict[str, list[dict]], extra: Extra | None = None) -> dict:
    """Write every code's extracts atomically (a temp database renamed over the old one) and
    return the meta 2-codes.yaml records for it. `extra` adds tables in the same write (the
    query index, thematic.index) and returns meta entries of its own; the digest stays the extracts'."""
    with writing(path) as writer:
        for code in sorted(extracts):
            writer.add((code, row_of(e)) for e in extracts[code])
        return writer.finish(extra)


def open_store(path: Path, expected: str) -> sqlite3.Connection:
    """The store, read-only, checked to be the one 2-codes.yaml names (for queries and exports)."""
    return _open(path, expected)


def _open(path: Path, expected: str) -> sqlite3.Connection:
    """The store, read-only, after checking it is the one the YAML was written with."""
    fix = "re-run phase 2: thematic code STUDY --force"
    if not path.is_file():
        raise ArtefactError(f"{path}: missing (2-codes.yaml keeps only a sample of each code's extracts)", fix=fix)
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        found = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error as exc:
        raise ArtefactError(f"{path}: not a thematic extract store ({exc})", fix=fix) from None
    if found.get("format") != FORMAT or found.get("digest") != expected:
        db.close()
        raise ArtefactError(f"{path}: does not belong to 2-codes.yaml (another run wrote it)", fix=fix)
    return db


def read_store(path: Path, expected: str, codes: Iterable[str]) -> dict[str, list[dict]]:
    """code id -> all its extracts, in phase 2's order, for the wanted codes the store has."""
    out: dict[str, list[dict]] = {}
    names: dict[str | None, str | None] = {}
    with closing(_open(path, expected)) as db:
        for code in sorted(set(codes)):
            rows = db.execute(f"SELECT {_QUOTED} FROM extracts WHERE code = ? ORDER BY seq", (code,)).fetchall()
            if rows:
                out[code] = [extract_of(_named_once(r, names)) for r in rows]
    return out


def _named_once(row: Row, names: dict[str | None, str | None]) -> Row:
    """The row with its item, participant and speaker as one string each across all rows:
    SQLite gives each row its own copies (about 150 bytes an extract, 75 MB at 10M words)."""
    id_, item, participant, speaker, *rest = row
    return (id_, names.setdefault(item, item), names.setdefault(participant, participant),
            names.setdefault(speaker, speaker), *rest)


def extracts_of(db: sqlite3.Connection, codes: Iterable[str], text: bool = True) -> Iterator[tuple[str, dict]]:
    """(code, extract) for every stored extract of these codes, each code in phase 2's order.
    Without text, each extract is only where it is and who said it (id, item, participant,
    speaker, turn, span): counting needs no words, and reads 5x faster without them."""
    names = sorted(set(codes))
    columns = _QUOTED if text else '"id", "item", "participant", "speaker", "turn", "start", "end"'
    for start in range(0, len(names), 500):  # SQLite allows some hundreds of parameters
        chunk = names[start:start + 500]
        rows = db.execute(f"SELECT code, {columns} FROM extracts WHERE code IN ({', '.join('?' * len(chunk))}) "
                          "ORDER BY code, seq", chunk)
        if text:
            yield from ((row[0], extract_of(row[1:])) for row in rows)
        else:
            yield from ((c, {"id": i, "item": it, "participant": p, "speaker": sp, "turn": t, "span": (a, b)})
                        for c, i, it, p, sp, t, a, b in rows)


def tally_of(db: sqlite3.Connection, codes: Iterable[str]) -> tuple[dict[tuple, int], list[tuple]]:
    """For the extracts of these codes, each once: how many per (item, speaker, participant), and
    the (item, turn) pairs they are in; counted by SQLite, so no extract becomes a Python object."""
    names = sorted(set(codes))
    if not names:
        return {}, []
    where = f"WHERE code IN ({', '.join('?' * len(names))})"  # a theme's codes: some tens, never 999
    groups = db.execute(f"SELECT item, speaker, participant, count(DISTINCT id) FROM extracts {where} "
                        "GROUP BY item, speaker, participant", names).fetchall()
    turns = db.execute(f"SELECT DISTINCT item, turn FROM extracts {where}", names).fetchall()
    return {row[:3]: row[3] for row in groups}, turns


def extract_count(db: sqlite3.Connection, codes: Iterable[str]) -> int:
    """How many distinct extracts these codes have (tally_of's total, without its groups and turns)."""
    names = sorted(set(codes))
    if not names:
        return 0
    where = f"WHERE code IN ({', '.join('?' * len(names))})"
    return db.execute(f"SELECT count(DISTINCT id) FROM extracts {where}", names).fetchone()[0]


def store_matches(path: Path, expected: str) -> bool:
    """True when the store exists, is the one the YAML names and carries the query index (lock
    checks this for status: a store written before the index existed makes phase 2 stale)."""
    from thematic.index import has_index

    try:
        with closing(_open(path, expected)) as db:
            return has_index(db)
    except (ArtefactError, sqlite3.Error):
        return False
