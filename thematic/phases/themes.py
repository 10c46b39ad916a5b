"""Phase 3, generating initial themes: group the codes that count into candidate themes.

Codebook theme hints give the first grouping; a code without a usable hint joins the theme
whose codes it shares most speaker turns with, or the miscellaneous bin. Nothing is dropped.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

from thematic.artefacts import Flow, Loaded
from thematic.codes import EffectiveCode, effective_codes
from thematic.context import Context
from thematic.measures import jaccard, mean_association, prevalence, turn_set

MISC = "diverse"
MISC_LABEL = "Diverse (koder uten tema ennå)"


def _best_theme(code: EffectiveCode, groups: dict[str, list[EffectiveCode]]) -> tuple[str | None, float]:
    turns = turn_set(code)
    scored = [(jaccard(turns, set().union(*(turn_set(c) for c in members))), tid)
              for tid, members in groups.items()]
    if not scored:
        return None, 0.0
    score, tid = min(scored, key=lambda pair: (-pair[0], pair[1]))
    return tid, score


def group_codes(codes: list[EffectiveCode], hints: dict[str, dict], min_association: float) -> dict[str, list[EffectiveCode]]:
    """theme id -> codes; hinted codes first, the rest by association, leftovers to MISC."""
    groups: dict[str, list[EffectiveCode]] = defaultdict(list)
    for code in codes:
        if code.extracts and code.theme_hint in hints:
            groups[code.theme_hint].append(code)
    for code in codes:
        if code.extracts and code.theme_hint not in hints:
            tid, score = _best_theme(code, dict(groups))
            groups[tid if tid and score >= min_association else MISC].append(code)
    return dict(groups)


def _central_first(members: list[EffectiveCode]) -> list[EffectiveCode]:
    """Codes ordered by how strongly they connect to the rest of their theme."""
    def strength(code: EffectiveCode) -> float:
        return sum(jaccard(turn_set(code), turn_set(o)) for o in members if o is not code)
    return sorted(members, key=lambda c: (-round(strength(c), 6), c.id))


def _theme_record(tid: str, label: str, basis: str, members: list[EffectiveCode]) -> dict[str, Any]:
    ordered = _central_first(members)
    pairs = {f"{a.id} ~ {b.id}": round(jaccard(turn_set(a), turn_set(b)), 3)
             for a, b in combinations(ordered, 2)}
    strongest = dict(sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:8])
    return {
        "id": tid,
        "label": label,
        "basis": basis,
        "codes": Flow(c.id for c in ordered),
        "coherence": mean_association(members),
        "association": strongest,
        "prevalence": prevalence(members),
        "participants": Flow(sorted({p for c in members for p in c.participants})),
        "notes": "",
    }


def mermaid_map(themes: list[dict], labels: dict[str, str]) -> str:
    """The thematic map as Mermaid text (renders on GitHub/GitLab and in many editors)."""
    lines = ["graph LR"]
    for theme in themes:
        lines.append(f'  {theme["id"].replace("-", "_")}(["{theme["label"]}"])')
        for code in theme["codes"]:
            node = f'c_{code.replace("-", "_")}'
            lines.append(f'  {theme["id"].replace("-", "_")} --- {node}["{labels.get(code, code)}"]')
    return "\n".join(lines) + "\n"


def run(ctx: Context, params: dict) -> dict[str, Any]:
    codes_data = ctx.artefact("code")
    codes = effective_codes(codes_data)
    hints = {h["id"]: h for h in codes_data.get("theme_hints", [])}
    groups = group_codes(codes, hints, params["min_association"])
    themes = []
    for tid in sorted(groups, key=lambda t: (t == MISC, t)):
        if tid == MISC:
            themes.append(_theme_record(MISC, MISC_LABEL, "no theme hint and no association above threshold", groups[tid]))
        else:
            themes.append(_theme_record(tid, hints[tid]["label"], "codebook theme hint + co-occurrence", groups[tid]))
    labels = {c.id: c.label for c in codes}
    return {
        "summary": {"themes": len([t for t in themes if t["id"] != MISC]), "codes": len(codes)},
        "themes": themes,
        "uncoded": Flow(c.id for c in codes if not c.extracts),
        "map": mermaid_map([t for t in themes if t["id"] != MISC], labels),
    }


def validate(loaded: Loaded) -> None:
    themes = loaded.data.get("themes")
    if not isinstance(themes, list):
        raise loaded.error(["themes"], "themes must be a list")
    for i, theme in enumerate(themes):
        if not isinstance(theme, dict) or not isinstance(theme.get("id"), str):
            raise loaded.error(["themes", i], "each theme needs an id")
        if not isinstance(theme.get("codes", []), list):
            raise loaded.error(["themes", i, "codes"], "codes must be a list of code ids")
