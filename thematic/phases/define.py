"""Phase 5, defining and naming: a scaffold per theme; names and definitions are the researcher's.

Phase 4's decisions apply here: `discard` drops a theme, `merge:<id>` folds its codes into <id>
(chains followed), `split` makes each of its sub-clusters a theme of its own, named like phase 3's
(`tema-<most central code>`). The miscellaneous bin is not a theme unless you `keep` it; until then
its codes are listed under `miscellaneous`. Each theme gets a proposed name, a definition scaffold
(what it is about, where it borders its nearest themes), subthemes from its sub-clusters and 3-5
extracts spread over participants. `name`, `definition`, `central_organising_concept` and
`narrative` are yours and never overwritten, and so is `chosen_extracts` (extract ids you picked,
put before the machine's). Themes keep phase order and are never ranked by
frequency (Braun & Clarke); prevalence is shown as information only.
"""

from __future__ import annotations

from typing import Any

from thematic.artefacts import Flow, FlowMap, Loaded
from thematic.codes import EffectiveCode
from thematic.context import Context
from thematic.cooccurrence import Association
from thematic.errors import ArtefactError
from thematic.extracts import picked, quote
from thematic.identity import changed_beyond, code_changes
from thematic.measures import corpus_totals, prevalence, prevalence_text
from thematic.phases import BY_NAME
from thematic.phases.review import theme_association, theme_subgroups, themes_with_codes
from thematic.phases.themes import MISC, draft_note, theme_label

HUMAN_TEXT = ("name", "definition", "central_organising_concept", "narrative", "notes")
CHOSEN = "chosen_extracts"  # yours: extract ids put first here and quoted in the report
WRITTEN = HUMAN_TEXT[:4]  # what makes a theme the researcher's: named, defined or written about


def _written_about(ctx: Context) -> dict[str, dict]:
    """This phase's previous themes that the researcher named or wrote about, by id."""
    if not (ctx.project.analysis_dir / BY_NAME["define"].artefact).is_file():
        return {}
    return {t["id"]: t for t in ctx.artefact("define")["themes"] if any(t.get(f) for f in WRITTEN)}


def _chosen(ctx: Context) -> dict[str, list[str]]:
    """The extract ids the researcher chose per theme (chosen_extracts of the previous run)."""
    if not (ctx.project.analysis_dir / BY_NAME["define"].artefact).is_file():
        return {}
    return {t["id"]: list(t[CHOSEN]) for t in ctx.artefact("define")["themes"] if t.get(CHOSEN)}


def _extracts(ctx: Context, tid: str, codes: list[EffectiveCode], chosen: list[str], limit: int) -> list[dict]:
    """The researcher's chosen extracts first, then the machine's picks. A chosen id no longer
    among the theme's extracts stays in chosen_extracts and is warned about, never dropped."""
    by_id = {e["id"]: e for c in codes for e in c.extracts}
    ctx.warnings.extend(f"{ctx.source('define')}: {tid}: chosen extract {x} is no longer among its codes' "
                        "extracts; kept in chosen_extracts" for x in chosen if x not in by_id)
    machine = [e for e in picked(ctx, codes, limit) if e["id"] not in chosen]
    return [quote(e) for e in [by_id[x] for x in chosen if x in by_id] + machine]


def _since_named(old: dict | None, codes: list[EffectiveCode]) -> dict[str, Any]:
    """For a theme the researcher wrote about: the codes it had then (`named_with`, yours to reset
    by deleting it) and, when they changed beyond thematic.identity's threshold, what changed."""
    if old is None:
        return {}
    named_with = list(old.get("named_with") or [c["id"] if isinstance(c, dict) else c for c in old.get("codes") or []])
    now = [c.id for c in codes]
    out: dict[str, Any] = {"named_with": Flow(named_with)}
    if changed_beyond(named_with, now):
        added, removed = code_changes(named_with, now)
        out["changed_since_named"] = FlowMap(added=Flow(added), removed=Flow(removed))
    return out


def _final_target(tid: str, decisions: dict[str, str]) -> str:
    """Where a theme's codes end up after following merge: decisions."""
    seen = [tid]
    while decisions.get(seen[-1], "pending").startswith("merge:"):
        nxt = decisions[seen[-1]][6:].strip()
        if nxt in seen:
            raise ArtefactError(f"4-reviewed-themes.yaml: themes merge into each other in a loop: {' -> '.join(seen + [nxt])}",
                                fix="change one of the merge: decisions")
        seen.append(nxt)
    return seen[-1]


def kept_themes(ctx: Context) -> tuple[list[tuple[dict, list[EffectiveCode]]], list[str], list[str]]:
    """(review record, codes) per theme after merges and discards, the discarded ids, and the
    codes left in the miscellaneous bin."""
    reviewed = {t["id"]: t for t in ctx.artefact("review")["themes"]}
    decisions = {tid: t.get("decision", "pending") for tid, t in reviewed.items()}
    members = {theme["id"]: codes for theme, codes in themes_with_codes(ctx)}
    kept: dict[str, list[EffectiveCode]] = {}
    parked: list[str] = []
    for tid in reviewed:
        target = _final_target(tid, decisions)
        if decisions.get(target) == "discard":
            continue
        if target == MISC and decisions.get(MISC) != "keep":
            parked += [c.id for c in members.get(tid, [])]
            continue
        bucket = kept.setdefault(target, [])
        bucket.extend(c for c in members.get(tid, []) if c not in bucket)
    discarded = sorted(tid for tid, d in decisions.items() if d == "discard")
    ordered = [(reviewed[tid], kept[tid]) for tid in reviewed if kept.get(tid)]
    return ordered, discarded, sorted(parked)


