"""Coders: in codebook and coding-reliability TA several people code the same data, each alone.

Each coder's decisions live in analysis/2-codes.<coder>.yaml, begun from the machine's proposals
in 2-codes.yaml (its codebook codes and suggestions, undecided), never from the agreed decisions
or another coder's, so `thematic agree` compares independent codings. Phases 3-6 keep reading
2-codes.yaml: the agreed (consensus) coding the coders settle on after discussing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from thematic.artefacts import Flow, dumps
from thematic.closest import did_you_mean
from thematic.edit import Editable
from thematic.errors import ProjectError, ThematicError
from thematic.phases import BY_NAME
from thematic.project import PROJECT_FILE, Project
from thematic.slug import slugify

CODES_FILE = BY_NAME["code"].artefact  # 2-codes.yaml
_STEM = CODES_FILE.removesuffix(".yaml")
_CODER_FILE = re.compile(rf"{re.escape(_STEM)}\.(?P<coder>[a-z0-9]+(?:-[a-z0-9]+)*)\.yaml")
REFLEXIVE = ("in reflexive TA coding is the researcher's interpretive work, so inter-rater reliability is not "
             "a quality criterion (Braun & Clarke 2019, 2021)")
SEVERAL = "set approach: codebook or coding-reliability in thematic.yaml if your design uses several coders"
UNDECIDED = {"codebook": "pending", "suggested": "suggested"}  # a machine proposal as phase 2 writes it


def check_coder(name: str) -> str:
    """A coder's name as it goes into a file name: a slug ('anna', 'kari-n'), else an error with one."""
    if name and slugify(name) == name:
        return name
    fix = f"--coder {slugify(name)}" if slugify(name) else "--coder anna (letters, digits and hyphens)"
    raise ThematicError(f"coder name {name!r} is not a slug: lowercase letters, digits and hyphens", fix=fix)


def coder_path(project: Project, coder: str) -> Path:
    return project.analysis_dir / f"{_STEM}.{check_coder(coder)}.yaml"


def list_coders(project: Project) -> list[str]:
    """The coders with a file in the analysis folder, sorted."""
    if not project.analysis_dir.is_dir():
        return []
    found = (_CODER_FILE.fullmatch(p.name) for p in project.analysis_dir.iterdir() if p.is_file())
    return sorted(m["coder"] for m in found if m)


def refuse_reflexive(project: Project) -> None:
    """Separate coders belong to codebook and coding-reliability designs, not to reflexive TA."""
    if project.settings["approach"] == "reflexive":
        raise ProjectError(f"{project.root / PROJECT_FILE}: approach is reflexive: {REFLEXIVE}", fix=SEVERAL)


def proposals(codes: list[dict]) -> list[dict]:
    """The machine's codes of 2-codes.yaml as it proposed them: undecided, without notes; the
    researcher's own (manual) codes are not proposals."""
    return [_flowed({**c, "decision": UNDECIDED[c["origin"]], "notes": ""}) for c in codes if c.get("origin") in UNDECIDED]


def _flowed(value: Any) -> Any:
    """Lists of plain values on one line, as phase 2 writes them (spans, keywords, forms), so a
    coder's code reads exactly like the code in 2-codes.yaml."""
    if isinstance(value, dict):
        return {k: _flowed(v) for k, v in value.items()}
    if isinstance(value, list):
        return Flow(value) if not any(isinstance(v, (dict, list)) for v in value) else [_flowed(v) for v in value]
    return value


def missing_proposals(coder_codes: list[dict], codes: list[dict]) -> list[dict]:
    """Proposals phase 2 made after the coder's file was begun (a grown corpus), to add to it."""
    have = {c["id"] for c in coder_codes}
    return [p for p in proposals(codes) if p["id"] not in have]


def _header(coder: str) -> str:
    return (f"# {coder}'s coding: `thematic codes ... --coder {coder}` decides here, `thematic agree` compares\n"
            f"# the coders. Phases 3-6 read {CODES_FILE} (the agreed coding), not this file.\n")


def open_coder(project: Project, coder: str) -> tuple[Editable, list[str]]:
    """A coder's file open for decisions, and what opening it changed: begun from the machine's
    proposals (written only with the first decision), or given proposals phase 2 made since."""
    from thematic.decide import open_artefact

    refuse_reflexive(project)
    path = coder_path(project, coder)
    main = open_artefact(project, "code").data
    if not path.is_file():
        fresh = proposals(main["codes"])
        data = {"meta": _flowed(main["meta"]), "coder": coder, "codes": fresh}
        return Editable.from_text(path, _header(coder) + dumps(data)), [
            f"new, begun from the {len(fresh)} machine proposals in {CODES_FILE} ({CODES_FILE} is not changed)"]
    doc = open_artefact(project, "code", path)
    added = missing_proposals(doc.data["codes"], main["codes"])
    if not added:
        return doc, []
    for proposal in added:
        doc.append(("codes",), proposal)
    doc = Editable.from_text(path, doc.render(), doc.original, doc.crlf)  # so a decision can set an added code
    return doc, [f"{len(added)} new machine proposal{'' if len(added) == 1 else 's'} from {CODES_FILE} added"]


def chosen_coders(project: Project, wanted: list[str] | None) -> list[str]:
    """The coders to compare: those named (each must have a file), else every coder found."""
    found = list_coders(project)
    for name in wanted or []:
        if check_coder(name) not in found:
            raise ThematicError(f"{project.analysis_dir}: no coder {name!r} (coders found: {', '.join(found) or 'none'})"
                                f"{did_you_mean(name, found)}")
    return sorted(set(wanted)) if wanted else found
