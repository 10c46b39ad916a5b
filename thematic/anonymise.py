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
from thematic.names import Known, Replacer, found_names, is_common_word, kinds, label_is_name, name_forms, term_key
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
        if not isinstance(values, list) or not all(isinstance(v, str) and "\n" not in v and any(c.isalnum() for c in v) for v in values):
            raise loaded.error([key], f"{key} must be a list of one-line names")
    own = data.get("pseudonyms") or {}
    if not isinstance(own, dict) or not all(isinstance(v, str) and "\n" not in v for v in own.values()):
        raise loaded.error(["pseudonyms"], "pseudonyms must map an original to its one-line pseudonym")
    return {key: data.get(key) or ({} if key == "pseudonyms" else []) for key in allowed}


def _known() -> Known:
    """The Ordbank lookup detection and the common-word warning use."""
    from thematic.nlp.lemmas import Lemmatiser

    lexicon = Lemmatiser()
    return lexicon.table.get if hasattr(lexicon, "table") else (lambda w: "N:" if lexicon.is_known(w) else None)


def _detected(docs: list[Document], project: Project, keep: list[str]) -> list[tuple[str, str, str]]:
    """(term, kind, origin) found by the pipeline, in corpus order; a detected name's kind
    (person or place) is judged on all its occurrences in the corpus."""
    known = _known()
    interviewer = set(project.settings["corpus"]["interviewer_labels"])
    found = [list(found_names(doc.text, known, keep)) for doc in docs]
    kind = kinds(f for in_doc in found for f in in_doc)
    terms: list[tuple[str, str, str]] = []
    for doc, in_doc in zip(docs, found):
        terms += [(turn.speaker, "navn", "speaker") for turn in doc.turns if turn.speaker
                  and not is_interviewer(turn.speaker, interviewer) and label_is_name(turn.speaker, known)]
        terms += [(f.name, kind[f.name], "detected") for f in in_doc]
    return terms + _entities(docs, project, keep)


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


def listed_forms(listed: dict[str, Any]) -> dict[str, list[str]]:
    """Each form a listed entry takes (lower-case key) -> the entries it is a form of, in list
    order: a place only as written, a person also by each run of the name's words (name_forms)."""
    owners: dict[str, list[str]] = {}
    for kind in ("names", "places"):
        for entry in listed[kind]:
            for form in name_forms(entry) if kind == "names" else [entry]:
                entries = owners.setdefault(term_key(form).lower(), [])
                entries.extend([] if entry in entries else [entry])
    return owners


def _listed_terms(listed: dict[str, Any], found: Counter[str]) -> list[tuple[str, str]]:
    """(original, kind) to number: the list entries, then each form found in the study that two
    listed names share and that is no entry itself ("Ole" of Ole Bakken and Ole Hansen)."""
    entries = [(t, KINDS[k]) for k in ("names", "places") for t in listed[k]]
    own = {term_key(t).lower() for t, _ in entries}
    shared = [(_written(form, owners[0]), "navn") for form, owners in listed_forms(listed).items()
              if len(owners) > 1 and form not in own and found[form]]
    return entries + shared


def _written(form: str, entry: str) -> str:
    """The form as the list writes it: "ole" of "Ole Bakken" is "Ole"."""
    words = term_key(entry).split()
    for i in range(len(words)):
        candidate = " ".join(words[i:i + form.count(" ") + 1])
        if candidate.lower() == form:
            return candidate
    return form


def assign(listed: dict[str, Any], detected: list[tuple[str, str, str]],
           found: Counter[str] | None = None) -> list[Term]:
    """A pseudonym per term: the researcher's own, else [navn N] / [sted N], list entries (and name
    parts two of them share, see _listed_terms) first, then detections (full names before single
    words, each in corpus order). A detected first or last name of exactly one full name gets that
    name's pseudonym: "Kari" is "Kari Nordmann". found counts the listed forms in the study."""
    covered = _listed_replacer(listed)
    detected = sorted((d for d in detected if not covered.covers(d[0])), key=lambda d: " " not in d[0])
    listed_terms = _listed_terms(listed, found if found is not None else Counter())
    candidates = [(t, kind, "list") for t, kind in listed_terms] + detected
    numbers: Counter[str] = Counter()
    terms: dict[str, Term] = {}
    for original, kind, origin in candidates:
        key = term_key(original).lower() if origin == "list" else original
        if key in terms or original in listed["keep"]:
            continue
        whole = [t for t in terms.values() if " " in t.original and original in (t.original.split()[0], t.original.split()[-1])]
        if origin != "list" and len(whole) == 1:
            terms[key] = Term(original, whole[0].pseudonym, whole[0].kind, origin)
            continue
        numbers[kind] += 1
        terms[key] = Term(original, listed["pseudonyms"].get(original) or f"[{kind} {numbers[kind]}]", kind, origin)
    return list(terms.values())


