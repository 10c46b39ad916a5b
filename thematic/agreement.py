"""Agreement between coders (`thematic agree`), for codebook and coding-reliability TA.

Units are the informant turns of the study (corpus.Turn; interviewer turns are never coded), plus
any other turn a coder coded by hand. A turn is the natural fixed unit here: every coder codes
every turn with each code or not, so a turn nobody coded with a code counts as agreement, as in
the usual reliability design. Extracts are not fixed units: a coder's own extract and a machine
extract can overlap without being the same. A code applies to a turn for a coder when that
coder's version of the code counts (their accepted, renamed and merged codes, resolved as
thematic.codes resolves 2-codes.yaml) and has an extract in the turn, a manual extract of theirs
included. A coder's coding is only what they decided: no draft of every suggestion stands in.

Measures, each over the codes some coder applied:
- per code: the share of turns where the coders agree; Cohen's kappa (two coders; with more, the
  mean of the pairwise kappas, Light's kappa); Krippendorff's alpha (nominal), turns x coders;
- over the codes: alpha of the standard multi-label construction, each (turn, code) pair one
  binary unit (coder applied the code in the turn or not), that is the per-code turns x coders
  data stacked; the mean of the per-code kappas; the share of (turn, code) pairs agreed on; and
  the share of turns every coder gave exactly the same codes.
Kappa or alpha is None (undefined) for a code every coder applied to every turn.
"""

from __future__ import annotations

import csv
import io
import warnings as python_warnings
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np

from thematic.artefacts import write_atomic
from thematic.codes import effective_codes
from thematic.coders import CODES_FILE, REFLEXIVE, SEVERAL, chosen_coders, coder_path, missing_proposals
from thematic.corpus import Document, load_corpus
from thematic.errors import ProjectError, ThematicError
from thematic.extracts import resolve_manual_extracts, with_stored_extracts
from thematic.project import Project, load_project

Unit = tuple[str, int]  # (item, turn index)


@dataclass(frozen=True)
class CodeAgreement:
    """One code: how many turns each coder gave it, and how far the coders agree on it."""

    code: str
    coded: dict[str, int]
    agreement: float
    kappa: float | None
    alpha: float | None


@dataclass(frozen=True)
class Disagreement:
    """An extract in a turn where the coders disagree on a code: who gave the code this extract."""

    code: str
    item: str
    turn: int
    line: int | None
    text: str
    coded_by: list[str]
    id: str


@dataclass
class Agreement:
    """What `thematic agree` reports; with a reason (a reflexive study) nothing is computed."""

    approach: str
    reason: str | None = None
    coders: list[str] = field(default_factory=list)
    units: int = 0
    alpha: float | None = None
    kappa: float | None = None
    kappa_method: str = ""
    agreement: float | None = None
    alike: float | None = None
    codes: list[CodeAgreement] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def agreement(study: Path, coders: list[str] | None = None) -> Agreement:
    """Agreement between the coders named (default: every coder with a file) of a study."""
    project = load_project(study)
    approach = project.settings["approach"]
    if approach == "reflexive":
        return Agreement(approach, f"agreement is not computed: {REFLEXIVE}; {SEVERAL}")
    names = _two_or_more(project, chosen_coders(project, coders))
    main, docs = _inputs(project)
    result = Agreement(approach, coders=names)
    coded = {name: _coding(project, name, main, docs, result.warnings) for name in names}
    return _measured(result, _units(docs, coded), coded)


def _two_or_more(project: Project, names: list[str]) -> list[str]:
    if len(names) >= 2:
        return names
    found = f"one coder ({names[0]})" if names else "no coder files"
    raise ThematicError(f"{project.analysis_dir}: {found}; agreement needs two or more",
                        fix=f"thematic codes accept {project.root} ID --coder NAME, as each coder")


