"""Crash safety: `thematic run` killed (SIGKILL) in the middle of any of its writes or between
any two leaves every artefact either the old or the new complete file, and the next run recovers;
Ctrl-C exits with a short message. Each run is stopped at a write it actually reaches, not after a
guessed delay, so the tests assert the same events on an idle or a busy machine."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from thematic.artefacts import temp_files_of
from thematic.lock import states
from thematic.project import load_project
from thematic.runner import own_files, run_phases

ARTEFACTS = ["1-familiarisation.yaml", "2-codes.yaml", "3-candidate-themes.yaml", "4-reviewed-themes.yaml",
             "5-themes.yaml", "6-report.md"]
# One process loads Python, spaCy and the lexicon once and runs a copy of the study (so the forks
# import nothing more), then forks a `thematic run` per request. The child sends itself a signal at
# its n-th write_atomic: "temp" once the temp file is written and fsynced but not yet renamed over
# the file, "done" right after the rename. It logs each write it finished, so the test knows
# exactly which files are new.
FORK_SERVER = """
import functools, os, sys
from pathlib import Path
import thematic.artefacts, thematic.cli, thematic.project, thematic.runner, thematic.nlp.pipeline
from thematic.nlp.lemmas import Lemmatiser
thematic.nlp.pipeline.load_pipeline = functools.lru_cache(None)(thematic.nlp.pipeline.load_pipeline)
thematic.nlp.pipeline.load_pipeline("auto"); Lemmatiser()
thematic.runner.run_phases(thematic.project.load_project(Path(sys.argv[1])))  # every lazy import and table

def stop_at(n, stage, sig, writes):
    real, fsync, count = thematic.artefacts.replace_atomically, os.fsync, [0]
    log = os.open(writes, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND)
    def fsync_then_signal(fd):
        fsync(fd)
        os.kill(os.getpid(), sig)
    def write(path, parts):
        count[0] += 1
        if count[0] == n and stage == "temp":
            os.fsync = fsync_then_signal
        real(path, parts)
        os.write(log, f"{path}\\n".encode())
        if count[0] == n and stage == "done":
            os.kill(os.getpid(), sig)
    thematic.artefacts.replace_atomically = write

print("ready", flush=True)
for line in sys.stdin:
    study, log, n, stage, sig = line.split()
    pid = os.fork()
    if pid == 0:
        stop_at(int(n), stage, int(sig), log + ".writes")
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
    _, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status), flush=True)
"""


class ForkServer:
    """Start runs by fork from a preloaded process; each run is a child that signals itself at
    a chosen write (n=0: runs to the end)."""

    def __init__(self, warm_up: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", FORK_SERVER, str(warm_up)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        assert self.process.stdout.readline() == "ready\n"

    def run(self, study: Path, log: Path, n: int = 0, stage: str = "done", sig: int = signal.SIGKILL) -> int:
        """One run to its end or its signal; its exit code (-9 when killed)."""
        self.process.stdin.write(f"{study} {log} {n} {stage} {int(sig)}\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch, tiny_study: Path, tmp_path: Path):
    """The fork server; this process's own runs (the recoveries) share one loaded pipeline."""
    import thematic.nlp.pipeline

    monkeypatch.setattr(thematic.nlp.pipeline, "load_pipeline", functools.lru_cache(None)(thematic.nlp.pipeline.load_pipeline))
    shutil.copytree(tiny_study, tmp_path / "warm-up")
    forks = ForkServer(tmp_path / "warm-up")
    yield forks
    forks.close()


def writes(log: Path) -> list[Path]:
    """The files a forked run finished writing, in order."""
    return [Path(line) for line in log.with_name(log.name + ".writes").read_text().splitlines()]


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


