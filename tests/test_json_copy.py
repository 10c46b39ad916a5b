"""The JSON copy a run keeps of each artefact it writes is that file's content, and a re-run reads
the copy instead of parsing the YAML while the file is unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from thematic import json_copy
from thematic.artefacts import load_artefact
from thematic.errors import ThematicError
from thematic.phases import PHASES
from thematic.project import load_project
from thematic.runner import run_phases


def test_the_copy_a_run_keeps_is_what_the_yaml_says(analysed_example: Path):
    project = load_project(analysed_example)
    for spec in (s for s in PHASES if s.is_yaml):
        assert json_copy.copy_path(project, spec).is_file(), spec.name
        data, _ = json_copy.artefact_data(project, spec)
        assert data == load_artefact(project.analysis_dir / spec.artefact, spec.schema).data, spec.name


def decided(example: Path, tmp_path: Path, decision: str) -> Path:
    """A copy of the example whose first suggestion got `decision:` written by hand."""
    study = tmp_path / "study"
    shutil.copytree(example, study)
    codes = study / "analysis" / "2-codes.yaml"
    codes.write_text(codes.read_text(encoding="utf-8").replace("decision: suggested", f"decision: {decision}", 1),
                     encoding="utf-8")
    return study


def parses(monkeypatch, *modules) -> list[str]:
    """The names of the artefacts these modules parse whole from now on."""
    parsed: list[str] = []
    real = json_copy.load_artefact
    for module in modules:
        monkeypatch.setattr(module, "load_artefact", lambda path, schema: parsed.append(path.name) or real(path, schema))
    return parsed


def test_a_decision_re_run_parses_only_the_file_you_edited(analysed_example: Path, tmp_path: Path, monkeypatch):
    import thematic.runner as runner

    study = decided(analysed_example, tmp_path, "accepted")
    parsed = parses(monkeypatch, json_copy, runner)
    ran = [r.spec.name for r in run_phases(load_project(study)) if r.action == "ran"]
    assert ran == ["themes", "review", "define", "report"]
    assert parsed == []  # only the edited record was parsed (thematic.written)
    spec = PHASES[1]
    assert json_copy.artefact_data(load_project(study), spec)[0] == \
        load_artefact(study / "analysis" / spec.artefact, spec.schema).data


def test_an_edit_beyond_one_record_is_parsed_whole_and_a_slip_named_with_its_line(analysed_example: Path,
                                                                                 tmp_path: Path, monkeypatch):
    study = decided(analysed_example, tmp_path, "accept")
    parsed = parses(monkeypatch, json_copy)
    with pytest.raises(ThematicError, match=r"2-codes.yaml:\d+"):
        json_copy.artefact_data(load_project(study), PHASES[1])
    assert parsed == ["2-codes.yaml"]


def test_a_comment_you_wrote_is_still_read_from_the_yaml(analysed_example: Path, tmp_path: Path):
    study = tmp_path / "study"
    shutil.copytree(analysed_example, study)
    themes = study / "analysis" / "3-candidate-themes.yaml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("themes:\n", "# mine: ask Kari\nthemes:\n", 1),
                      encoding="utf-8")
    codes = study / "analysis" / "2-codes.yaml"
    codes.write_text(codes.read_text(encoding="utf-8").replace("decision: suggested", "decision: accepted", 1),
                     encoding="utf-8")
    run_phases(load_project(study))
    assert "# mine: ask Kari" in themes.read_text(encoding="utf-8")
