"""Per-item work on several processes: `thematic run --jobs N`.

The NLP pass and phase 2's matching and counting are per item and independent, so N-1 worker
processes take items while this process takes items too. Each result is put back at its item's
place and does not depend on which process made it, so the artefacts are byte-identical whatever
N. Workers are started with `spawn` (nothing inherited: no threads, locks or open databases; the
same on every platform) and load the pipeline once each (a few seconds), which pays only when
enough uncached text is left: below MIN_CHARS the work is done in this process, and meanwhile
this process works through the items from the other end. The workers of a run serve all its
phases and end with it.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

from thematic.errors import ThematicError

if TYPE_CHECKING:  # imported where workers start: a run that needs none (most re-runs) never loads them
    from concurrent.futures import Future, ProcessPoolExecutor

MIN_CHARS = 2_000_000  # uncached text (~300k words, ~3 s of NLP on one core) that pays for a worker
IN_FLIGHT = 2  # tasks queued per warm worker, so none waits while the results travel back
WORKERS_FIRST = False  # wait for the workers before working here (tests: workers surely take items)
Task = tuple[Callable[..., Any], tuple]  # a module-level function and its (picklable) arguments
T = TypeVar("T")
FORK_BELOW_MB = 600  # jobs.beside: a 1M-word decision re-run holds ~180 MB, a 10M-word run ~1 GB by phase 4


@dataclass
class _Run:
    jobs: int
    pool: ProcessPoolExecutor | None = None

    def workers(self) -> ProcessPoolExecutor:
        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(self.jobs - 1, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_start_worker)
        return self.pool


_RUN: ContextVar[_Run | None] = ContextVar("thematic_jobs", default=None)


def default_jobs() -> int:
    """The machine's cores."""
    return os.cpu_count() or 1


@contextmanager
def parallel(jobs: int | None) -> Iterator[None]:
    """Per-item work inside uses up to `jobs` processes (None: the machine's cores; 1: this
    process only); the workers end with the block."""
    run = _Run(max(1, jobs if jobs is not None else default_jobs()))
    token = _RUN.set(run)
    try:
        yield
    finally:
        _RUN.reset(token)
        if run.pool is not None:
            run.pool.shutdown(wait=True, cancel_futures=True)


def _start_worker() -> None:
    """Ctrl-C is the parent's to handle: it stops the pool (no traceback from every worker). A
    worker's whole life is the work, so it runs with fewer garbage collections, as a run does."""
    from thematic.collector import use_fewer_collections

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    use_fewer_collections()


def _warm(function: Callable[..., Any], args: tuple) -> None:
    """Run a worker's preparation there; what it loaded stays there (nothing is sent back)."""
    function(*args)


def workers_pay(count: int, chars: int) -> bool:
    """True when this run has workers to use and this much work is worth handing them: two
    items or more, and enough text to pay for starting them (unless they already run)."""
    run = _RUN.get()
    return run is not None and run.jobs > 1 and count > 1 and (run.pool is not None or chars >= MIN_CHARS)


def start_workers(count: int, chars: int, warm: Task) -> bool:
    """Start the workers now and let them run `warm` (load what they need) when work of this size
    is to come (`workers_pay`), so they load while this process loads its own; True if started.
    run_items uses them once they are warm."""
    run = _RUN.get()
    if run is None or run.pool is not None or not workers_pay(count, chars):
        return False
    pool = run.workers()
    for _ in range(run.jobs - 1):
        pool.submit(_warm, *warm)
    return True


def run_items(count: int, here: Callable[[int], Any], there: Callable[[int], Task], chars: int,
              done: Callable[[int, Any], None], warm: Task) -> None:
    """Item i is made by here(i) in this process or by a worker running there(i); done(i,
    result) is called here for each, as results come (place them by i). A worker gets items
    only once `warm` (loading what it needs) has run there, so no item waits for a worker that
    is still starting. In this process alone unless `workers_pay`."""
    run = _RUN.get()
    if run is None or not workers_pay(count, chars):
        for i in range(count):
            done(i, here(i))
        return
    from concurrent.futures.process import BrokenProcessPool

    try:
        _shared(run.workers(), run.jobs - 1, count, here, there, done, warm)
    except BrokenProcessPool:
        raise ThematicError("a worker process stopped before its work was done (out of memory?)",
                            fix="run again with --jobs 1") from None


def _shared(pool: ProcessPoolExecutor, workers: int, count: int, here: Callable[[int], Any],
            there: Callable[[int], Task], done: Callable[[int, Any], None], warm: Task) -> None:
    """Workers take items from the front once warm, this process takes them from the back."""
    from concurrent.futures import FIRST_COMPLETED, wait

    warming = {pool.submit(_warm, *warm) for _ in range(workers)}
    if WORKERS_FIRST:
        wait(warming)
    pending: dict[Future, int] = {}
    ready, front, back = 0, 0, count - 1
    while front <= back or pending:
        for future in [f for f in warming if f.done()]:
            warming.discard(future)
            future.result()
            ready += 1
        for future in [f for f in pending if f.done()]:
            done(pending.pop(future), future.result())
        while front <= back and len(pending) < IN_FLIGHT * ready:
            function, args = there(front)
            pending[pool.submit(function, *args)] = front
            front += 1
        if front <= back:
            done(back, here(back))
            back -= 1
        elif pending:
            wait(pending, return_when=FIRST_COMPLETED)


def beside(work: Callable[[], T]) -> Callable[[], T]:
    """work() started now on the other core, in a forked copy of this process, while this one
    goes on (phase 4's stability bootstrap beside its keywords and questions); call what is
    returned for the result, pickled back. With one job, no fork (Windows) or other threads
    running (a progress bar's), and if the copy fails, work runs here when the result is asked
    for: the same result either way, as work is a pure function of what this process holds. Not
    past FORK_BELOW_MB resident: the copy's own pages grow with what it touches, and a large study
    needs its memory more than the second core."""
    run = _RUN.get()
    if (run is None or run.jobs < 2 or not hasattr(os, "fork") or threading.active_count() > 1
            or _resident_mb() > FORK_BELOW_MB):
        return work
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: compute, send, and leave without running this process's exit
        try:
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is this process's to handle
            with os.fdopen(write, "wb") as out:
                out.write(pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            os._exit(0)
    os.close(write)

    def result() -> T:
        with os.fdopen(read, "rb") as source:
            data = source.read()
        os.waitpid(pid, 0)
        try:
            return pickle.loads(data)
        except Exception:  # nothing or a cut pickle: the copy failed or was killed (out of memory)
            return work()
    return result


def _resident_mb() -> float:
    """This process's resident memory now (Linux's /proc; elsewhere 0: not known)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0
