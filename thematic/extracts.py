"""Choosing the extracts that show a theme: spread over participants, not just the most frequent."""

from __future__ import annotations

from collections import defaultdict

from thematic.artefacts import Flow
from thematic.codes import EffectiveCode

SHORT, LONG = 8, 60  # words: extracts outside this range quote badly
QUOTE_KEYS = ("id", "item", "participant", "speaker", "line", "span", "text")


def representative_extracts(codes: list[EffectiveCode], limit: int) -> list[dict]:
    """Greedy picks: a participant not yet quoted first, then quotable length, a new data item,
    codes not yet shown, extracts carrying several codes; ties by place in the data, so the choice is stable."""
    by_id: dict[str, dict] = {}
    codes_of: dict[str, set[str]] = defaultdict(set)
    for code in codes:
        for extract in code.extracts:
            by_id[extract["id"]] = extract
            codes_of[extract["id"]].add(code.id)
    pool = [by_id[k] for k in sorted(by_id)]
    chosen: list[dict] = []
    people: set[str] = set()
    items: set[str] = set()
    shown: set[str] = set()

    def rank(extract: dict) -> tuple:
        words = len(extract["text"].split())
        return ((extract.get("participant") or extract["item"]) in people, not SHORT <= words <= LONG,
                extract["item"] in items, -len(codes_of[extract["id"]] - shown), -len(codes_of[extract["id"]]),
                extract["item"], (extract.get("span") or [0])[0], extract["id"])

    while pool and len(chosen) < limit:
        best = min(pool, key=rank)
        pool.remove(best)
        chosen.append(best)
        people.add(best.get("participant") or best["item"])
        items.add(best["item"])
        shown |= codes_of[best["id"]]
    return chosen


def quote(extract: dict) -> dict:
    """An extract as artefacts quote it: where it is, who said it, and the verbatim text."""
    out = {k: extract[k] for k in QUOTE_KEYS if k in extract}
    if "span" in out:
        out["span"] = Flow(out["span"])
    return out
