"""What one run shares between phases: the corpus, the pipeline and its analyses, loaded once."""

from __future__ import annotations

from contextlib import closing, suppress
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Hashable, TypeVar

from thematic.corpus import Document, load_corpus, load_participants
from thematic.errors import ArtefactError, ThematicError
from thematic.phases import BY_NAME
from thematic.project import Project

ProgressFactory = Callable[[str, int], Callable[[str], None]]
T = TypeVar("T")


def _no_progress(description: str, total: int) -> Callable[[str], None]:
    return lambda item: None


@dataclass
class Context:
    """Lazily loaded inputs; the CLI passes a progress factory, core code never prints."""

    project: Project
    progress: ProgressFactory = _no_progress
    loaded: dict[str, Any] = field(default_factory=dict)
    skip_bad: bool = False  # skip unreadable transcripts with a warning instead of stopping
    warnings: list[str] = field(default_factory=list)  # for the CLI to show; core never prints
    memos: dict[Hashable, tuple[Any, Any]] = field(default_factory=dict)  # key -> (built from, value)
    store_digest: str | None = None  # phase 2 is fresh: its query index holds the transcripts it read
    lock: dict[str, Any] | None = None  # the run's lock as it writes it (the report's checklist reads it)

    @cached_property
    def docs(self) -> list[Document]:
        if self.store_digest:
            with suppress(ArtefactError):  # no usable store: the transcripts are read again
                return stored_documents(self.project, self.store_digest)
        docs, warnings = load_corpus(self.project, self.skip_bad)
        self.warnings.extend(warnings)
        return docs

    @cached_property
    def docs_by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.docs}

    @cached_property
    def participants(self) -> dict[str, dict[str, Any]]:
        return load_participants(self.project)

    @cached_property
    def pipeline(self):  # type: ignore[no-untyped-def]
        from thematic.nlp.lexicon import load_table
        from thematic.nlp.pipeline import load_pipeline

        load_table(self.progress)  # a first run builds it (10-20 s): a bar of its own says so
        model = self.project.settings["nlp"]["model"]
        local = self.project.root / model
        name = str(local.resolve()) if model not in ("auto", "blank") and local.exists() else model
        return load_pipeline(name, self.project.settings["language"])

    @cached_property
    def analyses(self):  # type: ignore[no-untyped-def]
        from thematic.nlp.analysis import analyse_corpus

        docs, pipeline = self.docs, self.pipeline  # both ready (lexicon built) before this bar starts
        step = self.progress("Analysing transcripts", len(docs))
        cache = self.project.nlp_cache
        return analyse_corpus(docs, pipeline, cache, step, self.warnings.append)

    def let_go_of_nlp(self) -> None:
        """Drop the pipeline and the analyses once no phase left reads them: phases 3-6 build
        their own data in the memory these held. A large study (past nlp.analysis.HELD_CHARS)
        also lets go of the process's loaded pipelines and lexicon (140 MB and more; a small
        one keeps them for the next run in the same process, as the tests make)."""
        if "pipeline" not in self.__dict__:
            return
        from thematic.nlp.analysis import HELD_CHARS

        del self.__dict__["pipeline"]
        self.__dict__.pop("analyses", None)
        if sum(len(doc.text) for doc in self.docs) > HELD_CHARS:
            import gc

            from thematic.nlp.pipeline import forget_loaded

            forget_loaded()
            gc.collect()  # spaCy's objects refer to each other: only the collector frees them

    def source(self, name: str) -> str:
        """The path of a phase's artefact, as errors name it."""
        return str(self.project.analysis_dir / BY_NAME[name].artefact)

    def artefact(self, name: str) -> dict[str, Any]:
        """An earlier phase's artefact, loaded and validated once per run, through the JSON copy
        per file content that queries and the report's checklist read (thematic.view): the
        file is parsed once per content, and 2-codes.yaml not again by the report's checklist."""
        if name not in self.loaded:
            from thematic.json_copy import artefact_data

            spec = BY_NAME[name]
            path = self.project.analysis_dir / spec.artefact
            if not path.is_file():
                raise ThematicError(f"{path}: missing", fix=f"thematic {name} {self.project.root}")
            self.loaded[name] = artefact_data(self.project, spec)[0]
        return self.loaded[name]

    def memo(self, key: Hashable, source: Any, build: Callable[[], T]) -> T:
        """A value built once per run from `source`, an object this run loaded (phases 3-6 share
        the counted codes and their association). The runner drops an artefact a phase rewrites,
        so what is built from the old one is built again, never served stale."""
        held = self.memos.get(key)
        if held is None or held[0] is not source:
            held = (source, build())
            self.memos[key] = held
        return held[1]


def stored_documents(project: Project, digest: str) -> list[Document]:
    """The transcripts as phase 2 read them, from its query index: phases 3-6 of a decision
    re-run neither re-read nor re-split them (phase 2 being fresh, they are the same)."""
    from thematic.index import Index
    from thematic.store import STORE_FILE, open_store

    with closing(open_store(project.machine_dir / STORE_FILE, digest)) as db:
        return Index(db, project.root).documents()
