"""Codebooks: codes with definitions, lemma keywords and theme hints, validated with file:line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from thematic.artefacts import Loaded, load_yaml

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_FIELDS = {"id", "label", "definition", "include", "exclude", "keywords", "theme"}


@dataclass(frozen=True)
class ThemeHint:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Code:
    id: str
    label: str
    definition: str
    include: str
    exclude: str
    keywords: tuple[str, ...]
    theme: str | None


@dataclass(frozen=True)
class Codebook:
    id: str
    title: str
    path: Path
    themes: tuple[ThemeHint, ...]
    codes: tuple[Code, ...]


def _text(loaded: Loaded, keys: list, value: object, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise loaded.error(keys, f"{'.'.join(map(str, keys))} must be a non-empty text")
    return value.strip()


def _slug(loaded: Loaded, keys: list, value: object) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise loaded.error(keys, f"{value!r} is not an id (lowercase a-z, 0-9 and hyphens, e.g. tett-oppfolging)")
    return value


def _theme(loaded: Loaded, i: int, raw: object) -> ThemeHint:
    if not isinstance(raw, dict):
        raise loaded.error(["themes", i], "each theme hint must be a mapping with id and label")
    return ThemeHint(_slug(loaded, ["themes", i, "id"], raw.get("id")),
                     _text(loaded, ["themes", i, "label"], raw.get("label")),
                     _text(loaded, ["themes", i, "description"], raw.get("description"), required=False))


def _code(loaded: Loaded, i: int, raw: object, theme_ids: set[str]) -> Code:
    where = ["codes", i]
    if not isinstance(raw, dict):
        raise loaded.error(where, "each code must be a mapping with id, label and keywords")
    unknown = sorted(set(raw) - CODE_FIELDS)
    if unknown:
        raise loaded.error(where + [unknown[0]], f"unknown field {unknown[0]!r}; allowed: {', '.join(sorted(CODE_FIELDS))}")
    keywords = raw.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
        raise loaded.error(where + ["keywords"], "keywords must be a list of lemmas")
    theme = raw.get("theme")
    if theme is not None and theme not in theme_ids:
        raise loaded.error(where + ["theme"], f"theme {theme!r} is not one of the codebook's themes: {', '.join(sorted(theme_ids)) or '(none defined)'}")
    return Code(
        id=_slug(loaded, where + ["id"], raw.get("id")),
        label=_text(loaded, where + ["label"], raw.get("label")),
        definition=_text(loaded, where + ["definition"], raw.get("definition"), required=False),
        include=_text(loaded, where + ["include"], raw.get("include"), required=False),
        exclude=_text(loaded, where + ["exclude"], raw.get("exclude"), required=False),
        keywords=tuple(k.strip() for k in keywords),
        theme=theme,
    )


def load_codebook(path: Path) -> Codebook:
    """Read and validate a codebook; the first problem is reported with its line."""
    loaded = load_yaml(path)
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("codebook"), dict):
        raise loaded.error([], "a codebook starts with a codebook: block (id, title)")
    head = data["codebook"]
    themes = [_theme(loaded, i, t) for i, t in enumerate(data.get("themes") or [])]
    theme_ids = {t.id for t in themes}
    codes = [_code(loaded, i, c, theme_ids) for i, c in enumerate(data.get("codes") or [])]
    seen: set[str] = set()
    for i, code in enumerate(codes):
        if code.id in seen:
            raise loaded.error(["codes", i, "id"], f"code id {code.id!r} appears twice")
        seen.add(code.id)
    return Codebook(_slug(loaded, ["codebook", "id"], head.get("id")),
                    _text(loaded, ["codebook", "title"], head.get("title")),
                    path, tuple(themes), tuple(codes))
