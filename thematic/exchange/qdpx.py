"""REFI-QDA export: the study as a project (.qdpx) or its codebook alone (.qdc), for ATLAS.ti,
MAXQDA, NVivo, QualCoder and the other programs that read the QDA-XML 1.0 exchange standard.

The .qdpx is a zip of `project.qde` (valid against Project.xsd) and `sources/<GUID>.txt`: each
item's text exactly as phase 2 read it (UTF-8, NFC, `\\n` line ends, no BOM), so a selection's
startPosition/endPosition are the extract's span, in code points, end-exclusive. Themes are
parent codes (isCodable="false") holding their codes, and also Sets, as research notes on other
tools advise (a Code sits under one theme; a Set can list it under two). Memos are Notes, hung on
the project, item, code or theme they are about; participants are Cases with their attributes as
Variables. Every GUID derives from our ids (refi.guid), nothing reads the clock, and the zip's
entries carry a fixed date, so the same study gives the same bytes.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections import Counter
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree import ElementTree as ET

from thematic import __version__
from thematic.artefacts import replace_atomically
from thematic.errors import ArtefactError
from thematic.exchange.export import Exported
from thematic.exchange.refi import CODEBOOK_NS, INTERNAL, ORIGIN, PROJECT_FILE, PROJECT_NS, SOURCES_DIR, USER, guid
from thematic.exchange.snapshot import Case, Snapshot, case_id
from thematic.memos import Memo

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry: never the clock's
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf")
NO_THEME = "#7f7f7f"
COMPRESSION = 1  # zlib's fastest: 13% larger than its default 6 on a 1M-word study, in a third of the time
Span = tuple[str, int, int]  # item, start, end


class Selection(NamedTuple):
    """One coded span of an item: its GUID and the codes on it, sorted."""

    guid: str
    codes: list[str]


def write_qdpx(snapshot: Snapshot, path: Path) -> Exported:
    """The study as a REFI-QDA project file at `path` (.qdpx), written atomically."""
    _check_target(path, ".qdpx")
    project, selections = project_element(snapshot)
    entries = [(PROJECT_FILE, _xml(project))]
    entries += [(f"{SOURCES_DIR}/{guid('source', item.id)}.txt", item.text.encode("utf-8")) for item in snapshot.items]
    data = _zip(entries)
    _write(path, data)
    return Exported(path, "qdpx", len(data), len(snapshot.items), len(snapshot.themes), len(snapshot.codes),
                    len(selections), sum(len(s.codes) for s in selections.values()), len(snapshot.cases),
                    len(_variables(snapshot)), len(snapshot.memos), files=[path],
                    warnings=[*snapshot.warnings, *unique_names(snapshot)[1], *_astral(snapshot)])


def write_qdc(snapshot: Snapshot, path: Path) -> Exported:
    """The codebook alone (.qdc): themes and codes with their descriptions, and the theme Sets."""
    _check_target(path, ".qdc")
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": _origin()})
    ET.SubElement(root, "Codes").extend(_code_tree(snapshot, {}))
    if any(t.codes for t in snapshot.themes):  # an empty <Sets/> is invalid (Codebook.xsd wants 1+ Set)
        _sets(root, snapshot, member="guid")
    ET.indent(root)
    data = _xml(root)
    _write(path, data)
    return Exported(path, "qdc", len(data), themes=len(snapshot.themes), codes=len(snapshot.codes),
                    files=[path], warnings=[*snapshot.warnings, *unique_names(snapshot)[1]])


def project_element(snapshot: Snapshot) -> tuple[ET.Element, dict[Span, Selection]]:
    """project.qde as an element, in the order Project.xsd's sequence demands, and the selections
    it made, by (item, start, end)."""
    user = guid("user", USER)
    root = ET.Element("Project", {"xmlns": PROJECT_NS, "origin": _origin(), "name": snapshot.title,
                                  "creatingUserGUID": user})  # origin first: _ours() looks for it
    ET.SubElement(ET.SubElement(root, "Users"), "User", guid=user, name=USER)
    notes = _note_targets(snapshot)
    if snapshot.codes or snapshot.themes:
        codes = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
        codes.extend(_code_tree(snapshot, notes))
    selections = _selections(snapshot)
    _cases(root, snapshot, selections)
    if snapshot.items:
        by_item: dict[str, list[tuple[Span, Selection]]] = {}
        for span, selection in selections.items():
            by_item.setdefault(span[0], []).append((span, selection))
        ET.SubElement(root, "Sources").extend(_source(item.id, item.path, by_item.get(item.id, []), notes.get(("item", item.id), []), user)
                                               for item in snapshot.items)
    if snapshot.memos:
        ET.SubElement(root, "Notes").extend(_note(memo, key, user) for memo, key in zip(snapshot.memos, _note_ids(snapshot.memos)))
    if any(t.codes for t in snapshot.themes):
        _sets(root, snapshot, member="targetGUID")
    ET.SubElement(root, "Description").text = _description(snapshot)
    for note in notes.get(("project", ""), []):
        ET.SubElement(root, "NoteRef", targetGUID=note)
    return root, selections


def _origin() -> str:
    return f"{ORIGIN} {__version__}"


def _description(snapshot: Snapshot) -> str:
    """The project's description: what was exported, from where, and a draft said as a draft."""
    themes = f"temaer fra {snapshot.themes_from}" if snapshot.themes_from else "ingen temaer ennå (fase 3 har ikke kjørt)"
    text = (f"Tematisk analyse (Braun og Clarke) eksportert fra thematic: kodene som teller, med beslutningene dine, "
            f"{themes}, og alle utdrag som kodinger.")
    if snapshot.draft:
        text += " Utkast: ingen koder er godtatt ennå, så kodene er maskinens forslag."
    return text


