"""thematic anonymise: a pseudonymised copy, consistent pseudonyms, a key kept apart, a report
that names no original, and originals that are never touched."""

from __future__ import annotations

from pathlib import Path

import re

import pytest
import yaml
from typer.testing import CliRunner

from thematic.anonymise import anonymise
from thematic.cli import app
from thematic.corpus import read_document
from thematic.errors import ProjectError, ThematicError
from thematic.names import Replacer, is_initial, likely_names

INTERVIEW = (
    "Intervjuer: Hvordan møtte du mentoren?\n\n"
    "Kari Hansen: Jeg møtte Ola på lageret i Sørvik. Han var snill, og hun på kontoret også.\n\n"
    "Intervjuer: Og NAV?\n\n"
    "Kari Hansen: Veilederen min, Fatima, ringte Karis sjef hver uke. Vi bor i Norge.\n"
)
ORIGINALS = ["Kari", "Hansen", "Ola", "Sørvik", "Fatima"]


def study_with(root: Path, interview: str, participants: str, title: str, names: str) -> Path:
    """A one-transcript study with its participants, title and name list."""
    (root / "interviews").mkdir(parents=True)
    (root / "interviews" / "intervju-1.txt").write_text(interview, encoding="utf-8")
    (root / "participants.yaml").write_text(participants, encoding="utf-8")
    (root / "thematic.yaml").write_text(f"title: {title}\ncorpus: {{interviewer_labels: [Intervjuer]}}\n", encoding="utf-8")
    (root / "navn.yaml").write_text(names, encoding="utf-8")
    return root


@pytest.fixture()
def named_study(tmp_path: Path) -> Path:
    return study_with(tmp_path / "studie", INTERVIEW,
                      "intervju-1:\n  speakers:\n    Kari Hansen: {role: deltaker, bosted: Sørvik}\n",
                      "Navn", "names: [Ola, Per Persen]\nplaces: [Sørvik]\n")


def every_file_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file())


def test_copy_replaces_listed_and_detected_names_consistently(named_study: Path, tmp_path: Path):
    before = {p: p.read_bytes() for p in named_study.rglob("*") if p.is_file()}
    done = anonymise(named_study, tmp_path / "kopi", named_study / "navn.yaml", pronouns=True)
    text = (tmp_path / "kopi" / "interviews" / "intervju-1.txt").read_text(encoding="utf-8")
    assert text == (
        "Intervjuer: Hvordan møtte du mentoren?\n\n"
        "[navn 2]: Jeg møtte [navn 1] på lageret i [sted 1]. [hen] var snill, og [hen] på kontoret også.\n\n"
        "Intervjuer: Og NAV?\n\n"
        "[navn 2]: Veilederen min, [navn 3], ringte [navn 2]s sjef hver uke. Vi bor i Norge.\n"
    )
    assert {(t.original, t.pseudonym, t.origin) for t in done.terms} == {
        ("Ola", "[navn 1]", "list"), ("Sørvik", "[sted 1]", "list"), ("Kari Hansen", "[navn 2]", "speaker"),
        ("Fatima", "[navn 3]", "detected"), ("Kari", "[navn 2]", "detected"), ("Hansen", "[navn 2]", "detected")}
    assert done.unused == ["Per Persen"]
    assert {p: p.read_bytes() for p in named_study.rglob("*") if p.is_file() and p != done.key} == before


def test_key_is_apart_and_the_copy_names_no_original(named_study: Path, tmp_path: Path):
    done = anonymise(named_study, tmp_path / "kopi", named_study / "navn.yaml")
    assert done.key == named_study / "anonymisation-key.yaml"
    key = yaml.safe_load(done.key.read_text(encoding="utf-8"))
    assert {"original": "Fatima", "pseudonym": "[navn 3]", "kind": "navn", "origin": "detected"} in key["terms"]
    copy = every_file_text(tmp_path / "kopi")
    assert not [name for name in ORIGINALS if name in copy]
    report = yaml.safe_load((tmp_path / "kopi" / "anonymisation-report.yaml").read_text(encoding="utf-8"))
    assert report["items"]["intervju-1"]["replaced"]["[navn 2]"] == [3, 7, 7]
    participants = yaml.safe_load((tmp_path / "kopi" / "participants.yaml").read_text(encoding="utf-8"))
    assert participants == {"intervju-1": {"speakers": {"[navn 2]": {"role": "deltaker", "bosted": "[sted 1]"}}}}


