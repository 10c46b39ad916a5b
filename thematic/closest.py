""""Did you mean ...?": the nearest known id to a mistyped one, so an error names the fix."""

from __future__ import annotations

from difflib import get_close_matches
from typing import Iterable


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known id most like word (difflib ratio >= 0.6), or None when nothing is close."""
    choices = sorted({k for k in known if isinstance(k, str)})
    found = get_close_matches(word, choices, n=1, cutoff=0.6)
    if not found:  # "accept" vs "accepted": a prefix is as telling as a typo
        found = [c for c in choices if len(word) >= 3 and (c.startswith(word) or word.startswith(c))][:1]
    return found[0] if found else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """"; did you mean 'x'?" to append to an error message, or "" when nothing is close."""
    match = closest(word, known)
    return f"; did you mean {match!r}?" if match is not None and match != word else ""
