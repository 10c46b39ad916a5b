"""What the quality benchmarks share: the example studies, their answer keys, a throwaway copy of
a study, the commit measured, and the informants' lemmas per turn (thematic's own tokens)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # thematic from this checkout, installed or not

EXAMPLES = [ROOT / "examples" / "arbeidsinkludering", ROOT / "examples" / "ungdom-jobbstotte"]
ABOUT = {
    "arbeidsinkludering": "the first example; the tool's defaults were chosen on it",
    "ungdom-jobbstotte": "written blind from a brief; no codebook; held out",
}
BACKGROUND = "background"
Turn = tuple[str, int]


def commit() -> str:
    """The short commit measured, flagged when thematic/ has uncommitted changes (they ran too)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = git("status", "--porcelain", "--", "thematic")
    return git("rev-parse", "--short", "HEAD") + (" + uncommitted changes in thematic/" if dirty else "")


def heading(study: Path) -> str:
    return f"=== study: {study.name} ({ABOUT.get(study.name, 'no note')}) ==="


def copy_study(study: Path, tmp: str) -> Path:
    """A copy without its analysis and lock: every run starts untouched."""
    target = Path(tmp) / study.name
    shutil.copytree(study, target, ignore=shutil.ignore_patterns("analysis", "thematic.lock", ".thematic*"))
    return target


def intended(study: Path) -> dict:
    return yaml.safe_load((study / "intended-themes.yaml").read_text(encoding="utf-8"))


def turn_gold(study: Path) -> dict[Turn, str]:
    """(item, turn) -> the turn's main intended theme, or "background" for a turn labelled []."""
    turns = intended(study)["turns"]
    return {(item, int(t)): (labels[0] if labels else BACKGROUND)
            for item, by_turn in turns.items() for t, labels in by_turn.items()}


def intended_codes(study: Path) -> set[str]:
    """The writer's intended lemma codes, casefolded (Ordbank lemmas of acronyms are upper case)."""
    return {str(c).casefold() for t in intended(study)["themes"] for c in t["codes"]}


def turn_lemmas(docs: list, analyses: dict, keep: Callable[[str, str], bool] | None = None) -> dict[Turn, list[str]]:
    """Casefolded lemmas of every informant turn (all of them, even an empty one), in order; keep
    (lemma, word class) filters them."""
    out: dict[Turn, list[str]] = {(doc.id, t.index): [] for doc in docs for t in doc.informant_turns}
    for doc in docs:
        for index, sentence in analyses[doc.id].iter_sentences():
            if (doc.id, index) in out:
                out[(doc.id, index)] += [t.lemma.casefold() for t in sentence.tokens if any(ch.isalpha() for ch in t.lemma)
                                         and (keep is None or keep(t.lemma, t.pos))]
    return out
