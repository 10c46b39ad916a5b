"""thematic.written: after a decision edit, status parses only the records whose text changed,
and says what a full parse of the file would say."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import thematic.lock
import thematic.written
from thematic.lock import EDITED, HAND_EDITED, INVALID, STALE, read_lock, states
from thematic.phases import BY_NAME
from thematic.project import load_project
from thematic.written import current, lock_copy, lock_copy_path, pieces


@pytest.fixture()
def study(analysed_example: Path, tmp_path: Path) -> Path:
    target = tmp_path / "study"
    shutil.copytree(analysed_example, target)
    return target


def codes_file(study: Path) -> Path:
    return study / "analysis" / "2-codes.yaml"


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def no_full_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a full parse of an artefact fail the test (the lock itself may still be read)."""
    def refuse(*args, **kwargs):
        raise AssertionError("an artefact was parsed in full")
    monkeypatch.setattr(thematic.lock, "_parsed", refuse)
    monkeypatch.setattr(thematic.lock, "load_artefact", refuse)


def by_phase(study: Path) -> dict[str, tuple[str, str]]:
    return {s.spec.name: (s.status, s.detail) for s in states(load_project(study))}


def full_parse_says(study: Path) -> dict[str, tuple[str, str]]:
    """What status says without the record of the pieces (the full parse of before)."""
    project = load_project(study)
    copy = lock_copy(project)
    assert copy["pieces"]
    lock_copy_path(project).write_text(json.dumps({**copy, "pieces": {}}), encoding="utf-8")
    thematic.lock._DIGESTS.clear()
    thematic.written._CURRENT.clear()
    return by_phase(study)


def test_pieces_are_top_level_keys_and_list_records():
    text = "# mine\nmeta:\n  phase: 2\ncodes:\n- id: a\n  label: A\n\n- id: b\n  notes: ''\nsummary: {}\n"
    assert [(k, i) for k, i, _ in pieces(text)] == [("", -1), ("meta", -1), ("codes", -1), ("codes", 0), ("codes", 1), ("summary", -1)]
    assert "".join(chunk for _, _, chunk in pieces(text)) == text


def test_a_decision_edit_is_read_from_the_changed_record_alone(study: Path, monkeypatch: pytest.MonkeyPatch):
    replace_once(codes_file(study), "decision: suggested", "decision: accepted")
    project = load_project(study)
    now = current(project, BY_NAME["code"])
    assert now is not None and len(now.changes) == 1 and now.changes[0].now["decision"] == "accepted"
    with monkeypatch.context() as patch:
        no_full_parse(patch)
        quick = by_phase(study)
    assert quick["code"][0] == EDITED and {quick[p][0] for p in ("themes", "review", "define", "report")} == {STALE}
    assert quick == full_parse_says(study)


def test_a_machine_field_edited_in_one_record_is_named_as_a_full_parse_names_it(study: Path, monkeypatch: pytest.MonkeyPatch):
    text = codes_file(study).read_text(encoding="utf-8")
    label = next(line for line in text.splitlines() if line.startswith("  label: "))
    replace_once(codes_file(study), label, label + " (endret)")
    with monkeypatch.context() as patch:
        no_full_parse(patch)
        quick = by_phase(study)
    assert quick["code"][0] == HAND_EDITED and ".label" in quick["code"][1]
    assert quick == full_parse_says(study)


def test_an_unknown_decision_is_invalid_with_its_line_as_before(study: Path):
    replace_once(codes_file(study), "decision: suggested", "decision: maybe")
    quick = by_phase(study)
    assert quick["code"][0] == INVALID and "2-codes.yaml:" in quick["code"][1] and "maybe" in quick["code"][1]
    assert quick == full_parse_says(study)


def test_an_edit_beyond_records_is_parsed_in_full(study: Path):
    """A record added (a manual code): the pieces no longer line up, so the whole file is read."""
    text = codes_file(study).read_text(encoding="utf-8")
    at = text.index("\n- id: ", text.index("\ncodes:")) + 1
    manual = "- id: min-egen-kode\n  label: Min egen kode\n  origin: manual\n  decision: accepted\n  extracts: []\n"
    codes_file(study).write_text(text[:at] + manual + text[at:], encoding="utf-8")
    assert current(load_project(study), BY_NAME["code"]) is None
    assert by_phase(study)["code"][0] == EDITED


def test_the_lock_is_read_from_its_json_copy_while_that_is_of_the_same_bytes(study: Path, monkeypatch: pytest.MonkeyPatch):
    project = load_project(study)
    expected = read_lock(project)
    monkeypatch.setattr(thematic.lock, "load_yaml", lambda path: pytest.fail("the lock was parsed"))
    assert read_lock(project) == expected
    monkeypatch.undo()
    replace_once(project.lock_path, "inputs:", "inputs:  ")  # the same data in other bytes
    assert read_lock(project) == expected
