"""thematic find, show and stats: search and read the data, and count it, from phase 2's index.

Thin wrappers over thematic.query and thematic.stats. Plain lines that wrap to the terminal (80
columns are fine), wide tables split into column blocks; --json prints the same data for
scripts (the numbers the tables show), --quiet leaves out titles, counts and warnings.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, List, Optional

import typer

from thematic.cli._util import Json, Quiet, Study, app, emit_json, failing, group, out, say, warn

if TYPE_CHECKING:
    from thematic.query import Found, Hit, Shown, Showing, ShownTurn
    from thematic.stats import Stats, Table

Many = Optional[List[str]]


@dataclass(frozen=True)
class Screen:
    """Where the lines go, asked once per command (rich asks the terminal on every call)."""

    width: int
    wraps: bool  # a terminal: wrap long text to its width; a pipe or file gets one line per turn
    styled: bool  # colours allowed: marks in reverse video, else «between guillemets»

    @classmethod
    def now(cls) -> "Screen":
        terminal = out.is_terminal
        return cls(out.width, terminal, terminal and out.color_system is not None)  # NO_COLOR, TERM=dumb: plain

    def mark(self, text: str) -> str:
        """A hit or an extract made visible."""
        return f"\x1b[1;7m{text}\x1b[0m" if self.styled else f"«{text}»"


def _open(study: Path):  # type: ignore[no-untyped-def]
    from thematic.view import open_view

    with failing():
        return open_view(study)


@app.command()
def find(
    study: Study,
    query: Annotated[str, typer.Argument(help="A word (any inflection), a phrase of words, or with --regex a pattern.")],
    regex: Annotated[bool, typer.Option("--regex", help="QUERY is a regular expression over the text (case-insensitive).")] = False,
    compounds: Annotated[bool, typer.Option("--compounds", help="Also compounds ending in the (last) word: arbeidsgiveroppfølging for oppfølging.")] = False,
    item: Annotated[Many, typer.Option("--item", help="Only this item (repeat for more).")] = None,
    participant: Annotated[Many, typer.Option("--participant", help="Only this participant, e.g. gruppe-01/veileder-2 (repeat for more).")] = None,
    speaker: Annotated[Many, typer.Option("--speaker", help="Only turns with this speaker label, e.g. Mentor (repeat for more).")] = None,
    role: Annotated[Optional[str], typer.Option("--role", help="Only participants with this role: in participants.yaml.")] = None,
    where: Annotated[Many, typer.Option("--where", help="Only participants with this attribute in participants.yaml: KEY=VALUE (repeat for more).")] = None,
    interviewer: Annotated[bool, typer.Option("--interviewer", help="Search interviewer turns too.")] = False,
    context: Annotated[int, typer.Option("--context", help="Characters of context either side (inside the turn).")] = 60,
    as_json: Json = False,
    quiet: Quiet = False,
) -> None:
    """Every occurrence of a word by lemma (skreddersøm finds skreddersømmen), in context, with who
    said it, where, and the codes already on it; hits per item and participant at the end.

    Example: thematic find studie/ skreddersøm --role NAV-veileder
    """
    from thematic.query import Filters, find as run_find

    pairs = ([("role", role)] if role else []) + [_pair(w) for w in where or []]
    filters = Filters(tuple(item or ()), tuple(participant or ()), tuple(speaker or ()), tuple(pairs), interviewer)
    view = _open(study)
    with failing():
        found = run_find(view, query, regex, compounds, filters, context)
    if as_json:
        emit_json(_found_json(found, view.warnings))
        return
    lines = []
    if not quiet:
        warn(view.warnings + found.warnings)
        searched = f"regex {query}" if regex else f"lemma {', '.join(found.lemmas) or query.lower()}"
        lines.append(f"thematic find {shlex.quote(str(study))} {shlex.quote(query)} ({searched}): {len(found.hits)} hits")
    screen = Screen.now()
    lines += [line for hit in found.hits for line in _hit_lines(hit, screen)]
    if not quiet and found.hits:
        lines += ["", *_counts("per item", found.per_item, screen), *_counts("per participant", found.per_participant, screen)]
    write(lines)


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        from thematic.cli._util import fail
        from thematic.errors import ThematicError

        fail(ThematicError(f"--where {text!r}: write KEY=VALUE, e.g. --where kontor='NAV Nordby'"))
    return key.strip(), value.strip()


def _found_json(found: Found, warnings: list[str]) -> dict[str, Any]:
    from dataclasses import asdict

    return {"query": found.query, "mode": found.mode, "lemmas": found.lemmas, "total": len(found.hits),
            "hits": [asdict(h) for h in found.hits], "per_item": found.per_item,
            "per_participant": found.per_participant, "warnings": warnings + found.warnings}


def _hit_lines(hit: Hit, screen: Screen) -> list[str]:
    """Where, who and the codes on one line; the words in context, the hit marked, on the next,
    cut to the terminal's width."""
    who = hit.speaker or hit.role
    person = f" ({hit.participant})" if hit.participant and hit.participant != hit.item else ""
    labels = f"  [{', '.join(hit.codes)}]" if hit.codes else ""
    room = max(screen.width - 8 - len(hit.match), 20)
    left = _cut(hit.left[::-1], room // 2)[::-1]
    right = _cut(hit.right, room - len(left))
    return [f"{hit.item}:{hit.line}  {who}{person}{labels}", f"    {left}{screen.mark(hit.match)}{right}"]


def _cut(text: str, room: int) -> str:
    """At most `room` characters, ending between words with … when cut (right context; the left
    one is cut reversed)."""
    if len(text) <= room:
        return text
    kept = text[:room - 1]
    return (kept[:kept.rfind(" ")] if " " in kept.strip() else kept) + "…"


def write(lines: list[str]) -> None:
    """Lines straight to stdout: rich renders a few hundred lines a second, a study has thousands."""
    if lines:
        out.file.write("\n".join(lines) + "\n")
        out.file.flush()


def _counts(title: str, counts: dict[str, int], screen: Screen) -> list[str]:
    """A count per key as wrapped text: compact for 300 participants, readable at 80 columns."""
    import textwrap

    return textwrap.wrap(f"{title} ({len(counts)}): " + ", ".join(f"{k} {v}" for k, v in counts.items()),
                         width=screen.width, subsequent_indent="  ", break_on_hyphens=False)


show = group("show", "Read the data: every extract of a code or theme inside its turn, or an item's turns with their codes.\n\n"
                     "Example: thematic show code studie/ tidspress")


@show.command("code")
def show_code(study: Study, code: Annotated[str, typer.Argument(help="The code id (a renamed or merged code's old id works too).")],
              as_json: Json = False, quiet: Quiet = False) -> None:
    """Every extract of a code, with attribution, inside its turn.

    Example: thematic show code studie/ tidspress
    """
    from thematic.query import show_code as run_show

    view = _open(study)
    with failing():
        _print_showing(run_show(view, code), view.warnings, study, as_json, quiet)


@show.command("theme")
def show_theme(study: Study, theme: Annotated[str, typer.Argument(help="The theme id, e.g. tema-portefolje.")],
               as_json: Json = False, quiet: Quiet = False) -> None:
    """Every extract of a theme's codes, each once, with attribution, inside its turn.

    Example: thematic show theme studie/ tema-portefolje
    """
    from thematic.query import show_theme as run_show

    view = _open(study)
    with failing():
        _print_showing(run_show(view, theme), view.warnings, study, as_json, quiet)


def _print_showing(showing: Showing, warnings: list[str], study: Path, as_json: bool, quiet: bool) -> None:
    if as_json:
        emit_json({"kind": showing.kind, "id": showing.id, "label": showing.label, "codes": list(showing.codes),
                   "extracts": len(showing.extracts), "items": showing.items, "participants": showing.participants,
                   "shown": [_shown_json(s) for s in showing.extracts], "warnings": warnings + showing.warnings})
        return
    lines = []
    if not quiet:
        warn(warnings + [w for w in showing.warnings if w not in warnings])
        lines.append(f"{showing.kind} {showing.id} «{showing.label}»: {len(showing.extracts)} extracts, "
                     f"{showing.participants} participants, {showing.items} items")
    screen = Screen.now()
    for shown in showing.extracts:
        lines += _shown_lines(shown, screen)
    write(lines)


def _shown_json(shown: Shown) -> dict[str, Any]:
    extract = {k: (list(v) if k == "span" else v) for k, v in shown.extract.items()}
    return {"extract": extract, "turn": {"start": shown.turn_start, "line": shown.turn_line, "text": shown.turn_text},
            "codes": list(shown.codes)}


def _shown_lines(shown: Shown, screen: Screen) -> list[str]:
    e = shown.extract
    who = e.get("speaker") or ""
    person = f" ({e['participant']})" if e.get("participant") and e.get("participant") != e["item"] else ""
    start, end = (x - shown.turn_start for x in e["span"])
    return ["", f"{e['item']}:{e.get('line', '?')}  {who}{person}  [{', '.join(shown.codes)}]",
            *_wrapped(shown.turn_text, [(start, end)], screen)]


def _wrapped(text: str, marked: list[tuple[int, int]], screen: Screen) -> list[str]:
    """A turn's text, indented, with the marked spans made visible: wrapped on a terminal, one
    line in a pipe or file (for grep; whatever shows it wraps it)."""
    import textwrap

    pieces, at = [], 0
    for start, end in marked:
        start = max(start, at)
        pieces += [text[at:start], "\x01" + text[start:end] + "\x02"]
        at = max(at, end)
    pieces.append(text[at:])
    flat = " ".join("".join(pieces).split())
    lines = textwrap.wrap(flat, width=max(screen.width - 2, 20), initial_indent="  ", subsequent_indent="  ",
                          break_on_hyphens=False, break_long_words=False) if screen.wraps else ["  " + flat]
    opened, closed = screen.mark("\x00").split("\x00")
    out_lines, inside = [], False
    for line in lines:  # a mark wrapped onto the next line is closed and opened again around the break
        body = ("\x01" if inside else "") + line[2:]
        inside = body.rfind("\x01") > body.rfind("\x02")
        out_lines.append("  " + (body + ("\x02" if inside else "")).replace("\x01", opened).replace("\x02", closed))
    return out_lines


@show.command("item")
def show_item(study: Study, item: Annotated[str, typer.Argument(help="The item id (the file name without extension).")],
              turn: Annotated[Optional[int], typer.Option("--turn", help="Only this turn (its number).")] = None,
              as_json: Json = False, quiet: Quiet = False) -> None:
    """An item's turns (or one), each with its coded extracts underlined and their codes.

    Example: thematic show item studie/ mentor-01 --turn 12
    """
    from thematic.query import show_item as run_show

    view = _open(study)
    with failing():
        turns = run_show(view, item, turn)
    if as_json:
        from dataclasses import asdict

        emit_json({"item": item, "turns": [asdict(t) for t in turns], "warnings": view.warnings})
        return
    if not quiet:
        warn(view.warnings)
    screen = Screen.now()
    write([line for t in turns for line in _turn_lines(t, screen)])


def _turn_lines(turn: ShownTurn, screen: Screen) -> list[str]:
    codes = sorted({c for _, _, cs in turn.coded for c in cs})
    person = f" ({turn.participant})" if turn.participant else ""
    labels = f"  [{', '.join(codes)}]" if codes else ""
    spans = [(s - turn.start, e - turn.start) for s, e, _ in turn.coded]
    return ["", f"turn {turn.index}, line {turn.line}  {turn.speaker or turn.role}{person}{labels}",
            *_wrapped(turn.text, spans, screen)]


@app.command()
def stats(
    study: Study,
    by: Annotated[str, typer.Option("--by", help="participant, or any attribute in participants.yaml (role, kontor ...).")] = "participant",
    csv_dir: Annotated[Optional[Path], typer.Option("--csv", help="Also write each table as DIR/NAME.csv (for R, pandas or Excel).")] = None,
    top: Annotated[int, typer.Option("--top", help="Pairs of codes shown in the terminal (--csv and --json have all).")] = 20,
    as_json: Json = False,
    quiet: Quiet = False,
) -> None:
    """Codes × participants (or --by an attribute), codes × items, codes in the same turn (counts
    and NPMI), themes × participants: counted as phases 3-6 count, decisions applied.

    Example: thematic stats studie/ --by role --csv tabeller/
    """
    from thematic.stats import stats as run_stats, write_csv

    view = _open(study)
    with failing():
        result = run_stats(view, by)
        written = write_csv(result.tables, csv_dir) if csv_dir is not None else []
    if as_json:
        emit_json(result.as_dict())
        return
    if not quiet:
        warn(result.warnings)
        _print_stats(result, top)
        if written:
            say(f"wrote {', '.join(str(p) for p in written)}")


def _print_stats(result: Stats, top: int) -> None:
    lines = ["draft: no code counts yet, so these are the machine's suggestions (accept or reject them)"] if result.draft else []
    for table in result.tables:
        shown = table.rows[:top] if table.name == "code-cooccurrence" else table.rows
        more = f" (top {len(shown)} of {len(table.rows)})" if len(shown) < len(table.rows) else ""
        lines += ["", f"{table.title}{more}", *table_lines(table, shown, out.width)]
    write(lines)


def table_lines(table: Table, rows: list[list[Any]], width: int) -> list[str]:
    """A table as text in column blocks that fit `width`: the columns that name a row repeat in
    each block, a/b headers break after the slash, label and name columns are left to CSV and JSON."""
    keep = [i for i, c in enumerate(table.columns) if c not in ("label", "name")]
    fixed = [i for i in keep if i < table.fixed]
    head = {i: table.columns[i].replace("/", "/\n").split("\n") for i in keep}
    size = {i: max([len(str(r[i])) for r in rows] + [len(p) for p in head[i]]) for i in keep}
    blocks: list[list[int]] = [[]]
    room = width - sum(size[i] + 2 for i in fixed)
    for i in (i for i in keep if i >= table.fixed):
        if blocks[-1] and sum(size[j] + 2 for j in blocks[-1]) + size[i] + 2 > room:
            blocks.append([])
        blocks[-1].append(i)
    lines: list[str] = []
    for n, block in enumerate(blocks):
        cols = fixed + block
        depth = max(len(head[i]) for i in cols)
        cell = lambda i, v: str(v).ljust(size[i]) if i in fixed else str(v).rjust(size[i])  # noqa: E731
        lines += [""] if n else []
        lines += ["  ".join(cell(i, ([""] * depth + head[i])[k - depth]) for i in cols).rstrip() for k in range(depth)]
        lines.append("  ".join("─" * size[i] for i in cols))
        lines += ["  ".join(cell(i, row[i]) for i in cols).rstrip() for row in rows]
    return lines if rows else lines + ["  (none)"]
