"""The code-discovery curve: how many codes each interview adds to those already found, in the
order the interviews were collected and over many random orders, with Guest, Namey & Chen's
(2020) saturation verdict where the TA approach gives saturation a meaning.

Codes are the codes that count (every decision applied, as phases 3-6 see them); a code appears
in an interview when it has an extract there. The extract store answers that per code (counted
by SQLite, thematic.view), so neither the transcripts nor the NLP pipeline are read.

Guest, Namey & Chen: the first `base` interviews give the base, the number of distinct codes in
them; a run is the next `run_length` interviews; the new-information ratio of a run is the codes
it adds that no earlier interview had, divided by the base. The run rolls forward one interview
at a time; at the first run whose ratio is at most `threshold`, saturation is reached at the
interview before the run. In reflexive TA, Braun & Clarke (2021) do not treat saturation as a
criterion: the curve is shown as information only and Malterud, Siersma & Guassora's (2016)
information-power dimensions are offered as prompts instead.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from thematic.artefacts import load_yaml, write_atomic
from thematic.errors import ThematicError
from thematic.project import Project

IMAGE = "saturation.svg"
ORDER_KEYS = {"order": ("order", "rekkefølge"), "date": ("date", "dato")}  # participants.yaml, per item
REFLEXIVE_NOTE = ("Braun & Clarke (2021) do not treat data saturation as a criterion in reflexive TA: "
                  "the curve below is information only, not a verdict.")
INFORMATION_POWER = (  # Malterud, Siersma & Guassora (2016), in our words, as questions to answer
    ("aim", "How narrow is the study's aim? A narrow aim needs fewer participants than a broad one."),
    ("sample specificity", "How closely do the participants hold the knowledge or experience the aim is about?"),
    ("established theory", "Does theory guide sampling and analysis, or does the study start without one?"),
    ("quality of dialogue", "How focused and rich were the conversations (rapport, depth, the interviewer's skill)?"),
    ("analysis strategy", "In-depth analysis of a few cases, or an exploratory comparison across many?"),
)


@dataclass(frozen=True)
class Band:
    """New codes at one position over the random orders: 10th, 50th and 90th percentile, min, max."""

    p10: float
    median: float
    p90: float
    min: int
    max: int

    def as_dict(self) -> dict[str, float]:
        return {"p10": self.p10, "median": self.median, "p90": self.p90, "min": self.min, "max": self.max}


@dataclass(frozen=True)
class Run:
    """One run of interviews `first`..`last` (1-based) and the codes it added beyond all before it."""

    first: int
    last: int
    new: int
    ratio: float

    def as_dict(self) -> dict[str, Any]:
        return {"first": self.first, "last": self.last, "new": self.new, "ratio": round(self.ratio, 4)}


@dataclass(frozen=True)
class Verdict:
    """Guest, Namey & Chen's answer for one order: saturation at `at`, or None (not reached);
    `why` says what stops it being assessed at all (too few interviews, a base without codes)."""

    at: int | None
    base_codes: int
    runs: tuple[Run, ...]
    why: str = ""

    @property
    def deciding(self) -> Run | None:
        return self.runs[-1] if self.at is not None else None


@dataclass(frozen=True)
class ChartRow:
    """One line of the terminal chart: one interview, or a bin of them in a large study."""

    label: str
    items: str
    new: int
    total: int
    band: Band | None
    mark: str  # "base", "run" (the run that met the threshold) or ""


@dataclass
class Saturation:
    """The curve in the order used, the band over random orders and the verdict (None in reflexive TA)."""

    study: str
    approach: str
    order: str  # "order", "date" or "file"
    order_note: str
    items: list[str]
    new_codes: list[list[str]]  # per position: the codes first found there
    band: list[Band]
    codes: int
    draft: bool
    settings: dict[str, Any]
    verdict: Verdict
    random_verdicts: list[int | None]
    image: Path
    warnings: list[str] = field(default_factory=list)
    orders: list[list[int]] = field(default_factory=list, repr=False)  # new codes per position, per random order

    @property
    def reflexive(self) -> bool:
        return self.approach == "reflexive"

    @property
    def new(self) -> list[int]:
        return [len(c) for c in self.new_codes]

    @property
    def totals(self) -> list[int]:
        out, total = [], 0
        for n in self.new:
            total += n
            out.append(total)
        return out

    def random_summary(self) -> dict[str, Any] | None:
        """How often random orders reach saturation, and where (median and 10th-90th percentile)."""
        if not self.random_verdicts or self.verdict.why:
            return None
        reached = sorted(v for v in self.random_verdicts if v is not None)
        summary: dict[str, Any] = {"orders": len(self.random_verdicts), "reached": len(reached),
                                   "share": round(len(reached) / len(self.random_verdicts), 3)}
        if reached:
            summary |= {"median": percentile(reached, 0.5), "p10": percentile(reached, 0.1), "p90": percentile(reached, 0.9)}
        return summary

    def verdict_text(self) -> str:
        """One line: saturation at interview N (and the run that showed it), not reached, or why not assessed."""
        v, s = self.verdict, self.settings
        rule = f"Guest, Namey & Chen 2020: base {s['base']}, run {s['run_length']}, at most {s['threshold']:.0%} new"
        if v.why:
            return f"not assessable: {v.why} ({rule})"
        if v.at is None:
            return f"not reached: no run of {s['run_length']} added at most {s['threshold']:.0%} new codes ({rule})"
        run = v.deciding
        assert run is not None
        return (f"saturation at interview {v.at}: interviews {run.first}-{run.last} added {run.new} new "
                f"{'code' if run.new == 1 else 'codes'}, {run.ratio:.0%} of the {v.base_codes} in interviews "
                f"1-{s['base']} ({rule})")

    def chart(self, rows: int = 40) -> list[ChartRow]:
        """The curve as at most `rows` lines: one per interview, or bins of consecutive interviews
        whose band is taken over the random orders' sums for the bin (not a sum of percentiles)."""
        size = max(1, -(-len(self.items) // rows))
        return [self._chart_row(start, min(start + size, len(self.items))) for start in range(0, len(self.items), size)]

    def _chart_row(self, start: int, end: int) -> ChartRow:
        sums = sorted(sum(order[start:end]) for order in self.orders)
        band = _band(sums) if sums else None
        label = str(start + 1) if end - start == 1 else f"{start + 1}-{end}"
        items = self.items[start] if end - start == 1 else f"{self.items[start]}…"
        return ChartRow(label, items, sum(self.new[start:end]), self.totals[end - 1], band, self._mark(start, end))

    def _mark(self, start: int, end: int) -> str:
        if self.reflexive or self.verdict.why:
            return ""
        run = self.verdict.deciding
        if run is not None and start < run.last and end >= run.first:
            return "run"
        return "base" if start < self.settings["base"] else ""

    def as_dict(self) -> dict[str, Any]:
        totals = self.totals
        return {
            "study": self.study, "approach": self.approach,
            "framing": REFLEXIVE_NOTE if self.reflexive else None,
            "order": {"kind": self.order, "note": self.order_note},
            "codes": self.codes, "draft": self.draft, "settings": self.settings,
            "interviews": [{"position": n + 1, "item": item, "new": len(codes), "total": totals[n], "new_codes": codes,
                            "band": self.band[n].as_dict() if self.band else None}
                           for n, (item, codes) in enumerate(zip(self.items, self.new_codes))],
            "verdict": None if self.reflexive else self._verdict_dict(),
            "random_orders": None if self.reflexive else self.random_summary(),
            "information_power": [{"dimension": d, "prompt": p} for d, p in INFORMATION_POWER] if self.reflexive else None,
            "image": str(self.image), "warnings": self.warnings,
        }

    def _verdict_dict(self) -> dict[str, Any]:
        v = self.verdict
        return {"reached": v.at is not None, "interview": v.at, "base_codes": v.base_codes, "not_assessable": v.why or None,
                "text": self.verdict_text(), "runs": [r.as_dict() for r in v.runs]}


def percentile(values: list[int] | list[float], q: float) -> float:
    """The q-quantile of sorted values, interpolated between neighbours (as numpy's default)."""
    k = (len(values) - 1) * q
    low = int(k)
    high = min(low + 1, len(values) - 1)
    return round(values[low] + (values[high] - values[low]) * (k - low), 2)


def _band(values: list[int]) -> Band:
    return Band(percentile(values, 0.1), percentile(values, 0.5), percentile(values, 0.9), values[0], values[-1])


def check_settings(runs: int, base: int, run_length: int, threshold: float) -> None:
    """Refuse settings the method cannot mean (a threshold of 5 is 500%, not 5%)."""
    if runs < 0 or runs > 100_000:
        raise ThematicError(f"--runs {runs}: give 0 to 100000 random orders")
    if base < 1 or run_length < 1:
        raise ThematicError(f"--base {base} --run-length {run_length}: both must be at least 1")
    if not 0 <= threshold < 1:
        raise ThematicError(f"--threshold {threshold}: a share of the base's codes, from 0 up to 1",
                            fix="write --threshold 0.05 for at most 5% new information")


def guest_namey_chen(masks: list[int], base: int, run_length: int, threshold: float) -> Verdict:
    """Saturation by base size, run length and new-information threshold over one order of
    interviews, each a bit mask of the codes found in it."""
    if len(masks) < base + run_length:
        return Verdict(None, 0, (), f"needs at least {base + run_length} interviews (base {base} + run {run_length}); "
                                    f"the study has {len(masks)}")
    seen = 0
    for mask in masks[:base]:
        seen |= mask
    base_codes = seen.bit_count()
    if not base_codes:
        return Verdict(None, 0, (), f"interviews 1-{base} have no codes that count")
    runs = []
    for start in range(base, len(masks) - run_length + 1):
        added = 0
        for mask in masks[start:start + run_length]:
            added |= mask & ~seen
        runs.append(Run(start + 1, start + run_length, added.bit_count(), added.bit_count() / base_codes))
        if runs[-1].ratio <= threshold + 1e-12:
            return Verdict(start, base_codes, tuple(runs))
        seen |= masks[start]
    return Verdict(None, base_codes, tuple(runs))


def new_per_position(masks: list[int]) -> list[int]:
    """How many codes each interview adds to those of the interviews before it."""
    seen, out = 0, []
    for mask in masks:
        out.append((mask & ~seen).bit_count())
        seen |= mask
    return out


def random_orders(masks: list[int], runs: int, seed: int) -> list[list[int]]:
    """The interviews in `runs` random orders (one seeded generator: same seed, same orders)."""
    rng = random.Random(seed)
    out = []
    for _ in range(runs):
        order = masks[:]
        rng.shuffle(order)
        out.append(order)
    return out


def _parse_date(value: Any) -> datetime | None:
    """A date as participants.yaml may write it: 2024-03-05 (with a time or not) or 5.3.2024."""
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    found = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2})[:.](\d{2}))?", text)
    if not found:
        return None
    day, month, year, hour, minute = (int(g) if g else 0 for g in found.groups())
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def _order_key(kind: str, value: Any) -> Any:
    if kind == "date":
        return _parse_date(value)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _given(participants: dict[str, dict[str, Any]], items: list[str], kind: str) -> dict[str, tuple[str, Any]]:
    """item -> (the key used, its value) for the items participants.yaml gives this kind of order."""
    out = {}
    for item in items:
        attrs = participants.get(item) or {}
        key = next((k for k in ORDER_KEYS[kind] if attrs.get(k) not in (None, "")), None)
        if key is not None:
            out[item] = (key, attrs[key])
    return out


