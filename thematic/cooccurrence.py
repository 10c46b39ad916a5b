"""How strongly two codes hang together in the data: shared speaker turns, segments and items.

A segment is the informant talk between two interviewer turns (the answers to one question or
probe). In an item without interviewer turns (a file of quotes, written answers, a transcript of
informants only) each informant turn is its own segment: were the whole file one segment, every
code in it would "co-occur" with every other, and association would mean "in the same file".
Association is normalised PMI (Bouma
2009) clipped at 0: it compares how often two codes meet with how often they would meet by
chance, so frequent codes are not favoured. The strength of a pair is the weighted mean of its
NPMI per level (params `units`; a shared turn is also a shared segment, so the default weighs
segments and items only). Pairs seen together fewer than `min_cooccurrence` times at a level get
0 there (one shared answer is an anecdote, not evidence). Phases 3, 4 and 5 share this measure.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import TYPE_CHECKING, Iterable

from thematic.codes import EffectiveCode
from thematic.corpus import INFORMANT, INTERVIEWER, Document

if TYPE_CHECKING:
    from thematic.context import Context

LEVELS = ("turn", "segment", "item")
QUESTION_MIN_WORDS = 3  # "Mm.", "Ja?", "Nei? Fortell." are backchannels, not the question answered


@dataclass(frozen=True)
class Segments:
    """Which segment every turn belongs to, the question that opened it, and level sizes."""

    of_turn: dict[tuple[str, int], tuple[str, int]]
    question: dict[tuple[str, int], str]
    totals: dict[str, int]
    per_item: dict[str, dict[str, int]] = field(default_factory=dict)  # item -> its own totals

    @classmethod
    def from_docs(cls, docs: Iterable[Document]) -> "Segments":
        of_turn: dict[tuple[str, int], tuple[str, int]] = {}
        question: dict[tuple[str, int], str] = {}
        per_item = {doc.id: _item_segments(doc, of_turn, question) for doc in docs}
        totals = {level: sum(t[level] for t in per_item.values()) for level in LEVELS}
        return cls(of_turn, question, totals, per_item)

    def units(self, code: EffectiveCode) -> dict[str, frozenset]:
        """The turns, segments and items a code touches."""
        turns = {(e["item"], e.get("turn", -1)) for e in code.extracts}
        return {
            "turn": frozenset(turns),
            "segment": frozenset(self.of_turn.get(t, t) for t in turns),
            "item": frozenset(e["item"] for e in code.extracts),
        }


def _item_segments(doc: Document, of_turn: dict, question: dict) -> dict[str, int]:
    """One item's turns into `of_turn` and its segments' questions into `question`; its totals
    (a bootstrap resample counts each drawn item's own)."""
    number, asked, informant = 0, "", 0
    asks = any(turn.role == INTERVIEWER for turn in doc.turns)
    segments = set()
    for turn in doc.turns:
        if turn.role == INTERVIEWER:
            number += 1
            asked = turn.text if _words_at_least(turn.text, QUESTION_MIN_WORDS) else asked
        of_turn[(doc.id, turn.index)] = (doc.id, number if asks else turn.index)
        if turn.role == INFORMANT:
            informant += 1
            segments.add(of_turn[(doc.id, turn.index)])
            question[of_turn[(doc.id, turn.index)]] = asked
    return {"turn": informant, "segment": len(segments), "item": 1}


def _words_at_least(text: str, n: int) -> bool:
    """len(text.split()) >= n, without splitting all of a long text."""
    return len(text.split(None, n - 1)) >= n if n > 0 else True


def run_segments(ctx: "Context") -> Segments:
    """The corpus's segments, built once per run for phases 3-5 (they depend on the transcripts alone)."""
    return ctx.memo("segments", ctx.docs, lambda: Segments.from_docs(ctx.docs))


def npmi(a: frozenset, b: frozenset, total: int, min_together: int) -> float:
    """Normalised pointwise mutual information of two unit sets, clipped to [0, 1]."""
    return npmi_of_counts(len(a & b), len(a), len(b), total, min_together)


def npmi_of_counts(together: int, a: int, b: int, total: int, min_together: int) -> float:
    """npmi from the sizes alone: a bootstrap resample knows them without building the sets."""
    if together < max(min_together, 1) or total <= 0:
        return 0.0
    p_ab, p_a, p_b = together / total, a / total, b / total
    if p_ab >= 1.0:
        return 0.0  # both everywhere: no information
    return max(0.0, math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))


@dataclass
class Association:
    """Pairwise association of codes: weighted mean of per-level NPMI."""

    segments: Segments
    weights: dict[str, float]
    min_together: int
    units: dict[str, dict[str, frozenset]] = field(default_factory=dict)
    _cache: dict[tuple[str, str], float] = field(default_factory=dict)

    def add(self, codes: Iterable[EffectiveCode]) -> "Association":
        for code in codes:
            self.units[code.id] = self.segments.units(code)
        return self

    def together(self, a: str, b: str) -> dict[str, int]:
        """How many turns, segments and items the two codes share (the evidence behind a strength)."""
        return {level: len(self.units[a][level] & self.units[b][level]) for level in LEVELS}

    def strength(self, a: str, b: str) -> float:
        key = (a, b) if a < b else (b, a)
        if key not in self._cache:
            used, total = self._used
            value = sum(w * self.level_npmi(a, b, lvl) for lvl, w in used)
            self._cache[key] = round(value / total, 6) if total else 0.0
        return self._cache[key]

    @cached_property
    def _used(self) -> tuple[list[tuple[str, float]], float]:
        """The weighed levels and their total weight, for every pair's strength."""
        used = [(lvl, w) for lvl, w in sorted(self.weights.items()) if w > 0 and lvl in LEVELS]
        return used, sum(w for _, w in used)

    def level_npmi(self, a: str, b: str, level: str) -> float:
        return npmi(self.units[a][level], self.units[b][level], self.segments.totals[level], self.min_together)

    def coherence(self, ids: list[str]) -> float | None:
        """Mean association over all pairs of the codes; None for fewer than two codes."""
        pairs = list(combinations(sorted(ids), 2))
        if not pairs:
            return None
        return round(sum(self.strength(a, b) for a, b in pairs) / len(pairs), 3)

    def centrality(self, ids: list[str]) -> dict[str, float]:
        """Each code's mean association with the other codes of its group, central first."""
        others = len(ids) - 1
        score = {c: round(sum(self.strength(c, o) for o in ids if o != c) / others, 3) if others else 0.0 for c in ids}
        return dict(sorted(score.items(), key=lambda kv: (-kv[1], kv[0])))


def association_from(docs: Iterable[Document], codes: Iterable[EffectiveCode], params: dict) -> Association:
    """The association the themes phase uses, from its params (units, min_cooccurrence)."""
    return associate(Segments.from_docs(docs), codes, params)


def associate(segments: Segments, codes: Iterable[EffectiveCode], params: dict) -> Association:
    """association_from over segments already built (run_segments: once per run)."""
    return Association(segments, dict(params["units"]), int(params["min_cooccurrence"])).add(codes)


def run_association(ctx: "Context", codes: list[EffectiveCode], params: dict) -> Association:
    """The association of these counted codes under phase 3's params, built once per run: phases
    3, 4 and 5 ask for the same codes' (and a pair's strength, once computed, is kept inside it)."""
    from thematic.extracts import counted

    key = ("association", tuple(sorted(c.id for c in codes)),
           json.dumps([params["units"], params["min_cooccurrence"]], sort_keys=True))
    return ctx.memo(key, counted(ctx)[0], lambda: associate(run_segments(ctx), codes, params))
