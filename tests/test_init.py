"""thematic init on a real folder: transcripts where the researcher keeps them, never moved."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE
from helpers import invoke
from thematic.discover import include_globs, transcript_files


def folder_with(tmp_path: Path, where: str, names: list[str]) -> Path:
    study = tmp_path / "studie"
    (study / where).mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(EXAMPLE / "interviews" / name, study / where / name)
    return study


@pytest.mark.parametrize("where, include", [("intervjuer", ["intervjuer/*.txt"]), (".", ["*.txt"])])
def test_init_then_run_works_on_transcripts_where_they_are(tmp_path: Path, where: str, include: list[str]):
    study = folder_with(tmp_path, where, ["mentor-01.txt", "mentor-02.txt", "gruppe-01.txt"])
    before = sorted(p.relative_to(study) for p in study.rglob("*"))
    result = invoke("init", study)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "found 3 transcripts: 3 .txt" in text and f"corpus.include: {', '.join(include)}" in text
    assert "Intervjuer: " in text and "interviewer" in text and "Mentor: " in text and "informant" in text
    settings = yaml.safe_load((study / "thematic.yaml").read_text(encoding="utf-8"))
    assert settings["corpus"]["include"] == include
    assert not (study / "interviews").exists()
    run = invoke("run", study)
    assert run.exit_code == 0, run.output
    assert yaml.safe_load((study / "analysis" / "1-familiarisation.yaml").read_text(encoding="utf-8"))["summary"]["items"] == 3
    assert set(before) <= {p.relative_to(study) for p in study.rglob("*")}


def test_analysis_output_hidden_folders_other_studies_and_readmes_are_not_transcripts(tmp_path: Path):
    study = folder_with(tmp_path, "runde 1", ["mentor-01.txt"])
    for folder in ("analysis", ".git", "gammel"):
        (study / folder).mkdir()
        (study / folder / "x.md").write_text("Intervjuer: Hei?\n\nMentor: Hei.\n", encoding="utf-8")
    (study / "gammel" / "thematic.yaml").write_text("title: gammel\n", encoding="utf-8")
    (study / "runde 1" / "README.md").write_text("# Om runden\n", encoding="utf-8")
    (study / "runde 1" / "notat.md").write_text("Intervjuer: Hva?\n\nMentor: Ja.\n", encoding="utf-8")
    files, others = transcript_files(study)
    assert files == ["runde 1/mentor-01.txt", "runde 1/notat.md"]
    assert include_globs(files, others) == ["runde 1/notat.md", "runde 1/*.txt"]


def test_a_label_that_mostly_asks_is_taken_as_the_interviewer(tmp_path: Path):
    study = tmp_path / "studie"
    study.mkdir()
    for n in range(2):
        (study / f"samtale-{n}.txt").write_text("Forsker: Hva gjør du?\n\nKari: Jeg jobber.\n\nForsker: Og så?\n\n"
                                                "Kari: Jeg trives.\n", encoding="utf-8")
    result = invoke("init", study)
    assert result.exit_code == 0, result.output
    assert "taken as interviewer (their turns are mostly questions): Forsker" in " ".join(result.output.split())
    assert "Forsker" in yaml.safe_load((study / "thematic.yaml").read_text(encoding="utf-8"))["corpus"]["interviewer_labels"]


def test_an_empty_folder_gets_interviews_and_an_existing_project_is_never_overwritten(tmp_path: Path):
    study = tmp_path / "ny"
    assert invoke("init", study).exit_code == 0
    assert (study / "interviews").is_dir()
    original = (study / "thematic.yaml").read_bytes()
    again = invoke("init", study)
    assert again.exit_code == 1 and "already exists" in again.output
    assert (study / "thematic.yaml").read_bytes() == original


def test_run_without_a_project_says_exactly_what_to_type(tmp_path: Path):
    study = folder_with(tmp_path, "intervjuer", ["mentor-01.txt"])
    result = invoke("run", study)
    assert result.exit_code == 1
    assert f"thematic init {study} && thematic run {study}" in " ".join(result.output.split())
    assert invoke("init", study).exit_code == 0
    inside = invoke("run", study / "intervjuer")
    assert inside.exit_code == 1 and "is inside the study" in " ".join(inside.output.split())
