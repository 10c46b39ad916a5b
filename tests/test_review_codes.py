"""thematic review-codes on a real pseudo-terminal (pexpect), 80 columns wide, as over ssh."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import load

pexpect = pytest.importorskip("pexpect")


@pytest.fixture()
def study(analysed_example: Path, tmp_path: Path) -> Path:
    target = tmp_path / "studie"
    shutil.copytree(analysed_example, target)
    return target


def spawn(study: Path, *args: str):  # type: ignore[no-untyped-def]
    env = dict(os.environ, TERM="xterm", COLUMNS="80", LINES="24")
    child = pexpect.spawn(sys.executable, ["-m", "thematic", "review-codes", str(study), *args],
                          env=env, dimensions=(24, 80), encoding="utf-8", timeout=60)
    return child


ANSI = r"(?:\x1b\[[0-9;]*m)*"


def shown(text: str) -> str:
    """A pattern for text as the terminal shows it: styles (escape codes) may sit anywhere in it."""
    return ANSI.join(re.escape(ch) for ch in text)


def decisions(study: Path) -> dict[str, str]:
    return {c["id"]: c["decision"] for c in load(study, "2-codes.yaml")["codes"]}


def first_suggestions(study: Path, n: int) -> list[str]:
    codes = [c for c in load(study, "2-codes.yaml")["codes"] if c["decision"] == "suggested"]
    return [c["id"] for c in sorted(codes, key=lambda c: (-c["evidence"]["score"], c["id"]))][:n]


def test_accept_one_reject_one_quit_and_both_are_written(study: Path):
    first, second, third = first_suggestions(study, 3)
    child = spawn(study)
    child.expect(shown("[1/") + r"\d+" + shown(f"] {first}"))
    child.expect(shown("evidence: score"))
    child.expect(shown("forms: "))
    child.expect("> ")
    child.send("a")
    child.expect(shown(f"{first}: suggested -> accepted"))
    child.expect(shown("[2/") + r"\d+" + shown(f"] {second}"))
    child.expect("> ")
    child.send("r")
    child.expect(shown(f"{second}: suggested -> rejected"))
    child.expect(shown("[3/") + r"\d+" + shown(f"] {third}"))
    child.expect("> ")
    child.send("q")
    child.expect(shown("stale now: 3 themes, 4 review, 5 define, 6 report"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    found = decisions(study)
    assert (found[first], found[second], found[third]) == ("accepted", "rejected", "suggested")


def test_merge_completes_code_ids_undo_puts_it_back_and_every_line_fits_80_columns(study: Path):
    first = first_suggestions(study, 1)[0]
    child = spawn(study)
    child.logfile_read = transcript = io.StringIO()
    child.expect("> ")
    child.send("m")
    child.expect("into")
    child.send("tidspre\t")
    child.send("\r")
    child.expect(shown(f"{first}: suggested -> merged:tidspress"))
    assert decisions(study)[first] == "merged:tidspress"
    child.expect("> ")
    child.send("u")
    child.expect(shown(f"undone: {first}: merged:tidspress -> suggested"))
    child.expect(shown("[1/") + r"\d+" + shown(f"] {first}"))
    child.expect("> ")
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", transcript.getvalue()).replace("\r", "")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert decisions(study)[first] == "suggested"
    assert screen.count("\n") > 10 and all(len(line) <= 80 for line in screen.split("\n"))


def test_without_a_terminal_it_refuses_politely_and_names_the_script_commands(study: Path):
    result = subprocess.run([sys.executable, "-m", "thematic", "review-codes", str(study)],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs a terminal" in lines[0] and "thematic codes accept|reject|rename|merge" in lines[0]
