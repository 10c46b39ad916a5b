"""export: the study as a REFI-QDA project (.qdpx), codebook (.qdc) and CSV tables."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
import xmlschema
from defusedxml import ElementTree as SafeET

from thematic.exchange.refi import _THEMATIC, CODEBOOK_NS, PROJECT_NS, guid
from thematic.view import open_view

from helpers import invoke, load

SCHEMA = Path("/work/shared/refi-qda/Project.xsd")
if not SCHEMA.is_file():  # the schema beside the tests when the shared folder is not there
    SCHEMA = Path(__file__).with_name("Project.xsd")
P = f"{{{PROJECT_NS}}}"
C = f"{{{CODEBOOK_NS}}}"
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
# Codebook.xsd v1.0 as research notes transcribe it (the file itself is not shipped with us):
# CodeBook > Codes > Code+ (recursive; Description? then Code*), then Sets? > Set+ > Description?, MemberCode*@guid
CODEBOOK_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns="{CODEBOOK_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="{CODEBOOK_NS}"
            elementFormDefault="qualified" attributeFormDefault="unqualified">
  <xsd:element name="CodeBook">
    <xsd:complexType><xsd:sequence>
      <xsd:element name="Codes" type="CodesType"/>
      <xsd:element name="Sets" type="SetsType" minOccurs="0"/>
    </xsd:sequence><xsd:attribute name="origin" type="xsd:string"/></xsd:complexType>
  </xsd:element>
  <xsd:complexType name="CodesType"><xsd:sequence>
    <xsd:element name="Code" type="CodeType" maxOccurs="unbounded"/></xsd:sequence></xsd:complexType>
  <xsd:complexType name="CodeType"><xsd:sequence>
      <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
      <xsd:element name="Code" type="CodeType" minOccurs="0" maxOccurs="unbounded"/>
    </xsd:sequence>
    <xsd:attribute name="guid" type="GUIDType" use="required"/>
    <xsd:attribute name="name" type="xsd:string" use="required"/>
    <xsd:attribute name="isCodable" type="xsd:boolean" use="required"/>
    <xsd:attribute name="color" type="RGBType"/>
  </xsd:complexType>
  <xsd:complexType name="SetsType"><xsd:sequence>
    <xsd:element name="Set" type="SetType" maxOccurs="unbounded"/></xsd:sequence></xsd:complexType>
  <xsd:complexType name="SetType"><xsd:sequence>
      <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
      <xsd:element name="MemberCode" minOccurs="0" maxOccurs="unbounded">
        <xsd:complexType><xsd:attribute name="guid" type="GUIDType" use="required"/></xsd:complexType>
      </xsd:element>
    </xsd:sequence>
    <xsd:attribute name="guid" type="GUIDType" use="required"/>
    <xsd:attribute name="name" type="xsd:string" use="required"/>
  </xsd:complexType>
  <xsd:simpleType name="GUIDType"><xsd:restriction base="xsd:token">
    <xsd:pattern value="([0-9a-fA-F]{{8}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{12}})"/>
  </xsd:restriction></xsd:simpleType>
  <xsd:simpleType name="RGBType"><xsd:restriction base="xsd:token">
    <xsd:pattern value="#([A-Fa-f0-9]{{6}}|[A-Fa-f0-9]{{3}})"/></xsd:restriction></xsd:simpleType>
</xsd:schema>
"""


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA))


def _export(study: Path, *args: object):
    result = invoke("export", study, *args)
    assert result.exit_code == 0, result.output
    return result


def _qdpx(study: Path, target: Path) -> tuple[bytes, dict[str, bytes]]:
    _export(study, "-o", target)
    with zipfile.ZipFile(target) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return files.pop("project.qde"), files


def _stored_extracts(study: Path) -> dict[str, list[dict]]:
    return open_view(study).extracts(text=True)


def _targets(root) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """GUIDs by element kind, for checking that every reference lands somewhere."""
    kinds = ("Code", "TextSource", "PlainTextSelection", "Note", "Variable", "Case", "User")
    return {k: {e.get("guid") for e in root.iter(P + k)} for k in kinds}


