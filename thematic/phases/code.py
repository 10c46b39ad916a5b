"""Phase 2, coding: codebook codes matched on lemmas in the informants' sentences.

Interviewer turns are never coded. Every code lists its extracts; the researcher's decisions
(accepted / rejected / renamed / merged) and manual codes are carried over by the runner.
"""

from __future__ import annotations

from typing import Any

from thematic.artefacts import Flow, Loaded, sha256_file
from thematic.codebook import Code, Codebook, load_codebook
from thematic.context import Context
from thematic.corpus import Document, Turn
from thematic.matching import Keyword, find, parse_keyword
from thematic.nlp.analysis import Sentence
from thematic.nlp.lemmas import Lemmatiser

ORIGINS = ("codebook", "manual")


def extract_record(doc: Document, turn: Turn, start: int, end: int) -> dict[str, Any]:
    """An extract that points at its source: item, participant, speaker, line, span, verbatim text."""
    return {
        "id": f"{doc.id}:{start}",
        "item": doc.id,
        "participant": turn.participant,
        "speaker": turn.speaker,
        "turn": turn.index,
        "line": doc.line_at(start),
        "span": Flow([start, end]),
        "text": doc.text[start:end],
    }


def _keywords(code: Code, lemmatiser: Lemmatiser, min_length: int) -> list[Keyword]:
    return [parse_keyword(k, lemmatiser.keyword_lemma, min_length) for k in code.keywords]


def _code_hits(ctx: Context, keywords: list[Keyword]) -> tuple[list[dict], set[str]]:
    extracts, forms = [], set()
    for doc in ctx.docs:
        analysis = ctx.analyses[doc.id]
        for turn in doc.informant_turns:
            for sentence in analysis.get(turn.index, []):
                hits = _sentence_hits(sentence, keywords)
                if hits:
                    extracts.append(extract_record(doc, turn, sentence.start, sentence.end))
                    forms.update(doc.text[sentence.tokens[a].start:sentence.tokens[b].end].lower() for a, b in hits)
    return extracts, forms


def _sentence_hits(sentence: Sentence, keywords: list[Keyword]) -> list[tuple[int, int]]:
    return [hit for keyword in keywords for hit in find(keyword, sentence.tokens)]


def evidence(extracts: list[dict], forms: set[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "extracts": len(extracts),
        "items": len({e["item"] for e in extracts}),
        "participants": len({e["participant"] for e in extracts}),
    }
    if forms is not None:
        out["forms"] = Flow(sorted(forms))
    return out


def _code_record(ctx: Context, book: Codebook, code: Code, lemmatiser: Lemmatiser, params: dict) -> dict:
    extracts, forms = _code_hits(ctx, _keywords(code, lemmatiser, params["compound_min_length"]))
    return {
        "id": code.id,
        "label": code.label,
        "origin": "codebook",
        "codebook": book.id,
        "theme_hint": code.theme,
        "definition": code.definition,
        "keywords": Flow(code.keywords),
        "decision": "pending",
        "notes": "",
        "evidence": evidence(extracts, forms),
        "extracts": extracts,
    }


def run(ctx: Context, params: dict) -> dict[str, Any]:
    books = [load_codebook(path) for path in ctx.project.codebook_paths()]
    ctx.analyses  # analyse before coding so the progress bar shows the long step  # noqa: B018
    lemmatiser = Lemmatiser()
    codes: dict[str, dict] = {}
    step = ctx.progress("Coding", sum(len(b.codes) for b in books))
    for book in books:
        for code in book.codes:
            codes.setdefault(code.id, _code_record(ctx, book, code, lemmatiser, params))
            step(code.id)
    hints = {t.id: {"id": t.id, "label": t.label, "description": t.description}
             for book in books for t in book.themes}
    records = [codes[k] for k in sorted(codes)]
    return {
        "summary": {"codes": len(records), "with_extracts": sum(1 for c in records if c["extracts"]),
                    "extracts": len({e["id"] for c in records for e in c["extracts"]})},
        "codebooks": [{"id": b.id, "title": b.title, "file": ctx.project.relative(b.path),
                       "sha256": sha256_file(b.path)} for b in books],
        "theme_hints": [hints[k] for k in sorted(hints)],
        "codes": records,
    }


def validate(loaded: Loaded) -> None:
    """Check what a researcher edits: every code has an id, a known origin and a valid decision."""
    from thematic.codes import check_decision

    codes = loaded.data.get("codes")
    if not isinstance(codes, list):
        raise loaded.error(["codes"], "codes must be a list")
    ids = {c.get("id") for c in codes if isinstance(c, dict)}
    for i, code in enumerate(codes):
        if not isinstance(code, dict) or not isinstance(code.get("id"), str):
            raise loaded.error(["codes", i], "each code needs an id")
        if code.get("origin", "manual") not in ORIGINS:
            raise loaded.error(["codes", i, "origin"], f"origin must be one of {', '.join(ORIGINS)}")
        problem = check_decision(code.get("decision", "pending"), ids, code["id"])
        if problem:
            raise loaded.error(["codes", i, "decision"], problem)
        if not isinstance(code.get("extracts", []), list):
            raise loaded.error(["codes", i, "extracts"], "extracts must be a list")
        for j, extract in enumerate(code.get("extracts", [])):
            if not isinstance(extract, dict) or not isinstance(extract.get("item"), str) \
                    or not isinstance(extract.get("text"), str):
                raise loaded.error(["codes", i, "extracts", j], "an extract needs item: and text:")
