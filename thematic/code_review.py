"""Reviewing codes one at a time (`thematic review-codes`): the queue, what to show for each code
(its evidence, its forms, three extracts inside their turn with the match marked), and each
decision written to 2-codes.yaml at once, so quitting at any point loses nothing. No printing:
the CLI draws the screen and reads the keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from thematic.corpus import Document, corpus_paths, read_document
from thematic.decide import CodeDecisions, Outcome, code_rows, stale_after, write
from thematic.errors import CorpusError
from thematic.slug import slugify

CONTEXT = 240  # characters of the turn shown on each side of the extract
SHOWN = 3


@dataclass(frozen=True)
class InTurn:
    """An extract inside its turn: the text around it, and where the code's forms occur in it."""

    where: str  # "gruppe-01, Veileder 2, line 45"
    before: str
    extract: str
    after: str
    matches: tuple[tuple[int, int], ...]  # spans in before + extract + after


@dataclass
class Step:
    """One entry of the review's history, so undo can put it back."""

    position: int
    code: str
    before: str | None  # the decision before; None for a skip


class CodeReview:
    """The codes to review (undecided suggestions unless a filter says otherwise), in order."""

    def __init__(self, study: Path, decision: str | None = "suggested", match: str | None = None, sort: str = "score",
                 coder: str | None = None) -> None:
        self.session = CodeDecisions(study, coder)  # a coder reviews in their own file (thematic.coders)
        rows = code_rows(self.session.codes, decision, sort)
        self.queue = [r.id for r in rows if match is None or fnmatchcase(r.id, match)]
        self.position = 0
        self.history: list[Step] = []
        self.changes: list[str] = []
        self._docs: dict[str, Document | None] = {}
        self._paths: dict[str, Path] | None = None

    @property
    def code(self) -> dict | None:
        """The code under review, or None when the queue is done."""
        if self.position >= len(self.queue):
            return None
        return next(c for c in self.session.codes if c["id"] == self.queue[self.position])

    @property
    def code_ids(self) -> list[str]:
        """Ids a merge may name (completion): codes not rejected, the one under review aside."""
        current = self.queue[self.position] if self.code else None
        return sorted(c["id"] for c in self.session.codes if c["id"] != current and c.get("decision") != "rejected")

    def decide(self, decision: str) -> str:
        """Record a decision on the current code and write 2-codes.yaml now."""
        code = self.code
        before = str(code.get("decision", "pending"))
        change = self.session.decide(code["id"], decision)
        write(self.session.project, self.session.doc)
        self.history.append(Step(self.position, code["id"], before))
        self.changes.append(change)
        self.position += 1
        return change

    def skip(self) -> None:
        self.history.append(Step(self.position, self.queue[self.position], None))
        self.position += 1

    def undo(self) -> str | None:
        """Go back one step; a decision is set back to what it was (and written). None: nothing to undo."""
        if not self.history:
            return None
        step = self.history.pop()
        self.position = step.position
        if step.before is None:
            return f"back to {step.code}"
        change = self.session.decide(step.code, step.before)
        write(self.session.project, self.session.doc)
        self.changes.append(change)
        return f"undone: {change}"

    def finish(self) -> Outcome:
        """What the review changed and which phases are stale now (each decision is already written)."""
        changed = self.session.doc.changed
        stale = stale_after("code", "decision") if changed and self.session.coder is None else []
        return Outcome(self.session.doc.path, self.changes, stale, [], changed)

    def shown(self, code: dict, limit: int = SHOWN) -> list[InTurn]:
        """Up to `limit` extracts of the code inside their turns, its forms marked."""
        forms = (code.get("evidence") or {}).get("forms") or []
        pattern = _forms_pattern([str(f) for f in forms] or [str(code.get("label") or code["id"])])
        return [self._in_turn(e, pattern) for e in _spread(code.get("extracts") or [], limit)]

    def _in_turn(self, extract: dict, pattern: re.Pattern[str] | None) -> InTurn:
        doc = self._doc(str(extract.get("item")))
        text = str(extract.get("text", ""))
        before = after = ""
        span = extract.get("span")
        if doc is not None and span and doc.text[span[0]:span[1]] == text:
            turn = next((t for t in doc.turns if t.start <= span[0] < max(t.end, t.start + 1)), None)
            if turn is not None:
                before = _tail(_flat(doc.text[turn.start:span[0]]))
                after = _head(_flat(doc.text[span[1]:turn.end]))
        where = ", ".join(str(x) for x in (extract.get("item"), extract.get("speaker"), f"line {extract.get('line', '?')}") if x)
        whole = before + text + after
        matches = tuple(m.span() for m in pattern.finditer(whole)) if pattern else ()
        return InTurn(where, before, text, after, matches)

    def _doc(self, item: str) -> Document | None:
        """The transcript of an item, read once; None when it cannot be (the extract alone is shown)."""
        if item not in self._docs:
            project = self.session.project
            if self._paths is None:
                self._paths = {slugify(p.stem): p for p in corpus_paths(project)}
            path = self._paths.get(item)
            try:
                labels = set(project.settings["corpus"]["interviewer_labels"])
                self._docs[item] = read_document(path, labels) if path else None
            except CorpusError:
                self._docs[item] = None
        return self._docs[item]


def _spread(extracts: list, limit: int) -> list[dict]:
    """Extracts from different turns, people not yet shown first (a turn is shown once)."""
    pool = [e for e in extracts if isinstance(e, dict)]
    unique = list({(e.get("item"), e.get("turn")): e for e in reversed(pool)}.values())[::-1]
    seen: set = set()
    first = [e for e in unique if not (e.get("participant") in seen or seen.add(e.get("participant")))]
    return (first + [e for e in unique if e not in first])[:limit]


def _forms_pattern(forms: list[str]) -> re.Pattern[str] | None:
    words = sorted({f for f in forms if f.strip()}, key=lambda f: (-len(f), f))
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


def _flat(text: str) -> str:
    """A turn's paragraphs on one line: a screen shows more of the talk."""
    return re.sub(r"\s+", " ", text)


def _tail(text: str) -> str:
    return text if len(text) <= CONTEXT else "…" + text[-CONTEXT:].split(" ", 1)[-1]


def _head(text: str) -> str:
    return text if len(text) <= CONTEXT else text[:CONTEXT].rsplit(" ", 1)[0] + "…"
