"""Phase 4, reviewing themes: against their coded extracts (level 1), then the data set (level 2).

Level 1, per theme: coherence (mean association of its codes, the measure phase 3 clusters on),
spread over participants (people), anonymous voices where people cannot be told apart, informant
turns and data items (thematic.measures), and the share of its extracts from one participant.
Level 2: overlap with every other theme (shared extracts), coverage of informant turns, turns
where the theme's keywords occur but nothing of the theme was coded (possible missed extracts),
and how much of the theme answers interview questions that name it. Over the whole data set
(`dataset:`): every coded informant turn is in a theme or only in `diverse` (with phase 3's
reason), and the informant turns nothing coded are counted per item and listed, longest first:
what the coding missed.
Flags carry a suggested action; the researcher decides `decision: keep | merge:<id> | split |
discard` with a `reason:`, both kept on every re-run.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thematic.artefacts import Flow, FlowMap, Loaded
from thematic.clustering import subgroups
from thematic.codes import EffectiveCode
from thematic.context import Context
from thematic.cooccurrence import Association, run_association
from thematic.extracts import counted
from thematic.keywords import (
    MIN_TURNS, Words, general_frequencies, keyword_words, missed_candidates, naming, possible_missed, theme_keywords,
)
from thematic.measures import corpus_totals, prevalence, unit_of
from thematic.flags import flags_for
from thematic.item_cache import CACHE_DIR
from thematic.jobs import beside
from thematic.phases.themes import MISC, draft_note
from thematic.question_words import CACHE as QUESTION_WORDS, QuestionWords, keep as keep_questions, question_words
from thematic.stability import Stability, theme_stability
from thematic.turn_words import CACHE as TURN_WORDS, turn_words as turn_words_of

DECISIONS = ("pending", "keep", "split", "discard")
Turn = tuple[str, int]
UNCODED_SHOWN = 20  # uncoded informant turns listed in dataset.uncoded (all are counted)


def themes_with_codes(ctx: Context) -> list[tuple[dict, list[EffectiveCode]]]:
    """Phase 3's themes with the codes that still count (a code rejected since then drops out)."""
    codes = {c.id: c for c in counted(ctx)[0]}
    return [(theme, [codes[cid] for cid in theme.get("codes", []) if cid in codes])
            for theme in ctx.artefact("themes")["themes"]]


def theme_association(ctx: Context, codes: list[EffectiveCode]) -> Association:
    """The association phase 3 clustered on, with the params it ran with (thematic.cooccurrence.
    run_association: phases 3-5 share it when they ask for the same codes)."""
    return run_association(ctx, codes, ctx.artefact("themes")["meta"]["params"])


def theme_subgroups(ctx: Context, ids: list[str], assoc: Association) -> list[list[str]]:
    """clustering.subgroups of these codes with phase 3's params, once per run: phase 4's split
    advice and phase 5's subthemes ask for the same theme's. A pair's strength depends only on
    the two codes (their extracts, the transcripts, phase 3's params), whichever association holds them."""
    params = ctx.artefact("themes")["meta"]["params"]
    key = ("subgroups", tuple(sorted(ids)), json.dumps(params, sort_keys=True))
    return [list(g) for g in ctx.memo(key, counted(ctx)[0], lambda: subgroups(ids, assoc.strength, params))]


def _forms(ctx: Context, members: list[EffectiveCode]) -> set[str]:
    """Every word form and keyword phase 2 matched for these codes (to spot them in questions)."""
    sources = {s for c in members for s in c.sources}
    out: set[str] = set()
    for code in ctx.artefact("code").get("codes", []):
        if code["id"] in sources:
            out |= set((code.get("evidence") or {}).get("forms") or []) | set(code.get("keywords") or [])
    return out


def _level1(members: list[EffectiveCode], assoc: Association, totals: dict[str, int]) -> dict[str, Any]:
    extracts = {e["id"]: e for c in members for e in c.extracts}
    people = Counter(unit_of(e) for e in extracts.values())
    top, top_n = min(people.items(), key=lambda kv: (-kv[1], kv[0])) if people else ("", 0)
    prev = prevalence(members)
    return {
        "coherence": assoc.coherence([c.id for c in members]),
        **prev,
        "participant_share": round(prev["participants"] / totals["participants"], 3) if totals["participants"] else 0.0,
        **({"voice_share": round(prev.get("voices", 0) / totals["voices"], 3)} if totals.get("voices") else {}),
        "item_share": round(prev["items"] / totals["items"], 3) if totals["items"] else 0.0,
        "top_participant": top,
        "top_participant_share": round(top_n / len(extracts), 3) if extracts else 0.0,
    }


