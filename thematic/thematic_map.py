"""The thematic map (themes and their codes) three ways: Mermaid text, an SVG image, a rich tree.

All three are built from theme records ({id, label, codes, ...}); none of them prints.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

MISC_IDS = frozenset({"diverse"})
PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4")
GREY = "#999999"
WIDTH, THEME_W, CODE_X, CODE_W, ROW, GAP, TOP = 960, 300, 420, 520, 24, 18, 76


def _node(text: str) -> str:
    return text.replace("-", "_")


def mermaid_map(themes: list[dict], labels: dict[str, str]) -> str:
    """The thematic map as Mermaid text (renders on GitHub/GitLab and in many editors)."""
    lines = ["graph LR"]
    for theme in themes:
        name = theme["label"].replace('"', "#quot;")
        lines.append(f'  {_node(theme["id"])}(["{name}"])')
        for code in theme["codes"]:
            label = labels.get(code, code).replace('"', "#quot;")
            lines.append(f'  {_node(theme["id"])} --- c_{_node(code)}["{label}"]')
    return "\n".join(lines) + "\n"


def _theme_block(theme: dict, y: int, colour: str, labels: dict[str, str], counts: dict[str, int]) -> tuple[list[str], int]:
    """SVG elements of one theme box, its code boxes and the links between them; returns the new y."""
    codes = list(theme["codes"])
    wrapped = textwrap.wrap(theme["label"], 32) or [theme["id"]]
    box_h = 22 + 17 * len(wrapped)
    block_h = max(box_h, ROW * len(codes))
    box_y = y + (block_h - box_h) // 2
    mid = box_y + box_h // 2
    centrality = (theme.get("evidence") or {}).get("centrality") or {}
    top = max(list(centrality.values()) + [0.0]) or 1.0
    out = [f'<rect x="20" y="{box_y}" width="{THEME_W}" height="{box_h}" rx="10" fill="{colour}" fill-opacity="0.15" stroke="{colour}" stroke-width="2"/>']
    for n, line in enumerate(wrapped):
        out.append(f'<text x="32" y="{box_y + 20 + 17 * n}" font-size="14" font-weight="bold">{escape(line)}</text>')
    out.append(f'<text x="32" y="{box_y + box_h - 7}" font-size="10" fill="#555555">{escape(theme["id"])} · {len(codes)} koder</text>')
    for n, code in enumerate(codes):
        cy = y + (block_h - ROW * len(codes)) // 2 + ROW * n + ROW // 2
        width = 1 + round(4 * centrality.get(code, 0.0) / top, 2)
        out.append(f'<path d="M {20 + THEME_W} {mid} C {CODE_X - 50} {mid}, {CODE_X - 50} {cy}, {CODE_X} {cy}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-opacity="0.7"/>')
        out.append(f'<rect x="{CODE_X}" y="{cy - 10}" width="{CODE_W}" height="20" rx="4" fill="#ffffff" stroke="{colour}"/>')
        text = f"{labels.get(code, code)} ({counts.get(code, 0)})"
        out.append(f'<text x="{CODE_X + 8}" y="{cy + 4}" font-size="12">{escape(text)}</text>')
    return out, y + block_h + GAP


def svg_map(title: str, subtitle: str, themes: list[dict], labels: dict[str, str], counts: dict[str, int]) -> str:
    """A standalone SVG: each theme beside its codes (extract counts in brackets); thicker links
    for codes more central to their theme. Plain text, same input -> same bytes."""
    body: list[str] = []
    y = TOP
    for n, theme in enumerate(themes):
        colour = GREY if theme["id"] in MISC_IDS else PALETTE[n % len(PALETTE)]
        elements, y = _theme_block(theme, y, colour, labels, counts)
        body += elements
    height = y + 10
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{escape(title)}: {escape(subtitle)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="20" y="32" font-size="18" font-weight="bold">{escape(title)}</text>',
        f'<text x="20" y="54" font-size="12" fill="#555555">{escape(textwrap.shorten(subtitle, 130))}</text>',
    ]
    return "\n".join(head + body + ["</svg>"]) + "\n"


def tree(data: dict[str, Any], title: str) -> Any:
    """A rich Tree of a candidate-themes artefact: theme, then its codes, central first."""
    from rich.markup import escape as markup
    from rich.tree import Tree

    root = Tree(f"[bold]{markup(title)}[/]")
    for theme in data.get("themes", []):
        evidence = theme.get("evidence") or {}
        prev = theme.get("prevalence") or {}
        style = "dim" if theme["id"] in MISC_IDS else "bold"
        node = root.add(f"[{style}]{markup(theme['label'])}[/] [cyan]{markup(theme['id'])}[/]  "
                        f"participants {prev.get('participants', '?')}, cohesion {evidence.get('cohesion')}, "
                        f"stability {evidence.get('stability')}")
        moved = set(theme.get("moved_in") or [])
        for code in theme.get("codes", []):
            mark = "  [yellow](moved by you)[/]" if code in moved else ""
            node.add(f"{markup(code)}  centrality {(evidence.get('centrality') or {}).get(code, '-')}{mark}")
    return root



def candidate_map(project: Any) -> tuple[Any, Path]:
    """The rich tree of a study's 3-candidate-themes.yaml and the path of its SVG map."""
    from thematic.artefacts import load_artefact
    from thematic.errors import ThematicError
    from thematic.phases import BY_NAME

    spec = BY_NAME["themes"]
    path = project.analysis_dir / spec.artefact
    if not path.is_file():
        raise ThematicError(f"{path}: missing", fix=f"thematic themes {project.root}")
    loaded = load_artefact(path, spec.schema)
    spec.impl.validate(loaded)
    image = project.analysis_dir / str(loaded.data.get("map_image") or "3-thematic-map.svg")
    return tree(loaded.data, f"Tematisk kart ({path.name})"), image
