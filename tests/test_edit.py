"""Surgical YAML edits: the value changes, every other byte of the file stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from thematic.artefacts import Flow
from thematic.codes import check_decision
from thematic.edit import Editable
from thematic.errors import ArtefactError

TEXT = """\
# my comment
moves: {}
themes:
- id: a   # trailing
  name: ''
  definition: |
    old text

  codes: [x, y]
  extracts:
  - id: e1
    text: hei
  # about b
- id: b
  name: Bee
  notes: ''
last: 1
"""


@pytest.fixture()
def doc(tmp_path: Path) -> Editable:
    path = tmp_path / "t.yaml"
    path.write_text(TEXT, encoding="utf-8")
    return Editable.open(path)


def test_a_value_is_replaced_in_place_and_quoted_when_it_needs_it(doc: Editable):
    assert doc.set(("themes", 0, "name"), "renamed:Unge menn: overgang")
    doc.save()
    text = doc.path.read_text(encoding="utf-8")
    assert text == TEXT.replace("  name: ''\n", "  name: 'renamed:Unge menn: overgang'\n", 1)
    assert yaml.safe_load(text)["themes"][0]["name"] == "renamed:Unge menn: overgang"


def test_a_flow_mapping_stays_a_flow_mapping_so_a_second_edit_finds_it(doc: Editable):
    doc.set(("moves", "x"), "tema-b")
    doc.set(("moves", "y"), "diverse")
    assert doc.render() == TEXT.replace("moves: {}", "moves: {x: tema-b, y: diverse}")


def test_a_missing_key_is_a_new_line_at_the_records_indentation(doc: Editable):
    doc.set(("themes", 1, "chosen_extracts"), Flow(["e1"]))
    doc.set(("themes", 1, "chosen_extracts"), Flow(["e1", "e2"]))
    assert doc.render() == TEXT.replace("  notes: ''\n", "  notes: ''\n  chosen_extracts: [e1, e2]\n")


def test_a_block_text_is_replaced_without_its_blank_lines_and_a_list_item_appended(doc: Editable):
    doc.set(("themes", 0, "definition"), "ny\ntekst")
    doc.append(("themes", 0, "extracts"), {"id": "e2", "text": "ja: nei"})
    doc.set(("themes", 0, "chosen_extracts"), Flow(["e2"]))
    text = doc.render()
    assert "  definition: |-\n    ny\n    tekst\n\n  codes: [x, y]\n  chosen_extracts: [e2]\n" in text
    assert "    text: hei\n  - id: e2\n    text: 'ja: nei'\n  # about b\n" in text
    assert yaml.safe_load(text) == doc.data


def test_setting_the_same_value_changes_nothing_and_delete_removes_one_line(doc: Editable):
    assert not doc.set(("themes", 1, "name"), "Bee")
    assert not doc.save()
    assert doc.delete(("themes", 1, "notes"))
    assert doc.render() == TEXT.replace("  notes: ''\n", "")


def test_crlf_files_stay_crlf(tmp_path: Path):
    path = tmp_path / "w.yaml"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode())
    doc = Editable.open(path)
    doc.set(("last",), 2)
    doc.save()
    assert path.read_bytes() == TEXT.replace("last: 1", "last: 2").replace("\n", "\r\n").encode()


@pytest.mark.parametrize("value, hint", [
    ("accept", "did you mean 'accepted'?"),
    ("rejekted", "did you mean 'rejected'?"),
    ("merge:tid", "did you mean 'merged:tid'?"),
    ("merged:tidd", "did you mean 'tid'?"),
])
def test_a_wrong_decision_says_what_was_meant(value: str, hint: str):
    assert hint in check_decision(value, {"tid": {}, "angst": {}}, "angst")


def test_an_edit_undone_after_a_save_is_written_back(doc: Editable):
    doc.set(("last",), 2)
    assert doc.save()
    doc.set(("last",), 1)
    assert doc.save() and not doc.changed
    assert doc.path.read_text(encoding="utf-8") == TEXT


def test_a_file_changed_on_disk_since_it_was_read_is_not_overwritten(doc: Editable):
    doc.set(("last",), 2)
    doc.path.write_text(TEXT.replace("Bee", "Bie"), encoding="utf-8")
    with pytest.raises(ArtefactError, match="changed since it was read"):
        doc.save()
    assert "Bie" in doc.path.read_text(encoding="utf-8")
