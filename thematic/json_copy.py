"""A JSON copy of each YAML artefact, kept per file content, so a file is parsed once per content.

Parsing 2-codes.yaml of a 1M-word study takes about half a second; queries, the report's checklist
and every phase that reads an earlier artefact read this copy instead while the file's bytes are
the ones it was made from. The runner writes the copy as it writes an artefact, so a file the
machine wrote is never parsed by the machine again, and after a decision edit only the edited
records are (thematic.written).
"""

from __future__ import annotations

import json
from contextlib import suppress
from pathlib import Path
from typing import Any

from thematic.artefacts import MEMO_FIELDS, canonical_hash, load_artefact, sha256_file, without_fields, write_atomic
from thematic.errors import ThematicError
from thematic.phases import PhaseSpec
from thematic.project import Project
from thematic.written import spliced


def copy_path(project: Project, spec: PhaseSpec) -> Path:
    return project.machine_dir / "cache" / "query" / f"{spec.schema}.json"


def keep_copy(project: Project, spec: PhaseSpec, sha: str, data: dict[str, Any], semantic: str | None = None) -> str:
    """Keep `data` as the content of the file whose hash is `sha`; returns its digest without
    memo fields (what later phases' lock entries name), made here unless the caller has it."""
    if semantic is None:
        semantic = canonical_hash(without_fields(data, MEMO_FIELDS))
    with suppress(ThematicError):  # the copy only saves time: a read-only study still answers
        write_atomic(copy_path(project, spec), json.dumps({"sha256": sha, "semantic": semantic, "data": data},
                                                          ensure_ascii=False), cache=True)
    return semantic


def artefact_data(project: Project, spec: PhaseSpec) -> tuple[dict[str, Any], str]:
    """An artefact's content and its digest without memo fields, from the copy when it was made
    from these bytes; else the YAML parsed (and checked as a run checks it) and the copy kept."""
    path = project.analysis_dir / spec.artefact
    sha = sha256_file(path)
    with suppress(OSError, ValueError, KeyError, TypeError):
        kept = json.loads(copy_path(project, spec).read_text(encoding="utf-8"))
        if kept["sha256"] == sha:
            return kept["data"], kept["semantic"]
    data = spliced(project, spec)  # a decision edit: only the edited record is parsed
    if data is None:
        loaded = load_artefact(path, spec.schema)
        spec.impl.validate(loaded)
        data = loaded.data
    from thematic.lock import known_semantic  # the staleness check may have digested this content

    return data, keep_copy(project, spec, sha, data, known_semantic(path, sha))
