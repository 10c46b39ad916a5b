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


def test_report_quotes_every_defined_theme_with_attribution(tiny_study: Path):
    assert CliRunner().invoke(app, ["run", str(tiny_study)]).exit_code == 0
    report = (tiny_study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    themes = yaml.safe_load((tiny_study / "analysis" / "5-themes.yaml").read_text(encoding="utf-8"))["themes"]
    assert themes and "```mermaid" in report and "## Metode" in report
    for theme in themes:
        assert theme["proposed_name"] in report
        for extract in theme["extracts"]:
            assert f"> «{extract['text']}»" in report
    assert "— NAV-veileder, Veileder 1, veiledere, linje" in report
