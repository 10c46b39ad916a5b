"""Small named fixtures: a tiny hand-written study, and a fresh copy of the bundled example."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "arbeidsinkludering"

TINY_CODEBOOK = """\
codebook:
  id: mini
  title: Mini-kodebok
themes:
  - id: tilpasning
    label: Tilpasning
  - id: rammer
    label: Rammer
codes:
  - id: skreddersom
    label: Skreddersøm
    keywords: [skreddersøm, tilpasning]
    theme: tilpasning
  - id: tid
    label: Tid
    keywords: [tid, portefølje]
    theme: rammer
  - id: samarbeid
    label: Samarbeid
    keywords: [samarbeid, "tett oppfølging"]
"""

TINY_INTERVIEWS = {
    "mentor-a.txt": (
        "Intervjuer: Hvordan jobber dere med skreddersøm og tid?\n\n"
        "Mentor: Skreddersømmen er alt for oss. Vi lager tilpasninger hver uke.\n\n"
        "Intervjuer: Mm.\n\n"
        "Mentor: Men tiden strekker ikke til. Porteføljen er for stor, altså.\n"
    ),
    "mentor-b.txt": (
        "Intervjuer: Fortell om samarbeidet.\n\n"
        "Mentor: Samarbeidet med NAV-veilederen er godt. Vi har tett oppfølging av [hen].\n\n"
        "Intervjuer: Ja?\n\n"
        "Mentor: Og skreddersøm, det er det vi driver med. Tiden er knapp.\n"
    ),
    "veiledere.txt": (
        "Intervjuer: Hva med tiden?\n\n"
        "Veileder 1: Vi har ikke tid. Porteføljene våre er altfor store.\n\n"
        "Veileder 2: Nei. Og tilpasningen tar tid, den også.\n\n"
        "Intervjuer: Og samarbeid?\n\n"
        "Veileder 1: Samarbeidet med fastlegen er tett oppfølging i praksis.\n\n"
        "Veileder 2: Ja, skreddersøm krever samarbeid.\n"
    ),
}


def make_tiny_study(root: Path, settings: str = "") -> Path:
    """The tiny study in root/tiny; `settings` are extra top-level lines of its thematic.yaml."""
    study = root / "tiny"
    (study / "interviews").mkdir(parents=True)
    (study / "codebooks").mkdir()
    for name, text in TINY_INTERVIEWS.items():
        (study / "interviews" / name).write_text(text, encoding="utf-8")
    (study / "codebooks" / "mini.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (study / "participants.yaml").write_text(
        "mentor-a: {role: mentor}\nmentor-b: {role: mentor}\n"
        "veiledere:\n  speakers:\n    Veileder 1: {role: NAV-veileder}\n    Veileder 2: {role: NAV-veileder}\n",
        encoding="utf-8",
    )
    (study / "thematic.yaml").write_text(
        f"title: Mini\ncodebooks: [mini]\n{settings}phases:\n  review: {{thin_participants: 2}}\n  define: {{extracts: 3}}\n",
        encoding="utf-8",
    )
    return study


@pytest.fixture()
def tiny_study(tmp_path: Path) -> Path:
    """Three short transcripts and a three-code codebook: fast, and every number checkable by hand."""
    return make_tiny_study(tmp_path)


@pytest.fixture()
def example_study(tmp_path: Path) -> Path:
    """A fresh copy of the bundled example study, without any earlier analysis."""
    target = tmp_path / "arbeidsinkludering"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("analysis", "thematic.lock"))
    return target


@pytest.fixture(scope="session")
def analysed_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example study after one full run, shared by the tests that only read it (copy it
    before changing anything)."""
    from typer.testing import CliRunner

    from thematic.cli import app

    study = tmp_path_factory.mktemp("example") / "arbeidsinkludering"
    shutil.copytree(EXAMPLE, study, ignore=shutil.ignore_patterns("analysis", "thematic.lock"))
    result = CliRunner().invoke(app, ["run", str(study)])
    assert result.exit_code == 0, result.output
    return study
