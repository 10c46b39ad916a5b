"""Carry the researcher's decisions from the old artefact into the machine's new one."""

from __future__ import annotations

from typing import Any

from thematic.artefacts import HUMAN_FIELDS

UNDECIDED = (None, "", "pending", "suggested")


def _decided(record: dict) -> bool:
    """True when a researcher has put something of theirs in this record."""
    return record.get("origin") == "manual" or any(record.get(f) not in UNDECIDED for f in HUMAN_FIELDS)


def _records(value: Any) -> list[dict] | None:
    if isinstance(value, list) and value and all(isinstance(r, dict) and "id" in r for r in value):
        return value
    return None


def carry_decisions(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """New machine output with every human field and manual record of the old one kept."""
    for key, records in new.items():
        old_records = _records(old.get(key))
        if old_records is None or not isinstance(records, list):
            continue
        by_id = {r["id"]: r for r in old_records}
        for record in records:
            previous = by_id.get(record.get("id"))
            if previous is not None:
                for name in HUMAN_FIELDS & previous.keys() & record.keys():
                    record[name] = previous[name]
        new_ids = {r.get("id") for r in records}
        records.extend(r for r in old_records if r["id"] not in new_ids and _decided(r))
    return new