def _listed_replacer(listed: dict[str, Any]) -> Replacer:
    """Every form of every listed entry in any case, each its own pseudonym: to find and count them."""
    return Replacer({}, any_case={form: form for form in listed_forms(listed)}, keep=listed["keep"])


def _replacer(terms: list[Term], listed: dict[str, Any], pronouns: bool) -> Replacer:
    """Listed terms and every form of them in any case, detected terms as written. A form shared by
    listed names that was not found in the study (so has no term) takes the first owner's pseudonym."""
    by_key = {term_key(t.original).lower(): t.pseudonym for t in terms if t.origin == "list"}
    any_case = {form: by_key.get(form) or by_key[term_key(owners[0]).lower()]
                for form, owners in listed_forms(listed).items() if form in by_key or term_key(owners[0]).lower() in by_key}
    exact = {t.original: t.pseudonym for t in terms if t.origin != "list"}
    return Replacer(exact, pronouns, any_case, listed["keep"])


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
    """thematic.yaml (globs for the .txt copies; title and labels, its only free text, pseudonymised),
    participants (every key and value pseudonymised), codebooks (copied)."""
    settings = load_yaml(project.root / PROJECT_FILE).data or {}
    corpus = dict(settings.get("corpus") or {})
    corpus["include"] = sorted({f"{Path(i['file']).parent.as_posix()}/*.txt" for i in items.values()})
    if "interviewer_labels" in corpus:
        corpus["interviewer_labels"] = [replace(label) for label in corpus["interviewer_labels"]]
    if isinstance(settings.get("title"), str):
        settings["title"] = replace(settings["title"])
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
    study_text = _study_text(project, docs)
    found = _listed_replacer(listed).matches(study_text)
    unused = _unused(listed, found)
    listed = {**listed, **{k: [t for t in listed[k] if t not in unused] for k in ("names", "places")}}
    terms = assign(listed, _detected(docs, project, listed["keep"]) if detect else [], found)
    replace = _replacer(terms, listed, pronouns)
    items = _write_copy(project, out, docs, replace)
    _write_settings(project, out, items, replace)
    report = {"pseudonyms": {t.pseudonym: {"kind": t.kind, "found_by": t.origin} for t in terms},
              "items": items, "pronouns_replaced": pronouns}
    write_atomic(out / REPORT_FILE, dumps(report))
    write_atomic(key, dumps({"copy": str(out), "terms": [t.__dict__ for t in terms], "unused": unused}))
    warnings += _file_name_warnings(docs, replace) + _common_word_warnings(names, listed, study_text)
    return Anonymised(out, key, out / REPORT_FILE, terms, dict(replace.tally), items, unused, warnings)


def _study_text(project: Project, docs: list[Document]) -> str:
    """All the text the copy carries over: transcripts, participants.yaml and thematic.yaml."""
    files = [project.participants_path, project.root / PROJECT_FILE]
    texts = [d.text for d in docs] + [f.read_text(encoding="utf-8", errors="replace") for f in files if f.is_file()]
    return "\n".join(texts)


def _unused(listed: dict[str, Any], found: Counter[str]) -> list[str]:
    """List entries that occur nowhere in the study in any of their forms."""
    def forms(entry: str, kind: str) -> list[str]:
        return name_forms(entry) if kind == "names" else [entry]
    return [t for k in ("names", "places") for t in listed[k] if not any(found[term_key(f).lower()] for f in forms(t, k))]


def _file_name_warnings(docs: list[Document], replace: Replacer) -> list[str]:
    """The copy keeps the transcripts' file names: say which contain a replaced name."""
    return [f"{d.path.name}: the file name contains a replaced name ({pseudonym}); rename the copy"
            for d in docs for pseudonym in sorted({replace.pseudonym(k) for k in replace.matches(d.path.stem)})]


def _common_word_warnings(names: Path | None, listed: dict[str, Any], text: str) -> list[str]:
    """A listed name that is also a common word ("bakken", the hill) is replaced in lower case too;
    say how often, so the researcher can put it under keep: if that was not meant."""
    forms = listed_forms(listed)
    lower = Replacer({f: f for f in forms}, keep=listed["keep"]).matches(text) if forms else Counter()
    alone = {form: n for form, n in lower.items() if " " not in form}
    known = _known() if alone else (lambda w: None)
    return [f"{names}: {form!r} is also a common word; its {n} lower-case uses were replaced too "
            f"(list it under keep: to leave them)" for form, n in sorted(alone.items()) if is_common_word(known(form))]
