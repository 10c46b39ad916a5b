"""Stable ascii ids for codes, themes and participants, so decisions survive re-runs."""

from __future__ import annotations

import re
import unicodedata

_NORDIC = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def slugify(text: str) -> str:
    """'Skreddersøm og tilpasning' -> 'skreddersom-og-tilpasning'."""
    text = unicodedata.normalize("NFKD", text.translate(_NORDIC).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
