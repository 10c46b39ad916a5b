"""Reading REFI-QDA XML, and the code tree a project and a codebook (.qdc) share.

Both files are parsed with defusedxml, refusing any DTD or entity (an entity could pull another
file's text into the study), and checked for the QDA-XML namespace and the attributes we rely
on, each problem one line naming the file and line. The code tree becomes our codes and codebook
theme hints: REFI has no themes, so a code's parent stands in for one (see `plan_codes`). A
`.qdc` alone becomes a codebook YAML in our format, its codes without keywords yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_without_dtd

from thematic.artefacts import dumps
from thematic.codebook import ThemeHint
from thematic.errors import CorpusError
from thematic.exchange.refi import CODEBOOK_NS, ORIGIN
from thematic.slug import slugify

MAX_XML_BYTES = 1_000_000_000  # project.qde of a 1M-word study is ~5 MB; more is not an export
THEME_PREFIX = "tema"  # a theme hint whose name gives no id: tema-1, tema-2


def norm_guid(value: str | None) -> str:
    """GUIDs compared as REFI allows them written: any case, with or without braces."""
    return (value or "").strip().strip("{}").lower()


@dataclass
class Xml:
    """A parsed REFI-QDA document: its root, its namespace and where it came from, for errors."""

    root: ElementTree.Element
    ns: str
    where: str
    data: bytes

    def tag(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def all(self, element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
        return element.findall(self.tag(name))

    def one(self, element: ElementTree.Element, name: str) -> ElementTree.Element | None:
        return element.find(self.tag(name))

    def text(self, element: ElementTree.Element, name: str) -> str:
        """The text of a child element (Description, PlainTextContent), "" without one."""
        child = element.find(self.tag(name))
        return (child.text or "") if child is not None else ""

    def attr(self, element: ElementTree.Element, name: str) -> str:
        """A required attribute, or an error naming the element, its line and the attribute."""
        value = element.get(name)
        if value is None or not value.strip():
            raise CorpusError(f"{self.where}:{self.line_of(element)}: <{_local(element.tag)}> has no {name} "
                              f"attribute, which REFI-QDA requires", fix="export the file again from its program")
        return value

    def number(self, element: ElementTree.Element, name: str) -> int:
        value = self.attr(element, name)
        try:
            return int(value.strip())
        except ValueError:
            raise CorpusError(f"{self.where}:{self.line_of(element)}: <{_local(element.tag)}> {name}={value!r} "
                              "is not a whole number") from None

    def flag(self, element: ElementTree.Element, name: str) -> bool:
        value = self.attr(element, name).strip()
        if value not in ("true", "false", "1", "0"):
            raise CorpusError(f"{self.where}:{self.line_of(element)}: <{_local(element.tag)}> {name}={value!r} "
                              "is not true or false")
        return value in ("true", "1")

    def line_of(self, element: ElementTree.Element) -> int:
        """The line an element starts on, found only when an error names it: its place among the
        elements of its tag, then that occurrence of the tag in the text."""
        same = [e for e in self.root.iter(element.tag)]
        nth = next((i for i, e in enumerate(same) if e is element), 0)
        pattern = re.compile(rb"<(?:[\w.-]+:)?" + re.escape(_local(element.tag).encode()) + rb"[\s/>]")
        for i, match in enumerate(pattern.finditer(self.data)):
            if i == nth:
                return self.data.count(b"\n", 0, match.start()) + 1
        return 1


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def parse_xml(data: bytes, where: str, namespace: str, root: str) -> Xml:
    """The document parsed without DTD or entities, its root `root` in `namespace`; every other
    outcome is one CorpusError naming `where` (and the line, for XML that is not well-formed)."""
    if len(data) > MAX_XML_BYTES:
        raise CorpusError(f"{where}: {len(data) // 1_000_000} MB of XML is too large for a REFI-QDA file")
    try:
        element = parse_without_dtd(data, forbid_dtd=True)
    except DefusedXmlException:
        raise CorpusError(f"{where}: declares a DTD or entities; refused (a REFI-QDA file never needs one)") from None
    except ElementTree.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else "?"
        raise CorpusError(f"{where}:{line}: not well-formed XML ({_reason(exc)})") from None
    except (LookupError, ValueError) as exc:  # a garbled encoding= name
        raise CorpusError(f"{where}: unreadable XML ({' '.join(str(exc).split())})") from None
    ns, _, name = element.tag[1:].partition("}") if element.tag.startswith("{") else ("", "", element.tag)
    if name != root:
        raise CorpusError(f"{where}: the root element is <{name}>, not <{root}>: not a REFI-QDA "
                          f"{'codebook' if root == 'CodeBook' else 'project'}")
    if ns != namespace:
        raise CorpusError(f"{where}: wrong namespace {ns or '(none)'!r} on <{root}>; REFI-QDA 1.0 uses {namespace!r}")
    return Xml(element, ns, where, data)


def _reason(exc: ElementTree.ParseError) -> str:
    """expat's message without the position it already gave ("mismatched tag: line 3, column 2")."""
    return re.sub(r":? line \d+, column \d+$", "", str(exc)).strip()


