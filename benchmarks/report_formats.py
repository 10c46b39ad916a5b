"""How long `thematic report` takes per format on a large study, and how big each file is.

    python benchmarks/report_formats.py [--study PATH] [--interviews 100] [--words-per-interview 10000] [--repeat 3]

With --study, a copy of that study is used (e.g. /work/bench/study-1m-pristine); else a study is
generated as benchmarks/scale.py makes it. It is brought up to date with `thematic run` (not
timed); then each command runs in its own process (wall time, median of --repeat: what a user
waits for, Python's start-up and the check that phases 1-5 are fresh included):

    md    thematic report STUDY --force          phase 6 itself: verify quotes, count, write 6-report.md
    html  thematic report STUDY --format html    phase 6 fresh: the saved Report as one HTML file
    docx  thematic report STUDY --format docx    the same as Word, the map drawn as a picture

The last column times html and docx once more without the Report phase 6 saves (it is then
built again from the artefacts and the corpus, as after an upgrade).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from query import own_process  # noqa: E402
from scale import make_study  # noqa: E402

THEMATIC = [sys.executable, "-m", "thematic"]
MODEL = Path("analysis") / ".thematic" / "report-model.json"


timed = own_process


def words_of(study: Path) -> int:
    import yaml

    summary = yaml.safe_load((study / "analysis" / "1-familiarisation.yaml").read_text(encoding="utf-8"))["summary"]
    return int(summary["informant_words"]) + int(summary["interviewer_words"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path)
    parser.add_argument("--interviews", type=int, default=100)
    parser.add_argument("--words-per-interview", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip()
    root = Path(tempfile.mkdtemp(prefix="thematic-report-")) / "study"
    try:
        if args.study:
            shutil.copytree(args.study, root)
        else:
            root.mkdir(parents=True)
            make_study(root, args.interviews, args.words_per_interview)
        subprocess.run([*THEMATIC, "run", str(root)], check=True, stdout=subprocess.DEVNULL)
        items = len(list((root / "interviews").iterdir()))
        print(f"thematic at {commit}; {os.cpu_count()} cores; {words_of(root):,} words in {items} interviews "
              f"({args.study or 'generated, seed 7'}); own process, median of {args.repeat}\n")
        print(f"{'format':6} {'seconds':>8} {'size':>9}   {'without the saved Report':>24}")
        drop = lambda: (root / MODEL).unlink(missing_ok=True)  # noqa: E731
        for fmt, command in (("md", ["report", str(root), "--force"]),
                             ("html", ["report", str(root), "--format", "html"]),
                             ("docx", ["report", str(root), "--format", "docx"])):
            seconds = timed(command, args.repeat)
            size = (root / "analysis" / f"6-report.{fmt}").stat().st_size
            rebuilt = f"{timed(command, 1, drop):>22.2f} s" if fmt != "md" else f"{'-':>24}"
            subprocess.run([*THEMATIC, "report", str(root), "--force"], check=True, stdout=subprocess.DEVNULL)
            print(f"{fmt:6} {seconds:>6.2f} s {size / 1024:>6.0f} KB   {rebuilt}")
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
