"""How good are the inductive code suggestions? One table per example study, then both side by side.

    python benchmarks/suggestion_quality.py [--study DIR ...]     (default: both examples)

The answer key is each study's intended-themes.yaml `codes:` (the lemma codes its writer was
asked to use). Three rankings of the same candidates (noun lemmas and noun phrases from informant
turns, after the stop list, seen 2+ times by 2+ participants, words naming the study's roles left
out; codebook-coded words are NOT left out, so the two studies rank alike) are compared: our
suggester (keyness.v2), raw frequency, and TF-IDF over documents. A candidate matches an intended
code when their lemmas are equal, case aside (Ordbank writes acronyms upper case: AAP).

Columns: precision@20, recall@30 and recall@50 of the intended codes, and "reach@30": of the
intended codes that occur (as a lemma, or a lemma sequence for a phrase) in 2+ informant turns,
the share in the top 30; it leaves out codes the talk never carries. With more than 30 such codes
it cannot reach 1.0: its ceiling is printed under the table. Also printed: any word of
thematic.nlp.stopwords.NEVER_CODES or LIGHT_WORDS among the suggestions phase 2 actually wrote
(should be none) and those suggestions,
lemma coverage of informant tokens, and lemma accuracy on benchmarks/lemma_gold.tsv.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

from studies import EXAMPLES, Turn, commit, copy_study, heading, intended_codes, turn_lemmas  # noqa: E402
from thematic.context import Context  # noqa: E402
from thematic.nlp import stopwords  # noqa: E402
from thematic.phases.code import _is_design_term, design_terms  # noqa: E402
from thematic.project import load_project  # noqa: E402
from thematic.suggest import collect, rank  # noqa: E402

METHODS = ("suggester (keyness.v2)", "raw frequency", "TF-IDF over documents")
COLUMNS = ("P@20", "R@30", "R@50", "reach@30")


@dataclass
class Measured:
    """One study's rankings and what is printed about them."""

    orders: dict[str, list[str]]
    gold: set[str]
    reachable: set[str]
    written: list[str]
    lines: list[str]


def tfidf_order(found: dict, names: list[str], n_docs: int) -> list[str]:
    """Sum over documents of term frequency x log(documents / documents with the term)."""
    def score(lemma: str) -> float:
        per_doc = Counter(doc_id for doc_id, *_ in found[lemma].places)
        return sum(tf * math.log(n_docs / len(per_doc)) for tf in per_doc.values())
    return sorted(names, key=lambda n: (-score(n), n))


def metrics(order: list[str], gold: set[str], reachable: set[str]) -> tuple[float, ...]:
    """precision@20, recall@30, recall@50, and recall@30 of the codes the talk carries."""
    folded = [name.casefold() for name in order]
    hits = lambda n, key: len(key & set(folded[:n]))  # noqa: E731
    return hits(20, gold) / 20, hits(30, gold) / len(gold), hits(50, gold) / len(gold), hits(30, reachable) / max(len(reachable), 1)


def turns_with(code: str, lemmas: dict[Turn, list[str]]) -> int:
    """Informant turns whose lemmas hold the code (a phrase as consecutive lemmas)."""
    words = code.split()
    return sum(any(seq[i:i + len(words)] == words for i in range(len(seq) - len(words) + 1)) for seq in lemmas.values())


def coverage(ctx: Context) -> tuple[Counter, int]:
    """Where informant word tokens get their lemma from: lexicon, fallback, name, unknown."""
    from thematic.nlp.lemmas import Lemmatiser

    lemmatiser, words = Lemmatiser(), []
    for doc in ctx.docs:
        informants = {t.index for t in doc.informant_turns}
        for turn_index, sentence in ctx.analyses[doc.id].iter_sentences():
            if turn_index in informants:
                words += [doc.text[t.start:t.end] for t in sentence.tokens if doc.text[t.start:t.end].isalpha()]
    return Counter(lemmatiser.source(w) for w in words), len(words)


