"""Crash safety: `thematic run` killed (SIGKILL) at random points leaves every artefact either
the old or the new complete file, and the next run recovers; Ctrl-C exits with a short message."""

from __future__ import annotations

import functools
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from thematic.lock import states
from thematic.project import load_project
from thematic.runner import run_phases

ARTEFACTS = ["1-familiarisation.yaml", "2-codes.yaml", "3-candidate-themes.yaml", "4-reviewed-themes.yaml",
             "5-themes.yaml", "6-report.md"]
# One process loads Python, spaCy and the lexicon once, then forks a `thematic run` per request,
# so a random delay lands inside the run (writing artefacts) rather than in start-up.
FORK_SERVER = """
import functools, os, sys
import thematic.cli, thematic.runner, thematic.nlp.pipeline
from thematic.nlp.lemmas import Lemmatiser
thematic.nlp.pipeline.load_pipeline = functools.lru_cache(None)(thematic.nlp.pipeline.load_pipeline)
thematic.nlp.pipeline.load_pipeline("auto"); Lemmatiser()
print("ready", flush=True)
for line in sys.stdin:
    study, log = line.split()
    pid = os.fork()
    if pid == 0:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 1); os.dup2(fd, 2)
        sys.argv = ["thematic", "run", study]
        code = 0
        try:
            thematic.cli.main()
        except SystemExit as exc:
            code = exc.code or 0
        sys.stdout.flush(); sys.stderr.flush()
        os._exit(code)
    print(pid, flush=True)
    sys.stdin.readline()  # reap only when told: until then the pid cannot be reused
    _, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status), flush=True)
"""


class ForkServer:
    """Start runs by fork from a preloaded process; each run is a child we may signal by pid."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", FORK_SERVER], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        assert self.process.stdout.readline() == "ready\n"

    def start(self, study: Path, log: Path) -> int:
        self.process.stdin.write(f"{study} {log}\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def wait(self) -> int:
        """Reap the child (it stays a zombie until now, so signalling its pid is always safe)."""
        self.process.stdin.write("reap\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch):
    """The fork server; this process's own runs (the recoveries) share one loaded pipeline."""
    import thematic.nlp.pipeline

    monkeypatch.setattr(thematic.nlp.pipeline, "load_pipeline", functools.lru_cache(None)(thematic.nlp.pipeline.load_pipeline))
    forks = ForkServer()
    yield forks
    forks.close()


def snapshot(study: Path) -> dict[str, bytes | None]:
    folder = study / "analysis"
    return {name: (folder / name).read_bytes() if (folder / name).is_file() else None for name in ARTEFACTS}


def recover(study: Path) -> dict[str, bytes | None]:
    """The next run completes, and a run after it has nothing left to do."""
    run_phases(load_project(study))
    assert all(r.action == "skipped" for r in run_phases(load_project(study)))
    assert {s.status for s in states(load_project(study))} == {"fresh"}
    return snapshot(study)


def uninterrupted(study: Path, twin: Path) -> dict[str, bytes | None]:
    """What a run from the study's current state writes when nothing stops it (on a copy; the
    bytes do not depend on where a study lives). Phases build on their previous artefact, so
    this, not the recovery run, is the "new" file an interrupted run may leave."""
    shutil.rmtree(twin, ignore_errors=True)
    shutil.copytree(study, twin)
    run_phases(load_project(twin))
    return snapshot(twin)


def change_input(study: Path, n: int) -> None:
    """Another last turn each round, so every phase writes a different artefact."""
    path = study / "interviews" / "mentor-a.txt"
    base = path.read_text(encoding="utf-8").split("\nMentor: Runde")[0]
    path.write_text(base + f"\nMentor: Runde {n}: " + "mer tid og skreddersøm. " * (n % 3 + 1) + "\n", encoding="utf-8")


def test_sigkill_at_random_points_leaves_old_or_new_artefacts_and_the_next_run_recovers(tiny_study: Path, server: ForkServer, tmp_path: Path):
    rng = random.Random(20240501)
    log = tmp_path / "log"
    recover(tiny_study)
    change_input(tiny_study, 99)
    started = time.monotonic()
    server.start(tiny_study, log)
    assert server.wait() == 0, log.read_text()
    duration = time.monotonic() - started  # a run after a change, as in every round below
    old = snapshot(tiny_study)
    kills, partly_written = 0, 0
    for round_ in range(20):
        change_input(tiny_study, round_)
        new = uninterrupted(tiny_study, tmp_path / "twin")
        pid = server.start(tiny_study, log)
        time.sleep(rng.uniform(0, duration))
        os.kill(pid, signal.SIGKILL)
        kills += server.wait() == -signal.SIGKILL
        killed = snapshot(tiny_study)
        for name in ARTEFACTS:
            assert killed[name] in (old[name], new[name]), f"round {round_}: {name} is neither old nor new"
        partly_written += 0 < sum(killed[name] == new[name] != old[name] for name in ARTEFACTS) < len(ARTEFACTS)
        old = recover(tiny_study)
    assert kills >= 10  # most rounds were really killed mid-run, not after it had finished
    assert partly_written >= 3  # and some between two phases' writes, not only before the first
    assert not list((tiny_study / "analysis").glob(".*.tmp"))  # a later write clears a killed write's temp file


def test_ctrl_c_prints_a_short_message_and_leaves_artefacts_consistent(tiny_study: Path, server: ForkServer, tmp_path: Path):
    pid = server.start(tiny_study, tmp_path / "log")
    time.sleep(0.1)
    os.kill(pid, signal.SIGINT)
    assert server.wait() == 130
    stderr = (tmp_path / "log").read_text()
    assert "Traceback" not in stderr and stderr.strip().startswith("interrupted")
    assert len(stderr.strip().splitlines()) == 1
    partial = snapshot(tiny_study)
    final = recover(tiny_study)
    assert all(partial[name] in (None, final[name]) for name in ARTEFACTS)


class Died(BaseException):
    """Stands for the process dying right after a write."""


def test_dying_after_any_single_write_is_recovered_by_the_next_run(tiny_study: Path, monkeypatch: pytest.MonkeyPatch):
    """Deterministic twin of the SIGKILL test: stop after the 1st, 2nd, ... file a run writes
    (artefact, its shadow copy, the lock), then check the next run recovers without --force."""
    import thematic.nlp.pipeline
    import thematic.runner

    monkeypatch.setattr(thematic.nlp.pipeline, "load_pipeline", functools.lru_cache(None)(thematic.nlp.pipeline.load_pipeline))
    real_write = thematic.runner.write_atomic
    recover(tiny_study)
    n = 0
    while True:
        n += 1
        change_input(tiny_study, n)
        old = snapshot(tiny_study)
        new = uninterrupted(tiny_study, tiny_study.parent / "twin")
        writes = []

        def write_then_die(path: Path, text: str) -> None:
            real_write(path, text)
            writes.append(path.name)
            if len(writes) == n:
                raise Died

        monkeypatch.setattr(thematic.runner, "write_atomic", write_then_die)
        try:
            run_phases(load_project(tiny_study))
            finished = True
        except Died:
            finished = False
        monkeypatch.setattr(thematic.runner, "write_atomic", real_write)
        killed = snapshot(tiny_study)
        assert all(killed[name] in (old[name], new[name]) for name in ARTEFACTS), writes
        recover(tiny_study)
        if finished:
            break
    assert n > 12  # every phase writes its artefact, a shadow copy and the lock
