"""The usual slips in a hand-edited artefact each get their fix in one line."""

from __future__ import annotations

import pytest
import yaml

from thematic.yaml_guard import PlainLoader
from thematic.yaml_hints import yaml_hint


def hint_for(text: str) -> str | None:
    loader = PlainLoader(text)
    try:
        loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return yaml_hint(text, exc)
    finally:
        loader.dispose()
    raise AssertionError("the text parsed")


@pytest.mark.parametrize("text, hint", [
    ("codes:\n- id: a\n  decision: renamed:Unge menn: overgang\n",
     "put the value in quotes:   decision: 'renamed:Unge menn: overgang'"),
    ("codes:\n- id: a\n\tdecision: accepted\n", "replace the tab on line 3 with spaces"),
    ("codes:\n- id: a\n   decision: accepted\n", "line 3 is indented 3 spaces; line it up with the key above it (2 spaces)"),
    ("codes:\n- id: a\n  name: 'Det er ikke lett\n  notes: ''\n", "the quote opened on line 3 is never closed"),
    ("codes:\n- id: a\n  name: 'Det er' lett\n", "write an apostrophe inside '...' as ''"),
    ("moves: {a: b\nthemes: []\n", "the { or [ opened on line 1 is not closed"),
])
def test_each_slip_gets_its_fix(text: str, hint: str):
    assert hint in hint_for(text)


def test_the_quoted_line_parses_to_what_was_meant():
    fix = hint_for("decision: renamed:Unge menn: overgang\n")
    assert yaml.safe_load(fix.split(": ", 1)[1]) == {"decision": "renamed:Unge menn: overgang"}
