"""Phase 2, coding: codebook codes matched on lemmas, plus inductive suggestions.

Only informants' sentences are coded; interviewer turns never are. Every extract of every code
goes to the extract store (thematic.store); 2-codes.yaml shows each code's count and a bounded
sample (`extracts_shown`, each participant's first extract before anyone's second). Suggestions are prompts, not codes: `decision: suggested` until the researcher accepts.
The runner carries every decision (accepted / rejected / renamed / merged) and manual code over.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from thematic.artefacts import Flow, Loaded, sha256_file
from thematic.codebook import Codebook, load_codebook
from thematic.context import Context
from thematic.corpus import Document, Turn
from thematic.errors import ProjectError
from thematic.measures import corpus_totals, spread, units_total
from thematic.slug import slugify
from thematic.store import STORE_FILE, Row, StoreWriter, extract_of, writing

if TYPE_CHECKING:
    from thematic.matching import Keyword
    from thematic.suggest import Candidate, ItemCounts, Suggestion

ORIGINS = ("codebook", "suggested", "manual")
_CODING = {  # what only the coding work needs, imported on its first use (`_coding_imported`)
    "thematic.index": ("IndexSource", "writer"),
    "thematic.matching": ("KeywordMatcher", "parse_keyword"),
    "thematic.nlp.lemmas": ("NOUN_CONTEXT", "VERB_CONTEXT", "Lemmatiser"),
    "thematic.suggest": ("ALGORITHM", "merge_counts", "rank", "units_of"),
}


def __getattr__(name: str) -> Any:
    """A coding name asked of the module (a test or benchmark patching `writer` or `merge_counts`)."""
    if not any(name in wanted for wanted in _CODING.values()):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    _coding_imported()
    return globals()[name]


def _coding_imported() -> None:
    """Import what matching, suggesting and the query index need, on the first phase-2 run: a run
    where phase 2 is fresh and `thematic status` only validate 2-codes.yaml (~40 ms of imports
    saved). A name already set (patched by a test or benchmark) is kept."""
    names = globals()
    for module, wanted in _CODING.items():
        if any(name not in names for name in wanted):
            loaded = importlib.import_module(module)
            for name in wanted:
                names.setdefault(name, getattr(loaded, name))


def extract_row(doc: Document, turn: Turn, start: int, end: int) -> Row:
    """An extract that points at its source, as the store keeps it (thematic.store.COLUMNS):
    id, item, participant, speaker, turn, line, span, the turn's timestamp, verbatim text."""
    return (f"{doc.id}:{start}", doc.id, turn.participant, turn.speaker, turn.index, doc.line_at(start),
            start, end, turn.time or None, doc.text[start:end])


def extract_record(doc: Document, turn: Turn, start: int, end: int) -> dict[str, Any]:
    """The same extract as a dict, as artefacts show it (the time only in timed transcripts)."""
    return extract_of(extract_row(doc, turn, start, end))


@dataclass
class Sample:
    """The bounded sample 2-codes.yaml shows of a code, chosen as its extracts stream by: each
    participant's first extract before anyone's second, in the order of the data (all of them
    live in the extract store)."""

    limit: int
    seen: set = field(default_factory=set)
    first: list = field(default_factory=list)  # (place in the code's extracts, row), at most limit
    rest: list = field(default_factory=list)
    count: int = 0

    def add(self, row: Row) -> None:
        pile = self.rest if row[2] in self.seen else self.first
        self.seen.add(row[2])
        if len(pile) < self.limit:
            pile.append((self.count, row))
        self.count += 1

    def shown(self) -> list[dict]:
        return [extract_of(row) for _, row in sorted((self.first + self.rest)[:self.limit])]


@dataclass
class Coded:
    """One codebook code's extracts as they go by into the store: counted, spread and sampled."""

    sample: Sample
    items: set = field(default_factory=set)
    people: set = field(default_factory=set)
    forms: set = field(default_factory=set)

    def add(self, row: Row, forms: Iterable[str]) -> None:
        self.sample.add(row)
        self.items.add(row[1])
        self.people.add(row[2])
        self.forms.update(forms)

    def evidence(self) -> dict[str, Any]:
        return {"extracts": self.sample.count, "items": len(self.items),
                **spread(self.people), "forms": Flow(sorted(self.forms))}  # people; anonymous voices apart


@dataclass
class Gathered:
    """What one pass over the items' results gives: each codebook code's extracts counted and
    sampled (the extracts themselves went to the store), and the suggestion candidates with the
    number of informant word tokens."""

    coded: dict[str, Coded]
    found: dict[str, Candidate]
    total: int


