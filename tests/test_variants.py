"""thematic run --set/--out: a variant runs into its own folder; the main analysis is never touched."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import invoke


@pytest.fixture()
def study(analysed_example: Path, tmp_path: Path) -> Path:
    target = tmp_path / "study"
    shutil.copytree(analysed_example, target)
    return target


def fingerprint(study: Path) -> dict[str, str]:
    """Every byte the researcher and the main run own: thematic.yaml, thematic.lock, analysis/."""
    files = [study / "thematic.yaml", study / "thematic.lock", *sorted((study / "analysis").rglob("*"))]
    return {str(p.relative_to(study)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


def artefact(folder: Path, name: str) -> dict:
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


def actions(output: str) -> dict[str, str]:
    return {p["phase"]: p["action"] for p in json.loads(output)["phases"]}


def set_decision(codes: Path, code: str, decision: str) -> None:
    head, sep, rest = codes.read_text(encoding="utf-8").partition(f"- id: {code}\n")
    codes.write_text(head + sep + rest.replace("decision: pending", f"decision: {decision}", 1), encoding="utf-8")


def test_a_variant_runs_into_its_own_folder_and_leaves_the_main_analysis_byte_identical(study: Path):
    before = fingerprint(study)
    result = invoke("run", study, "--set", "phases.themes.resolution=1.0", "--set", "phases.review.stability_rounds=5",
                    "--out", "analysis-r10", "--json")
    assert result.exit_code == 0, result.output
    assert fingerprint(study) == before
    # It started from a copy of the main analysis: phases 1-2 are fresh, 3-6 ran with the new values.
    assert actions(result.output) == {"familiarise": "skipped", "code": "skipped", "themes": "ran",
                                      "review": "ran", "define": "ran", "report": "ran"}
    variant = study / "analysis-r10"
    assert artefact(study / "analysis-r10", "3-candidate-themes.yaml")["meta"]["params"]["resolution"] == 1.0
    assert artefact(study / "analysis-r10", "4-reviewed-themes.yaml")["meta"]["params"]["stability_rounds"] == 5
    assert (variant / "thematic.lock").is_file() and (variant / ".thematic" / "extracts.sqlite").is_file()
    record = yaml.safe_load((variant / "variant.yaml").read_text(encoding="utf-8"))
    assert record == {"of": "analysis", "set": {"phases.themes.resolution": 1.0, "phases.review.stability_rounds": 5}}
    assert ("#   thematic run . --set phases.themes.resolution=1.0 --set phases.review.stability_rounds=5 "
            "--out analysis-r10\n") in (variant / "variant.yaml").read_text(encoding="utf-8")


def test_out_alone_runs_the_variant_again_as_made_and_other_values_are_refused(study: Path):
    assert invoke("run", study, "--set", "phases.themes.resolution=1.0", "--out", "analysis-r10").exit_code == 0
    again = invoke("run", study, "--out", "analysis-r10", "--json")
    assert again.exit_code == 0 and set(actions(again.output).values()) == {"skipped"}
    same = invoke("run", study, "--set", "phases.themes.resolution=1.0", "--out", "analysis-r10", "--json")
    assert same.exit_code == 0 and set(actions(same.output).values()) == {"skipped"}
    other = invoke("run", study, "--set", "phases.themes.resolution=0.8", "--out", "analysis-r10")
    assert other.exit_code == 1
    assert other.output == ("error: --out analysis-r10: this variant was made with --set phases.themes.resolution=1.0; "
                            "a variant keeps the settings it was made with (fix: choose another --out, or delete "
                            "analysis-r10 to make it again)\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--set", "phases.themes.resolutoin=1.0", "--out", "v"],
     "error: --set phases.themes.resolutoin=1.0: unknown setting 'resolutoin' in phases.themes; did you mean 'resolution'?"),
    (["--set", "phasse.themes.resolution=1.0", "--out", "v"], "error: --set phasse.themes.resolution=1.0: unknown setting 'phasse'"),
    (["--set", "phases.themes.resolution=high", "--out", "v"],
     "error: --set phases.themes.resolution=high: phases.themes.resolution must be a number, like its default (1.2)"),
    (["--set", "phases.themes.runs=2.5", "--out", "v"], "error: --set phases.themes.runs=2.5: phases.themes.runs must be a whole number"),
    (["--set", "resolution", "--out", "v"], "error: --set resolution: write KEY=VALUE"),
    (["--set", "language=se", "--out", "v"], "error: --set language=se: language 'se' is not supported"),
    (["--set", "codebooks=[ingen]", "--out", "v"], "error: --set codebooks=[ingen]: codebook 'ingen' not found"),
    (["--set", "phases.themes.resolution=1.0"], "error: --set phases.themes.resolution=1.0: a changed setting needs a folder of its own (--out)"),
    (["--out", "analysis"], "error: --out analysis: is the main analysis folder (analysis)"),
    (["--out", "analysis/r10"], "error: --out analysis/r10: is inside the main analysis folder (analysis)"),
    (["--out", "../elsewhere"], "error: --out ../elsewhere: analysis_dir must be a relative path inside the study folder"),
    (["--out", "interviews"], "error: --out interviews: analysis_dir 'interviews' is where corpus.include reads transcripts"),
])
def test_a_bad_set_or_out_is_one_line_naming_it_and_makes_no_folder(study: Path, args: list[str], message: str):
    before = sorted(p.name for p in study.iterdir())
    result = invoke("run", study, *args)
    assert result.exit_code == 1
    assert result.output.startswith(message) and result.output.count("\n") == 1, result.output
    assert sorted(p.name for p in study.iterdir()) == before


def test_a_folder_thematic_did_not_make_is_refused(study: Path):
    (study / "mine").mkdir()
    (study / "mine" / "notat.txt").write_text("mitt", encoding="utf-8")
    result = invoke("run", study, "--out", "mine")
    assert result.exit_code == 1 and "is not a variant's (no variant.yaml in it)" in result.output
    assert sorted(p.name for p in (study / "mine").iterdir()) == ["notat.txt"]


def test_a_variant_starts_from_the_main_decisions_and_is_its_own_after(study: Path):
    set_decision(study / "analysis" / "2-codes.yaml", "tidspress", "rejected")
    assert invoke("run", study, "--set", "phases.themes.resolution=1.0", "--out", "analysis-r10").exit_code == 0
    codes = {c["id"]: c for c in artefact(study / "analysis-r10", "2-codes.yaml")["codes"]}
    assert codes["tidspress"]["decision"] == "rejected"
    themed = {c for t in artefact(study / "analysis-r10", "3-candidate-themes.yaml")["themes"] for c in t["codes"]}
    assert "tidspress" not in themed and "portefolje" in themed
    # A decision made in the main analysis afterwards stays there.
    set_decision(study / "analysis" / "2-codes.yaml", "portefolje", "rejected")
    assert invoke("run", study, "--out", "analysis-r10").exit_code == 0
    codes = {c["id"]: c for c in artefact(study / "analysis-r10", "2-codes.yaml")["codes"]}
    assert codes["portefolje"]["decision"] == "pending"


def test_a_variant_made_before_the_main_analysis_runs_on_its_own(example_study: Path):
    result = invoke("run", example_study, "--set", "phases.review.stability_rounds=0", "--out", "variant", "--json")
    assert result.exit_code == 0, result.output
    assert set(actions(result.output).values()) == {"ran"}
    assert not (example_study / "analysis").exists() and not (example_study / "thematic.lock").exists()
    assert artefact(example_study / "variant", "4-reviewed-themes.yaml")["meta"]["params"]["stability_rounds"] == 0


def test_a_variant_shares_the_main_nlp_cache_once_the_main_analysis_exists(study: Path, example_study: Path):
    from thematic.variant import load_variant

    assert load_variant(study, [], "v").nlp_cache == study / "analysis" / ".thematic" / "cache" / "nlp"
    assert load_variant(example_study, [], "v").nlp_cache == example_study / "v" / ".thematic" / "cache" / "nlp"
    assert load_variant(study, [], "v").lock_path == study / "v" / "thematic.lock"
