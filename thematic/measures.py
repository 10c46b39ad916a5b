"""Shared measures: prevalence of codes and themes, the units spread is counted in, agreement
between two groupings (association between codes lives in thematic.cooccurrence).

Prevalence says what it counts: extracts, informant turns, data items, participants (people the
data can tell apart) and, where an item's people cannot be told apart, anonymous voices (one per
informant turn, thematic.corpus). A file is never counted as a participant unless it is one
person's. Where a rule needs spread (a suggestion's `min_participants`, review's thin flag), it
counts units: participants and voices together.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from thematic.codes import EffectiveCode
from thematic.corpus import Document, is_voice


def unit_of(extract: dict) -> str:
    """Whom an extract counts for: its participant (a person or an anonymous voice); the item
    only for a hand-written extract outside any turn."""
    return extract.get("participant") or extract["item"]


def spread(units: Iterable[str | None]) -> dict[str, int]:
    """Participants (people) among unit ids and, when there are any, anonymous voices."""
    ids = {u for u in units if u}
    voices = sum(map(is_voice, ids))
    return {"participants": len(ids) - voices, **({"voices": voices} if voices else {})}


def prevalence(codes: Iterable[EffectiveCode]) -> dict[str, int]:
    """Information only (Braun & Clarke: themes are not ranked by how often they occur)."""
    extracts = {e["id"]: e for c in codes for e in c.extracts}.values()
    return {
        "extracts": len(extracts),
        "turns": len({(e["item"], e.get("turn")) for e in extracts}),
        "items": len({e["item"] for e in extracts}),
        **spread(e.get("participant") for e in extracts),
    }


def corpus_totals(docs: Iterable[Document]) -> dict[str, int]:
    """What prevalence is out of: data items, informant turns, participants and voices."""
    docs = list(docs)
    people = {p for d in docs for p in d.participants}
    voices = sum(len(d.voices) for d in docs)
    return {"items": len(docs), "turns": sum(len(d.informant_turns) for d in docs),
            "participants": len(people), **({"voices": voices} if voices else {})}


def units_total(totals: dict[str, int]) -> int:
    """Participants and anonymous voices together: the units spread is counted in."""
    return totals["participants"] + totals.get("voices", 0)


def prevalence_text(prev: dict[str, int], totals: dict[str, int]) -> str:
    """The sentence a scaffold states prevalence in, naming what it counts ("finnes hos 2 av 6
    deltakere"); anonymous voices are named as such, never as participants."""
    where = []
    if totals["participants"]:
        where.append(f"hos {prev['participants']} av {totals['participants']} deltakere")
    if totals.get("voices"):
        where.append(f"i {prev.get('voices', 0)} av {totals['voices']} anonyme ytringer (personer som ikke kan skilles)")
    files = f"{prev['items']} av {totals['items']} {'filer' if totals.get('voices') else 'intervjuer'}"
    if not where:
        return f"Temaet finnes i {files}."
    return f"Temaet finnes {' og '.join(where)}{',' if totals.get('voices') else ''} i {files}."


def adjusted_rand_index(a: list, b: list) -> float:
    """Agreement of two labelings of the same things, corrected for chance (Hubert & Arabie 1985):
    1 = identical groupings, about 0 = no better than random."""
    if len(a) != len(b):
        raise ValueError("both labelings must cover the same things")

    def pairs(n: int) -> float:
        return n * (n - 1) / 2

    together = sum(pairs(n) for n in Counter(zip(a, b)).values())
    in_a = sum(pairs(n) for n in Counter(a).values())
    in_b = sum(pairs(n) for n in Counter(b).values())
    expected = in_a * in_b / pairs(len(a)) if len(a) > 1 else 0.0
    best = (in_a + in_b) / 2
    return 1.0 if best == expected else (together - expected) / (best - expected)
