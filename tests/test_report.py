import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from thematic.cli import app
from thematic.corpus import Document
from thematic.errors import StaleQuoteError
from thematic.extracts import verify_quote

DOC = Document("mentor-a", Path("interviews/mentor-a.txt"), "0" * 64, "Mentor: Tiden strekker ikke til.\n", ())


def test_a_quote_that_still_matches_its_span_passes():
    verify_quote(DOC, {"id": "q", "item": "mentor-a", "span": [8, 32], "text": "Tiden strekker ikke til."}, "5-themes.yaml")


@pytest.mark.parametrize("extract", [
    {"id": "q", "item": "mentor-a", "span": [8, 32], "text": "Tiden strekker godt til."},
    {"id": "q", "item": "mentor-a", "text": "Ikke i teksten."},
])
def test_a_stale_quote_is_refused_with_file_and_line(extract):
    with pytest.raises(StaleQuoteError) as info:
        verify_quote(DOC, dict(extract, line=1), "5-themes.yaml")
    assert "no longer matches interviews/mentor-a.txt:1" in str(info.value)


def quoted(report: str) -> list[str]:
    """The passages the Markdown report quotes (> «...»)."""
    return re.findall(r"^> «(.*)»$", report, re.M)


def test_report_quotes_every_defined_theme_with_attribution(tiny_study: Path):
    assert CliRunner().invoke(app, ["run", str(tiny_study)]).exit_code == 0
    report = (tiny_study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    themes = yaml.safe_load((tiny_study / "analysis" / "5-themes.yaml").read_text(encoding="utf-8"))["themes"]
    assert themes and "```mermaid" in report and "## Metode" in report
    passages = quoted(report)
    for theme in themes:
        assert theme["proposed_name"] in report
        for extract in theme["extracts"]:
            assert any(extract["text"] in passage for passage in passages), extract["text"]
    assert "— NAV-veileder, Veileder 1, veiledere, linje" in report


def _without_codebook(study: Path) -> Path:
    (study / "thematic.yaml").write_text("title: Mini\nphases:\n  review: {thin_participants: 2}\n", encoding="utf-8")
    return study


def test_an_untouched_run_without_a_codebook_gives_a_draft_marked_in_every_artefact_and_the_report(tiny_study: Path):
    study = _without_codebook(tiny_study)
    assert CliRunner().invoke(app, ["run", str(study)]).exit_code == 0
    analysis = study / "analysis"
    themes = yaml.safe_load((analysis / "3-candidate-themes.yaml").read_text(encoding="utf-8"))
    assert [t for t in themes["themes"] if t["id"] != "diverse"], "a draft has themes"
    for name in ("3-candidate-themes.yaml", "4-reviewed-themes.yaml", "5-themes.yaml"):
        assert yaml.safe_load((analysis / name).read_text(encoding="utf-8"))["draft"].startswith("Utkast: ingen koder er godtatt")
    report = (analysis / "6-report.md").read_text(encoding="utf-8")
    assert report.splitlines()[2].startswith("> **Utkast: ingen koder er godtatt ennå")
    assert "Ingen kodebok ble brukt" in report and "forskeren godtok 0, avviste 0" in report
    assert "Ingen av temaene er navngitt av forskeren ennå" in report and "definert og navngitt av forskeren" not in report


def test_accepting_a_suggestion_turns_the_draft_into_the_analysis(tiny_study: Path):
    study = _without_codebook(tiny_study)
    assert CliRunner().invoke(app, ["run", str(study)]).exit_code == 0
    codes_file = study / "analysis" / "2-codes.yaml"
    codes = yaml.safe_load(codes_file.read_text(encoding="utf-8"))["codes"]
    accepted = [c["id"] for c in codes if c["decision"] == "suggested"][:2]
    text = codes_file.read_text(encoding="utf-8")
    for code in accepted:
        at = text.index("decision: suggested", text.index(f"- id: {code}\n"))
        text = text[:at] + "decision: accepted" + text[at + len("decision: suggested"):]
    codes_file.write_text(text, encoding="utf-8")
    assert CliRunner().invoke(app, ["run", str(study)]).exit_code == 0
    themes = yaml.safe_load((study / "analysis" / "3-candidate-themes.yaml").read_text(encoding="utf-8"))
    assert "draft" not in themes
    assert sorted(c for t in themes["themes"] for c in t["codes"]) == sorted(accepted)
    report = (study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    assert "Utkast" not in report and f"forskeren godtok {len(accepted)}, avviste 0" in report


def test_a_timed_transcript_is_quoted_with_the_time_of_the_turn(tiny_study: Path):
    (tiny_study / "interviews" / "mentor-a.txt").write_text(
        "[00:00:05] Intervjuer: Hvordan jobber dere med skreddersøm og tid?\n\n"
        "[00:12:03] Mentor: Skreddersømmen er alt for oss. Vi lager tilpasninger hver uke.\n\n"
        "[00:12:30] Intervjuer: Mm.\n\n"
        "[00:12:41] Mentor: Men tiden strekker ikke til. Porteføljen er for stor, altså.\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["run", str(tiny_study)]).exit_code == 0
    report = (tiny_study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    assert "> «Skreddersømmen er alt for oss. Vi lager tilpasninger hver uke.»\n> — mentor, Mentor, mentor-a, 00:12:03" in report
    assert "> — mentor, Mentor, mentor-a, 00:12:41" in report and "mentor-a, linje" not in report
    assert "— mentor, Mentor, mentor-b, linje 7" in report, "an untimed transcript keeps its line"


def _checklist_row(report: str, number: int) -> str:
    appendix = report[report.index("## Vedlegg: Braun og Clarkes sjekkliste"):]
    return next(line for line in appendix.splitlines() if line.startswith(f"| {number} |"))


def test_the_report_ends_with_the_braun_and_clarke_checklist_which_follows_the_narratives(tiny_study: Path):
    assert CliRunner().invoke(app, ["run", str(tiny_study)]).exit_code == 0
    path = tiny_study / "analysis" / "6-report.md"
    assert "se på dette" in _checklist_row(path.read_text(encoding="utf-8"), 8)  # no narrative yet
    themes_path = tiny_study / "analysis" / "5-themes.yaml"
    text = themes_path.read_text(encoding="utf-8")
    themes_path.write_text(text.replace("narrative: ''", "narrative: Et mønster av tillit som bygges over tid."), encoding="utf-8")
    assert CliRunner().invoke(app, ["run", str(tiny_study)]).exit_code == 0
    assert "oppfylt" in _checklist_row(path.read_text(encoding="utf-8"), 8)
