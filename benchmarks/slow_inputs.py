"""Inputs that were once slow to read: a Word file of many paragraphs and a plain-text
transcript of many speakers who each speak twice. Checks that reading them stays linear.

    python benchmarks/slow_inputs.py [--paragraphs 100000] [--speakers 10000]

Prints one table: CPU seconds (user + system, so a busy machine skews them less than the clock)
for thematic.corpus.read_document and for `thematic familiarise` on a study holding only that
file (a fresh process, so the spaCy load is included), at half and full size; a ratio near 2
between the two sizes means linear.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from office_files import docx_paragraphs  # noqa: E402

from thematic.corpus import read_document  # noqa: E402

LABELS = {"Intervjuer"}


def many_paragraphs(n: int) -> bytes:
    """A .docx interview of n paragraphs, interviewer and mentor taking turns."""
    return docx_paragraphs(*(f"Intervjuer: Hva skjedde i uke {i}?" if i % 2 == 0 else
                             f"Mentor: I uke {i} jobbet vi med tilpasning og tid på arbeidsplassen."
                             for i in range(n)))


def many_speakers(n: int) -> bytes:
    """A .txt group interview of n speakers ("Person 1", "Deltaker 2", ...), each speaking twice."""
    turns = [f"{'Person' if i % 2 else 'Deltaker'} {i}: Runde {r}, jeg tenker på arbeid og tid."
             for r in range(2) for i in range(n)]
    return ("\n\n".join(turns) + "\n").encode("utf-8")


def seconds(fn) -> float:  # type: ignore[no-untyped-def]
    """CPU seconds of fn in this process."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def child_seconds(command: list[str], env: dict[str, str]) -> float:
    """CPU seconds of a child process run to its end."""
    def spent() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime
    start = spent()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return spent() - start


def familiarise(folder: Path, name: str, data: bytes) -> float:
    """`thematic familiarise` on a study of this one file, timed from outside."""
    study = folder / f"study-{name}"
    (study / "interviews").mkdir(parents=True)
    (study / "interviews" / name).write_bytes(data)
    (study / "thematic.yaml").write_text("title: Slow inputs\n", encoding="utf-8")
    command = [sys.executable, "-m", "thematic", "familiarise", str(study)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's thematic, as imported above
    return child_seconds(command, env)


def row(folder: Path, what: str, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    read = seconds(lambda: read_document(path, LABELS))
    return f"| {what:<28} | {read:>8.2f} | {familiarise(folder, name, data):>13.2f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--speakers", type=int, default=10_000)
    args = parser.parse_args()
    print(f"| {'input':<28} | {'read s':>8} | {'familiarise s':>13} |")
    print(f"|{'-' * 30}|{'-' * 9}:|{'-' * 14}:|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for part in (2, 1):
            n, k = args.paragraphs // part, args.speakers // part
            print(row(folder, f".docx, {n} paragraphs", f"paragraphs-{n}.docx", many_paragraphs(n)))
            print(row(folder, f".txt, {k} speakers x 2", f"speakers-{k}.txt", many_speakers(k)))


if __name__ == "__main__":
    main()
