"""Phase 5, defining and naming: a scaffold per kept theme; names and definitions are the researcher's.

Themes are listed in phase order, never ranked by frequency; prevalence is information only.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from thematic.artefacts import Flow, Loaded
from thematic.codes import EffectiveCode
from thematic.context import Context
from thematic.measures import prevalence
from thematic.phases.review import themes_with_codes

SHORT, LONG = 8, 60  # words: extracts outside this range quote badly


def kept_themes(ctx: Context) -> tuple[list[tuple[dict, list[EffectiveCode]]], list[str]]:
    """Themes after the review decisions: discarded ones out, merged ones folded into their target."""
    reviewed = {t["id"]: t for t in ctx.artefact("review")["themes"]}
    members = {theme["id"]: codes for theme, codes in themes_with_codes(ctx)}
    kept: dict[str, list[EffectiveCode]] = {}
    discarded = []
    for tid, theme in reviewed.items():
        decision = theme.get("decision", "pending")
        if decision == "discard":
            discarded.append(tid)
            continue
        target = decision[6:].strip() if decision.startswith("merge:") else tid
        kept.setdefault(target, [])
        kept[target].extend(c for c in members.get(tid, []) if c not in kept[target])
    kept = {tid: codes for tid, codes in kept.items() if tid not in discarded and codes}
    return [(reviewed[tid], kept[tid]) for tid in reviewed if tid in kept], sorted(discarded)


def representative_extracts(codes: list[EffectiveCode], limit: int) -> list[dict]:
    """Extracts spread over participants: round-robin, richest (most codes) and quotable first."""
    by_id: dict[str, dict] = {}
    weight: Counter[str] = Counter()
    for code in codes:
        for extract in code.extracts:
            by_id[extract["id"]] = extract
            weight[extract["id"]] += 1

    def rank(extract: dict) -> tuple:
        words = len(extract["text"].split())
        return (not SHORT <= words <= LONG, -weight[extract["id"]], extract["id"])

    queues: dict[str, list[dict]] = {}
    for extract in sorted(by_id.values(), key=rank):
        queues.setdefault(extract.get("participant") or extract["item"], []).append(extract)
    chosen: list[dict] = []
    while len(chosen) < limit and any(queues.values()):
        for participant in sorted(queues, key=lambda p: (rank(queues[p][0]) if queues[p] else (True, 0, ""), p)):
            if queues[participant] and len(chosen) < limit:
                chosen.append(queues[participant].pop(0))
    return chosen


def _scaffold(label: str, codes: list[EffectiveCode], prev: dict, total_participants: int) -> str:
    names = ", ".join(c.label for c in codes[:6])
    return (f"«{label}» samler kodene {names}. Temaet finnes hos {prev['participants']} av "
            f"{total_participants} deltakere i {prev['items']} intervjuer. Skriv hva temaet handler om, "
            f"hvor grensene går mot de andre temaene, og hvilket sentralt organiserende begrep som holder det sammen.")


def run(ctx: Context, params: dict) -> dict[str, Any]:
    kept, discarded = kept_themes(ctx)
    total = len({p for doc in ctx.docs for p in doc.participants})
    records = []
    for theme, codes in kept:
        prev = prevalence(codes)
        records.append({
            "id": theme["id"],
            "proposed_name": theme["label"],
            "name": "",
            "scaffold": _scaffold(theme["label"], codes, prev, total),
            "definition": "",
            "central_organising_concept": "",
            "codes": [{"id": c.id, "label": c.label, "extracts": len(c.extracts)} for c in codes],
            "review_decision": theme.get("decision", "pending"),
            "prevalence": prev,
            "extracts": [_quote(e) for e in representative_extracts(codes, params["extracts"])],
            "narrative": "",
            "notes": "",
        })
    return {"summary": {"themes": len(records), "discarded": len(discarded)},
            "themes": records, "discarded": Flow(discarded)}


def _quote(extract: dict) -> dict:
    keys = ("id", "item", "participant", "speaker", "line", "span", "text")
    quote = {k: extract[k] for k in keys if k in extract}
    if "span" in quote:
        quote["span"] = Flow(quote["span"])
    return quote


def validate(loaded: Loaded) -> None:
    themes = loaded.data.get("themes")
    if not isinstance(themes, list):
        raise loaded.error(["themes"], "themes must be a list")
    for i, theme in enumerate(themes):
        if not isinstance(theme, dict) or not isinstance(theme.get("id"), str):
            raise loaded.error(["themes", i], "each theme needs an id")
        for key in ("name", "definition", "central_organising_concept", "narrative", "notes"):
            if not isinstance(theme.get(key, ""), str):
                raise loaded.error(["themes", i, key], f"{key} must be text (use | for several lines)")