@dataclass
class QdaCode:
    """A Code element: REFI's code or category (isCodable="false"), with its children."""

    guid: str
    name: str
    codable: bool
    description: str
    color: str | None
    notes: list[str] = field(default_factory=list)  # NoteRef targets (project files only)
    children: list[QdaCode] = field(default_factory=list)


@dataclass
class QdaSet:
    """A Set: a named group of codes (a theme in some programs) or of sources or notes."""

    guid: str
    name: str
    description: str
    codes: list[str]
    others: int  # MemberSource and MemberNote: nothing of ours holds them


@dataclass
class QdaCodebook:
    origin: str
    codes: list[QdaCode]
    sets: list[QdaSet]


def read_codes(xml: Xml, holder: ElementTree.Element | None) -> list[QdaCode]:
    """The Code elements under a CodeBook (project) or the root (.qdc), as a tree."""
    codes = xml.one(holder, "Codes") if holder is not None else None
    return [_code(xml, c) for c in xml.all(codes, "Code")] if codes is not None else []


def _code(xml: Xml, element: ElementTree.Element) -> QdaCode:
    stack = [(element, None)]
    top: QdaCode | None = None
    while stack:  # explicit stack: a deep tree cannot exhaust Python's recursion limit
        node, parent = stack.pop()
        code = QdaCode(norm_guid(xml.attr(node, "guid")), xml.attr(node, "name").strip(), xml.flag(node, "isCodable"),
                       xml.text(node, "Description").strip(), node.get("color"),
                       [norm_guid(n.get("targetGUID")) for n in xml.all(node, "NoteRef")])
        if parent is None:
            top = code
        else:
            parent.children.append(code)
        stack.extend((child, code) for child in reversed(xml.all(node, "Code")))
    assert top is not None
    return top


def read_sets(xml: Xml, holder: ElementTree.Element, member: str) -> list[QdaSet]:
    """Sets (an empty <Sets/>, as Taguette writes, is no error: there is simply none)."""
    sets = xml.one(holder, "Sets")
    if sets is None:
        return []
    return [QdaSet(norm_guid(s.get("guid")), (s.get("name") or "").strip(), xml.text(s, "Description").strip(),
                   [norm_guid(m.get(member)) for m in xml.all(s, "MemberCode")],
                   len(xml.all(s, "MemberSource")) + len(xml.all(s, "MemberNote")))
            for s in xml.all(sets, "Set")]


def read_codebook(data: bytes, where: str) -> QdaCodebook:
    """A .qdc file: its codes and code sets (MemberCode's attribute is guid here)."""
    xml = parse_xml(data, where, CODEBOOK_NS, "CodeBook")
    if xml.one(xml.root, "Codes") is None:
        raise CorpusError(f"{where}: <CodeBook> has no <Codes>, which REFI-QDA requires")
    return QdaCodebook((xml.root.get("origin") or "").strip(), read_codes(xml, xml.root), read_sets(xml, xml.root, "guid"))


def walk(codes: list[QdaCode]) -> list[tuple[QdaCode, tuple[QdaCode, ...]]]:
    """Every code with its ancestors, in the tree's order."""
    out: list[tuple[QdaCode, tuple[QdaCode, ...]]] = []
    stack = [(c, ()) for c in reversed(codes)]
    while stack:
        code, above = stack.pop()
        out.append((code, above))
        stack.extend((child, (*above, code)) for child in reversed(code.children))
    return out


@dataclass(frozen=True)
class OurCode:
    """A REFI code as one of ours: id and label unique, its theme hint, its definition."""

    guid: str
    id: str
    label: str
    definition: str
    theme: str | None


@dataclass
class CodePlan:
    """The code tree as our codes and theme hints, and what did not fit."""

    codes: dict[str, OurCode] = field(default_factory=dict)  # by GUID, in the tree's order
    hints: list[ThemeHint] = field(default_factory=list)  # from parent codes (or sets of codes)
    parents: dict[str, str] = field(default_factory=dict)  # GUID of a parent that is a hint -> hint id
    lost: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def plan_codes(tree: list[QdaCode], sets: list[QdaSet], coded: set[str], colours: bool = True) -> CodePlan:
    """Our codes and theme hints from a REFI code tree.

    A top-level code with children stands for a theme: it becomes a codebook theme hint (its
    name the label, its description the description), and every code below it, at any depth,
    gets that hint. A code becomes one of ours when it is codable and a leaf, or has codings of
    its own (ATLAS.ti, MAXQDA and NVivo code parents too; a codable parent nobody coded is a
    category only). Categories below the top level are flattened. Sets of codes give a hint to
    codes the tree gave none. Colours are reported lost, unless thematic chose them (`colours`)."""
    plan = CodePlan()
    flattened: list[str] = []
    for code, above in walk(tree):
        hint = plan.parents.get(above[0].guid) if above else None
        if not above and (code.children or not code.codable):
            hint = plan.parents[code.guid] = _new_hint(plan, code.name, code.description)
        if code.guid in coded or (code.codable and not code.children):
            _add_code(plan, code, above, hint)
        elif above:
            flattened.append(code.name)
    if flattened:
        plan.changed.append(f"{_n(len(flattened), 'category', 'categories')} below the top level flattened "
                            f"(their codes keep the top level's theme hint; the path is in each code's definition): "
                            f"{_names(flattened)}")
    _from_sets(plan, sets)
    coloured = sum(1 for c, _ in walk(tree) if c.color) if colours else 0
    if coloured:
        plan.lost.append(f"{_n(coloured, 'code colour')}: thematic has no code colours")
    return plan


