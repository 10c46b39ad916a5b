"""Readers: every format and encoding gives the text the researcher sees, with spans, lines,
speakers and timestamps that point back at the file."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml
from office_files import (ODT_MANIFEST, ODT_NS, W_NS, docx, docx_document, docx_paragraphs, odt, odt_content,
                          odt_paragraphs, password_flagged, w_paragraph, w_run, w_table)
from typer.testing import CliRunner

from thematic.cli import app
from thematic.corpus import INFORMANT, INTERVIEWER, read_document
from thematic.errors import CorpusError
from thematic.readers import normalise, read_bytes

LABELS = {"Intervjuer", "I"}
NORWEGIAN = "Intervjuer: Hvor bor du?\n\nMentor: På Åsen, ved Bodø. Ærlig talt, «blåbær» og øl.\n\nIntervjuer: Og?\n\nMentor: Ja.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""), ("cp1252", b""), ("latin-1", b""),
])
def test_encodings_are_detected_and_aeoeaa_come_out_right(tmp_path: Path, encoding: str, prefix: bytes):
    doc = read_document(write(tmp_path, "x.txt", prefix + NORWEGIAN.encode(encoding)), LABELS)
    assert doc.text == NORWEGIAN
    assert doc.turns[1].text == "På Åsen, ved Bodø. Ærlig talt, «blåbær» og øl."


def test_windows_1252_punctuation_is_read_as_windows_1252(tmp_path: Path):
    text = "Mentor: Det var – ærlig talt – «tøft», sa hun’.\n"
    doc = read_document(write(tmp_path, "x.txt", text.encode("cp1252")), LABELS)
    assert doc.text == text and doc.source.encoding == "windows-1252"


def test_crlf_and_nfd_are_normalised_but_lines_and_columns_match_the_editor(tmp_path: Path):
    original = unicodedata.normalize("NFD", "Intervjuer: Hei.\r\n\r\nMentor: Blåbær og\r\nøl på Åsen.\r\n\r\nMentor: Ja.\r\n")
    doc = read_document(write(tmp_path, "x.txt", original.encode()), LABELS)
    assert doc.text == "Intervjuer: Hei.\n\nMentor: Blåbær og\nøl på Åsen.\n\nMentor: Ja.\n"
    turn = doc.turns[1]
    assert turn.text == "Blåbær og\nøl på Åsen." and turn.line == 3 and doc.line_at(turn.start) == 3
    start = doc.text.index("Åsen")
    assert doc.line_at(start) == 4  # the editor shows "øl på Åsen." on line 4
    line, column = doc.source_position(start)
    editor_line = original.split("\r\n")[line - 1]
    assert editor_line[column - 1:].startswith(unicodedata.normalize("NFD", "Åsen"))
    offsets = doc.source.offsets
    a, b = offsets.to_original(turn.start), offsets.to_original(turn.end)
    assert unicodedata.normalize("NFC", original[a:b]).replace("\r\n", "\n") == turn.text


def test_lone_cr_line_endings_count_as_lines():
    text, offsets = normalise("a\rb\r\nc\nd")
    assert text == "a\nb\nc\nd" and offsets.to_original(text.index("c")) == 5


def test_docx_paragraphs_runs_tabs_breaks_and_tracked_changes(tmp_path: Path):
    body = (w_paragraph(w_run("Intervjuer: ", bold=True), w_run("Hvordan "), w_run("går det?"))
            + w_paragraph()  # an empty paragraph still counts
            + w_paragraph(w_run("Mentor: Bra."), "<w:r><w:br/></w:r>", w_run("Veldig\tbra."),
                          '<w:del w:id="1"><w:r><w:delText>slettet</w:delText></w:r></w:del>')
            + w_paragraph(w_run("Intervjuer: Og så?"))
            + w_paragraph(w_run("Mentor: Skreddersøm, for å si det sånn.")))
    doc = read_document(write(tmp_path, "intervju.docx", docx(body)), LABELS)
    assert doc.text == ("Intervjuer: Hvordan går det?\n\nMentor: Bra.\nVeldig\tbra.\n\n"
                        "Intervjuer: Og så?\n\nMentor: Skreddersøm, for å si det sånn.")
    assert [(t.speaker, t.role) for t in doc.turns] == [
        ("Intervjuer", INTERVIEWER), ("Mentor", INFORMANT), ("Intervjuer", INTERVIEWER), ("Mentor", INFORMANT)]
    assert "slettet" not in doc.text
    assert doc.line_at(doc.text.index("Veldig")) == 3  # paragraph 3 (the empty one is 2)
    assert doc.line_at(doc.text.index("Skreddersøm")) == 5


def test_docx_transcript_in_a_table_becomes_turns_with_times(tmp_path: Path):
    rows = [["Tid", "Taler", "Tekst"], ["00:00:05", "Intervjuer", "Velkommen, hvordan startet det?"],
            ["00:00:12", "Kari", "Det startet med en praksisplass."]]
    doc = read_document(write(tmp_path, "tabell.docx", docx(w_table(rows))), LABELS)
    kari = doc.turns[-1]
    assert (kari.speaker, kari.role, kari.time, kari.text) == ("Kari", INFORMANT, "00:00:12", "Det startet med en praksisplass.")
    assert doc.turns[-2].role == INTERVIEWER


def test_odt_spans_spaces_notes_and_paragraph_numbers(tmp_path: Path):
    body = ('<text:h>Intervju 3</text:h>'
            '<text:p>Intervjuer: Hva <text:span>tenker</text:span> du?</text:p>'
            '<text:p>Mentor: Vi<text:s text:c="2"/>jobber<text:note><text:note-body><text:p>fotnote</text:p>'
            '</text:note-body></text:note> tett.</text:p>'
            '<text:p>Intervjuer: Mm.</text:p><text:p>Mentor: Ja.</text:p>')
    doc = read_document(write(tmp_path, "x.odt", odt(body)), LABELS)
    assert doc.text == "Intervju 3\n\nIntervjuer: Hva tenker du?\n\nMentor: Vi  jobber tett.\n\nIntervjuer: Mm.\n\nMentor: Ja."
    assert doc.turns[0].role == "preamble"
    assert doc.line_at(doc.text.index("jobber")) == 3


def test_rtf_code_page_unicode_and_skipped_groups(tmp_path: Path):
    rtf = (rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}{\colortbl;\red0\green0\blue0;}"
           rb"{\*\generator Riched20;}{\info{\author Kari}}\f0\fs22 Intervjuer: Hvordan g\'e5r det?\par "
           rb"Mentor: Bl\u229?b\'e6r og \u248?l\line p\'e5 \'c5sen.\par Mentor: Ja \u8211? greit.\par}")
    doc = read_document(write(tmp_path, "x.rtf", rtf), LABELS)
    assert doc.text == "Intervjuer: Hvordan går det?\n\nMentor: Blåbær og øl\npå Åsen.\n\nMentor: Ja – greit."
    assert "Calibri" not in doc.text and "Kari" not in doc.text and "Riched" not in doc.text
    assert doc.line_at(doc.text.index("Åsen")) == 2


VTT = """WEBVTT

