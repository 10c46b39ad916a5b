"""Package versions read from the dist-info folders agree with importlib.metadata, without it."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from thematic import versions


@pytest.mark.parametrize("package", ["spacy", "spacy-lookups-data", "spacy_lookups_data", "wordfreq", "PyYAML",
                                     "typer", "rich", "numpy", "blank", "nb_core_news_sm", "no-such-package"])
def test_the_same_version_importlib_metadata_gives(package: str):
    try:
        expected = metadata.version(package)
    except metadata.PackageNotFoundError:
        expected = None
    assert versions.installed_version(package) == expected


def test_a_status_asks_for_versions_without_importing_importlib_metadata():
    code = ("import sys; from thematic.versions import installed_version; "
            "v = [installed_version(p) for p in ('spacy', 'spacy-lookups-data', 'wordfreq', 'blank')]; "
            "print(all(v[:3]), v[3], 'importlib.metadata' in sys.modules, 'email' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "None", "False", "False"]


def _dist_info(folder: Path, name: str, version: str) -> None:
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nbody\n", encoding="utf-8")


def test_the_first_folder_on_the_path_wins_and_two_installs_are_left_to_importlib(tmp_path: Path, monkeypatch):
    first, second = tmp_path / "a", tmp_path / "b"
    _dist_info(first, "pakke_x", "1.0")
    _dist_info(second, "pakke_x", "2.0")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(first), str(second)])
    assert versions._from_dist_info("pakke-x") == "1.0"
    _dist_info(first, "pakke_x", "1.1")
    assert versions._from_dist_info("Pakke.X") is versions._UNSURE
    monkeypatch.setattr(sys, "path", [str(second)])
    assert versions._from_dist_info("pakke-y") is None


def test_a_required_package_that_is_missing_is_said_as_importlib_says_it():
    assert versions.required_version("wordfreq") == metadata.version("wordfreq")
    with pytest.raises(metadata.PackageNotFoundError):
        versions.required_version("no-such-package")
