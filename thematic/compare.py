"""Two analyses of one study side by side: what a change of settings (a variant) did to them.

Codes are compared by id in 2-codes.yaml (added, removed, decision changed); candidate themes of
3-candidate-themes.yaml are matched by their codes with thematic.identity's optimal one-to-one
matching (as phase 3 keeps a theme's id across runs), so a theme is added or removed only when no
theme of the other analysis shares enough of its codes, and a code moved when its theme in B is
not the match of its theme in A (`diverse` matches `diverse`). Agreement over the data is the
adjusted Rand index of the two groupings of coded informant turns: a turn goes to the theme whose
codes have most extracts in it (ties: first theme id; benchmarks/theme_recovery.py's rule), a turn
coded in one analysis only is "uncoded" in the other. Hand-written extracts not yet located in
their transcript (no turn) are left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from thematic.artefacts import load_artefact
from thematic.codes import EffectiveCode, counted_codes
from thematic.errors import ArtefactError
from thematic.extracts import with_stored_extracts
from thematic.identity import matched_ids
from thematic.measures import adjusted_rand_index
from thematic.phases import BY_NAME
from thematic.project import PROJECT_FILE, load_project

MISC = "diverse"  # thematic.phases.themes.MISC (not imported: it loads the clustering)
UNCODED = "(uncoded)"
Turn = tuple[str, int]


@dataclass
class Analysis:
    """What compare reads of one analysis folder."""

    folder: Path
    decisions: dict[str, str]  # code id -> decision, every code record of 2-codes.yaml
    themes: dict[str, list[str]]  # candidate theme id -> its code ids (diverse included)
    labels: dict[str, str]  # candidate theme id -> label
    codes: list[EffectiveCode]  # the codes that count, with every extract

    def theme_of(self) -> dict[str, str]:
        return {code: tid for tid, members in self.themes.items() for code in members}


@dataclass
class Move:
    code: str
    before: str  # theme id in A
    after: str  # theme id in B


@dataclass
class Comparison:
    """A against B. `matched` maps A's theme ids to B's."""

    a: str
    b: str
    codes: tuple[int, int]
    codes_added: list[str] = field(default_factory=list)
    codes_removed: list[str] = field(default_factory=list)
    decisions_changed: list[dict[str, str]] = field(default_factory=list)
    themes: tuple[int, int] = (0, 0)
    matched: dict[str, str] = field(default_factory=dict)
    themes_added: list[dict[str, Any]] = field(default_factory=list)
    themes_removed: list[dict[str, Any]] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    turns: int = 0
    ari: float = 1.0

    @property
    def changed(self) -> bool:
        return bool(self.codes_added or self.codes_removed or self.decisions_changed or self.themes_added
                    or self.themes_removed or self.moved or self.ari != 1.0)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "changed": self.changed}


def analysis_folder(path: Path) -> Path:
    """The analysis folder itself, or a study folder's main analysis (its thematic.yaml says where)."""
    return load_project(path).analysis_dir if (path / PROJECT_FILE).is_file() else path


def read_analysis(path: Path) -> Analysis:
    """Phase 2's codes (with the extract store beside them) and phase 3's candidate themes."""
    folder = analysis_folder(path)
    data = {name: _artefact(folder, name) for name in ("code", "themes")}
    codes, _ = counted_codes(with_stored_extracts(data["code"], folder / ".thematic"))
    decisions = {c["id"]: str(c.get("decision", "pending")) for c in data["code"].get("codes") or []}
    themes = {t["id"]: list(t.get("codes") or []) for t in data["themes"]["themes"]}
    return Analysis(folder, decisions, themes, {t["id"]: t.get("label", "") for t in data["themes"]["themes"]}, codes)


def _artefact(folder: Path, name: str) -> dict[str, Any]:
    spec = BY_NAME[name]
    path = folder / spec.artefact
    if not path.is_file():
        raise ArtefactError(f"{path}: missing; compare reads an analysis folder that phases 2 and 3 have written",
                            fix="give an analysis folder (the study's analysis/ or a variant's --out folder)")
    loaded = load_artefact(path, spec.schema)
    spec.impl.validate(loaded)
    return loaded.data


def compare(path_a: Path, path_b: Path) -> Comparison:
    """Codes, themes and moves from A to B, and the ARI of their groupings of coded turns."""
    a, b = read_analysis(path_a), read_analysis(path_b)
    result = Comparison(str(path_a), str(path_b), (len(a.decisions), len(b.decisions)),
                        sorted(set(b.decisions) - set(a.decisions)), sorted(set(a.decisions) - set(b.decisions)),
                        [{"code": c, "a": a.decisions[c], "b": b.decisions[c]}
                         for c in sorted(set(a.decisions) & set(b.decisions)) if a.decisions[c] != b.decisions[c]])
    _compare_themes(result, a, b)
    assigned_a, assigned_b = turn_themes(a.codes, a.theme_of()), turn_themes(b.codes, b.theme_of())
    turns = sorted(set(assigned_a) | set(assigned_b))
    result.turns = len(turns)
    result.ari = round(adjusted_rand_index([assigned_a.get(t, UNCODED) for t in turns],
                                           [assigned_b.get(t, UNCODED) for t in turns]), 3) if turns else 1.0
    return result


def _compare_themes(result: Comparison, a: Analysis, b: Analysis) -> None:
    """Match B's themes to A's by their codes; what is left over was added or removed."""
    own_a = {t: m for t, m in a.themes.items() if t != MISC}
    own_b = {t: m for t, m in b.themes.items() if t != MISC}
    ids = matched_ids(own_b, own_a)
    result.matched = dict(sorted((ids[tb], tb) for tb in own_b if ids[tb] in own_a))
    result.matched.update({MISC: MISC} if MISC in a.themes and MISC in b.themes else {})
    result.themes = (len(own_a), len(own_b))
    result.themes_added = [_theme(t, b) for t in sorted(own_b) if t not in result.matched.values()]
    result.themes_removed = [_theme(t, a) for t in sorted(own_a) if t not in result.matched]
    before, after = a.theme_of(), b.theme_of()
    result.moved = [Move(code, before[code], after[code]) for code in sorted(set(before) & set(after))
                    if result.matched.get(before[code]) != after[code]]


def _theme(tid: str, analysis: Analysis) -> dict[str, Any]:
    return {"id": tid, "label": analysis.labels.get(tid, ""), "codes": analysis.themes[tid]}


def turn_themes(codes: list[EffectiveCode], theme_of: dict[str, str]) -> dict[Turn, str]:
    """Each coded turn to the theme with most extracts in it (ties: first theme id); a code in
    no theme counts for diverse."""
    votes: dict[Turn, Counter] = defaultdict(Counter)
    for code in codes:
        for extract in code.extracts:
            if extract.get("turn") is not None:
                votes[(extract["item"], extract["turn"])][theme_of.get(code.id, MISC)] += 1
    return {turn: min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for turn, v in votes.items()}