def collection_order(project: Project, items: list[str], warnings: list[str]) -> tuple[list[str], str, str]:
    """The interviews in the order they were collected, when participants.yaml gives every item an
    `order:` (a number) or a `date:`; else in file order, and a warning when only some have one."""
    from thematic.corpus import load_participants

    participants = load_participants(project)
    name = project.relative(project.participants_path)
    for kind in ORDER_KEYS:
        given = _given(participants, items, kind)
        if not given:
            continue
        if len(given) < len(items):
            missing = [i for i in items if i not in given]
            warnings.append(f"{name}: {kind}: given for {len(given)} of {len(items)} interviews (not for "
                            f"{', '.join(missing[:3])}{' …' if len(missing) > 3 else ''}); file order used")
            return items, "file", "file order (participants.yaml gives an order for only some interviews)"
        keys = {item: _checked_key(project, item, kind, key, value) for item, (key, value) in given.items()}
        ordered = sorted(items, key=lambda i: (keys[i], items.index(i)))
        used = "/".join(f"{k}:" for k in sorted({k for k, _ in given.values()}))
        return ordered, kind, f"collection order ({used} in {name}; ties in file order)"
    return items, "file", f"file order ({name} gives no date: or order:)"


def _checked_key(project: Project, item: str, kind: str, key: str, value: Any) -> Any:
    parsed = _order_key(kind, value)
    if parsed is None:
        what = "a date such as 2024-03-05 or 5.3.2024" if kind == "date" else "a number"
        raise load_yaml(project.participants_path).error([item, key], f"{item}: {key}: {value!r} is not {what}")
    return parsed


