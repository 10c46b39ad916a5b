"""Small REFI-QDA exports as five programs write them, built in code (no binary blobs in git).

Each reproduces what the research notes (the refi-qda folder's NOTES.md) and QualCoder's importer
say the program does: where its offsets count a CRLF, an emoji, a BOM; what it calls its sources
folder; how it writes cases, annotations, memos and code parents. Each fixture says which
extracts an import must end up with: (code label, item, exact text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from office_files import docx_paragraphs, package

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


def gid(n: int, upper: bool = False, braces: bool = False) -> str:
    """A readable GUID: gid(7) = 00000000-0000-4000-8000-000000000007."""
    value = f"00000000-0000-4000-8000-{n:012d}"
    value = value.upper() if upper else value
    return "{" + value + "}" if braces else value


def span(text: str, phrase: str, *, crlf: int = 1, utf16: bool = False, occurrence: int = 1) -> tuple[int, int]:
    """The program's (start, end) of a phrase of a "\\n" text: counting a line end as `crlf`
    characters, and characters beyond U+FFFF twice when the program counts UTF-16 units."""
    at = -1
    for _ in range(occurrence):
        at = text.index(phrase, at + 1)

    def units(s: str) -> int:
        return len(s) + (crlf - 1) * s.count("\n") + (sum(c > "\uffff" for c in s) if utf16 else 0)

    return units(text[:at]), units(text[:at]) + units(phrase)


@dataclass
class Fixture:
    """A .qdpx or .qdc as bytes, and what importing it must give."""

    name: str
    data: bytes
    extracts: set[tuple[str, str, str]] = field(default_factory=set)  # (code label, item, text)
    texts: dict[str, str] = field(default_factory=dict)  # item id -> transcript text
    hints: dict[str, str | None] = field(default_factory=dict)  # code label -> theme hint id
    lost: tuple[str, ...] = ()  # words each reported loss must contain, one line each
    participants: dict = field(default_factory=dict)
    memos: list[tuple[str, str | None, str]] = field(default_factory=list)  # (about, target, words in it)


def selection(guid: str, start: int, end: int, codes: list[tuple[str, str]], name: str = "", inner: str = "") -> str:
    codings = "".join(f'<Coding guid="{c}" creatingUser="{gid(900)}"><CodeRef targetGUID="{ref}"/></Coding>'
                      for c, ref in codes)
    named = f" name={quoteattr(name)}" if name else ""
    return (f'<PlainTextSelection guid="{guid}"{named} startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{gid(900)}">{inner}{codings}</PlainTextSelection>')


def project(origin: str, body: str, extra_ns: str = "") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{PROJECT_NS}"{extra_ns} name="Arbeidstrening" '
            f'origin="{origin}"><Users><User guid="{gid(900)}" name="forsker"/></Users>{body}</Project>\n')


# ---------------------------------------------------------------- NVivo

KARI = ("Intervjuer: Hvordan var den første uka?\n\n"
        "Kari: Den var tøff 😊 men jeg fikk god hjelp av mentoren min.\n\n"
        "Intervjuer: Hva betydde det for deg?\n\n"
        "Kari: At jeg stolte på henne. Det var tillit fra første dag.\n")


def nvivo() -> Fixture:
    """NVivo 14: `Sources/`, CRLF counted twice, UTF-16 offsets (the emoji counts two), every node
    codable (a parent coded too), the case a node with the case's GUID coding the whole source,
    an annotation as a Link from a Note (its text in a .txt) to the selection, a .docx beside the
    plain text, a Graph."""
    nv = dict(crlf=2, utf16=True)
    parts = [
        selection(gid(21), *span(KARI, "Det var tillit fra første dag", **nv), [(gid(31), gid(2))]),
        selection(gid(22), *span(KARI, "jeg stolte på henne", **nv), [(gid(32), gid(3))]),
        selection(gid(23), *span(KARI, "jeg fikk god hjelp av mentoren min", **nv), [(gid(33), gid(4))]),
    ]
    body = (
        f'<CodeBook><Codes>'
        f'<Code guid="{gid(2)}" name="Relasjon" isCodable="true" color="#aa0000"><Description>Forholdet til mentor</Description>'
        f'<Code guid="{gid(3)}" name="Tillit" isCodable="true"/><Code guid="{gid(4)}" name="Mentorstøtte" isCodable="true"/>'
        f'</Code><Code guid="{gid(50)}" name="Kari" isCodable="true"/></Codes></CodeBook>'
        f'<Variables><Variable guid="{gid(60)}" name="Alder" typeOfVariable="Integer"/>'
        f'<Variable guid="{gid(61)}" name="Rolle" typeOfVariable="Text"/></Variables>'
        f'<Cases><Case guid="{gid(50)}" name="Kari">'
        f'<VariableValue><VariableRef targetGUID="{gid(60)}"/><IntegerValue>34</IntegerValue></VariableValue>'
        f'<VariableValue><VariableRef targetGUID="{gid(61)}"/><TextValue>arbeidstaker</TextValue></VariableValue></Case></Cases>'
        f'<Sources><TextSource guid="{gid(10)}" name="Intervju Kari" richTextPath="internal://{gid(10)}.docx" '
        f'plainTextPath="internal://{gid(11)}.txt" creatingUser="{gid(900)}">{"".join(parts)}'
        f'<Coding guid="{gid(34)}" creatingUser="{gid(900)}"><CodeRef targetGUID="{gid(50)}"/></Coding></TextSource></Sources>'
        f'<Notes><Note guid="{gid(70)}" name="Annotasjon" plainTextPath="internal://{gid(70)}.txt" '
        f'creationDateTime="2024-05-02T09:30:00Z"/></Notes>'
        f'<Links><Link guid="{gid(80)}" name="Annotasjon" direction="OneWay" originGUID="{gid(70)}" targetGUID="{gid(22)}"/></Links>'
        f'<Graphs><Graph guid="{gid(90)}" name="Kart"/></Graphs>'
    )
    data = package({
        "project.qde": project("NVivo 14 (14.23.0)", body),
        f"Sources/{gid(11)}.txt": KARI.replace("\n", "\r\n").encode("utf-8"),
        f"Sources/{gid(10)}.docx": docx_paragraphs(*[p for p in KARI.split("\n") if p]),
        f"Sources/{gid(70)}.txt": "Viktig: tilliten kom tidlig.\r\n".encode("utf-8"),
    })
    return Fixture("nvivo", data, {
        ("Relasjon", "intervju-kari", "Det var tillit fra første dag"),
        ("Tillit", "intervju-kari", "jeg stolte på henne"),
        ("Mentorstøtte", "intervju-kari", "jeg fikk god hjelp av mentoren min"),
    }, {"intervju-kari": KARI}, {"Relasjon": "relasjon", "Tillit": "relasjon", "Mentorstøtte": "relasjon"},
        lost=("graph", "colour"), participants={"intervju-kari": {"Alder": 34, "Rolle": "arbeidstaker", "kasus": "Kari"}},
        memos=[("item", "intervju-kari", "Viktig: tilliten kom tidlig.")])


# ---------------------------------------------------------------- ATLAS.ti

OLA = ("I: Hvordan har du det på jobben?\n\n"
       "Ola: Bra. Kollegene spiser lunsj sammen med meg hver dag.\n\n"
       "I: Og sjefen?\n\n"
       "Ola: Sjefen er streng, men rettferdig. Jeg lærer mye av ham.\n")


def atlas() -> Fixture:
    """ATLAS.ti 23: upper-case GUIDs (braced in places), xsi:schemaLocation, `Sources/`, CRLF in
    the .txt but counted once, quotations named by their first words, codable parents nested
    three deep with codings at each level, a code name used twice, code and document groups as
    Sets, an external source; and one quotation whose offsets miss its words."""
    up = dict(upper=True)
    parts = [
        selection(gid(21, **up), *span(OLA, "Kollegene spiser lunsj sammen med meg"), [(gid(31, **up), gid(3, **up, braces=True))],
                  name="Kollegene spiser lunsj…"),
        selection(gid(22, **up), *span(OLA, "spiser lunsj"), [(gid(32, **up), gid(4, **up))], name="spiser lunsj"),
        selection(gid(23, **up), *span(OLA, "Sjefen er streng, men rettferdig."), [(gid(33, **up), gid(6, **up))],
                  name="Sjefen er streng, men rettferdig."),
        selection(gid(24, **up), *span(OLA, "Jeg lærer mye av ham."), [(gid(34, **up), gid(8, **up))],
                  name="Jeg lærer mye av ham."),
        selection(gid(25, **up), *span(OLA, "Jeg lærer mye av ham."), [(gid(35, **up), gid(7, **up))],
                  name="Sjefen er streng, men rettferdig"),  # ATLAS.ti's shift: the offsets miss the words named
        selection(gid(26, **up), *span(OLA, "Bra."), [(gid(36, **up), gid(2, **up))], name="Bra."),
    ]
    codes = (
        f'<Code guid="{gid(2, **up)}" name="Arbeidsplassen" isCodable="true">'
        f'<Code guid="{gid(3, **up)}" name="Kolleger" isCodable="true"><Code guid="{gid(4, **up)}" name="Lunsj" isCodable="true"/></Code>'
        f'</Code><Code guid="{gid(5, **up)}" name="Ledelse" isCodable="true"><Code guid="{gid(6, **up)}" name="Annet" isCodable="true"/></Code>'
        f'<Code guid="{gid(9, **up)}" name="Læring" isCodable="true"><Code guid="{gid(7, **up)}" name="Annet" isCodable="true"/>'
        f'<Code guid="{gid(8, **up)}" name="Læring i jobben" isCodable="true"/></Code>'
    )
    body = (
        f'<CodeBook><Codes>{codes}</Codes></CodeBook>'
        f'<Sources><TextSource guid="{gid(10, **up)}" name="Ola.txt" plainTextPath="internal://{gid(10, **up)}.txt">'
        f'{"".join(parts)}</TextSource>'
        f'<TextSource guid="{gid(12, **up)}" name="Per.txt" plainTextPath="relative://Intervjuer/Per.txt"/></Sources>'
        f'<Sets><Set guid="{gid(40, **up)}" name="Sosialt"><MemberCode targetGUID="{gid(3, **up)}"/>'
        f'<MemberCode targetGUID="{gid(4, **up)}"/></Set>'
        f'<Set guid="{gid(41, **up)}" name="Lager"><MemberSource targetGUID="{gid(10, **up)}"/></Set></Sets>'
    )
    xsi = (' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:project:1.0 '
           'http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"')
    data = package({
        "project.qde": project("ATLAS.ti Windows 23.2.1.26990", body, xsi),
        f"Sources/{gid(10, upper=True)}.txt": OLA.replace("\n", "\r\n").encode("utf-8"),
    })
    return Fixture("atlas", data, {
        ("Arbeidsplassen", "ola", "Bra."),
        ("Kolleger", "ola", "Kollegene spiser lunsj sammen med meg"),
        ("Lunsj", "ola", "spiser lunsj"),
        ("Annet", "ola", "Sjefen er streng, men rettferdig."),
        ("Læring i jobben", "ola", "Jeg lærer mye av ham."),
    }, {"ola": OLA}, {"Arbeidsplassen": "arbeidsplassen", "Kolleger": "arbeidsplassen", "Lunsj": "arbeidsplassen",
                      "Annet": "ledelse", "Annet (Læring)": "laering", "Læring i jobben": "laering"},
        lost=("Per.txt", "named by words found elsewhere", "Sosialt", "Lager"))


# ---------------------------------------------------------------- MAXQDA

ANNE = ("Intervjuer: Hva gjør du på jobb?\n\n"
        "Anne: Jeg jobber i kassa. Det er travelt, men jeg liker det.\n\n"
        "Intervjuer: Hva er vanskelig?\n\n"
        "Anne: Tidspress. Vi er for få på jobb.\n")
BJORN = ("Intervjuer: Hvordan ble du tatt imot?\n\n"
         "Bjørn: Veldig godt. Alle hilste på meg første dag.\n")


def maxqda() -> Fixture:
    """MAXQDA 2022: `sources/`, CRLF counted twice, two documents with one name, a coded parent
    code, a whole document coded (a Coding on the TextSource), a memo as a selection with a
    Description and no Coding, document variables as a Case without a name (and as a
    VariableValue on a source), a selection beyond the text, a PDF."""
    mx = dict(crlf=2)
    anne = [
        selection(gid(21), *span(ANNE, "Jeg jobber i kassa.", **mx), [(gid(31), gid(2))]),
        selection(gid(22), *span(ANNE, "Tidspress. Vi er for få på jobb.", **mx), [(gid(32), gid(3))]),
        selection(gid(23), *span(ANNE, "men jeg liker det", **mx), [(gid(33), gid(4))]),
        selection(gid(24), *span(ANNE, "Vi er for få på jobb.", **mx), [], inner="<Description>Sjekk bemanningen med lederen.</Description>"),
        selection(gid(25), 900, 940, [(gid(35), gid(3))]),
    ]
    body = (
        f'<CodeBook><Codes><Code guid="{gid(2)}" name="Arbeidshverdag" isCodable="true">'
        f'<Code guid="{gid(3)}" name="Tidspress" isCodable="true"/><Code guid="{gid(4)}" name="Trivsel" isCodable="true"/></Code>'
        f'<Code guid="{gid(5)}" name="Mottakelse" isCodable="true"/></Codes></CodeBook>'
        f'<Variables><Variable guid="{gid(60)}" name="Bransje" typeOfVariable="Text"/></Variables>'
        f'<Cases><Case guid="{gid(50)}"><VariableValue><VariableRef targetGUID="{gid(60)}"/><TextValue>dagligvare</TextValue>'
        f'</VariableValue><SourceRef targetGUID="{gid(10)}"/></Case></Cases>'
        f'<Sources><TextSource guid="{gid(10)}" name="Intervju" plainTextPath="internal://{gid(10)}.txt">{"".join(anne)}</TextSource>'
        f'<TextSource guid="{gid(11)}" name="Intervju" plainTextPath="internal://{gid(11)}.txt">'
        f'<Coding guid="{gid(36)}"><CodeRef targetGUID="{gid(5)}"/></Coding>'
        f'<VariableValue><VariableRef targetGUID="{gid(60)}"/><TextValue>lager</TextValue></VariableValue></TextSource>'
        f'<PDFSource guid="{gid(12)}" name="Rapport.pdf" path="internal://{gid(12)}.pdf"/></Sources>'
    )
    data = package({
        "project.qde": project("MAXQDA 2022 (Release 22.5.0)", body),
        f"sources/{gid(10)}.txt": ANNE.replace("\n", "\r\n").encode("utf-8"),
        f"sources/{gid(11)}.txt": BJORN.replace("\n", "\r\n").encode("utf-8"),
        f"sources/{gid(12)}.pdf": b"%PDF-1.4 not really",
    })
    return Fixture("maxqda", data, {
        ("Arbeidshverdag", "intervju", "Jeg jobber i kassa."),
        ("Tidspress", "intervju", "Tidspress. Vi er for få på jobb."),
        ("Trivsel", "intervju", "men jeg liker det"),
        ("Mottakelse", "intervju-2", BJORN),
    }, {"intervju": ANNE, "intervju-2": BJORN},
        {"Arbeidshverdag": "arbeidshverdag", "Tidspress": "arbeidshverdag", "Trivsel": "arbeidshverdag", "Mottakelse": None},
        lost=("outside the text", "PDF"), participants={"intervju": {"Bransje": "dagligvare"}, "intervju-2": {"Bransje": "lager"}},
        memos=[("item", "intervju", "Sjekk bemanningen med lederen.")])


# ---------------------------------------------------------------- QualCoder

NINA = ("Intervjuer: Fortell om oppfølgingen.\n\n"
        "Veileder: Vi har tett oppfølging de første ukene. Så trapper vi ned.\n\n"
        "Intervjuer: Hvorfor?\n\n"
        "Veileder: Fordi mestring kommer gradvis. Det tar tid.\n")


def qualcoder() -> Fixture:
    """QualCoder 3.5: `sources/` written with a BOM, selections named by their text, a coding
    memo as the selection's Description, categories (isCodable="false") two deep, a journal as
    a Note in a .txt nothing refers to, an annotation as a Note holding its own selection and a
    NoteRef on the source, a named case with a SourceRef, a picture, a project description."""
    parts = [
        selection(gid(21), *span(NINA, "Vi har tett oppfølging de første ukene."), [(gid(31), gid(4))],
                  name="Vi har tett oppfølging de første ukene.", inner="<Description>Typisk for starten.</Description>"),
        selection(gid(22), *span(NINA, "Så trapper vi ned."), [(gid(32), gid(5))], name="Så trapper vi ned."),
        selection(gid(23), *span(NINA, "Fordi mestring kommer gradvis."), [(gid(33), gid(6))], name="Fordi mestring kommer gradvis."),
    ]
    start, end = span(NINA, "Det tar tid.")
    body = (
        f'<CodeBook><Codes><Code guid="{gid(2)}" name="Oppfølging" isCodable="false">'
        f'<Code guid="{gid(3)}" name="Intensitet" isCodable="false">'
        f'<Code guid="{gid(4)}" name="tett oppfølging" isCodable="true" color="#F781F3"><Description>Hyppig kontakt.</Description></Code>'
        f'</Code><Code guid="{gid(5)}" name="nedtrapping" isCodable="true"/></Code>'
        f'<Code guid="{gid(6)}" name="mestring" isCodable="true"/></Codes></CodeBook>'
        f'<Variables><Variable guid="{gid(60)}" name="rolle" typeOfVariable="Text"/></Variables>'
        f'<Cases><Case guid="{gid(50)}" name="Veileder Nina"><Description />'
        f'<VariableValue><VariableRef targetGUID="{gid(60)}"/><TextValue>NAV-veileder</TextValue></VariableValue>'
        f'<SourceRef targetGUID="{gid(10)}"/></Case></Cases>'
        f'<Sources><TextSource guid="{gid(10)}" name="nina.txt" plainTextPath="internal://{gid(11)}.txt" '
        f'creatingUser="{gid(900)}" creationDateTime="2024-03-01T10:00:00Z">{"".join(parts)}'
        f'<NoteRef targetGUID="{gid(71)}" /></TextSource>'
        f'<PictureSource guid="{gid(12)}" name="tavle.png" path="internal://{gid(12)}.png"/></Sources>'
        f'<Notes><Note guid="{gid(70)}" creatingUser="{gid(900)}" creationDateTime="2024-03-02T08:15:00Z" '
        f'name="Refleksjon uke 1" plainTextPath="internal://{gid(70)}.txt"><Description /></Note>'
        f'<Note guid="{gid(71)}" creatingUser="{gid(900)}" creationDateTime="2024-03-03T12:00:00Z">'
        f'<PlainTextContent>Tid som tema?</PlainTextContent>'
        f'<PlainTextSelection guid="{gid(72)}" startPosition="{start}" endPosition="{end}" /></Note></Notes>'
        f'<Description>Masteroppgave om oppfølging</Description>'
    )
    data = package({
        "project.qde": project("QualCoder 3.5", body),
        f"sources/{gid(11)}.txt": NINA.encode("utf-8-sig"),
        f"sources/{gid(70)}.txt": "Jeg merker at jeg heier på veilederne.".encode("utf-8-sig"),
        f"sources/{gid(12)}.png": b"\x89PNG not really",
    })
    return Fixture("qualcoder", data, {
        ("tett oppfølging", "nina", "Vi har tett oppfølging de første ukene."),
        ("nedtrapping", "nina", "Så trapper vi ned."),
        ("mestring", "nina", "Fordi mestring kommer gradvis."),
    }, {"nina": NINA}, {"tett oppfølging": "oppfolging", "nedtrapping": "oppfolging", "mestring": None},
        lost=("picture", "colour"), participants={"nina": {"rolle": "NAV-veileder", "kasus": "Veileder Nina"}},
        memos=[("study", None, "Masteroppgave om oppfølging"), ("study", None, "Jeg merker at jeg heier"),
               ("item", "nina", "Tid som tema?"), ("item", "nina", "Typisk for starten.")])


# ---------------------------------------------------------------- codebooks (.qdc)


def taguette_qdc() -> bytes:
    """Taguette's codebook exactly as its XMLGenerator writes it: upper-case uuid5 GUIDs, flat
    tags, no descriptions, and an empty <Sets/> (invalid against Codebook.xsd)."""
    codes = "".join(f'<Code guid="{gid(n, upper=True)}" name="{escape(name)}" isCodable="true"/>'
                    for n, name in ((1, "tillit"), (2, "tidspress"), (3, "mestring & motivasjon")))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="{CODEBOOK_NS}" origin="Taguette 1.4.1">'
            f"<Codes>{codes}</Codes><Sets/></CodeBook>").encode("utf-8")


def nested_qdc() -> bytes:
    """A codebook with a category and a coloured code, as the research notes' valid example."""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="{CODEBOOK_NS}" origin="QualCoder 3.5">\n'
            f'  <Codes>\n    <Code guid="{gid(1)}" name="Tema: Tillit" isCodable="false">\n'
            f"      <Description>Kandidattema</Description>\n"
            f'      <Code guid="{gid(2)}" name="tillit til lege" isCodable="true" color="#1f77b4">'
            f"<Description>Når informanten stoler på legen.</Description></Code>\n"
            f"    </Code>\n  </Codes>\n</CodeBook>\n").encode("utf-8")


PROGRAMS = {"nvivo": nvivo, "atlas": atlas, "maxqda": maxqda, "qualcoder": qualcoder}