def _code_tree(snapshot: Snapshot, notes: dict[tuple[str, str], list[str]]) -> list[ET.Element]:
    """Each theme a category (isCodable="false") holding its codes; codes in no theme at the top."""
    theme_of, names = snapshot.theme_of(), unique_names(snapshot)[0]
    out = []
    for n, theme in enumerate(snapshot.themes):
        color = PALETTE[n % len(PALETTE)]
        element = _code(guid("theme", theme.id), theme.name, False, theme.description, notes.get(("theme", theme.id), []))
        element.extend(_code(_code_guid(c), names[c], True, snapshot.codes[c].description, notes.get(("code", c), []), color)
                       for c in theme.codes if theme_of[c] is theme)
        out.append(element)
    out += [_code(_code_guid(c.id), names[c.id], True, c.description, notes.get(("code", c.id), []), NO_THEME)
            for c in snapshot.codes.values() if c.id not in theme_of]
    return out


def unique_names(snapshot: Snapshot) -> tuple[dict[str, str], list[str]]:
    """Each code's name in the codebook, and a warning per clash: two codes whose labels differ
    only in case would be one code in some programs (QualCoder asks about each one), so the later
    ones get their id in brackets."""
    names, seen, warnings = {}, {}, []
    for code in snapshot.codes.values():
        key = code.label.casefold()
        names[code.id] = code.label if key not in seen else f"{code.label} ({code.id})"
        if key in seen:
            warnings.append(f"codes {seen[key]} and {code.id} are both labelled «{code.label}»; "
                            f"the export names the second «{names[code.id]}»")
        seen.setdefault(key, code.id)
    return names, warnings


def _code(key: str, name: str, codable: bool, description: str, notes: list[str], color: str | None = None) -> ET.Element:
    element = ET.Element("Code", {"guid": key, "name": name, "isCodable": "true" if codable else "false",
                                  **({"color": color} if color else {})})
    if description:
        ET.SubElement(element, "Description").text = description
    for note in notes:
        ET.SubElement(element, "NoteRef", targetGUID=note)
    return element


def _selections(snapshot: Snapshot) -> dict[Span, Selection]:
    """Every extract's span (one selection however many codes share it) -> its codes, sorted;
    by item and place in the text."""
    spans: dict[Span, list[str]] = {}
    for code, extracts in snapshot.extracts.items():
        for extract in extracts:
            start, end = extract["span"]
            spans.setdefault((extract["item"], start, end), []).append(code)
    return {span: Selection(guid("selection", span[0], str(span[1]), str(span[2])), sorted(spans[span]))
            for span in sorted(spans)}