@pytest.fixture()
def memo_study(tiny_study: Path) -> Path:
    """The tiny study with typed attributes per person and memos about everything, after a run."""
    (tiny_study / "participants.yaml").write_text(
        "mentor-a: {role: mentor, alder: 34, erfaren: true, timer: 7.5}\n"
        "mentor-b: {role: mentor, alder: 51, erfaren: false, timer: 10}\n"
        "veiledere:\n  kontor: NAV Øst\n  speakers:\n    Veileder 1: {role: NAV-veileder, alder: 29}\n"
        "    Veileder 2: {role: NAV-veileder}\n", encoding="utf-8")
    assert invoke("run", tiny_study).exit_code == 0
    theme = load(tiny_study, "5-themes.yaml")["themes"][0]["id"]
    (tiny_study / "memos.yaml").write_text(
        "memos:\n- date: 2025-03-04 10:15\n  text: Første inntrykk.\n"
        "- date: 2025-03-05 09:00\n  item: mentor-a\n  text: Kort intervju.\n"
        "- date: 2025-03-06 12:30\n  code: tid\n  text: Tid går igjen overalt.\n"
        f"- date: 2025-03-07 08:00\n  theme: {theme}\n  text: Temaet bærer.\n"
        "- date: ikke datert\n  code: finnes-ikke\n  text: Om en kode som ikke teller.\n", encoding="utf-8")
    return tiny_study


def test_guid_is_uuid5_of_our_ids():
    for parts in (("code", "mestring"), ("selection", "gruppe-01", "12", "40"), ("case", "æøå (voices)")):
        assert guid(*parts) == str(uuid.uuid5(_THEMATIC, "\x1f".join(parts)))


def test_the_example_exports_a_valid_project_whose_selections_quote_the_shipped_text(
        analysed_example: Path, tmp_path: Path, project_schema: xmlschema.XMLSchema):
    qde, sources = _qdpx(analysed_example, tmp_path / "studie.qdpx")
    project_schema.validate(qde.decode("utf-8"))
    root = SafeET.fromstring(qde)
    assert root.get("origin").startswith("thematic ") and root.get("creationDateTime") is None
    texts = {}
    for source in root.iter(P + "TextSource"):
        name = source.get("plainTextPath").removeprefix("internal://")
        assert name == f"{source.get('guid')}.txt" and f"sources/{name}" in sources
        raw = sources[f"sources/{name}"]
        assert not raw.startswith(b"\xef\xbb\xbf")
        texts[source.get("guid")] = (source, raw.decode("utf-8"))
    stored = _stored_extracts(analysed_example)
    wanted = {(e["item"], *e["span"]): e["text"] for extracts in stored.values() for e in extracts}
    seen = {}
    for source_guid, (source, text) in texts.items():
        for selection in source.iter(P + "PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            item = selection.get("name").rsplit(":", 1)[0]
            assert guid("source", item) == source_guid
            seen[(item, start, end)] = text[start:end]
    assert seen == wanted  # every extract once, each the exact words of the text shipped
    assert len(root.findall(f".//{P}PlainTextSelection/{P}Coding")) == sum(map(len, stored.values()))


def test_every_reference_in_the_project_lands_on_an_element(analysed_example: Path, tmp_path: Path):
    qde, _ = _qdpx(analysed_example, tmp_path / "studie.qdpx")
    root = SafeET.fromstring(qde)
    found = _targets(root)
    assert all(GUID.fullmatch(g) for kind in found.values() for g in kind)
    refs = {"CodeRef": "Code", "MemberCode": "Code", "SourceRef": "TextSource", "SelectionRef": "PlainTextSelection",
            "NoteRef": "Note", "VariableRef": "Variable"}
    for ref, kind in refs.items():
        for element in root.iter(P + ref):
            assert element.get("targetGUID") in found[kind], (ref, element.get("targetGUID"))
    assert root.get("creatingUserGUID") in found["User"]


def test_themes_hold_their_codes_and_the_counted_codes_are_codable(analysed_example: Path, tmp_path: Path):
    root = SafeET.fromstring(_qdpx(analysed_example, tmp_path / "studie.qdpx")[0])
    codes = root.find(f"{P}CodeBook/{P}Codes")
    themes = load(analysed_example, "5-themes.yaml")["themes"]
    assert [c.get("guid") for c in codes] == [guid("theme", t["id"]) for t in themes]
    for element, theme in zip(codes, themes):
        assert element.get("isCodable") == "false" and element.get("name") == theme["proposed_name"]
        assert [c.get("guid") for c in element.findall(P + "Code")] == [guid("code", c["id"]) for c in theme["codes"]]
        assert all(c.get("isCodable") == "true" for c in element.findall(P + "Code"))
    definition = next(c for c in root.iter(P + "Code") if c.get("guid") == guid("code", "tidspress")).find(P + "Description").text
    assert "Opplevelsen av å ikke ha nok tid" in definition and "Nøkkelord: tidspress" in definition
    sets = root.findall(f"{P}Sets/{P}Set")
    assert [s.get("guid") for s in sets] == [guid("set", t["id"]) for t in themes]


def test_exporting_twice_gives_the_same_bytes_whatever_the_hash_seed(memo_study: Path, tmp_path: Path):
    first = tmp_path / "a.qdpx"
    _export(memo_study, "-o", first)
    _export(memo_study, "-o", tmp_path / "b.qdpx")
    assert first.read_bytes() == (tmp_path / "b.qdpx").read_bytes()
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "thematic", "export", str(memo_study), "-o", str(tmp_path / "c.qdpx")],
                   check=True, env=env, capture_output=True)
    assert first.read_bytes() == (tmp_path / "c.qdpx").read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "project.qde"


