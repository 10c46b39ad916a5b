"""What export and import of REFI-QDA share: the namespaces, the folder of sources in the zip, and
GUIDs derived from our ids, so exporting the same study twice gives the same file."""

from __future__ import annotations

import uuid

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_FILE = "project.qde"
SOURCES_DIR = "sources"  # spec §8.1: lowercase; ATLAS.ti refuses "Sources/" (read it case-insensitively)
# A fixed namespace of our own: the same kind and id give the same GUID in every run and on every machine.
_THEMATIC = uuid.UUID("6a0f3c52-8e1d-5b7a-9c44-2f1e7d3b9a10")


def guid(kind: str, *parts: str) -> str:
    """A stable GUID for one of our records: `guid("code", "mestring")`, `guid("selection", item, extract_id)`."""
    return str(uuid.uuid5(_THEMATIC, "\x1f".join((kind, *parts))))
