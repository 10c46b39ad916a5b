"""General frequencies a study has looked up, kept in its cache so a re-run need not load wordfreq.

Phase 1 scores an item's key terms and phase 2 ranks candidates against wordfreq's nb table
(thematic.nlp.reference), whose import and load are ~0.4 s of a run. After one transcript is
edited, nearly every form they look up was looked up before: the memo (cache/reference.json,
each form's frequency as wordfreq gives it, 0.0 for a form it lacks) serves them, and the table
is loaded only for a form not yet in it. The values are wordfreq's floats, so scores are the same
to the last bit. It holds forms of the study's own talk, so it stays in the study's folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from thematic.nlp.reference import reference_frequency

if TYPE_CHECKING:
    from thematic.context import Context

MEMO_FILE = "reference.json"  # under the study's cache folder


@dataclass
class ReferenceMemo:
    """The forms' general frequencies known from earlier runs, and those this run added."""

    path: Path
    version: str
    known: dict[str, float] = field(default_factory=dict)
    warn: Callable[[str], None] | None = None
    added: int = 0

    def frequency(self, lemma: str, forms: Iterable[str]) -> float:
        """reference_frequency(lemma, forms), each form's value from the memo where it is there:
        the same forms summed in the same order (the set built as it builds it)."""
        return sum(self._one(form) for form in {lemma.lower(), *(f.lower() for f in forms)})

    def _one(self, form: str) -> float:
        value = self.known.get(form)
        if value is None:
            value = self.known[form] = reference_frequency(form, ())  # loads wordfreq's table once
            self.added += 1
        return value

    def save(self) -> None:
        """Keep what is known when this run added to it (thematic.item_cache.write_or_warn: a
        folder that cannot be written is one warning, as for the other caches)."""
        if not self.added:
            return
        from thematic.item_cache import write_or_warn

        text = json.dumps({"version": self.version, "frequencies": dict(sorted(self.known.items()))},
                          ensure_ascii=False, separators=(",", ":"))
        write_or_warn(self.path, [text.encode("utf-8")], self.warn, "general frequency")
        self.added = 0


def reference_memo(ctx: Context) -> ReferenceMemo:
    """The study's memo, loaded once per run and shared by the phases that rank against wordfreq."""
    from thematic.item_cache import CACHE_DIR

    folder = ctx.project.machine_dir / CACHE_DIR
    return ctx.memo("reference-memo", ctx.project, lambda: load_memo(folder, memo_version(), ctx.warnings.append))


def memo_version() -> str:
    """wordfreq's version and our reference code, by content: a change there empties the memo."""
    from importlib.metadata import version

    from thematic.artefacts import canonical_hash, sha256_file
    from thematic.nlp import reference

    return canonical_hash([version("wordfreq"), sha256_file(Path(reference.__file__))])[:32]


def load_memo(cache: Path, version: str, warn: Callable[[str], None] | None = None) -> ReferenceMemo:
    """The memo in `cache` when it was made with this `version` of the word lists, else empty."""
    path = cache / MEMO_FILE
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        data = None
    found = data.get("frequencies") if isinstance(data, dict) and data.get("version") == version else None
    known = {k: v for k, v in found.items() if isinstance(v, float)} if isinstance(found, dict) else {}
    return ReferenceMemo(path, version, known, warn)