def test_memos_become_notes_on_what_they_are_about(memo_study: Path, tmp_path: Path, project_schema):
    qde, _ = _qdpx(memo_study, tmp_path / "mini.qdpx")
    project_schema.validate(qde.decode("utf-8"))
    root = SafeET.fromstring(qde)
    notes = {n.find(P + "PlainTextContent").text: n for n in root.iter(P + "Note")}
    assert len(notes) == 5 and notes["Første inntrykk."].get("creationDateTime") == "2025-03-04T10:15:00"
    assert notes["Om en kode som ikke teller."].get("creationDateTime") is None

    def refs(element) -> set[str]:  # type: ignore[no-untyped-def]
        return {r.get("targetGUID") for r in element.findall(P + "NoteRef")}

    by_guid = {e.get("guid"): e for e in root.iter() if e.get("guid")}
    assert refs(root) == {notes["Første inntrykk."].get("guid"), notes["Om en kode som ikke teller."].get("guid")}
    assert notes["Kort intervju."].get("guid") in refs(by_guid[guid("source", "mentor-a")])
    assert notes["Tid går igjen overalt."].get("guid") in refs(by_guid[guid("code", "tid")])
    theme = load(memo_study, "5-themes.yaml")["themes"][0]["id"]
    assert notes["Temaet bærer."].get("guid") in refs(by_guid[guid("theme", theme)])


def test_participants_are_cases_with_typed_variables(memo_study: Path, tmp_path: Path):
    root = SafeET.fromstring(_qdpx(memo_study, tmp_path / "mini.qdpx")[0])
    kinds = {v.get("name"): v.get("typeOfVariable") for v in root.iter(P + "Variable")}
    assert kinds == {"alder": "Integer", "erfaren": "Boolean", "kontor": "Text", "role": "Text", "timer": "Float"}
    names = {v.get("guid"): v.get("name") for v in root.iter(P + "Variable")}
    cases = {c.get("name"): c for c in root.iter(P + "Case")}
    assert set(cases) == {"mentor-a", "mentor-b", "veiledere/veileder-1", "veiledere/veileder-2"}

    def values(case) -> dict[str, str]:  # type: ignore[no-untyped-def]
        return {names[v.find(P + "VariableRef").get("targetGUID")]: v[1].text for v in case.findall(P + "VariableValue")}

    assert values(cases["mentor-a"]) == {"alder": "34", "erfaren": "true", "role": "mentor", "timer": "7.5"}
    assert values(cases["veiledere/veileder-1"]) == {"alder": "29", "kontor": "NAV Øst", "role": "NAV-veileder"}
    assert [r.get("targetGUID") for r in cases["mentor-a"].findall(P + "SourceRef")] == [guid("source", "mentor-a")]
    said = {r.get("targetGUID") for r in cases["veiledere/veileder-2"].findall(P + "SelectionRef")}
    spoken = {(e["item"], *e["span"]) for es in _stored_extracts(memo_study).values() for e in es
              if e["participant"] == "veiledere/veileder-2"}
    assert said and said == {guid("selection", i, str(s), str(e)) for i, s, e in spoken}
    assert not cases["veiledere/veileder-2"].findall(P + "SourceRef")


