from pathlib import Path

import pytest

from thematic.corpus import INFORMANT, INTERVIEWER, PREAMBLE, read_document, split_turns
from thematic.errors import CorpusError

LABELS = {"Intervjuer", "I"}


def test_group_interview_turns_have_roles_participants_spans_and_lines():
    text = "Intervjuer: Hei.\n\nVeileder 1: Vi har\nfor mye.\n\nVeileder 2: Enig.\n\nVeileder 1: Ja.\n"
    turns = split_turns("gruppe", text, LABELS)
    assert [(t.speaker, t.role, t.participant) for t in turns] == [
        ("Intervjuer", INTERVIEWER, None),
        ("Veileder 1", INFORMANT, "gruppe/veileder-1"),
        ("Veileder 2", INFORMANT, "gruppe/veileder-2"),
        ("Veileder 1", INFORMANT, "gruppe/veileder-1"),
    ]
    second = turns[1]
    assert text[second.start:second.end] == "Vi har\nfor mye." == second.text
    assert second.line == 3


def test_single_informant_is_the_item_and_continuation_paragraphs_stay_in_the_turn():
    text = "Intervjuer: Hvordan?\n\nMentor: Første avsnitt.\n\nAndre avsnitt.\n\nIntervjuer: Mm.\n\nMentor: Ja.\n"
    turns = split_turns("mentor-01", text, LABELS)
    assert turns[1].participant == "mentor-01"
    assert turns[1].text == "Første avsnitt.\n\nAndre avsnitt."


def test_text_before_the_first_label_is_preamble_and_one_off_colons_are_not_speakers():
    text = "Notat om intervjuet.\n\nIntervjuer: Start.\n\nMentor: Det er sånn: vi prøver.\n\nMentor: Igjen.\n"
    turns = split_turns("m", text, LABELS)
    assert turns[0].role == PREAMBLE
    assert [t.speaker for t in turns[1:]] == ["Intervjuer", "Mentor", "Mentor"]
    text2 = "Intervjuer: Start.\n\nMentor: a\n\nMentor: b\nSånn: det er en setning.\n"
    assert "Sånn" not in {t.speaker for t in split_turns("m", text2, LABELS)}


def test_unlabelled_text_is_one_informant_turn_per_paragraph():
    turns = split_turns("essay", "Første.\n\nAndre avsnitt.\n", LABELS)
    assert [(t.text, t.role, t.participant) for t in turns] == [
        ("Første.", INFORMANT, "essay"), ("Andre avsnitt.", INFORMANT, "essay")]


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\x00\x01\x02binary", "binary"),
    ("Intervjuer: blåbær ".encode() + "og bringebær".encode("latin-1"), "mixes UTF-8 with another encoding"),
])
def test_bad_files_give_one_clear_error_naming_the_file(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError) as info:
        read_document(path, LABELS)
    assert str(path) in str(info.value) and message in str(info.value)


def test_bom_and_windows_newlines_are_read_as_plain_text(tmp_path: Path):
    path = tmp_path / "x.txt"
    path.write_bytes("\ufeffIntervjuer: Hei.\r\n\r\nMentor: Æøå.\r\n\r\nMentor: Ja.\r\n".encode("utf-8"))
    doc = read_document(path, LABELS)
    assert doc.turns[1].text == "Æøå." and doc.turns[1].line == 3


def test_unlabelled_paragraphs_are_found_from_blank_lines_even_in_one_huge_line():
    from thematic.corpus import _paragraph_turns

    text = "  Første avsnitt,\nsamme avsnitt.\n \t\n[00:01:02] Andre avsnitt.\n\n\n   \nTredje " + "ord " * 200_000
    turns = _paragraph_turns("sitater", text)
    assert [(t.index, t.time, t.line) for t in turns] == [(1, None, 1), (2, "00:01:02", 4), (3, None, 8)]
    assert text[turns[0].start:turns[0].end] == "Første avsnitt,\nsamme avsnitt."
    assert text[turns[1].start:turns[1].end] == "Andre avsnitt."
    assert turns[2].end == len(text.rstrip())  # a turn ends at its last word