NOTE laget av Teams

1
00:00:01.000 --> 00:00:03.500
<v Intervjuer>Velkommen. Hvordan
startet det?</v>

2
00:00:04.000 --> 00:00:06.000
<v Kari Nordmann>Det startet</v>

3
00:00:06.000 --> 00:00:08.000
<v Kari Nordmann>med en praksisplass &amp; en mentor.</v>

4
00:01:09.000 --> 00:01:10.000
<v Intervjuer>Mm.</v>
"""


def test_vtt_merges_cues_of_one_speaker_and_keeps_times_and_file_lines(tmp_path: Path):
    doc = read_document(write(tmp_path, "teams.vtt", VTT.encode()), LABELS)
    assert [(t.speaker, t.role, t.time) for t in doc.turns] == [
        ("Intervjuer", INTERVIEWER, "00:00:01"), ("Kari Nordmann", INFORMANT, "00:00:04"),
        ("Intervjuer", INTERVIEWER, "00:01:09")]
    kari = doc.turns[1]
    assert kari.text == "Det startet med en praksisplass & en mentor."
    assert doc.line_at(kari.start) == 12 and doc.line_at(doc.text.index("praksisplass")) == 16
    assert VTT.splitlines()[16 - 1].startswith("<v Kari Nordmann>med en praksisplass")


SRT = """1
00:00:01,000 --> 00:00:02,000
Intervjuer: Hvordan var det?

