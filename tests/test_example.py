"""The bundled example study: shaped as the issue asks, and the tool finds the themes we wrote in."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from thematic.codes import effective_codes
from thematic.corpus import INFORMANT, read_document

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "arbeidsinkludering"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_example_has_group_and_mentor_interviews_of_realistic_length():
    docs = [read_document(p, {"Intervjuer"}) for p in sorted((EXAMPLE / "interviews").glob("*.txt"))]
    assert len(docs) >= 8
    assert all(len(d.text.split()) >= 1500 for d in docs)
    groups = [d for d in docs if len(d.participants) >= 3]
    mentors = [d for d in docs if {t.speaker for t in d.informant_turns} == {"Mentor"}]
    assert len(groups) >= 2 and len(mentors) >= 5
    assert all("[hen]" in d.text for d in docs)
    roles = {attrs.get("role") for attrs in load(EXAMPLE / "participants.yaml").values()}
    assert "arbeidsplassmentor" in roles


def test_intended_themes_label_only_informant_turns():
    gold = load(EXAMPLE / "intended-themes.yaml")
    theme_ids = {t["id"] for t in gold["themes"]}
    for item, turns in gold["turns"].items():
        doc = read_document(EXAMPLE / "interviews" / f"{item}.txt", {"Intervjuer"})
        informant = {t.index for t in doc.turns if t.role == INFORMANT}
        assert set(turns) == informant, item
        assert all(set(v) <= theme_ids for v in turns.values())


def test_every_intended_theme_leads_a_candidate_theme(analysed_example: Path):
    """Each theme we wrote into the texts is the most common intended label of some candidate
    theme's coded turns, at least twice as common there as in the data set as a whole."""
    example_study = analysed_example
    gold = load(example_study / "intended-themes.yaml")
    labels = {(item, int(t)): v for item, turns in gold["turns"].items() for t, v in turns.items()}
    base = Counter(t for v in labels.values() for t in v)
    codes = {c.id: c for c in effective_codes(load(example_study / "analysis" / "2-codes.yaml"))}
    led = {}
    for theme in load(example_study / "analysis" / "3-candidate-themes.yaml")["themes"]:
        turns = {(e["item"], e["turn"]) for cid in theme["codes"] for e in codes[cid].extracts}
        counts = Counter(t for turn in turns for t in labels.get(turn, []))
        top, n = counts.most_common(1)[0]
        led[top] = max(led.get(top, 0), (n / len(turns)) / (base[top] / len(labels)))
    assert set(led) == {t["id"] for t in gold["themes"]}
    assert min(led.values()) >= 2.0, led
