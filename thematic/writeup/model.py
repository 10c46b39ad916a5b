"""The report as data: what phase 6 found and the researcher wrote, before any format.

Phase 6 builds one Report from the artefacts (thematic.phases.report) and writes it as Markdown;
`thematic report --format html|docx` writes the same Report again, read back from the JSON copy
phase 6 keeps beside the artefacts, so every format says the same thing. Words the report says
itself (headings, labels) are not here but in thematic.writeup.strings, chosen by `language`.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Union

MODEL_FILE = "report-model.json"  # in the study's machine folder (analysis/.thematic)
SCHEMA = "thematic/report-model@1"


@dataclass
class Quote:
    """A verbatim passage around one extract, and who said it where."""

    text: str
    attribution: str  # "NAV-veileder, Veileder 3, gruppe-01, linje 81" or "..., 00:12:03"
    extract: str  # the extract id the passage is widened from
    chosen: bool = False  # picked by the researcher (chosen_extracts)


@dataclass
class Subtheme:
    label: str
    codes: list[str]  # code labels


@dataclass
class Theme:
    number: int
    id: str
    title: str  # the researcher's name, else the machine's proposal
    named: bool
    definition: str  # the researcher's; empty when only the scaffold exists
    scaffold: str  # the machine's draft definition, shown while definition is empty
    concept: str  # central organising concept
    subthemes: list[Subtheme]
    codes: list[str]  # code labels
    narrative: str
    quotes: list[Quote]
    changed: str = ""  # "+1 (x) -2 (y, z)": codes changed since the researcher named it
    colour: str = "#999999"  # the theme's colour in the map


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]  # right-aligned columns


@dataclass
class Entry:
    """A headed piece of text: a memo in the journal."""

    heading: str
    text: str


@dataclass
class Appendix:
    """One appendix; `key` says which (codebook, checklist, journal), the renderers need no more."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    entries: list[Entry] = field(default_factory=list)


@dataclass
class MapTheme:
    id: str
    label: str
    codes: list[str]  # code ids, central first
    centrality: dict[str, float] = field(default_factory=dict)


@dataclass
class ThematicMap:
    themes: list[MapTheme]
    labels: dict[str, str]  # code id -> label
    counts: dict[str, int]  # code id -> extracts

    def records(self) -> list[dict]:
        """The themes as thematic.thematic_map draws them."""
        return [{"id": t.id, "label": t.label, "codes": t.codes, "evidence": {"centrality": t.centrality}}
                for t in self.themes]


@dataclass
class Report:
    language: str  # nb, nn or en: the table of thematic.writeup.strings the renderers use
    title: str
    tool: str  # "thematic 0.1.0"
    draft: str  # phase 5's draft note, or empty
    method: list[str]  # paragraphs
    map: ThematicMap
    themes: list[Theme]
    prevalence: Table
    appendices: list[Appendix]

    def to_json(self, markdown_sha256: str) -> str:
        """The report with the hash of the Markdown written from it (a copy that no longer matches
        6-report.md is not used)."""
        data = {"schema": SCHEMA, "markdown_sha256": markdown_sha256, "report": asdict(self)}
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def from_json(text: str, markdown_sha256: str) -> Report | None:
    """The Report of a JSON copy, or None when it is of another schema, broken, or was not
    written with this Markdown."""
    try:
        data = json.loads(text)
        if data.get("schema") != SCHEMA or data.get("markdown_sha256") != markdown_sha256:
            return None
        return _build(Report, data["report"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _build(kind: Any, value: Any) -> Any:
    """A value of the annotated type from its JSON form: dataclasses, lists, dicts, optionals."""
    origin = typing.get_origin(kind)
    if is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{f.name: _build(hints[f.name], value[f.name]) for f in fields(kind) if f.name in value})
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return None if value is None else _build(options[0], value)
    if origin is list:
        return [_build(typing.get_args(kind)[0], v) for v in value]
    if origin is dict:
        return {k: _build(typing.get_args(kind)[1], v) for k, v in value.items()}
    return value
