"""The HTML report as a person sees it: rendered by a real headless Chromium to a PNG, which must
be a page (not blank) with the thematic map drawn in it. Skipped where Chromium is not installed,
unless THEMATIC_REQUIRE_CHROMIUM=1 (CI sets it), where a missing browser is a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import invoke
from thematic.thematic_map import PALETTE

WINDOW = (1200, 2000)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("THEMATIC_REQUIRE_CHROMIUM") == "1":
            pytest.fail("THEMATIC_REQUIRE_CHROMIUM=1 but no chromium on PATH (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    return found


def _screenshot(page: Path, png: Path, tmp_path: Path) -> None:
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}",
               f"--window-size={WINDOW[0]},{WINDOW[1]}", page.resolve().as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def _fill(colour: str, opacity: float = 0.15) -> tuple[int, int, int]:
    """A theme box's fill in the map: the theme's colour at 15 % over white."""
    return tuple(round(int(colour[i:i + 2], 16) * opacity + 255 * (1 - opacity)) for i in (1, 3, 5))  # type: ignore[return-value]


def test_the_html_report_renders_with_its_map_in_a_real_browser(tiny_study: Path, tmp_path: Path):
    from PIL import Image

    assert invoke("run", tiny_study).exit_code == 0
    assert invoke("report", tiny_study, "--format", "html").exit_code == 0
    png = tmp_path / "report.png"
    _screenshot(tiny_study / "analysis" / "6-report.html", png, tmp_path)
    image = Image.open(png).convert("RGB")
    assert image.size == WINDOW
    colours = image.getcolors(maxcolors=WINDOW[0] * WINDOW[1])
    assert colours is not None and len(colours) > 500, "a rendered page of text, not a blank one"
    near = {tuple(c) for _, c in colours}
    for colour in PALETTE[:2]:  # the tiny study's two themes
        wanted = _fill(colour)
        found = [c for c in near if all(abs(a - b) <= 3 for a, b in zip(c, wanted))]
        assert found, f"the map's box for the theme coloured {colour} is drawn"
    rows = [y for y in range(WINDOW[1]) if any(all(abs(a - b) <= 3 for a, b in zip(image.getpixel((x, y)), _fill(PALETTE[0])))
                                               for x in range(0, WINDOW[0], 4))]
    assert rows and rows[-1] - rows[0] > 15, "the first theme's box is a box, not a stray pixel"
