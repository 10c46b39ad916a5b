"""The query and journal commands end to end: find, show, stats, memo; --json carries the numbers
the tables show; --json on run, status and codes list; status counts the memos."""

from __future__ import annotations

import csv
import json
import shutil
import stat
import sys
from pathlib import Path

import pytest

from helpers import invoke, load


@pytest.fixture()
def example(analysed_example: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "arbeidsinkludering"
    shutil.copytree(analysed_example, copy)
    return copy


def test_find_prints_hits_in_context_and_counts_and_json_says_the_same(analysed_example: Path):
    result = invoke("find", analysed_example, "skreddersøm")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "(lemma skreddersøm): 4 hits" in lines[0]
    assert any("«Skreddersømmen»" in line for line in lines) and "per item (2): gruppe-01 2, gruppe-02 2" in lines
    data = json.loads(invoke("find", analysed_example, "skreddersøm", "--json").output)
    assert data["total"] == 4 and data["per_item"] == {"gruppe-01": 2, "gruppe-02": 2}
    assert {h["role"] for h in data["hits"]} == {"informant"} and {h["match"] for h in data["hits"]} >= {"Skreddersømmen"}
    assert all(h["codes"] for h in data["hits"])
    asked = json.loads(invoke("find", analysed_example, "skreddersøm", "--interviewer", "--json").output)
    assert [(h["item"], h["role"]) for h in asked["hits"] if h["item"] == "gruppe-03"] == [("gruppe-03", "interviewer")]


def test_find_asks_for_interviewer_turns_and_filters_by_attribute(analysed_example: Path):
    plain = json.loads(invoke("find", analysed_example, "oppfølging", "--json").output)
    asked = json.loads(invoke("find", analysed_example, "oppfølging", "--interviewer", "--json").output)
    assert {h["role"] for h in plain["hits"]} == {"informant"}
    assert "interviewer" in {h["role"] for h in asked["hits"]} and asked["total"] > plain["total"]
    mentors = json.loads(invoke("find", analysed_example, "oppfølging", "--role", "arbeidsplassmentor", "--json").output)
    assert mentors["total"] and all(h["item"].startswith("mentor-") for h in mentors["hits"])
    office = json.loads(invoke("find", analysed_example, "oppfølging", "--where", "kontor=NAV Nordby", "--json").output)
    assert {h["item"] for h in office["hits"]} == {"gruppe-01"}
    bad = invoke("find", analysed_example, "oppfølging", "--where", "kontor")
    assert bad.exit_code == 1 and "error: --where 'kontor': write KEY=VALUE" in bad.output


def test_show_code_prints_every_extract_in_its_turn(analysed_example: Path):
    code = next(c for c in load(analysed_example, "2-codes.yaml")["codes"] if c["id"] == "tidspress")
    result = invoke("show", "code", analysed_example, "tidspress")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(f"code tidspress «{code['label']}»: {code['extracts_total']} extracts")
    assert result.output.count("«") - 1 == code["extracts_total"]  # each extract marked inside its turn
    data = json.loads(invoke("show", "code", analysed_example, "tidspress", "--json").output)
    assert data["extracts"] == len(data["shown"]) == code["extracts_total"]
    assert data["participants"] == code["evidence"]["participants"]


def test_show_theme_and_item(analysed_example: Path):
    theme = load(analysed_example, "5-themes.yaml")["themes"][0]
    data = json.loads(invoke("show", "theme", analysed_example, theme["id"], "--json").output)
    assert data["extracts"] == theme["prevalence"]["extracts"]
    item = json.loads(invoke("show", "item", analysed_example, "mentor-01", "--turn", "2", "--json").output)
    assert [t["index"] for t in item["turns"]] == [2]
    missing = invoke("show", "code", analysed_example, "finnes-ikke")
    assert missing.exit_code == 1 and missing.output.startswith("error: ") and "Traceback" not in missing.output


def test_stats_csv_and_json_carry_the_numbers_of_2_codes_yaml(analysed_example: Path, tmp_path: Path):
    result = invoke("stats", analysed_example, "--csv", tmp_path / "tab")
    assert result.exit_code == 0, result.output
    assert "codes × participants (extracts)" in result.output and "wrote " in result.output
    assert max(len(line) for line in result.output.splitlines() if not line.startswith("wrote ")) <= 80
    data = json.loads(invoke("stats", analysed_example, "--json").output)
    table = data["tables"]["codes-by-participant"]
    rows = {r[0]: dict(zip(table["columns"], r)) for r in table["rows"]}
    with (tmp_path / "tab" / "codes-by-participant.csv").open(encoding="utf-8", newline="") as handle:
        from_csv = {r["code"]: r for r in csv.DictReader(handle)}
    for code in load(analysed_example, "2-codes.yaml")["codes"]:
        if code["origin"] == "codebook":
            assert rows[code["id"]]["extracts"] == int(from_csv[code["id"]]["extracts"]) == code["extracts_total"]
    assert set(data["tables"]) == {"codes-by-participant", "codes-by-item", "code-cooccurrence", "themes-by-participant"}
    assert json.loads(invoke("stats", analysed_example, "--by", "role", "--json").output)["tables"]["codes-by-role"]


def test_a_query_before_phase_2_says_what_to_run(example_study: Path):
    result = invoke("find", example_study, "tid")
    assert result.exit_code == 1 and "2-codes.yaml: missing" in result.output and "thematic run" in result.output


def test_memo_adds_lists_and_reaches_status_and_the_report(example: Path):
    added = invoke("memo", example, "-m", "Jeg leser tidspress inn i alt.", "--code", "tidspress")
    assert added.exit_code == 0, added.output
    assert invoke("memo", example, "-m", "Dag 2: ny forforståelse.").exit_code == 0
    listed = json.loads(invoke("memo", "list", example, "--json").output)["memos"]
    assert [(m["about"], m["target"], m["text"]) for m in listed] == [
        ("code", "tidspress", "Jeg leser tidspress inn i alt."), ("study", None, "Dag 2: ny forforståelse.")]
    assert json.loads(invoke("memo", "list", example, "--code", "tidspress", "--json").output)["memos"] == listed[:1]
    assert "memos: 2 in memos.yaml" in invoke("status", example).output
    assert json.loads(invoke("status", example, "--json").output)["memos"] == 2
    wrong = invoke("memo", example, "-m", "x", "--code", "tidspres")
    assert wrong.exit_code == 1 and "did you mean 'tidspress'" in wrong.output
    assert invoke("run", example, "--force").exit_code == 0
    report = (example / "analysis" / "6-report.md").read_text(encoding="utf-8")
    assert "· kode tidspress\n\nJeg leser tidspress inn i alt." in report and "Dag 2: ny forforståelse." in report


def test_memo_without_a_message_opens_the_editor(example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    editor = tmp_path / "editor.py"
    editor.write_text(f"#!{sys.executable}\nimport sys\nopen(sys.argv[1], 'a', encoding='utf-8').write('Skrevet i editoren.\\n')\n",
                      encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    assert invoke("memo", example, "--item", "mentor-01").exit_code == 0
    assert json.loads(invoke("memo", "list", example, "--json").output)["memos"][0]["text"] == "Skrevet i editoren."


def test_run_status_and_codes_list_speak_json(example: Path):
    run = json.loads(invoke("run", example, "--json").output)
    assert [p["action"] for p in run["phases"]] == ["skipped"] * 6
    status = json.loads(invoke("status", example, "--json").output)
    assert [p["status"] for p in status["phases"]] == ["fresh"] * 6 and status["memos"] == 0
    codes = json.loads(invoke("codes", "list", example, "--json").output)["codes"]
    assert {c["id"]: c["extracts"] for c in codes} == {c["id"]: c["extracts_total"] for c in load(example, "2-codes.yaml")["codes"]}
    assert invoke("run", example, "--quiet").output == ""
