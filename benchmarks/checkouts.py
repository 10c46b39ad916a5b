"""What the benchmarks that compare source trees share: their options, and repeats that measure
every checkout in turn, so a busy machine weighs on all alike (decision_phases, review_steps,
phase2_time, overhead)."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any, Callable


def parsed(description: str, child: Callable[[Path], Any] | None = None) -> argparse.Namespace | None:
    """--study, --checkout (repeatable), --repeat; with `child`, a hidden --child STUDY mode that
    prints child(STUDY) as JSON (the measuring process) and gives None."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--study", type=Path, required=child is None)
    parser.add_argument("--checkout", type=Path, action="append", help="a source tree to measure (default: this one)")
    parser.add_argument("--repeat", type=int, default=3)
    if child is not None:
        parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if getattr(args, "child", None):
        print(json.dumps(child(args.child)))
        return None
    if not args.study:
        parser.error("--study: an analysed study is needed")
    return args


def interleaved(args: argparse.Namespace, one_repeat: Callable[[Path, Path | None, Path], Any]) -> dict[str, list]:
    """checkout name -> what one_repeat(study, checkout, scratch folder) gave, repeat by repeat."""
    checkouts = args.checkout or [None]
    runs: dict[str, list] = {str(c or "this tree"): [] for c in checkouts}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            for checkout in checkouts:
                runs[str(checkout or "this tree")].append(one_repeat(args.study.resolve(), checkout, Path(tmp)))
    return runs


def decided_twice(study: Path, checkout: Path | None, root: Path, script: str) -> Any:
    """On a copy of the study: one suggestion accepted and run (untimed: a study made by another
    version gets this one's caches), then the next accepted and `script --child COPY` run with
    that checkout's thematic (from `root`, not a source tree: PYTHONPATH decides); its JSON."""
    import os
    import shutil
    import subprocess
    import sys

    from scale import accept_first_suggestion

    copy = root / "study"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(study, copy)
    env = {**os.environ, **({"PYTHONPATH": str(checkout)} if checkout else {})}
    accept_first_suggestion(copy)
    subprocess.run([sys.executable, "-m", "thematic", "run", str(copy)], env=env, check=True, stdout=subprocess.DEVNULL, cwd=root)
    accept_first_suggestion(copy)
    out = subprocess.run([sys.executable, script, "--child", str(copy)], env=env, check=True,
                         capture_output=True, text=True, cwd=root)
    return json.loads(out.stdout)
