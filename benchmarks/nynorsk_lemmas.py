"""Nynorsk lemmas and word classes against two hand-written gold lists.

    python benchmarks/nynorsk_lemmas.py [--misses]

Gold lists (form, lemma, pos; "a|b" = either lemma is right):
- examples/ungdom-jobbstotte/nynorsk-lemma-gold.tsv: 98 forms from ung-04-nn.txt, written blind
  by someone else;
- benchmarks/nynorsk_gold_own.tsv: 89 forms from sentences written for it, lemmas decided
  before any lemmatiser was run on them.
Rows: our bokmål lexicon alone (what `language: nn` did before: nothing), our Nynorsk
lemmatiser, simplemma's nn lemmas alone (no word class). Word classes are compared coarsely:
closed classes (PRON, DET, ADP, CCONJ, SCONJ, PART, AUX) are our FUNC, and an ADV may be FUNC.
The Nynorsk lemmatiser's hand-written tables (closed classes, strong verbs) were written from
grammar, not from these lists, but do cover some of their forms: the "by source" line says how many.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import simplemma  # noqa: E402

from thematic.nlp.lemmas import Lemmatiser  # noqa: E402
from thematic.nlp.nynorsk import CLOSED, VERBS, NynorskLemmatiser, simplemma_lemma  # noqa: E402

GOLD = {
    "blind (ung-04-nn)": ROOT / "examples" / "ungdom-jobbstotte" / "nynorsk-lemma-gold.tsv",
    "own (sentences)": ROOT / "benchmarks" / "nynorsk_gold_own.tsv",
}
CLOSED_UD = {"PRON", "DET", "ADP", "CCONJ", "SCONJ", "PART", "AUX", "INTJ"}
Tagger = Callable[[str], tuple[str, str | None]]


def read_gold(path: Path) -> list[tuple[str, set[str], str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    rows = list(csv.reader(lines[1:], delimiter="\t"))
    return [(form, set(lemma.split("|")), pos) for form, lemma, pos in rows]


def pos_matches(gold: str, ours: str) -> bool:
    if gold in CLOSED_UD:
        return ours == "FUNC"
    return ours == gold or (gold == "ADV" and ours == "FUNC")


def score(tag: Tagger, gold: list[tuple[str, set[str], str]]) -> tuple[float, float | None, list[str]]:
    lemma_ok = both_ok = 0
    misses = []
    for form, lemmas, pos in gold:
        lemma, ours = tag(form)
        right = lemma in lemmas
        lemma_ok += right
        both_ok += right and ours is not None and pos_matches(pos, ours)
        if not (right and (ours is None or pos_matches(pos, ours))):
            misses.append(f"{form}->{lemma}/{ours or '-'} (gold {'|'.join(sorted(lemmas))}/{pos})")
    n = len(gold)
    with_pos = both_ok / n if tag(gold[0][0])[1] is not None else None
    return lemma_ok / n, with_pos, misses


def source(form: str, lexicon: dict[str, str]) -> str:
    lower = form.lower()
    if lower in CLOSED or lower in VERBS:
        return "tables"
    return "simplemma" if simplemma_lemma(lower) else "lexicon" if lower in lexicon else "fallback"


def main() -> None:
    bokmal, nynorsk = Lemmatiser(), NynorskLemmatiser()
    taggers: dict[str, Tagger] = {
        "ours before (bokmål lexicon)": lambda f: bokmal(f),
        "ours after (Nynorsk)": lambda f: nynorsk(f),
        "simplemma nn alone": lambda f: (simplemma.lemmatize(f.lower(), lang="nn"), None),
    }
    print(f"{'gold list':20} {'lemmatiser':30} {'forms':>5} {'lemma':>7} {'lemma+pos':>10}")
    for name, path in GOLD.items():
        gold = read_gold(path)
        for label, tag in taggers.items():
            lemma, both, misses = score(tag, gold)
            both_text = f"{both:10.1%}" if both is not None else f"{'-':>10}"
            print(f"{name:20} {label:30} {len(gold):5} {lemma:7.1%} {both_text}")
            if "--misses" in sys.argv:
                print("    misses:", "; ".join(misses))
        sources = [source(form, nynorsk.table) for form, _, _ in gold]
        print(f"{'':20} by source: " + ", ".join(f"{s} {sources.count(s)}" for s in dict.fromkeys(sources)))
        rest = [row for row, src in zip(gold, sources) if src != "tables"]
        lemma, both, _ = score(taggers["ours after (Nynorsk)"], rest)
        print(f"{'':20} {'ours after, forms not in tables':30} {len(rest):5} {lemma:7.1%} {both:10.1%}")


if __name__ == "__main__":
    main()