def _new_hint(plan: CodePlan, name: str, description: str) -> str:
    taken = {h.id for h in plan.hints}
    hint_id = _unique(slugify(name) or f"{THEME_PREFIX}-{len(plan.hints) + 1}", taken)
    plan.hints.append(ThemeHint(hint_id, name or hint_id, description))
    return hint_id


def _add_code(plan: CodePlan, code: QdaCode, above: tuple[QdaCode, ...], hint: str | None) -> None:
    """One of our codes; a label used before gets its parent's name (or a number) after it."""
    labels = {c.label.casefold() for c in plan.codes.values()}
    label = code.name or "Uten navn"
    if label.casefold() in labels:
        parent = f"{label} ({above[-1].name})" if above else ""
        label = parent if parent and parent.casefold() not in labels else _numbered(label, labels)
        plan.changed.append(f"code «{code.name}» appears twice; the second is «{label}»")
    code_id = _unique(slugify(label) or "kode", {c.id for c in plan.codes.values()})
    path = " › ".join(a.name for a in above)
    definition = code.description
    if len(above) > 1:
        definition = f"{definition}\n\nPlassering i kodetreet: {path}".strip()
    plan.codes[code.guid] = OurCode(code.guid, code_id, label, definition, hint)


def _from_sets(plan: CodePlan, sets: list[QdaSet]) -> None:
    """A set of codes is a theme hint for the codes the tree gave none; a set that repeats a
    parent (as thematic's own export writes each theme twice) is already there."""
    labels = {h.id: h.label for h in plan.hints}
    for qda_set in sets:
        members = [plan.codes[g] for g in qda_set.codes if g in plan.codes]
        free = [c for c in members if c.theme is None]
        if free:
            hint = _new_hint(plan, qda_set.name, qda_set.description)
            for code in free:
                plan.codes[code.guid] = OurCode(code.guid, code.id, code.label, code.definition, hint)
        elif members and any(labels.get(c.theme or "") != qda_set.name for c in members):
            plan.lost.append(f"set «{qda_set.name}»: its codes already have a theme hint from the code tree "
                             "(a code has one theme hint in thematic)")
        if qda_set.others:
            plan.lost.append(f"set «{qda_set.name}»: {_n(qda_set.others, 'source or note member', 'source or note members')} "
                             "(thematic groups items by participants.yaml attributes)")


def _unique(base: str, taken: set[str]) -> str:
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    return out


def _numbered(label: str, labels: set[str]) -> str:
    n = 2
    while f"{label} ({n})".casefold() in labels:
        n += 1
    return f"{label} ({n})"


def _n(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def _names(names: list[str], shown: int = 3) -> str:
    quoted = ", ".join(f"«{n}»" for n in names[:shown])
    return quoted + (f" and {len(names) - shown} more" if len(names) > shown else "")


def is_ours(origin: str) -> bool:
    """True for a file thematic's own export wrote (its origin is "thematic <version>")."""
    return origin.split(" ", 1)[0] == ORIGIN


def codebook_yaml(book_id: str, title: str, description: str, plan: CodePlan, with_codes: bool, header: str) -> str:
    """A codebook in our format (thematic.codebook): the theme hints and, for a .qdc, the codes
    with their definitions and hints but no keywords yet (the researcher adds them)."""
    data: dict = {"codebook": {"id": book_id, "title": title, "language": "nb", "version": 1,
                               **({"description": description} if description else {})}}
    data["themes"] = [{"id": h.id, "label": h.label, **({"description": h.description} if h.description else {})}
                      for h in plan.hints]
    data["codes"] = [{"id": c.id, "label": c.label, **({"definition": c.definition} if c.definition else {}),
                      "keywords": [], **({"theme": c.theme} if c.theme else {})}
                     for c in plan.codes.values()] if with_codes else []
    return header + dumps(data)


def codebook_id(path: Path) -> str:
    """The id (and file name) of an imported codebook: the file's name, as a slug."""
    return slugify(path.stem) or "importert"
