"""A pseudonymised copy of a study: names and places replaced consistently, originals untouched.

Terms come from the researcher's list and from detection (likely names in the text, speaker
labels that are names, and entities when a trained pipeline with NER is installed). The key
(pseudonym -> original) is written apart from the copy; the copy's report names no original.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thematic.artefacts import dumps, load_yaml, write_atomic
from thematic.corpus import Document, is_interviewer, load_corpus
from thematic.errors import ProjectError
from thematic.names import Replacer, label_is_name, likely_names
from thematic.project import PROJECT_FILE, Project, load_project

REPORT_FILE = "anonymisation-report.yaml"
KEY_FILE = "anonymisation-key.yaml"
KINDS = {"names": "navn", "places": "sted"}
NER_PLACES = {"LOC", "GPE", "GPE_LOC", "GPE_ORG"}


@dataclass(frozen=True)
class Term:
    original: str
    pseudonym: str
    kind: str  # navn | sted
    origin: str  # list | detected | speaker | ner


@dataclass
class Anonymised:
    """What anonymise did: where it wrote, every term, what changed where, and warnings."""

    out: Path
    key: Path
    report: Path
    terms: list[Term]
    counts: dict[str, int]
    items: dict[str, dict[str, Any]]
    unused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_term_list(path: Path) -> dict[str, Any]:
    """The researcher's list: {names: [...], places: [...], pseudonyms: {original: own}, keep: [...]}."""
    loaded = load_yaml(path)
    data = loaded.data or {}
    allowed = ("names", "places", "pseudonyms", "keep")
    if not isinstance(data, dict) or set(data) - set(allowed):
        raise loaded.error([], f"a name list is a mapping with the keys {', '.join(allowed)}")
    for key in ("names", "places", "keep"):
        values = data.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() and "\n" not in v for v in values):
            raise loaded.error([key], f"{key} must be a list of one-line names")
    own = data.get("pseudonyms") or {}
    if not isinstance(own, dict) or not all(isinstance(v, str) and "\n" not in v for v in own.values()):
        raise loaded.error(["pseudonyms"], "pseudonyms must map an original to its one-line pseudonym")
    return {key: data.get(key) or ({} if key == "pseudonyms" else []) for key in allowed}


def _detected(docs: list[Document], project: Project, keep: list[str]) -> list[tuple[str, str, str]]:
    """(term, kind, origin) found by the pipeline, in corpus order."""
    from thematic.nlp.lemmas import Lemmatiser

    lexicon = Lemmatiser()
    known = lexicon.table.get if hasattr(lexicon, "table") else (lambda w: "N:" if lexicon.is_known(w) else None)
    interviewer = set(project.settings["corpus"]["interviewer_labels"])
    found: list[tuple[str, str, str]] = []
    for doc in docs:
        for turn in doc.turns:
            if turn.speaker and not is_interviewer(turn.speaker, interviewer) and label_is_name(turn.speaker, known):
                found.append((turn.speaker, "navn", "speaker"))
        found.extend((name, "navn", "detected") for name in likely_names(doc.text, known, keep))
    return found + _entities(docs, project, keep)


def _entities(docs: list[Document], project: Project, keep: list[str]) -> list[tuple[str, str, str]]:
    """Person and place entities, only when a trained pipeline with NER is installed."""
    from thematic.lock import pipeline_key

    if pipeline_key(project)["model"] == "blank":
        return []
    from thematic.nlp.pipeline import load_pipeline

    nlp = load_pipeline(project.settings["nlp"]["model"]).nlp
    if "ner" not in nlp.pipe_names:
        return []
    return [(ent.text, "sted" if ent.label_ in NER_PLACES else "navn", "ner")
            for spacy_doc in nlp.pipe(d.text for d in docs) for ent in spacy_doc.ents
            if ent.label_ in NER_PLACES | {"PER", "PERSON"} and ent.text not in keep and "\n" not in ent.text]


def assign(listed: dict[str, Any], detected: list[tuple[str, str, str]]) -> list[Term]:
    """A pseudonym per term: the researcher's own, else [navn N] / [sted N], list entries first,
    then detections (full names before single words, each in corpus order). A detected first or
    last name of exactly one full name gets that name's pseudonym: "Kari" is "Kari Nordmann"."""
    detected = sorted(detected, key=lambda d: " " not in d[0])
    candidates = [(t, KINDS[k], "list") for k in ("names", "places") for t in listed[k]] + detected
    numbers: Counter[str] = Counter()
    terms: dict[str, Term] = {}
    for original, kind, origin in candidates:
        if original in terms or original in listed["keep"]:
            continue
        whole = [t for t in terms.values() if " " in t.original and original in (t.original.split()[0], t.original.split()[-1])]
        if origin != "list" and len(whole) == 1:
            terms[original] = Term(original, whole[0].pseudonym, whole[0].kind, origin)
            continue
        numbers[kind] += 1
        terms[original] = Term(original, listed["pseudonyms"].get(original) or f"[{kind} {numbers[kind]}]", kind, origin)
    return list(terms.values())


