"""saturation: the code-discovery curve, the band over random orders, Guest, Namey & Chen's
verdict where the approach gives it a meaning, the order participants.yaml gives, the picture."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from thematic.errors import ThematicError
from thematic.project import Project, load_project
from thematic.saturation import (
    INFORMATION_POWER, REFLEXIVE_NOTE, _result, assess, check_settings, guest_namey_chen, new_per_position, percentile,
)

from helpers import invoke

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _masks(*items: str) -> list[int]:
    """Interviews as bit masks of codes written as letters: "ab" has codes a and b."""
    return [sum(1 << (ord(c) - ord("a")) for c in item) for item in items]


def _copy(study: Path, tmp_path: Path, approach: str | None = None) -> Path:
    target = tmp_path / study.name
    shutil.copytree(study, target)
    if approach:
        project_file = target / "thematic.yaml"
        project_file.write_text(project_file.read_text(encoding="utf-8") + f"approach: {approach}\n", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def analysed_ungdom(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second example study (group, survey and Nynorsk items, no codebook) after one run."""
    study = tmp_path_factory.mktemp("ungdom") / "ungdom-jobbstotte"
    shutil.copytree(EXAMPLES / "ungdom-jobbstotte", study,
                    ignore=shutil.ignore_patterns("analysis", "thematic.lock", ".thematic-run.lock"))
    result = invoke("run", study)
    assert result.exit_code == 0, result.output
    return study


# Guest, Namey & Chen on hand-made orders: every number checkable by hand

def test_saturation_is_the_interview_before_the_first_run_with_little_new():
    # base a,b,c,d (4 codes); run 3-4 adds e (25%); run 4-5 adds nothing new beyond e -> at 3
    verdict = guest_namey_chen(_masks("ab", "cd", "e", "a", "b", "f"), base=2, run_length=2, threshold=0.05)
    assert verdict.base_codes == 4
    assert [(r.first, r.last, r.new) for r in verdict.runs] == [(3, 4, 1), (4, 5, 0)]
    assert verdict.at == 3 and verdict.deciding == verdict.runs[-1]


def test_a_run_that_keeps_adding_codes_never_reaches_it():
    verdict = guest_namey_chen(_masks("ab", "c", "d", "e"), base=1, run_length=1, threshold=0.05)
    assert verdict.at is None and verdict.deciding is None and len(verdict.runs) == 3
    assert [r.ratio for r in verdict.runs] == [0.5, 0.5, 0.5]


def test_the_threshold_is_at_most_not_less_than():
    codes = "abcdefghijklmnopqrst"  # 20 codes in the base: one new code is exactly 5%
    assert guest_namey_chen(_masks(codes, "u", "u"), base=1, run_length=1, threshold=0.05).at == 1
    assert guest_namey_chen(_masks(codes, "u", "u"), base=1, run_length=1, threshold=0.04).at == 2


def test_too_few_interviews_or_a_base_without_codes_is_not_assessed():
    assert "needs at least 6 interviews (base 4 + run 2); the study has 5" in guest_namey_chen(_masks(*"abcde"), 4, 2, 0.05).why
    assert guest_namey_chen(_masks("", "", "a"), 2, 1, 0.05).why == "interviews 1-2 have no codes that count"


def test_new_codes_per_position_and_percentiles():
    assert new_per_position(_masks("ab", "bc", "abc", "d")) == [2, 1, 0, 1]
    assert percentile([0, 1, 2, 3, 4], 0.5) == 2 and percentile([0, 10], 0.1) == 1.0


def test_settings_the_method_cannot_mean_are_refused():
    with pytest.raises(ThematicError, match="--threshold 5: a share of the base's codes"):
        check_settings(200, 4, 2, 5)
    with pytest.raises(ThematicError, match="both must be at least 1"):
        check_settings(200, 0, 2, 0.05)


