"""thematic review-codes: one code at a time, one key per decision, each written at once.

The screen is plain text that wraps to the terminal's width (80 columns and ssh are fine); keys
are read one at a time where the terminal allows it (termios), else as lines. Code ids complete
with Tab at the merge prompt (readline).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, Callable, Optional

import typer
from rich.text import Text

from thematic.cli._util import HERE, Study, app, fail, failing, out, report
from thematic.errors import ThematicError

if TYPE_CHECKING:
    from thematic.code_review import CodeReview, InTurn

KEYS = "a accept  r reject  n rename  m merge  s skip  u undo  q quit  ? help"
HELP = ("a: accept (it counts)   r: reject (it and its extracts leave)   n: rename (type the new name)\n"
        "m: merge into another code (Tab completes ids)   s: skip   u: undo the last step   q: quit\n"
        "Every decision is in 2-codes.yaml (with --coder, the coder's file) as soon as you press the key; quitting loses nothing.")


@app.command("review-codes")
def review_codes(
    study: Study = HERE,
    every: Annotated[bool, typer.Option("--all", help="Every code, not only the undecided suggestions.")] = False,
    decision: Annotated[Optional[str], typer.Option("--decision", help="Only codes with this decision (accepted, rejected, pending, renamed, merged).")] = None,
    match: Annotated[Optional[str], typer.Option("--match", help="Only code ids matching a glob, e.g. 'arbeids*'.")] = None,
    sort: Annotated[str, typer.Option("--sort", help="score (best first), id, extracts, participants or decision.")] = "score",
    coder: Annotated[Optional[str], typer.Option("--coder", help="Review as this coder, in analysis/2-codes.NAME.yaml (codebook and coding-reliability studies; 2-codes.yaml is not touched).")] = None,
) -> None:
    """Review the suggested codes one at a time: evidence, forms, three extracts in their turn.

    Example: thematic review-codes studie/
    """
    if not sys.stdin.isatty():
        fail(ThematicError("review-codes asks about one code at a time and needs a terminal, and stdin is not one",
                           fix=f"in a script, use thematic codes accept|reject|rename|merge {study} ..."))
    from thematic.code_review import CodeReview

    with failing():
        review = CodeReview(study, None if every else decision or "suggested", match, sort, coder)
    if not review.queue:
        say("no codes to review with this filter")
        return
    say(f"{len(review.queue)} codes to review; {KEYS}")
    try:
        _loop(review)
    except (KeyboardInterrupt, EOFError):
        say("")
    report(review.finish(), study)


def say(text: str) -> None:
    """A line of the review, wrapped to the terminal's width (80 columns stay 80)."""
    out.print(Text(text))


def _loop(review: CodeReview) -> None:
    while review.code is not None:
        _show(review)
        key = _key("> ")
        if key in ("q", "\x04", "\x1b"):
            return
        try:
            _act(review, key)
        except ThematicError as exc:
            out.print(Text(f"not done: {exc}", style="red"))


def _act(review: CodeReview, key: str) -> None:
    actions: dict[str, Callable[[], object]] = {
        "a": lambda: review.decide("accepted"), "r": lambda: review.decide("rejected"),
        "n": lambda: _rename(review), "m": lambda: _merge(review), "s": review.skip,
        "u": lambda: review.undo() or "nothing to undo",
    }
    if key in actions:
        said = actions[key]()
        if isinstance(said, str):
            say(said)
    else:
        say(HELP)


def _rename(review: CodeReview) -> str | None:
    name = _line(f"new name for {review.code['id']}: ").strip()
    return review.decide(f"renamed:{name}") if name else None


def _merge(review: CodeReview) -> str | None:
    target = _line(f"merge {review.code['id']} into (Tab completes): ", review.code_ids).strip()
    return review.decide(f"merged:{target}") if target else None


def _show(review: CodeReview) -> None:
    code = review.code
    evidence = code.get("evidence") or {}
    out.print()
    origin = "" if code.get("origin") == "suggested" else f"  ({code.get('origin', 'manual')} code)"
    out.print(Text.assemble((f"[{review.position + 1}/{len(review.queue)}] ", "dim"), (code["id"], "bold"),
                            f"  {code.get('decision', 'pending')}{origin}"))
    facts = [f"{k} {evidence[k]}" for k in ("score", "keyness", "frequency", "extracts", "participants", "items") if k in evidence]
    say("evidence: " + ", ".join(facts))
    say("forms: " + ", ".join(str(f) for f in evidence.get("forms") or []))
    for shown in review.shown(code):
        out.print(Text(shown.where, style="dim"))
        out.print(_marked(shown))


def _marked(shown: InTurn) -> Text:
    """The turn around the extract; the extract underlined, the code's forms in reverse video."""
    text = Text("  " + shown.before + shown.extract + shown.after)
    start = 2 + len(shown.before)
    text.stylize("underline", start, start + len(shown.extract))
    for a, b in shown.matches:
        text.stylize("bold reverse", 2 + a, 2 + b)
    return text


def _key(prompt: str) -> str:
    """One key press (no Enter needed) on a terminal; a line's first character elsewhere."""
    out.print(prompt, end="")
    out.file.flush()
    try:
        import termios
        import tty
    except ImportError:  # Windows: a line at a time
        return input()[:1]
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        key = os.read(fd, 8).decode("utf-8", errors="ignore")[:1]
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    say(key if key.isprintable() else "")
    return key


def _line(prompt: str, completions: list[str] | None = None) -> str:
    """A line of input; with completions, Tab completes them (readline, where Python has it)."""
    try:
        import readline
    except ImportError:
        return input(prompt)
    readline.set_completer(lambda text, n: ([c for c in completions or [] if c.startswith(text)] + [None])[n])
    readline.set_completer_delims(" \t")
    readline.parse_and_bind("bind ^I rl_complete" if "libedit" in (readline.__doc__ or "") else "tab: complete")
    try:
        return input(prompt)
    finally:
        readline.set_completer(None)
