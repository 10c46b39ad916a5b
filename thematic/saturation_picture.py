"""The saturation curve as a standalone SVG beside the artefacts: new codes per interview as bars,
the band of random orders behind them, the base and the deciding run marked, the verdict below.

Hand-written like thematic.thematic_map's map (no plotting library): plain text with fixed
decimals, so the same result gives the same bytes. Labels in bokmål, or Nynorsk for a Nynorsk study.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from thematic.thematic_map import escape

if TYPE_CHECKING:
    from thematic.saturation import Saturation

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 960, 540, 70, 930, 96, 396
BAR, BAND, BASE, RUN, GREY = "#1b9e77", "#bbbbbb", "#7570b3", "#d95f02", "#555555"
NBSP = "\u00a0"

WORDS = {
    "nb": {"title": "Nye koder per intervju", "y": "nye koder", "x": "intervju nr. i {order}", "base": "basen",
           "run": "løpet", "bars": "nye koder i {order}", "codes": "{n} intervjuer, {codes} koder som teller", "some": "{n} intervjuer, {found} av {codes} koder som teller finnes i dem",
           "band": "tilfeldige rekkefølger ({runs}, frø {seed}): 10.–90. persentil", "median": "median",
           "draft": "utkast: ingen kode er godtatt ennå, maskinens forslag står i stedet",
           "order": {"order": "innsamlingsrekkefølge (order:)", "date": "innsamlingsrekkefølge (dato)", "file": "filrekkefølge"},
           "rule": "Guest, Namey & Chen (2020): base {base}, løp {run}, høyst {threshold} ny informasjon",
           "reached": "Metning ved intervju {at}: intervju {first}–{last} ga {new} ({ratio} av de {base_codes} kodene i basen).",
           "new": ("ny kode", "nye koder"),
           "not_reached": "Metning ikke nådd: ingen løp på {run} intervjuer ga høyst {threshold} nye koder.",
           "too_few": "Kan ikke vurderes: metoden trenger minst {need} intervjuer, studien har {n}.",
           "empty_base": "Kan ikke vurderes: basen (intervju 1–{base}) har ingen koder som teller.",
           "reflexive": "Kun til informasjon: Braun & Clarke (2021) regner ikke datametning som et kriterium i refleksiv tematisk analyse.",
           "at": "metning ved intervju {at}"},
    "nn": {"title": "Nye kodar per intervju", "y": "nye kodar", "x": "intervju nr. i {order}", "base": "basen",
           "run": "løpet", "bars": "nye kodar i {order}", "codes": "{n} intervju, {codes} kodar som tel", "some": "{n} intervju, {found} av {codes} kodar som tel finst i dei",
           "band": "tilfeldige rekkjefølgjer ({runs}, frø {seed}): 10.–90. persentil", "median": "median",
           "draft": "utkast: ingen kode er godteken enno, forslaga frå maskina står i staden",
           "order": {"order": "innsamlingsrekkjefølgje (order:)", "date": "innsamlingsrekkjefølgje (dato)", "file": "filrekkjefølgje"},
           "rule": "Guest, Namey & Chen (2020): base {base}, løp {run}, høgst {threshold} ny informasjon",
           "reached": "Metting ved intervju {at}: intervju {first}–{last} gav {new} ({ratio} av dei {base_codes} kodane i basen).",
           "new": ("ny kode", "nye kodar"),
           "not_reached": "Metting ikkje nådd: ingen løp på {run} intervju gav høgst {threshold} nye kodar.",
           "too_few": "Kan ikkje vurderast: metoden treng minst {need} intervju, studien har {n}.",
           "empty_base": "Kan ikkje vurderast: basen (intervju 1–{base}) har ingen kodar som tel.",
           "reflexive": "Berre til informasjon: Braun & Clarke (2021) reknar ikkje datametting som eit kriterium i refleksiv tematisk analyse.",
           "at": "metting ved intervju {at}"},
}


def _percent(share: float) -> str:
    return f"{round(share * 100):d}{NBSP}%"


def _f(value: float) -> str:
    """A coordinate with one decimal, the same text on every platform."""
    return f"{value:.1f}"


def _step(top: float) -> int:
    """A tick step (1, 2, 5, 10, 20, ...) giving at most six ticks up to `top`."""
    step = 1
    while top / step > 6:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


class _Frame:
    """Where positions and counts land on the page."""

    def __init__(self, n: int, top: float) -> None:
        self.n = max(n, 1)
        self.step = _step(max(top, 1))
        self.top = -(-max(top, 1) // self.step) * self.step

    def slot(self) -> float:
        return (RIGHT - LEFT) / self.n

    def x(self, position: int) -> float:  # centre of 0-based position
        return LEFT + self.slot() * (position + 0.5)

    def y(self, value: float) -> float:
        return BOTTOM - (BOTTOM - TOP) * value / self.top


def _axes(frame: _Frame, words: dict, order: str, items: list[str]) -> list[str]:
    out = [f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="#333333"/>',
           f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{BOTTOM}" stroke="#333333"/>']
    for value in range(0, int(frame.top) + 1, frame.step):
        y = _f(frame.y(value))
        out.append(f'<line x1="{LEFT}" y1="{y}" x2="{RIGHT}" y2="{y}" stroke="#eeeeee"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y}" font-size="11" text-anchor="end" dominant-baseline="middle">{value}</text>')
    every = max(1, -(-len(items) // 30))
    for k in range(0, len(items), every):
        out.append(f'<text x="{_f(frame.x(k))}" y="{BOTTOM + 16}" font-size="10" text-anchor="middle">{k + 1}</text>')
    out.append(f'<text x="{(LEFT + RIGHT) // 2}" y="{BOTTOM + 36}" font-size="12" text-anchor="middle" fill="{GREY}">'
               f'{escape(words["x"].format(order=words["order"][order]))}</text>')
    out.append(f'<text x="18" y="{(TOP + BOTTOM) // 2}" font-size="12" fill="{GREY}" text-anchor="middle" '
               f'transform="rotate(-90 18 {(TOP + BOTTOM) // 2})">{escape(words["y"])}</text>')
    return out


def _span(frame: _Frame, first: int, last: int, colour: str, label: str) -> list[str]:
    """A shaded stretch over 0-based positions first..last, labelled at its top."""
    x0, x1 = LEFT + frame.slot() * first, LEFT + frame.slot() * (last + 1)
    return [f'<rect x="{_f(x0)}" y="{TOP}" width="{_f(x1 - x0)}" height="{BOTTOM - TOP}" fill="{colour}" fill-opacity="0.10"/>',
            f'<text x="{_f((x0 + x1) / 2)}" y="{TOP - 6}" font-size="11" text-anchor="middle" fill="{colour}">{escape(label)}</text>']


def _marks(result: Saturation, frame: _Frame, words: dict) -> list[str]:
    """The base and the run that met the threshold, and a line after the saturation interview."""
    if result.reflexive or result.verdict.why:
        return []
    out = _span(frame, 0, result.settings["base"] - 1, BASE, words["base"])
    run = result.verdict.deciding
    if run is not None:
        out += _span(frame, run.first - 1, run.last - 1, RUN, words["run"])
        x = _f(LEFT + frame.slot() * (run.first - 1))  # between the saturation interview and the run
        out.append(f'<line x1="{x}" y1="{TOP - 20}" x2="{x}" y2="{BOTTOM}" stroke="{RUN}" stroke-dasharray="5 3"/>')
        out.append(f'<text x="{x}" y="{TOP - 24}" font-size="11" text-anchor="middle" fill="{RUN}">'
                   f'{escape(words["at"].format(at=result.verdict.at))}</text>')
    return out


def _band(result: Saturation, frame: _Frame) -> list[str]:
    if not result.band:
        return []
    xs = [frame.x(k) for k in range(len(result.band))]
    upper = [f"{_f(x)},{_f(frame.y(b.p90))}" for x, b in zip(xs, result.band)]
    lower = [f"{_f(x)},{_f(frame.y(b.p10))}" for x, b in reversed(list(zip(xs, result.band)))]
    median = " ".join(f"{_f(x)},{_f(frame.y(b.median))}" for x, b in zip(xs, result.band))
    return [f'<polygon points="{" ".join(upper + lower)}" fill="{BAND}" fill-opacity="0.45" stroke="none"/>',
            f'<polyline points="{median}" fill="none" stroke="{GREY}" stroke-width="1.5" stroke-dasharray="4 3"/>']


def _bars(result: Saturation, frame: _Frame) -> list[str]:
    width = frame.slot() * 0.6
    return [f'<rect x="{_f(frame.x(k) - width / 2)}" y="{_f(frame.y(n))}" width="{_f(width)}" '
            f'height="{_f(BOTTOM - frame.y(n))}" fill="{BAR}" fill-opacity="0.85"/>' for k, n in enumerate(result.new)]


def _legend(result: Saturation, words: dict) -> list[str]:
    y = BOTTOM + 60
    s = result.settings
    out = [f'<rect x="{LEFT}" y="{y - 9}" width="14" height="10" fill="{BAR}"/>',
           f'<text x="{LEFT + 20}" y="{y}" font-size="11">{escape(words["bars"].format(order=words["order"][result.order]))}</text>']
    if result.band:
        out += [f'<rect x="{LEFT + 300}" y="{y - 9}" width="14" height="10" fill="{BAND}"/>',
                f'<text x="{LEFT + 320}" y="{y}" font-size="11">{escape(words["band"].format(runs=s["runs"], seed=s["seed"]))}</text>',
                f'<line x1="{LEFT + 650}" y1="{y - 4}" x2="{LEFT + 668}" y2="{y - 4}" stroke="{GREY}" stroke-width="1.5" stroke-dasharray="4 3"/>',
                f'<text x="{LEFT + 674}" y="{y}" font-size="11">{escape(words["median"])}</text>']
    return out


def verdict_lines(result: Saturation, words: dict) -> list[str]:
    """The verdict (or the reflexive framing) and the rule it was judged by, in the study's language."""
    if result.reflexive:
        return [words["reflexive"]]
    s, v = result.settings, result.verdict
    rule = words["rule"].format(base=s["base"], run=s["run_length"], threshold=_percent(s["threshold"]))
    if v.why and not v.base_codes and len(result.items) >= s["base"] + s["run_length"]:
        return [words["empty_base"].format(base=s["base"]), rule]
    if v.why:
        return [words["too_few"].format(need=s["base"] + s["run_length"], n=len(result.items)), rule]
    run = v.deciding
    if run is None:
        return [words["not_reached"].format(run=s["run_length"], threshold=_percent(s["threshold"])), rule]
    new = f"{run.new} {words['new'][run.new != 1]}"
    return [words["reached"].format(at=v.at, first=run.first, last=run.last, new=new, ratio=_percent(run.ratio),
                                    base_codes=v.base_codes), rule]


