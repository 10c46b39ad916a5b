"""Fuzzing: arbitrary bytes given to any reader or YAML loader give a result or our own error
(a ThematicError subclass), never another exception or a crash."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from office_files import docx_paragraphs, odt_paragraphs

from thematic.artefacts import load_artefact, load_yaml
from thematic.codebook import load_codebook
from thematic.corpus import document_from_source
from thematic.errors import ThematicError
from thematic.project import load_project
from thematic.readers import READERS, read_bytes

# 200 fixed (derandomised) examples per test keep the suite fast and CI reproducible;
# THEMATIC_FUZZ_EXAMPLES=5000 runs a deeper, random search.
DEEP = os.environ.get("THEMATIC_FUZZ_EXAMPLES")
FUZZ = settings(max_examples=int(DEEP or "200"), deadline=None, derandomize=not DEEP,
                suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = sorted(READERS)
SEEDS = {
    ".txt": "Intervjuer: Hei.\n\nMentor: Blåbær.\n".encode(),
    ".vtt": b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Kari>Hei.</v>\n",
    ".srt": b"1\n00:00:01,000 --> 00:00:02,000\nKari: Hei.\n",
    ".rtf": rb"{\rtf1\ansi{\fonttbl{\f0 A;}}Intervjuer: Hei\par Mentor: Bl\'e5\u229?\par}",
    ".docx": docx_paragraphs("Intervjuer: Hei.", "Mentor: Ja."),
    ".odt": odt_paragraphs("Intervjuer: Hei.", "Mentor: Ja."),
}
YAML_PIECES = ["a", ":", " ", "\n", "- ", "[", "]", "{", "}", ",", "&x ", "*x", "!!", "'", '"', "|", ">", "#",
               "?", "2024-13-45", "1e9999", "9" * 50, "\t", "\ufeff", "æøå", "meta:", "schema: thematic/2-codes@1",
               "codes:", "<<: *x", "!!set", "!!binary", "%YAML 1.1\n", "---\n", "...\n", "~", "null", "\x00"]


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Overwrite, cut or insert bytes at positions (a damaged but recognisable file)."""
    out = bytearray(data)
    for position, cut, insert in edits:
        at = position % (len(out) + 1)
        out[at:at + cut] = insert
    return bytes(out)


def rezip(data: bytes, name: str, edits: list[tuple[int, int, bytes]]) -> bytes:
    """The same zip with one inner XML part damaged (the zip stays valid, the XML does not)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[name] = mutate(parts[name], edits)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for filename, content in parts.items():
            target.writestr(filename, content)
    return buffer.getvalue()


def read_or_our_error(suffix: str, data: bytes) -> None:
    try:
        source = read_bytes(Path(f"fuzz{suffix}"), data)
    except ThematicError:
        return
    assert isinstance(source.text, str) and source.text.strip()
    source.text.encode("utf-8")  # no lone surrogates: every artefact and cache must be writable
    document_from_source(source, {"Intervjuer"})


EDITS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 8), st.binary(max_size=8)), max_size=6)


@FUZZ
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=2048))
def test_readers_on_arbitrary_bytes(suffix: str, data: bytes):
    read_or_our_error(suffix, data)


@FUZZ
@given(suffix=st.sampled_from(sorted(SEEDS)), edits=EDITS)
def test_readers_on_damaged_real_files(suffix: str, edits):
    read_or_our_error(suffix, mutate(SEEDS[suffix], edits))


@FUZZ
@given(suffix=st.sampled_from([".docx", ".odt"]), edits=EDITS)
def test_office_readers_on_damaged_xml_inside_a_valid_zip(suffix: str, edits):
    part = "word/document.xml" if suffix == ".docx" else "content.xml"
    read_or_our_error(suffix, rezip(SEEDS[suffix], part, edits))


@FUZZ
@given(text=st.text(max_size=400))
def test_plain_text_readers_on_arbitrary_unicode(text: str):
    for encoding in ("utf-8", "utf-16", "cp1252"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        read_or_our_error(".txt", data)


def load_all(data: bytes) -> None:
    """Every YAML loader of ours on the same bytes: a result or our own error."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("x.yaml", "thematic.yaml"):
            (root / name).write_bytes(data)
        for load in (lambda: load_yaml(root / "x.yaml"), lambda: load_artefact(root / "x.yaml", "2-codes"),
                     lambda: load_codebook(root / "x.yaml"), lambda: load_project(root)):
            try:
                load()
            except ThematicError:
                pass


@FUZZ
@given(data=st.binary(max_size=1024))
def test_yaml_loaders_on_arbitrary_bytes(data: bytes):
    load_all(data)


@FUZZ
@given(pieces=st.lists(st.sampled_from(YAML_PIECES), max_size=60))
def test_yaml_loaders_on_yaml_like_text(pieces: list[str]):
    load_all("".join(pieces).encode("utf-8", "surrogatepass"))


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.text(max_size=6),
                    st.sampled_from(["pending", "accepted", "rejected", "merged:x", "renamed:Y", "keep", "discard",
                                     "manual", "codebook", "../../etc", "/tmp", "interviews/*.txt", "blank"]))
KEYS = st.sampled_from(["id", "label", "decision", "notes", "extracts", "codes", "themes", "items", "text", "item",
                        "span", "origin", "name", "meta", "reason", "line", "include", "interviewer_labels",
                        "model", "familiarise", "code", "review", "key_terms", "extracts"])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=4)),
                      max_leaves=20)


@FUZZ
@given(body=st.dictionaries(KEYS, VALUES, max_size=5), phase=st.integers(0, 4))
def test_artefact_validators_on_hand_edited_structures(body: dict, phase: int):
    """A well-formed YAML artefact with any structure a hand edit could leave: each phase's validator
    accepts it or names the problem."""
    from thematic.artefacts import dumps
    from thematic.phases import PHASES

    spec = [p for p in PHASES if p.is_yaml][phase]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / spec.artefact
        path.write_text(dumps({"meta": {"schema": f"thematic/{spec.schema}@1"}, **body}), encoding="utf-8")
        try:
            spec.impl.validate(load_artefact(path, spec.schema))
        except ThematicError:
            pass


PROJECT_KEYS = st.sampled_from(["title", "language", "corpus", "participants", "codebooks", "analysis_dir", "nlp", "phases"])


@FUZZ
@given(settings_=st.dictionaries(PROJECT_KEYS, VALUES, max_size=5))
def test_project_loader_on_hand_edited_settings(settings_: dict):
    from thematic.artefacts import dumps

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "thematic.yaml").write_text(dumps(settings_), encoding="utf-8")
        try:
            project = load_project(Path(folder))
        except ThematicError:
            return
        for phase in ("familiarise", "code", "themes", "review", "define", "report"):
            project.params(phase)
        assert all(isinstance(glob, str) for glob in project.settings["corpus"]["include"])
