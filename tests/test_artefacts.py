from pathlib import Path

import pytest

from thematic.artefacts import Flow, canonical_hash, dumps, load_yaml, without_fields, write_atomic
from thematic.errors import ArtefactError


def test_dumps_keeps_order_unicode_and_flow_lists():
    text = dumps({"id": "skreddersom", "label": "Skreddersøm", "span": Flow([3, 9]), "map": "a\nb\n"})
    assert text == "id: skreddersom\nlabel: Skreddersøm\nspan: [3, 9]\nmap: |\n  a\n  b\n"


def test_dumps_is_deterministic_and_never_uses_aliases():
    shared = {"x": 1}
    text = dumps({"a": shared, "b": shared})
    assert "&" not in text and "*" not in text
    assert dumps({"a": shared, "b": shared}) == text


def test_write_atomic_replaces_and_leaves_no_temp_files(tmp_path: Path):
    target = tmp_path / "sub" / "a.yaml"
    write_atomic(target, "one\n")
    write_atomic(target, "two\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.yaml"]


def load_error(path: Path, text: str) -> str:
    """The one-line error load_yaml gives for a file holding text."""
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArtefactError) as info:
        load_yaml(path)
    return str(info.value)


def test_syntax_error_names_file_line_and_column(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    message = load_error(path, "codes:\n  - id: a\n    decision: [unclosed\n")
    assert message.startswith(f"{path}:") and "invalid YAML" in message


def test_line_of_finds_nested_fields(tmp_path: Path):
    path = tmp_path / "a.yaml"
    path.write_text("meta: {}\ncodes:\n- id: a\n  decision: pending\n- id: b\n  decision: maybe\n", encoding="utf-8")
    loaded = load_yaml(path)
    assert loaded.line_of(["codes", 1, "decision"]) == 6
    assert str(loaded.error(["codes", 1, "decision"], "bad")) == f"{path}:6: bad"


def test_memo_fields_do_not_change_the_semantic_hash():
    a = {"codes": [{"id": "x", "notes": "", "decision": "pending"}]}
    b = {"codes": [{"id": "x", "notes": "a memo", "decision": "pending"}]}
    assert canonical_hash(without_fields(a, {"notes"})) == canonical_hash(without_fields(b, {"notes"}))
    assert canonical_hash(a) != canonical_hash(b)


def test_written_files_get_the_usual_mode_not_mkstemps_0600(tmp_path: Path):
    import os

    target = tmp_path / "a.yaml"
    umask = os.umask(0o022)
    try:
        write_atomic(target, "x\n")
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o640)
    write_atomic(target, "y\n")
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_control_character_gives_one_line_with_file_line_and_column(tmp_path: Path):
    path = tmp_path / "codes.yaml"
    message = load_error(path, "codes:\n- id: økonomi\n  notes: 'særs\x07 viktig'\n")
    assert message == f"{path}:3:15: invalid YAML: control character U+0007 is not allowed; delete it"


def test_an_unquoted_colon_in_a_hand_edit_says_the_fix_with_its_line(tmp_path: Path):
    path = tmp_path / "2-codes.yaml"
    message = load_error(path, "codes:\n- id: a\n  decision: renamed:Unge menn: overgang\n")
    assert message.startswith(f"{path}:3:")
    assert "decision: 'renamed:Unge menn: overgang'" in message and "\n" not in message
