"""Review flags: what looks wrong with a candidate theme, and the decision that might fix it.

Each flag is {flag, suggest, why}; `suggest` is written as the phase-4 decision it proposes, so
the researcher can copy it into `decision:` (and must still give a reason). "thin" counts
participants and anonymous voices together (thematic.measures): where people cannot be told
apart, each informant turn is one unit, so a theme from a file of quotes is not thin by rule.
"""

from __future__ import annotations

from typing import Any


def flag(name: str, suggest: str, why: str) -> dict[str, str]:
    """One review flag: what it is, what to do about it, and why (the shape 4-reviewed-themes.yaml holds)."""
    return {"flag": name, "suggest": suggest, "why": why}


def _closest(level2: dict[str, Any]) -> str | None:
    shares = [(-v["share"], other) for other, v in level2["overlap"].items() if v["share"] > 0]
    return min(shares)[1] if shares else None


def _who(level1: dict) -> str:
    """Whom a theme is found with: participants, and anonymous voices where there are any
    (a voice is one informant turn where people cannot be told apart; thematic.measures)."""
    if not level1.get("voices"):
        return f"{level1['participants']} participants"
    return f"{level1['participants']} participants and {level1['voices']} anonymous voices, together"


def flags_for(tid: str, level1: dict, level2: dict, split: list[list[str]], params: dict,
              is_misc: bool) -> list[dict[str, str]]:
    """Flags for one theme, in a fixed order: thin, anecdotal, overlapping, incoherent, question."""
    if is_misc:
        return [flag("miscellaneous", "discard",
                      "codes that joined no theme; move them in 3-candidate-themes.yaml (moves:) or discard")]
    out = []
    closest = _closest(level2)
    if level1["participants"] + level1.get("voices", 0) < params["thin_participants"]:
        out.append(flag("thin", f"merge:{closest}" if closest else "discard",
                         f"only {_who(level1)} (fewer than {params['thin_participants']})"))
    if level1["top_participant_share"] > params["anecdotal_share"]:
        out.append(flag("anecdotal", "discard",
                         f"{level1['top_participant_share']:.0%} of its extracts come from {level1['top_participant']}"))
    for other, overlap in level2["overlap"].items():
        if overlap["share"] >= params["overlap"]:
            out.append(flag("overlapping", f"merge:{other}",
                             f"{overlap['share']:.0%} of its extracts ({overlap['shared']}) are also in {other}"))
    if level1["coherence"] is not None and level1["coherence"] < params["incoherent"]:
        groups = " | ".join(", ".join(g) for g in split) or "no clear sub-groups"
        out.append(flag("incoherent", "split" if split else "discard",
                         f"coherence {level1['coherence']} < {params['incoherent']}; sub-groups: {groups}"))
    questions = level2["questions"]
    if questions["share"] >= params["question_share"]:
        out.append(flag("mirrors-question", "keep",
                         f"{questions['share']:.0%} of its extracts answer questions that name it, e.g. "
                         f"«{questions['example']}»: keep it only as a pattern of shared meaning, not a summary of answers"))
    return out
