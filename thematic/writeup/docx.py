"""The report as a Word document (python-docx): Word's own Title and Heading styles, so the
navigation pane and the table of contents work; each extract a block quote (Word's Quote style,
indented with a rule at its left) with its attribution under it; the thematic map as a picture;
a table-of-contents field Word fills in when the document opens; A4 pages.

Same Report, same bytes: no creation or modification date is written, and the zip entries carry
one fixed timestamp.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from thematic.thematic_map import map_layout
from thematic.writeup.model import Appendix, Quote, Report, Table, Theme
from thematic.writeup.picture import png
from thematic.writeup.strings import WORD_LANG, Words, words

MUTED = "5B6470"
A4 = (21.0, 29.7)  # cm
MARGIN_CM = 2.5
MAP_WIDTH_CM = A4[0] - 2 * MARGIN_CM  # the width of the text
NUMBER_CM = 2.4  # a table column of numbers ("Deltakere" on one line)
CM_PER_CHAR = 0.21  # a bold 9.5 pt character, about
PADDING_CM = 0.4  # a cell's margins, left and right
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no real time leaks in
TOC_LEVELS = "1-1"  # sections and themes; "Utdrag" and memos stay out of the table of contents


def docx(report: Report) -> bytes:
    from docx import Document

    w = words(report.language)
    doc = Document()
    _page(doc)
    _styles(doc, w)
    _properties(doc, report, w)
    _front(doc, report, w)
    doc.add_heading(w["method"], 1)
    for text in report.method:
        doc.add_paragraph(text)
    _map(doc, report, w)
    for theme in report.themes:
        _theme(doc, theme, w)
    doc.add_heading(w["prevalence"], 1)
    _muted(doc.add_paragraph(), f"{w['prevalence_note'].capitalize()}.")
    _table(doc, report.prevalence)
    for appendix in report.appendices:
        _appendix(doc, appendix)
    return _fixed_zip(doc)


def _page(doc: Any) -> None:
    from docx.shared import Cm

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(A4[0]), Cm(A4[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))


def _styles(doc: Any, w: Words) -> None:
    """Body text, the quote style (indented, a rule at its left) and the document's language, so
    Word checks spelling in Norwegian or English."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    defaults.find(qn("w:lang")).set(qn("w:val"), WORD_LANG[w.lang])
    quote = doc.styles["Quote"]
    borders = OxmlElement("w:pBdr")  # first: Word wants it before the spacing and indents set below
    left = OxmlElement("w:left")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "8"), ("color", "A9B2BD")):
        left.set(qn(f"w:{key}"), value)
    borders.append(left)
    quote.element.get_or_add_pPr().append(borders)
    quote.paragraph_format.left_indent = Cm(1)
    quote.paragraph_format.right_indent = Cm(1)
    quote.paragraph_format.space_before = Pt(6)
    quote.paragraph_format.space_after = Pt(10)
    quote.paragraph_format.keep_together = True


def _properties(doc: Any, report: Report, w: Words) -> None:
    """Title and language in File > Properties; no dates (the same report gives the same file)."""
    from docx.oxml.ns import qn

    props = doc.core_properties
    props.title, props.subject, props.author = report.title, w["kind"], "thematic"
    props.comments, props.language, props.last_modified_by, props.revision = report.tool, WORD_LANG[w.lang], "", 1
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for element in props._element.findall(qn(tag)):
            props._element.remove(element)
    package = doc.part.package
    for rid, rel in list(package.rels.items()):  # python-docx's own page thumbnail is not this report
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rid)


