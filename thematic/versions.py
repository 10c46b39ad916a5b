"""Installed packages' versions (the lock's pipeline key, cache names), read the cheap way.

importlib.metadata imports the email package to parse a wheel's METADATA (about 50 ms, a tenth of
`thematic status`); every status and run asks for three versions. A wheel's METADATA has its
version on a "Version:" line near the top, in the `<name>-<version>.dist-info` folder that pip
made on sys.path: we read that line, searching sys.path in the order importlib.metadata does,
and ask importlib.metadata only when that finds no single such folder (an egg, an odd install)."""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache


_UNSURE = object()  # what the folders cannot tell: importlib.metadata decides


@lru_cache(maxsize=None)
def installed_version(package: str) -> str | None:
    """The version of an installed distribution, or None when it is not installed."""
    found = _from_dist_info(package)
    if found is not _UNSURE:
        return found  # type: ignore[return-value]
    from importlib import metadata

    try:
        return metadata.version(package)
    except (metadata.PackageNotFoundError, ValueError):
        return None


def required_version(package: str) -> str:
    """installed_version of a package thematic cannot run without: its absence is a broken
    install, said as importlib.metadata says it."""
    found = installed_version(package)
    if found is None:
        from importlib.metadata import PackageNotFoundError

        raise PackageNotFoundError(package)
    return found


def _normalized(name: str) -> str:
    """A distribution name as dist-info folders spell it (PEP 503 normalised, '_' for runs of -_.)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _from_dist_info(package: str) -> object:
    """The Version: line of the first sys.path folder with exactly one dist-info folder for the
    package; None when no folder has one; _UNSURE for an egg, a zip on sys.path or two installs."""
    wanted = _normalized(package)
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):
                return _UNSURE  # a zip or an egg file: only importlib.metadata reads those
            continue
        names = [n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info"))
                 and _normalized(n.rpartition(".")[0].split("-")[0]) == wanted]
        if len(names) == 1 and names[0].endswith(".dist-info"):
            version = _version_line(os.path.join(folder, names[0], "METADATA"))
            return _UNSURE if version is None else version
        if names:
            return _UNSURE
    return None


def _version_line(path: str) -> str | None:
    """The Version: header of a METADATA file, or None."""
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("Version:"):
                    return line[len("Version:"):].strip()
                if not line.strip():
                    return None  # the headers end at the first blank line
    except OSError:
        return None
    return None