def test_a_large_study_is_charted_in_bins_with_the_band_of_the_sums(tmp_path: Path):
    project = Project(tmp_path, {"approach": "codebook", "analysis_dir": "analysis"})
    items = [f"i{n:03d}" for n in range(100)]
    masks = [1 << (n % 30) for n in range(100)]
    settings = {"runs": 20, "seed": 0, "base": 4, "run_length": 2, "threshold": 0.05}
    result = _result(project, items, "file", "file order", masks, [f"c{k}" for k in range(30)], False, settings, [])
    rows = result.chart(40)
    assert len(rows) == 34 and rows[0].label == "1-3" and rows[-1].label == "100"
    assert sum(r.new for r in rows) == 30 and rows[-1].total == 30
    first = sorted(sum(order[:3]) for order in result.orders)
    assert rows[0].band.min == first[0] and rows[0].band.max == first[-1]


# The command on the example studies

def test_a_reflexive_study_says_so_first_and_gives_no_verdict(analysed_example: Path):
    result = invoke("saturation", analysed_example)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == REFLEXIVE_NOTE
    assert "verdict:" not in result.output and "random orders:" not in result.output
    for dimension, _ in INFORMATION_POWER:
        assert f"  {dimension}: " in result.output
    data = json.loads(invoke("saturation", analysed_example, "--json").output)
    assert data["approach"] == "reflexive" and data["framing"] == REFLEXIVE_NOTE
    assert data["verdict"] is None and len(data["information_power"]) == 5
    assert [i["item"] for i in data["interviews"]][:2] == ["gruppe-01", "gruppe-02"]
    picture = (analysed_example / "analysis" / "saturation.svg").read_text(encoding="utf-8")
    assert "Kun til informasjon: Braun &amp; Clarke (2021)" in picture and "basen" not in picture


def test_the_chart_fits_80_columns_and_counts_every_code_once(analysed_example: Path):
    result = invoke("saturation", analysed_example)
    chart = [line for line in result.output.splitlines() if "█" in line or "░" in line]
    assert len(chart) >= 9 and all(len(line) <= 80 for line in chart)
    data = json.loads(invoke("saturation", analysed_example, "--json").output)
    found = [code for i in data["interviews"] for code in i["new_codes"]]
    assert len(found) == len(set(found)) == data["codes"] == data["interviews"][-1]["total"]


def test_a_codebook_study_gets_the_verdict_and_its_run_marked(analysed_example: Path, tmp_path: Path):
    study = _copy(analysed_example, tmp_path, "codebook")
    result = invoke("saturation", study)
    assert result.exit_code == 0, result.output
    assert REFLEXIVE_NOTE not in result.output and "Information power" not in result.output
    verdict = next(line for line in result.output.splitlines() if line.startswith("verdict: "))
    assert verdict.startswith("verdict: saturation at interview 4: interviews 5-6 added 1 new code, 3% of the 29")
    assert "random orders: reached in " in result.output
    picture = (study / "analysis" / "saturation.svg").read_text(encoding="utf-8")
    assert "Metning ved intervju 4: intervju 5–6 ga 1 ny kode" in picture and "løpet" in picture


def test_removing_interviews_changes_the_curve_and_the_verdict(analysed_example: Path, tmp_path: Path):
    study = _copy(analysed_example, tmp_path, "codebook")
    before = assess(load_project(study))
    for name in ("gruppe-01", "gruppe-02", "gruppe-03"):
        (study / "interviews" / f"{name}.txt").unlink()
    assert invoke("run", study).exit_code == 0
    fewer = assess(load_project(study))
    assert fewer.items == before.items[3:] and fewer.new != before.new[3:]
    assert fewer.verdict_text() != before.verdict_text()
    found = fewer.totals[-1]
    assert found < fewer.codes == before.codes  # codes found only in the group interviews
    assert f"7 interviews, {found} of the {fewer.codes} codes that count found in them" in invoke("saturation", study).output
    for name in ("mentor-03", "mentor-04", "mentor-05", "mentor-06"):
        (study / "interviews" / f"{name}.txt").unlink()
    assert invoke("run", study).exit_code == 0
    result = invoke("saturation", study)
    assert "verdict: not assessable: needs at least 6 interviews (base 4 + run 2); the study has 3" in result.output
    assert "Kan ikke vurderes: metoden trenger minst 6 intervjuer, studien har 3." in \
        (study / "analysis" / "saturation.svg").read_text(encoding="utf-8")