2
00:00:02,500 --> 00:00:04,000
Mentor: Det er sånn: vi prøver.

3
00:00:04,000 --> 00:00:05,000
Og vi lærer.

4
00:00:06,000 --> 00:00:07,000
Intervjuer: Takk.
"""


def test_srt_speaker_prefixes_and_unlabelled_cues_continue_the_turn(tmp_path: Path):
    doc = read_document(write(tmp_path, "zoom.srt", SRT.encode()), LABELS)
    assert [(t.speaker, t.text) for t in doc.turns] == [
        ("Intervjuer", "Hvordan var det?"), ("Mentor", "Det er sånn: vi prøver. Og vi lærer."), ("Intervjuer", "Takk.")]


def test_untagged_whisper_subtitles_become_timed_paragraphs(tmp_path: Path):
    text = ("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nJeg begynte i butikk.\n\n"
            "00:00:02.000 --> 00:00:04.000\nDet gikk fint.\n\n00:00:09.000 --> 00:00:11.000\nSå kom mentoren.\n")
    doc = read_document(write(tmp_path, "whisper.vtt", text.encode()), LABELS)
    assert [(t.time, t.text, t.role) for t in doc.turns] == [
        ("00:00:00", "Jeg begynte i butikk. Det gikk fint.", INFORMANT), ("00:00:09", "Så kom mentoren.", INFORMANT)]


@pytest.mark.parametrize("label, role", [
    ("Intervjuer", INTERVIEWER), ("I", INTERVIEWER), ("Intervjuer 2", INTERVIEWER), ("INTERVJUER", INTERVIEWER),
    ("Informant 2", INFORMANT), ("NAV-veileder 1", INFORMANT), ("Mentor", INFORMANT), ("[navn 3]", INFORMANT),
])
def test_common_labels_and_numbered_interviewers(tmp_path: Path, label: str, role: str):
    text = f"{label}: Første tur.\n\nAnnen: Svar.\n\n{label}: Andre tur.\n\nAnnen: Svar igjen.\n"
    doc = read_document(write(tmp_path, "x.txt", text.encode()), LABELS)
    assert doc.turns[0].speaker == label and doc.turns[0].role == role


def test_markdown_bold_labels(tmp_path: Path):
    text = "# Intervju 4\n\n**Intervjuer:** Hei.\n\n**Mentor:** Ja, hei.\n\n**Intervjuer**: Og?\n\n**Mentor:** Tja.\n"
    doc = read_document(write(tmp_path, "x.md", text.encode()), LABELS)
    assert [(t.speaker, t.text) for t in doc.turns[1:]] == [
        ("Intervjuer", "Hei."), ("Mentor", "Ja, hei."), ("Intervjuer", "Og?"), ("Mentor", "Tja.")]


def test_timestamped_labels_give_speaker_and_time(tmp_path: Path):
    text = "[00:12:03] Intervjuer: Hei.\n\n[00:12:09] Kari: Hei på deg.\n\n(00:12:15) Kari: Ja.\n"
    doc = read_document(write(tmp_path, "x.txt", text.encode()), LABELS)
    assert [(t.speaker, t.time, t.text) for t in doc.turns] == [
        ("Intervjuer", "00:12:03", "Hei."), ("Kari", "00:12:09", "Hei på deg."), ("Kari", "00:12:15", "Ja.")]


def test_a_study_of_mixed_formats_runs_and_its_quotes_point_at_reader_text(tiny_study: Path):
    interviews = tiny_study / "interviews"
    text = (interviews / "mentor-a.txt").read_text(encoding="utf-8")
    (interviews / "mentor-a.txt").unlink()
    (interviews / "mentor-a.docx").write_bytes(docx_paragraphs(*text.strip().split("\n\n")))
    crlf_nfd = unicodedata.normalize("NFD", (interviews / "mentor-b.txt").read_text(encoding="utf-8")).replace("\n", "\r\n")
    (interviews / "mentor-b.txt").write_bytes(crlf_nfd.encode("utf-16"))
    result = CliRunner().invoke(app, ["run", str(tiny_study)])
    assert result.exit_code == 0, result.output
    codes = yaml.safe_load((tiny_study / "analysis" / "2-codes.yaml").read_text(encoding="utf-8"))["codes"]
    docs = {p.stem: read_document(p, LABELS) for p in interviews.iterdir()}
    extracts = [e for c in codes for e in c["extracts"]]
    assert {e["item"] for e in extracts} >= {"mentor-a", "mentor-b"}
    for e in extracts:
        doc = docs[e["item"]]
        assert doc.text[e["span"][0]:e["span"][1]] == e["text"] and doc.line_at(e["span"][0]) == e["line"]
    docx_extract = next(e for e in extracts if e["item"] == "mentor-a" and "Porteføljen" in e["text"])
    assert docx_extract["line"] == 4  # the fourth paragraph of the Word file
    assert (tiny_study / "analysis" / "6-report.md").is_file()


def test_read_bytes_refuses_unknown_extensions(tmp_path: Path):
    with pytest.raises(CorpusError, match=r"cannot read \.pdf files"):
        read_bytes(tmp_path / "x.pdf", b"%PDF-1.4")


def test_extracts_from_a_timed_transcript_carry_the_turn_time(tiny_study):
    from typer.testing import CliRunner
    import yaml

    from thematic.cli import app

    (tiny_study / "interviews" / "teams.vtt").write_text(
        "WEBVTT\n\n00:12:03.000 --> 00:12:09.000\n<v Kari>Skreddersømmen tar tid.</v>\n\n"
        "00:12:10.000 --> 00:12:15.000\n<v Ola>Ja, porteføljen er stor.</v>\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["code", str(tiny_study)]).exit_code == 0
    codes = yaml.safe_load((tiny_study / "analysis" / "2-codes.yaml").read_text(encoding="utf-8"))["codes"]
    timed = [e for c in codes for e in c["extracts"] if e["item"] == "teams"]
    assert timed and {e["time"] for e in timed} <= {"00:12:03", "00:12:10"}
    assert "time" not in next(e for c in codes for e in c["extracts"] if e["item"] == "mentor-a")


ENTITY = '<!DOCTYPE root [<!ENTITY navn "INJISERT">]>'
WORD_WITH_ENTITY = (f'<?xml version="1.0" encoding="{{}}"?>{ENTITY}<w:document xmlns:w="{W_NS}"><w:body>'
                    "<w:p><w:r><w:t>Mentor: &navn;</w:t></w:r></w:p></w:body></w:document>")
ODT_WITH_ENTITY = (f'<?xml version="1.0" encoding="{{}}"?>{ENTITY}<office:document-content {ODT_NS}>'
                   "<office:body><office:text><text:p>Mentor: &navn;</text:p></office:text></office:body>"
                   "</office:document-content>")


@pytest.mark.parametrize("name, template, part", [
    ("x.docx", WORD_WITH_ENTITY, "word/document.xml"), ("x.odt", ODT_WITH_ENTITY, "content.xml")])
@pytest.mark.parametrize("declared, encoding, bom", [
    ("UTF-8", "utf-8", b""), ("UTF-16", "utf-16-le", b"\xff\xfe"), ("UTF-16", "utf-16-be", b"\xfe\xff")])
def test_a_dtd_or_entity_in_an_office_file_is_refused_in_any_encoding(tmp_path: Path, name: str, template: str, part: str,
                                                                     declared: str, encoding: str, bom: bytes):
    package = docx_document if name.endswith(".docx") else odt_content
    path = write(tmp_path, name, package(bom + template.format(declared).encode(encoding)))
    with pytest.raises(CorpusError) as info:
        read_document(path, LABELS)
    assert str(info.value).startswith(f"{path}: {part} declares a DTD") and "\n" not in str(info.value)
    plain = template.format(declared).replace(ENTITY, "").replace("&navn;", "hei")
    doc = read_document(write(tmp_path, name, package(bom + plain.encode(encoding))), LABELS)
    assert doc.text == "Mentor: hei"  # the same part without the DTD reads: UTF-16 itself is fine


def test_deeply_nested_content_controls_and_tables_are_read_without_recursion(tmp_path: Path):
    blocks = "<w:sdt><w:sdtContent>" * 5000 + w_paragraph(w_run("Mentor: Blokk.")) + "</w:sdtContent></w:sdt>" * 5000
    runs = w_paragraph("<w:sdt><w:sdtContent>" * 5000 + w_run("Mentor: Løpende.") + "</w:sdtContent></w:sdt>" * 5000)
    tables = "<w:tbl><w:tr><w:tc>" * 400 + w_paragraph(w_run("Mentor: Tabell.")) + "</w:tc></w:tr></w:tbl>" * 400
    doc = read_document(write(tmp_path, "dyp.docx", docx(blocks + runs + tables)), LABELS)
    assert doc.text == "Mentor: Blokk.\n\nMentor: Løpende.\n\nMentor: Tabell."
    assert doc.line_at(doc.text.index("Tabell")) == 3
    sections = "<text:section>" * 5000 + "<text:p>Mentor: " + "<text:span>" * 5000 + "Seksjon."
    odt_body = sections + "</text:span>" * 5000 + "</text:p>" + "</text:section>" * 5000
    assert read_document(write(tmp_path, "dyp.odt", odt(odt_body)), LABELS).text == "Mentor: Seksjon."


def test_a_text_box_inside_a_paragraph_follows_it(tmp_path: Path):
    box = "<w:r><w:drawing><w:txbxContent>" + w_paragraph(w_run("Mentor: I boksen.")) + "</w:txbxContent></w:drawing></w:r>"
    body = w_paragraph(w_run("Mentor: Før boksen."), box, w_run(" Etter.")) + w_paragraph(w_run("Mentor: Neste."))
    doc = read_document(write(tmp_path, "boks.docx", docx(body)), LABELS)
    assert doc.text == "Mentor: Før boksen. Etter.\n\nMentor: I boksen.\n\nMentor: Neste."
    assert [doc.line_at(doc.text.index(w)) for w in ("Før", "boksen.", "Neste")] == [1, 1, 3]
    assert doc.line_at(doc.text.index("I boksen")) == 2


ENCRYPTED_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(500)


@pytest.mark.parametrize("name, data, kind", [
    ("zip.docx", password_flagged(docx_paragraphs("Mentor: Hemmelig."), "word/document.xml"), "Word (.docx)"),
    ("word.docx", ENCRYPTED_WORD, "Word (.docx)"),  # how Word itself saves a .docx with a password
    ("zip.odt", password_flagged(odt_paragraphs("Mentor: Hemmelig."), "content.xml"), "OpenDocument (.odt)"),
    ("libre.odt", odt_content(b"\x8f\x01binary", ODT_MANIFEST.replace(
        'manifest:media-type="text/xml"/>', 'manifest:media-type="text/xml"><manifest:encryption-data/>'
        "</manifest:file-entry>")), "OpenDocument (.odt)"),
])
def test_a_password_protected_office_file_says_so_in_one_line(tmp_path: Path, name: str, data: bytes, kind: str):
    path = write(tmp_path, name, data)
    with pytest.raises(CorpusError) as info:
        read_document(path, LABELS)
    assert str(info.value) == f"{path}: encrypted (password-protected) {kind} file; save it without a password"


def test_ten_thousand_speakers_each_speaking_twice_are_twenty_thousand_turns(tmp_path: Path):
    turns = [f"{'Person' if i % 2 else 'Deltaker'} {i}: Runde {r}." for r in range(2) for i in range(10_000)]
    doc = read_document(write(tmp_path, "gruppe.txt", "\n\n".join(turns).encode()), LABELS)
    assert len(doc.turns) == 20_000 and len(doc.participants) == 10_000
    last = doc.turns[-1]
    assert (last.speaker, last.participant, last.text, last.line) == ("Person 9999", "gruppe/person-9999", "Runde 1.", 39_999)


def test_a_word_file_of_twenty_thousand_paragraphs(tmp_path: Path):
    paragraphs = [f"Intervjuer: Uke {i}?" if i % 2 == 0 else f"Mentor: Uke {i}, tid." for i in range(20_000)]
    doc = read_document(write(tmp_path, "lang.docx", docx_paragraphs(*paragraphs)), LABELS)
    assert len(doc.turns) == 20_000 and doc.participants == ["lang"]
    assert (doc.turns[-1].text, doc.line_at(doc.turns[-1].start)) == ("Uke 19999, tid.", 20_000)
