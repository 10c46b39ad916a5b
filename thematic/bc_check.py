"""Braun & Clarke's (2006, Table 2) 15-point checklist for a good thematic analysis, each point
answered from what the study's artefacts show where they can show it.

A point is `pass` when the artefacts show it is met, `warn` when they show something to look at
(with what and where), and `judge` ("yours to judge") where no program can decide: whether the
transcripts match the recordings, whether the story convinces, whether enough time was spent.
The evidence is one line in each case, so the report can print the list as an appendix. The
criteria are written in our own words, in English, bokmål and Nynorsk.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from thematic.project import Project

if TYPE_CHECKING:
    from thematic.context import Context
    from thematic.corpus import Document

PASS, WARN, JUDGE = "pass", "warn", "judge"
STATUS_TEXT = {PASS: "pass", WARN: "warn", JUDGE: "yours to judge"}
STAGES = {  # Braun & Clarke's processes, by the number each starts at
    "transcription": {"en": "Transcription", "nb": "Transkripsjon", "nn": "Transkripsjon"},
    "coding": {"en": "Coding", "nb": "Koding", "nn": "Koding"},
    "analysis": {"en": "Analysis", "nb": "Analyse", "nn": "Analyse"},
    "overall": {"en": "Overall", "nb": "Samlet", "nn": "Samla"},
    "written report": {"en": "Written report", "nb": "Skriftlig rapport", "nn": "Skriftleg rapport"},
}
CRITERIA: dict[int, dict[str, str]] = {
    1: {"en": "The transcripts are detailed enough for the analysis and have been checked against the recordings.",
        "nb": "Transkripsjonene er detaljerte nok for analysen og kontrollert mot opptakene.",
        "nn": "Transkripsjonane er detaljerte nok for analysen og kontrollerte mot opptaka."},
    2: {"en": "Every data item got the same careful attention in coding.",
        "nb": "Hvert intervju fikk like grundig oppmerksomhet i kodingen.",
        "nn": "Kvart intervju fekk like grundig merksemd i kodinga."},
    3: {"en": "Themes rest on thorough, inclusive coding across the data, not on a few striking examples.",
        "nb": "Temaene bygger på grundig og inkluderende koding av hele datasettet, ikke på noen få slående eksempler.",
        "nn": "Temaa byggjer på grundig og inkluderande koding av heile datasettet, ikkje på nokre få slåande døme."},
    4: {"en": "All the relevant extracts for each theme have been gathered.",
        "nb": "Alle relevante utdrag for hvert tema er samlet.",
        "nn": "Alle relevante utdrag for kvart tema er samla."},
    5: {"en": "Themes have been checked against each other and against the whole data set.",
        "nb": "Temaene er sjekket mot hverandre og mot hele datasettet.",
        "nn": "Temaa er sjekka mot kvarandre og mot heile datasettet."},
    6: {"en": "Each theme hangs together internally and is distinct from the others.",
        "nb": "Hvert tema henger sammen internt og skiller seg tydelig fra de andre.",
        "nn": "Kvart tema heng saman internt og skil seg tydeleg frå dei andre."},
    7: {"en": "The data have been interpreted and made sense of, not only paraphrased or described.",
        "nb": "Dataene er tolket og gitt mening, ikke bare gjenfortalt eller beskrevet.",
        "nn": "Dataa er tolka og gjevne meining, ikkje berre attfortalde eller skildra."},
    8: {"en": "The extracts support the analytic claims made about them.",
        "nb": "Utdragene underbygger de analytiske påstandene.",
        "nn": "Utdraga underbyggjer dei analytiske påstandane."},
    9: {"en": "The analysis tells a convincing, well-organised story about the data and the topic.",
        "nb": "Analysen forteller en overbevisende og godt organisert historie om dataene og emnet.",
        "nn": "Analysen fortel ei overtydande og godt organisert forteljing om dataa og emnet."},
    10: {"en": "Analytic narrative and illustrative extracts are in balance.",
         "nb": "Analytisk tekst og illustrerende utdrag er i balanse.",
         "nn": "Analytisk tekst og illustrerande utdrag er i balanse."},
    11: {"en": "Each phase got enough time; none was rushed or done once-over-lightly.",
         "nb": "Hver fase fikk nok tid; ingen ble forhastet eller gjort overfladisk.",
         "nn": "Kvar fase fekk nok tid; ingen vart forhasta eller gjord overflatisk."},
    12: {"en": "The assumptions behind the analysis and the kind of thematic analysis used are stated clearly.",
         "nb": "Antakelsene bak analysen og hvilken type tematisk analyse som er brukt, er tydelig beskrevet.",
         "nn": "Føresetnadene bak analysen og kva type tematisk analyse som er brukt, er tydeleg skildra."},
    13: {"en": "The method described matches what was actually done.",
         "nb": "Metoden som beskrives, stemmer med det som faktisk ble gjort.",
         "nn": "Metoden som vert skildra, stemmer med det som faktisk vart gjort."},
    14: {"en": "Language and concepts in the report fit the analysis's epistemological position.",
         "nb": "Språk og begreper i rapporten passer med analysens epistemologiske ståsted.",
         "nn": "Språk og omgrep i rapporten passar med den epistemologiske ståstaden til analysen."},
    15: {"en": "The researcher appears as an active interpreter; themes do not just 'emerge'.",
         "nb": "Forskeren framstår som en aktiv fortolker; temaene «dukker» ikke bare «opp».",
         "nn": "Forskaren står fram som ein aktiv tolkar; temaa «dukkar» ikkje berre «opp»."},
}
FAR_BELOW = 0.5  # an item whose coded share is under half the median item's is "far below the others"
# Researcher text that speaks of themes arising by themselves (Braun & Clarke's "themes emerged")
EMERGING = re.compile(r"\b(emerg\w*|dukke[tr]? opp|dukka opp|dukkar opp|kom(?:mer)? fr[ae]m|fr[ae]mkom\w*|trådte fr[ae]m)\b", re.I)
# Terms of coding-reliability TA that sit oddly in a reflexive report
POSITIVIST = re.compile(r"\b(bias\w*|objektiv\w*|objective\w*|reliabilitet\w*|reliability|inter-?rater\w*|"
                        r"validert\w*|validated|kodeenighet\w*)\b", re.I)


@dataclass(frozen=True)
class CheckPoint:
    """One point of the checklist: its number and stage, the criterion (ours, English), the
    answer (pass, warn or judge) and the evidence in one line."""

    number: int
    stage: str
    criterion: str
    status: str
    evidence: str

    def criterion_in(self, language: str) -> str:
        """The criterion in the report's language (nb, nn or en)."""
        return CRITERIA[self.number].get(language, self.criterion)

    def stage_in(self, language: str) -> str:
        return STAGES[self.stage].get(language, self.stage)

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "stage": self.stage, "criterion": self.criterion, "status": self.status,
                "status_text": STATUS_TEXT[self.status], "evidence": self.evidence}


