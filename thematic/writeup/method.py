"""The method section, worded from counts: what ran and what the researcher decided.

thematic.phases.report counts the facts from the corpus, the lock's artefacts and memos.yaml;
this module only words them, so a sentence can never claim more than a number behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thematic.writeup.strings import Words

REVIEW_ORDER = ("keep", "merge", "split", "discard", "pending")


@dataclass
class DataSet:
    items: int
    participants: int
    voices: int
    roles: dict[str, int]  # role (participants.yaml) -> participants; "" for none given
    words: int  # the informants'
    interviewer_words: int


@dataclass
class Coding:
    codebooks: list[str]  # titles
    codebook_codes: int
    suggested: int
    decisions: dict[str, int]  # accepted, rejected, renamed, merged
    manual: int
    counted: int


@dataclass
class ThemeWork:
    candidates: int
    misc_codes: int
    review: dict[str, int]  # keep, merge, split, discard, pending
    coverage: float | None
    final: int
    from_split: int
    named: int
    defined: int
    concept: int
    narrative: int
    chosen: int  # themes quoted with the researcher's chosen extracts


@dataclass
class MethodFacts:
    approach: str
    tool: str
    pipeline: str
    version: str
    data: DataSet
    coding: Coding
    themes: ThemeWork
    memos: dict[str, int] = field(default_factory=dict)  # study, item, code, theme -> count


def paragraphs(facts: MethodFacts, w: Words) -> list[str]:
    """Five paragraphs: the data, the approach, coding, themes, extracts and memos."""
    return [_data(facts.data, w), w.of("approach")[facts.approach],
            " ".join([w.say("tool", tool=facts.tool, pipeline=facts.pipeline, version=facts.version), *_coding(facts.coding, w)]),
            " ".join(_themes(facts.themes, w)), " ".join([*_extracts(facts.themes, w), _memos(facts.memos, w)])]


def _data(data: DataSet, w: Words) -> str:
    roles = sorted(data.roles.items(), key=lambda kv: (-kv[1], kv[0] == "", kv[0].casefold()))
    listed = ", ".join(f"{role or w['no_role']}: {w.num(n)}" for role, n in roles)
    return w.say("data", items=w.n(data.items, "item"), people=w.n(data.participants, "participant"),
                 voices=w.say("voices", voices=w.n(data.voices, "voice")) if data.voices else "",
                 roles=f" ({listed})" if any(data.roles) else "", words=w.num(data.words),
                 interviewer=w.num(data.interviewer_words))


def _coding(coding: Coding, w: Words) -> list[str]:
    names = w.join(w.quoted(name) for name in coding.codebooks)
    books = (w.say("one_codebook" if len(coding.codebooks) == 1 else "codebooks", names=names,
                   codes=w.n(coding.codebook_codes, "code")) if coding.codebooks else w["no_codebook"])
    decided = {k: w.num(coding.decisions.get(k, 0)) for k in ("accepted", "rejected", "renamed", "merged")}
    return [books, w.say("decisions", suggested=w.n(coding.suggested, "code"), beyond=w["beyond"] if coding.codebooks else "",
                         manual=w.n(coding.manual, "code"), **decided),
            w.say("counted", codes=w.n(coding.counted, "code"))]


def _themes(work: ThemeWork, w: Words) -> list[str]:
    misc = w.say("misc", codes=w.n(work.misc_codes, "code")) if work.misc_codes else ""
    out = [w.say("candidates", candidates=w.n(work.candidates, "candidate"), misc=misc)]
    decided = [w.of("review_words")[k].format(n=w.num(work.review[k])) for k in REVIEW_ORDER if work.review.get(k)]
    out.append(w.say("review", decisions=", ".join(decided)) if set(work.review) - {"pending"} else w["review_none"])
    if work.coverage is not None:
        out.append(w.say("coverage", share=w.pct(work.coverage)))
    split = w.say("from_split", n=w.num(work.from_split)) if work.from_split else ""
    out.append(w.say("final", themes=w.n(work.final, "theme"), split=split))
    if not work.named:
        return out + [w["unnamed"]]
    return out + [w.say("named", named=w.num(work.named), themes=w.n(work.final, "theme"), defined=w.num(work.defined),
                        concept=w.num(work.concept), narrative=w.num(work.narrative))]


def _extracts(work: ThemeWork, w: Words) -> list[str]:
    chosen = (w.say("chosen_extracts", chosen=w.num(work.chosen), themes=w.n(work.final, "theme"))
              if work.chosen else w["machine_extracts"])
    return [chosen, w["widened"]]


def _memos(memos: dict[str, int], w: Words) -> str:
    total = sum(memos.values())
    if not total:
        return w["no_memos"]
    kinds = [w.of("memo_kinds")[k].format(n=w.num(memos[k])) for k in ("study", "item", "code", "theme") if memos.get(k)]
    return w.say("memos", memos=w.n(total, "memo"), kinds=", ".join(kinds))