@lru_cache(maxsize=None)
def _code_guid(code: str) -> str:
    return guid("code", code)


def _participants(snapshot: Snapshot) -> dict[Span, str]:
    """Who said each extract (the participant, or the item's voices as one case)."""
    return {(e["item"], *e["span"]): case_id(e["item"], e.get("participant") or e["item"])
            for extracts in snapshot.extracts.values() for e in extracts}


def _source(item: str, path: str, selections: list[tuple[Span, Selection]], notes: list[str], user: str) -> ET.Element:
    key = guid("source", item)
    source = ET.Element("TextSource", guid=key, name=Path(path).name, plainTextPath=f"{INTERNAL}{key}.txt",
                        creatingUser=user)
    ET.SubElement(source, "Description").text = path
    for (at, start, end), (selected, on) in selections:
        selection = ET.SubElement(source, "PlainTextSelection", guid=selected, name=f"{at}:{start}",
                                  startPosition=str(start), endPosition=str(end), creatingUser=user)
        for code in on:
            coding = ET.SubElement(selection, "Coding", guid=guid("coding", at, str(start), str(end), code), creatingUser=user)
            ET.SubElement(coding, "CodeRef", targetGUID=_code_guid(code))
    for note in notes:
        ET.SubElement(source, "NoteRef", targetGUID=note)
    return source


def _variables(snapshot: Snapshot) -> dict[str, str]:
    """Attribute name -> its REFI type: Boolean, Integer or Float when every value is one, else Text."""
    out = {}
    for name in snapshot.attributes:
        values = [c.attributes[name] for c in snapshot.cases if name in c.attributes]
        if values:
            out[name] = _type(values)
    return out


def _type(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "Boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "Integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values):
        return "Float"
    return "Text"


def _value(kind: str, value: Any) -> str:
    if kind == "Boolean":
        return "true" if value else "false"
    if kind == "Float":
        return format(Decimal(repr(float(value))), "f")  # xsd:decimal has no exponent
    return str(value)


def _cases(root: ET.Element, snapshot: Snapshot, selections: dict[Span, Selection]) -> None:
    """Variables (one per attribute) and Cases (one per participant), each case pointing at its
    whole source when it is the item's only informant, else at the selections it said."""
    variables = _variables(snapshot)
    if variables:
        holder = ET.SubElement(root, "Variables")
        for name, kind in variables.items():
            ET.SubElement(holder, "Variable", guid=guid("variable", name), name=name, typeOfVariable=kind)
    if not snapshot.cases:
        return
    said: dict[str, list[str]] = {}
    people = _participants(snapshot)
    for span, selection in selections.items():  # in the order of the data
        said.setdefault(people[span], []).append(selection.guid)
    holder = ET.SubElement(root, "Cases")
    for case in snapshot.cases:
        holder.append(_case(case, variables, said.get(case.id, [])))


def _case(case: Case, variables: dict[str, str], selections: list[str]) -> ET.Element:
    element = ET.Element("Case", guid=guid("case", case.id), name=case.id)
    ET.SubElement(element, "Description").text = f"{case.speaker} i {case.item}" if case.speaker else case.item
    for name, kind in variables.items():
        if name in case.attributes:
            value = ET.SubElement(element, "VariableValue")
            ET.SubElement(value, "VariableRef", targetGUID=guid("variable", name))
            ET.SubElement(value, f"{kind}Value").text = _value(kind, case.attributes[name])
    if case.whole_item:
        ET.SubElement(element, "SourceRef", targetGUID=guid("source", case.item))
    else:
        for key in selections:
            ET.SubElement(element, "SelectionRef", targetGUID=key)
    return element


def _note_ids(memos: list[Memo]) -> list[str]:
    """A GUID per memo from what it says, where it points and when, so reordering or editing one
    memo leaves the others' GUIDs alone; identical memos are told apart by their occurrence."""
    seen: Counter[tuple] = Counter()
    out = []
    for memo in memos:
        key = (memo.about, memo.target or "", memo.date, memo.text)
        seen[key] += 1
        out.append(guid("note", *key, str(seen[key])))
    return out