@dataclass
class Artefacts:
    """What the checklist reads, each part None when its phase has not run."""

    project: Project
    states: dict[str, Any]
    view: Any = None  # thematic.view.StudyView
    no_view: str = ""
    familiarised: dict | None = None
    reviewed: dict | None = None
    defined: dict | None = None
    memos: list = field(default_factory=list)
    approach_written: bool = False
    docs: dict[str, Document] | None = None  # a run's transcripts by item; else the query index's turns

    def themes(self) -> list[dict]:
        """The themes of 5-themes.yaml: those the report writes up."""
        return [t for t in (self.defined or {}).get("themes") or [] if isinstance(t, dict)]

    def reviewed_themes(self) -> list[dict]:
        return [t for t in (self.reviewed or {}).get("themes") or [] if isinstance(t, dict)]

    def researcher_text(self) -> list[tuple[str, str]]:
        """(theme id, text) of everything the researcher wrote about the themes."""
        keys = ("name", "definition", "central_organising_concept", "narrative")
        return [(t["id"], str(t.get(k) or "")) for t in self.themes() for k in keys if t.get(k)]


def gather(project: Project, run: Context | None = None) -> Artefacts:
    """Read the lock's view of every phase, the artefacts that exist, the memos and thematic.yaml;
    inside a run (the report's appendix), its own lock and transcripts, hashed and split already."""
    from thematic.artefacts import load_yaml
    from thematic.lock import states
    from thematic.memos import memo_count, read_memos
    from thematic.phases import BY_NAME
    from thematic.json_copy import artefact_data

    found = Artefacts(project, {s.spec.name: s for s in states(project, run.lock if run else None)})
    found.docs = run.docs_by_id if run else None
    for attribute, phase in (("familiarised", "familiarise"), ("reviewed", "review"), ("defined", "define")):
        if (project.analysis_dir / BY_NAME[phase].artefact).is_file():
            setattr(found, attribute, artefact_data(project, BY_NAME[phase])[0])
    found.view, found.no_view = _view(project, run)
    found.memos = read_memos(project) if memo_count(project)[1] is None else []
    raw = load_yaml(project.root / "thematic.yaml").data
    found.approach_written = isinstance(raw, dict) and "approach" in raw
    return found


