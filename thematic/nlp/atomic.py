"""Atomic binary writes for the NLP caches (thematic.artefacts.write_atomic writes text only)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable


def _usual_mode() -> int:
    """0644 under umask 022: mkstemp's 0600 would hide a shared study's cache from its co-workers."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_bytes(path: Path, parts: Iterable[bytes]) -> None:
    """Write via a unique temp file in the same folder, fsync, rename: a reader sees the old file
    or the new one, never half, and a failed write leaves no temp file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), _usual_mode())
            for part in parts:
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