def test_the_codebook_alone_has_the_codebook_structure(analysed_example: Path, tmp_path: Path):
    target = tmp_path / "kodebok.qdc"
    _export(analysed_example, "--format", "qdc", "-o", target)
    text = target.read_text(encoding="utf-8")
    xmlschema.XMLSchema(CODEBOOK_XSD).validate(text)
    root = SafeET.fromstring(text.encode("utf-8"))
    assert root.tag == C + "CodeBook" and [child.tag for child in root] == [C + "Codes", C + "Sets"]
    assert "NoteRef" not in text and "<Sets />" not in text and "<Sets/>" not in text
    themes = load(analysed_example, "5-themes.yaml")["themes"]
    assert [c.get("name") for c in root.find(C + "Codes")] == [t["proposed_name"] for t in themes]
    members = [m.get("guid") for m in root.iter(C + "MemberCode")]
    assert members and all(m in {c.get("guid") for c in root.iter(C + "Code")} for m in members)


def test_a_study_without_themes_writes_no_sets(tiny_study: Path, tmp_path: Path):
    assert invoke("code", tiny_study).exit_code == 0
    target = tmp_path / "kodebok.qdc"
    _export(tiny_study, "-f", "qdc", "-o", target)
    text = target.read_text(encoding="utf-8")
    xmlschema.XMLSchema(CODEBOOK_XSD).validate(text)
    assert "Sets" not in text and 'isCodable="false"' not in text