def test_the_same_seed_gives_the_same_output_and_picture(analysed_example: Path, tmp_path: Path):
    study = _copy(analysed_example, tmp_path, "coding-reliability")
    image = study / "analysis" / "saturation.svg"
    first = invoke("saturation", study, "--seed", "7", "--runs", "50")
    picture = image.read_bytes()
    again = invoke("saturation", study, "--seed", "7", "--runs", "50")
    assert first.output == again.output and image.read_bytes() == picture
    other = json.loads(invoke("saturation", study, "--seed", "8", "--runs", "50", "--json").output)
    same = json.loads(invoke("saturation", study, "--seed", "7", "--runs", "50", "--json").output)
    assert [i["band"] for i in other["interviews"]] != [i["band"] for i in same["interviews"]]
    assert [i["new"] for i in other["interviews"]] == [i["new"] for i in same["interviews"]]


def test_the_second_example_gives_its_curve_as_a_draft(analysed_ungdom: Path, tmp_path: Path):
    study = _copy(analysed_ungdom, tmp_path, "codebook")
    data = json.loads(invoke("saturation", study, "--json").output)
    assert len(data["interviews"]) == 9 and data["draft"] is True
    assert data["verdict"]["reached"] in (True, False) and data["verdict"]["text"]
    assert data["random_orders"]["orders"] == 200
    assert "draft: no code is accepted yet" in invoke("saturation", study).output


# The order participants.yaml gives

def _with_attributes(study: Path, attributes: dict[str, str]) -> None:
    lines = [f"{item}: {{{value}}}" for item, value in attributes.items()]
    (study / "participants.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_dates_give_the_collection_order_and_say_so(tiny_study: Path):
    assert invoke("code", tiny_study).exit_code == 0
    _with_attributes(tiny_study, {"mentor-a": "date: 2024-03-05", "mentor-b": "date: 1.2.2024", "veiledere": "date: 2024-02-20"})
    data = json.loads(invoke("saturation", tiny_study, "--json").output)
    assert [i["item"] for i in data["interviews"]] == ["mentor-b", "veiledere", "mentor-a"]
    assert data["order"] == {"kind": "date", "note": "collection order (date: in participants.yaml; ties in file order)"}
    _with_attributes(tiny_study, {"mentor-a": "rekkefølge: 2", "mentor-b": "rekkefølge: 3", "veiledere": "rekkefølge: 1"})
    data = json.loads(invoke("saturation", tiny_study, "--json").output)
    assert [i["item"] for i in data["interviews"]] == ["veiledere", "mentor-a", "mentor-b"]


def test_an_order_for_only_some_interviews_falls_back_to_file_order_with_a_warning(tiny_study: Path):
    assert invoke("code", tiny_study).exit_code == 0
    _with_attributes(tiny_study, {"mentor-a": "date: 2024-03-05", "mentor-b": "role: mentor"})
    result = invoke("saturation", tiny_study)
    assert "warning: participants.yaml: date: given for 1 of 3 interviews (not for mentor-b, veiledere); file order used" \
        in result.output
    assert "order: file order" in result.output


def test_a_date_that_is_not_one_is_refused_with_its_line(tiny_study: Path):
    assert invoke("code", tiny_study).exit_code == 0
    _with_attributes(tiny_study, {"mentor-a": "date: 2024-03-05", "mentor-b": "date: 31.2.2024", "veiledere": "date: 2024-02-20"})
    result = invoke("saturation", tiny_study)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "participants.yaml:2: mentor-b: date: '31.2.2024' is not a date such as 2024-03-05 or 5.3.2024" in result.output


def test_before_phase_2_it_says_which_command_to_run(tiny_study: Path):
    result = invoke("saturation", tiny_study)
    assert result.exit_code == 1 and "fix: thematic run" in result.output
