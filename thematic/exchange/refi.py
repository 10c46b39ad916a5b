"""What export and import of REFI-QDA share: the namespaces, the folder of sources in the zip, and
GUIDs derived from our ids, so exporting the same study twice gives the same file."""

from __future__ import annotations

import hashlib
import uuid

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_FILE = "project.qde"
SOURCES_DIR = "sources"  # spec §8.1: lowercase; ATLAS.ti refuses "Sources/" (read it case-insensitively)
INTERNAL = "internal://"  # plainTextPath="internal://<GUID>.txt" names a file in SOURCES_DIR
ORIGIN = "thematic"  # Project/@origin and CodeBook/@origin start with it ("thematic 0.1.0"): our own export
USER = "thematic"  # the one User an export names (no personal data, the same on every machine)
# Project.xsd's typeOfVariable values, in the order a value is tried (a YAML bool is no Integer)
VARIABLE_TYPES = ("Boolean", "Integer", "Float", "Text")
# The kinds of record export derives GUIDs for, each from these of our ids:
#   user (USER) · theme (theme id) · code (code id, after renames and merges) · set (theme id)
#   source (item id) · selection (item, start, end) · coding (item, start, end, code id)
#   variable (attribute name) · case (participant id, or "ITEM (voices)") · note (memo, see qdpx.py)
# Selections are named by the extract id ("gruppe-01:1464"), so an import can find ours again.
# A thematic export always has theme Codes with isCodable="false" and codable code Codes under them.
_THEMATIC = uuid.UUID("6a0f3c52-8e1d-5b7a-9c44-2f1e7d3b9a10")  # a fixed namespace of our own


_PREFIX = _THEMATIC.bytes


def guid(kind: str, *parts: str) -> str:
    """A stable GUID for one of our records: `guid("code", "mestring")`, `guid("selection", item,
    "1464", "1530")`. Equal to str(uuid.uuid5(_THEMATIC, kind␟parts…)), made without building a
    UUID object: an export makes one per selection and coding (some 50,000 on a 1M-word study)."""
    raw = bytearray(hashlib.sha1(_PREFIX + "\x1f".join((kind, *parts)).encode("utf-8")).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
