"""The thematic map as a PNG picture, for the Word report (Word needs a picture; SVG only as an
extra on top of one).

Drawn with Pillow from the very layout the SVG is written from (thematic.thematic_map), with
DejaVu Sans shipped in fonts/ (cut down to Latin letters, æøå and Sami letters included): the
same letters on every machine and no system library to install, where an SVG converter such as
cairosvg needs libcairo. Drawn at twice the size and scaled down, so curves and edges are smooth.
Same layout and Pillow, same bytes.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from thematic.errors import ThematicError
from thematic.thematic_map import Label, Link, MapLayout, Rect

FONTS = Path(__file__).parent / "fonts"
SCALE = 2  # picture pixels per SVG unit: a 960-unit map is 1920 pixels wide
SUPER = 2  # drawn SUPER times larger still, then scaled down (anti-aliasing)
DPI = 192  # so Word shows it at 10 inches wide before the report sets its width
STEPS = 48  # points along each link curve
COMPRESS = 3  # zlib level: 6 (the default) takes about 40 % longer for a file 6 % smaller


def png(layout: MapLayout) -> bytes:
    try:
        from PIL import Image, ImageDraw
    except ImportError:  # a dependency; only a broken install lacks it
        raise ThematicError("the Word report draws its map with Pillow, which is not installed",
                            fix="pip install pillow") from None
    k = SCALE * SUPER
    image = Image.new("RGB", (layout.width * k, layout.height * k), "#ffffff")
    draw = ImageDraw.Draw(image)
    for shape in layout.shapes:
        if isinstance(shape, Rect):
            _rect(draw, shape, k)
        elif isinstance(shape, Link):
            _link(draw, shape, k)
        else:
            _label(draw, shape, k)
    small = image.reduce(SUPER)  # each picture pixel the mean of SUPER x SUPER drawn ones
    out = io.BytesIO()
    small.save(out, "PNG", dpi=(DPI, DPI), compress_level=COMPRESS)
    return out.getvalue()


def _blend(colour: str, opacity: float | None) -> tuple[int, int, int]:
    """A colour at this opacity over the white page."""
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    o = 1.0 if opacity is None else opacity
    return tuple(round(c * o + 255 * (1 - o)) for c in rgb)  # type: ignore[return-value]


def _rect(draw: Any, r: Rect, k: int) -> None:
    box = (r.x * k, r.y * k, (r.x + r.width) * k, (r.y + r.height) * k)
    outline = _blend(r.stroke, None) if r.stroke else None
    width = round((r.stroke_width or 1) * k) if r.stroke else 0
    draw.rounded_rectangle(box, radius=(r.rx or 0) * k, fill=_blend(r.fill, r.fill_opacity), outline=outline, width=width)


def _link(draw: Any, link: Link, k: int) -> None:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = link.points
    points = []
    for step in range(STEPS + 1):
        t = step / STEPS
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
        points.append(((a * x0 + b * x1 + c * x2 + d * x3) * k, (a * y0 + b * y1 + c * y2 + d * y3) * k))
    draw.line(points, fill=_blend(link.colour, link.opacity), width=max(1, round(link.width * k)), joint="curve")


def _label(draw: Any, label: Label, k: int) -> None:
    draw.text((label.x * k, label.y * k), label.text, font=_font(label.bold, label.size * k),
              fill=_blend(label.fill or "#000000", None), anchor="ls")


@lru_cache(maxsize=16)
def _font(bold: bool, size: int) -> Any:
    """The shipped DejaVu Sans; the system's when the package was installed without its fonts."""
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for candidate in (str(FONTS / name), name):
        try:
            return ImageFont.truetype(candidate, size)
        except OSError:
            continue
    return ImageFont.load_default(size)