def test_the_copy_is_a_study_that_runs_with_pseudonymised_speakers(named_study: Path, tmp_path: Path):
    anonymise(named_study, tmp_path / "kopi", named_study / "navn.yaml")
    doc = read_document(tmp_path / "kopi" / "interviews" / "intervju-1.txt", {"Intervjuer"})
    assert [t.speaker for t in doc.turns] == ["Intervjuer", "[navn 2]", "Intervjuer", "[navn 2]"]
    result = CliRunner().invoke(app, ["familiarise", str(tmp_path / "kopi")])
    assert result.exit_code == 0, result.output


def test_cli_prints_the_terms_and_where_it_wrote(named_study: Path, tmp_path: Path):
    result = CliRunner().invoke(app, ["anonymise", str(named_study), "--names", str(named_study / "navn.yaml"),
                                      "--out", str(tmp_path / "kopi"), "--hen"])
    assert result.exit_code == 0, result.output
    assert "[navn 3]" in result.output and "Fatima" in result.output and "detected" in result.output
    assert "not found anywhere in the study (transcripts, participants.yaml, thematic.yaml): Per Persen" in result.output.replace("\n", " ")


@pytest.mark.parametrize("out, key, message", [
    (".", None, "must go to a folder outside"),
    ("kopi", "kopi/nokkel.yaml", "kept apart from the pseudonymised copy"),
])
def test_refuses_to_write_into_the_study_or_put_the_key_in_the_copy(named_study: Path, tmp_path: Path, out, key, message):
    out_path = named_study if out == "." else tmp_path / out
    with pytest.raises(ProjectError, match=message):
        anonymise(named_study, out_path, key=tmp_path / key if key else None)


def test_refuses_a_non_empty_output_folder_and_an_existing_key(named_study: Path, tmp_path: Path):
    anonymise(named_study, tmp_path / "kopi")
    with pytest.raises(ProjectError, match="already exists and is not empty"):
        anonymise(named_study, tmp_path / "kopi", key=tmp_path / "ny-nokkel.yaml")
    with pytest.raises(ProjectError, match="not overwriting a key"):
        anonymise(named_study, tmp_path / "kopi-2")


def test_no_detect_replaces_only_the_list_and_keep_protects_words(named_study: Path, tmp_path: Path):
    done = anonymise(named_study, tmp_path / "kopi", named_study / "navn.yaml", detect=False)
    assert {t.original for t in done.terms} == {"Ola", "Sørvik"}
    (named_study / "navn.yaml").write_text("names: [Ola]\nkeep: [Fatima]\n", encoding="utf-8")
    again = anonymise(named_study, tmp_path / "kopi-2", named_study / "navn.yaml", key=tmp_path / "k2.yaml")
    assert "Fatima" not in {t.original for t in again.terms}


def test_likely_names_are_capitalised_non_initial_and_unknown_or_proper():
    known = {"kari": "N:Kari", "hansen": "N:Hansen", "lageret": "N:lager", "norge": "N:Norge", "ok": None}.get
    text = "Lageret var fint. Der møtte jeg Kari Hansen og Xerxes. (ler) Ok, sa Kari. Vi bor i Norge."
    assert list(likely_names(text, known)) == ["Kari Hansen", "Xerxes", "Kari"]
    assert is_initial("Hei. Kari", 5) and is_initial("[00:12:03] Kari", 11) and not is_initial("og Kari", 3)


