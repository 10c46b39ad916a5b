"""Phase 3, generating initial themes: cluster the codes that count by how they occur together.

Codes are linked by their association in the data (thematic.cooccurrence: NPMI over shared speaker
turns, segments and data items), plus a small prior for two codes that share a codebook theme
hint: the hint nudges, the data decide. Louvain communities over fixed seeds
(thematic.clustering) give the candidate themes; a new theme's id is `tema-<its most central code>`,
and a theme that matches one of the previous run's by its codes keeps that one's id
(thematic.identity), so what the researcher wrote about it stays with it; its label joins the labels of its two most distinctive codes (never a never-code). A code the data put in no group
stands alone if the codebook hinted a theme for it, else it goes to the miscellaneous bin
`diverse`; nothing is dropped.

Your part, `moves:` at the top of 3-candidate-themes.yaml: code id -> theme id, e.g.
`moves: {tett-oppfolging: tema-tidspress}`. Phase 3 applies the moves on every run, after
clustering, so theme ids stay put; a theme id that does not exist yet makes a theme of your own
(a split), and `diverse` parks a code. The lock hashes `moves` as an input of phase 3, so editing
them re-runs phases 3-6. A move whose code no longer counts is kept and listed in unplaced_moves.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

from thematic.artefacts import Flow, FlowMap, Loaded, write_atomic
from thematic.closest import did_you_mean
from thematic.clustering import ALGORITHM, Partition, communities
from thematic.codes import EffectiveCode
from thematic.context import Context
from thematic.cooccurrence import Association, run_association
from thematic.extracts import counted as counted_codes_of, picked, quote
from thematic.identity import matched_ids
from thematic.measures import prevalence
from thematic.nlp.stopwords import is_stop
from thematic.phases import BY_NAME
from thematic.slug import slugify
from thematic.thematic_map import mermaid_map, svg_map

MISC = "diverse"
MISC_LABEL = "Diverse (koder uten tema ennå)"
UNNAMED_LABEL = "Uten navn (bare koder som er ord som aldri er koder)"
MAP_IMAGE = "3-thematic-map.svg"
DRAFT_NOTE = ("Utkast: ingen koder er godtatt ennå, så temaene bygger på maskinens forslag. Godta, avvis "
              "eller endre forslagene i 2-codes.yaml og kjør på nytt; da blir utkastet din analyse.")
PAIRS_SHOWN = 6


def _own_previous(ctx: Context) -> dict[str, Any]:
    """This phase's previous artefact ({} before the first run)."""
    if not (ctx.project.analysis_dir / BY_NAME["themes"].artefact).is_file():
        return {}
    return ctx.artefact("themes")


def draft_note(ctx: Context) -> dict[str, str]:
    """{"draft": note} while phase 3 worked on suggestions nobody has accepted yet, for phases 4-6."""
    note = ctx.artefact("themes").get("draft")
    return {"draft": note} if note else {}


def own_moves(ctx: Context) -> dict[str, str]:
    """The researcher's moves from this phase's previous artefact."""
    return dict(sorted((_own_previous(ctx).get("moves") or {}).items()))


def keep_identity(machine: dict[str, list[str]], ctx: Context) -> dict[str, list[str]]:
    """The new groups under the ids of the previous run's themes they match (thematic.identity)."""
    previous = {t["id"]: list(t.get("codes") or []) for t in _own_previous(ctx).get("themes") or [] if t["id"] != MISC}
    themes = {k: v for k, v in machine.items() if k != MISC}
    ids = matched_ids(themes, previous)
    return {**{ids[k]: v for k, v in themes.items()}, **({MISC: machine[MISC]} if MISC in machine else {})}


def cluster(codes: list[EffectiveCode], assoc: Association, params: dict) -> Partition:
    """Louvain consensus over association + hint prior (the prior only nudges the grouping)."""
    hints = {c.id: c.theme_hint for c in codes}

    def weight(a: str, b: str) -> float:
        prior = params["hint_prior"] if hints[a] and hints[a] == hints[b] else 0.0
        return assoc.strength(a, b) + prior

    return communities(list(hints), weight, params["resolution"], params["runs"], params["seed"])