def test_csv_has_a_row_per_extract_and_the_matrix_stats_counts(analysed_example: Path, tmp_path: Path):
    _export(analysed_example, "--format", "csv", "-o", tmp_path / "tabeller")
    raw = (tmp_path / "tabeller" / "extracts.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    assert list(rows[0])[:3] == ["item", "participant", "role"]
    assert {"bransje", "erfaring", "kontor", "type", "code_decision", "theme_name", "text"} <= set(rows[0])
    codes = [c for c in load(analysed_example, "2-codes.yaml")["codes"] if c["origin"] == "codebook"]
    for code in codes:
        assert sum(r["code"] == code["id"] for r in rows) == code["extracts_total"]
    row = next(r for r in rows if r["participant"] == "gruppe-01/veileder-1")
    assert (row["role"], row["erfaring"], row["kontor"]) == ("NAV-veileder", "9 år", "NAV Nordby")
    docs = {i.id: i.text for i in _items(analysed_example)}
    assert all(docs[r["item"]][int(r["start"]):int(r["end"])] == r["text"] for r in rows)
    matrix = (tmp_path / "tabeller" / "codes-by-participant.csv").read_text(encoding="utf-8")
    stats = tmp_path / "stats"
    assert invoke("stats", analysed_example, "--csv", stats).exit_code == 0
    assert matrix == (stats / "codes-by-participant.csv").read_text(encoding="utf-8")


def _items(study: Path):  # type: ignore[no-untyped-def]
    from thematic.exchange.snapshot import take_snapshot

    return take_snapshot(study).items


def test_excel_gets_a_bom_and_the_same_rows(analysed_example: Path, tmp_path: Path):
    _export(analysed_example, "-f", "csv", "-o", tmp_path / "plain")
    _export(analysed_example, "-f", "csv", "-o", tmp_path / "excel", "--excel")
    for name in ("extracts.csv", "codes-by-participant.csv"):
        excel = (tmp_path / "excel" / name).read_bytes()
        assert excel == b"\xef\xbb\xbf" + (tmp_path / "plain" / name).read_bytes()


def test_decisions_are_exported_renamed_and_merged(tiny_study: Path, tmp_path: Path):
    assert invoke("run", tiny_study).exit_code == 0
    assert invoke("codes", "rename", tiny_study, "tid", "Tid og rammer").exit_code == 0
    assert invoke("codes", "merge", tiny_study, "samarbeid", "skreddersom").exit_code == 0
    root = SafeET.fromstring(_qdpx(tiny_study, tmp_path / "mini.qdpx")[0])
    names = {c.get("guid"): c.get("name") for c in root.iter(P + "Code")}
    assert names[guid("code", "tid-og-rammer")] == "Tid og rammer"
    assert guid("code", "samarbeid") not in names and guid("code", "tid") not in names
    _export(tiny_study, "-f", "csv", "-o", tmp_path / "csv")
    rows = list(csv.DictReader((tmp_path / "csv" / "extracts.csv").read_text(encoding="utf-8").splitlines()))
    assert {(r["code"], r["code_decision"]) for r in rows} >= {("tid-og-rammer", "renamed:Tid og rammer")}
    assert not any(r["code"] == "samarbeid" for r in rows)


def test_the_default_output_is_in_the_analysis_folder(memo_study: Path):
    result = _export(memo_study)
    target = memo_study / "analysis" / "tiny.qdpx"
    assert target.is_file() and f"wrote {target}" in result.output
    _export(memo_study)  # our own earlier export is replaced
    done = json.loads(_export(memo_study, "-f", "csv", "--json").output)
    assert done["path"] == str(memo_study / "analysis" / "csv") and done["rows"] > 0
    assert [Path(f).name for f in done["files"]] == ["extracts.csv", "codes-by-participant.csv"]


def test_errors_are_one_line_with_the_fix(tiny_study: Path, tmp_path: Path):
    result = invoke("export", tiny_study)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"2-codes.yaml: missing, so there is nothing to export yet (fix: thematic run {tiny_study})" in result.output
    assert invoke("run", tiny_study).exit_code == 0
    wrong = invoke("export", tiny_study, "-o", tmp_path / "mini.zip")
    assert wrong.exit_code == 1 and "must end in .qdpx" in wrong.output
    theirs = tmp_path / "maxqda.qdpx"
    theirs.write_bytes(b"PK not ours")
    refused = invoke("export", tiny_study, "-o", theirs)
    assert refused.exit_code == 1 and "did not export it" in refused.output and theirs.read_bytes() == b"PK not ours"
    assert "--excel is for --format csv" in invoke("export", tiny_study, "--excel").output
    table = invoke("export", tiny_study, "-f", "csv", "-o", tmp_path / "extracts.csv")
    assert table.exit_code == 1 and "-o names a folder for the CSV export" in table.output
    assert not (tmp_path / "extracts.csv").exists()
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        blocked = invoke("export", tiny_study, "-o", locked / "mini.qdpx")
        assert blocked.exit_code == 1 and "cannot write" in blocked.output


def test_an_unwritable_target_is_one_line(tiny_study: Path, tmp_path: Path):
    assert invoke("code", tiny_study).exit_code == 0
    (tmp_path / "fil").write_text("x")
    result = invoke("export", tiny_study, "-o", tmp_path / "fil" / "mini.qdpx")
    assert result.exit_code == 1 and "cannot write" in result.output and len(result.output.strip().splitlines()) == 1


def test_the_miscellaneous_bin_is_named_as_phase_3_names_it():
    from thematic.exchange.snapshot import MISC
    from thematic.phases.themes import MISC as PHASE_MISC

    assert MISC == PHASE_MISC


def test_clashing_labels_and_emoji_are_warned_about(tiny_study: Path, tmp_path: Path):
    book = tiny_study / "codebooks" / "mini.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace("label: Tid", "label: samarbeid"), encoding="utf-8")
    first = tiny_study / "interviews" / "mentor-a.txt"
    first.write_text(first.read_text(encoding="utf-8").replace("alt for oss.", "alt for oss 🙂."), encoding="utf-8")
    assert invoke("code", tiny_study).exit_code == 0
    result = _export(tiny_study, "-o", tmp_path / "mini.qdpx")
    assert "codes samarbeid and tid are both labelled «samarbeid»" in result.output
    assert "mentor-a: characters beyond U+FFFF" in result.output
    with zipfile.ZipFile(tmp_path / "mini.qdpx") as archive:
        root = SafeET.fromstring(archive.read("project.qde"))
    names = {c.get("guid"): c.get("name") for c in root.iter(P + "Code")}
    assert names[guid("code", "samarbeid")] == "Samarbeid" and names[guid("code", "tid")] == "samarbeid (tid)"