def _view(project: Project, run: Context | None) -> tuple[Any, str]:
    from thematic.errors import ThematicError
    from thematic.view import open_view

    try:
        return open_view(project.root, run), ""
    except ThematicError as exc:
        return None, str(exc)


def checklist(project: Project, writing: tuple[str, ...] = (), run: Context | None = None) -> list[CheckPoint]:
    """Every point of the checklist, in Braun & Clarke's order. `writing` names phases being run
    right now (the report's appendix passes ("report",)): their state in the lock is not yet new,
    so point 13 leaves them out rather than call the report it is part of stale."""
    found = gather(project, run)
    found.states = {name: state for name, state in found.states.items() if name not in writing}
    return [CheckPoint(number, stage, CRITERIA[number]["en"], *answer(found)) for number, stage, answer in POINTS]


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def _missing(found: Artefacts, phase: str) -> tuple[str, str]:
    from thematic.phases import BY_NAME

    return WARN, f"{BY_NAME[phase].artefact} is missing: run the analysis first (thematic run {found.project.root})"


# 1 Transcription

def _transcripts(found: Artefacts) -> tuple[str, str]:
    if found.familiarised is None:
        return _missing(found, "familiarise")
    summary = found.familiarised.get("summary") or {}
    return JUDGE, (f"{_plural(summary.get('items', 0), 'transcript')} with {summary.get('informant_words', 0):,} "
                   "informant words read; only you can compare them with the recordings")


# 2-6 Coding

def coverage_by_item(view: Any, docs: dict[str, Document] | None = None) -> dict[str, float]:
    """Per item, the share of its informant words that are in a turn with a code that counts."""
    out = {}
    for row in view.index.items:
        turns = docs[row.id].informant_turns if docs else [t for t in view.index.turns(row.id) if t.role == "informant"]
        starts = view.coded_starts(row.id)
        words = [t.words for t in turns]
        coded = [w for t, w in zip(turns, words) if _starts_within(starts, t.start, t.end)]
        if sum(words):
            out[row.id] = sum(coded) / sum(words)
    return out


def _starts_within(starts: list[int], start: int, end: int) -> bool:
    """Whether a sorted list has a value in [start, end): one bisection, not a scan per turn."""
    at = bisect_left(starts, start)
    return at < len(starts) and starts[at] < end


def _equal_attention(found: Artefacts) -> tuple[str, str]:
    if found.view is None:
        return WARN, f"no coded data to measure: {found.no_view}"
    shares = coverage_by_item(found.view, found.docs)
    if not shares:
        return WARN, "no informant words in any item"
    median = statistics.median(shares.values())
    low = sorted((s, item) for item, s in shares.items() if s < FAR_BELOW * median)
    spread = f"{min(shares.values()):.0%}-{max(shares.values()):.0%} per item (median {median:.0%})"
    if low:
        named = ", ".join(f"{item} {s:.0%}" for s, item in low[:4]) + (" …" if len(low) > 4 else "")
        return WARN, f"coded share of informant words {spread}; far below the others: {named}"
    return PASS, f"coded share of informant words {spread}; no item below half the median"


def _pending(found: Artefacts, kinds: set[str]) -> list[str]:
    """Flags of these kinds on themes whose phase-4 decision is still pending, as "theme (flag)"."""
    return [f"{t['id']} ({f.get('flag')})" for t in found.reviewed_themes() if t.get("decision", "pending") == "pending"
            for f in t.get("flags") or [] if f.get("flag") in kinds]


def _flag_answer(found: Artefacts, kinds: set[str], fine: str) -> tuple[str, str]:
    if found.reviewed is None:
        return _missing(found, "review")
    pending = _pending(found, kinds)
    if pending:
        return WARN, f"flagged with no decision yet in 4-reviewed-themes.yaml: {', '.join(pending)}"
    return PASS, fine


def _not_anecdotal(found: Artefacts) -> tuple[str, str]:
    items = [int((t.get("level1") or {}).get("items", 0)) for t in found.reviewed_themes()]
    total = ((found.familiarised or {}).get("summary") or {}).get("items", "?")
    span = f"; themes found in {min(items)}{'' if min(items) == max(items) else f'-{max(items)}'} of {total} items" if items else ""
    return _flag_answer(found, {"thin", "anecdotal"}, f"no theme left flagged thin or anecdotal{span}")


