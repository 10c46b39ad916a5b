"""Searching and reading the data: `find` (keyword in context) and `show` (extracts in their turns).

`find` matches lemmas, as the codebook matcher does, so `skreddersøm` finds `skreddersømmen`,
and with compounds `oppfølging` finds `arbeidsgiveroppfølging`; several words are a phrase (one
lemma after the other); `regex` searches the text itself. Only informants' turns are searched
unless interviewer turns are asked for, as only they are coded. Every hit carries where it is
(item, speaker, participant, turn, line) and the codes that count already on it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from itertools import accumulate
from dataclasses import dataclass, field
from typing import Any, Iterator

from thematic.errors import ThematicError
from thematic.turns import INFORMANT, INTERVIEWER, Turn
from thematic.view import StudyView, is_voice

CONTEXT = 60  # characters of context either side of a hit, inside its turn
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Filters:
    """Which turns a search looks in: items, participants, speaker labels, participants.yaml
    attributes (key, value), and whether interviewer turns count too."""

    items: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()
    interviewer: bool = False


@dataclass(frozen=True)
class Hit:
    """One occurrence: where it is, who said it, the words around it and the codes on it."""

    item: str
    participant: str | None
    speaker: str | None
    role: str
    turn: int
    line: int
    start: int
    end: int
    match: str
    left: str
    right: str
    codes: tuple[str, ...]

    @property
    def who(self) -> str:
        """Whom the hit is counted for: the participant; the item's anonymous voices together
        (each turn its own voice); for an interviewer turn the item and label."""
        if is_voice(self.participant):
            return f"{self.item} (anonymous voices)"
        return self.participant or f"{self.item}:{self.speaker or self.role}"


@dataclass
class Found:
    query: str
    mode: str  # "lemma" or "regex"
    lemmas: list[str]
    hits: list[Hit]
    warnings: list[str] = field(default_factory=list)

    @property
    def per_item(self) -> dict[str, int]:
        return dict(Counter(h.item for h in self.hits))

    @property
    def per_participant(self) -> dict[str, int]:
        return dict(sorted(Counter(h.who for h in self.hits).items()))


def find(view: StudyView, query: str, regex: bool = False, compounds: bool = False,
         filters: Filters = Filters(), context: int = CONTEXT) -> Found:
    """Every occurrence of the query in the turns the filters allow, in the order of the data."""
    _check_filters(view, filters)
    items = [row for row in view.index.items if not filters.items or row.id in filters.items]
    if regex:
        found = Found(query, "regex", [], [])
        spans = _regex_spans(view, items, query)
    else:
        words = query.lower().split()
        if not words:
            raise ThematicError("find: the query is empty", fix="give a word, a phrase or --regex PATTERN")
        ids = [view.index.lemma_ids(w, compounds and k == len(words) - 1) for k, w in enumerate(words)]
        found = Found(query, "lemma", view.index.names(set().union(*ids)), [])
        missing = [w for w, i in zip(words, ids) if not i]
        if missing:
            found.warnings.append(f"no word in the data has the lemma or form {', '.join(map(repr, missing))}")
        spans = _phrase_spans(view, {row.n for row in items}, ids)
    found.hits = list(_hits(view, spans, filters, context))
    return found


def _check_filters(view: StudyView, filters: Filters) -> None:
    """Refuse a filter that can match nothing because its name is unknown (a typo, not a result)."""
    for item in filters.items:
        view.check_item(item)
    known = view.attribute_names() if filters.where else []
    for key, _ in filters.where:
        if key not in known:
            names = ", ".join(sorted(known)) or "none: participants.yaml is missing or empty"
            raise ThematicError(f"{view.project.participants_path}: no attribute {key!r} (attributes: {names})")


def _regex_spans(view: StudyView, items: list, pattern: str) -> Iterator[tuple[str, int, int]]:
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ThematicError(f"find: --regex {pattern!r} is not a valid regular expression ({exc})") from None
    wanted = {row.n for row in items}
    for n, text in view.index.texts():
        if n in wanted:
            yield from ((view.index.items[n].id, m.start(), m.end()) for m in compiled.finditer(text) if m.end() > m.start())


def _phrase_spans(view: StudyView, wanted: set[int], ids: list[set[int]]) -> Iterator[tuple[str, int, int]]:
    """Spans where the words' lemmas follow one another (word tokens; punctuation is no word)."""
    if not all(ids):
        return
    for n, token in view.index.postings(ids[0]):
        if n not in wanted:
            continue
        starts, ends, lemmas = view.index.tokens(n)
        last = token + len(ids) - 1
        if last < len(lemmas) and all(lemmas[token + k] in ids[k] for k in range(1, len(ids))):
            yield view.index.items[n].id, starts[token], ends[last]


def _hits(view: StudyView, spans: Iterator[tuple[str, int, int]], filters: Filters, context: int) -> Iterator[Hit]:
    coded: dict[str, Coded] = {}
    for item, start, end in spans:
        turn = view.index.turn_at(item, start)
        if turn is None or end > turn.end or not _allowed(view, item, turn, filters):
            continue
        if item not in coded:
            coded[item] = Coded(view.coded_in(item))
        yield _hit(view, item, turn, start, end, context, coded[item].at(start))


