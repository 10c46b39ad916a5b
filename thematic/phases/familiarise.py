"""Phase 1, familiarisation: a profile of every data item for the researcher's first reading."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from thematic.artefacts import Loaded
from thematic.context import Context
from thematic.corpus import INFORMANT, INTERVIEWER, Document, participant_attributes
from thematic.nlp.analysis import DocAnalysis
from thematic.nlp.reference import log_ratio, reference_frequency
from thematic.nlp.stopwords import is_stop

KEY_POS = ("NOUN",)


def key_terms(doc: Document, analysis: DocAnalysis, limit: int, min_count: int) -> dict[str, int]:
    """Noun lemmas unusually frequent in the informants' talk compared with general Norwegian."""
    counts: Counter[str] = Counter()
    forms: dict[str, set[str]] = defaultdict(set)
    total = 0
    for turn in doc.informant_turns:
        for sentence in analysis.get(turn.index, []):
            for token in sentence.tokens:
                total += 1
                if token.pos in KEY_POS and not is_stop(token.lemma, token.pos):
                    counts[token.lemma] += 1
                    forms[token.lemma].add(doc.text[token.start:token.end])
    scored = [
        (log_ratio(n, total, reference_frequency(lemma, forms[lemma])), lemma)
        for lemma, n in counts.items() if n >= min_count
    ]
    top = sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:limit]
    return {lemma: counts[lemma] for _, lemma in top}


def _speakers(doc: Document, participants: dict) -> list[dict[str, Any]]:
    turns: dict[str, list] = {}
    for turn in doc.turns:
        if turn.role in (INFORMANT, INTERVIEWER):
            turns.setdefault(turn.speaker or doc.id, []).append(turn)
    rows = [_speaker(doc, label, said, participants) for label, said in turns.items()]
    return sorted(rows, key=lambda r: (r["role"] != INTERVIEWER, r["label"]))


def _speaker(doc: Document, label: str, said: list, participants: dict) -> dict[str, Any]:
    row = {"label": label, "role": said[0].role, **_who({t.participant or label for t in said}),
           "turns": len(said), "words": sum(len(t.text.split()) for t in said)}
    attrs = participant_attributes(participants, doc.id, label)
    if row["role"] == INFORMANT and attrs:
        row["attributes"] = dict(sorted(attrs.items()))
    return row


def _who(people: set[str]) -> dict[str, Any]:
    """One person, or the count of anonymous voices where paragraphs cannot be told apart
    (never the first paragraph's voice id passed off as the participant)."""
    if len(people) == 1:
        return {"participant": next(iter(people))}
    return {"voices": len(people)}


def _language(ctx: Context, doc: Document) -> dict[str, str]:
    """The language the item was read as, for a study not in plain bokmål (language: nn/auto)."""
    if ctx.project.settings["language"] == "nb":
        return {}
    return {"language": ctx.pipeline.for_text(doc.text).language}


def _item(ctx: Context, doc: Document, params: dict) -> dict[str, Any]:
    speakers = _speakers(doc, ctx.participants)
    words = {role: sum(s["words"] for s in speakers if s["role"] == role) for role in (INFORMANT, INTERVIEWER)}
    turns = {role: sum(s["turns"] for s in speakers if s["role"] == role) for role in (INFORMANT, INTERVIEWER)}
    return {
        "id": doc.id,
        "file": ctx.project.relative(doc.path),
        "sha256": doc.sha256,
        **_language(ctx, doc),
        "words": {"informants": words[INFORMANT], "interviewer": words[INTERVIEWER]},
        "turns": {"informants": turns[INFORMANT], "interviewer": turns[INTERVIEWER]},
        "speakers": speakers,
        "key_terms": key_terms(doc, ctx.analyses[doc.id], params["key_terms"], params["min_count"]),
        "notes": "",
    }


def run(ctx: Context, params: dict) -> dict[str, Any]:
    items = [_item(ctx, doc, params) for doc in ctx.docs]
    participants = sorted({p for doc in ctx.docs for p in doc.participants})
    return {
        "summary": {
            "items": len(items),
            "participants": len(participants),
            "informant_words": sum(i["words"]["informants"] for i in items),
            "interviewer_words": sum(i["words"]["interviewer"] for i in items),
        },
        "items": items,
    }


def validate(loaded: Loaded) -> None:
    for i, item in enumerate(loaded.records("items", "item")):
        if not isinstance(item.get("notes", ""), str):
            raise loaded.error(["items", i, "notes"], "notes must be text (use | for several lines)")
