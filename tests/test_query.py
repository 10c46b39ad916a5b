"""find and show: lemma search in context, filters, codes on hits, extracts in their turns, and
the query index phase 2 writes beside the extracts."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import thematic.corpus as corpus
from thematic import view as query_view
from thematic.corpus import read_document
from thematic.errors import ThematicError
from thematic.query import Filters, find, show_code, show_item, show_theme
from thematic.store import STORE_FILE, store_matches
from thematic.view import open_view

from conftest import TINY_CODEBOOK, TINY_INTERVIEWS
from helpers import invoke, load
from office_files import docx_paragraphs

EXTRA = (
    "Intervjuer: Hvordan er oppfølgingen av arbeidsgiverne?\n\n"
    "Mentor: Arbeidsgiveroppfølgingen tar mest tid. Oppfølging av bedriften er viktig.\n\n"
    "Intervjuer: Og skreddersøm?\n\n"
    "Mentor: Tett oppfølging, og tett og god oppfølging.\n"
)


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny study plus an interview with compounds and an interviewer asking about the
    words, and a .docx whose lines are paragraphs; run once, read by every test."""
    root = tmp_path_factory.mktemp("query") / "study"
    (root / "interviews").mkdir(parents=True)
    (root / "codebooks").mkdir()
    for name, text in {**TINY_INTERVIEWS, "mentor-c.txt": EXTRA}.items():
        (root / "interviews" / name).write_text(text, encoding="utf-8")
    (root / "interviews" / "samtale.docx").write_bytes(docx_paragraphs(
        "Intervjuer: Fortell om portefølje.", "Mentor: Porteføljen er stor.", "Mentor: Og tiden går."))
    (root / "codebooks" / "mini.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (root / "participants.yaml").write_text(
        "mentor-a: {role: mentor}\nmentor-b: {role: mentor}\nmentor-c: {role: mentor, bransje: lager}\n"
        "veiledere:\n  speakers:\n    Veileder 1: {role: NAV-veileder}\n    Veileder 2: {role: NAV-veileder}\n",
        encoding="utf-8")
    (root / "thematic.yaml").write_text("title: Mini\ncodebooks: [mini]\n", encoding="utf-8")
    result = invoke("run", root)
    assert result.exit_code == 0, result.output
    return root