def test_replacer_keeps_genitives_and_whole_words_only():
    replace = Replacer({"Ola": "[navn 1]"}, pronouns=True)
    assert replace("Ola og Olas bil, ikke Olav. Han og hennes.") == "[navn 1] og [navn 1]s bil, ikke Olav. [hen] og [hens]."


# The acceptance test of the "Trust" issue: a name list and a transcript full of its variants.
VARIANTS = (
    "Intervjuer: Kan du fortelle om Ole Bakken?\n\n"
    "Ole Bakken: Jeg heter Ole Bakken, men alle sier bare Ole. Oles kone og Ole's bror bor i Sørvik.\n"
    "OLE BAKKEN står det på døra, ole bakken på postkassa, og vi gikk opp bakken.\n\n"
    "Intervjuer: Og Bakken selv, og «Ole»?\n\n"
    "Ole: Bakkens verksted ligger i Elvestad. Anne-Grethe Moe jobber der, og Anne-Grethe sier\n"
    "at Anne og Grethe er to navn. Moes datter er fra sørvik. Ole Hansen og Hansens bror kom, og Ole\n"
    "Bakken var med, og Ole \n Bakken også. Anne-\nGrethe Moe kjørte til ELVESTAD.\n\n"
    "Intervjuer: Takk, Ole.\n\n"
    "Ole Bakken: Bare hyggelig. Hilsen Oles og Bakkens familie.\n"
)
NAME_LIST = "names: [Ole Bakken, Ole Hansen, Anne-Grethe Moe, Per Persen]\nplaces: [Sørvik, Elvestad]\n"
# pseudonym -> every replacement in the copy (transcript, participants.yaml, thematic.yaml)
EXPECTED_COUNTS = {
    "[navn 1]": 14,  # Ole Bakken: 2 + 2 labels + 2 line-broken, OLE BAKKEN, ole bakken, bakken, Bakken,
                     # Bakkens x2 (transcript); speaker (participants.yaml); title (thematic.yaml)
    "[navn 2]": 2,   # Ole Hansen, and Hansen alone in Hansens: a form of one listed name only
    "[navn 3]": 7,   # Anne-Grethe Moe: 2 full (one line-broken), Anne-Grethe, Anne, Grethe, Moes; speaker
    "[navn 4]": 1,   # Per Persen, only in participants.yaml
    "[sted 1]": 3,   # Sørvik, sørvik; bosted
    "[sted 2]": 2,   # Elvestad, ELVESTAD
    "[navn 5]": 7,   # Ole alone, shared by Ole Bakken and Ole Hansen: Ole x2, «Ole», label, Oles x2, Ole's
}


@pytest.fixture()
def variant_study(tmp_path: Path) -> Path:
    return study_with(tmp_path / "varianter", VARIANTS,
                      "intervju-1:\n  intervjuet_av: Per Persen\n  speakers:\n"
                      "    Ole Bakken: {role: deltaker, bosted: Sørvik}\n    Anne-Grethe Moe: {role: leder}\n",
                      "Samtaler med ole bakken", NAME_LIST)


def listed_parts() -> set[str]:
    names = yaml.safe_load(NAME_LIST)
    return {part for entry in names["names"] + names["places"] for part in re.split(r"[\s-]+", entry)}


def test_no_listed_name_is_left_in_any_form_anywhere_in_the_copy(variant_study: Path, tmp_path: Path):
    anonymise(variant_study, tmp_path / "kopi", variant_study / "navn.yaml")
    copy = every_file_text(tmp_path / "kopi")
    for part in listed_parts():
        left = re.findall(rf"(?<!\w){re.escape(part)}(?:s|['’]s?)?(?!\w)", copy, re.IGNORECASE)
        assert not left, f"{part}: {left}"
    text = (tmp_path / "kopi" / "interviews" / "intervju-1.txt").read_text(encoding="utf-8")
    assert text.count("\n") == VARIANTS.count("\n")
    assert "i [sted 2]. [navn 3] jobber der" in text and "og [navn 1]\n var med" in text