def _allowed(view: StudyView, item: str, turn: Turn, filters: Filters) -> bool:
    roles = (INFORMANT, INTERVIEWER) if filters.interviewer else (INFORMANT,)
    if turn.role not in roles:
        return False
    if filters.participants and turn.participant not in filters.participants:
        return False
    if filters.speakers and (turn.speaker or "").casefold() not in {s.casefold() for s in filters.speakers}:
        return False
    attrs = view.attributes(item, turn.speaker) if filters.where else {}
    return all(str(attrs.get(key, "")).casefold() == value.casefold() for key, value in filters.where)


def _hit(view: StudyView, item: str, turn: Turn, start: int, end: int, context: int, codes: tuple[str, ...]) -> Hit:
    text, at = turn.text, turn.start  # context stays inside the turn: no speaker label, no other voice
    left = _SPACE.sub(" ", text[max(0, start - context - at):start - at])  # line breaks as spaces;
    right = _SPACE.sub(" ", text[end - at:end - at + context])  # left + match + right reads as the text
    return Hit(item, turn.participant, turn.speaker, turn.role, turn.index, view.index.line_at(item, turn, start),
               start, end, text[start - at:end - at], left, right, codes)


class Coded:
    """The counted codes on an item's extracts, to ask which cover an offset (extracts may
    overlap: `reach` is the furthest end so far, so the walk back stops where nothing can)."""

    def __init__(self, spans: list[tuple[int, int, str]]) -> None:
        self.spans = spans
        self.starts = [s for s, _, _ in spans]
        self.reach = list(accumulate((e for _, e, _ in spans), max))

    def at(self, offset: int) -> tuple[str, ...]:
        found: set[str] = set()
        j = bisect_right(self.starts, offset) - 1
        while j >= 0 and self.reach[j] > offset:
            if self.spans[j][1] > offset:
                found.add(self.spans[j][2])
            j -= 1
        return tuple(sorted(found))


@dataclass(frozen=True)
class Shown:
    """One extract inside its turn: the extract, the turn's text and where it starts, the codes on it."""

    extract: dict[str, Any]
    turn_start: int
    turn_line: int
    turn_text: str
    codes: tuple[str, ...]


@dataclass
class Showing:
    kind: str  # code | theme
    id: str
    label: str
    codes: tuple[str, ...]
    extracts: list[Shown]
    warnings: list[str] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return len({s.extract.get("participant") for s in self.extracts if s.extract.get("participant")})

    @property
    def items(self) -> int:
        return len({s.extract["item"] for s in self.extracts})


def show_code(view: StudyView, code_id: str) -> Showing:
    """Every extract of a code that counts (a renamed or merged code's old id leads to it)."""
    code = view.codes[view.resolve_code(code_id)]
    return Showing("code", code.id, code.label, (code.id,), _shown(view, view.extracts([code.id])[code.id]))


def show_theme(view: StudyView, theme_id: str) -> Showing:
    """Every extract of a theme's codes, each once, in the order of the data."""
    source, themes = view.themes
    theme = next((t for t in themes if t.id == theme_id), None)
    if theme is None:
        where = view.project.analysis_dir / source if source else view.project.analysis_dir
        raise ThematicError(f"{where}: no theme {theme_id!r} (themes: {', '.join(t.id for t in themes) or 'none yet'})")
    merged: dict[str, dict] = {}
    for extracts in view.extracts(c for c in theme.codes if c in view.codes).values():
        merged.update((e["id"], e) for e in extracts if e["id"] not in merged)
    ordered = sorted(merged.values(), key=lambda e: (e["item"], (e.get("span") or [0])[0], e["id"]))
    return Showing("theme", theme.id, theme.label, theme.codes, _shown(view, ordered), list(view.warnings))


def _shown(view: StudyView, extracts: list[dict]) -> list[Shown]:
    coded: dict[str, Coded] = {}
    out = []
    for extract in extracts:
        start = extract["span"][0]
        turn = view.index.turn_at(extract["item"], start)
        if extract["item"] not in coded:
            coded[extract["item"]] = Coded(view.coded_in(extract["item"]))
        text, at, line = (turn.text, turn.start, turn.line) if turn else (extract["text"], start, extract.get("line", 0))
        out.append(Shown(extract, at, line, text, coded[extract["item"]].at(start)))
    return out


@dataclass(frozen=True)
class ShownTurn:
    """A turn of an item with the coded extracts in it (offsets in the item's text)."""

    index: int
    speaker: str | None
    participant: str | None
    role: str
    line: int
    start: int
    text: str
    time: str | None
    coded: tuple[tuple[int, int, tuple[str, ...]], ...]


def show_item(view: StudyView, item: str, turn: int | None = None) -> list[ShownTurn]:
    """An item's turns (or one), each with its coded extracts and their codes."""
    view.check_item(item)
    every = view.index.turns(item)
    turns = [t for t in every if turn is None or t.index == turn]
    if not turns:
        raise ThematicError(f"{view.project.root / view.index.by_id[item].path}: no turn {turn} "
                            f"(turns {min(t.index for t in every)}-{max(t.index for t in every)})")
    spans = view.coded_spans(item)
    return [ShownTurn(t.index, t.speaker, t.participant, t.role, t.line, t.start, t.text, t.time,
                      tuple((s, e, tuple(sorted(c))) for s, e, c in spans if t.start <= s < t.end))
            for t in turns]
