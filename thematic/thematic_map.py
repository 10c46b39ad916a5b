"""The thematic map (themes and their codes) three ways: Mermaid text, an SVG image, a rich tree.

All three are built from theme records ({id, label, codes, ...}); none of them prints. The image
is a layout of shapes first, so the SVG and the report's picture (thematic.writeup.picture) are
drawn from the same boxes.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path
from typing import Any, Callable

MISC_IDS = frozenset({"diverse"})
PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4")
GREY = "#999999"
WIDTH, THEME_W, CODE_X, CODE_W, ROW, GAP, TOP = 960, 300, 420, 520, 24, 18, 76


def escape(text: str) -> str:
    """Text for SVG: &, < and > escaped as xml.sax.saxutils does, without importing urllib with it."""
    return html_escape(text, quote=False)


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


@dataclass(frozen=True)
class Rect:
    """A box of the map; attributes left None are not drawn (SVG: not written)."""

    x: int
    y: int
    width: int
    height: int
    fill: str
    rx: int | None = None
    fill_opacity: float | None = None
    stroke: str | None = None
    stroke_width: int | None = None

    def svg(self) -> str:
        extra = "".join(f' {name}="{value}"' for name, value in (
            ("fill-opacity", self.fill_opacity), ("stroke", self.stroke), ("stroke-width", self.stroke_width))
            if value is not None)
        rx = f' rx="{self.rx}"' if self.rx is not None else ""
        return f'<rect x="{self.x}" y="{self.y}" width="{self.width}" height="{self.height}"{rx} fill="{self.fill}"{extra}/>'


@dataclass(frozen=True)
class Label:
    """A line of text; y is its baseline."""

    x: int
    y: int
    text: str
    size: int
    bold: bool = False
    fill: str | None = None

    def svg(self) -> str:
        weight = ' font-weight="bold"' if self.bold else ""
        fill = f' fill="{self.fill}"' if self.fill else ""
        return f'<text x="{self.x}" y="{self.y}" font-size="{self.size}"{weight}{fill}>{escape(self.text)}</text>'


@dataclass(frozen=True)
class Link:
    """A cubic curve from a theme to one of its codes: start, two control points, end."""

    points: tuple[tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int]]
    colour: str
    width: float
    opacity: float = 0.7

    def svg(self) -> str:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self.points
        return (f'<path d="M {x0} {y0} C {x1} {y1}, {x2} {y2}, {x3} {y3}" fill="none" stroke="{self.colour}" '
                f'stroke-width="{self.width}" stroke-opacity="{self.opacity}"/>')


@dataclass(frozen=True)
class MapLayout:
    """Where everything of the map goes: drawn as SVG here, as a picture by thematic.writeup.picture."""

    width: int
    height: int
    title: str
    subtitle: str
    shapes: list[Rect | Label | Link]


def _theme_block(theme: dict, y: int, colour: str, labels: dict[str, str], counts: dict[str, int],
                 count_text: Callable[[int], str]) -> tuple[list[Rect | Label | Link], int]:
    """The shapes of one theme box, its code boxes and the links between them; returns the new y."""
    codes = list(theme["codes"])
    wrapped = textwrap.wrap(theme["label"], 32) or [theme["id"]]
    box_h = 22 + 17 * len(wrapped)
    block_h = max(box_h, ROW * len(codes))
    box_y = y + (block_h - box_h) // 2
    mid = box_y + box_h // 2
    centrality = (theme.get("evidence") or {}).get("centrality") or {}
    top = max(list(centrality.values()) + [0.0]) or 1.0
    out: list[Rect | Label | Link] = [Rect(20, box_y, THEME_W, box_h, colour, 10, 0.15, colour, 2)]
    out += [Label(32, box_y + 20 + 17 * n, line, 14, bold=True) for n, line in enumerate(wrapped)]
    out.append(Label(32, box_y + box_h - 7, f"{theme['id']} · {count_text(len(codes))}", 10, fill="#555555"))
    for n, code in enumerate(codes):
        cy = y + (block_h - ROW * len(codes)) // 2 + ROW * n + ROW // 2
        width = 1 + round(4 * centrality.get(code, 0.0) / top, 2)
        out.append(Link(((20 + THEME_W, mid), (CODE_X - 50, mid), (CODE_X - 50, cy), (CODE_X, cy)), colour, width))
        out.append(Rect(CODE_X, cy - 10, CODE_W, 20, "#ffffff", 4, stroke=colour))
        out.append(Label(CODE_X + 8, cy + 4, f"{labels.get(code, code)} ({counts.get(code, 0)})", 12))
    return out, y + block_h + GAP


def theme_colour(n: int, theme_id: str) -> str:
    """The colour of the n-th theme (0-based) in the map, and in the reports beside it."""
    return GREY if theme_id in MISC_IDS else PALETTE[n % len(PALETTE)]


def map_layout(title: str, subtitle: str, themes: list[dict], labels: dict[str, str], counts: dict[str, int],
               count_text: Callable[[int], str] = lambda n: f"{n} koder", titled: bool = True) -> MapLayout:
    """Each theme beside its codes (extract counts in brackets); thicker links for codes more
    central to their theme. Untitled, the title is only the image's name (a report's caption
    says the rest)."""
    body: list[Rect | Label | Link] = []
    y = TOP if titled else GAP
    for n, theme in enumerate(themes):
        shapes, y = _theme_block(theme, y, theme_colour(n, theme["id"]), labels, counts, count_text)
        body += shapes
    height = y + 10
    head: list[Rect | Label | Link] = [Rect(0, 0, WIDTH, height, "#ffffff")]
    if titled:
        head += [Label(20, 32, title, 18, bold=True), Label(20, 54, textwrap.shorten(subtitle, 130), 12, fill="#555555")]
    return MapLayout(WIDTH, height, title, subtitle, head + body)


def svg_text(layout: MapLayout, standalone: bool = True) -> str:
    """The layout as SVG text, same layout -> same bytes; inline (standalone=False) it has no XML
    declaration and no namespace URL, as HTML5 needs neither."""
    xmlns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    head = ['<?xml version="1.0" encoding="UTF-8"?>'] if standalone else []
    head += [
        f'<svg{xmlns} width="{layout.width}" height="{layout.height}" viewBox="0 0 {layout.width} {layout.height}" '
        'font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{escape(layout.title)}: {escape(layout.subtitle)}</title>",
    ]
    return "\n".join(head + [shape.svg() for shape in layout.shapes] + ["</svg>"]) + "\n"


def svg_map(title: str, subtitle: str, themes: list[dict], labels: dict[str, str], counts: dict[str, int]) -> str:
    """A standalone SVG of the map (phase 3's 3-thematic-map.svg). Plain text, same input -> same bytes."""
    return svg_text(map_layout(title, subtitle, themes, labels, counts))


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
