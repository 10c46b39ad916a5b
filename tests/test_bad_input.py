"""Bad input gives one line naming the file (or, with --skip-bad, a warning and a skip), never a
traceback; hand-edited YAML is refused with file:line and bounded memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from office_files import docx_paragraphs
from typer.testing import CliRunner

from thematic.artefacts import load_artefact, load_yaml
from thematic.cli import app
from thematic.corpus import read_document
from thematic.errors import ArtefactError, CorpusError
from thematic.project import load_project

LABELS = {"Intervjuer"}
runner = CliRunner()


def thematic(*args: str) -> subprocess.CompletedProcess:
    """The installed CLI as a researcher runs it (real stderr, real exit code)."""
    return subprocess.run([sys.executable, "-m", "thematic", *map(str, args)], capture_output=True, text=True)


def one_line_error(result: subprocess.CompletedProcess, *expected: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "the file is empty"),
    ("blank.txt", b"  \n\n \t\n", "the file is empty"),
    ("nul.txt", b"Intervjuer: hei\x00\x01\x02\x03", "binary"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "a PNG image"),
    ("word.txt", docx_paragraphs("Intervjuer: Hei."), "zip archive"),
    ("noise.txt", bytes(range(1, 32)) * 40, "binary"),
    ("plain.docx", "Intervjuer: Hei.".encode(), "not a Word (.docx) file"),
    ("broken.docx", docx_paragraphs("Hei.")[:200], "not a Word (.docx) file"),
    ("plain.odt", b"Intervjuer: Hei.", "not a OpenDocument (.odt) file"),
    ("other.odt", docx_paragraphs("Hei."), "no content.xml inside"),
    ("plain.rtf", b"Intervjuer: Hei.", "not an RTF document"),
    ("nocues.vtt", b"WEBVTT\n\nBare tekst uten tider.\n", "no subtitle cues"),
    ("scan.pdf", b"%PDF-1.7\n", "cannot read .pdf files"),
    ("mixed.txt", "Intervjuer: blåbær\n".encode() + "Mentor: blåbær\n".encode("cp1252"), "mixes UTF-8"),
    ("undecodable.txt", b"Intervjuer: caf\x81\n", "undecodable byte 0x81 at line 1"),
    ("bad16.txt", b"\xff\xfeI\x00:\x00 \x00\x00\xd8", "not valid UTF-16-LE"),
    ("###.txt", b"Mentor: Hei.", "no item id can be made"),
])
def test_bad_files_give_one_error_naming_the_file(tmp_path: Path, name: str, content: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CorpusError) as info:
        read_document(path, LABELS)
    assert str(info.value).startswith(f"{path}:") and message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_200_mb_file_is_refused_without_reading_it(tmp_path: Path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: takes no disk space
        handle.truncate(200_000_000)
    started = time.monotonic()
    with pytest.raises(CorpusError, match=r"huge\.txt: 200 MB is too large"):
        read_document(path, LABELS)
    assert time.monotonic() - started < 1


def test_a_bad_transcript_stops_the_run_with_one_line_and_skip_bad_skips_it(tiny_study: Path):
    bad = tiny_study / "interviews" / "ødelagt.docx"
    bad.write_bytes(b"not a zip")
    one_line_error(thematic("run", tiny_study), str(bad), "not a Word (.docx) file")
    assert not (tiny_study / "analysis").exists()
    result = thematic("run", tiny_study, "--skip-bad")
    assert result.returncode == 0, result.stderr
    assert f"warning: skipped {bad}: not a Word (.docx) file" in result.stderr.replace("\n", "")
    assert "odelagt" not in (tiny_study / "analysis" / "1-familiarisation.yaml").read_text(encoding="utf-8")


def test_duplicate_item_ids_are_an_error_or_skipped(tiny_study: Path):
    (tiny_study / "interviews" / "Mentor A.docx").write_bytes(docx_paragraphs("Mentor: Tid.", "Mentor: Tid."))
    one_line_error(thematic("familiarise", tiny_study), "same item id 'mentor-a'")
    result = runner.invoke(app, ["familiarise", str(tiny_study), "--skip-bad"])
    assert result.exit_code == 0 and "same item id 'mentor-a'" in result.output


def test_a_folder_with_no_transcripts(tiny_study: Path):
    for path in (tiny_study / "interviews").iterdir():
        path.unlink()
    (tiny_study / "interviews" / ".DS_Store").write_bytes(b"\x00\x00")
    (tiny_study / "interviews" / "~$intervju.docx").write_bytes(b"\x00lock")
    one_line_error(thematic("run", tiny_study), "no transcripts match interviews/*.txt")


def test_only_unreadable_transcripts_even_with_skip_bad(tiny_study: Path):
    for path in (tiny_study / "interviews").iterdir():
        path.write_bytes(b"")
    one_line_error(thematic("run", tiny_study, "--skip-bad"), "no readable transcripts")


def test_yaml_syntax_error_names_file_line_and_column(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb: [1, 2\nc: 3\n", encoding="utf-8")
    with pytest.raises(ArtefactError, match=r"x\.yaml:3:2: invalid YAML"):
        load_yaml(path)


def test_unknown_schema_version_says_what_to_do(tiny_study: Path):
    assert runner.invoke(app, ["run", str(tiny_study)]).exit_code == 0
    path = tiny_study / "analysis" / "2-codes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("thematic/2-codes@1", "thematic/2-codes@7"), encoding="utf-8")
    with pytest.raises(ArtefactError, match=r"2-codes\.yaml:2: unknown schema version 7 .*upgrade thematic"):
        load_artefact(path, "2-codes")
    path.write_text(path.read_text(encoding="utf-8").replace("thematic/2-codes@7", "thematic/5-themes@1"), encoding="utf-8")
    with pytest.raises(ArtefactError, match=r"meta\.schema is 'thematic/5-themes@1'; expected 'thematic/2-codes@1'"):
        load_artefact(path, "2-codes")


def test_schema_error_names_the_field_and_allowed_values(tiny_study: Path):
    assert runner.invoke(app, ["run", str(tiny_study)]).exit_code == 0
    path = tiny_study / "analysis" / "2-codes.yaml"
    text = path.read_text(encoding="utf-8").replace("origin: codebook", "origin: gjetning", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  origin: gjetning") + 1
    one_line_error(thematic("run", tiny_study), f"2-codes.yaml:{line}:", "origin must be one of codebook")


BOMB = "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9 if p else ['x'] * 9)}]\n"
               for p, c in zip(["", "a", "b", "c", "d", "e", "f", "g"], "abcdefgh"))


@pytest.mark.parametrize("text, message", [
    (BOMB, "aliases expand too far"),
    ("a: &a [*a]\n", "recursive alias"),
    ("[" * 100_000, "nested more than 500 levels deep"),
    ("- " * 100_000 + "x\n", "nested more than 500 levels deep"),
    ("a: !!binary aGVp\n", "unsupported type 'binary'"),
    ("a: !!python/object:os.system x\n", "unsupported type 'python/object:os.system'"),
    ("a: " + "9" * 5000 + "\n", "invalid value in YAML"),
])
def test_hostile_yaml_is_refused_in_bounded_time(tmp_path: Path, text: str, message: str):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    code = ("import sys; from pathlib import Path; from thematic.artefacts import load_yaml\n"
            "from thematic.errors import ArtefactError\n"
            "try:\n    load_yaml(Path(sys.argv[1]))\nexcept ArtefactError as exc:\n    print(exc)\n")
    started = time.monotonic()  # in a child: a C-level stack overflow would kill it, not pytest
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert message in result.stdout and result.stdout.startswith(f"{path}:")
    assert time.monotonic() - started < 10


def test_a_huge_yaml_document_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "2-codes.yaml"
    with path.open("wb") as handle:
        handle.truncate(500_000_000)
    with pytest.raises(ArtefactError, match="500 MB is too large for a YAML file"):
        load_yaml(path)


def test_dates_in_hand_edited_notes_stay_text(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text("notes: 2024-05-01\nbad: 2024-13-45\n", encoding="utf-8")
    assert load_yaml(path).data == {"notes": "2024-05-01", "bad": "2024-13-45"}


@pytest.mark.parametrize("setting, message", [
    ("analysis_dir: ../utenfor", "analysis_dir must be a relative path inside the study folder"),
    ("analysis_dir: /tmp/analysis", "analysis_dir must be a relative path inside the study folder"),
    ("participants: ../../etc/passwd", "participants must be a relative path inside the study folder"),
    ("corpus: {include: ['../*/interviews/*.txt']}", "corpus.include globs must stay inside the study folder"),
    ("codebooks: [../annen-studie/codebooks/mini.yaml]", "a codebook is a bundled name or a path inside"),
])
def test_paths_that_escape_the_study_folder_are_refused(tiny_study: Path, setting: str, message: str):
    (tiny_study / "thematic.yaml").write_text(f"title: Mini\n{setting}\n", encoding="utf-8")
    with pytest.raises(ArtefactError, match=r"thematic\.yaml:2: " + message):
        load_project(tiny_study)


def test_unreadable_transcript_permission_is_one_line(tiny_study: Path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tiny_study / "interviews" / "mentor-a.txt"
    path.chmod(0)
    one_line_error(thematic("run", tiny_study), str(path))


def test_a_file_name_that_is_not_utf8_is_one_line_with_the_byte_escaped(tiny_study: Path):
    raw = os.fsencode(tiny_study / "interviews") + b"/intervju-\xff.txt"  # Linux allows any byte but / and NUL
    try:
        with open(raw, "wb") as handle:
            handle.write(b"Mentor: Tid.\n\nMentor: Tid.\n")
    except OSError:
        pytest.skip("this file system refuses file names that are not UTF-8")
    shown = f"{tiny_study}/interviews/intervju-\\xff.txt: the file name has a byte that is not UTF-8"
    one_line_error(thematic("run", tiny_study), shown, "rename the file")
    one_line_error(thematic("run", tiny_study, "--skip-bad"), shown)  # its name would go into the lock
    assert not (tiny_study / "analysis" / "1-familiarisation.yaml").exists()
    with pytest.raises(CorpusError, match=r"intervju-\\xff\.txt: the file name"):
        read_document(Path(os.fsdecode(raw)), LABELS)