def _questions(ctx: Context, themes: list[tuple[dict, list[EffectiveCode]]], assoc: Association,
               index: QuestionWords) -> dict[str, FlowMap]:
    """Per theme, the share of its extracts answering a question that names one of its words, and
    the question most of them answer (`index`: thematic.question_words)."""
    question_of = {turn: assoc.segments.question.get(segment, "") for turn, segment in assoc.segments.of_turn.items()}
    answering = {theme["id"]: Counter(question_of.get((e["item"], e.get("turn", -1)), "")
                                      for e in {e["id"]: e for c in members for e in c.extracts}.values())
                 for theme, members in themes}
    named = naming({theme["id"]: _forms(ctx, members) for theme, members in themes}, answering, index.holding)
    return {tid: _asked(counts, named[tid]) for tid, counts in answering.items()}


def _asked(answering: Counter, named: set[str]) -> FlowMap:
    """The share of extracts (counted by the question they answer) answering a named question."""
    asked = {q: n for q, n in answering.items() if q in named}
    total = sum(answering.values())
    share = round(sum(asked.values()) / total, 3) if total else 0.0
    example = min(asked.items(), key=lambda kv: (-kv[1], kv[0]))[0] if asked else ""
    return FlowMap(share=share, example=example)


@dataclass(frozen=True)
class ThemeWords:
    """What level 2 needs of every informant turn's words: each theme's keywords, the turns that
    could be missed extracts (keywords.missed_candidates) and how many informant turns there are."""

    keywords: dict[str, list[str]]
    candidates: dict[Turn, Words]
    turns: int


def theme_words(ctx: Context, informant: dict[Turn, Any], turn_sets: dict[str, set[Turn]], params: dict) -> ThemeWords:
    """Every informant turn's words are read here and let go on return: at 10M words they are
    the largest thing phase 4 builds, and the bootstrap and the themes' records need none of them.
    Of each turn only the words that can be keywords become strings (keywords.keyword_words)."""
    found = turn_words_of({key: t.text for key, t in informant.items()}, _kept(ctx, TURN_WORDS))
    overall = found.counts()
    general = general_frequencies(overall, MIN_TURNS, _kept(ctx, "general-frequencies.json"))
    turn_words = found.among(keyword_words(overall, general, params["keyword_max_frequency"]))
    keywords = {tid: theme_keywords(turns, turn_words, params["keywords"], params["keyword_max_frequency"],
                                    overall=overall, general=general) for tid, turns in turn_sets.items()}
    candidates = missed_candidates(keywords.values(), turn_words, params["missed_min_keywords"])
    return ThemeWords(keywords, candidates, len(turn_words))


def _level2(tid: str, own: set[str], extract_sets: dict[str, set[str]], turns: set[Turn], words: ThemeWords,
            informant: dict[Turn, Any], params: dict) -> dict[str, Any]:
    overlap = {other: FlowMap(shared=len(own & ids), share=round(len(own & ids) / len(own), 3) if own else 0.0)
               for other, ids in sorted(extract_sets.items()) if other not in (tid, MISC)}
    keywords = words.keywords[tid]
    missed = possible_missed(keywords, turns, words.candidates, params["missed_min_keywords"])
    return {
        "overlap": overlap,
        "turns": len(turns),
        "turn_share": round(len(turns) / words.turns, 3) if words.turns else 0.0,
        "keywords": Flow(keywords),
        "possible_missed": {
            "turns": len(missed),
            "items": Flow(sorted({t[0] for t, _ in missed})),
            "examples": [FlowMap(item=t[0], turn=t[1], line=informant[t].line, keywords=Flow(ws))
                         for t, ws in missed[:params["missed_examples"]]],
        },
    }


def run(ctx: Context, params: dict) -> dict[str, Any]:
    themes = themes_with_codes(ctx)
    assoc = theme_association(ctx, [c for _, m in themes for c in m])
    informant = {(d.id, t.index): t for d in ctx.docs for t in d.informant_turns}
    totals = corpus_totals(ctx.docs)
    extract_sets = {t["id"]: {e["id"] for c in m for e in c.extracts} for t, m in themes}
    keys = informant.keys()
    turn_sets = {t["id"]: keys & {(e["item"], e.get("turn", -1)) for c in m for e in c.extracts} for t, m in themes}
    beside_of = beside(lambda: _beside_work(ctx, themes, assoc, params))  # the other core's, meanwhile
    words = theme_words(ctx, informant, turn_sets, params)
    measured = [(theme, members, _level1(members, assoc, totals),
                 _level2(theme["id"], extract_sets[theme["id"]], extract_sets, turn_sets[theme["id"]], words, informant, params),
                 theme_subgroups(ctx, [c.id for c in members], assoc)) for theme, members in themes]
    dataset = _dataset(turn_sets, informant, _misc_reason(ctx))
    stability, questions, found = beside_of()  # waited for only when everything else is measured
    if found is not None:
        keep_questions(_kept(ctx, QUESTION_WORDS), *found)
    records = [_record(theme, members, level1, level2 | {"questions": questions[theme["id"]]}, split, stability, params)
               for theme, members, level1, level2, split in measured]
    return {
        "summary": {"themes": len(records), "flagged": sum(1 for r in records if r["flags"]),
                    "coverage": _coverage(turn_sets, set(informant))},
        **draft_note(ctx),
        "dataset": dataset,
        "themes": records,
    }


