"""One writing run per study: a second `thematic run` stops with the first one's pid; a run that
was killed leaves a lock the next run simply takes."""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import thematic.lock
from helpers import invoke
from thematic.lock import run_lock_path, study_lock
from thematic.project import load_project

HOLDER = """
import sys
from pathlib import Path
from thematic.lock import study_lock
from thematic.project import load_project
with study_lock(load_project(Path(sys.argv[1]))):
    print("held", flush=True)
    sys.stdin.readline()
"""


def hold(study: Path, pid: int) -> int:
    """Hold the study's lock from this process, as a run with that pid would."""
    fd = os.open(run_lock_path(load_project(study)), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, f"{pid}\n".encode())
    return fd


def refused(result, study: Path, pid: int | str) -> bool:
    return result.exit_code == 1 and result.stderr == f"error: another thematic run is working on {study} (pid {pid})\n"


def test_a_second_run_stops_with_the_first_ones_pid_and_writes_nothing(tiny_study: Path):
    fd = hold(tiny_study, os.getpid())
    try:
        assert refused(invoke("run", tiny_study), tiny_study, os.getpid())
        assert refused(invoke("code", tiny_study), tiny_study, os.getpid())
        assert not (tiny_study / "analysis").exists()
        assert invoke("status", tiny_study).exit_code == 0  # reading needs no lock
    finally:
        os.close(fd)
    assert invoke("run", tiny_study).exit_code == 0


def test_the_lock_of_a_killed_run_is_taken_over(tiny_study: Path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tiny_study)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    assert refused(invoke("run", tiny_study), tiny_study, holder.pid)
    holder.kill()
    assert holder.wait() == -signal.SIGKILL
    assert run_lock_path(load_project(tiny_study)).read_text() == f"{holder.pid}\n"  # its pid stays behind
    result = invoke("run", tiny_study)
    assert result.exit_code == 0, result.output
    assert run_lock_path(load_project(tiny_study)).read_text() == ""  # let go


def test_a_failed_run_lets_go_of_the_lock(tiny_study: Path):
    (tiny_study / "interviews" / "tom.txt").write_text("", encoding="utf-8")
    assert invoke("run", tiny_study).exit_code == 1
    os.close(hold(tiny_study, os.getpid()))  # would raise BlockingIOError if still held


def test_a_held_lock_naming_no_live_run_is_reported_after_retrying(tiny_study: Path, monkeypatch: pytest.MonkeyPatch):
    """The instant between a run taking the lock and writing its pid (here: forever)."""
    sleeps = []
    monkeypatch.setattr(thematic.lock.time, "sleep", sleeps.append)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    fd = hold(tiny_study, int(dead.stdout))
    try:
        assert refused(invoke("run", tiny_study), tiny_study, "unknown")
    finally:
        os.close(fd)
    assert len(sleeps) > 1


def test_a_read_only_file_system_needs_no_lock(tiny_study: Path, monkeypatch: pytest.MonkeyPatch):
    """Nothing can be written there, so no run needs keeping out: a fresh study's run succeeds."""
    assert invoke("run", tiny_study).exit_code == 0
    lock_file = run_lock_path(load_project(tiny_study))
    real_open = os.open

    def read_only(path, *args, **kwargs):
        if Path(path) == lock_file:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(thematic.lock.os, "open", read_only)
    with study_lock(load_project(tiny_study)):
        pass
    result = invoke("run", tiny_study)
    assert result.exit_code == 0 and result.output.count("skipped") == 6