def svg(result: Saturation, title: str, language: str) -> str:
    """The whole picture as SVG text."""
    words = WORDS["nn" if language == "nn" else "nb"]
    frame = _Frame(len(result.items), max(result.new + [b.max for b in result.band] + [1]))
    found = result.totals[-1] if result.items else 0
    counts = words["codes" if found == result.codes else "some"].format(n=len(result.items), found=found, codes=result.codes)
    subtitle = textwrap.shorten(f"{title} · {counts}", 140)
    lines = verdict_lines(result, words) + ([words["draft"][0].upper() + words["draft"][1:] + "."] if result.draft else [])
    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
            'font-family="DejaVu Sans, Arial, sans-serif">',
            f"<title>{escape(words['title'])}: {escape(title)}</title>",
            f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
            f'<text x="20" y="30" font-size="18" font-weight="bold">{escape(words["title"])}</text>',
            f'<text x="20" y="52" font-size="12" fill="{GREY}">{escape(subtitle)}</text>']
    body = (_marks(result, frame, words) + _axes(frame, words, result.order, result.items) + _band(result, frame)
            + _bars(result, frame) + _legend(result, words))
    style = ['font-size="13" font-weight="bold"'] + ['font-size="11"'] * (len(lines) - 1)
    foot = [f'<text x="20" y="{BOTTOM + 92 + 18 * n}" {style[n]}>{escape(line)}</text>' for n, line in enumerate(lines)]
    return "\n".join(head + body + foot + ["</svg>"]) + "\n"