def _beside_work(ctx: Context, themes: list[tuple[dict, list[EffectiveCode]]], assoc: Association,
                 params: dict) -> tuple[Stability, dict[str, FlowMap], tuple[str, QuestionWords] | None]:
    """What the other core does while this one finds the themes' keywords: the stability
    bootstrap and each theme's questions, with the questions' index when it was found now (for
    this process to keep: a copy's writes would not be this run's)."""
    index, key = question_words(assoc.segments.question.values(), _kept(ctx, QUESTION_WORDS))
    return (theme_stability(ctx, themes, assoc, params), _questions(ctx, themes, assoc, index),
            None if key is None else (key, index))


def _kept(ctx: Context, name: str) -> Path:
    """A file phase 4 keeps between runs (thematic.turn_words, thematic.question_words, wordfreq's figures)."""
    return ctx.project.machine_dir / CACHE_DIR / name


def _record(theme: dict, members: list[EffectiveCode], level1: dict, level2: dict, split: list[list[str]],
            stability: Stability, params: dict) -> dict[str, Any]:
    """A theme's review record, flags included, once its stability is known."""
    tid = theme["id"]
    level2 = level2 | stability.level2(tid)
    return {
        "id": tid, "label": theme["label"], "codes": Flow(c.id for c in members),
        "level1": level1, "level2": level2,
        "flags": flags_for(tid, level1, level2, split, params, is_misc=tid == MISC) + stability.flags(tid),
        "decision": "pending", "reason": "", "notes": "",
    }


def _touched(turn_sets: dict[str, set[Turn]]) -> set[Turn]:
    """Turns touched by some theme (the miscellaneous bin is not a theme)."""
    return set().union(*(s for tid, s in turn_sets.items() if tid != MISC))


def _coverage(turn_sets: dict[str, set[Turn]], informant: set[Turn]) -> float:
    """Share of informant turns touched by some theme."""
    return round(len(_touched(turn_sets) & informant) / len(informant), 3) if informant else 0.0


def _dataset(turn_sets: dict[str, set[Turn]], informant: dict[Turn, Any], misc_reason: str) -> dict[str, Any]:
    touched = _touched(turn_sets) & set(informant)
    coded = set().union(*turn_sets.values()) & set(informant)
    turns, hit = Counter(item for item, _ in informant), Counter(item for item, _ in touched)
    return {"informant_turns": len(informant), "turns_in_themes": len(touched),
            "coverage": _coverage(turn_sets, set(informant)),
            "coverage_by_item": FlowMap((item, round(hit[item] / turns[item], 3)) for item in sorted(turns)),
            "coded_turns": len(coded),
            "only_in_diverse": FlowMap(turns=len(coded - touched), reason=misc_reason),
            "uncoded": _uncoded(sorted(set(informant) - coded), informant, sorted(turns))}


def _uncoded(keys: list[Turn], informant: dict[Turn, Any], items: list[str]) -> dict[str, Any]:
    """Informant turns no code touches (Braun & Clarke's level 2: what the coding missed):
    counted per item, and the longest listed with where to find them."""
    per_item = Counter(item for item, _ in keys)
    longest = sorted(keys, key=lambda k: (-informant[k].words, k))[:UNCODED_SHOWN]
    return {"turns": len(keys), "by_item": FlowMap((item, per_item[item]) for item in items),
            "longest": [FlowMap(item=k[0], turn=k[1], line=informant[k].line, words=informant[k].words)
                        for k in longest]}


def _misc_reason(ctx: Context) -> str:
    """Why codes are in the miscellaneous bin, as phase 3 wrote it ("" when it is empty)."""
    return next((t.get("basis", "") for t in ctx.artefact("themes")["themes"] if t["id"] == MISC), "")


def check_decision(value: Any, ids: set, own_id: str) -> str | None:
    allowed = "pending, keep, merge:<theme id>, split or discard"
    if value in DECISIONS:
        return None
    if isinstance(value, str) and value.startswith("merge:"):
        target = value[6:].strip()
        if target == own_id or target not in ids:
            return f"merge:{target} names no other theme in this file"
        return None
    return f"unknown decision {value!r}; allowed: {allowed}"


def validate(loaded: Loaded) -> None:
    themes = loaded.records("themes", "theme")
    ids = {t["id"] for t in themes}
    for i, theme in enumerate(themes):
        problem = check_decision(theme.get("decision", "pending"), ids, theme["id"])
        if problem:
            raise loaded.error(["themes", i, "decision"], problem)
