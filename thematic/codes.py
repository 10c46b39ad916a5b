"""The researcher's decisions on codes, applied: which codes count downstream, under what name.

decision: pending | suggested | accepted | rejected | renamed:<new name> | merged:<code id>
Pending codebook and manual codes count (the researcher chose the codebook or wrote the code);
suggested codes count only once accepted, or once another code is merged into them; rejected
codes and their extracts leave phases 3-6. A rename onto another code's id and a merge into a
rejected code are refused: they would combine or drop extracts without saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from thematic.artefacts import sha256_bytes
from thematic.closest import closest, did_you_mean
from thematic.slug import slugify

PLAIN = ("pending", "suggested", "accepted", "rejected")
PREFIXED = ("renamed:", "merged:")
COUNTING_WHEN_PENDING = ("codebook", "manual")


def check_decision(value: Any, codes: dict[str, dict], own_id: str) -> str | None:
    """None when the decision is valid, else what is wrong and what is allowed. A rename that
    lands on another code's id and a merge into a rejected code would silently combine or drop
    extracts, so both are refused with the decision that says what was meant."""
    allowed = "pending, suggested, accepted, rejected, renamed:<new name> or merged:<code id>"
    if not isinstance(value, str):
        return f"decision must be text: {allowed}"
    if value in PLAIN:
        return None
    if value.startswith("renamed:") and slugify(value[8:]):
        return _rename_problem(slugify(value[8:]), codes, own_id)
    if value.startswith("merged:"):
        return _merge_problem(value[7:].strip(), codes, own_id)
    return f"unknown decision {value!r}; {_decision_hint(value)}allowed: {allowed}"


def _decision_hint(value: str) -> str:
    """"did you mean 'accepted'? " for accept, "'merged:x'" for merge:x; "" when nothing is close."""
    head, colon, rest = value.partition(":")
    match = closest(head.strip(), [p[:-1] for p in PREFIXED]) if colon else closest(value.strip(), PLAIN)
    return f"did you mean {match + colon + rest.strip() if colon else match!r}? " if match else ""


def _rename_problem(new_id: str, codes: dict[str, dict], own_id: str) -> str | None:
    if new_id != own_id and new_id in codes:
        return f"renamed: gives the id {new_id!r}, which another code has; to combine the two, write merged:{new_id}"
    twin = next((cid for cid, c in codes.items() if cid != own_id and _renamed_to(c) == new_id), None)
    if twin:
        return f"code {twin!r} is renamed to the same name; to combine the two, write merged:{twin} on one of them"
    return None


def _renamed_to(code: dict) -> str | None:
    decision = code.get("decision")
    return slugify(decision[8:]) if isinstance(decision, str) and decision.startswith("renamed:") else None


def _merge_problem(target: str, codes: dict[str, dict], own_id: str) -> str | None:
    if target == own_id:
        return f"code {own_id!r} cannot be merged into itself"
    if target not in codes:
        return f"merged:{target} names no code in this file{did_you_mean(target, codes)}"
    if codes[target].get("decision") == "rejected":
        return f"merged:{target} merges into a rejected code, so these extracts would leave the analysis too; reject this code as well, or merge it into a code that counts"
    return None


@dataclass
class EffectiveCode:
    """A code as it counts downstream, after renames and merges."""

    id: str
    label: str
    theme_hint: str | None
    sources: list[str] = field(default_factory=list)
    extracts: list[dict] = field(default_factory=list)

    @property
    def participants(self) -> set[str]:
        return {e["participant"] for e in self.extracts if e.get("participant")}

    @property
    def items(self) -> set[str]:
        return {e["item"] for e in self.extracts}


def _target(codes: dict[str, dict], code_id: str) -> str:
    seen = [code_id]
    while codes[seen[-1]].get("decision", "pending").startswith("merged:"):
        nxt = codes[seen[-1]]["decision"][7:].strip()
        if nxt in seen:
            from thematic.errors import ArtefactError

            raise ArtefactError(f"codes merge into each other in a loop: {' -> '.join(seen + [nxt])}")
        seen.append(nxt)
    return seen[-1]


def _counts(code: dict, merged_into: bool = False, draft: bool = False) -> bool:
    """Whether a code reaches phases 3-6. A code others are merged into counts unless rejected:
    merging into a suggestion is the researcher taking it up. In a draft every suggestion counts."""
    decision = code.get("decision", "pending")
    if (merged_into or draft) and decision in ("pending", "suggested"):
        return True
    if decision == "pending":
        return code.get("origin", "manual") in COUNTING_WHEN_PENDING
    return decision == "accepted" or decision.startswith("renamed:")


def _extract_id(extract: dict) -> str:
    if extract.get("id"):
        return extract["id"]
    return f"{extract['item']}:{sha256_bytes(extract['text'].encode())[:8]}"


def counted_codes(codes_data: dict) -> tuple[list[EffectiveCode], bool]:
    """The codes phases 3-6 work on, and whether they are a draft: until some code counts, an
    untouched run works on the machine's suggestions, provisionally, and says so everywhere."""
    codes = effective_codes(codes_data)
    if any(c.extracts for c in codes):
        return codes, False
    drafted = effective_codes(codes_data, draft=True)
    return drafted, any(c.extracts for c in drafted)


def effective_codes(codes_data: dict, draft: bool = False) -> list[EffectiveCode]:
    """The codes that count, sorted by id, each with its (merged) extracts, de-duplicated."""
    codes = {c["id"]: c for c in codes_data.get("codes", [])}
    merge_targets = {_target(codes, cid) for cid, c in codes.items() if str(c.get("decision", "")).startswith("merged:")}
    out: dict[str, EffectiveCode] = {}
    for code_id in sorted(codes):
        target = codes[_target(codes, code_id)]
        if not _counts(target, merged_into=target["id"] in merge_targets, draft=draft):
            continue
        decision = target.get("decision", "pending")
        if decision.startswith("renamed:"):
            label = decision[8:].strip()
            new_id = slugify(label)
        else:
            label, new_id = target.get("label") or target["id"], target["id"]
        eff = out.setdefault(new_id, EffectiveCode(new_id, label, target.get("theme_hint")))
        eff.sources.append(code_id)
        known = {e["id"] for e in eff.extracts}
        for extract in codes[code_id].get("extracts", []):
            if not extract.get("id"):  # a hand-written one; any other is shared, not copied (phases never change one)
                extract = dict(extract, id=_extract_id(extract))
            if extract["id"] not in known:
                eff.extracts.append(extract)
                known.add(extract["id"])
    for eff in out.values():
        eff.extracts.sort(key=lambda e: (e["item"], e.get("span", [0])[0], e["id"]))
    return [out[k] for k in sorted(out)]
