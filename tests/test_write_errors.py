"""A full disk or a read-only folder: one line naming the file, exit 1, no traceback, the old
artefact as it was and no temp file left. Tests run as root (chmod stops nothing), so the
operating system's refusals are simulated where write_atomic meets them."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest

import thematic.artefacts
from helpers import invoke
from thematic.artefacts import write_atomic
from thematic.errors import ArtefactError

ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
EROFS = OSError(errno.EROFS, os.strerror(errno.EROFS))


class FullDisk:
    """A file handle whose write fails as a full disk does."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()

    def __getattr__(self, name: str):
        return getattr(self.handle, name)

    def write(self, text: str) -> int:
        raise ENOSPC


def fail(error: OSError):
    def refuse(*args, **kwargs):
        raise error
    return refuse


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("target, error, reason", [
    ("fsync", ENOSPC, "No space left on device"),
    ("replace", EROFS, "Read-only file system"),
    ("write", ENOSPC, "No space left on device"),
])
def test_write_atomic_failure_is_one_line_naming_the_file_and_keeps_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, error: OSError, reason: str):
    path = tmp_path / "2-codes.yaml"
    path.write_text("old\n", encoding="utf-8")
    if target == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(thematic.artefacts.os, "fdopen", lambda *a, **k: FullDisk(real_fdopen(*a, **k)))
    else:
        monkeypatch.setattr(thematic.artefacts.os, target, fail(error))
    with pytest.raises(ArtefactError) as raised:
        write_atomic(path, "new\n")
    assert str(raised.value) == f"{path}: cannot write ({reason})"
    assert path.read_text(encoding="utf-8") == "old\n"
    assert leftovers(tmp_path) == []


def test_a_read_only_folder_refuses_the_temp_file_with_the_file_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(thematic.artefacts.tempfile, "mkstemp", fail(EROFS))
    with pytest.raises(ArtefactError, match=r"x\.yaml: cannot write \(Read-only file system\)$"):
        write_atomic(tmp_path / "x.yaml", "new\n")


def test_a_file_where_the_folder_should_be_is_named_too(tmp_path: Path):
    (tmp_path / "analysis").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ArtefactError, match=r"analysis/x\.yaml: cannot write \(Not a directory\)$"):
        write_atomic(tmp_path / "analysis" / "x.yaml", "new\n")


def test_interrupted_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(thematic.artefacts.os, "fsync", fail(KeyboardInterrupt()))  # type: ignore[arg-type]
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "x.yaml", "new\n")
    assert leftovers(tmp_path) == []


def snapshot(study: Path) -> dict[str, bytes]:
    return {p.relative_to(study).as_posix(): p.read_bytes() for p in sorted(study.rglob("*")) if p.is_file()}


def changed(study: Path) -> dict[str, bytes]:
    """The study after one run and a changed transcript: the next run has every phase to write."""
    assert invoke("run", study).exit_code == 0
    path = study / "interviews" / "mentor-a.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nMentor: Og mer tid.\n", encoding="utf-8")
    return snapshot(study)


def assert_one_line_error(result, path: Path, reason: str) -> None:
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [f"error: {path}: cannot write ({reason})"]


def test_disk_full_at_an_artefact_stops_the_run_with_one_line_and_keeps_the_old_one(
        tiny_study: Path, monkeypatch: pytest.MonkeyPatch):
    before = changed(tiny_study)
    codes = tiny_study / "analysis" / "2-codes.yaml"
    real_replace = os.replace

    def replace(src, dst, **kwargs):
        if Path(dst) == codes:
            raise ENOSPC
        real_replace(src, dst, **kwargs)

    monkeypatch.setattr(thematic.artefacts.os, "replace", replace)
    assert_one_line_error(invoke("run", tiny_study), codes, "No space left on device")
    after = snapshot(tiny_study)
    assert after["analysis/2-codes.yaml"] == before["analysis/2-codes.yaml"]
    assert after["analysis/1-familiarisation.yaml"] != before["analysis/1-familiarisation.yaml"]  # phase 1 did write
    assert not [name for name in after if name.endswith(".tmp")]
    monkeypatch.undo()
    assert invoke("run", tiny_study).exit_code == 0  # space again: the run goes on from phase 2


def test_read_only_analysis_folder_stops_the_run_with_one_line_and_changes_nothing(
        tiny_study: Path, monkeypatch: pytest.MonkeyPatch):
    before = changed(tiny_study)
    analysis = (tiny_study / "analysis").resolve()
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if Path(dir).resolve().is_relative_to(analysis):
            raise EROFS
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(thematic.artefacts.tempfile, "mkstemp", mkstemp)
    shadow = tiny_study / "analysis" / ".thematic" / "written" / "1-familiarisation.json"
    assert_one_line_error(invoke("run", tiny_study), shadow, "Read-only file system")
    after = snapshot(tiny_study)
    assert {k: v for k, v in after.items() if "cache" not in k} == {k: v for k, v in before.items() if "cache" not in k}

