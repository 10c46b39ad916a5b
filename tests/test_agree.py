"""Coders and agreement (thematic codes ... --coder, thematic agree) on the tiny study, whose
eight informant turns and five codes make every number checkable by hand.

The tiny study's machine coding, by informant turn (item:turn):
  samarbeid    mentor-b:2, veiledere:5, veiledere:6
  skreddersom  mentor-a:2, mentor-b:4, veiledere:3, veiledere:6
  tid          mentor-a:4, mentor-b:4, veiledere:2, veiledere:3
  oppfolging   mentor-b:2, veiledere:5 (a suggestion)
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import TINY_CODEBOOK, TINY_INTERVIEWS
from helpers import fails, load, ok
from thematic.agreement import agreement

UNITS = ["mentor-a:2", "mentor-a:4", "mentor-b:2", "mentor-b:4", "veiledere:2", "veiledere:3", "veiledere:5", "veiledere:6"]
REFLEXIVE_LINE = ("agreement is not computed: in reflexive TA coding is the researcher's interpretive work, so "
                  "inter-rater reliability is not a quality criterion (Braun & Clarke 2019, 2021); set approach: "
                  "codebook or coding-reliability in thematic.yaml if your design uses several coders")


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny study after phases 1-2, approach: codebook (built once; tests copy it)."""
    study = tmp_path_factory.mktemp("agree") / "tiny"
    (study / "interviews").mkdir(parents=True)
    (study / "codebooks").mkdir()
    for name, text in TINY_INTERVIEWS.items():
        (study / "interviews" / name).write_text(text, encoding="utf-8")
    (study / "codebooks" / "mini.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (study / "thematic.yaml").write_text("title: Mini\napproach: codebook\ncodebooks: [mini]\n", encoding="utf-8")
    ok("code", study)
    return study


@pytest.fixture()
def study(coded: Path, tmp_path: Path) -> Path:
    target = tmp_path / "tiny"
    shutil.copytree(coded, target)
    return target


def two_coders(study: Path) -> None:
    """anna accepts the suggestion; bjorn merges tid into skreddersom and codes a turn of his own."""
    ok("codes", "accept", study, "oppfolging", "--coder", "anna")
    ok("codes", "merge", study, "tid", "skreddersom", "--coder", "bjorn")
    ok("codes", "add", study, "Tidspress", "--item", "mentor-a", "--text", "Men tiden strekker ikke til.", "--coder", "bjorn")


def row(*coded: str) -> list[int]:
    return [int(unit in coded) for unit in UNITS]


def test_two_coders_give_the_kappa_and_alpha_worked_out_by_hand(study: Path):
    two_coders(study)
    result = agreement(study)
    by_code = {c.code: c for c in result.codes}
    assert result.coders == ["anna", "bjorn"] and result.units == 8 and result.unused == []
    # skreddersom: anna 4 turns, bjorn 6 (tid's turns merged in); they differ on mentor-a:4 and veiledere:2.
    # p_o = 6/8, p_e = 4/8*6/8 + 4/8*2/8 = 1/2, kappa = (3/4 - 1/2) / (1 - 1/2) = 1/2.
    # alpha: 16 values, ten 1s and six 0s; D_o = 2*2/16, D_e = 2*6*10/(16*15) = 1/2, alpha = 1 - 1/2 = 1/2.
    assert by_code["skreddersom"].coded == {"anna": 4, "bjorn": 6}
    assert by_code["skreddersom"].kappa == pytest.approx(0.5) and by_code["skreddersom"].alpha == pytest.approx(0.5)
    assert by_code["samarbeid"].kappa == pytest.approx(1.0) and by_code["samarbeid"].agreement == 1.0
    # one coder gave tid, oppfolging, tidspress and the other none of their turns: no better than chance
    assert [by_code[c].kappa for c in ("tid", "oppfolging", "tidspress")] == [0.0, 0.0, 0.0]
    assert result.kappa == pytest.approx((0 + 1 + 0.5 + 0 + 0) / 5)
    # Over codes: 40 (turn, code) units; anna 13 ones, bjorn 10, so 23 ones and 57 zeros among 80
    # values; 9 units disagree. D_o = 2*9/80, D_e = 2*57*23/(80*79); alpha = 1 - D_o/D_e = 200/437.
    assert result.alpha == pytest.approx(200 / 437)
    assert result.agreement == pytest.approx(31 / 40) and result.alike == pytest.approx(2 / 8)
    import krippendorff

    anna = (row("mentor-b:2", "veiledere:5") + row("mentor-b:2", "veiledere:5", "veiledere:6")
            + row("mentor-a:2", "mentor-b:4", "veiledere:3", "veiledere:6")
            + row("mentor-a:4", "mentor-b:4", "veiledere:2", "veiledere:3") + row())
    bjorn = (row() + row("mentor-b:2", "veiledere:5", "veiledere:6")
             + row("mentor-a:2", "mentor-a:4", "mentor-b:4", "veiledere:2", "veiledere:3", "veiledere:6")
             + row() + row("mentor-a:4"))
    assert result.alpha == pytest.approx(krippendorff.alpha(reliability_data=[anna, bjorn], level_of_measurement="nominal"))


def test_the_disagreements_name_the_extracts_and_who_coded_them(study: Path):
    two_coders(study)
    rows = [(d.code, d.item, d.turn, d.line, d.coded_by, d.text) for d in agreement(study).disagreements]
    assert len(rows) == 13 and [r[0] for r in rows].count("tid") == 6
    assert ("tidspress", "mentor-a", 4, 7, ["bjorn"], "Men tiden strekker ikke til.") in rows
    assert ("skreddersom", "veiledere", 2, 3, ["bjorn"], "Vi har ikke tid.") in rows
    assert ("oppfolging", "mentor-b", 2, 3, ["anna"], "Vi har tett oppfølging av [hen].") in rows
    assert not any(r[0] == "samarbeid" for r in rows)  # they agree on every turn of it
    out = ok("agree", study)
    assert "[hen]." in out  # brackets in a transcript are text, not rich markup
    assert "disagreements to discuss: 13 extracts" in out


def test_identical_coders_agree_completely(study: Path):
    for coder in ("anna", "bjorn"):
        ok("codes", "accept", study, "oppfolging", "--coder", coder)
        ok("codes", "merge", study, "tid", "skreddersom", "--coder", coder)
    result = agreement(study)
    assert result.alpha == 1.0 and result.kappa == 1.0 and result.agreement == 1.0 and result.alike == 1.0
    assert all(c.kappa == 1.0 and c.alpha == 1.0 for c in result.codes) and result.disagreements == []
    assert [c.code for c in result.codes] == ["oppfolging", "samarbeid", "skreddersom"]
    assert "no disagreements" in ok("agree", study)


def test_json_carries_the_numbers_the_table_shows(study: Path):
    two_coders(study)
    data = json.loads(ok("agree", study, "--json"))
    out = ok("agree", study)
    assert data["alpha"] == pytest.approx(200 / 437) and f"Krippendorff's alpha {data['alpha']:.3f}" in out
    assert f"kappa {data['kappa']:.3f}" in out and f"agreement {100 * data['agreement']:.1f}%" in out
    skreddersom = next(c for c in data["codes"] if c["code"] == "skreddersom")
    assert skreddersom == {"code": "skreddersom", "coded": {"anna": 4, "bjorn": 6}, "agreement": 0.75,
                           "kappa": pytest.approx(0.5), "alpha": pytest.approx(0.5)}
    assert len(data["disagreements"]) == 13 and data["reason"] is None
    assert ok("agree", study, "--json") == ok("agree", study, "--json")  # same inputs, same bytes


def test_csv_files_hold_the_table_and_the_disagreements(study: Path, tmp_path: Path):
    two_coders(study)
    out = ok("agree", study, "--csv", tmp_path / "csv")
    assert f"wrote {tmp_path / 'csv' / 'agreement-codes.csv'}" in out
    codes = (tmp_path / "csv" / "agreement-codes.csv").read_text(encoding="utf-8").splitlines()
    assert codes[0] == "code,turns anna,turns bjorn,agreement,kappa,alpha"
    assert "skreddersom,4,6,0.750000,0.500000,0.500000" in codes
    split = (tmp_path / "csv" / "agreement-disagreements.csv").read_text(encoding="utf-8").splitlines()
    assert len(split) == 14 and "tidspress,mentor-a,4,7,bjorn," in split[-1]


def test_three_coders_kappa_is_the_mean_of_the_pairs(study: Path):
    two_coders(study)
    ok("codes", "accept", study, "oppfolging", "--coder", "cato")
    result = agreement(study)
    assert result.coders == ["anna", "bjorn", "cato"] and "pairwise" in result.kappa_method
    # oppfolging: anna-cato agree fully (1), bjorn gave it no turn (0 with each): (0 + 1 + 0) / 3
    assert next(c for c in result.codes if c.code == "oppfolging").kappa == pytest.approx(1 / 3)
    assert agreement(study, ["anna", "bjorn"]).alpha == pytest.approx(200 / 437)


def test_a_reflexive_study_says_why_in_one_line_and_computes_nothing(study: Path):
    two_coders(study)
    project_file = study / "thematic.yaml"
    project_file.write_text(project_file.read_text(encoding="utf-8").replace("codebook\n", "reflexive\n", 1), encoding="utf-8")
    out = ok("agree", study)
    assert out == REFLEXIVE_LINE + "\n"
    data = json.loads(ok("agree", study, "--json"))
    assert data["reason"] == REFLEXIVE_LINE and data["alpha"] is None and data["codes"] == []
    assert not (study / "csv").exists() and "wrote" not in ok("agree", study, "--csv", study / "csv")


def test_a_reflexive_study_refuses_coders_with_the_reason_and_the_fix(study: Path):
    project_file = study / "thematic.yaml"
    project_file.write_text(project_file.read_text(encoding="utf-8").replace("approach: codebook\n", ""), encoding="utf-8")
    message = fails("codes", "accept", study, "oppfolging", "--coder", "anna")
    assert "thematic.yaml: approach is reflexive: in reflexive TA coding is the researcher's interpretive work" in message
    assert "(fix: set approach: codebook or coding-reliability in thematic.yaml" in message
    assert not (study / "analysis" / "2-codes.anna.yaml").exists()


def test_coder_decisions_never_touch_2_codes_or_make_phases_stale(study: Path):
    main = (study / "analysis" / "2-codes.yaml").read_bytes()
    outputs = [ok("codes", "accept", study, "oppfolging", "--coder", "anna"),
               ok("codes", "reject", study, "tid", "--coder", "anna"),
               ok("codes", "rename", study, "samarbeid", "Samarbeid på tvers", "--coder", "anna"),
               ok("codes", "merge", study, "tid", "skreddersom", "--coder", "bjorn"),
               ok("codes", "add", study, "Tidspress", "--item", "mentor-a", "--text", "tiden strekker", "--coder", "bjorn")]
    from thematic.code_review import CodeReview

    review = CodeReview(study, None, None, "id", coder="cato")
    assert review.decide("rejected") == "oppfolging: suggested -> rejected"
    assert review.finish().stale == []
    assert (study / "analysis" / "2-codes.yaml").read_bytes() == main
    assert not any("stale now" in out for out in outputs)
    assert "2-codes.anna.yaml: new, begun from the 4 machine proposals in 2-codes.yaml" in outputs[0]
    anna = {c["id"]: c["decision"] for c in load(study, "2-codes.anna.yaml")["codes"]}
    assert anna == {"samarbeid": "renamed:Samarbeid på tvers", "skreddersom": "pending", "tid": "rejected",
                    "oppfolging": "accepted"}
    assert {c["id"]: c["decision"] for c in load(study, "2-codes.cato.yaml")["codes"]}["oppfolging"] == "rejected"
    assert ok("codes", "list", study, "--coder", "anna", "--json").count('"accepted"') == 1


def test_a_coder_file_starts_from_the_machine_proposals_not_the_agreed_decisions(study: Path):
    ok("codes", "reject", study, "samarbeid")  # the agreed coding, in 2-codes.yaml
    ok("codes", "add", study, "Egen kode", "--item", "mentor-a", "--text", "tiden strekker")
    ok("codes", "accept", study, "oppfolging", "--coder", "anna")
    anna = {c["id"]: c["decision"] for c in load(study, "2-codes.anna.yaml")["codes"]}
    assert anna == {"samarbeid": "pending", "skreddersom": "pending", "tid": "pending", "oppfolging": "accepted"}
    main = (study / "analysis" / "2-codes.yaml").read_text(encoding="utf-8")
    block = main[main.index("- id: samarbeid"):main.index("- id: skreddersom")]
    assert block.replace("decision: rejected", "decision: pending") in (study / "analysis" / "2-codes.anna.yaml").read_text(encoding="utf-8")


def test_a_failed_first_decision_leaves_no_coder_file(study: Path):
    assert "no code 'oppfolgin'; did you mean 'oppfolging'?" in fails("codes", "accept", study, "oppfolgin", "--coder", "anna")
    assert not (study / "analysis" / "2-codes.anna.yaml").exists()


def test_proposals_made_after_a_coder_began_are_added_and_counted(study: Path):
    ok("codes", "accept", study, "tid", "--coder", "anna")
    path = study / "analysis" / "2-codes.anna.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("- id: oppfolging")], encoding="utf-8")  # begun before phase 2 proposed it
    ok("codes", "accept", study, "tid", "--coder", "bjorn")
    result = agreement(study)
    assert result.unused == []  # anna's oppfolging: an undecided suggestion, counted for no one
    assert result.warnings == [f"{path}: 1 code phase 2 proposed since anna began is undecided for anna "
                               "(as the machine proposed them): oppfolging"]
    out = ok("codes", "accept", study, "oppfolging", "--coder", "anna")
    assert "2-codes.anna.yaml: 1 new machine proposal from 2-codes.yaml added" in out
    assert load(study, "2-codes.anna.yaml")["codes"][-1]["decision"] == "accepted"


def test_coder_names_are_slugs_and_agree_needs_two_coders(study: Path):
    assert "coder name 'Anna B' is not a slug: lowercase letters, digits and hyphens (fix: --coder anna-b)" in \
        fails("codes", "accept", study, "tid", "--coder", "Anna B")
    assert "no coder files; agreement needs two or more (fix: thematic codes accept" in fails("agree", study)
    ok("codes", "accept", study, "tid", "--coder", "anna")
    message = fails("agree", study)
    assert "analysis: one coder (anna); agreement needs two or more" in message and "ID --coder NAME" in message
    assert "no coder 'bjrn' (coders found: anna)" in fails("agree", study, "--coders", "anna,bjrn")


def test_a_transcript_changed_since_phase_2_is_refused(study: Path):
    two_coders(study)
    with (study / "interviews" / "mentor-a.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nMentor: Og én ting til.\n")
    assert "2-codes.yaml: made before interviews/mentor-a.txt changed or was added (fix: thematic code" in fails("agree", study)


def test_cohen_kappa_matches_its_definition():
    from thematic.agreement import cohen_kappa

    a, b = np.array([1, 1, 0, 0, 1, 0, 0, 0, 1, 1]), np.array([1, 0, 0, 0, 1, 0, 1, 0, 1, 1])
    p_o, p_e = 0.8, 0.5 * 0.5 + 0.5 * 0.5
    assert cohen_kappa(a, b) == pytest.approx((p_o - p_e) / (1 - p_e))
    assert cohen_kappa(np.ones(4), np.ones(4)) is None
