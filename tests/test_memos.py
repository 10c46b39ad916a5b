"""Memos and the reflexive journal: the researcher's memos.yaml, appended to, never rewritten,
printed in the report's appendix."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from thematic.errors import ThematicError
from thematic.memos import MEMO_FILE, Memo, append_memo, check_target, memos_about, new_memo, read_memos
from thematic.project import load_project

from helpers import invoke

WHEN = datetime(2025, 3, 4, 10, 15)


def test_a_memo_is_added_at_the_end_and_the_file_before_it_stays_as_written(tiny_study: Path):
    project = load_project(tiny_study)
    own = "# min logg\nmemos:\n- text: Skrevet for hånd.   # egen kommentar\n  date: i går\n"
    (tiny_study / MEMO_FILE).write_text(own, encoding="utf-8")
    append_memo(project, new_memo("Tid er overalt.\nKanskje min egen bakgrunn.", "code", "tid", WHEN))
    text = (tiny_study / MEMO_FILE).read_text(encoding="utf-8")
    assert text.startswith(own)
    assert read_memos(project) == [Memo("i går", "Skrevet for hånd."),
                                   Memo("2025-03-04 10:15", "Tid er overalt.\nKanskje min egen bakgrunn.", "code", "tid")]


def test_the_first_memo_makes_the_file_with_a_header_saying_it_is_yours(tiny_study: Path):
    project = load_project(tiny_study)
    append_memo(project, new_memo("Første dag.", now=WHEN))
    text = (tiny_study / MEMO_FILE).read_text(encoding="utf-8")
    assert text.startswith("# Memos and reflexive journal. This file is yours") and "date: 2025-03-04 10:15" in text
    assert read_memos(project) == [Memo("2025-03-04 10:15", "Første dag.")]


def test_a_file_that_does_not_end_with_its_memos_is_left_alone(tiny_study: Path):
    project = load_project(tiny_study)
    own = "memos:\n- text: en\nandre: notater\n"
    (tiny_study / MEMO_FILE).write_text(own, encoding="utf-8")
    with pytest.raises(ThematicError, match="unknown|cannot add"):
        append_memo(project, new_memo("to", now=WHEN))
    (tiny_study / MEMO_FILE).write_text("memos: []\n", encoding="utf-8")
    with pytest.raises(ThematicError, match="cannot add a memo at its end"):
        append_memo(project, new_memo("to", now=WHEN))
    assert (tiny_study / MEMO_FILE).read_text(encoding="utf-8") == "memos: []\n"


@pytest.mark.parametrize("text, message", [
    ("memos:\n- date: x\n", r"memos.yaml:2: a memo needs text:"),
    ("memos:\n- text: a\n  kode: tid\n", r"memos.yaml:3: unknown key 'kode' in a memo \(keys: date, item, code, theme, text\)"),
    ("memos:\n- text: a\n  code: tid\n  theme: tema-tid\n", r"memos.yaml:4: a memo is about one thing; this one names code and theme"),
    ("memos: {a: 1}\n", r"memos.yaml:1: memos.yaml must hold `memos:` followed by a list"),
])
def test_a_malformed_memo_file_is_one_line_with_its_line(tiny_study: Path, text: str, message: str):
    (tiny_study / MEMO_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ThematicError, match=message):
        read_memos(load_project(tiny_study))


def test_a_memo_names_an_item_code_or_theme_the_study_has(tiny_study: Path):
    project = load_project(tiny_study)
    check_target(project, "item", "mentor-a")
    check_target(project, "code", "whatever")  # no 2-codes.yaml yet: nothing to check against
    assert invoke("run", tiny_study).exit_code == 0
    check_target(project, "code", "tid")
    with pytest.raises(ThematicError, match="no code 'tidd'; did you mean 'tid'"):
        check_target(project, "code", "tidd")
    with pytest.raises(ThematicError, match="no item 'mentor-x'"):
        check_target(project, "item", "mentor-x")
    check_target(project, "theme", "tema-tid")
    with pytest.raises(ThematicError, match="empty"):
        new_memo("  \n")


def test_memos_about_one_thing(tiny_study: Path):
    memos = [Memo("d", "a"), Memo("d", "b", "code", "tid"), Memo("d", "c", "code", "samarbeid")]
    assert memos_about(memos, "code") == memos[1:] and memos_about(memos, "code", "tid") == [memos[1]]


def test_the_journal_is_the_reports_appendix_and_survives_run_force(tiny_study: Path):
    project = load_project(tiny_study)
    append_memo(project, new_memo("Jeg startet med en forforståelse om tid.", now=WHEN))
    append_memo(project, new_memo("Tid er overalt.", "code", "tid", datetime(2025, 3, 5, 9, 0)))
    before = (tiny_study / MEMO_FILE).read_bytes()
    assert invoke("run", tiny_study, "--force").exit_code == 0
    report = (tiny_study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    appendix = report[report.index("## Vedlegg: memoer og refleksiv logg"):]
    assert appendix == ("## Vedlegg: memoer og refleksiv logg\n\n### 2025-03-04 10:15 · studien\n\n"
                        "Jeg startet med en forforståelse om tid.\n\n### 2025-03-05 09:00 · kode tid\n\nTid er overalt.\n")
    assert invoke("run", tiny_study, "--force").exit_code == 0
    assert (tiny_study / MEMO_FILE).read_bytes() == before
    assert (tiny_study / "analysis" / "6-report.md").read_text(encoding="utf-8") == report


def test_without_memos_the_report_has_no_appendix(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    assert "memoer og refleksiv logg" not in (tiny_study / "analysis" / "6-report.md").read_text(encoding="utf-8")


def test_a_new_memo_makes_the_report_stale(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    append_memo(load_project(tiny_study), new_memo("Ny tanke.", now=WHEN))
    assert invoke("run", tiny_study).exit_code == 0
    assert "Ny tanke." in (tiny_study / "analysis" / "6-report.md").read_text(encoding="utf-8")
