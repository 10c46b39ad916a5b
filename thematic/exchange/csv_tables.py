"""CSV export: every extract as a row (who said it, their participants.yaml attributes, where it
is, its code and theme, the words), and the codes × participants matrix `thematic stats` counts,
for R, pandas, SPSS or a spreadsheet.

UTF-8 without a BOM by default (R's read.csv and pandas read it as it is); `excel` puts the BOM
first, without which Excel shows æøå as mojibake. Rows in the order of the data, columns in a
fixed order, so the same study gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from thematic.artefacts import write_atomic
from thematic.errors import ArtefactError
from thematic.exchange.export import Exported
from thematic.exchange.snapshot import Snapshot
from thematic.stats import Table, stats

EXTRACTS = "extracts"
MATRIX = "codes-by-participant"  # thematic.stats names the table so, and `stats --csv` the file
BOM = "\ufeff"
WHO = ("item", "participant", "role")
WHERE = ("speaker", "line", "time", "start", "end", "code", "code_label", "code_decision", "theme", "theme_name", "text")


def write_tables(snapshot: Snapshot, folder: Path, excel: bool = False) -> Exported:
    """FOLDER/extracts.csv and FOLDER/codes-by-participant.csv, each written atomically."""
    if folder.suffix.lower() == ".csv" or (folder.exists() and not folder.is_dir()):
        raise ArtefactError(f"{folder}: -o names a folder for the CSV export (it writes {EXTRACTS}.csv and {MATRIX}.csv)",
                            fix=f"-o {folder.parent / 'tabeller'}")
    tables = [extracts_table(snapshot), next(t for t in stats(snapshot.view).tables if t.name == MATRIX)]
    files = [_write(table, folder, excel) for table in tables]
    return Exported(folder, "csv", sum(p.stat().st_size for p in files), sources=len(snapshot.items),
                    themes=len(snapshot.themes), codes=len(snapshot.codes), cases=len(snapshot.cases),
                    rows=len(tables[0].rows), files=files, warnings=list(snapshot.warnings))


def extracts_table(snapshot: Snapshot) -> Table:
    """One row per extract and code (an extract with two codes is two rows), by item and place."""
    attributes = [a for a in snapshot.attributes if a != "role"]
    theme_of = snapshot.theme_of()
    people: dict[tuple[str, str | None], dict[str, Any]] = {}
    keyed = []
    for code_id, extracts in snapshot.extracts.items():
        code, theme = snapshot.codes[code_id], theme_of.get(code_id)
        for e in extracts:
            who = (e["item"], e.get("speaker"))
            attrs = people[who] if who in people else people.setdefault(who, snapshot.view.attributes(*who))
            start, end = e["span"]
            keyed.append(((e["item"], start, end, code_id), [
                e["item"], e.get("participant") or "", attrs.get("role", ""), *(attrs.get(a, "") for a in attributes),
                e.get("speaker") or "", e.get("line", ""), e.get("time") or "", start, end, code.id, code.label,
                code.decision, theme.id if theme else "", theme.name if theme else "", e["text"]]))
    return Table(EXTRACTS, "extracts", [*WHO, *attributes, *WHERE], [row for _, row in sorted(keyed, key=lambda k: k[0])])


def _write(table: Table, folder: Path, excel: bool) -> Path:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(table.columns)
    out.writerows(table.rows)
    path = folder / f"{table.name}.csv"
    write_atomic(path, (BOM if excel else "") + buffer.getvalue())
    return path
