"""Carry the researcher's decisions from the old artefact into the machine's new one.

A decided record the new output no longer has is kept: codes (a manual code, a decision on a
code that vanished) stay in their list; a theme's writing goes to `orphaned:` with the codes it
had, never onto another theme and never back as a theme of its own.
"""

from __future__ import annotations

from typing import Any

from thematic.artefacts import HUMAN_FIELDS, Flow, FlowMap

UNDECIDED = (None, "", "pending", "suggested")
ORPHANED = "orphaned"
ORPHANING = frozenset({"themes"})  # lists whose vanished decided records become orphans


def _decided(record: dict) -> bool:
    """True when a researcher has put something of theirs in this record."""
    return record.get("origin") == "manual" or any(record.get(f) not in UNDECIDED for f in HUMAN_FIELDS)


def _records(value: Any) -> list[dict] | None:
    if isinstance(value, list) and value and all(isinstance(r, dict) and "id" in r for r in value):
        return value
    return None


def _yours_first(record: dict, previous: dict | None) -> dict:
    """A machine record that takes the id of your own code (an imported or added one) gives way
    to it: a suggestion `tillit` never replaces your code `tillit` and its extracts."""
    if previous is not None and previous.get("origin") == "manual" and record.get("origin") != "manual":
        return previous
    return record


def carry_decisions(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """New machine output with every human field and manual record of the old one kept."""
    for key, records in list(new.items()):
        old_records = _records(old.get(key))
        if old_records is None or not isinstance(records, list):
            continue
        by_id = {r["id"]: r for r in old_records}
        records[:] = [_yours_first(r, by_id.get(r.get("id"))) for r in records]
        for record in records:
            previous = by_id.get(record.get("id"))
            if previous is not None:
                for name in HUMAN_FIELDS & previous.keys() & record.keys():
                    record[name] = _styled_like(record[name], previous[name])
        new_ids = {r.get("id") for r in records}
        gone = [r for r in old_records if r["id"] not in new_ids and _decided(r)]
        if key in ORPHANING:
            _orphan(old, new, gone)
        else:
            records.extend(gone)
    return new


def _styled_like(machine: Any, yours: Any) -> Any:
    """Your value, written in the style the machine writes that field (a one-line list stays one
    line, so a second scripted edit finds it where the first left it)."""
    if isinstance(machine, (Flow, FlowMap)) and isinstance(yours, (list, dict)):
        return type(machine)(yours)
    return yours


def _orphan(old: dict[str, Any], new: dict[str, Any], gone: list[dict]) -> None:
    """Keep earlier orphans and add the records just gone: their id, codes and what is theirs."""
    kept = list(old.get(ORPHANED) or [])
    known = {o.get("id") for o in kept if isinstance(o, dict)}
    kept += [_orphan_record(r) for r in gone if r["id"] not in known]
    if kept:
        new[ORPHANED] = kept


def _orphan_record(record: dict) -> dict:
    codes = [c["id"] if isinstance(c, dict) else c for c in record.get("codes") or []]
    return {"id": record["id"], "codes": codes,
            **{f: record[f] for f in sorted(HUMAN_FIELDS & record.keys()) if record[f] not in UNDECIDED}}
