"""Cross-tabulations of the coded data: codes and themes by participant (or any attribute in
participants.yaml), codes by item, and codes that meet in one turn.

Counts are extracts, each once per code (a merged code counts an extract its sources share
once), over the codes that count, with every decision applied, as phases 3-6 see them: a code's
total is 2-codes.yaml's `extracts_total` unless codes were merged into it. Participants are the
people the data tells apart; where an item's speakers cannot be told apart, its anonymous voices
(one per turn) are one column, `ITEM (voices)`, never a column each. Co-occurrence is at turn
level: turns where both codes occur, and normalised PMI (Bouma 2009) over the informant turns,
the measure phase 3 clusters on (which clips it at 0; here it runs from -1 to 1).
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from thematic.artefacts import write_atomic
from thematic.view import StudyView, Theme, is_voice

NONE = "(none)"  # the column of participants without the attribute


@dataclass(frozen=True)
class Table:
    """One table as the terminal, CSV and JSON all show it."""

    name: str  # file stem for --csv, key under "tables" in --json
    title: str
    columns: list[str]
    rows: list[list[Any]]
    fixed: int = 1  # leading columns that identify a row (repeated when a wide table is split)

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "columns": self.columns, "rows": self.rows}


@dataclass
class Stats:
    by: str
    draft: bool
    themes_from: str
    tables: list[Table]
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"by": self.by, "draft": self.draft, "themes_from": self.themes_from or None,
                "warnings": self.warnings, "tables": {t.name: t.as_dict() for t in self.tables}}


def stats(view: StudyView, by: str = "participant") -> Stats:
    """Every table for the study; `by` is "participant" or an attribute of participants.yaml."""
    if by != "participant" and by not in view.attribute_names():
        from thematic.errors import ThematicError

        names = ", ".join(view.attribute_names()) or "none: participants.yaml is missing or empty"
        raise ThematicError(f"{view.project.participants_path}: no attribute {by!r} (attributes: {names})")
    extracts = view.extracts(text=False)
    group = _grouping(view, by, extracts)
    source, themes = view.themes
    tables = [
        _by_group(f"codes-by-{by}", f"codes × {by}s (extracts)", view, extracts, group),
        _by_item(view, extracts),
        _cooccurrence(view, extracts),
    ]
    if themes:
        tables.append(_themes_by_group(f"themes-by-{by}", f"themes × {by}s (extracts; {source})", themes,
                                       extracts, group))
    return Stats(by, view.draft, source, tables, list(view.warnings))


def _grouping(view: StudyView, by: str, extracts: dict[str, list[dict]]):  # type: ignore[no-untyped-def]
    """extract -> the column it counts in, worked out once per speaker, not per extract."""
    if by == "participant":
        def column(e: dict) -> str:
            return f"{e['item']} (voices)" if is_voice(e.get("participant")) else e.get("participant") or e["item"]
    else:
        def column(e: dict) -> str:
            return str(view.attributes(e["item"], e.get("speaker")).get(by, NONE))
    known: dict[tuple, str] = {}
    for found in extracts.values():
        for e in found:
            key = (e["item"], e.get("speaker"), e.get("participant"))
            if key not in known:
                known[key] = column(e)
    return lambda e: known[(e["item"], e.get("speaker"), e.get("participant"))]


def _spread(extracts: list[dict]) -> tuple[int, int]:
    """(participants, anonymous voices) among extracts, as 2-codes.yaml's evidence counts them."""
    units = {e.get("participant") or e["item"] for e in extracts}
    voices = sum(map(is_voice, units))
    return len(units) - voices, voices


def _columns(groups: set[str]) -> list[str]:
    return sorted(groups, key=lambda g: (g == NONE, g))


def _by_group(name: str, title: str, view: StudyView, extracts: dict[str, list[dict]], group) -> Table:  # type: ignore[no-untyped-def]
    counts = {code: _count(found, group) for code, found in extracts.items()}
    columns = _columns({g for c in counts.values() for g in c})
    voices = any(_spread(found)[1] for found in extracts.values())
    head = ["code", "label", "extracts", "participants", *(["voices"] if voices else [])]
    rows = []
    for code, found in extracts.items():
        people, anonymous = _spread(found)
        rows.append([code, view.codes[code].label, len(found), people, *([anonymous] if voices else []),
                     *(counts[code].get(g, 0) for g in columns)])
    return Table(name, title, head + columns, rows, fixed=1)


def _count(extracts: list[dict], group) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(map(group, extracts))


def _by_item(view: StudyView, extracts: dict[str, list[dict]]) -> Table:
    items = [row.id for row in view.index.items]
    rows = []
    for code, found in extracts.items():
        counts = _count(found, lambda e: e["item"])
        rows.append([code, view.codes[code].label, len(found), len(counts), *(counts.get(i, 0) for i in items)])
    return Table("codes-by-item", "codes × items (extracts)", ["code", "label", "extracts", "items", *items], rows)


def _cooccurrence(view: StudyView, extracts: dict[str, list[dict]]) -> Table:
    """Pairs of codes that share a turn: how many turns each has, how many both, and NPMI."""
    turns = {code: {(e["item"], e.get("turn")) for e in found} for code, found in extracts.items()}
    total = view.index.informant_turns()
    rows = []
    for a, b in combinations(sorted(turns), 2):
        both = len(turns[a] & turns[b])
        if both:
            rows.append([a, b, len(turns[a]), len(turns[b]), both, round(npmi(both, len(turns[a]), len(turns[b]), total), 3)])
    rows.sort(key=lambda r: (-r[4], -r[5], r[0], r[1]))
    return Table("code-cooccurrence", f"codes in the same turn (of {total} informant turns)",
                 ["code_a", "code_b", "turns_a", "turns_b", "turns_both", "npmi"], rows, fixed=2)


def npmi(both: int, a: int, b: int, total: int) -> float:
    """Normalised PMI of two codes' turn sets: 1 always together, 0 as by chance, -1 never."""
    if not both or total <= 0:
        return -1.0
    p_ab = both / total
    if p_ab >= 1.0:
        return 1.0
    return math.log(p_ab / ((a / total) * (b / total))) / -math.log(p_ab)


def _themes_by_group(name: str, title: str, themes: list[Theme], extracts: dict[str, list[dict]], group) -> Table:  # type: ignore[no-untyped-def]
    merged = {t.id: list({e["id"]: e for c in t.codes for e in extracts.get(c, [])}.values()) for t in themes}
    columns = _columns({group(e) for found in merged.values() for e in found})
    rows = []
    for theme in themes:
        found = merged[theme.id]
        counts = _count(found, group)
        rows.append([theme.id, theme.label, len(theme.codes), len(found), _spread(found)[0],
                     *(counts.get(g, 0) for g in columns)])
    return Table(name, title, ["theme", "name", "codes", "extracts", "participants", *columns], rows)


def write_csv(tables: list[Table], folder: Path) -> list[Path]:
    """Each table as FOLDER/NAME.csv (UTF-8, comma-separated, a header row), written atomically;
    for R's read.csv, pandas.read_csv and Excel's text import."""
    written = []
    for table in tables:
        buffer = io.StringIO()
        out = csv.writer(buffer, lineterminator="\n")
        out.writerow(table.columns)
        out.writerows(table.rows)
        path = folder / f"{table.name}.csv"
        write_atomic(path, buffer.getvalue())
        written.append(path)
    return written
