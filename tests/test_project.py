"""thematic.yaml's analysis_dir: never the study folder, the transcripts' folder or a file; each
refused with thematic.yaml:line and what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import invoke
from thematic.errors import ProjectError
from thematic.phases.themes import MAP_IMAGE
from thematic.project import OUTPUT_NAMES, load_project


def set_analysis_dir(study: Path, value: str, extra: str = "") -> int:
    """Append the setting; the line it is on."""
    path = study / "thematic.yaml"
    text = path.read_text(encoding="utf-8") + extra + f"analysis_dir: {value}\n"
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


@pytest.mark.parametrize("value, problem", [
    (".", "analysis_dir '.' is the study folder itself"),
    ("./", "analysis_dir './' is the study folder itself"),
    ("interviews", "analysis_dir 'interviews' is where corpus.include reads transcripts (interviews/*.txt)"),
    ("./interviews/", "analysis_dir './interviews/' is where corpus.include reads transcripts (interviews/*.txt)"),
    ("participants.yaml", "analysis_dir 'participants.yaml' is a file, not a folder"),
    ("participants.yaml/analysis", "analysis_dir 'participants.yaml/analysis' cannot be a folder: participants.yaml is a file"),
])
def test_analysis_dir_that_would_mix_artefacts_with_the_study_is_refused_with_its_line(tiny_study: Path, value: str, problem: str):
    line = set_analysis_dir(tiny_study, value)
    with pytest.raises(ProjectError) as raised:
        load_project(tiny_study)
    assert str(raised.value) == f"{tiny_study / 'thematic.yaml'}:{line}: {problem} (fix: write analysis_dir: analysis)"
    result = invoke("run", tiny_study)
    assert result.exit_code == 1 and result.stderr == f"error: {raised.value}\n"
    assert sorted(p.name for p in (tiny_study / "interviews").iterdir()) == ["mentor-a.txt", "mentor-b.txt", "veiledere.txt"]


def test_a_folder_a_glob_reads_or_that_holds_the_transcripts_under_another_name(tiny_study: Path):
    line = set_analysis_dir(tiny_study, "tekster", "corpus:\n  include: ['tekster/*.txt']\n")
    (tiny_study / "interviews").rename(tiny_study / "tekster")
    with pytest.raises(ProjectError, match=f":{line}: analysis_dir 'tekster' is where corpus.include reads"):
        load_project(tiny_study)
    (tiny_study / "lenke").symlink_to("tekster")
    (tiny_study / "thematic.yaml").write_text(
        (tiny_study / "thematic.yaml").read_text(encoding="utf-8").replace("analysis_dir: tekster", "analysis_dir: lenke"),
        encoding="utf-8")
    with pytest.raises(ProjectError, match=f":{line}: analysis_dir 'lenke' holds transcripts the corpus reads"):
        load_project(tiny_study)


def test_a_recursive_glob_that_would_read_the_report_refuses_and_says_to_narrow_it(tiny_study: Path):
    set_analysis_dir(tiny_study, "analysis", "corpus:\n  include: ['**/*.md', '**/*.txt']\n")
    with pytest.raises(ProjectError, match=r"reads transcripts \(\*\*/\*\.md\) \(fix: narrow corpus.include"):
        load_project(tiny_study)


def test_usual_and_nested_analysis_folders_are_fine(tiny_study: Path):
    set_analysis_dir(tiny_study, "interviews/analyse", "corpus:\n  include: ['interviews/*.txt', '**/*.docx']\n")
    assert load_project(tiny_study).analysis_dir == tiny_study / "interviews" / "analyse"
    assert invoke("run", tiny_study).exit_code == 0
    assert (tiny_study / "interviews" / "analyse" / "6-report.md").is_file()


def test_the_outputs_list_names_the_map_image_phase_3_writes():
    assert MAP_IMAGE in OUTPUT_NAMES


def test_init_in_an_unwritable_place_is_one_line(tmp_path: Path):
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    result = invoke("init", tmp_path / "fil" / "studie")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [f"error: {tmp_path / 'fil' / 'studie' / 'interviews'}: cannot write (Not a directory)"]


def test_the_approach_defaults_to_reflexive_and_an_unknown_one_is_refused_with_its_line(tiny_study: Path):
    assert load_project(tiny_study).settings["approach"] == "reflexive"
    path = tiny_study / "thematic.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "approach: grounded\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"thematic\.yaml:\d+: approach 'grounded' is not known") as caught:
        load_project(tiny_study)
    assert "coding-reliability" in str(caught.value.fix)
