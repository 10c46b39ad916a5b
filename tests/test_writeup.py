"""The report as data and its three formats: passages around extracts, the report's language,
Word read back with python-docx, self-contained HTML, the same bytes every time, and report files
you edited never overwritten."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document as read_docx

from conftest import make_tiny_study
from helpers import invoke, load
from thematic.artefacts import sha256_file
from thematic.context import Context
from thematic.corpus import split_turns
from thematic.errors import StaleQuoteError
from thematic.phases import report as phase6
from thematic.project import load_project
from thematic.writeup.docx import docx
from thematic.writeup.html import html
from thematic.writeup.markdown import markdown
from thematic.writeup.model import MODEL_FILE, Appendix, Table, from_json
from thematic.writeup.passage import passage
from thematic.writeup.strings import words
from thematic.corpus import Document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"





@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny study after one run, shared by the tests that only read it."""
    study = make_tiny_study(tmp_path_factory.mktemp("writeup"))
    assert invoke("run", study).exit_code == 0
    return study


@pytest.fixture()
def study(analysed: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(analysed, tmp_path / "tiny"))


def report_of(study: Path):
    analysis = study / "analysis"
    report = from_json((analysis / ".thematic" / MODEL_FILE).read_text(encoding="utf-8"), sha256_file(analysis / "6-report.md"))
    assert report is not None
    return report


def _doc(text: str) -> Document:
    """A transcript whose Mentor label marks a speaker (a label used once is read as prose)."""
    text += "\nIntervjuer: Mm.\n\nMentor: Ja.\n"
    return Document("m", Path("interviews/m.txt"), "0" * 64, text, tuple(split_turns("m", text, {"Intervjuer"})))


def _span(doc: Document, words_: str) -> dict:
    start = doc.text.index(words_)
    return {"id": "x", "item": "m", "span": [start, start + len(words_)], "text": words_}


LONG_TURN = ("Intervjuer: Hva med tiden?\n\nMentor: " + "Vi jobber mye med det hver eneste dag her. " * 8
             + "Nei. Ja. Sånn er det. Og så slutter vi klokka fire, f.eks. når det er stille på lageret. Det er fint.\n")


def test_a_fragment_is_widened_to_its_whole_sentence():
    doc = _doc("Intervjuer: Hva?\n\nMentor: " + "Vi prøver. " * 30 + "Men tiden strekker rett og slett ikke til for oss, altså. Så ble det.\n")
    found = passage(doc, _span(doc, "tiden strekker rett"))
    assert found.text == "Men tiden strekker rett og slett ikke til for oss, altså."


def test_a_short_sentence_in_a_short_turn_becomes_the_whole_turn():
    doc = _doc("Intervjuer: Og tiden?\n\nMentor: Vi har ikke tid. Porteføljene våre er altfor\nstore.\n")
    found = passage(doc, _span(doc, "Vi har ikke tid."))
    assert found.text == "Vi har ikke tid. Porteføljene våre er altfor store."  # the line break folded
    assert found.line == 3 and found.turn is not None and found.turn.speaker == "Mentor"


def test_a_short_sentence_in_a_long_turn_grows_by_whole_sentences():
    doc = _doc(LONG_TURN)
    found = passage(doc, _span(doc, "Nei."))
    assert found.text.startswith("Nei. Ja. Sånn er det. Og så slutter") and found.text.endswith("stille på lageret.")
    assert "f.eks. når" in found.text, "an abbreviation before a small letter does not end a sentence"
    assert doc.text[found.start - 1].isspace() and len(found.text.split()) >= 8


def test_the_report_language_follows_the_parameter_then_the_study_then_the_transcripts():
    nynorsk = SimpleNamespace(text="Eg veit ikkje kva eg skal seie, men eg trur det går bra.")
    bokmal = SimpleNamespace(text="Jeg vet ikke hva jeg skal si.")

    def ctx(language: str, docs: list) -> SimpleNamespace:
        return SimpleNamespace(project=SimpleNamespace(settings={"language": language}), docs=docs)

    assert phase6.report_language(ctx("nb", []), {"language": "en"}) == "en"
    assert phase6.report_language(ctx("nn", []), {"language": "auto"}) == "nn"
    assert phase6.report_language(ctx("auto", [nynorsk, nynorsk, bokmal]), {"language": "auto"}) == "nn"
    assert phase6.report_language(ctx("auto", [nynorsk, bokmal]), {"language": "auto"}) == "nb"


def test_an_unknown_report_language_is_refused_with_its_line(tmp_path: Path):
    study = make_tiny_study(tmp_path)
    path = study / "thematic.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  report:\n    language: de\n", encoding="utf-8")
    result = invoke("run", study)
    assert result.exit_code == 1 and "thematic.yaml:7: phases.report.language is 'de'; allowed: auto, nb, nn, en" in result.output