def test_the_key_and_the_counts_name_every_replacement(variant_study: Path, tmp_path: Path):
    done = anonymise(variant_study, tmp_path / "kopi", variant_study / "navn.yaml")
    key = yaml.safe_load(done.key.read_text(encoding="utf-8"))
    assert [(t["original"], t["pseudonym"], t["kind"], t["origin"]) for t in key["terms"]] == [
        ("Ole Bakken", "[navn 1]", "navn", "list"), ("Ole Hansen", "[navn 2]", "navn", "list"),
        ("Anne-Grethe Moe", "[navn 3]", "navn", "list"), ("Per Persen", "[navn 4]", "navn", "list"),
        ("Sørvik", "[sted 1]", "sted", "list"), ("Elvestad", "[sted 2]", "sted", "list"),
        ("Ole", "[navn 5]", "navn", "list")]
    assert key["unused"] == []
    copy = "\n".join((tmp_path / "kopi" / name).read_text(encoding="utf-8")
                     for name in ("interviews/intervju-1.txt", "participants.yaml", "thematic.yaml"))
    assert {p: copy.count(p) for p in EXPECTED_COUNTS} == EXPECTED_COUNTS
    assert {p: done.counts[p] for p in EXPECTED_COUNTS} == EXPECTED_COUNTS
    assert any("'bakken' is also a common word; its 1 lower-case uses" in w for w in done.warnings)


def test_keep_leaves_the_common_word_and_says_nothing(variant_study: Path, tmp_path: Path):
    (variant_study / "navn.yaml").write_text(NAME_LIST + "keep: [bakken]\n", encoding="utf-8")
    done = anonymise(variant_study, tmp_path / "kopi", variant_study / "navn.yaml")
    text = (tmp_path / "kopi" / "interviews" / "intervju-1.txt").read_text(encoding="utf-8")
    assert "vi gikk opp bakken." in text and "[navn 1] på postkassa" in text
    assert not [w for w in done.warnings if "common word" in w]


def test_a_detected_place_is_filed_as_a_place(named_study: Path, tmp_path: Path):
    (named_study / "interviews" / "intervju-2.txt").write_text(
        "Kari Hansen: Jeg bor i Elvestad, nær Fjordvik, og har en venn som heter Nordvik.\n", encoding="utf-8")
    done = anonymise(named_study, tmp_path / "kopi", named_study / "navn.yaml")
    kinds = {t.original: t.kind for t in done.terms}
    assert kinds["Elvestad"] == kinds["Fjordvik"] == "sted" and kinds["Nordvik"] == "navn"


def test_cli_bug_report_first_name_alone_is_replaced_and_counted(tmp_path: Path):
    study = tmp_path / "studie"
    (study / "interviews").mkdir(parents=True)
    (study / "interviews" / "i.txt").write_text(
        "Intervjuer: Hvem?\n\nInformant: Han heter Ole Bakken. Da ringer jeg Ole, og Ole svarer alltid\n", encoding="utf-8")
    (study / "thematic.yaml").write_text("title: Navn\n", encoding="utf-8")
    (study / "navn.yaml").write_text("names: [Ole Bakken]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["anonymise", str(study), "--names", str(study / "navn.yaml"), "--out", str(tmp_path / "kopi")])
    assert result.exit_code == 0, result.output
    assert re.search(r"\[navn 1\]\s*│\s*Ole Bakken\s*│\s*navn\s*│\s*list\s*│\s*3\s*│", result.output), result.output
    assert (tmp_path / "kopi" / "interviews" / "i.txt").read_text(encoding="utf-8").endswith(
        "Han heter [navn 1]. Da ringer jeg [navn 1], og [navn 1] svarer alltid\n")


def test_a_list_entry_without_a_letter_is_refused(named_study: Path, tmp_path: Path):
    (named_study / "navn.yaml").write_text("names: [Ola]\nplaces: ['-']\n", encoding="utf-8")
    with pytest.raises(ThematicError, match="places must be a list of one-line names"):
        anonymise(named_study, tmp_path / "kopi", named_study / "navn.yaml")
