"""A read-only str -> str table in one file, looked up through a memory map instead of loaded.

The Ordbank lexicon (590k forms) and wordfreq's nb list (320k words) cost 0.4 s and 0.3 s to load
as Python dicts in every process of every run, though a run looks up only the words its
transcripts have. Here opening a table is one checksum pass over the file (~20 ms for the
lexicon) and a lookup reads one small bucket of lines. Data only: a cache file that someone else
could write can never run code, and one that is not exactly what `save` wrote is never trusted.

Layout: a header line (format, byte order, count, buckets, longest key, sha256 of the rest and
the header's numbers), the buckets' start offsets (uint32), then "key<TAB>value" lines grouped
by bucket (crc32 of the key's UTF-8), each line after a newline.
"""

from __future__ import annotations

import hashlib
import mmap
import re
import sys
import zlib
from array import array
from pathlib import Path
from typing import Iterator, Mapping

from thematic.artefacts import replace_atomically

FORMAT = "mapped.v1"
_ORDER = {"little": "le", "big": "be"}[sys.byteorder]  # offsets are native uint32: a foreign file is rebuilt
_HEADER = re.compile(rb"(thematic-table mapped\.v1 (le|be) ([0-9]{1,9}) ([0-9]{1,9}) ([0-9]{1,9})) ([0-9a-f]{64})\n")


def _bucket_count(count: int) -> int:
    """A power of two near count/2: two lines a bucket on average."""
    return 1 << max(0, (count // 2).bit_length())


class MappedTable(Mapping[str, str]):
    """The table in a memory-mapped file (or bytes): `get`, `in` and `[]` read one bucket."""

    def __init__(self, data: bytes | mmap.mmap, body: int, count: int, buckets: int, longest: int) -> None:
        self._data, self._count, self.longest = data, count, longest
        self._mask = buckets - 1
        self._offsets = memoryview(data)[body:body + 4 * (buckets + 1)].cast("B").cast("I")

    def get(self, key: str, default=None):  # type: ignore[no-untyped-def, override]
        raw = key.encode("utf-8", "surrogatepass")
        b = zlib.crc32(raw) & self._mask
        at = self._data.find(b"\n" + raw + b"\t", self._offsets[b] - 1, self._offsets[b + 1])
        if at < 0:
            return default
        start = at + len(raw) + 2
        return self._data[start:self._data.find(b"\n", start)].decode("utf-8")

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        """Every key, bucket by bucket (not in the order saved): for checks, not for lookups."""
        lines = self._data[self._offsets[0]:self._offsets[len(self._offsets) - 1]].decode("utf-8")
        return (line.partition("\t")[0] for line in lines.split("\n") if line)


def _plain(text: str) -> bool:
    """Fits a "key<TAB>value" line."""
    return "\t" not in text and "\n" not in text


def parts(table: Mapping[str, str]) -> list[bytes]:
    """The file's bytes for a table whose keys and values hold no tab or newline (ValueError else)."""
    if not all(key and _plain(key) and _plain(value) for key, value in table.items()):
        raise ValueError("a key or value holds a tab or newline (or a key is empty)")
    buckets = _bucket_count(len(table))
    grouped: list[list[bytes]] = [[] for _ in range(buckets)]
    for key, value in table.items():
        raw = key.encode("utf-8")
        grouped[zlib.crc32(raw) & (buckets - 1)].append(raw + b"\t" + value.encode("utf-8") + b"\n")
    longest = max(map(len, table), default=0)
    prefix = f"thematic-table {FORMAT} {_ORDER} {len(table)} {buckets} {longest}".encode()
    head_len = len(prefix) + 66  # " " + 64 hex digits + "\n"
    offsets, at = array("I"), head_len + 4 * (buckets + 1) + 1
    for lines in grouped:
        offsets.append(at)
        at += sum(map(len, lines))
    offsets.append(at)
    rest = offsets.tobytes() + b"\n" + b"".join(b"".join(lines) for lines in grouped)
    digest = hashlib.sha256(prefix + b"\n" + rest).hexdigest()
    return [prefix + b" " + digest.encode() + b"\n", rest]


def save(path: Path, table: Mapping[str, str]) -> None:
    """Write the table file atomically (OSError is the caller's: a cache may fail to write)."""
    replace_atomically(path, parts(table))


def read(path: Path) -> MappedTable | None:
    """The table in a file, or None when it is absent or not exactly what `save` wrote."""
    try:
        with path.open("rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return None
    return from_bytes(data)


def from_bytes(data: bytes | mmap.mmap) -> MappedTable | None:
    """The table in these bytes when they are sound (checksum, byte order, offsets), else None."""
    match = _HEADER.match(data[:200])
    if not match or match.group(2).decode() != _ORDER:
        return None
    body = match.end()
    digest = hashlib.sha256(match.group(1) + b"\n")
    digest.update(memoryview(data)[body:])
    if digest.hexdigest() != match.group(6).decode():
        return None
    count, buckets, longest = (int(match.group(k)) for k in (3, 4, 5))
    if buckets & (buckets - 1) or len(data) < body + 4 * (buckets + 1) + 1:
        return None
    return MappedTable(data, body, count, buckets, longest)