@pytest.mark.parametrize("language, expected", [
    ("en", ["## Method", "## Thematic map", "### Extracts", "## Prevalence (information only;", "## Appendix: the codebook as used",
            "The data set consists of 3 interviews with 4 participants (mentor: 2, NAV-veileder: 2)", "“Vi har ikke tid."]),
    ("nn", ["## Metode", "## Utbreiing (berre til informasjon;", "## Vedlegg: kodeboka slik ho vart brukt", "Kodar: Skreddersøm.",
            "Materialet består av 3 intervju med 4 deltakarar", "Maskinen føreslo 1 kode utover kodeboka"]),
])
def test_headings_and_the_method_section_come_in_the_report_language(study: Path, language: str, expected: list[str]):
    path = study / "thematic.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"  report: {{language: {language}}}\n", encoding="utf-8")
    result = invoke("run", study)
    assert result.exit_code == 0 and result.output.count(" ran ") == 1, "only the report is stale"
    text = (study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    assert all(e in text for e in expected), [e for e in expected if e not in text]
    assert "Utdrag" not in text if language == "en" else True


def test_the_saved_report_is_the_one_the_markdown_was_written_from(study: Path):
    report = report_of(study)
    text = (study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    assert markdown(report) == text
    assert from_json(report.to_json("0" * 64), sha256_file(study / "analysis" / "6-report.md")) is None
    assert from_json("{not json", "x") is None


def test_the_method_counts_roles_review_decisions_and_memos(study: Path):
    assert invoke("themes", "discard", study, "tema-tid").exit_code == 0
    assert invoke("memo", study, "-m", "Jeg startet med en forforståelse.").exit_code == 0
    assert invoke("memo", study, "-m", "Tid overalt.", "--code", "tid").exit_code == 0
    assert invoke("run", study).exit_code == 0
    text = (study / "analysis" / "6-report.md").read_text(encoding="utf-8")
    assert "3 intervjuer med 4 deltakere (mentor: 2, NAV-veileder: 2). Deltakerne sier 70 ord" in text
    assert "Beslutninger i gjennomgangen (fase 4): forkast 1, ikke vurdert ennå 1." in text
    assert "Rapporten har 1 tema." in text
    assert "Forskeren skrev 2 memoer underveis (1 i den refleksive loggen, 1 om koder)" in text


def test_the_researchers_chosen_extracts_replace_the_machines(study: Path):
    theme = next(t for t in load(study, "5-themes.yaml")["themes"] if t["id"] == "tema-tid")
    machine = {e["id"] for e in theme["extracts"]}
    assert invoke("extracts", "pick", study, "tema-tid", "veiledere:57").exit_code == 0
    assert invoke("run", study).exit_code == 0
    report = report_of(study)
    quotes = next(t for t in report.themes if t.id == "tema-tid").quotes
    assert [q.extract for q in quotes] == ["veiledere:57"] and quotes[0].chosen and "veiledere:57" not in machine
    assert "Forskeren valgte utdragene til 1 av 2 temaer" in report.method[-1]
    assert "valgt av forskeren" in html(report)


def test_a_stale_quote_stops_the_report_naming_the_file_and_the_fix(study: Path):
    ctx = Context(load_project(study))
    changed = {d.id: (d if d.id != "mentor-a" else Document(d.id, d.path, d.sha256, d.text.replace("tiden", "timen"), d.turns))
               for d in ctx.docs}
    ctx.__dict__["docs_by_id"] = changed
    with pytest.raises(StaleQuoteError) as info:
        phase6.build(ctx, {"language": "auto"})
    assert "5-themes.yaml: extract mentor-a:" in str(info.value) and "interviews/mentor-a.txt" in str(info.value)
    assert "thematic run" in str(info.value)


def test_word_headings_quotes_toc_and_picture_read_back_with_python_docx(study: Path):
    data = docx(report_of(study))
    doc = read_docx(io.BytesIO(data))
    styles = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ("Title", "Mini") in styles and ("Heading 1", "Metode") in styles and ("Heading 1", "1. Skreddersøm") in styles
    assert ("Heading 2", "Utdrag") in styles and ("Heading 1", "Vedlegg: kodeboken slik den ble brukt") in styles
    quote = next(text for style, text in styles if style == "Quote" and "Vi har ikke tid" in text)
    assert quote == "«Vi har ikke tid. Porteføljene våre er altfor store.»\n— NAV-veileder, Veileder 1, veiledere, linje 3"
    body = doc.element.body
    assert any('TOC \\o "1-1"' in (t.text or "") for t in body.iter(f"{W}instrText"))
    assert [c.get(f"{W}fldCharType") for c in body.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
    assert len(doc.inline_shapes) == 1 and doc.inline_shapes[0].width.cm == pytest.approx(16.0, abs=0.01)
    assert doc.core_properties.title == "Mini" and doc.core_properties.language == "nb-NO"
    assert doc.settings.element.find(f"{W}updateFields") is not None
    picture = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/"))
    assert zipfile.ZipFile(io.BytesIO(data)).read(picture)[:8] == b"\x89PNG\r\n\x1a\n"


def test_word_headings_in_english(study: Path):
    path = study / "thematic.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  report: {language: en}\n", encoding="utf-8")
    assert invoke("run", study).exit_code == 0
    report = report_of(study)
    names = {p.text for p in read_docx(io.BytesIO(docx(report))).paragraphs if p.style.name.startswith("Heading")}
    assert {"Method", "Thematic map", "Extracts", "Prevalence", "Appendix: the codebook as used"} <= names
    assert not names & {"Metode", "Utdrag", "Utbredelse"}


def test_word_and_html_are_the_same_bytes_every_time(study: Path):
    assert invoke("report", study, "--format", "docx").exit_code == 0
    first = (study / "analysis" / "6-report.docx").read_bytes()
    assert invoke("report", study, "--force", "--format", "docx").exit_code == 0
    assert (study / "analysis" / "6-report.docx").read_bytes() == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert "dcterms:created" not in core and "dcterms:modified" not in core
    assert "docProps/thumbnail.jpeg" not in archive.namelist()
    report = report_of(study)
    assert html(report) == html(report_of(study))


def test_html_is_one_self_contained_file(study: Path):
    result = invoke("report", study, "--format", "html")
    assert result.exit_code == 0 and "wrote " in result.output
    page = (study / "analysis" / "6-report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 1 and "</svg>" in page and '<html lang="nb-NO">' in page and "<style>" in page
    assert not re.search(r"https?:|//[a-z]|\bsrc=|url\(|@import|<script|<link", page, re.I)
    assert "«Vi har ikke tid. Porteføljene våre er altfor store.»" in page and 'id="theme-1"' in page


def test_a_report_file_you_edited_is_not_overwritten_without_force(study: Path, tmp_path: Path):
    assert invoke("report", study, "-o", tmp_path / "rapport.docx").exit_code == 0
    target = tmp_path / "rapport.docx"
    target.write_bytes(target.read_bytes() + b"edited in Word")
    refused = invoke("report", study, "-o", target)
    assert refused.exit_code == 1 and "changed since thematic wrote it" in refused.output
    assert target.read_bytes().endswith(b"edited in Word")
    assert invoke("report", study, "-o", target, "--force").exit_code == 0 and not target.read_bytes().endswith(b"edited in Word")
    transcript = study / "interviews" / "mentor-a.txt"
    before = transcript.read_bytes()
    refused = invoke("report", study, "--format", "md", "-o", transcript, "--force")
    assert refused.exit_code == 1 and "one of the study's own files" in refused.output and transcript.read_bytes() == before
    unknown = invoke("report", study, "-o", tmp_path / "rapport.pdf")
    assert unknown.exit_code == 1 and "unknown report format 'pdf'" in unknown.output


def test_without_the_saved_report_the_formats_are_built_from_the_artefacts(study: Path):
    expected = html(report_of(study))
    (study / "analysis" / ".thematic" / MODEL_FILE).unlink()
    assert invoke("report", study, "--format", "html").exit_code == 0
    assert (study / "analysis" / "6-report.html").read_text(encoding="utf-8") == expected


def test_the_checklist_hook_shows_between_the_codebook_and_the_journal(study: Path, monkeypatch: pytest.MonkeyPatch):
    checklist = Appendix("checklist", "Vedlegg: Braun og Clarkes sjekkliste", ["Punkt for punkt."],
                         Table(["Punkt", "Status"], [["1. Transkripsjon", "ok"]], [False, False]))
    monkeypatch.setattr(phase6, "checklist_appendix", lambda ctx, w: checklist)
    assert invoke("memo", study, "-m", "Logg.").exit_code == 0
    assert invoke("run", study).exit_code == 0
    report = report_of(study)
    assert [a.key for a in report.appendices] == ["codebook", "checklist", "journal"]
    text = markdown(report)
    assert text.index("kodeboken slik") < text.index("| 1. Transkripsjon | ok |") < text.index("memoer og refleksiv logg")
    assert 'id="appendix-checklist"' in html(report)
    headings = [p.text for p in read_docx(io.BytesIO(docx(report))).paragraphs if p.style.name == "Heading 1"]
    assert headings[-2:] == ["Vedlegg: Braun og Clarkes sjekkliste", "Vedlegg: memoer og refleksiv logg"]


def test_words_count_and_join_in_each_language():
    nb, en = words("nb"), words("en")
    assert (nb.n(1, "code"), nb.n(20121, "word"), nb.join(["a", "b", "c"]), nb.pct(0.709)) == (
        "1 kode", "20\u00a0121 ord", "a, b og c", "70,9\u00a0%")
    assert (en.n(2, "theme"), en.num(20121), en.join(["a"]), en.quoted("x")) == ("2 themes", "20,121", "a", "“x”")
    assert words("nn").n(3, "participant") == "3 deltakarar"
