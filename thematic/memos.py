"""Memos and the reflexive journal: the researcher's own dated notes, in STUDY/memos.yaml.

The file is the researcher's: no run ever writes it. `thematic memo` only appends an entry at
its end (the text before it, comments included, stays byte for byte), atomically; people edit,
reorder and delete entries by hand. A memo is about the study (the journal) or about one item,
code or theme. The report's appendix prints them in the file's order, so the same file gives
the same report; REFI-QDA export can carry them as notes.

    memos:
    - date: 2025-03-04 10:15
      code: tidspress
      text: |-
        Jeg hører tidspress overalt, kanskje fordi jeg selv jobbet i NAV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from thematic.artefacts import Loaded, dumps, load_yaml, write_atomic
from thematic.errors import ArtefactError, ThematicError
from thematic.project import Project

MEMO_FILE = "memos.yaml"
TARGETS = ("item", "code", "theme")  # what a memo may be about, besides the study itself
KEYS = ("date", *TARGETS, "text")
HEADER = ("# Memos and reflexive journal. This file is yours: thematic never rewrites it, and\n"
          "# `thematic memo` only adds an entry at the end. Edit, reorder or delete entries freely;\n"
          "# each has text: and date:, and item:, code: or theme: when it is about one of them.\n"
          "memos:\n")


@dataclass(frozen=True)
class Memo:
    """One dated note; `about` is "study", "item", "code" or "theme", `target` the id for the last three."""

    date: str
    text: str
    about: str = "study"
    target: str | None = None

    def entry(self) -> dict[str, str]:
        """The memo as the file writes it."""
        out = {"date": self.date}
        if self.target is not None:
            out[self.about] = self.target
        return {**out, "text": self.text}

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.date, "about": self.about, "target": self.target, "text": self.text}


def memo_path(project: Project) -> Path:
    return project.root / MEMO_FILE


def read_memos(project: Project) -> list[Memo]:
    """Every memo in the file's order; [] without a file; one line with file:line if malformed."""
    path = memo_path(project)
    if not path.is_file():
        return []
    return _memos(load_yaml(path))


def memo_count(project: Project) -> tuple[int, str | None]:
    """How many memos the study has, and what is wrong with the file if it cannot be read
    (`status` shows both and goes on)."""
    try:
        return len(read_memos(project)), None
    except ThematicError as exc:
        return 0, str(exc)


def _memos(loaded: Loaded) -> list[Memo]:
    data = loaded.data if loaded.data is not None else {}
    if not isinstance(data, dict) or not isinstance(data.get("memos") or [], list):
        raise loaded.error([], "memos.yaml must hold `memos:` followed by a list of memos")
    return [_memo(loaded, i, entry) for i, entry in enumerate(data.get("memos") or [])]


def _memo(loaded: Loaded, i: int, entry: Any) -> Memo:
    where = ["memos", i]
    if not isinstance(entry, dict):
        raise loaded.error(where, "a memo needs text: (and date:, and item:, code: or theme: if it is about one)")
    unknown = [k for k in entry if k not in KEYS]
    if unknown:
        raise loaded.error(where + [unknown[0]], f"unknown key {unknown[0]!r} in a memo (keys: {', '.join(KEYS)})")
    text = entry.get("text")
    if not isinstance(text, str) or not text.strip():
        raise loaded.error(where, "a memo needs text:")
    about = [k for k in TARGETS if k in entry]
    if len(about) > 1:
        raise loaded.error(where + [about[1]], f"a memo is about one thing; this one names {' and '.join(about)}")
    target = entry[about[0]] if about else None
    if about and (not isinstance(target, (str, int)) or not str(target).strip()):
        raise loaded.error(where + [about[0]], f"{about[0]}: needs an id")
    date = entry.get("date", "")
    return Memo(str(date if date is not None else ""), text, about[0] if about else "study",
                str(target) if about else None)


def new_memo(text: str, about: str = "study", target: str | None = None, now: datetime | None = None) -> Memo:
    """A memo dated now (local time, to the minute: the researcher's clock, in the researcher's file)."""
    if not text.strip():
        raise ThematicError("memo: the text is empty", fix='write it with -m "..." or in the editor that opens')
    if about not in ("study", *TARGETS):
        raise ThematicError(f"memo: {about!r} is not something a memo can be about (study, {', '.join(TARGETS)})")
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    return Memo(stamp, text.strip("\n"), about, target if about != "study" else None)


def append_memo(project: Project, memo: Memo) -> Path:
    """Add a memo at the end of memos.yaml (made with a short header if missing), atomically;
    the file's text before it is kept as it is. Refused, file untouched, when the file does not
    end with its memo list (the entry would land somewhere else)."""
    path = memo_path(project)
    old = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    before = _memos(load_yaml(path)) if path.is_file() else []
    text = (old if old.endswith("\n") or not old else old + "\n") + dumps([memo.entry()])
    after = _parsed_memos(path, text)
    if after != before + [memo]:
        raise ArtefactError(f"{path}: cannot add a memo at its end (the file does not end with its memos: list)",
                            fix="put memos: last in the file, or add the memo by hand")
    write_atomic(path, text)
    return path


def _parsed_memos(path: Path, text: str) -> list[Memo] | None:
    """The memos the would-be file holds, or None if it would not parse as memos."""
    import yaml

    from thematic.yaml_guard import PlainLoader

    try:
        node = yaml.compose(text, Loader=PlainLoader)
        data = yaml.load(text, Loader=PlainLoader)
        return _memos(Loaded(path, data, node))
    except (yaml.YAMLError, ThematicError):
        return None


def check_target(project: Project, about: str, target: str) -> None:
    """Refuse a memo about an item, code or theme the study does not have (a typo would leave the
    memo pointing nowhere); codes and themes are checked once their phase has run."""
    known = _known(project, about)
    if known is not None and target not in known:
        from thematic.closest import did_you_mean

        hint = did_you_mean(target, sorted(known))
        raise ThematicError(f"memo: the study has no {about} {target!r}{hint}")


def _known(project: Project, about: str) -> set[str] | None:
    """The ids a memo may name, or None when the phase that makes them has not run."""
    if about == "item":
        from thematic.corpus import corpus_paths
        from thematic.slug import slugify

        return {slugify(p.stem) for p in corpus_paths(project)}
    from thematic.artefacts import load_artefact
    from thematic.phases import BY_NAME
    from thematic.slug import slugify

    names = ("code",) if about == "code" else ("themes", "review", "define")
    found: set[str] | None = None
    for name in names:
        path = project.analysis_dir / BY_NAME[name].artefact
        if path.is_file():
            records = load_artefact(path, BY_NAME[name].schema).data.get("codes" if about == "code" else "themes") or []
            found = (found or set()) | {r["id"] for r in records if isinstance(r, dict) and "id" in r}
            found |= {slugify(str(r["decision"])[8:]) for r in records if isinstance(r, dict)
                      and str(r.get("decision", "")).startswith("renamed:")}
    return found


def memos_about(memos: list[Memo], about: str | None = None, target: str | None = None) -> list[Memo]:
    """The memos about one kind of thing (and one id of it), in the file's order."""
    return [m for m in memos if (about is None or m.about == about) and (target is None or m.target == target)]
