"""Phase 4, reviewing themes: against their coded extracts (level 1), then the data set (level 2).

The machine measures and flags; the researcher decides keep / merge:<id> / split / discard.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from thematic.artefacts import Flow, Loaded
from thematic.codes import EffectiveCode, effective_codes
from thematic.context import Context
from thematic.measures import jaccard, mean_association, prevalence
from thematic.phases.themes import MISC

DECISIONS = ("pending", "keep", "split", "discard")


def themes_with_codes(ctx: Context) -> list[tuple[dict, list[EffectiveCode]]]:
    """Phase 3's themes with the codes that still count (a code rejected since then drops out)."""
    codes = {c.id: c for c in effective_codes(ctx.artefact("code"))}
    out = []
    for theme in ctx.artefact("themes")["themes"]:
        members = [codes[cid] for cid in theme.get("codes", []) if cid in codes]
        out.append((theme, members))
    return out


def _level1(members: list[EffectiveCode]) -> dict[str, Any]:
    per_participant = Counter(e["participant"] for c in members for e in c.extracts if e.get("participant"))
    total = sum(per_participant.values())
    top_share = round(max(per_participant.values()) / total, 3) if total else 0.0
    return {"coherence": mean_association(members), **prevalence(members), "top_participant_share": top_share}


def _flags(tid: str, level1: dict, overlaps: dict[str, float], params: dict) -> list[str]:
    flags = []
    if tid == MISC:
        flags.append("miscellaneous: place these codes in a theme or discard them")
    if level1["participants"] < params["thin_participants"]:
        flags.append(f"thin: only {level1['participants']} participants; merge or discard?")
    if level1["top_participant_share"] > params["anecdotal_share"]:
        flags.append(f"anecdotal: {level1['top_participant_share']:.0%} of extracts from one participant")
    for other, share in overlaps.items():
        if share >= params["overlap"]:
            flags.append(f"overlapping with {other} ({share:.0%} shared extracts): merge?")
    if level1["coherence"] is not None and level1["coherence"] < 0.02:
        flags.append("incoherent: its codes rarely occur in the same turns; split?")
    return flags


def run(ctx: Context, params: dict) -> dict[str, Any]:
    themes = themes_with_codes(ctx)
    extract_sets = {t["id"]: {e["id"] for c in m for e in c.extracts} for t, m in themes}
    informant_turns = {(d.id, t.index) for d in ctx.docs for t in d.informant_turns}
    touched = {(e["item"], e.get("turn")) for _, m in themes for c in m for e in c.extracts}
    records = []
    for theme, members in themes:
        level1 = _level1(members)
        overlaps = {other: round(jaccard(extract_sets[theme["id"]], ids), 3)
                    for other, ids in extract_sets.items() if other != theme["id"]}
        overlaps = {k: v for k, v in sorted(overlaps.items()) if v > 0}
        flags = _flags(theme["id"], level1, overlaps, params)
        records.append({
            "id": theme["id"],
            "label": theme["label"],
            "codes": Flow(theme["codes"]),
            "level1": level1,
            "level2": {"overlap": overlaps},
            "flags": flags,
            "decision": "pending",
            "reason": "",
            "notes": "",
        })
    coverage = round(len(touched & informant_turns) / len(informant_turns), 3) if informant_turns else 0.0
    return {
        "summary": {"themes": len(records), "flagged": sum(1 for r in records if r["flags"]), "coverage": coverage},
        "dataset": {"informant_turns": len(informant_turns), "coverage": coverage},
        "themes": records,
    }


def check_decision(value: Any, ids: set, own_id: str) -> str | None:
    allowed = "pending, keep, merge:<theme id>, split or discard"
    if value in DECISIONS:
        return None
    if isinstance(value, str) and value.startswith("merge:"):
        target = value[6:].strip()
        if target == own_id or target not in ids:
            return f"merge:{target} names no other theme in this file"
        return None
    return f"unknown decision {value!r}; allowed: {allowed}"


def validate(loaded: Loaded) -> None:
    themes = loaded.data.get("themes")
    if not isinstance(themes, list):
        raise loaded.error(["themes"], "themes must be a list")
    ids = {t.get("id") for t in themes if isinstance(t, dict)}
    for i, theme in enumerate(themes):
        if not isinstance(theme, dict) or not isinstance(theme.get("id"), str):
            raise loaded.error(["themes", i], "each theme needs an id")
        problem = check_decision(theme.get("decision", "pending"), ids, theme["id"])
        if problem:
            raise loaded.error(["themes", i, "decision"], problem)
