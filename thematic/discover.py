"""Finding the transcripts already in a study folder, for `thematic init`.

Researchers keep transcripts where they keep them: in `intervjuer/`, in a folder per round, or
loose beside the study's other files. Every readable file in the folder and its subfolders is a
transcript except hidden files and folders, the analysis output, another study's folder (one with
its own thematic.yaml) and a folder's README/LICENSE/CHANGELOG. Each folder and extension becomes
one glob in corpus.include (`intervjuer/*.docx`), so a transcript added there later is read too;
where a folder also holds a file that is no transcript, its transcripts are listed one by one.
"""

from __future__ import annotations

import glob
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from thematic.corpus import INTERVIEWER, is_interviewer, read_document
from thematic.errors import CorpusError
from thematic.readers import READERS

NOT_TRANSCRIPTS = ("readme", "license", "licence", "changelog", "contributing")
QUESTION_SHARE = 0.5  # a label whose turns are mostly questions, in most files, is the interviewer


@dataclass(frozen=True)
class Speaker:
    """A speaker label as the transcripts use it."""

    label: str
    turns: int
    files: int
    questions: float  # share of its turns that end with "?"
    interviewer: bool


@dataclass
class Found:
    """What init found: the transcripts (relative paths), the globs that read them, the speakers."""

    files: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def formats(self) -> Counter:
        return Counter(PurePosixPath(f).suffix.lower() for f in self.files)

    @property
    def folders(self) -> Counter:
        return Counter(str(PurePosixPath(f).parent) for f in self.files)


def _is_transcript(name: str) -> bool:
    stem = name.rsplit(".", 1)[0].casefold()
    return (not name.startswith((".", "~$")) and os.path.splitext(name)[1].lower() in READERS
            and not stem.startswith(NOT_TRANSCRIPTS))


def _skipped(folder: Path, name: str, analysis_dir: str) -> bool:
    """Hidden folders, the analysis output and other studies are never searched."""
    return name.startswith(".") or name == analysis_dir or (folder / name / "thematic.yaml").is_file()


def transcript_files(root: Path, analysis_dir: str = "analysis") -> tuple[list[str], list[str]]:
    """(transcripts, other readable-looking files) under root, as sorted posix paths relative to it."""
    found, others = [], []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not _skipped(here, d, analysis_dir))
        relative = here.relative_to(root)
        for name in files:
            path = (relative / name).as_posix()
            (found if _is_transcript(name) else others).append(path)
    return sorted(found), sorted(others)


def include_globs(files: list[str], others: list[str]) -> list[str]:
    """One glob per folder and extension (`intervjuer/*.txt`), or the files themselves where the
    glob would also match a file that is no transcript (a README.md beside .md transcripts)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for path in files:
        p = PurePosixPath(path)
        groups.setdefault((str(p.parent), p.suffix), []).append(path)
    globs = []
    for (folder, suffix), members in sorted(groups.items()):
        prefix = "" if folder == "." else f"{glob.escape(folder)}/"
        pattern = f"{prefix}*{suffix}"
        clash = [o for o in others if PurePosixPath(o).match(pattern) and str(PurePosixPath(o).parent) == folder]
        globs += [glob.escape(m) for m in members] if clash else [pattern]
    return globs


def speakers(root: Path, files: list[str], interviewer_labels: list[str]) -> tuple[list[Speaker], list[str]]:
    """Every speaker label in the transcripts with its turns, files and share of questions; an
    unreadable file is a warning here (init only looks), not an error."""
    turns, in_files, questions, roles = Counter(), Counter(), Counter(), {}
    warnings = []
    for path in files:
        try:
            doc = read_document(root / path, set(interviewer_labels))
        except CorpusError as exc:
            warnings.append(str(exc))
            continue
        for turn in doc.turns:
            if turn.speaker:
                turns[turn.speaker] += 1
                questions[turn.speaker] += turn.text.rstrip().endswith("?")
                roles[turn.speaker] = turn.role
        in_files.update({t.speaker for t in doc.turns if t.speaker})
    found = [Speaker(label, n, in_files[label], round(questions[label] / n, 2), roles[label] == INTERVIEWER)
             for label, n in turns.most_common()]
    return found, warnings


def likely_interviewers(found: list[Speaker], files: int, interviewer_labels: list[str]) -> list[str]:
    """Labels to take as the interviewer when none of the known ones is used: mostly questions,
    in at least half the transcripts (`Forsker:`, `Q:`)."""
    if any(s.interviewer for s in found):
        return []
    return [s.label for s in found if s.questions >= QUESTION_SHARE and s.files * 2 >= files
            and not is_interviewer(s.label, set(interviewer_labels))]


def find_transcripts(root: Path, interviewer_labels: list[str], analysis_dir: str = "analysis") -> tuple[Found, list[str]]:
    """What is in the folder, and the labels to add to corpus.interviewer_labels."""
    files, others = transcript_files(root, analysis_dir)
    found = Found(files, include_globs(files, others))
    found.speakers, found.warnings = speakers(root, files, interviewer_labels)
    extra = likely_interviewers(found.speakers, len(files), interviewer_labels)
    if extra:
        labels = interviewer_labels + extra
        found.speakers, found.warnings = speakers(root, files, labels)
    return found, extra
