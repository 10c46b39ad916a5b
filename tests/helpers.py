"""Small helpers the end-to-end tests share: run the CLI, read an artefact."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from thematic.cli import app

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "arbeidsinkludering"
runner = CliRunner()


def invoke(*args: object):
    """`thematic ARGS...` in-process, as a user would type it."""
    return runner.invoke(app, [str(a) for a in args])


def load(study: Path, name: str) -> dict:
    """An artefact of the study's analysis folder, parsed."""
    return yaml.safe_load((study / "analysis" / name).read_text(encoding="utf-8"))


def ok(*args: object) -> str:
    """A command that must succeed; its output."""
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result.output


def fails(*args: object) -> str:
    """A command that must fail with our one-line error; its output on one line."""
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    return " ".join(result.output.split())


def items_done_afresh(monkeypatch: Any, module: Any, name: str) -> Counter:
    """A Counter of the item ids `module.name(doc, ...)` is called for: which items a per-item
    cache did not serve."""
    calls: Counter = Counter()
    real = getattr(module, name)

    def spy(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls[doc.id] += 1
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


MODULES_PROBE = """
import json, sys
from thematic.cli import app  # main() itself leaves through os._exit
sys.argv = ["thematic", *sys.argv[1:]]
try:
    app()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def modules_loaded_by(*args: str) -> list[str]:
    """Every module a fresh process (stderr not a terminal) imported to run `thematic ARGS`, sorted."""
    done = subprocess.run([sys.executable, "-c", MODULES_PROBE, *args], capture_output=True, text=True, timeout=300)
    return json.loads(done.stderr.strip().splitlines()[-1])