def lemma_accuracy() -> tuple[float, float | None, int]:
    """Share of hand-checked forms (benchmarks/lemma_gold.tsv) lemmatised right: ours, simplemma."""
    from thematic.nlp.lemmas import Lemmatiser

    rows = [line.split("\t") for line in (Path(__file__).parent / "lemma_gold.tsv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    lemmatiser = Lemmatiser()
    ours = sum(lemmatiser(form, prev)[0] == lemma for form, prev, lemma in rows) / len(rows)
    try:
        import simplemma
    except ImportError:
        return ours, None, len(rows)
    theirs = sum(simplemma.lemmatize(form, lang="nb") == lemma for form, _, lemma in rows) / len(rows)
    return ours, theirs, len(rows)


def written_suggestions(project) -> list[str]:  # type: ignore[no-untyped-def]
    """The lemmas of the suggestions phase 2 wrote, in its order."""
    from thematic.runner import run_phases

    run_phases(project, until="code")
    codes = yaml.safe_load((project.analysis_dir / "2-codes.yaml").read_text(encoding="utf-8"))["codes"]
    return [c["evidence"]["lemma"] for c in codes if c.get("origin") == "suggested"]


def measure(source: Path) -> Measured:
    with tempfile.TemporaryDirectory() as tmp:
        project = load_project(copy_study(source, tmp))
        written = written_suggestions(project)
        ctx = Context(project)
        found, total = collect(ctx.docs, ctx.analyses)
        participants = len({p for d in ctx.docs for p in d.participants})
        terms = design_terms(ctx)
        ours = [s.candidate.lemma for s in rank(found, total, participants, project.params("code"))
                if not _is_design_term(s.candidate.lemma, terms)]
        lemmas = turn_lemmas(ctx.docs, ctx.analyses)
        sources, n_words = coverage(ctx)
        gold = intended_codes(project.root)
        n_docs = len(ctx.docs)
    reachable = {code for code in gold if turns_with(code, lemmas) >= 2}
    candidates = {name.casefold() for name in ours}
    known = (sources["lexicon"] + sources["fallback"]) / n_words
    lines = [f"{n_docs} transcripts, {total:,} informant words; {len(gold)} intended codes, {len(reachable)} of them "
             f"in 2+ informant turns, {len(reachable & candidates)} of those among the {len(ours)} candidates ranked",
             f"lemma coverage of {n_words:,} alphabetic informant tokens: lexicon {sources['lexicon'] / n_words:.1%}, "
             f"+ fallbacks {known:.1%}, + names/acronyms {known + sources['name'] / n_words:.1%}; "
             f"unknown {sources['unknown'] / n_words:.1%}"]
    orders = {METHODS[0]: ours, METHODS[1]: sorted(ours, key=lambda n: (-found[n].count, n)),
              METHODS[2]: tfidf_order(found, ours, n_docs)}
    return Measured(orders, gold, reachable, written, lines)


LIGHT = stopwords.LIGHT_ADJECTIVES  # a light adjective alone is never a code either


def never_codes_in(lemmas: list[str]) -> list[str]:
    """Suggestions holding a NEVER_CODES word, or that are a light word alone."""
    words = {lemma: lemma.casefold().replace("-", " ").split() for lemma in lemmas}
    return [lemma for lemma, ws in words.items() if set(ws) & stopwords.NEVER_CODES or ws == [lemma.casefold()] and lemma.casefold() in LIGHT]


def print_study(source: Path, m: Measured) -> dict[str, tuple[float, ...]]:
    print(heading(source))
    print(m.lines[0])
    print(f"{'ranking':28} " + " ".join(f"{c:>9}" for c in COLUMNS))
    out = {}
    for name, order in m.orders.items():
        out[name] = metrics(order, m.gold, m.reachable)
        print(f"{name:28} " + " ".join(f"{v:>9.2f}" for v in out[name]))
    ours = m.orders[METHODS[0]]
    print("top 20 ranked:", ", ".join(f"{n}{'*' if n.casefold() in m.gold else ''}" for n in ours[:20]), "(* = intended)")
    ranked = {n.casefold() for n in ours}
    missed = sorted(m.reachable - {n.casefold() for n in ours[:30]})
    print(f"in 2+ turns but not in the top 30 ({len(missed)}; ° = no candidate at all):",
          ", ".join(f"{n}{'' if n in ranked else '°'}" for n in missed))
    bad = never_codes_in(m.written[:40])
    print(f"NEVER_CODES or light words among the {len(m.written[:40])} suggestions phase 2 wrote: {', '.join(bad) or 'none'}")
    print("the suggestions phase 2 wrote:", ", ".join(m.written[:40]))
    print(m.lines[1])
    print()
    return out


def print_side_by_side(results: dict[str, dict[str, tuple[float, ...]]]) -> None:
    names = list(results)
    print("=== side by side ===")
    print(f"{'ranking':28} " + " | ".join(f"{n:^39}" for n in names))
    print(f"{'':28} " + " | ".join(" ".join(f"{c:>9}" for c in COLUMNS) for _ in names))
    for method in METHODS:
        print(f"{method:28} " + " | ".join(" ".join(f"{v:>9.2f}" for v in results[n][method]) for n in names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, action="append", help="a study with intended-themes.yaml (repeatable)")
    args = parser.parse_args()
    print(f"suggestion quality at commit {commit()}; seeds: none (every ranking is deterministic)\n")
    results, ceilings = {}, {}
    for source in args.study or EXAMPLES:
        measured = measure(source.resolve())
        results[source.name] = print_study(source, measured)
        ceilings[source.name] = len(measured.reachable)
    print_side_by_side(results)
    print("reach@30 ceiling (a top 30 holds at most 30 of the codes in 2+ turns): "
          + ", ".join(f"{name} 30/{n} = {min(30, n) / max(n, 1):.2f}" for name, n in ceilings.items()))
    ours, theirs, n_gold = lemma_accuracy()
    print(f"\nlemma accuracy on {n_gold} hand-checked bokmål forms (benchmarks/lemma_gold.tsv): ours {ours:.1%}"
          + (f", simplemma {theirs:.1%}" if theirs is not None else " (simplemma not installed)"))


if __name__ == "__main__":
    main()