def _check_targets(study: Path, out: Path, key: Path) -> None:
    """Never write into the study, never put the key inside the copy, never mix with old output."""
    if out.resolve() == study.resolve() or study.resolve().is_relative_to(out.resolve()):
        raise ProjectError(f"{out}: the copy must go to a folder outside {study}")
    if out.exists() and any(out.iterdir()):
        raise ProjectError(f"{out}: already exists and is not empty", fix="choose another --out or remove it")
    if key.resolve().is_relative_to(out.resolve()):
        raise ProjectError(f"{key}: the key must be kept apart from the pseudonymised copy")
    if key.exists():
        raise ProjectError(f"{key}: already exists; not overwriting a key", fix="choose another --key")


def _write_copy(project: Project, out: Path, docs: list[Document], replace: Replacer) -> dict[str, dict[str, Any]]:
    """Each transcript as pseudonymised UTF-8 text under the same relative folder; per item, the
    lines each pseudonym was put on (the lines are the original's: no term spans a line)."""
    items: dict[str, dict[str, Any]] = {}
    for doc in docs:
        lines: dict[str, list[int]] = defaultdict(list)
        text = replace(doc.text, lambda pseudonym, line: lines[pseudonym].append(line))
        target = out / Path(project.relative(doc.path)).with_suffix(".txt")
        write_atomic(target, text if text.endswith("\n") else text + "\n")
        items[doc.id] = {"file": target.relative_to(out).as_posix(), "source": project.relative(doc.path),
                         "replaced": {p: sorted(v) for p, v in sorted(lines.items())}}
    return items


def _map_strings(data: Any, replace: Replacer) -> Any:
    """Every key and string value of a YAML value passed through the replacer."""
    if isinstance(data, dict):
        return {_map_strings(k, replace): _map_strings(v, replace) for k, v in data.items()}
    if isinstance(data, list):
        return [_map_strings(v, replace) for v in data]
    return replace(data) if isinstance(data, str) else data


def _write_settings(project: Project, out: Path, items: dict[str, dict[str, Any]], replace: Replacer) -> None:
    """thematic.yaml (globs for the .txt copies, labels pseudonymised), participants, codebooks."""
    settings = load_yaml(project.root / PROJECT_FILE).data or {}
    corpus = dict(settings.get("corpus") or {})
    corpus["include"] = sorted({f"{Path(i['file']).parent.as_posix()}/*.txt" for i in items.values()})
    if "interviewer_labels" in corpus:
        corpus["interviewer_labels"] = [replace(label) for label in corpus["interviewer_labels"]]
    write_atomic(out / PROJECT_FILE, dumps({**settings, "corpus": corpus}))
    if project.participants_path.is_file():
        participants = load_yaml(project.participants_path).data
        write_atomic(out / project.relative(project.participants_path), dumps(_map_strings(participants, replace)))
    if (project.root / "codebooks").is_dir():
        shutil.copytree(project.root / "codebooks", out / "codebooks")


def anonymise(study: Path, out: Path | None = None, names: Path | None = None, key: Path | None = None,
              pronouns: bool = False, detect: bool = True, skip_bad: bool = False) -> Anonymised:
    """Write a pseudonymised copy of the study to out, the key to key; the originals are only read."""
    project = load_project(study)
    out = out or study.resolve().parent / f"{study.resolve().name}-anonymisert"
    key = key or study / KEY_FILE
    _check_targets(study, out, key)
    listed = load_term_list(names) if names else {"names": [], "places": [], "pseudonyms": {}, "keep": []}
    docs, warnings = load_corpus(project, skip_bad)
    every_text = "\n".join(d.text for d in docs)
    unused = [t for k in ("names", "places") for t in listed[k] if not Replacer({t: ""}).count(every_text)]
    listed = {**listed, **{k: [t for t in listed[k] if t not in unused] for k in ("names", "places")}}
    terms = assign(listed, _detected(docs, project, listed["keep"]) if detect else [])
    replace = Replacer({t.original: t.pseudonym for t in terms}, pronouns)
    items = _write_copy(project, out, docs, replace)
    _write_settings(project, out, items, replace)
    counts = Counter(p for item in items.values() for p, lines in item["replaced"].items() for _ in lines)
    report = {"pseudonyms": {t.pseudonym: {"kind": t.kind, "found_by": t.origin} for t in terms},
              "items": items, "pronouns_replaced": pronouns}
    write_atomic(out / REPORT_FILE, dumps(report))
    write_atomic(key, dumps({"copy": str(out), "terms": [t.__dict__ for t in terms], "unused": unused}))
    warnings += [f"{d.path.name}: the file name contains a replaced name ({t.pseudonym}); rename the copy"
                 for d in docs for t in terms if t.original.lower() in d.path.stem.lower()]
    return Anonymised(out, key, out / REPORT_FILE, terms, dict(counts), items, unused, warnings)