def _collated(found: Artefacts) -> tuple[str, str]:
    if found.view is None or found.reviewed is None:
        return _missing(found, "code" if found.view is None else "review")
    missed = [(t["id"], int(((t.get("level2") or {}).get("possible_missed") or {}).get("turns", 0)))
              for t in found.reviewed_themes()]
    turns = sum(n for _, n in missed)
    extracts = found.view.extract_count(found.view.codes)
    gathered = f"all {extracts:,} extracts of the {_plural(len(found.view.codes), 'code')} that count are gathered"
    if not turns:
        return PASS, f"{gathered}; review found no turn that speaks a theme's words without its codes"
    where = ", ".join(f"{tid} {n}" for tid, n in missed if n)
    return WARN, (f"{gathered}; {_plural(turns, 'turn')} speak a theme's words without its codes "
                  f"(possible_missed in 4-reviewed-themes.yaml: {where})")


def _fresh(found: Artefacts, phase: str) -> bool:
    state = found.states.get(phase)
    return state is not None and state.status in ("fresh", "edited")


def _checked(found: Artefacts) -> tuple[str, str]:
    if found.reviewed is None:
        return _missing(found, "review")
    dataset = found.reviewed.get("dataset") or {}
    done = (f"{_plural(len(found.reviewed_themes()), 'theme')} compared with each other (overlap) and with all "
            f"{dataset.get('informant_turns', 0):,} informant turns (coverage {float(dataset.get('coverage') or 0):.0%})")
    if not _fresh(found, "review"):
        return WARN, f"phase 4 is {found.states['review'].status}: {done} in an older run; run thematic run"
    pending = _pending(found, {f.get("flag") for t in found.reviewed_themes() for f in t.get("flags") or []})
    if pending:
        return WARN, f"{done}; flags without a decision: {', '.join(pending)}"
    return PASS, f"{done}; no flag left without a decision"


def _coherent(found: Artefacts) -> tuple[str, str]:
    coherence = [float(c) for t in found.reviewed_themes() if (c := (t.get("level1") or {}).get("coherence")) is not None]
    overlaps = [float(o.get("share", 0)) for t in found.reviewed_themes() for o in ((t.get("level2") or {}).get("overlap") or {}).values()]
    figures = (f" (coherence {min(coherence):g}-{max(coherence):g}; largest overlap {max(overlaps or [0]):.0%})"
               if coherence else "")
    return _flag_answer(found, {"incoherent", "overlapping"}, f"no theme left flagged incoherent or overlapping{figures}")


# 7-10 Analysis

def _interpreted(found: Artefacts) -> tuple[str, str]:
    if found.defined is None:
        return _missing(found, "define")
    themes = found.themes()
    defined = sum(bool(str(t.get("definition") or "").strip()) for t in themes)
    concepts = sum(bool(str(t.get("central_organising_concept") or "").strip()) for t in themes)
    written = f"definitions written for {defined} of {len(themes)} themes, central organising concepts for {concepts}"
    mirrors = _pending(found, {"mirrors-question"})
    if mirrors:
        return WARN, f"{written}; themes that mirror an interview question: {', '.join(mirrors)}"
    return JUDGE, f"{written}; read whether they interpret rather than summarise"


def _words(text: Any) -> int:
    return len(str(text or "").split())


def _quotes(theme: dict) -> bool:
    """Whether a narrative quotes: «...», "...", or the words of one of its theme's extracts."""
    narrative = str(theme.get("narrative") or "")
    return bool(re.search(r"«[^»]+»|\"[^\"]+\"", narrative)) or any(
        e.get("text") and str(e["text"])[:40] in narrative for e in theme.get("extracts") or [])


def _illustrated(found: Artefacts) -> tuple[str, str]:
    if found.defined is None:
        return _missing(found, "define")
    themes = found.themes()
    bare = [t["id"] for t in themes if not str(t.get("narrative") or "").strip()]
    unquoted = [t["id"] for t in themes if not t.get("extracts")]
    if bare or unquoted:
        parts = ([f"no narrative: in 5-themes.yaml for {', '.join(bare)}"] if bare else []) + (
            [f"no extract for {', '.join(unquoted)}"] if unquoted else [])
        return WARN, "; ".join(parts)
    quoting = sum(map(_quotes, themes))
    return PASS, (f"every theme's narrative stands beside its extracts in the report; {quoting} of "
                  f"{len(themes)} narratives quote the data")


