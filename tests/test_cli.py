"""End to end through the CLI, as the README runs it: the example study and a tiny study."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from helpers import invoke

ARTEFACTS = ["1-familiarisation.yaml", "2-codes.yaml", "3-candidate-themes.yaml",
             "4-reviewed-themes.yaml", "5-themes.yaml", "6-report.md"]



def status_of(study: Path) -> dict[str, str]:
    from thematic.lock import states
    from thematic.project import load_project

    return {s.spec.name: s.status for s in states(load_project(study))}


def test_example_run_writes_all_artefacts_skips_on_rerun_and_is_byte_identical(example_study: Path, tmp_path: Path):
    twin = tmp_path / "twin"
    shutil.copytree(example_study, twin)
    first = invoke("run", example_study)
    assert first.exit_code == 0, first.output
    for name in ARTEFACTS:
        assert (example_study / "analysis" / name).stat().st_size > 200
    again = invoke("run", example_study)
    assert again.exit_code == 0 and " ran " not in again.output and again.output.count("skipped") == 6
    other_seed = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-m", "thematic", "run", str(twin)], check=True, env=other_seed, capture_output=True)
    for name in ARTEFACTS + ["../thematic.lock"]:
        assert (example_study / "analysis" / name).read_bytes() == (twin / "analysis" / name).read_bytes(), name


def test_rejecting_a_code_marks_later_phases_stale_and_removes_its_extracts(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    codes_path = tiny_study / "analysis" / "2-codes.yaml"
    text = codes_path.read_text(encoding="utf-8")
    tid_quote = next(e["text"] for c in yaml.safe_load(text)["codes"] if c["id"] == "tid" for e in c["extracts"]
                     if "Porteføljen" in e["text"])
    codes_path.write_text(text.replace("- id: tid\n  label: Tid\n  origin: codebook\n  codebook: mini\n  theme_hint: rammer\n  definition: ''\n  keywords: [tid, portefølje]\n  decision: pending",
                                       "- id: tid\n  label: Tid\n  origin: codebook\n  codebook: mini\n  theme_hint: rammer\n  definition: ''\n  keywords: [tid, portefølje]\n  decision: rejected"), encoding="utf-8")
    assert "decision: rejected" in codes_path.read_text(encoding="utf-8")
    assert status_of(tiny_study) == {"familiarise": "fresh", "code": "edited", "themes": "stale",
                                     "review": "stale", "define": "stale", "report": "stale"}
    status = invoke("status", tiny_study)
    assert status.exit_code == 0 and "stale" in status.output
    assert invoke("run", tiny_study).exit_code == 0
    assert "decision: rejected" in codes_path.read_text(encoding="utf-8")
    for name in ARTEFACTS[2:]:
        later = (tiny_study / "analysis" / name).read_text(encoding="utf-8")
        assert "- tid\n" not in later and "[tid" not in later and "tid]" not in later, name
        assert tid_quote not in later, name
    assert set(status_of(tiny_study).values()) <= {"fresh", "edited"}


def test_malformed_codes_file_gives_one_line_error_and_is_left_untouched(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    codes_path = tiny_study / "analysis" / "2-codes.yaml"
    broken = codes_path.read_text(encoding="utf-8").replace("decision: pending", "decision: [pending", 1)
    codes_path.write_text(broken, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "thematic", "run", str(tiny_study)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{codes_path}:" in lines[0]
    assert codes_path.read_text(encoding="utf-8") == broken


def test_invalid_decision_names_the_line_and_the_allowed_values(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    codes_path = tiny_study / "analysis" / "2-codes.yaml"
    text = codes_path.read_text(encoding="utf-8").replace("decision: pending", "decision: maybe", 1)
    codes_path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  decision: maybe") + 1
    result = invoke("run", tiny_study)
    assert result.exit_code == 1
    assert f"2-codes.yaml:{line}: unknown decision 'maybe'" in result.output.replace("\n", "")


def test_hand_edit_of_a_machine_field_is_refused_without_force(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    codes_path = tiny_study / "analysis" / "2-codes.yaml"
    edited = codes_path.read_text(encoding="utf-8").replace("label: Tid", "label: Tiden", 1)
    codes_path.write_text(edited, encoding="utf-8")
    assert status_of(tiny_study)["code"] == "hand-edited"
    (tiny_study / "interviews" / "mentor-a.txt").write_text("Mentor: Tid.\n\nMentor: Mer tid.\n", encoding="utf-8")
    refused = invoke("run", tiny_study)
    assert refused.exit_code == 1 and "codes[tid].label" in refused.output.replace("\n", "")
    assert codes_path.read_text(encoding="utf-8") == edited
    forced = invoke("code", tiny_study, "--force")
    assert forced.exit_code == 0
    assert "label: Tid\n" in codes_path.read_text(encoding="utf-8")


def test_notes_survive_reruns_and_do_not_make_later_phases_stale(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    fam = tiny_study / "analysis" / "1-familiarisation.yaml"
    fam.write_text(fam.read_text(encoding="utf-8").replace("notes: ''", "notes: Les igjen", 1), encoding="utf-8")
    assert status_of(tiny_study)["code"] == "fresh"
    (tiny_study / "participants.yaml").write_text("mentor-a: {role: mentor, bransje: butikk}\n", encoding="utf-8")
    assert invoke("familiarise", tiny_study).exit_code == 0
    assert "notes: Les igjen" in fam.read_text(encoding="utf-8")


def test_interviewer_turns_are_never_coded(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    codes = yaml.safe_load((tiny_study / "analysis" / "2-codes.yaml").read_text(encoding="utf-8"))["codes"]
    speakers = {e["speaker"] for c in codes for e in c["extracts"]}
    assert speakers == {"Mentor", "Veileder 1", "Veileder 2"}
    for code in codes:
        for extract in code["extracts"]:
            source = (tiny_study / "interviews" / f"{extract['item']}.txt").read_text(encoding="utf-8")
            start, end = extract["span"]
            assert source[start:end] == extract["text"]
            assert source.count("\n", 0, start) + 1 == extract["line"]


def test_init_writes_a_project_and_never_overwrites_it(tmp_path: Path):
    study = tmp_path / "ny"
    result = invoke("init", study, "--codebook", "arbeidsinkludering")
    assert result.exit_code == 0, result.output
    assert (study / "codebooks" / "arbeidsinkludering.yaml").is_file()
    assert "arbeidsinkludering" in (study / "thematic.yaml").read_text(encoding="utf-8")
    again = invoke("init", study)
    assert again.exit_code == 1 and "already exists" in again.output


def test_status_and_help_do_not_import_spacy(tiny_study: Path):
    code = ("import sys; from thematic.cli import app\n"
            "try:\n    app(['status', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "assert 'spacy' not in sys.modules, 'spacy imported'\n")
    result = subprocess.run([sys.executable, "-c", code, str(tiny_study)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_each_phase_command_titles_its_table_with_its_own_name(tiny_study: Path):
    result = invoke("code", tiny_study)
    assert result.exit_code == 0
    assert f"thematic code {tiny_study}" in result.output.replace("\n", "") and "thematic run" not in result.output


def test_changing_how_transcripts_are_read_or_the_approach_makes_the_phases_that_use_them_stale(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    path = tiny_study / "thematic.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "approach: codebook\n", encoding="utf-8")
    assert status_of(tiny_study) == {"familiarise": "fresh", "code": "fresh", "themes": "fresh", "review": "fresh",
                                     "define": "fresh", "report": "stale"}
    assert invoke("run", tiny_study).exit_code == 0
    path.write_text(path.read_text(encoding="utf-8") + "corpus:\n  interviewer_labels: [Intervjuer, Mentor]\n", encoding="utf-8")
    assert set(status_of(tiny_study).values()) == {"stale"}


def test_a_table_shows_its_cells_as_written_never_as_markup(monkeypatch):
    import io

    from rich.console import Console

    from thematic.cli import _util

    monkeypatch.setattr(_util, "out", Console(file=io.StringIO(), width=80))
    _util.print_rows("t", ("code", "forms"), [("hen", "[hen] sa [bold]ja[/bold]")])
    assert "[hen] sa [bold]ja[/bold]" in _util.out.file.getvalue()


def test_the_command_leaves_with_its_status_and_all_it_printed(tmp_path: Path, capsys):  # type: ignore[no-untyped-def]
    """main() ends through os._exit (no teardown of a run's objects one by one): the exit status
    and everything printed come out as a normal exit gives them."""
    from thematic import __version__
    from thematic.cli import _exit_code

    def thematic(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "thematic", *args], capture_output=True, text=True)

    version = thematic("--version")
    assert (version.returncode, version.stdout) == (0, f"thematic {__version__}\n")
    missing = thematic("run", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "nowhere: no such folder" in missing.stderr
    assert thematic("nosuch").returncode == 2
    helped = thematic("--help")
    assert helped.returncode == 0 and helped.stdout.splitlines()[-1].split()[0] == "memo"  # the last command listed
    assert (_exit_code(None), _exit_code(0), _exit_code(3), _exit_code("stopped")) == (0, 0, 3, 1)
    assert capsys.readouterr().err == "stopped\n"
