"""The six phases, in order. Each module: run(ctx) -> artefact body, validate(loaded) for edits."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType


@dataclass(frozen=True)
class PhaseSpec:
    name: str
    number: int
    artefact: str
    # "corpus", "participants", "codebooks", "memos", earlier phase names, or "<phase>#<field>": a human
    # field of an artefact that its own phase applies (phase 3's moves), hashed as an input
    deps: tuple[str, ...]
    uses_nlp: bool
    module: str

    @property
    def impl(self) -> ModuleType:
        """Imported on demand so `thematic status` never pays for spaCy."""
        return import_module(f"thematic.phases.{self.module}")

    @property
    def schema(self) -> str:
        return self.artefact.rsplit(".", 1)[0]

    @property
    def is_yaml(self) -> bool:
        return self.artefact.endswith(".yaml")


PHASES: tuple[PhaseSpec, ...] = (
    PhaseSpec("familiarise", 1, "1-familiarisation.yaml", ("corpus", "participants"), True, "familiarise"),
    PhaseSpec("code", 2, "2-codes.yaml", ("corpus", "participants", "codebooks"), True, "code"),  # roles, voices
    PhaseSpec("themes", 3, "3-candidate-themes.yaml", ("corpus", "code", "themes#moves"), False, "themes"),
    PhaseSpec("review", 4, "4-reviewed-themes.yaml", ("corpus", "code", "themes"), False, "review"),
    PhaseSpec("define", 5, "5-themes.yaml", ("corpus", "code", "themes", "review"), False, "define"),
    PhaseSpec("report", 6, "6-report.md", ("corpus", "participants", "code", "review", "define", "memos", "approach"), False, "report"),
)
BY_NAME = {p.name: p for p in PHASES}