def test_sigkill_in_and_between_every_write_leaves_old_or_new_artefacts_and_the_next_run_recovers(
        tiny_study: Path, server: ForkServer, tmp_path: Path):
    """Killed inside each write in turn (its temp file written, the rename not done): the files
    written before are new, all others old (so every state between two writes is covered too);
    then killed after the last write, before the run lets go of the study lock."""
    log = tmp_path / "log"
    recover(tiny_study)
    change_input(tiny_study, 99)
    assert server.run(tiny_study, log) == 0, log.read_text()
    every = writes(log)  # a run after a change writes every phase, the same files each round
    assert {p.name for p in every} >= set(ARTEFACTS) and len(every) > 2 * len(ARTEFACTS)
    old = recover(tiny_study)
    stops = [(n, "temp") for n in range(1, len(every) + 1)] + [(len(every), "done")]
    partly_written = 0
    for round_, (n, stage) in enumerate(stops):
        change_input(tiny_study, round_)
        new = uninterrupted(tiny_study, tmp_path / "twin")
        assert server.run(tiny_study, log, n, stage) == -signal.SIGKILL, f"write {n} ({stage}) was not reached"
        finished = writes(log)
        assert finished == every[:n if stage == "done" else n - 1]
        assert bool(temp_files_of(every[n - 1])) == (stage == "temp")  # killed inside the write: its temp file stays
        killed = snapshot(tiny_study)
        renamed = {p.name for p in finished}
        for name in ARTEFACTS:
            assert killed[name] == (new[name] if name in renamed else old[name]), f"write {n} ({stage}): {name}"
        partly_written += 0 < len(renamed & set(ARTEFACTS)) < len(ARTEFACTS)
        old = recover(tiny_study)
        assert old == new  # the recovery ends where an uninterrupted run would have
        assert not [t for own in own_files(load_project(tiny_study)) for t in temp_files_of(own)]
    assert partly_written >= len(ARTEFACTS) - 1  # killed between phases' writes, not only before the first


def test_ctrl_c_prints_a_short_message_and_leaves_artefacts_consistent(tiny_study: Path, server: ForkServer, tmp_path: Path):
    log = tmp_path / "log"
    assert server.run(tiny_study, log, 4, "temp", signal.SIGINT) == 130  # in phase 2's shadow write
    stderr = log.read_text()
    assert "Traceback" not in stderr and stderr.strip().startswith("interrupted")
    assert len(stderr.strip().splitlines()) == 1
    assert len(writes(log)) == 3
    partial = snapshot(tiny_study)
    assert not [t for own in own_files(load_project(tiny_study)) for t in temp_files_of(own)]  # removed on the way out
    final = recover(tiny_study)
    assert partial["1-familiarisation.yaml"] == final["1-familiarisation.yaml"]
    assert all(partial[name] is None for name in ARTEFACTS[1:])


def test_a_run_clears_only_its_own_temp_files(tiny_study: Path):
    """A killed write's temp file goes; a researcher's own .tmp files beside the artefacts stay."""
    recover(tiny_study)
    analysis = tiny_study / "analysis"
    theirs = [analysis / ".mine.tmp", analysis / ".notes.tmp", analysis / ".2-codes.yaml.mine.tmp",
              analysis / ".notater.md.abcd1234.tmp", tiny_study / ".notes.tmp"]
    ours = [analysis / ".2-codes.yaml.k3j_x9q2.tmp", analysis / ".3-thematic-map.svg.abcdefgh.tmp",
            analysis / ".thematic" / "written" / ".2-codes.json.a1b2c3d4.tmp", tiny_study / ".thematic.lock.zz99zz99.tmp"]
    for path in theirs + ours:
        path.write_text("x", encoding="utf-8")
    run_phases(load_project(tiny_study))
    assert [p for p in theirs if not p.exists()] == []
    assert [p for p in ours if p.exists()] == []


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


def test_a_killed_nlp_cache_write_leaves_no_temp_file_after_the_next_run(tiny_study: Path):
    from helpers import invoke

    assert invoke("run", tiny_study).exit_code == 0
    cache = tiny_study / "analysis" / ".thematic" / "cache" / "nlp"
    left = cache / ".0123abcd.bin.k3j2h1g0.tmp"
    left.write_bytes(b"half a cache file")
    assert invoke("run", tiny_study, "--force").exit_code == 0
    assert not left.exists() and any(cache.glob("*.bin"))