def name_groups(partition: Partition, assoc: Association, hints: dict[str, str | None]) -> dict[str, list[str]]:
    """theme id -> code ids. A code left alone stands as a theme if the codebook hinted one for
    it (the prior, with no evidence against it), else it goes to the miscellaneous bin."""
    groups: dict[str, list[str]] = {}
    for group in partition.groups:
        if len(group) < 2 and not hints.get(group[0]):
            groups.setdefault(MISC, []).extend(group)
        else:
            groups[f"tema-{next(iter(assoc.centrality(list(group))))}"] = list(group)
    return groups


def apply_moves(groups: dict[str, list[str]], moves: dict[str, str]) -> tuple[dict[str, list[str]], dict[str, list[str]], list[str]]:
    """Groups after the researcher's moves, the codes moved into each theme, and moves left unplaced."""
    where = {code: tid for tid, members in groups.items() for code in members}
    moved_in: dict[str, list[str]] = {}
    unplaced = []
    for code, target in sorted(moves.items()):
        if code not in where:
            unplaced.append(code)
            continue
        groups[where[code]].remove(code)
        groups.setdefault(target, []).append(code)
        where[code] = target
        moved_in.setdefault(target, []).append(code)
    return {tid: members for tid, members in groups.items() if members}, moved_in, unplaced


def unplaced_warnings(source: str, unplaced: list[str], counted: list[str]) -> list[str]:
    """One warning per move that placed nothing (a typo, or a code that no longer counts)."""
    return [f"{source}: moves: {code!r} is no code that counts{did_you_mean(code, counted)} "
            "(kept under unplaced_moves)" for code in unplaced]


def _pairs(ids: list[str], assoc: Association) -> dict[str, dict]:
    """The strongest links inside a theme, with the co-occurrence counts behind each."""
    ranked = sorted(combinations(ids, 2), key=lambda p: (-assoc.strength(*p), p))[:PAIRS_SHOWN]
    return {f"{a} ~ {b}": FlowMap(association=round(assoc.strength(a, b), 3),
                                  **{f"{level}s": n for level, n in assoc.together(a, b).items()})
            for a, b in ranked if assoc.strength(a, b) > 0}


def theme_label(tid: str, central: list[str], by_id: dict[str, EffectiveCode]) -> str:
    """The labels of the theme's two most distinctive codes (`distinctive`), never a word of the
    stop or never-code lists; a codebook label or the researcher's rename is the code's label."""
    if tid == MISC:
        return MISC_LABEL
    named = [c for c in distinctive(central, by_id) if not _empty(by_id[c].label)]
    return " / ".join(by_id[c].label for c in named[:2]) or UNNAMED_LABEL


def _empty(label: str) -> bool:
    """A label made only of words that are never codes (thematic.nlp.stopwords)."""
    return all(is_stop(w, "NOUN") for w in re.findall(r"[^\W\d_]+", label.casefold()))


def distinctive(central: list[str], by_id: dict[str, EffectiveCode]) -> list[str]:
    """Codes by the share of their turns that hold another of the theme's codes, highest first
    (ties: most central first): a code used everywhere ("område", "prosjekt") meets the
    theme's other codes in few of its turns, so it does not name the theme."""
    turns = {c: {(e["item"], e.get("turn")) for e in by_id[c].extracts} for c in central}
    rank = {c: i for i, c in enumerate(central)}

    def inside(code: str) -> float:
        others = set().union(*(turns[o] for o in central if o != code))
        return len(turns[code] & others) / len(turns[code]) if turns[code] else 0.0

    return sorted(central, key=lambda c: (-round(inside(c), 9), rank[c]))


def _basis(tid: str, machine: dict[str, list[str]]) -> str:
    if tid == MISC:
        return "no co-occurrence evidence and no codebook theme hint"
    if tid not in machine:
        return "researcher (moves)"
    return f"co-occurrence ({ALGORITHM})" if len(machine[tid]) > 1 else "codebook theme hint alone (no co-occurrence evidence)"


