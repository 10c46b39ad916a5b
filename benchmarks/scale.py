"""How thematic scales: one table per study size, every figure measured in this one run.

    python benchmarks/scale.py [--sizes 10,100] [--words-per-interview 10000] [--repeat 3]

For each size, a generated study (benchmarks/generate.py, seed 7; the bundled codebook) is run as a
user would run it, each command in its own process (wall time, and that process's peak RSS from
wait4): a cold run with --jobs 2 (no analysis folder; the per-user lexicon cache already built; and
one with --jobs 1 on a copy, for the speed-up both cores give), the bare
spacy.blank("nb") tokenizer over the same texts (in this process) and the ratio, a no-change
re-run, a re-run after editing one transcript (and what a new process that loads spaCy costs: the
floor of such a re-run), and after one decision edit (a suggestion accepted
in 2-codes.yaml) `thematic status` and the re-run (phases 3-6: it parses only the changed record of
2-codes.yaml to tell the state, thematic.written). Then one more of each edit (the next suggestion
accepted; another sentence in the first transcript), re-run in a process that times each phase
(benchmarks/incremental.py's phase_split): where a re-run's time goes. Also the sizes of
2-codes.yaml and of the extract store. With --repeat N each timed figure is the median of N
runs, each on a fresh copy of the study in the same state (the cold runs on copies without the
analysis folder). Machines are noisy (a shared 2-core machine's speed moves by a third from one
minute to the next): compare ratios within one run, not across runs, and repeat.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

THEMATIC = [sys.executable, "-m", "thematic"]


def measured(*args: str) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one `thematic ARGS` process."""
    start = time.perf_counter()
    proc = subprocess.Popen([*THEMATIC, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"thematic {' '.join(args)} failed: {proc.stderr.read().decode()[-800:]}")
    return seconds, usage.ru_maxrss / 1024


def tokenizer_seconds(folder: Path) -> float:
    import spacy

    nlp = spacy.blank("nb")
    nlp.max_length = 10_000_000
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    start = time.perf_counter()
    for doc in nlp.pipe(texts):
        len(doc)
    return time.perf_counter() - start


def spacy_start_seconds() -> float:
    """Wall seconds of a new process that imports spaCy and makes the blank Norwegian pipeline: what
    any re-run that must analyse a changed transcript pays before it reads a word."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import spacy; spacy.blank('nb')"], check=True)
    return time.perf_counter() - start


def make_study(root: Path, interviews: int, words: int) -> int:
    written = generate(root / "interviews", interviews * words, files=interviews)
    (root / "thematic.yaml").write_text(
        "title: Skala\ncorpus:\n  include: [interviews/*.txt]\n  interviewer_labels: [Intervjuer]\n"
        "codebooks: [arbeidsinkludering]\n", encoding="utf-8")
    return written


def accept_first_suggestion(study: Path) -> None:
    path = study / "analysis" / "2-codes.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("decision: suggested")
    path.write_text(text[:at] + "decision: accepted" + text[at + len("decision: suggested"):], encoding="utf-8")


def by_phase(study: Path) -> str:
    """The stale phases' seconds, each phase timed in one child process (incremental.phase_split)."""
    from incremental import phase_split  # imported here: incremental imports this module

    return ", ".join(f"{name} {seconds:.1f}" for name, seconds, _ in phase_split(study))


def add_sentence(study: Path, sentence: str) -> None:
    first = sorted((study / "interviews").glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + sentence, encoding="utf-8")


def on_copy(study: Path, change: Callable[[Path], None], command: str, *options: str) -> tuple[float, float]:
    """(wall seconds, peak RSS) of `thematic COMMAND COPY OPTIONS` on a fresh copy of the study,
    changed by `change` first, so the study's own figures are untouched by the repeats."""
    copy = study.with_name(study.name + "-copy")
    shutil.copytree(study, copy)
    try:
        change(copy)
        os.sync()  # the copy's writes are not left to slow the timed process down
        return measured(command, str(copy), *options)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def unanalysed(study: Path) -> None:
    shutil.rmtree(study / "analysis", ignore_errors=True)
    (study / "thematic.lock").unlink(missing_ok=True)


def edited(study: Path) -> None:
    add_sentence(study, "\nMentor: Dette er en ny setning om tillit.\n")


def median_of(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall seconds of repeated runs and the largest peak RSS among them."""
    return statistics.median(wall for wall, _ in runs), max(rss for _, rss in runs)


def rows_for(study: Path, words: int, repeat: int = 1) -> list[tuple[str, str]]:
    def median(measure: Callable[[], tuple[float, float]]) -> tuple[float, float]:
        return median_of([measure() for _ in range(repeat)])

    single, _ = median(lambda: on_copy(study, unanalysed, "run", "--jobs", "1"))
    cold, cold_rss = median(lambda: on_copy(study, unanalysed, "run", "--jobs", "2"))
    measured("run", str(study), "--jobs", "2")  # the study the re-runs start from (untimed)
    bare, _ = median(lambda: (tokenizer_seconds(study / "interviews"), 0.0))
    again, _ = median(lambda: measured("run", str(study)))
    edit, _ = median(lambda: on_copy(study, edited, "run"))
    spacy_start, _ = median(lambda: (spacy_start_seconds(), 0.0))
    status, _ = median(lambda: on_copy(study, accept_first_suggestion, "status"))
    decided, decided_rss = median(lambda: on_copy(study, accept_first_suggestion, "run"))
    accept_first_suggestion(study)
    decided_phases = by_phase(study)
    add_sentence(study, "\nMentor: Dette er enda en ny setning om tillit.\n")
    edited_phases = by_phase(study)
    codes = (study / "analysis" / "2-codes.yaml").stat().st_size
    store = (study / "analysis" / ".thematic" / "extracts.sqlite").stat().st_size
    return [
        ("words", f"{words:,}"),
        ("cold run (--jobs 2): wall / peak RSS", f"{cold:.1f} s / {cold_rss:.0f} MB"),
        ("bare tokenizer over the same texts", f"{bare:.1f} s"),
        ("cold run / tokenizer", f"{cold / bare:.1f}x"),
        ("no-change re-run", f"{again:.2f} s ({again / cold:.0%} of cold)"),
        ("re-run after editing one transcript", f"{edit:.1f} s ({edit / cold:.0%} of cold)"),
        ("  the same, by phase (s)", edited_phases),
        ("  of which any such re-run pays: a process loading spaCy", f"{spacy_start:.2f} s ({spacy_start / cold:.0%} of cold)"),
        ("status after one decision edit", f"{status:.2f} s"),
        ("re-run after one decision edit: wall / peak RSS", f"{decided:.2f} s ({decided / cold:.0%} of cold) / {decided_rss:.0f} MB"),
        ("  the same, by phase (s)", decided_phases),
        ("2-codes.yaml / extract store", f"{codes / 1e6:.2f} MB / {store / 1e6:.1f} MB"),
        ("cold run --jobs 1 / --jobs 2", f"{single:.1f} s / {cold:.1f} s ({single / cold:.2f}x faster with 2)"),
    ]


def compile_package() -> None:
    """Write the bytecode of the thematic the runs import, as pip does when it installs a wheel:
    with PYTHONDONTWRITEBYTECODE set (or a fresh checkout), every process would otherwise compile
    the modules changed since, and a short re-run would be timed compiling (~0.1 s)."""
    found = subprocess.run([*THEMATIC[:1], "-c", "import thematic, os; print(os.path.dirname(thematic.__file__))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", found], check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100", help="interview counts, comma-separated")
    parser.add_argument("--words-per-interview", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1,
                        help="time each figure this many times (each on a fresh copy) and show the median")
    args = parser.parse_args()
    compile_package()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip()
    print(f"thematic at {commit}; {os.cpu_count()} cores; generated studies (seed 7), "
          f"{args.words_per_interview:,} words per interview; medians of {args.repeat} runs each")
    for size in (int(s) for s in args.sizes.split(",")):
        root = Path(tempfile.mkdtemp(prefix=f"thematic-scale-{size}-"))
        try:
            words = make_study(root, size, args.words_per_interview)
            print(f"\n{size} interviews")
            for name, value in rows_for(root, words, args.repeat):
                print(f"  {name:50} {value}")
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