def _inputs(project: Project) -> tuple[dict, dict[str, Document]]:
    """2-codes.yaml (the proposals and the extract store) and the transcripts it was made from;
    a transcript changed since phase 2 would put extracts in the wrong turns, so it is refused."""
    from thematic.decide import open_artefact

    main = open_artefact(project, "code").data
    docs = {d.id: d for d in load_corpus(project)[0]}
    made_from = main["meta"].get("inputs") or {}
    for doc in docs.values():
        if made_from.get(project.relative(doc.path)) != doc.sha256:
            raise ProjectError(f"{project.analysis_dir / CODES_FILE}: made before {project.relative(doc.path)} "
                               "changed or was added", fix=f"thematic code {project.root}")
    return main, docs


def _coding(project: Project, coder: str, main: dict, docs: dict[str, Document],
            warned: list[str]) -> dict[str, dict[str, dict]]:
    """code id -> {extract id: extract} as this coder codes: their decisions on the machine's
    extracts (every one, from the store), proposals made after their file was begun undecided."""
    from thematic.decide import open_artefact

    path = coder_path(project, coder)
    data = open_artefact(project, "code", path).data
    later = missing_proposals(data["codes"], main["codes"])
    if later:
        warned.append(_undecided(path, coder, [c["id"] for c in later]))
    codes = data["codes"] + later
    data = with_stored_extracts({"codes": codes, "extract_store": main.get("extract_store")}, project.machine_dir)
    data = resolve_manual_extracts(data, docs, str(path))
    return {c.id: {e["id"]: e for e in c.extracts} for c in effective_codes(data)}


def _undecided(path: Path, coder: str, ids: list[str]) -> str:
    """The warning for proposals a coder's file has not seen: they count as the machine proposed them."""
    some = ", ".join(ids[:5]) + (" ..." if len(ids) > 5 else "")
    many = f"{len(ids)} codes phase 2 proposed since {coder} began are" if len(ids) > 1 else \
        f"1 code phase 2 proposed since {coder} began is"
    return f"{path}: {many} undecided for {coder} (as the machine proposed them): {some}"


def _units(docs: dict[str, Document], coded: dict[str, dict[str, dict[str, dict]]]) -> list[Unit]:
    """Every informant turn, and any other turn a coder put an extract in, in data order."""
    units = {(d.id, t.index) for d in docs.values() for t in d.informant_turns}
    units |= {(e["item"], e["turn"]) for codes in coded.values() for extracts in codes.values()
              for e in extracts.values() if e.get("turn") is not None}
    return sorted(units)


def _measured(result: Agreement, units: list[Unit], coded: dict[str, dict[str, dict[str, dict]]]) -> Agreement:
    names = result.coders
    every = _matrices(names, units, coded)
    matrices = {code: m for code, m in every.items() if m.any()}
    result.unused = [code for code in every if code not in matrices]
    result.units = len(units)
    result.codes = [_per_code(code, names, m) for code, m in matrices.items()]
    result.kappa_method = "Cohen's kappa" if len(names) == 2 else "mean of pairwise Cohen's kappas (Light)"
    if matrices:
        stacked = np.concatenate(list(matrices.values()), axis=1)
        result.alpha = krippendorff_alpha(stacked)
        result.agreement = _share(_agreeing(stacked))
        result.alike = _share(np.all([_agreeing(m) for m in matrices.values()], axis=0))
        kappas = [c.kappa for c in result.codes if c.kappa is not None]
        result.kappa = float(np.mean(kappas)) if kappas else None
    result.disagreements = _disagreements(matrices, units, coded, names)
    return result


def _matrices(names: list[str], units: list[Unit], coded: dict[str, dict[str, dict[str, dict]]]) -> dict[str, np.ndarray]:
    """code id -> coders x units, 1 where the coder gave the code an extract in the turn."""
    index = {u: i for i, u in enumerate(units)}
    out = {}
    for code in sorted({code for codes in coded.values() for code in codes}):
        matrix = np.zeros((len(names), len(units)), dtype=np.int8)
        for row, name in enumerate(names):
            columns = [index[e["item"], e["turn"]] for e in coded[name].get(code, {}).values() if e.get("turn") is not None]
            matrix[row, columns] = 1
        out[code] = matrix
    return out


