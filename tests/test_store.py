"""The extract store: every extract beside the YAML, which shows a bounded sample and names the store."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from thematic.errors import ArtefactError
from thematic.store import STORE_FILE, read_store, write_store

from helpers import invoke, load

EXTRACT = {"id": "a:0", "item": "a", "participant": "a", "speaker": "Mentor", "turn": 2, "line": 3,
           "span": [0, 12], "text": "Tiden går fort."}


def test_a_store_gives_back_what_was_written_and_refuses_one_that_is_not_the_yamls(tmp_path: Path):
    timed = dict(EXTRACT, id="a:20", span=[20, 30], time="00:01:02", speaker=None)
    meta = write_store(tmp_path / STORE_FILE, {"tid": [EXTRACT, timed], "tom": []})
    assert meta["extracts"] == 2 and meta["file"] == STORE_FILE
    assert read_store(tmp_path / STORE_FILE, meta["digest"], ["tid", "tom", "annen"]) == {"tid": [EXTRACT, timed]}
    with pytest.raises(ArtefactError, match="does not belong to 2-codes.yaml"):
        read_store(tmp_path / STORE_FILE, "0" * 64, ["tid"])
    (tmp_path / STORE_FILE).write_bytes(b"not a database at all, just bytes" * 10)
    with pytest.raises(ArtefactError, match="not a thematic extract store"):
        read_store(tmp_path / STORE_FILE, meta["digest"], ["tid"])
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_yaml_shows_a_bounded_sample_and_phases_3_to_6_see_every_extract(tiny_study: Path, tmp_path: Path):
    small = tmp_path / "small"
    shutil.copytree(tiny_study, small)
    text = (small / "thematic.yaml").read_text(encoding="utf-8").replace("phases:\n", "phases:\n  code: {extracts_shown: 1}\n")
    (small / "thematic.yaml").write_text(text, encoding="utf-8")
    for study in (tiny_study, small):
        assert invoke("run", study).exit_code == 0
    shown = {c["id"]: c for c in load(small, "2-codes.yaml")["codes"]}
    full = {c["id"]: c for c in load(tiny_study, "2-codes.yaml")["codes"]}
    assert any(c["extracts_total"] > 1 for c in full.values())
    for code_id, code in shown.items():
        assert len(code["extracts"]) == min(1, code["extracts_total"]) and code["extracts_total"] == full[code_id]["extracts_total"]
    for name in ("3-candidate-themes.yaml", "5-themes.yaml"):
        assert load(small, name)["themes"] == load(tiny_study, name)["themes"]


def test_a_missing_or_foreign_store_makes_phase_2_stale_and_a_run_mends_it(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    store = tiny_study / "analysis" / ".thematic" / STORE_FILE
    store.unlink()
    assert "stale" in _row(invoke("status", tiny_study).output, "2 code")
    assert invoke("run", tiny_study).exit_code == 0
    assert store.is_file() and "fresh" in _row(invoke("status", tiny_study).output, "2 code")
    with sqlite3.connect(store) as db:
        db.execute("UPDATE meta SET value = 'x' WHERE key = 'digest'")
    assert "stale" in _row(invoke("status", tiny_study).output, "2 code")
    assert invoke("run", tiny_study).exit_code == 0 and "fresh" in _row(invoke("status", tiny_study).output, "2 code")


def test_a_decision_reaches_phases_3_to_6_without_re_running_phase_2(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    path = tiny_study / "analysis" / "2-codes.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("decision: pending", text.index("- id: tid\n"))
    path.write_text(text[:at] + "decision: rejected" + text[at + len("decision: pending"):], encoding="utf-8")
    result = invoke("run", tiny_study)
    assert result.exit_code == 0
    assert "skipped" in _row(result.output, "2 code") and "ran" in _row(result.output, "3 themes")
    assert all("tid" not in t["codes"] for t in load(tiny_study, "3-candidate-themes.yaml")["themes"])
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["extract_store"]["extracts"] > 0


def _row(table: str, phase: str) -> str:
    """The line of a rich table that starts with this phase."""
    return next(line for line in table.splitlines() if line.count("│") > 3 and line.split("│")[1].strip() == phase)
