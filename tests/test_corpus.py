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


def test_unlabelled_text_is_one_informant_turn_per_paragraph_each_an_anonymous_voice():
    # Nothing tells the people of an unlabelled text apart, so each paragraph is its own voice,
    # never the file (it used to be participant "essay": a file of quotes counted as one person).
    turns = split_turns("essay", "Første.\n\nAndre avsnitt.\n", LABELS)
    assert [(t.text, t.role, t.participant) for t in turns] == [
        ("Første.", INFORMANT, "essay#1"), ("Andre avsnitt.", INFORMANT, "essay#2")]


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


def _study(tmp_path: Path, files: dict[str, str], participants: str | None = None):
    from thematic.project import load_project

    root = tmp_path / "s"
    (root / "interviews").mkdir(parents=True)
    for name, text in files.items():
        (root / "interviews" / name).write_text(text, encoding="utf-8")
    (root / "thematic.yaml").write_text("codebooks: []\n", encoding="utf-8")
    if participants is not None:
        (root / "participants.yaml").write_text(participants, encoding="utf-8")
    return load_project(root)


GROUP = "Intervjuer: Hei.\n\nDeltaker: Ja.\n\nDeltaker: Nei.\n\nIntervjuer: Mm.\n\nDeltaker: Kanskje.\n"


@pytest.mark.parametrize("voices, ids", [
    ("", ["gruppe", "gruppe", "gruppe"]),
    ("gruppe: {voices: labels}\n", ["gruppe", "gruppe", "gruppe"]),
    ("gruppe: {voices: anonymous}\n", ["gruppe#2", "gruppe#3", "gruppe#5"]),
])
def test_voices_in_participants_yaml_say_who_can_be_told_apart(tmp_path: Path, voices: str, ids: list[str]):
    from thematic.corpus import load_corpus

    (doc,), _ = load_corpus(_study(tmp_path, {"gruppe.txt": GROUP}, voices))
    assert [t.participant for t in doc.informant_turns] == ids
    assert doc.participants == (["gruppe"] if ids[0] == "gruppe" else [])  # a voice is never a person
    assert doc.voices == ([] if ids[0] == "gruppe" else ids)


def test_voices_one_makes_an_unlabelled_text_one_person(tmp_path: Path):
    from thematic.corpus import load_corpus

    (doc,), _ = load_corpus(_study(tmp_path, {"essay.txt": "Første.\n\nAndre.\n"}, "essay: {voices: one}\n"))
    assert [t.participant for t in doc.informant_turns] == ["essay", "essay"] and doc.voices == []


@pytest.mark.parametrize("files, participants, message", [
    ({"gruppe.txt": GROUP}, "gruppe:\n  type: gruppe\n  voices: mange\n", "participants.yaml:3: voices of 'gruppe' is 'mange'; allowed: labels, anonymous, one"),
    ({"essay.txt": "Første.\n\nAndre.\n"}, "essay: {voices: labels}\n", "allowed: one or anonymous (the file has no speaker labels)"),
])
def test_a_wrong_voices_value_is_one_error_naming_the_line(tmp_path: Path, files: dict, participants: str, message: str):
    from thematic.corpus import load_corpus
    from thematic.errors import ArtefactError

    with pytest.raises(ArtefactError) as info:
        load_corpus(_study(tmp_path, files, participants))
    assert message in str(info.value)


def test_one_label_that_keeps_following_itself_gets_a_hint_not_a_change(tmp_path: Path):
    from thematic.corpus import load_corpus

    many = "Intervjuer: Hei.\n\n" + "Deltaker: Ja.\n\n" * 4
    (doc,), warnings = load_corpus(_study(tmp_path, {"gruppe.txt": many}))
    assert {t.participant for t in doc.informant_turns} == {"gruppe"}
    assert len(warnings) == 1 and "3 turns labelled 'Deltaker' follow another" in warnings[0]
    assert "voices: anonymous under gruppe in participants.yaml" in warnings[0]
    (_,), quiet = load_corpus(_study(tmp_path / "x", {"gruppe.txt": many}, "gruppe: {voices: labels}\n"))
    (_,), mentor = load_corpus(_study(tmp_path / "y", {"m.txt": "Intervjuer: Hei.\n\n" + "Mentor: Ja.\n\nIntervjuer: Mm.\n\n" * 4}))
    assert quiet == [] and mentor == []


def test_a_report_or_export_inside_an_analysis_folder_is_never_read_as_a_transcript(tiny_study: Path):
    from thematic.corpus import corpus_paths
    from thematic.project import load_project

    before = corpus_paths(load_project(tiny_study))
    (tiny_study / "thematic.yaml").write_text((tiny_study / "thematic.yaml").read_text(encoding="utf-8")
                                              + "corpus:\n  include: ['**/*.txt']\n", encoding="utf-8")
    variant = tiny_study / "analyse-r10"
    (variant / ".thematic").mkdir(parents=True)
    (variant / "extracts.txt").write_text("Mentor: ikke et intervju\n", encoding="utf-8")
    assert corpus_paths(load_project(tiny_study)) == before