def _story(found: Artefacts) -> tuple[str, str]:
    if found.defined is None:
        return _missing(found, "define")
    themes = found.themes()
    words = sum(_words(t.get("narrative")) for t in themes)
    named = sum(bool(str(t.get("name") or "").strip()) for t in themes)
    return JUDGE, (f"{_plural(len(themes), 'theme')}, {named} named by you, narratives of {words:,} words in all; "
                   "whether the story convinces is for readers")


def _balance(found: Artefacts) -> tuple[str, str]:
    if found.defined is None:
        return _missing(found, "define")
    themes = found.themes()
    narrative = sum(_words(t.get("narrative")) for t in themes)
    quoted = sum(_words(e.get("text")) for t in themes for e in t.get("extracts") or [])
    ratio = f"{narrative / quoted:.1f} : 1" if quoted else "no quotes"
    line = f"narrative {narrative:,} words, quoted extracts {quoted:,} words ({ratio})"
    if narrative < quoted:
        return WARN, f"{line}: more quotation than analysis"
    return PASS, line


# 11 Overall

def _time(found: Artefacts) -> tuple[str, str]:
    dates = sorted(m.date[:10] for m in found.memos if m.date)
    if not dates:
        return JUDGE, "no dated memos in memos.yaml: the journal is where the time spent shows (thematic memo)"
    return JUDGE, f"{_plural(len(found.memos), 'memo')} dated {dates[0]} to {dates[-1]}; whether that was enough is yours to say"


# 12-15 Written report

def _assumptions(found: Artefacts) -> tuple[str, str]:
    approach = found.project.settings["approach"]
    if not found.approach_written:
        return WARN, f"thematic.yaml does not state approach: (the default, {approach}, is assumed); write it there"
    return PASS, f"approach: {approach} in thematic.yaml, and the report's method section states it; your epistemology is yours to add"


def _matches(found: Artefacts) -> tuple[str, str]:
    behind = [f"{s.spec.number} {name} {s.status}" for name, s in found.states.items() if s.status not in ("fresh", "edited")]
    if behind:
        return WARN, f"not every phase is up to date ({', '.join(behind)}): the report may describe another run; thematic run"
    return PASS, "every phase is fresh in thematic.lock: the method section describes the run that made these results"


def _found_terms(found: Artefacts, pattern: re.Pattern[str]) -> list[str]:
    hits = {}
    for tid, text in found.researcher_text():
        for match in pattern.finditer(text):
            hits.setdefault(match.group(0).lower(), tid)
    return [f"«{word}» ({tid})" for word, tid in sorted(hits.items())]


def _language(found: Artefacts) -> tuple[str, str]:
    approach = found.project.settings["approach"]
    if approach != "reflexive":
        return JUDGE, f"approach: {approach}; read the report's terms against the position you take"
    terms = _found_terms(found, POSITIVIST)
    if terms:
        return JUDGE, f"approach: reflexive, and your text uses terms of coding-reliability TA: {', '.join(terms[:4])}"
    return JUDGE, "approach: reflexive; your theme texts use no terms of coding-reliability TA (bias, reliability, objective)"


def _active(found: Artefacts) -> tuple[str, str]:
    journal = sum(m.about == "study" for m in found.memos)
    emerging = _found_terms(found, EMERGING)
    if emerging:
        return WARN, f"your theme texts let themes arise by themselves: {', '.join(emerging[:4])}; say what you did"
    if not found.memos:
        return WARN, "no memos or reflexive journal in memos.yaml: write where you stand (thematic memo)"
    return PASS, f"{_plural(len(found.memos), 'memo')}, {journal} of them in the reflexive journal; no theme 'emerges' in your text"


Answer = Callable[[Artefacts], tuple[str, str]]
POINTS: tuple[tuple[int, str, Answer], ...] = (
    (1, "transcription", _transcripts),
    (2, "coding", _equal_attention), (3, "coding", _not_anecdotal), (4, "coding", _collated),
    (5, "coding", _checked), (6, "coding", _coherent),
    (7, "analysis", _interpreted), (8, "analysis", _illustrated), (9, "analysis", _story), (10, "analysis", _balance),
    (11, "overall", _time),
    (12, "written report", _assumptions), (13, "written report", _matches), (14, "written report", _language),
    (15, "written report", _active),
)