def copy_of(study: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(study, target)
    return target


def test_a_lemma_finds_its_inflections_and_no_interviewer_turn_unless_asked(study: Path):
    view = open_view(study)
    found = find(view, "oppfølging")
    assert {h.match for h in found.hits} == {"Oppfølging", "oppfølging"}
    assert all(h.role == "informant" for h in found.hits) and found.lemmas == ["oppfølging"]
    asked = find(view, "oppfølging", filters=Filters(interviewer=True))
    assert [h.match for h in asked.hits if h.role == "interviewer"] == ["oppfølgingen"]
    assert find(view, "skreddersøm").per_item == {"mentor-a": 1, "mentor-b": 1, "veiledere": 1}
    assert [h.match for h in find(view, "skreddersøm").hits][:1] == ["Skreddersømmen"]


def test_coded_starts_are_where_the_counted_coded_extracts_start(study: Path):
    view = open_view(study)
    every = [s for item in view.index.by_id for s in view.coded_starts(item)]
    assert every and all(view.coded_starts(item) == [s for s, _, _ in view.coded_in(item)] for item in view.index.by_id)
    counted = {k for k, name in enumerate(view.index.codes) if name in view.code_of}
    assert len(every) == sum(k in counted for item in view.index.by_id for k in view.index.coded(item)[2])


def test_an_inflected_query_finds_what_its_lemma_finds(study: Path):
    view = open_view(study)
    assert find(view, "skreddersømmen").hits == find(view, "skreddersøm").hits
    assert find(view, "tiden").hits == find(view, "tid").hits


def test_compounds_only_when_asked(study: Path):
    view = open_view(study)
    assert "Arbeidsgiveroppfølgingen" not in {h.match for h in find(view, "oppfølging").hits}
    found = find(view, "oppfølging", compounds=True)
    assert "Arbeidsgiveroppfølgingen" in {h.match for h in found.hits}
    assert "arbeidsgiveroppfølging" in found.lemmas


def test_a_phrase_is_one_lemma_after_the_other(study: Path):
    found = find(open_view(study), "tett oppfølging")
    assert [(h.item, h.match) for h in found.hits] == [("mentor-b", "tett oppfølging"), ("mentor-c", "Tett oppfølging"),
                                                        ("veiledere", "tett oppfølging")]


def test_every_hit_says_where_it_is_who_said_it_and_which_codes_are_on_it(study: Path):
    hit = find(open_view(study), "porteføljene", filters=Filters(items=("veiledere",))).hits[0]
    assert (hit.item, hit.participant, hit.speaker, hit.turn, hit.line) == ("veiledere", "veiledere/veileder-1", "Veileder 1", 2, 3)
    assert hit.left == "Vi har ikke tid. " and hit.right == " våre er altfor store." and hit.codes == ("tid",)
    found = find(open_view(study), "tid")
    assert found.per_participant["veiledere/veileder-2"] == 1 and sum(found.per_item.values()) == len(found.hits)


def test_an_office_file_hit_is_on_the_paragraph_the_reader_numbers(study: Path):
    hit = find(open_view(study), "tid").hits
    docx = next(h for h in hit if h.item == "samtale")
    assert docx.line == read_document(study / "interviews" / "samtale.docx", {"Intervjuer"}).line_at(docx.start)


def test_regex_searches_the_text_and_a_bad_pattern_is_one_line(study: Path):
    found = find(open_view(study), r"\[hen\]", regex=True)
    assert [h.item for h in found.hits] == ["mentor-b"] and found.hits[0].match == "[hen]"
    with pytest.raises(ThematicError, match="not a valid regular expression"):
        find(open_view(study), "(", regex=True)


def test_filters_by_item_speaker_participant_and_attribute(study: Path):
    view = open_view(study)
    assert {h.item for h in find(view, "tid", filters=Filters(items=("veiledere",))).hits} == {"veiledere"}
    assert {h.speaker for h in find(view, "tid", filters=Filters(speakers=("veileder 2",))).hits} == {"Veileder 2"}
    assert {h.participant for h in find(view, "tid", filters=Filters(participants=("mentor-a",))).hits} == {"mentor-a"}
    roles = find(view, "tid", filters=Filters(where=(("role", "NAV-veileder"),)))
    assert roles.hits and {h.item for h in roles.hits} == {"veiledere"}
    assert {h.item for h in find(view, "tid", filters=Filters(where=(("bransje", "lager"),))).hits} == {"mentor-c"}
    with pytest.raises(ThematicError, match=r"participants.yaml: no attribute 'kontor' \(attributes: bransje, role\)"):
        find(view, "tid", filters=Filters(where=(("kontor", "x"),)))
    with pytest.raises(ThematicError, match="no item 'mentor-x'"):
        find(view, "tid", filters=Filters(items=("mentor-x",)))


def test_an_unknown_word_finds_nothing_and_says_so(study: Path):
    found = find(open_view(study), "helikopter")
    assert found.hits == [] and found.warnings == ["no word in the data has the lemma or form 'helikopter'"]


def test_codes_on_hits_and_shown_codes_follow_the_decisions(study: Path, tmp_path: Path):
    copy = copy_of(study, tmp_path)
    path = copy / "analysis" / "2-codes.yaml"
    text = path.read_text(encoding="utf-8")
    text = _decide(_decide(text, "tid", "rejected"), "skreddersom", "renamed:Tilpasning")
    path.write_text(text, encoding="utf-8")
    view = open_view(copy)
    hit = find(view, "porteføljene", filters=Filters(items=("veiledere",))).hits[0]
    assert hit.codes == ()
    assert find(view, "skreddersøm").hits[0].codes == ("tilpasning",)
    assert show_code(view, "skreddersom").id == "tilpasning"
    with pytest.raises(ThematicError, match="code 'tid': it is rejected, so it counts nowhere"):
        show_code(view, "tid")


def _decide(text: str, code: str, decision: str) -> str:
    at = text.index("decision: pending", text.index(f"- id: {code}\n"))
    return text[:at] + f"decision: {decision}" + text[at + len("decision: pending"):]


def test_show_code_gives_every_extract_inside_its_turn(study: Path):
    codes = {c["id"]: c for c in load(study, "2-codes.yaml")["codes"]}
    shown = show_code(open_view(study), "tid")
    assert len(shown.extracts) == codes["tid"]["extracts_total"]
    for s in shown.extracts:
        start, end = s.extract["span"]
        assert s.turn_text[start - s.turn_start:end - s.turn_start] == s.extract["text"] and "tid" in s.codes
    assert shown.participants == codes["tid"]["evidence"]["participants"]


def test_show_theme_gives_its_codes_extracts_once_each(study: Path):
    theme = load(study, "5-themes.yaml")["themes"][0]
    shown = show_theme(open_view(study), theme["id"])
    assert len(shown.extracts) == theme["prevalence"]["extracts"]
    assert len({s.extract["id"] for s in shown.extracts}) == len(shown.extracts)
    with pytest.raises(ThematicError, match="no theme 'tema-x'"):
        show_theme(open_view(study), "tema-x")


def test_show_item_gives_its_turns_with_their_coded_extracts(study: Path):
    turns = show_item(open_view(study), "mentor-a")
    assert [t.speaker for t in turns] == ["Intervjuer", "Mentor", "Intervjuer", "Mentor"]
    assert turns[0].coded == () and turns[1].coded[0][2] == ("skreddersom",)
    one = show_item(open_view(study), "mentor-a", turn=4)
    assert [t.index for t in one] == [4] and one[0].text.startswith("Men tiden")
    with pytest.raises(ThematicError, match="no turn 9"):
        show_item(open_view(study), "mentor-a", turn=9)


def test_a_query_after_a_transcript_edit_warns_that_it_answers_from_the_last_run(study: Path, tmp_path: Path):
    copy = copy_of(study, tmp_path)
    with (copy / "interviews" / "mentor-a.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nMentor: Ny tekst.\n")
    (copy / "interviews" / "mentor-d.txt").write_text("Mentor: Hei.\n\nMentor: Ja.\n", encoding="utf-8")
    warnings = open_view(copy).warnings
    assert len(warnings) == 1 and "interviews/mentor-a.txt changed, interviews/mentor-d.txt is new" in warnings[0]


def test_a_store_the_lock_does_not_name_is_refused_with_the_command_that_mends_it(study: Path, tmp_path: Path):
    copy = copy_of(study, tmp_path)
    store = copy / "analysis" / ".thematic" / STORE_FILE
    with sqlite3.connect(store) as db:
        db.execute("UPDATE meta SET value = 'x' WHERE key = 'digest'")
    with pytest.raises(ThematicError, match="does not belong to 2-codes.yaml.*thematic run"):
        open_view(copy)
    store.unlink()
    with pytest.raises(ThematicError, match="missing"):
        open_view(copy)


def test_a_store_without_the_index_makes_phase_2_stale(study: Path, tmp_path: Path):
    copy = copy_of(study, tmp_path)
    store = copy / "analysis" / ".thematic" / STORE_FILE
    digest = load(copy, "2-codes.yaml")["extract_store"]["digest"]
    assert store_matches(store, digest)
    with sqlite3.connect(store) as db:
        db.execute("DELETE FROM meta WHERE key = 'index'")
    assert not store_matches(store, digest)
    with pytest.raises(ThematicError, match="has no query index"):
        open_view(copy)
    assert invoke("run", copy).exit_code == 0 and store_matches(store, digest)


def test_the_view_names_voices_as_the_corpus_does():
    assert query_view.VOICE_MARK == getattr(corpus, "VOICE_MARK", query_view.VOICE_MARK)


def test_a_warm_query_process_imports_no_reader_and_no_pipeline(study: Path):
    """Plain-text hits need no reader: only an office file's line map or a hand-written extract does."""
    import subprocess
    import sys

    open_view(study)  # the first query after a run parses 2-codes.yaml once (then the JSON copy)
    code = ("import sys; from pathlib import Path; from thematic.view import open_view; from thematic.query import find; "
            f"find(open_view(Path({str(study)!r})), 'skreddersøm'); "
            "print(sorted(m for m in sys.modules if m.startswith(('thematic.readers', 'thematic.nlp.pipeline', 'spacy'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