def _note_targets(snapshot: Snapshot) -> dict[tuple[str, str], list[str]]:
    """(kind, id) -> the notes about it: an item's on its source, a code's on the code it counts
    as, a theme's on the theme; a memo whose target is not exported hangs on the project."""
    items = {i.id for i in snapshot.items}
    themes = {t.id for t in snapshot.themes}
    out: dict[tuple[str, str], list[str]] = {}
    for memo, key in zip(snapshot.memos, _note_ids(snapshot.memos)):
        target = snapshot.code_of.get(memo.target or "", memo.target) if memo.about == "code" else memo.target
        known = {"item": items, "code": snapshot.codes.keys(), "theme": themes}.get(memo.about, set())
        where = (memo.about, target or "") if target in known else ("project", "")
        out.setdefault(where, []).append(key)
    return out


NOTE_ABOUT = {"study": "refleksiv logg", "item": "om {}", "code": "om koden {}", "theme": "om temaet {}"}


def _note(memo: Memo, key: str, user: str) -> ET.Element:
    name = f"Memo {memo.date} {NOTE_ABOUT[memo.about].format(memo.target)}".replace("  ", " ").strip()
    note = ET.Element("Note", guid=key, name=name, creatingUser=user, **_when(memo.date))
    ET.SubElement(note, "PlainTextContent").text = memo.text
    return note


def _when(date: str) -> dict[str, str]:
    """creationDateTime from the memo's own date ("2025-03-04 10:15"), when it has one."""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(:\d{2})?)?", date.strip())
    if not match:
        return {}
    return {"creationDateTime": f"{match[1]}T{match[2] or '00:00'}{match[3] or ':00'}"}


def _sets(root: ET.Element, snapshot: Snapshot, member: str) -> None:
    """One Set per theme listing its codes (the project schema says targetGUID, the codebook's guid)."""
    holder = ET.SubElement(root, "Sets")
    for theme in snapshot.themes:
        element = ET.SubElement(holder, "Set", guid=guid("set", theme.id), name=theme.name)
        for code in theme.codes:
            ET.SubElement(element, "MemberCode", {member: _code_guid(code)})


def _astral(snapshot: Snapshot) -> list[str]:
    """NVivo counts positions in UTF-16 units: characters beyond U+FFFF (emoji) shift its codings."""
    items = [i.id for i in snapshot.items if max(i.text, default="") > "\uffff"]
    if not items:
        return []
    return [f"{', '.join(items[:3])}{' …' if len(items) > 3 else ''}: characters beyond U+FFFF (emoji); "
            f"NVivo counts them twice, so its codings after one are shifted"]


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip whose bytes depend on the entries alone: fixed date, mode and system, in this order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system, info.external_attr = 3, 0o644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION)
    return buffer.getvalue()


def _check_target(path: Path, suffix: str) -> None:
    """Refuse a path without the format's extension (other programs go by it) and any existing
    file that thematic did not export (a transcript, another program's project)."""
    if path.is_dir():
        raise ArtefactError(f"{path}: is a folder; -o names the {suffix} file to write", fix=f"-o {path / ('studie' + suffix)}")
    if path.suffix.lower() != suffix:
        raise ArtefactError(f"{path}: a REFI-QDA {suffix} file must end in {suffix} (other programs go by it)",
                            fix=f"-o {path.with_suffix(suffix)}")
    if path.exists() and not _ours(path):
        raise ArtefactError(f"{path}: exists and thematic did not export it, so it is left alone",
                            fix="choose another file with -o, or move that one away")


def _ours(path: Path) -> bool:
    """True for a file an earlier thematic export wrote (its root's origin says so)."""
    mark = f'origin="{ORIGIN} '.encode()
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive, archive.open(PROJECT_FILE) as handle:
                return mark in handle.read(4096)
        with path.open("rb") as handle:
            return mark in handle.read(4096)
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def _write(path: Path, data: bytes) -> None:
    try:
        replace_atomically(path, [data])
    except OSError as exc:
        raise ArtefactError(f"{path}: cannot write ({exc.strerror or exc})") from None
