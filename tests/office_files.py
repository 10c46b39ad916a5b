"""Minimal valid .docx and .odt files built with zipfile, as Word and LibreOffice lay them out."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w_run(text: str, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def w_paragraph(*runs: str) -> str:
    return f"<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr>{''.join(runs)}</w:p>"


def w_table(rows: list[list[str]]) -> str:
    cells = lambda row: "".join(f"<w:tc>{w_paragraph(w_run(c))}</w:tc>" for c in row)  # noqa: E731
    return "<w:tbl>" + "".join(f"<w:tr>{cells(r)}</w:tr>" for r in rows) + "</w:tbl>"


def docx(body_xml: str) -> bytes:
    """A .docx whose body is the given WordprocessingML (paragraphs, tables)."""
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W_NS}"><w:body>{body_xml}<w:sectPr/></w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("_rels/.rels", DOCX_RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def docx_paragraphs(*paragraphs: str) -> bytes:
    return docx("".join(w_paragraph(w_run(p)) for p in paragraphs))


ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')
ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def odt(body_xml: str) -> bytes:
    """An .odt whose office:text holds the given ODF XML (text:p, text:h, table:table)."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS} office:version="1.2">'
               f"<office:body><office:text>{body_xml}</office:text></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", ODT_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def odt_paragraphs(*paragraphs: str) -> bytes:
    return odt("".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs))


def package(parts: dict[str, str | bytes]) -> bytes:
    """A zip of exactly these parts, for office files with hand-made (or hostile) members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_document(document: str | bytes) -> bytes:
    """A .docx whose word/document.xml is exactly these bytes (any encoding, any prologue)."""
    return package({"[Content_Types].xml": DOCX_TYPES, "_rels/.rels": DOCX_RELS, "word/document.xml": document})


def odt_content(content: str | bytes, manifest: str = ODT_MANIFEST) -> bytes:
    """An .odt whose content.xml is exactly these bytes."""
    return package({"mimetype": "application/vnd.oasis.opendocument.text", "META-INF/manifest.xml": manifest,
                    "content.xml": content})


def password_flagged(raw: bytes, name: str) -> bytes:
    """The zip with member name marked encrypted (flag bit 0 in its local and central headers), as a
    zip tool saves a password-protected member; zipfile itself cannot write one."""
    data = bytearray(raw)
    for signature, flags, name_length, header in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        at = data.find(signature)
        while at >= 0:
            length = int.from_bytes(data[at + name_length:at + name_length + 2], "little")
            if data[at + header:at + header + length] == name.encode():
                data[at + flags] |= 0x1
            at = data.find(signature, at + 4)
    return bytes(data)
