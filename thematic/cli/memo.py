"""thematic memo: the reflexive journal and memos on items, codes and themes (STUDY/memos.yaml).

`thematic memo STUDY -m "..."` adds a dated memo (without -m, $EDITOR opens for it); `thematic
memo list STUDY` lists them. Thin wrappers over thematic.memos.
"""

from __future__ import annotations

from typing import Annotated, Optional

import click
import typer
from typer.core import TyperGroup

from thematic.cli._util import Json, Quiet, Study, emit_json, fail, failing, group, out, say, table
from thematic.errors import ThematicError

ADD = "add"
Item = Annotated[Optional[str], typer.Option("--item", help="The memo is about this item.")]
Code = Annotated[Optional[str], typer.Option("--code", help="The memo is about this code.")]
Theme = Annotated[Optional[str], typer.Option("--theme", help="The memo is about this theme.")]


class AddOrList(TyperGroup):
    """`thematic memo STUDY ...` adds a memo; `thematic memo list STUDY` lists them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        positional = [a for a in args if not a.startswith("-")]
        asks_help = not positional and any(a in ("--help", "-h") for a in args)
        if not asks_help and not (positional and positional[0] in self.commands):
            args = [ADD, *args]
        return super().parse_args(ctx, args)


memo = group("memo", "Your memos and reflexive journal, dated, in STUDY/memos.yaml (the report's appendix).\n\n"
                     "Example: thematic memo studie/ -m \"Jeg merker at jeg leter etter tidspress.\"\n"
                     "         thematic memo list studie/ --code tidspress", cls=AddOrList)


def _about(item: str | None, code: str | None, theme: str | None) -> tuple[str, str | None]:
    given = [(k, v) for k, v in (("item", item), ("code", code), ("theme", theme)) if v]
    if len(given) > 1:
        fail(ThematicError("memo: a memo is about one thing; give one of --item, --code, --theme"))
    return given[0] if given else ("study", None)


@memo.command(ADD)
def add(
    study: Study,
    message: Annotated[Optional[str], typer.Option("--message", "-m", help="The memo's text (without it, $EDITOR opens).")] = None,
    item: Item = None, code: Code = None, theme: Theme = None,
    quiet: Quiet = False,
) -> None:
    """Add a dated memo: about the study (the reflexive journal), or an item, code or theme.

    Example: thematic memo studie/ --code tidspress -m "Tidspress er kanskje min egen forforståelse."
    """
    from thematic.memos import append_memo, check_target, new_memo
    from thematic.project import load_project

    about, target = _about(item, code, theme)
    with failing():
        project = load_project(study)
        if target is not None:
            check_target(project, about, target)
    text = message if message is not None else click.edit("\n# Skriv memoet over. Linjer som starter med # tas ikke med.\n")
    text = "\n".join(line for line in (text or "").splitlines() if not line.startswith("#")) if message is None else text
    with failing():
        memo_ = new_memo(text or "", about, target)
        path = append_memo(project, memo_)
    if not quiet:
        say(f"{path}: added a memo dated {memo_.date}" + (f" about {about} {target}" if target else ""))


@memo.command("list")
def list_(study: Study, item: Item = None, code: Code = None, theme: Theme = None,
          as_json: Json = False) -> None:
    """Every memo, in the file's order (or those about one item, code or theme).

    Example: thematic memo list studie/ --code tidspress
    """
    from thematic.memos import memos_about, read_memos
    from thematic.project import load_project

    about, target = _about(item, code, theme)
    with failing():
        memos = read_memos(load_project(study))
    chosen = memos_about(memos, None if about == "study" else about, target)
    if as_json:
        emit_json({"memos": [m.as_dict() for m in chosen]})
        return
    grid = table(f"thematic memo list {study}: {len(chosen)} memos", "date", "about", "text")
    for m in chosen:
        grid.add_row(m.date, m.about + (f" {m.target}" if m.target else ""), m.text)
    out.print(grid)