def theme_record(tid: str, members: list[EffectiveCode], assoc: Association, partition: Partition,
                 basis: str, moved_in: list[str], extracts: list[dict]) -> dict[str, Any]:
    """One candidate theme: its codes (central first), the evidence for grouping them, extracts."""
    by_id = {c.id: c for c in members}
    central = assoc.centrality(sorted(by_id))
    hints = Counter(c.theme_hint or "(ingen)" for c in members)
    return {
        "id": tid,
        "label": theme_label(tid, list(central), by_id),
        "basis": basis,
        "codes": Flow(central),
        "moved_in": Flow(sorted(moved_in)),
        "hints": FlowMap(sorted(hints.items())),
        "evidence": {
            "cohesion": assoc.coherence(list(by_id)),
            "stability": partition.stability(list(by_id)),
            "centrality": central,
            "pairs": _pairs(list(central), assoc),
        },
        "prevalence": FlowMap(prevalence(members)),
        "participants": Flow(sorted({p for c in members for p in c.participants})),
        "extracts": [quote(e) for e in extracts],
        "notes": "",
    }


def run(ctx: Context, params: dict) -> dict[str, Any]:
    counted, draft = counted_codes_of(ctx)
    codes = [c for c in counted if c.extracts]
    by_id = {c.id: c for c in codes}
    assoc = run_association(ctx, codes, params)
    partition = cluster(codes, assoc, params)
    machine = keep_identity(name_groups(partition, assoc, {c.id: c.theme_hint for c in codes}), ctx)
    moves = own_moves(ctx)
    groups, moved_in, unplaced = apply_moves({t: list(m) for t, m in machine.items()}, moves)
    ctx.warnings.extend(unplaced_warnings(ctx.source("themes"), unplaced, [c.id for c in counted]))
    members = {tid: [by_id[c] for c in groups[tid]] for tid in sorted(groups, key=lambda t: (t == MISC, t))}
    themes = [theme_record(tid, codes_of, assoc, partition, _basis(tid, machine), moved_in.get(tid, []),
                           picked(ctx, codes_of, params["sample_extracts"]))
              for tid, codes_of in members.items()]
    labels = {c.id: c.label for c in codes}
    svg = svg_map("Tematisk kart (kandidattemaer)", ctx.project.settings["title"], themes, labels,
                  {c.id: len(c.extracts) for c in codes})
    write_atomic(ctx.project.analysis_dir / MAP_IMAGE, svg)
    return {
        "summary": {"themes": sum(t["id"] != MISC for t in themes), "codes": len(codes),
                    "miscellaneous": len(groups.get(MISC, [])), "moved": sum(map(len, moved_in.values())),
                    **({"unplaced": len(unplaced)} if unplaced else {}),
                    **({"draft": "yes"} if draft else {})},
        **({"draft": DRAFT_NOTE} if draft else {}),
        "moves": FlowMap(moves),  # as the researcher writes it: a scripted edit finds it again
        "themes": themes,
        "uncoded": Flow(c.id for c in counted if not c.extracts),
        "unplaced_moves": Flow(unplaced),
        "map": mermaid_map(themes, labels),
        "map_image": MAP_IMAGE,
    }


def validate(loaded: Loaded) -> None:
    for i, theme in enumerate(loaded.records("themes", "theme")):
        if not isinstance(theme.get("codes", []), list):
            raise loaded.error(["themes", i, "codes"], "codes must be a list of code ids")
    image = loaded.data.get("map_image", MAP_IMAGE)
    if not isinstance(image, str) or Path(image).name != image or image.startswith(".") or "\\" in image:
        raise loaded.error(["map_image"], f"map_image must be a file name in the analysis folder, e.g. {MAP_IMAGE}")
    moves = loaded.data.get("moves") or {}
    if not isinstance(moves, dict):
        raise loaded.error(["moves"], "moves must map code ids to theme ids, e.g. moves: {tidspress: tema-portefolje}")
    for code, target in moves.items():
        if not isinstance(code, str):
            raise loaded.error(["moves"], f"moves: {code!r} is not a code id")
        if not isinstance(target, str) or slugify(target) != target:
            fix = f"; write {slugify(target)!r}" if isinstance(target, str) and slugify(target) else ""
            raise loaded.error(["moves", code], f"moves: {code!r} must name a theme id (lowercase, hyphens), not {target!r}{fix}")
