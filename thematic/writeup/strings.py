"""Every word the report says itself, one table per language: bokmål, Nynorsk and English.

The researcher's own text (names, definitions, narratives, memos) and the participants' words are
never translated; only headings, labels and the method section the machine writes are. Numbers
and lists follow the language too ("20 121" and "a, b og c"; "20,121" and "a, b and c").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

LANGUAGES = ("nb", "nn", "en")
CHOICES = ("auto", *LANGUAGES)  # phases.report.language; auto follows the study's language
WORD_LANG = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}  # for HTML lang= and Word's proofing

NB: dict[str, object] = {
    "kind": "Rapport fra tematisk analyse",
    "contents": "Innhold",
    "toc_hint": "Innholdsfortegnelsen oppdateres når du åpner dokumentet i Word (ellers: høyreklikk og velg «Oppdater felt», eller trykk F9).",
    "method": "Metode",
    "map": "Tematisk kart",
    "map_caption": "Temaene og kodene deres; tallet i parentes er antall utdrag med koden.",
    "definition": "Definisjon",
    "draft_definition": "Definisjon (utkast)",
    "concept": "Sentralt organiserende begrep",
    "subthemes": "Undertemaer",
    "codes": "Koder",
    "extracts": "Utdrag",
    "no_extracts": "Ingen utdrag.",
    "chosen": "valgt av forskeren",
    "narrative_placeholder": "Skriv den analytiske fortellingen her (feltet narrative: i 5-themes.yaml).",
    "note": "Merk:",
    "changed": "kodene i temaet har endret seg siden du navnga det: {parts} koder. Les navnet og teksten på nytt.",
    "prevalence": "Utbredelse",
    "prevalence_note": "kun til informasjon; temaene er ikke rangert etter hyppighet",
    "columns": ("Tema", "Koder", "Utdrag", "Deltakere", "Anonyme ytringer", "Intervjuer"),
    "appendix_codebook": "Vedlegg: kodeboken slik den ble brukt",
    "codebook_intro": "Kodene som teller i analysen, med forskerens beslutninger innarbeidet (nye navn, sammenslåtte koder). Tallet er antall utdrag med koden.",
    "codebook_columns": ("Kode", "Definisjon og nøkkelord", "Tema", "Utdrag"),
    "origin": {"codebook": "kodebok", "suggested": "maskinens forslag", "manual": "forskerens egen"},
    "keywords": "Nøkkelord",
    "forms": "Former i dataene",
    "merged_from": "Slått sammen fra",
    "not_in_theme": "ikke i noe tema",
    "appendix_checklist": "Vedlegg: Braun og Clarkes sjekkliste",
    "checklist": {"header": "Nr.|Prosess|Kriterium|Svar|Belegg", "pass": "oppfylt", "warn": "se på dette",
                  "judge": "ditt skjønn", "note": "Svarene er lest ut av artefaktene av `thematic check`; belegget står på engelsk."},
    "appendix_journal": "Vedlegg: memoer og refleksiv logg",
    "about": {"study": "studien", "item": "intervju", "code": "kode", "theme": "tema"},
    "undated": "udatert",
    "line": "linje",
    "participant": "deltaker",
    "quote": ("«", "»"),
    "and": "og",
    "decimal": ",",
    "thousands": "\u00a0",
    "percent": "{value}\u00a0%",
    "nouns": {
        "item": ("intervju", "intervjuer"), "participant": ("deltaker", "deltakere"), "code": ("kode", "koder"),
        "theme": ("tema", "temaer"), "candidate": ("kandidattema", "kandidattemaer"), "memo": ("memo", "memoer"),
        "word": ("ord", "ord"), "voice": ("anonym ytring", "anonyme ytringer"),
    },
    "data": "Materialet består av {items} med {people}{voices}{roles}. Deltakerne sier {words} ord til sammen; intervjuerens tale ({interviewer} ord) er ikke kodet.",
    "voices": " og {voices} der personene ikke kan skilles",
    "no_role": "uten oppgitt rolle",
    "approach": {
        "reflexive": "Studien er satt opp som refleksiv tematisk analyse (Braun og Clarke 2006, 2021). I denne tilnærmingen er temaer mønstre av felles mening som forskeren konstruerer gjennom koding og tolkning; forskerens subjektivitet er en ressurs, ikke en feilkilde, og kodingen måles ikke mot andre kodere.",
        "codebook": "Studien er satt opp som kodebokbasert tematisk analyse (Braun og Clarke 2021), slik som template- og rammeanalyse: en strukturert kodebok styrer kodingen og kan bygge på temaer utviklet tidlig, mens tolkningen fortsatt er forskerens.",
        "coding-reliability": "Studien er satt opp som tematisk analyse med vekt på kodingsreliabilitet (Braun og Clarke 2021): kodene følger en fast kodebok som flere kodere kan bruke, enighet mellom dem kan måles, og temaer forstås ofte som oppsummeringer av hva deltakerne sa om et emne.",
    },
    "tool": "Analysen fulgte Braun og Clarkes seks faser med verktøyet {tool}. Lemmaer og ordklasser kom fra spaCy-pipelinen {pipeline} ({version}).",
    "one_codebook": "Kodingen brukte kodeboken {names} ({codes}), matchet på lemmaer.",
    "codebooks": "Kodingen brukte kodebøkene {names} ({codes}), matchet på lemmaer.",
    "no_codebook": "Ingen kodebok ble brukt.",
    "decisions": "Maskinen foreslo {suggested}{beyond}; forskeren godtok {accepted}, avviste {rejected}, ga nytt navn til {renamed} og slo sammen {merged}, og la til {manual} selv.",
    "beyond": " ut over kodeboken",
    "counted": "I alt teller {codes} i analysen.",
    "candidates": "Fase 3 grupperte kodene i {candidates}{misc}.",
    "misc": " og lot {codes} stå i samlekategorien «diverse»",
    "review": "Beslutninger i gjennomgangen (fase 4): {decisions}.",
    "review_none": "Ingen av kandidattemaene er vurdert i gjennomgangen (fase 4) ennå.",
    "review_words": {"keep": "behold {n}", "merge": "slå sammen {n}", "split": "del {n}", "discard": "forkast {n}",
                     "pending": "ikke vurdert ennå {n}"},
    "coverage": "Kandidattemaene dekket {share} av deltakernes ytringer.",
    "final": "Rapporten har {themes}{split}.",
    "from_split": ", {n} av dem fra delte temaer",
    "unnamed": "Ingen av temaene er navngitt av forskeren ennå; navnene er maskinens forslag.",
    "named": "{named} av {themes} er navngitt av forskeren; {defined} har en definisjon, {concept} et sentralt organiserende begrep og {narrative} en analytisk tekst skrevet av forskeren.",
    "machine_extracts": "Utdragene er valgt av maskinen og spredt over flest mulig deltakere.",
    "chosen_extracts": "Forskeren valgte utdragene til {chosen} av {themes}; for de andre er de valgt av maskinen og spredt over flest mulig deltakere.",
    "widened": "Korte utdrag er utvidet til hele setningen eller ytringen, og alle er kontrollert mot transkripsjonene.",
    "memos": "Forskeren skrev {memos} underveis ({kinds}); de står i vedlegget.",
    "memo_kinds": {"study": "{n} i den refleksive loggen", "item": "{n} om intervjuer", "code": "{n} om koder",
                   "theme": "{n} om temaer"},
    "no_memos": "Det er ikke skrevet noen memoer (memos.yaml).",
}

NN: dict[str, object] = {
    **NB,
    "kind": "Rapport frå tematisk analyse",
    "contents": "Innhald",
    "toc_hint": "Innhaldslista vert oppdatert når du opnar dokumentet i Word (elles: høgreklikk og vel «Oppdater felt», eller trykk F9).",
    "map_caption": "Tema og kodane deira; talet i parentes er kor mange utdrag som har koden.",
    "concept": "Sentralt organiserande omgrep",
    "subthemes": "Undertema",
    "codes": "Kodar",
    "no_extracts": "Ingen utdrag.",
    "chosen": "valt av forskaren",
    "narrative_placeholder": "Skriv den analytiske forteljinga her (feltet narrative: i 5-themes.yaml).",
    "changed": "kodane i temaet har endra seg sidan du namngav det: {parts} kodar. Les namnet og teksten på nytt.",
    "prevalence": "Utbreiing",
    "prevalence_note": "berre til informasjon; temaa er ikkje rangerte etter kor ofte dei førekjem",
    "columns": ("Tema", "Kodar", "Utdrag", "Deltakarar", "Anonyme ytringar", "Intervju"),
    "appendix_codebook": "Vedlegg: kodeboka slik ho vart brukt",
    "codebook_intro": "Kodane som tel i analysen, med avgjerdene til forskaren innarbeidde (nye namn, samanslåtte kodar). Talet er kor mange utdrag som har koden.",
    "codebook_columns": ("Kode", "Definisjon og nøkkelord", "Tema", "Utdrag"),
    "origin": {"codebook": "kodebok", "suggested": "forslag frå maskinen", "manual": "forskaren sin eigen"},
    "forms": "Former i dataa",
    "merged_from": "Slått saman frå",
    "not_in_theme": "ikkje i noko tema",
    "appendix_checklist": "Vedlegg: sjekklista til Braun og Clarke",
    "checklist": {"header": "Nr.|Prosess|Kriterium|Svar|Belegg", "pass": "oppfylt", "warn": "sjå på dette",
                  "judge": "ditt skjønn", "note": "Svara er lesne ut av artefaktane av `thematic check`; belegget står på engelsk."},
    "appendix_journal": "Vedlegg: memo og refleksiv logg",
    "participant": "deltakar",
    "nouns": {
        "item": ("intervju", "intervju"), "participant": ("deltakar", "deltakarar"), "code": ("kode", "kodar"),
        "theme": ("tema", "tema"), "candidate": ("kandidattema", "kandidattema"), "memo": ("memo", "memo"),
        "word": ("ord", "ord"), "voice": ("anonym ytring", "anonyme ytringar"),
    },
    "data": "Materialet består av {items} med {people}{voices}{roles}. Deltakarane seier {words} ord til saman; talen til intervjuaren ({interviewer} ord) er ikkje koda.",
    "voices": " og {voices} der personane ikkje kan skiljast frå kvarandre",
    "no_role": "utan oppgitt rolle",
    "approach": {
        "reflexive": "Studien er sett opp som refleksiv tematisk analyse (Braun og Clarke 2006, 2021). I denne tilnærminga er tema mønster av felles meining som forskaren konstruerer gjennom koding og tolking; subjektiviteten til forskaren er ein ressurs, ikkje ei feilkjelde, og kodinga vert ikkje målt mot andre kodarar.",
        "codebook": "Studien er sett opp som kodebokbasert tematisk analyse (Braun og Clarke 2021), slik som mal- og rammeanalyse: ei strukturert kodebok styrer kodinga og kan byggje på tema som er utvikla tidleg, medan tolkinga framleis er forskaren si.",
        "coding-reliability": "Studien er sett opp som tematisk analyse med vekt på kodingsreliabilitet (Braun og Clarke 2021): kodane følgjer ei fast kodebok som fleire kodarar kan bruke, semja mellom dei kan målast, og tema vert ofte forstått som samandrag av kva deltakarane sa om eit emne.",
    },
    "tool": "Analysen følgde dei seks fasane til Braun og Clarke med verktøyet {tool}. Lemma og ordklassar kom frå spaCy-pipelinen {pipeline} ({version}).",
    "one_codebook": "Kodinga brukte kodeboka {names} ({codes}), matcha på lemma.",
    "codebooks": "Kodinga brukte kodebøkene {names} ({codes}), matcha på lemma.",
    "no_codebook": "Inga kodebok vart brukt.",
    "decisions": "Maskinen føreslo {suggested}{beyond}; forskaren godtok {accepted}, avviste {rejected}, gav nytt namn til {renamed} og slo saman {merged}, og la til {manual} sjølv.",
    "beyond": " utover kodeboka",
    "counted": "I alt tel {codes} i analysen.",
    "candidates": "Fase 3 grupperte kodane i {candidates}{misc}.",
    "misc": " og let {codes} stå i samlekategorien «diverse»",
    "review": "Avgjerder i gjennomgangen (fase 4): {decisions}.",
    "review_none": "Ingen av kandidattemaa er vurdert i gjennomgangen (fase 4) enno.",
    "review_words": {"keep": "behald {n}", "merge": "slå saman {n}", "split": "del {n}", "discard": "forkast {n}",
                     "pending": "ikkje vurdert enno {n}"},
    "coverage": "Kandidattemaa dekte {share} av ytringane til deltakarane.",
    "from_split": ", {n} av dei frå delte tema",
    "unnamed": "Ingen av temaa er namngitt av forskaren enno; namna er forslag frå maskinen.",
    "named": "{named} av {themes} er namngitt av forskaren; {defined} har ein definisjon, {concept} eit sentralt organiserande omgrep og {narrative} ein analytisk tekst skriven av forskaren.",
    "machine_extracts": "Utdraga er valde av maskinen og spreidde over flest mogleg deltakarar.",
    "chosen_extracts": "Forskaren valde utdraga til {chosen} av {themes}; for dei andre er dei valde av maskinen og spreidde over flest mogleg deltakarar.",
    "widened": "Korte utdrag er utvida til heile setninga eller ytringa, og alle er kontrollerte mot transkripsjonane.",
    "memos": "Forskaren skreiv {memos} undervegs ({kinds}); dei står i vedlegget.",
    "memo_kinds": {"study": "{n} i den refleksive loggen", "item": "{n} om intervju", "code": "{n} om kodar",
                   "theme": "{n} om tema"},
    "no_memos": "Det er ikkje skrive noko memo (memos.yaml).",
}

EN: dict[str, object] = {
    "kind": "Report of a thematic analysis",
    "contents": "Contents",
    "toc_hint": "Word updates the table of contents when it opens the document (otherwise: right-click and choose Update Field, or press F9).",
    "method": "Method",
    "map": "Thematic map",
    "map_caption": "The themes and their codes; the number in brackets is how many extracts have the code.",
    "definition": "Definition",
    "draft_definition": "Definition (draft)",
    "concept": "Central organising concept",
    "subthemes": "Subthemes",
    "codes": "Codes",
    "extracts": "Extracts",
    "no_extracts": "No extracts.",
    "chosen": "chosen by the researcher",
    "narrative_placeholder": "Write the analytic narrative here (the narrative: field in 5-themes.yaml).",
    "note": "Note:",
    "changed": "the theme's codes have changed since you named it: {parts} codes. Read the name and the text again.",
    "prevalence": "Prevalence",
    "prevalence_note": "information only; themes are not ranked by frequency",
    "columns": ("Theme", "Codes", "Extracts", "Participants", "Anonymous utterances", "Interviews"),
    "appendix_codebook": "Appendix: the codebook as used",
    "codebook_intro": "The codes that count in the analysis, with the researcher's decisions applied (new names, merged codes). The number is how many extracts have the code.",
    "codebook_columns": ("Code", "Definition and keywords", "Theme", "Extracts"),
    "origin": {"codebook": "codebook", "suggested": "machine suggestion", "manual": "the researcher's own"},
    "keywords": "Keywords",
    "forms": "Forms in the data",
    "merged_from": "Merged from",
    "not_in_theme": "in no theme",
    "appendix_checklist": "Appendix: Braun and Clarke's checklist",
    "checklist": {"header": "No.|Process|Criterion|Answer|Evidence", "pass": "pass", "warn": "warn",
                  "judge": "yours to judge", "note": "Answered from the artefacts by `thematic check`."},
    "appendix_journal": "Appendix: memos and reflexive journal",
    "about": {"study": "the study", "item": "interview", "code": "code", "theme": "theme"},
    "undated": "undated",
    "line": "line",
    "participant": "participant",
    "quote": ("“", "”"),
    "and": "and",
    "decimal": ".",
    "thousands": ",",
    "percent": "{value}%",
    "nouns": {
        "item": ("interview", "interviews"), "participant": ("participant", "participants"), "code": ("code", "codes"),
        "theme": ("theme", "themes"), "candidate": ("candidate theme", "candidate themes"), "memo": ("memo", "memos"),
        "word": ("word", "words"), "voice": ("anonymous utterance", "anonymous utterances"),
    },
    "data": "The data set consists of {items} with {people}{voices}{roles}. The participants speak {words} words in all; the interviewer's talk ({interviewer} words) was not coded.",
    "voices": " and {voices} whose speakers cannot be told apart",
    "no_role": "no role given",
    "approach": {
        "reflexive": "The study is set up as reflexive thematic analysis (Braun and Clarke 2006, 2021). In this approach themes are patterns of shared meaning that the researcher constructs through coding and interpretation; the researcher's subjectivity is a resource rather than a source of bias, and coding is not measured against other coders.",
        "codebook": "The study is set up as codebook thematic analysis (Braun and Clarke 2021), like template and framework analysis: a structured codebook guides the coding and may build on themes developed early, while interpretation remains the researcher's.",
        "coding-reliability": "The study is set up as coding reliability thematic analysis (Braun and Clarke 2021): codes follow a fixed codebook that several coders can apply, agreement between them can be measured, and themes are often understood as summaries of what participants said about a topic.",
    },
    "tool": "The analysis followed Braun and Clarke's six phases with the tool {tool}. Lemmas and word classes came from the spaCy pipeline {pipeline} ({version}).",
    "one_codebook": "Coding used the codebook {names} ({codes}), matched on lemmas.",
    "codebooks": "Coding used the codebooks {names} ({codes}), matched on lemmas.",
    "no_codebook": "No codebook was used.",
    "decisions": "The machine suggested {suggested}{beyond}; the researcher accepted {accepted}, rejected {rejected}, renamed {renamed} and merged {merged}, and added {manual} of their own.",
    "beyond": " beyond the codebook",
    "counted": "In all, {codes} count in the analysis.",
    "candidates": "Phase 3 grouped the codes into {candidates}{misc}.",
    "misc": " and left {codes} in the miscellaneous bin «diverse»",
    "review": "Decisions in the review (phase 4): {decisions}.",
    "review_none": "None of the candidate themes has been decided on in the review (phase 4) yet.",
    "review_words": {"keep": "keep {n}", "merge": "merge {n}", "split": "split {n}", "discard": "discard {n}",
                     "pending": "not yet decided {n}"},
    "coverage": "The candidate themes covered {share} of the participants' utterances.",
    "final": "The report has {themes}{split}.",
    "from_split": ", {n} of them from split themes",
    "unnamed": "None of the themes has been named by the researcher yet; the names are the machine's suggestions.",
    "named": "{named} of {themes} have been named by the researcher; {defined} have a definition, {concept} a central organising concept and {narrative} an analytic text written by the researcher.",
    "machine_extracts": "The extracts were chosen by the machine, spread over as many participants as possible.",
    "chosen_extracts": "The researcher chose the extracts of {chosen} of {themes}; for the others they were chosen by the machine, spread over as many participants as possible.",
    "widened": "Short extracts are widened to their whole sentence or utterance, and every one was checked against the transcripts.",
    "memos": "The researcher wrote {memos} along the way ({kinds}); they are in the appendix.",
    "memo_kinds": {"study": "{n} in the reflexive journal", "item": "{n} on interviews", "code": "{n} on codes",
                   "theme": "{n} on themes"},
    "no_memos": "No memos were written (memos.yaml).",
}

TABLES: dict[str, dict[str, object]] = {"nb": NB, "nn": NN, "en": EN}


@dataclass(frozen=True)
class Words:
    """One language's table, with the few rules of how numbers, counts and lists are written."""

    lang: str

    @property
    def table(self) -> dict[str, object]:
        return TABLES[self.lang]

    def __getitem__(self, key: str) -> str:
        return str(self.table[key])

    def of(self, key: str) -> dict[str, str]:
        """A sub-table (approach sentences, origins, memo kinds ...)."""
        return self.table[key]  # type: ignore[return-value]

    def say(self, key: str, **values: object) -> str:
        return self[key].format(**values)

    def num(self, value: int) -> str:
        return f"{value:,}".replace(",", self["thousands"])

    def n(self, count: int, noun: str) -> str:
        """"1 kode", "3 koder": a count with its noun in the right number."""
        one, many = self.of("nouns")[noun]
        return f"{self.num(count)} {one if count == 1 else many}"

    def pct(self, share: float) -> str:
        return self.say("percent", value=f"{100 * share:.1f}".replace(".", self["decimal"]))

    def join(self, parts: Iterable[str]) -> str:
        """"a, b og c" ("a, b and c")."""
        items = [p for p in parts if p]
        return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {self['and']} {items[-1]}" if items else ""

    def quoted(self, text: str) -> str:
        start, end = self.table["quote"]  # type: ignore[misc]
        return f"{start}{text}{end}"


def words(lang: str) -> Words:
    return Words(lang if lang in TABLES else "nb")
