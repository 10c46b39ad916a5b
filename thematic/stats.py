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
from typing import Any, Callable

from thematic.artefacts import write_atomic
from thematic.view import StudyView, Tally, Theme, is_voice

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
    codes = {code: view.tally([code]) for code in view.codes}
    source, themes = view.themes
    counted = {t.id: view.tally(c for c in t.codes if c in view.codes) for t in themes}
    group = _grouping(view, by)
    tables = [
        _by_group(f"codes-by-{by}", f"codes × {by}s (extracts)", view, codes, group),
        _by_item(view, codes),
        _cooccurrence(view, codes),
    ]
    if themes:
        tables.append(_themes_by_group(f"themes-by-{by}", f"themes × {by}s (extracts; {source})", themes, counted, group))
    return Stats(by, view.draft, source, tables, list(view.warnings))


def _grouping(view: StudyView, by: str) -> Callable[[tuple], str]:
    """(item, speaker, participant) -> the column its extracts count in, worked out once each."""
    known: dict[tuple, str] = {}

    def column(key: tuple) -> str:
        if key not in known:
            item, speaker, participant = key
            if by != "participant":
                known[key] = str(view.attributes(item, speaker).get(by, NONE))
            else:
                known[key] = f"{item} (voices)" if is_voice(participant) else participant or item
        return known[key]
    return column


def _count(tally: Tally, column: Callable[[tuple], str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for key, n in tally.speakers.items():
        out[column(key)] += n
    return out


def _spread(tally: Tally) -> tuple[int, int]:
    """(participants, anonymous voices) among the extracts, as 2-codes.yaml's evidence counts them."""
    units = {participant or item for item, _, participant in tally.speakers}
    voices = sum(map(is_voice, units))
    return len(units) - voices, voices


def _columns(groups: set[str]) -> list[str]:
    return sorted(groups, key=lambda g: (g == NONE, g))


def _by_group(name: str, title: str, view: StudyView, codes: dict[str, Tally], group: Callable[[tuple], str]) -> Table:
    counts = {code: _count(tally, group) for code, tally in codes.items()}
    columns = _columns({g for c in counts.values() for g in c})
    voices = any(_spread(tally)[1] for tally in codes.values())
    head = ["code", "label", "extracts", "participants", *(["voices"] if voices else [])]
    rows = []
    for code, tally in codes.items():
        people, anonymous = _spread(tally)
        rows.append([code, view.codes[code].label, tally.total, people, *([anonymous] if voices else []),
                     *(counts[code].get(g, 0) for g in columns)])
    return Table(name, title, head + columns, rows, fixed=1)


def _by_item(view: StudyView, codes: dict[str, Tally]) -> Table:
    items = [row.id for row in view.index.items]
    rows = []
    for code, tally in codes.items():
        counts = _count(tally, lambda key: key[0])
        rows.append([code, view.codes[code].label, tally.total, len(counts), *(counts.get(i, 0) for i in items)])
    return Table("codes-by-item", "codes × items (extracts)", ["code", "label", "extracts", "items", *items], rows)


def _cooccurrence(view: StudyView, codes: dict[str, Tally]) -> Table:
    """Pairs of codes that share a turn: how many turns each has, how many both, and NPMI."""
    turns = {code: tally.turns for code, tally in codes.items()}
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


def _themes_by_group(name: str, title: str, themes: list[Theme], counted: dict[str, Tally],
                     group: Callable[[tuple], str]) -> Table:
    counts = {t.id: _count(counted[t.id], group) for t in themes}
    columns = _columns({g for c in counts.values() for g in c})
    rows = [[t.id, t.label, len(t.codes), counted[t.id].total, _spread(counted[t.id])[0],
             *(counts[t.id].get(g, 0) for g in columns)] for t in themes]
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
