"""thematic import: studies made from REFI-QDA projects and codebooks as NVivo, ATLAS.ti, MAXQDA,
QualCoder and Taguette write them (tests/refi_files.py), and every way such a file can be bad."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import yaml
from helpers import invoke
from refi_files import PROGRAMS, Fixture, gid, nested_qdc, project, selection, taguette_qdc

from office_files import docx_paragraphs, package
from thematic.codebook import load_codebook
from thematic.exchange import qdpx_read
from thematic.exchange.qdpx_import import import_study


def write(tmp_path: Path, fixture: Fixture, suffix: str = ".qdpx") -> Path:
    path = tmp_path / f"{fixture.name}{suffix}"
    path.write_bytes(fixture.data)
    return path


def imported(tmp_path: Path, name: str) -> tuple[Fixture, Path, object]:
    fixture = PROGRAMS[name]()
    study = tmp_path / "studie"
    result = invoke("import", write(tmp_path, fixture), study)
    assert result.exit_code == 0, result.output
    return fixture, study, result


def manual_codes(study: Path) -> dict[str, dict]:
    data = yaml.safe_load((study / "analysis" / "2-codes.yaml").read_text(encoding="utf-8"))
    return {c["label"]: c for c in data["codes"] if c.get("origin") == "manual"}


def extracts_of(codes: dict[str, dict]) -> set[tuple[str, str, str]]:
    return {(label, e["item"], e["text"]) for label, code in codes.items() for e in code["extracts"]}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_each_programs_export_becomes_a_study_with_exactly_its_codings(tmp_path: Path, name: str):
    fixture, study, result = imported(tmp_path, name)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (study / "interviews").glob("*.txt")}
    assert {k.lower().replace(" ", "-"): v for k, v in texts.items()} == fixture.texts
    codes = manual_codes(study)
    assert extracts_of(codes) == fixture.extracts
    for code in codes.values():
        assert code["decision"] == "accepted"
        for extract in code["extracts"]:  # the span is the text's place in the transcript as thematic reads it
            start, end = extract["span"]
            assert fixture.texts[extract["item"]][start:end] == extract["text"]
            assert extract["id"].startswith(f"{extract['item']}:{start}")
    assert {label: code.get("theme_hint") for label, code in codes.items()} == fixture.hints
    lost = result.output.split("not mapped")[1]
    for words in fixture.lost:
        assert words in lost, (words, result.output)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_cases_and_notes_become_participants_and_memos(tmp_path: Path, name: str):
    fixture, study, _ = imported(tmp_path, name)
    people = study / "participants.yaml"
    found = yaml.safe_load(people.read_text(encoding="utf-8")) if people.is_file() else {}
    assert found == fixture.participants
    memos_file = study / "memos.yaml"
    memos = yaml.safe_load(memos_file.read_text(encoding="utf-8"))["memos"] if memos_file.is_file() else []
    for about, target, words in fixture.memos:
        assert any(words in m["text"] and m.get(about) == target for m in memos if about != "study") or \
            any(words in m["text"] and not ({"item", "code", "theme"} & m.keys()) for m in memos if about == "study"), \
            (about, target, words, memos)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_a_run_after_import_carries_the_imported_codings_to_phases_3_to_6(tmp_path: Path, name: str):
    from thematic.codes import counted_codes
    from thematic.context import Context
    from thematic.extracts import coded
    from thematic.project import load_project

    fixture, study, _ = imported(tmp_path, name)
    result = invoke("run", study)
    assert result.exit_code == 0, result.output
    assert extracts_of(manual_codes(study)) == fixture.extracts
    counted, draft = counted_codes(coded(Context(load_project(study))))  # what phases 3-6 read
    labels = {c["id"]: label for label, c in manual_codes(study).items()}
    seen = {(labels[c.id], e["item"], e["text"]) for c in counted if c.id in labels for e in c.extracts}
    assert not draft and seen == fixture.extracts
    spans = {(e["item"], tuple(e["span"])) for c in counted if c.id in labels for e in c.extracts}
    assert all(fixture.texts[item][a:b] for item, (a, b) in spans)
    placed = {c if isinstance(c, str) else c["id"]
              for t in yaml.safe_load((study / "analysis" / "3-candidate-themes.yaml").read_text(encoding="utf-8"))["themes"]
              for c in t["codes"]}
    assert {c.id for c in counted if c.id in labels and c.extracts} <= placed
    assert (study / "analysis" / "6-report.md").is_file()


def test_the_report_names_every_part_and_the_next_step(tmp_path: Path):
    _, study, result = imported(tmp_path, "qualcoder")
    out = result.output
    assert "(QualCoder 3.5)" in out and "1 transcript in interviews/" in out
    assert "3 codes, 1 theme hint in codebooks/qualcoder-kodetre.yaml" in out
    assert "3 codings on 3 extracts" in out and "4 memos in memos.yaml" in out
    assert "1 case -> participants.yaml (1 item)" in out
    assert "1 category below the top level flattened" in out  # Intensitet, between Oppfølging and its code
    assert f"next: thematic run {study}" in out


def test_json_report(tmp_path: Path):
    fixture = PROGRAMS["maxqda"]()
    result = invoke("import", write(tmp_path, fixture), tmp_path / "s", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "qdpx" and data["codes"] == 4 and data["codings"] == 4
    assert data["transcripts"] == ["interviews/Intervju.txt", "interviews/Intervju 2.txt"]
    assert any("outside the text" in line for line in data["lost"])


def test_the_code_tree_becomes_theme_hints_in_a_codebook_the_study_uses(tmp_path: Path):
    _, study, _ = imported(tmp_path, "atlas")
    book = load_codebook(study / "codebooks" / "atlas-kodetre.yaml")
    assert [(t.id, t.label) for t in book.themes] == [("arbeidsplassen", "Arbeidsplassen"), ("ledelse", "Ledelse"),
                                                      ("laering", "Læring")]
    assert book.codes == ()
    settings = yaml.safe_load((study / "thematic.yaml").read_text(encoding="utf-8"))
    assert settings["codebooks"] == ["atlas-kodetre"] and settings["approach"] == "reflexive"
    assert settings["corpus"]["include"] == ["interviews/*.txt"]
    codes = manual_codes(study)
    assert codes["Lunsj"]["definition"] == "Plassering i kodetreet: Arbeidsplassen › Kolleger"
    assert codes["Annet (Læring)"]["id"] == "annet-laering" and codes["Annet (Læring)"]["extracts"] == []


def test_taguettes_codebook_with_its_empty_sets_becomes_a_study_with_that_codebook(tmp_path: Path):
    path = tmp_path / "codebook.qdc"
    path.write_bytes(taguette_qdc())
    result = invoke("import", path, tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert "3 codes, 0 theme hints in codebooks/codebook.yaml" in result.output and "not mapped: nothing" in result.output
    assert "next: transcripts into" in result.output and "keywords into" in result.output
    book = load_codebook(tmp_path / "s" / "codebooks" / "codebook.yaml")
    assert [(c.id, c.label, c.keywords) for c in book.codes] == [
        ("tillit", "tillit", ()), ("tidspress", "tidspress", ()), ("mestring-motivasjon", "mestring & motivasjon", ())]
    settings = yaml.safe_load((tmp_path / "s" / "thematic.yaml").read_text(encoding="utf-8"))
    assert settings["codebooks"] == ["codebook"]
    assert list((tmp_path / "s" / "interviews").iterdir()) == []
    assert not (tmp_path / "s" / "analysis").exists()


def test_a_codebooks_categories_become_theme_hints_with_their_descriptions(tmp_path: Path):
    path = tmp_path / "kodebok.qdc"
    path.write_bytes(nested_qdc())
    result = invoke("import", path, tmp_path / "s", "--approach", "codebook")
    assert result.exit_code == 0, result.output
    book = load_codebook(tmp_path / "s" / "codebooks" / "kodebok.yaml")
    assert [(t.id, t.label, t.description) for t in book.themes] == [("tema-tillit", "Tema: Tillit", "Kandidattema")]
    assert [(c.id, c.definition, c.theme) for c in book.codes] == [
        ("tillit-til-lege", "Når informanten stoler på legen.", "tema-tillit")]
    assert "1 code colour" in result.output
    assert "approach: codebook" in (tmp_path / "s" / "thematic.yaml").read_text(encoding="utf-8")


def test_a_source_with_only_a_word_file_is_read_but_its_selections_are_not_guessed(tmp_path: Path):
    text = "Intervjuer: Hei.\n\nLise: Jeg trives godt her."
    body = (f'<CodeBook><Codes><Code guid="{gid(2)}" name="Trivsel" isCodable="true"/></Codes></CodeBook>'
            f'<Sources><TextSource guid="{gid(10)}" name="Lise" richTextPath="internal://{gid(10)}.docx">'
            f'{selection(gid(20), 24, 43, [(gid(30), gid(2))])}</TextSource></Sources>')
    path = tmp_path / "p.qdpx"
    path.write_bytes(package({"project.qde": project("MAXQDA 2022", body),
                              f"sources/{gid(10)}.docx": docx_paragraphs(*text.split("\n\n"))}))
    result = invoke("import", path, tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "interviews" / "Lise.txt").read_text(encoding="utf-8") == text
    assert manual_codes(tmp_path / "s")["Trivsel"]["extracts"] == []
    assert "1 selection counting characters of a plain text" in result.output


# ---------------------------------------------------------------- bad files, one line each


def qdpx_with(tmp_path: Path, qde: str | bytes, **members: bytes) -> Path:
    path = tmp_path / "bad.qdpx"
    path.write_bytes(package({"project.qde": qde, **members}))
    return path


def refused(tmp_path: Path, path: Path, *words: str) -> str:
    study = tmp_path / "studie"
    result = invoke("import", path, study)
    assert result.exit_code == 1, result.output
    line = result.output.strip()
    assert line.startswith("error: ") and "\n" not in line and "Traceback" not in line, line
    assert all(w in line for w in words), (words, line)
    assert not study.exists() or not any(study.iterdir())
    return line


def test_not_a_zip(tmp_path: Path):
    path = tmp_path / "prosjekt.qdpx"
    path.write_text("ikke en zip", encoding="utf-8")
    refused(tmp_path, path, str(path), "not a zip archive")


def test_a_zip_without_project_qde(tmp_path: Path):
    path = tmp_path / "prosjekt.qdpx"
    path.write_bytes(package({"sources/a.txt": b"tekst"}))
    refused(tmp_path, path, str(path), "no project.qde inside")


def test_xml_that_is_not_well_formed_names_its_line(tmp_path: Path):
    qde = project("X", "<Sources>\n<TextSource guid='a'>\n</Sources>")
    refused(tmp_path, qdpx_with(tmp_path, qde), "bad.qdpx:project.qde:4", "not well-formed", "mismatched tag")


def test_the_wrong_namespace(tmp_path: Path):
    qde = '<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:0.4" name="x"/>'
    refused(tmp_path, qdpx_with(tmp_path, qde), "wrong namespace", "urn:QDA-XML:project:0.4", "urn:QDA-XML:project:1.0")


def test_a_missing_required_attribute_names_the_element_and_line(tmp_path: Path):
    body = f'<CodeBook><Codes>\n<Code guid="{gid(1)}" isCodable="true"/>\n</Codes></CodeBook>'
    refused(tmp_path, qdpx_with(tmp_path, project("X", body)), "project.qde:3", "<Code> has no name attribute")


def test_a_selection_without_start_and_a_coding_without_its_code(tmp_path: Path):
    body = f'<Sources><TextSource guid="{gid(10)}" name="a"><PlainTextContent>Hei</PlainTextContent>' \
           f'<PlainTextSelection guid="{gid(20)}" endPosition="2"/></TextSource></Sources>'
    refused(tmp_path, qdpx_with(tmp_path, project("X", body)), "<PlainTextSelection> has no startPosition")
    body = f'<Sources><TextSource guid="{gid(10)}" name="a"><PlainTextContent>Hei</PlainTextContent>' \
           f'<Coding guid="{gid(30)}"/></TextSource></Sources>'
    refused(tmp_path, qdpx_with(tmp_path, project("X", body)), "<Coding> has no <CodeRef>")


def test_a_dtd_or_entity_is_refused(tmp_path: Path):
    qde = ('<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
           f'<Project xmlns="urn:QDA-XML:project:1.0" name="&lol2;"/>')
    refused(tmp_path, qdpx_with(tmp_path, qde), "declares a DTD or entities; refused")


def test_a_codebook_that_is_a_project_or_has_no_codes(tmp_path: Path):
    path = tmp_path / "x.qdc"
    path.write_text('<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', encoding="utf-8")
    refused(tmp_path, path, "root element is <Project>, not <CodeBook>")
    path.write_text('<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', encoding="utf-8")
    refused(tmp_path, path, "<CodeBook> has no <Codes>")


def test_a_member_larger_than_the_limit_is_refused_whatever_its_header_says(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(qdpx_read, "MAX_MEMBER", 10_000)
    body = f'<Sources><TextSource guid="{gid(10)}" name="a" plainTextPath="internal://{gid(10)}.txt"/></Sources>'
    path = qdpx_with(tmp_path, project("X", body), **{f"sources/{gid(10)}.txt": b"a" * 50_000})
    with pytest.raises(Exception) as caught:
        import_study(path, tmp_path / "s")
    assert "too large to import" in str(caught.value)


def test_member_names_are_never_paths_and_external_files_are_never_read(tmp_path: Path):
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("Passord: hunter2", encoding="utf-8")
    body = (f'<Sources><TextSource guid="{gid(10)}" name="../../utenfor" plainTextPath="internal://../../x.txt"/>'
            f'<TextSource guid="{gid(11)}" name="b" plainTextPath="absolute://{secret}"/>'
            f'<TextSource guid="{gid(12)}" name="../../../etc/passwd"><PlainTextContent>Mentor: Hei.</PlainTextContent>'
            f'</TextSource></Sources>')
    path = qdpx_with(tmp_path, project("X", body), **{"../../x.txt": b"utenfor", "sources/../../x.txt": b"utenfor"})
    study = tmp_path / "a" / "b" / "studie"
    result = invoke("import", path, study)
    assert result.exit_code == 0, result.output
    assert "x.txt is missing from the .qdpx" in result.output
    assert "an external file (absolute://), not inside the .qdpx" in result.output
    assert sorted(p.name for p in (study / "interviews").iterdir()) == ["_.._.._etc_passwd.txt"]
    assert not (tmp_path / "x.txt").exists() and not (tmp_path / "a" / "x.txt").exists()
    assert "hunter2" not in "".join(p.read_text(encoding="utf-8") for p in study.rglob("*") if p.is_file())


def test_an_existing_study_or_a_folder_with_files_is_never_written_into(tmp_path: Path):
    fixture = PROGRAMS["qualcoder"]()
    path = write(tmp_path, fixture)
    study = tmp_path / "studie"
    study.mkdir()
    (study / "thematic.yaml").write_text("title: Min\n", encoding="utf-8")
    result = invoke("import", path, study)
    assert result.exit_code == 1 and "thematic.yaml: already exists" in result.output
    (study / "thematic.yaml").unlink()
    (study / "notater.txt").write_text("mine", encoding="utf-8")
    result = invoke("import", path, study)
    assert result.exit_code == 1 and "not empty" in result.output
    assert sorted(p.name for p in study.iterdir()) == ["notater.txt"]


def test_an_import_gives_the_same_bytes_every_time(tmp_path: Path):
    fixture = PROGRAMS["nvivo"]()
    path = write(tmp_path, fixture)
    for name in ("a", "b"):
        assert invoke("import", path, tmp_path / name).exit_code == 0
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_a_selection_shared_by_two_codes_is_one_extract_with_one_id(tmp_path: Path):
    text = "Mentor: Vi lærer av hverandre hver dag."
    body = (f'<CodeBook><Codes><Code guid="{gid(2)}" name="Læring" isCodable="true"/>'
            f'<Code guid="{gid(3)}" name="Kolleger" isCodable="true"/></Codes></CodeBook>'
            f'<Sources><TextSource guid="{gid(10)}" name="m"><PlainTextContent>{text}</PlainTextContent>'
            f'{selection(gid(20), 8, 39, [(gid(30), gid(2)), (gid(31), gid(3))])}'
            f'{selection(gid(21), 8, 29, [(gid(32), gid(3))])}</TextSource></Sources>')
    path = qdpx_with(tmp_path, project("X", body))
    result = invoke("import", path, tmp_path / "s")
    assert result.exit_code == 0, result.output
    codes = manual_codes(tmp_path / "s")
    assert [e["id"] for e in codes["Læring"]["extracts"]] == ["m:8-39"]
    assert [e["id"] for e in codes["Kolleger"]["extracts"]] == ["m:8-29", "m:8-39"]
    assert "3 codings on 2 extracts" in result.output
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["project.qde"]


def test_source_names_become_safe_unique_file_names(tmp_path: Path):
    names = ["README", "CON", "Intervju 1", "intervju-1", "   ", "Kari: runde 2/3", "Åse.docx"]
    body = "<Sources>" + "".join(
        f'<TextSource guid="{gid(10 + n)}" name="{name}"><PlainTextContent>Mentor: Tekst {n}.</PlainTextContent></TextSource>'
        for n, name in enumerate(names)) + "</Sources>"
    result = invoke("import", qdpx_with(tmp_path, project("X", body)), tmp_path / "s")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "s" / "interviews").iterdir())
    assert files == ["Intervju 1.txt", "Kari_ runde 2_3.txt", "intervju-1 2.txt", "kilde CON.txt", "kilde README.txt",
                     "kilde-5.txt", "Åse.txt"]
    include = yaml.safe_load((tmp_path / "s" / "thematic.yaml").read_text(encoding="utf-8"))["corpus"]["include"]
    assert include == ["interviews/*.txt"]  # thematic init found every one of them