def _gathered(results: Iterable[tuple[Document, dict[str, Any]]], store: StoreWriter, limit: int) -> Gathered:
    """Extracts from each item's matches (into the store as each item is read) and candidates
    from its tallies, in corpus order; each result is dropped once read (thematic.item_coding
    hands them out one at a time), so no code's extracts are ever all in memory."""
    coded: dict[str, Coded] = {}

    def counts() -> Iterator[ItemCounts]:
        for doc, result in results:
            informants = {t.index: t for t in doc.informant_turns}
            rows = []
            for turn_index, start, end, codes in result["matches"]:
                row = extract_row(doc, informants[turn_index], start, end)
                for code_id, seen in codes.items():
                    (coded.get(code_id) or coded.setdefault(code_id, Coded(Sample(limit)))).add(row, seen)
                    rows.append((code_id, row))
            store.add(rows)
            if result["counts"] is not None:
                yield doc.id, units_of(doc), result["counts"]

    found, total = merge_counts(counts())
    return Gathered(coded, found, total)


def _codebook_records(books: list[Codebook], coded: dict[str, Coded], limit: int) -> list[dict]:
    records: dict[str, dict] = {}
    for book in books:
        for code in book.codes:
            seen = coded.get(code.id) or Coded(Sample(limit))
            records.setdefault(code.id, {
                "id": code.id, "label": code.label, "origin": "codebook", "codebook": book.id,
                "theme_hint": code.theme, "definition": code.definition, "keywords": Flow(code.keywords),
                "decision": "pending", "notes": "",
                "evidence": seen.evidence(),
                "extracts_total": seen.sample.count, "extracts": seen.sample.shown(),
            })
    return [records[k] for k in sorted(records)]


def design_terms(ctx: Context) -> set[str]:
    """Words naming the study's own roles (speaker labels, participants' roles): never codes.
    Parts of 4+ letters, and acronyms of 2+ capitals ("NAV" of "NAV-veileder")."""
    words = {t.speaker for d in ctx.docs for t in d.turns if t.speaker}
    words |= {str(a["role"]) for item in ctx.participants.values() for a in [item, *(item.get("speakers") or {}).values()]
              if isinstance(a, dict) and a.get("role")}
    return {part.lower() for w in words for part in w.replace("-", " ").split()
            if part.isalpha() and (len(part) >= 4 or (part.isupper() and len(part) >= 2))}


def _is_design_term(lemma: str, terms: set[str]) -> bool:
    last = lemma.lower().replace("-", " ").split()[-1]
    return any(last == t or t.endswith(last) or last.endswith(t) for t in terms)


def _covered(lemma: str, keywords: list[Keyword], family: Iterable[str] = ()) -> bool:
    """True when a codebook keyword already codes this word (itself or as a compound head), or
    is one of its family (the keyword `samarbeide` covers the suggestion `samarbeid`)."""
    words = tuple(lemma.lower().split())
    kin = {(f.lower(),) for f in family}
    for kw in keywords:
        if words == kw.lemmas or kw.lemmas in kin or (kw.compound and len(words) == len(kw.lemmas)
                                                       and words[:-1] == kw.lemmas[:-1] and words[-1].endswith(kw.lemmas[-1])):
            return True
    return False


def _label(cand: Candidate) -> str:
    return cand.forms.most_common(1)[0][0] if cand.is_phrase else cand.lemma


def _suggestion_evidence(s: Suggestion) -> dict[str, Any]:
    """What a suggestion rests on: its lemma, forms, word family and phrase variants, how often,
    by how many participants (and anonymous voices) in how many items, keyness and score."""
    cand = s.candidate
    return {"lemma": cand.lemma, "forms": Flow(sorted(cand.forms)),
            **({"family": Flow(sorted({cand.lemma} | cand.family))} if cand.family else {}),
            **({"variants": Flow(_label(v) for v in s.variants)} if s.variants else {}),
            "frequency": cand.count, **spread(cand.units), "items": len(cand.items),
            "keyness": s.keyness, "score": s.score}


class _Turns(dict):
    """item id -> {turn index: turn}, each item's made when first asked for (suggestions' extracts
    lie in a fraction of the corpus's turns)."""

    def __init__(self, docs: dict[str, Document]) -> None:
        super().__init__()
        self.docs = docs

    def __missing__(self, item: str) -> dict[int, Turn]:
        turns = self[item] = {t.index: t for t in self.docs[item].turns}
        return turns


def _suggestion_record(ctx: Context, s: Suggestion, turns: _Turns, store: StoreWriter, limit: int) -> dict:
    """A suggestion with a sample of its extracts; all of them go to the store."""
    cand, code_id, sample = s.candidate, slugify(s.candidate.lemma), Sample(limit)
    rows = [extract_row(ctx.docs_by_id[p.item], turns[p.item][p.turn], p.start, p.end) for p in cand.places]
    store.add((code_id, row) for row in rows)
    for row in rows:
        sample.add(row)
    return {
        "id": code_id, "label": _label(cand),
        "origin": "suggested", "decision": "suggested", "notes": "",
        "evidence": _suggestion_evidence(s),
        "extracts_total": sample.count, "extracts": sample.shown(),
    }


