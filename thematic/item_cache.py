"""Per-item results cached on disk, so a run redoes only the items whose inputs changed.

Phase 2's work per transcript (its codebook matches and the counts the suggester sums) depends
only on that transcript's analysis, which turns are informants', the codebooks' keywords and the
algorithms' versions. A key hashing exactly those names one JSON file in
analysis/.thematic/cache/<kind>/; editing one transcript misses one file. The corpus-level steps
(ranking, the extract store) then recompute from these compact records.

A cache only saves time: a damaged file is recomputed, a read-only or foreign folder means one
warning and no further writes (the run goes on), and files this run did not use are removed at
its end so the folder holds one entry per item, not one per edit.
"""

from __future__ import annotations

import errno
import json
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from thematic.artefacts import canonical_hash, replace_atomically, replace_cache
from thematic.errors import ArtefactError

CACHE_DIR = "cache"  # under the study's machine folder; one subfolder per kind (nlp, code, ...)
UNWRITABLE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
Warn = Callable[[str], None]


def cache_key(*parts: Any) -> str:
    """A short, stable name for whatever the cached value depends on."""
    return canonical_hash(list(parts))[:32]


def write_or_warn(path: Path, parts: list[bytes], warn: Warn | None, what: str, flush: bool = True) -> bool:
    """Write one cache file atomically; False when its folder cannot be written.

    A read-only or foreign cache folder is tolerated with one warning (the cache only saves
    time). Any other failure (a full disk, an I/O error) stops the run at once, naming the file:
    the artefact writes that follow would fail too, only after all the work. flush=False: no
    fsync, for a file whose reader recomputes it when unreadable (artefacts.replace_cache).
    """
    try:
        (replace_atomically if flush else replace_cache)(path, parts)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno not in UNWRITABLE:
            raise ArtefactError(f"{path}: cannot write ({reason})") from None
        if warn:
            warn(f"{path.parent}: cannot write the {what} cache ({reason}); it is computed afresh each run")
        return False
    return True


@dataclass
class ItemCache:
    """One kind of per-item cache: JSON values by key, the keys used this run remembered."""

    folder: Path
    what: str  # how warnings name it: "coding"
    warn: Warn | None = None
    used: set[str] = field(default_factory=set)
    writable: bool = True

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> Any | None:
        """The cached value, or None when absent or unreadable (then it is recomputed)."""
        self.used.add(key)
        try:
            return json.loads(self.path(key).read_bytes())
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: Any) -> bool:
        """Keep the value; False when it could not be kept (the folder cannot be written)."""
        self.used.add(key)
        if self.writable:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            # JSON that a power cut cut short or zeroed does not parse: get() recomputes it, so no fsync
            self.writable = write_or_warn(self.path(key), [text], self.warn, self.what, flush=False)
        return self.writable

    def prune(self) -> None:
        """Remove the entries this run did not use (an edited transcript's old results)."""
        if not self.writable or not self.folder.is_dir():
            return
        for path in self.folder.glob("*.json"):
            if path.stem not in self.used:
                with suppress(OSError):
                    path.unlink()
