"""The study as an export sees it: the codes that count (every decision applied), the latest
themes with the researcher's writing, each item's text as phase 2 read it, every extract, the
people in the data with their participants.yaml attributes, and the memos.

Read from the extract store and its index (thematic.view), never from the transcripts or the NLP
pipeline, so the offsets are those of the text the extracts were cut from and a 1M-word study
exports in seconds. The REFI-QDA writer and the CSV tables both start here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thematic.index import INFORMANT
from thematic.json_copy import artefact_data
from thematic.memos import Memo, read_memos
from thematic.view import THEME_ARTEFACTS, StudyView, is_voice, open_view

MISC = "diverse"  # thematic.phases.themes.MISC, not imported: it brings the clustering (a test keeps them equal)
SETTINGS = ("speakers", "voices")  # participants.yaml keys that say how to read an item, not who someone is
THEME_WRITING = (("definition", ""), ("central_organising_concept", "Sentralt organiserende konsept: "),
                 ("narrative", ""), ("notes", "Notater: "))


@dataclass(frozen=True)
class Code:
    """A code that counts, under the id it counts as; `description` is its definition and keywords."""

    id: str
    label: str
    decision: str
    description: str


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    description: str
    codes: tuple[str, ...]  # the counted codes it holds, in the artefact's order


@dataclass(frozen=True)
class Item:
    id: str
    path: str  # relative to the study, as the index keeps it
    text: str


@dataclass(frozen=True)
class Case:
    """Someone the data tells apart (or an item's anonymous voices taken together), with attributes."""

    id: str
    item: str
    speaker: str | None
    attributes: dict[str, Any]
    whole_item: bool  # the only informant of the item: the case is the whole source


@dataclass
class Snapshot:
    title: str
    root: Path
    analysis_dir: Path
    draft: bool
    themes_from: str  # the artefact the themes come from, "" before phase 3
    codes: dict[str, Code]
    themes: list[Theme]
    items: list[Item]
    extracts: dict[str, list[dict]]  # counted code id -> its extracts, in the order of the data
    cases: list[Case]
    attributes: list[str]  # every attribute name participants.yaml gives, sorted
    memos: list[Memo]
    code_of: dict[str, str]  # every code id in 2-codes.yaml that counts -> the id it counts as
    view: StudyView  # for tables thematic.stats already makes
    warnings: list[str] = field(default_factory=list)

    def theme_of(self) -> dict[str, Theme]:
        """Counted code id -> the first theme that holds it."""
        out: dict[str, Theme] = {}
        for theme in self.themes:
            for code in theme.codes:
                out.setdefault(code, theme)
        return out


def take_snapshot(root: Path, text: bool = True, corpus: bool = True) -> Snapshot:
    """Everything an export writes, read once; without text the extracts carry only where they
    are and who said it (the REFI writer takes the words from the item's text); without corpus
    only the codes and themes (a codebook needs no transcripts, extracts, people or memos)."""
    view = open_view(root)
    source, themes = _themes(view)
    items = [Item(row.id, row.path, t) for row, (_, t) in zip(view.index.items, view.index.texts())] if corpus else []
    return Snapshot(
        title=str(view.project.settings.get("title") or view.project.root.resolve().name),
        root=view.project.root, analysis_dir=view.project.analysis_dir, draft=view.draft, themes_from=source,
        codes=_codes(view), themes=themes, items=items, extracts=view.extracts(text=text) if corpus else {},
        cases=_cases(view) if corpus else [], attributes=[a for a in view.attribute_names() if a not in SETTINGS],
        memos=read_memos(view.project) if corpus else [], code_of=dict(view.code_of), view=view, warnings=view.warnings)


def _codes(view: StudyView) -> dict[str, Code]:
    records = {c["id"]: c for c in view.codes_data.get("codes", [])}
    out = {}
    for code in view.codes.values():
        own = next((records[s] for s in code.sources if not str(records[s].get("decision", "")).startswith("merged:")),
                   records[code.sources[0]])
        out[code.id] = Code(code.id, code.label, str(own.get("decision", "pending")), _code_description(own))
    return out


def _code_description(record: dict) -> str:
    """The definition, include/exclude notes and keywords of a code, or how phase 2 found a suggestion."""
    parts = [str(record.get(key) or "").strip() for key in ("definition", "include", "exclude")]
    if record.get("keywords"):
        parts.append("Nøkkelord: " + ", ".join(map(str, record["keywords"])))
    forms = (record.get("evidence") or {}).get("forms") if record.get("origin") == "suggested" else None
    if forms:
        parts.append("Foreslått av thematic fra ordformene: " + ", ".join(map(str, forms)))
    if str(record.get("notes") or "").strip():
        parts.append("Notater: " + str(record["notes"]).strip())
    return "\n\n".join(p for p in parts if p)


def _themes(view: StudyView) -> tuple[str, list[Theme]]:
    """The latest theme phase's themes with the codes that count now; phase 3's and 4's
    miscellaneous bin is no theme (phase 5 keeps it only when you said keep)."""
    from thematic.phases import BY_NAME

    source, themes = view.themes
    if not source:
        return "", []
    spec = next(BY_NAME[n] for n in THEME_ARTEFACTS if BY_NAME[n].artefact == source)
    records = {t["id"]: t for t in artefact_data(view.project, spec)[0].get("themes") or [] if isinstance(t, dict)}
    return source, [Theme(t.id, t.label, _theme_description(records.get(t.id, {})), tuple(c for c in t.codes if c in view.codes))
                    for t in themes if not (t.id == MISC and spec.name != "define")]


def _theme_description(record: dict) -> str:
    """The researcher's writing about a theme; the machine's scaffold until there is some."""
    parts = [prefix + str(record.get(key) or "").strip() for key, prefix in THEME_WRITING if str(record.get(key) or "").strip()]
    return "\n\n".join(parts) or str(record.get("scaffold") or "").strip()


def _cases(view: StudyView) -> list[Case]:
    """Every informant the index knows, item by item; an item's anonymous voices are one case."""
    out = []
    for row in view.index.items:
        voices = view.index.packed(row.n).voices
        people: dict[str, str | None] = {}
        for speaker, role, person in voices:  # sorted by speaker: a person's first label names them
            if role == INFORMANT and person and not is_voice(person):
                people.setdefault(person, speaker)
        out += [Case(p, row.id, s, _attributes(view, row.id, s), p == row.id) for p, s in sorted(people.items())]
        if any(role == INFORMANT and is_voice(p) for _, role, p in voices):
            out.append(Case(case_id(row.id, None), row.id, None, _attributes(view, row.id, None), True))
    return out


def case_id(item: str, participant: str | None) -> str:
    """The case an extract belongs to: its participant, or its item's voices taken together
    (named as `thematic stats` names their column)."""
    return f"{item} (voices)" if not participant or is_voice(participant) else participant


def _attributes(view: StudyView, item: str, speaker: str | None) -> dict[str, Any]:
    return {k: v for k, v in view.attributes(item, speaker).items() if k not in SETTINGS}