def _masks(view: Any, items: list[str]) -> tuple[list[int], list[str]]:
    """Each interview's codes as a bit mask over the codes that count (sorted ids), and those ids."""
    codes = sorted(view.codes)
    bit = {item: 0 for item in items}
    for k, code in enumerate(codes):
        for item in {key[0] for key in view.tally([code]).speakers}:
            if item in bit:
                bit[item] |= 1 << k
    return [bit[i] for i in items], codes


def assess(project: Project, runs: int = 200, seed: int = 0, base: int = 4, run_length: int = 2,
           threshold: float = 0.05) -> Saturation:
    """The curve, the band and the verdict for a study whose phase 2 has run; writes the picture
    to analysis/saturation.svg (same inputs and seed, same bytes)."""
    from thematic.view import open_view

    check_settings(runs, base, run_length, threshold)
    view = open_view(project.root)
    warnings = list(view.warnings)
    items, kind, note = collection_order(project, [row.id for row in view.index.items], warnings)
    masks, codes = _masks(view, items)
    result = _result(project, items, kind, note, masks, codes, view.draft,
                     {"runs": runs, "seed": seed, "base": base, "run_length": run_length, "threshold": threshold}, warnings)
    from thematic.saturation_picture import svg

    write_atomic(result.image, svg(result, project.settings.get("title") or project.root.name, project.settings["language"]))
    return result


def _result(project: Project, items: list[str], kind: str, note: str, masks: list[int], codes: list[str],
            draft: bool, settings: dict[str, Any], warnings: list[str]) -> Saturation:
    shuffled = random_orders(masks, settings["runs"], settings["seed"])
    orders = [new_per_position(order) for order in shuffled]
    band = [_band(sorted(column)) for column in zip(*orders)]
    rule = (settings["base"], settings["run_length"], settings["threshold"])
    seen, new_codes = 0, []
    for mask in masks:
        added = mask & ~seen
        new_codes.append([code for k, code in enumerate(codes) if (added >> k) & 1])
        seen |= mask
    return Saturation(
        str(project.root), project.settings["approach"], kind, note, items, new_codes, band, len(codes), draft, settings,
        guest_namey_chen(masks, *rule), [guest_namey_chen(order, *rule).at for order in shuffled],
        project.analysis_dir / IMAGE, warnings, orders)
