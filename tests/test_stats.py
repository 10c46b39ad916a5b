"""stats: codes and themes by participant or attribute, codes by item, codes in one turn, CSV."""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pytest

from thematic.errors import ThematicError
from thematic.stats import npmi, stats, write_csv
from thematic.view import open_view

from helpers import invoke, load


def _table(result, name: str) -> dict[str, dict[str, object]]:
    table = next(t for t in result.tables if t.name == name)
    return {row[0]: dict(zip(table.columns, row)) for row in table.rows}


def test_the_csv_tables_carry_the_counts_of_2_codes_yaml(analysed_example: Path, tmp_path: Path):
    result = stats(open_view(analysed_example))
    written = write_csv(result.tables, tmp_path / "tabeller")
    assert [p.name for p in written] == ["codes-by-participant.csv", "codes-by-item.csv", "code-cooccurrence.csv",
                                         "themes-by-participant.csv"]
    with (tmp_path / "tabeller" / "codes-by-participant.csv").open(encoding="utf-8", newline="") as handle:
        rows = {r["code"]: r for r in csv.DictReader(handle)}
    codes = [c for c in load(analysed_example, "2-codes.yaml")["codes"] if c["origin"] == "codebook"]
    assert codes and set(rows) == {c["id"] for c in codes}
    for code in codes:
        row = rows[code["id"]]
        assert int(row["extracts"]) == code["extracts_total"]
        assert int(row["participants"]) == code["evidence"]["participants"]
        people = [k for k in row if "/" in k or k.startswith("mentor-")]
        assert sum(int(row[k]) for k in people) == code["extracts_total"]
    by_item = _table(result, "codes-by-item")
    for code in codes:
        assert by_item[code["id"]]["items"] == code["evidence"]["items"]


def test_themes_by_participant_match_the_prevalence_phase_5_gives(analysed_example: Path):
    themes = _table(stats(open_view(analysed_example)), "themes-by-participant")
    for theme in load(analysed_example, "5-themes.yaml")["themes"]:
        assert themes[theme["id"]]["extracts"] == theme["prevalence"]["extracts"]
        assert themes[theme["id"]]["participants"] == theme["prevalence"]["participants"]


def test_by_an_attribute_groups_participants_and_names_the_missing(analysed_example: Path):
    result = stats(open_view(analysed_example), by="role")
    table = next(t for t in result.tables if t.name == "codes-by-role")
    assert table.columns[4:] == ["NAV-veileder", "arbeidsplassmentor", "jobbspesialist"]
    assert all(sum(row[4:]) == row[2] for row in table.rows)
    with pytest.raises(ThematicError, match=r"no attribute 'alder' \(attributes: bransje, erfaring, kontor, role, type\)"):
        stats(open_view(analysed_example), by="alder")


def test_codes_in_one_turn_are_counted_by_hand(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    pairs = {(r[0], r[1]): r for r in next(t for t in stats(open_view(tiny_study)).tables if t.name == "code-cooccurrence").rows}
    # mentor-a turn 2 has skreddersøm only; mentor-b turn 4 skreddersøm and tid; veiledere turn 6 skreddersøm and samarbeid
    assert pairs[("skreddersom", "tid")][2:5] == [4, 4, 2]
    assert pairs[("samarbeid", "skreddersom")][4] == 1
    assert ("samarbeid", "tid") not in pairs


def test_npmi_runs_from_minus_one_to_one():
    assert npmi(0, 3, 3, 10) == -1.0
    assert npmi(5, 5, 5, 5) == 1.0
    assert math.isclose(npmi(2, 4, 5, 20), math.log((2 / 20) / ((4 / 20) * (5 / 20))) / -math.log(2 / 20))
    assert math.isclose(npmi(1, 2, 5, 10), 0.0, abs_tol=1e-12)  # as often as by chance


def test_a_merged_code_counts_an_extract_its_sources_share_once(tiny_study: Path, tmp_path: Path):
    assert invoke("run", tiny_study).exit_code == 0
    path = tiny_study / "analysis" / "2-codes.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("decision: pending", text.index("- id: samarbeid\n"))
    path.write_text(text[:at] + "decision: merged:skreddersom" + text[at + len("decision: pending"):], encoding="utf-8")
    codes = {c["id"]: c for c in load(tiny_study, "2-codes.yaml")["codes"]}
    rows = _table(stats(open_view(tiny_study)), "codes-by-participant")
    assert set(rows) == {"skreddersom", "tid"}
    ids = {e["id"] for c in ("samarbeid", "skreddersom") for e in codes[c]["extracts"]}  # each has all (<= 20)
    assert rows["skreddersom"]["extracts"] == len(ids) < codes["samarbeid"]["extracts_total"] + codes["skreddersom"]["extracts_total"]


def test_stats_warns_when_the_themes_predate_the_decisions(analysed_example: Path, tmp_path: Path):
    copy = tmp_path / "copy"
    shutil.copytree(analysed_example, copy)
    path = copy / "analysis" / "2-codes.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("decision: pending")
    path.write_text(text[:at] + "decision: rejected" + text[at + len("decision: pending"):], encoding="utf-8")
    result = stats(open_view(copy))
    assert result.warnings == [f"5-themes.yaml predates your latest code decisions; `thematic run {copy}` updates the themes"]


def test_a_manual_codes_hand_written_extracts_are_found_shown_and_counted(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    path = tiny_study / "analysis" / "2-codes.yaml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("- id: egen\n  label: Egen\n  origin: manual\n  decision: pending\n  extracts:\n"
                     "  - item: mentor-a\n    text: Vi lager tilpasninger hver uke.\n"
                     "  - item: mentor-b\n    text: Tiden er knapp.\n")
    from thematic.query import find, show_code

    view = open_view(tiny_study)
    rows = _table(stats(view), "codes-by-participant")
    assert (rows["egen"]["extracts"], rows["egen"]["participants"], rows["egen"]["mentor-a"]) == (2, 2, 1)
    assert [s.extract["text"] for s in show_code(view, "egen").extracts] == ["Vi lager tilpasninger hver uke.", "Tiden er knapp."]
    assert find(view, "tilpasning").hits[0].codes == ("egen", "skreddersom")


def test_the_extract_count_is_the_tallys_total_and_the_coded_columns_the_packed_ones(analysed_example: Path):
    view = open_view(analysed_example)
    groups = [list(view.codes)] + [[c] for c in list(view.codes)[:8]]
    for codes in groups:
        assert view.extract_count(codes) == view.tally(codes).total
    alone = [view.index.coded(row.id) for row in view.index.items]
    assert alone == [tuple(view.index.packed(row.n).columns[k] for k in ("coded_start", "coded_end", "coded_code"))
                     for row in view.index.items]
    assert alone == [view.index.coded(row.id) for row in view.index.items]  # now from the packed columns