def _split(ctx: Context, theme: dict, codes: list[EffectiveCode], assoc: Association) -> list[tuple[dict, list[EffectiveCode]]]:
    """A theme marked `split`, as one theme per sub-cluster (codes in no sub-cluster join the
    sub-cluster they are most associated with); unchanged when it has no sub-clusters."""
    groups = theme_subgroups(ctx, [c.id for c in codes], assoc)
    if not groups:
        return [(theme, codes)]
    for code in sorted({c.id for c in codes} - {c for g in groups for c in g}):
        best = min(range(len(groups)), key=lambda i: (-sum(assoc.strength(code, o) for o in groups[i]) / len(groups[i]), i))
        groups[best].append(code)
    by_id = {c.id: c for c in codes}
    out = []
    for group in groups:
        central = list(assoc.centrality(group))
        part = {**theme, "id": f"tema-{central[0]}", "label": theme_label("", central, by_id)}
        out.append((part, [by_id[c] for c in central]))
    return out


def _subthemes(codes: list[EffectiveCode], assoc: Association, groups: list[list[str]]) -> list[dict]:
    """The theme's sub-clusters (`groups`: review.theme_subgroups) as subthemes, central code first."""
    by_id = {c.id: c for c in codes}
    out = []
    for group in groups:
        central = list(assoc.centrality(group))
        out.append({"id": f"undertema-{central[0]}", "label": theme_label("", central, by_id),
                    "codes": Flow(central)})
    return out


def _neighbours(tid: str, codes: list[EffectiveCode], others: dict[str, tuple[str, list[EffectiveCode]]],
                assoc: Association) -> list[tuple[str, str, float]]:
    """The two themes most associated with this one: (id, label, mean association of code pairs)."""
    scored = []
    for oid, (label, ocodes) in others.items():
        if oid != tid and codes and ocodes:
            mean = sum(assoc.strength(a.id, b.id) for a in codes for b in ocodes) / (len(codes) * len(ocodes))
            scored.append((-round(mean, 6), oid, label))
    return [(oid, label, -score) for score, oid, label in sorted(scored)[:2] if score < 0]


def _scaffold(label: str, codes: list[EffectiveCode], prev: dict, totals: dict) -> str:
    names = ", ".join(c.label for c in codes)  # every code: a draft that hides some misleads
    return (f"«{label}» samler {len(codes)} koder: {names}. {prevalence_text(prev, totals)} Skriv hva "
            f"temaet handler om: det felles mønsteret av mening, ikke bare emnet som ble spurt om.")


def _boundaries(neighbours: list[tuple[str, str, float]]) -> str:
    if not neighbours:
        return "Ingen andre temaer deler utdrag eller koder med dette; skriv likevel hva som ikke hører med."
    near = " og ".join(f"«{label}» ({oid}, assosiasjon {score:.2f})" for oid, label, score in neighbours)
    return f"Nærmest {near}. Skriv hva som hører hjemme her og ikke der."


def run(ctx: Context, params: dict) -> dict[str, Any]:
    kept, discarded, parked = kept_themes(ctx)
    assoc = theme_association(ctx, [c for _, codes in kept for c in codes])
    final = [part for theme, codes in kept
             for part in (_split(ctx, theme, codes, assoc) if theme.get("decision") == "split" else [(theme, codes)])]
    totals = corpus_totals(ctx.docs)
    labels = {theme["id"]: (theme["label"], codes) for theme, codes in final}
    records = []
    written, chosen = _written_about(ctx), _chosen(ctx)
    for theme, codes in final:
        prev = prevalence(codes)
        records.append({
            "id": theme["id"],
            "proposed_name": theme["label"],
            "name": "",
            **_since_named(written.get(theme["id"]), codes),
            "scaffold": _scaffold(theme["label"], codes, prev, totals),
            "boundaries": _boundaries(_neighbours(theme["id"], codes, labels, assoc)),
            "definition": "",
            "central_organising_concept": "",
            "subthemes": _subthemes(codes, assoc, theme_subgroups(ctx, [c.id for c in codes], assoc)),
            "codes": [FlowMap(id=c.id, label=c.label, extracts=len(c.extracts)) for c in codes],
            "review_decision": theme.get("decision", "pending"),
            "prevalence": FlowMap(prev),
            "extracts": _extracts(ctx, theme["id"], codes, chosen.get(theme["id"], []), params["extracts"]),
            **({CHOSEN: Flow(chosen[theme["id"]])} if chosen.get(theme["id"]) else {}),
            "narrative": "",
            "notes": "",
        })
    return {"summary": {"themes": len(records), "discarded": len(discarded), "miscellaneous": len(parked)},
            **draft_note(ctx), "themes": records, "discarded": Flow(discarded), "miscellaneous": Flow(parked)}


def validate(loaded: Loaded) -> None:
    for i, theme in enumerate(loaded.records("themes", "theme")):
        for key in HUMAN_TEXT:
            if not isinstance(theme.get(key, ""), str):
                raise loaded.error(["themes", i, key], f"{key} must be text (use | for several lines)")
        if not isinstance(theme.get(CHOSEN, []), list) or not all(isinstance(x, str) for x in theme.get(CHOSEN, [])):
            raise loaded.error(["themes", i, CHOSEN], f"{CHOSEN} must be a list of extract ids, e.g. [mentor-01:1988]")
