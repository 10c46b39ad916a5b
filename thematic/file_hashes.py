"""The hashes of a study's input files (transcripts, codebooks, participants.yaml), reused while
a file is as it was when hashed: hashing 100 interviews (6 MB) was ~15 ms of every `status` and
every run, ten times that at 10M words.

"As it was" is the same size, mtime, ctime and inode. ctime changes with every write to a file
and every change of its times (touch, an editor or copy that restores the mtime), and cannot be
set back; so the same four numbers mean the same bytes. A file changed within RACY_NS of being
hashed might keep its ctime on a file system with coarse timestamps: it is not remembered, and is
hashed again next time (as git's "racily clean" index entries). Not used on Windows, whose ctime
is the creation time. The remembered hashes are a cache in the machine folder: a lost or stale
one costs time, never a wrong answer.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from thematic.artefacts import sha256_file, write_atomic
from thematic.errors import ThematicError

if TYPE_CHECKING:
    from thematic.project import Project

RACY_NS = 2_000_000_000  # a file changed this recently is hashed each time, not remembered
Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def cache_path(project: Project) -> Path:
    """In a folder of cache/, whose killed writes' temp files a run clears (runner)."""
    return project.machine_dir / "cache" / "hashes" / "files.json"


def file_hashes(project: Project, paths: list[Path]) -> dict[str, str]:
    """Study-relative name -> sha256 of each file; unchanged files from the cache, the others
    hashed (and remembered when they are settled)."""
    known = _read(project)
    hashes: dict[str, str] = {}
    learned: dict[str, list] = {}
    for path in paths:
        name = project.relative(path)
        entry, before = known.get(name), _stat(path)
        if before is not None and isinstance(entry, list) and tuple(entry[:4]) == before:
            hashes[name] = entry[4]
            continue
        hashes[name] = sha256_file(path)
        if before is not None and _settled(before) and _stat(path) == before:
            learned[name] = [*before, hashes[name]]
    if learned:
        _write(project, {**known, **learned})
    return hashes


def _stat(path: Path) -> Stat | None:
    if os.name == "nt":
        return None
    try:
        found = path.stat()
    except OSError:
        return None  # sha256_file says what is wrong with it
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino


def _settled(stat: Stat) -> bool:
    """Last changed long enough ago that a change now would show in its ctime."""
    return time.time_ns() - max(stat[1], stat[2]) > RACY_NS


def _read(project: Project) -> dict[str, list]:
    with suppress(OSError, ValueError):
        data = json.loads(cache_path(project).read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 5}
    return {}


def _write(project: Project, entries: dict[str, list]) -> None:
    """Only into an analysis folder that exists (a status before the first run makes none); a
    read-only study simply hashes again next time. Status may write it while a run does: each
    write is atomic and each entry checks itself, so either one is right."""
    if not project.machine_dir.is_dir():
        return
    with suppress(ThematicError, OSError):
        write_atomic(cache_path(project), json.dumps(entries, ensure_ascii=False, sort_keys=True), cache=True)