def _front(doc: Any, report: Report, w: Words) -> None:
    from docx.shared import Pt

    doc.add_paragraph(w["kind"].upper(), style="Subtitle")
    doc.add_heading(report.title, 0)
    _muted(doc.add_paragraph(), report.tool)
    if report.draft:
        draft = doc.add_paragraph(style="Intense Quote")
        draft.add_run(report.draft).bold = True
    doc.add_paragraph(w["contents"], style="TOC Heading")
    _toc(doc, report, w)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _toc(doc: Any, report: Report, w: Words) -> None:
    """A TOC field; until Word updates it (it asks when the document opens), the headings stand
    in as its result, so a reader that never updates fields still shows the contents."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    headings = [w["method"], w["map"], *(f"{t.number}. {t.title}" for t in report.themes), w["prevalence"],
                *(a.title for a in report.appendices)]
    first, last = doc.add_paragraph(), None
    _field_char(first, "begin")
    instruction = first.add_run()._r
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f' TOC \\o "{TOC_LEVELS}" \\h \\z \\u '
    instruction.append(text)
    _field_char(first, "separate")
    first.add_run(headings[0])
    for heading in headings[1:]:
        last = doc.add_paragraph(heading)
    _field_char(last or first, "end")
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")  # Word offers to update the fields when it opens the file
    update.set(qn("w:val"), "true")
    settings.find(qn("w:compat")).addprevious(update)  # where the schema puts it


def _field_char(paragraph: Any, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _muted(paragraph: Any, text: str, italic: bool = False) -> Any:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.font.color.rgb = RGBColor.from_string(MUTED)
    run.font.size = Pt(9.5)
    run.italic = italic
    return run


def _map(doc: Any, report: Report, w: Words) -> None:
    from docx.shared import Cm

    doc.add_heading(w["map"], 1)
    layout = map_layout(w["map"], report.title, report.map.records(), report.map.labels, report.map.counts,
                        lambda n: w.n(n, "code"), titled=False)
    doc.add_picture(io.BytesIO(png(layout)), width=Cm(MAP_WIDTH_CM))
    doc.add_paragraph(w["map_caption"], style="Caption")


def _labelled(doc: Any, label: str, text: str, draft: bool = False) -> None:
    paragraph = doc.add_paragraph()
    head = paragraph.add_run(f"{label}: ")
    head.bold, head.italic = not draft, draft
    if draft:
        _muted(paragraph, text, italic=True)
    else:
        paragraph.add_run(text)


def _theme(doc: Any, theme: Theme, w: Words) -> None:
    from docx.shared import RGBColor

    heading = doc.add_heading("", 1)
    heading.add_run(f"{theme.number}. ").font.color.rgb = RGBColor.from_string(theme.colour.lstrip("#").upper())
    heading.add_run(theme.title)
    if theme.changed:
        note = doc.add_paragraph()
        note.add_run(f"{w['note']} ").bold = True
        note.add_run(w.say("changed", parts=theme.changed)).font.color.rgb = RGBColor.from_string("B02A24")
    if theme.definition:
        _labelled(doc, w["definition"], theme.definition)
    else:
        _labelled(doc, w["draft_definition"], theme.scaffold, draft=True)
    if theme.concept:
        _labelled(doc, w["concept"], theme.concept)
    if theme.subthemes:
        doc.add_paragraph().add_run(f"{w['subthemes']}:").bold = True
        for sub in theme.subthemes:
            item = doc.add_paragraph(style="List Bullet")
            item.add_run(sub.label).bold = True
            item.add_run(f": {', '.join(sub.codes)}")
    _labelled(doc, w["codes"], ", ".join(theme.codes))
    for text in _blocks(theme.narrative):
        doc.add_paragraph(text)
    if not theme.narrative:
        _muted(doc.add_paragraph(), w["narrative_placeholder"], italic=True)
    doc.add_heading(w["extracts"], 2)
    for quote in theme.quotes:
        _quote(doc, quote, w)
    if not theme.quotes:
        doc.add_paragraph(w["no_extracts"])


def _blocks(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _quote(doc: Any, quote: Quote, w: Words) -> None:
    """One block quote: the passage, then on a line of its own who said it where."""
    paragraph = doc.add_paragraph(style="Quote")
    paragraph.add_run(w.quoted(quote.text))
    paragraph.add_run().add_break()
    attribution = _muted(paragraph, f"— {quote.attribution}" + (f" ({w['chosen']})" if quote.chosen else ""))
    attribution.italic = False


def _table(doc: Any, data: Table) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = doc.add_table(rows=1 + len(data.rows), cols=len(data.header))
    table.style = doc.styles["Light List Accent 1"]
    table.autofit = False
    widths = _widths(data)
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid, which LibreOffice reads
    repeat = OxmlElement("w:tblHeader")  # the header row again on every page of a long table
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for r, (row, values) in enumerate(zip(table.rows, [data.header, *data.rows])):
        for cell, text, numeric, width in zip(row.cells, values, data.numeric, widths):  # row.cells once: table.cell() is slow
            cell.width = width  # each cell, which Word reads
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.font.size = Pt(9.5)
            run.bold = r == 0 or None
            paragraph.paragraph_format.space_after = Pt(0)
            if numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()
    return table


def _widths(data: Table) -> list[Any]:
    """Column widths over the text width: numbers narrow; each text column wide enough for its
    longest word, the rest shared by how much text it holds."""
    from docx.shared import Cm

    rows = [data.header, *data.rows]
    text = [i for i, numeric in enumerate(data.numeric) if not numeric]
    floor = {i: min(4.5, PADDING_CM + CM_PER_CHAR * max(len(word) for r in rows for word in r[i].split() or [""]))
             for i in text}
    weight = {i: min(60.0, sum(len(r[i]) for r in rows) / len(rows)) + 1 for i in text}
    spare = MAP_WIDTH_CM - NUMBER_CM * (len(data.numeric) - len(text)) - sum(floor.values())
    return [Cm(floor[i] + max(spare, 0) * weight[i] / sum(weight.values())) if i in floor else Cm(NUMBER_CM)
            for i in range(len(data.numeric))]


def _appendix(doc: Any, appendix: Appendix) -> None:
    doc.add_heading(appendix.title, 1)
    for text in appendix.paragraphs:
        _muted(doc.add_paragraph(), text)
    if appendix.table is not None:
        _table(doc, appendix.table)
    for entry in appendix.entries:
        doc.add_heading(entry.heading, 3)
        for text in _blocks(entry.text):
            doc.add_paragraph(text)


def _fixed_zip(doc: Any) -> bytes:
    """The saved document re-zipped with one fixed timestamp per entry (python-docx stamps the
    time of saving)."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