def _suggesting(ctx: Context, params: dict) -> bool:
    """True for the known algorithm, False for `none`; anything else is refused before any work."""
    if params["suggest"] in (ALGORITHM, "none"):
        return params["suggest"] == ALGORITHM
    old = " (keyness.v1 is replaced: v2 merges word families and phrase variants and counts voices)" \
        if params["suggest"] == "keyness.v1" else ""
    raise ProjectError(f"{ctx.project.root / 'thematic.yaml'}: phases.code.suggest is {params['suggest']!r}{old}; "
                       f"known: {ALGORITHM}, none", fix=f"write suggest: {ALGORITHM}")


def _suggestion_records(ctx: Context, params: dict, taken: set[str], keywords: list[Keyword],
                        gathered: Gathered, store: StoreWriter) -> list[dict]:
    if not _suggesting(ctx, params):
        return []
    terms = design_terms(ctx)
    turns = _Turns(ctx.docs_by_id)
    out = []
    for s in rank(gathered.found, gathered.total, units_total(corpus_totals(ctx.docs)), params):
        cand = s.candidate
        if slugify(cand.lemma) in taken or _covered(cand.lemma, keywords, cand.family) or _is_design_term(cand.lemma, terms):
            continue
        out.append(_suggestion_record(ctx, s, turns, store, params["extracts_shown"]))
        taken.add(out[-1]["id"])
        if len(out) >= params["suggestions"]:
            break
    return out


def _records(ctx: Context, params: dict, books: list[Codebook], store: StoreWriter) -> list[dict]:
    """Every code's record with its evidence and sample, its extracts sent to the store; the
    candidates and everything counted are let go on return, before the store's index is built."""
    counting = _suggesting(ctx, params)
    lemmatiser = Lemmatiser()
    keywords = {code.id: [parse_keyword(k, lemmatiser.keyword_lemma, params["compound_min_length"]) for k in code.keywords]
                for book in books for code in book.codes}
    matcher = KeywordMatcher(None, keywords, lemmatiser.readings, VERB_CONTEXT | NOUN_CONTEXT)
    from thematic.item_coding import item_results  # here: validating 2-codes.yaml (status, every run) needs none of it

    gathered = _gathered(item_results(ctx, matcher, counting), store, params["extracts_shown"])
    records = _codebook_records(books, gathered.coded, params["extracts_shown"])
    all_keywords = [k for kws in keywords.values() for k in kws]
    return records + _suggestion_records(ctx, params, {r["id"] for r in records}, all_keywords, gathered, store)


def run(ctx: Context, params: dict) -> dict[str, Any]:
    _coding_imported()
    books = [load_codebook(path) for path in ctx.project.codebook_paths()]
    _suggesting(ctx, params)  # an unknown algorithm is refused before any work
    ctx.analyses  # analyse first: the progress bar then shows the long step  # noqa: B018
    with writing(ctx.project.machine_dir / STORE_FILE) as store:
        records = _records(ctx, params, books, store)
        summary = {"codes": sum(r["origin"] == "codebook" for r in records),
                   "suggestions": sum(r["origin"] == "suggested" for r in records),
                   "extracts": store.distinct()}
        meta = store.finish(writer(IndexSource(ctx.docs, ctx.analyses, ctx.project.relative)))  # the query index, same write
    hints = {t.id: {"id": t.id, "label": t.label, "description": t.description} for book in books for t in book.themes}
    return {
        "summary": summary,
        "extract_store": meta,
        "codebooks": [{"id": b.id, "title": b.title, "file": ctx.project.relative(b.path),
                       "sha256": sha256_file(b.path)} for b in books],
        "theme_hints": [hints[k] for k in sorted(hints)],
        "codes": records,
    }


def validate(loaded: Loaded) -> None:
    """Check what a researcher edits: every code has an id, a known origin and a valid decision."""
    from thematic.codes import check_decision

    codes = loaded.records("codes", "code")
    by_id = {c["id"]: c for c in codes}
    for i, code in enumerate(codes):
        if code.get("origin", "manual") not in ORIGINS:
            raise loaded.error(["codes", i, "origin"], f"origin must be one of {', '.join(ORIGINS)}")
        problem = check_decision(code.get("decision", "pending"), by_id, code["id"])
        if problem:
            raise loaded.error(["codes", i, "decision"], problem)
        if not isinstance(code.get("extracts", []), list):
            raise loaded.error(["codes", i, "extracts"], "extracts must be a list")
        for j, extract in enumerate(code.get("extracts", [])):
            if not isinstance(extract, dict) or not isinstance(extract.get("item"), str) \
                    or not isinstance(extract.get("text"), str):
                raise loaded.error(["codes", i, "extracts", j], "an extract needs item: and text:")