def _per_code(code: str, names: list[str], matrix: np.ndarray) -> CodeAgreement:
    pairs = [cohen_kappa(matrix[a], matrix[b]) for a, b in combinations(range(len(names)), 2)]
    kappas = [k for k in pairs if k is not None]
    return CodeAgreement(code, {n: int(matrix[i].sum()) for i, n in enumerate(names)}, _share(_agreeing(matrix)),
                         float(np.mean(kappas)) if kappas else None, krippendorff_alpha(matrix))


def _agreeing(matrix: np.ndarray) -> np.ndarray:
    """Per unit (column): do all coders (rows) give the same value."""
    return np.all(matrix == matrix[0], axis=0)


def _share(flags: np.ndarray) -> float:
    return float(flags.mean()) if flags.size else 0.0


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    """Cohen's kappa of two coders' 0/1 codings: (p_o - p_e) / (1 - p_e); None when both coders
    gave every unit the same one value (p_e = 1: nothing to agree on by more than chance)."""
    p_o = float(np.mean(a == b))
    pa, pb = float(np.mean(a)), float(np.mean(b))
    p_e = pa * pb + (1 - pa) * (1 - pb)
    return None if p_e >= 1 else (p_o - p_e) / (1 - p_e)


def krippendorff_alpha(matrix: np.ndarray) -> float | None:
    """Nominal Krippendorff's alpha (the krippendorff package) of coders x units 0/1 data; None
    when every value is the same (no disagreement is expected, so alpha is undefined)."""
    import krippendorff

    with python_warnings.catch_warnings():
        python_warnings.simplefilter("ignore", RuntimeWarning)
        value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal", value_domain=[0, 1]))
    return None if np.isnan(value) else value


def _disagreements(matrices: dict[str, np.ndarray], units: list[Unit], coded: dict[str, dict[str, dict[str, dict]]],
                   names: list[str]) -> list[Disagreement]:
    """Each extract of a code in a turn the coders disagree on, with the coders who gave it."""
    rows = []
    for code, matrix in matrices.items():
        split = {units[i] for i in np.flatnonzero(~_agreeing(matrix))}
        extracts: dict[str, dict] = {}
        by: dict[str, list[str]] = {}
        for name in names:
            for extract_id, extract in coded[name].get(code, {}).items():
                if (extract["item"], extract.get("turn")) in split:
                    extracts[extract_id] = extract
                    by.setdefault(extract_id, []).append(name)
        rows += [Disagreement(code, e["item"], e["turn"], e.get("line"), e["text"], by[k], k) for k, e in extracts.items()]
    return sorted(rows, key=lambda r: (r.code, r.item, r.turn, r.line or 0, r.id))


def write_csv(result: Agreement, folder: Path) -> list[Path]:
    """The per-code table and the disagreements as two CSV files in folder (atomically)."""
    coders = result.coders
    per_code = [["code", *(f"turns {c}" for c in coders), "agreement", "kappa", "alpha"]]
    per_code += [[c.code, *(c.coded[n] for n in coders), _num(c.agreement), _num(c.kappa), _num(c.alpha)] for c in result.codes]
    split = [["code", "item", "turn", "line", "coded_by", "extract", "text"]]
    split += [[d.code, d.item, d.turn, d.line, " ".join(d.coded_by), d.id, d.text] for d in result.disagreements]
    paths = [folder / "agreement-codes.csv", folder / "agreement-disagreements.csv"]
    for path, rows in zip(paths, (per_code, split)):
        write_atomic(path, _csv_text(rows))
    return paths


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def _csv_text(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
