"""How good are the inductive code suggestions on the example study? One table, one run.

    python benchmarks/suggestion_quality.py

The codes the writers were asked to use (examples/arbeidsinkludering/intended-themes.yaml,
`codes:`) are the answer key. Three rankings of the same candidates (noun lemmas and noun
phrases from informant turns, after the stop list, seen 2+ times by 2+ participants) are
compared: our suggester (keyness.v1), raw frequency, and TF-IDF over documents. Also printed:
the share of informant word tokens that get a known lemma, ours next to simplemma's.
"""

from __future__ import annotations

import math
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from thematic.context import Context  # noqa: E402
from thematic.phases.code import _is_design_term, design_terms  # noqa: E402
from thematic.project import load_project  # noqa: E402
from thematic.suggest import collect, rank  # noqa: E402

EXAMPLE = ROOT / "examples" / "arbeidsinkludering"


def tfidf_order(found: dict, names: list[str], n_docs: int) -> list[str]:
    """Sum over documents of term frequency x log(documents / documents with the term)."""
    def score(lemma: str) -> float:
        per_doc = Counter(doc_id for doc_id, *_ in found[lemma].places)
        return sum(tf * math.log(n_docs / len(per_doc)) for tf in per_doc.values())
    return sorted(names, key=lambda n: (-score(n), n))


def metrics(order: list[str], gold: set[str]) -> tuple[float, float, float]:
    hits = [name in gold for name in order]
    return sum(hits[:20]) / 20, sum(hits[:20]) / len(gold), sum(hits[:50]) / len(gold)


def coverage(ctx: Context) -> tuple[Counter, float | None, int]:
    """Where informant word tokens get their lemma from (ours) and simplemma's known share."""
    from thematic.nlp.lemmas import Lemmatiser

    lemmatiser, sources, words = Lemmatiser(), Counter(), []
    for doc in ctx.docs:
        analysis = ctx.analyses[doc.id]
        informants = {t.index for t in doc.informant_turns}
        for turn_index, sentence in analysis.iter_sentences():
            if turn_index in informants:
                words += [doc.text[t.start:t.end] for t in sentence.tokens if doc.text[t.start:t.end].isalpha()]
    sources.update(lemmatiser.source(w) for w in words)
    try:
        import simplemma
    except ImportError:
        return sources, None, len(words)
    return sources, sum(simplemma.is_known(w, lang="nb") for w in words) / len(words), len(words)


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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        study = Path(tmp) / "study"
        shutil.copytree(EXAMPLE, study, ignore=shutil.ignore_patterns("analysis", "thematic.lock"))
        project = load_project(study)
        ctx = Context(project)
        params = project.params("code")
        gold = {c for t in yaml.safe_load((study / "intended-themes.yaml").read_text())["themes"] for c in t["codes"]}
        found, total = collect(ctx.docs, ctx.analyses)
        participants = len({p for d in ctx.docs for p in d.participants})
        terms = design_terms(ctx)
        ours = [s.candidate.lemma for s in rank(found, total, participants, params)
                if not _is_design_term(s.candidate.lemma, terms)]
        by_frequency = sorted(ours, key=lambda n: (-found[n].count, n))
        by_tfidf = tfidf_order(found, ours, len(ctx.docs))
        sources, simplemma_known, n_words = coverage(ctx)
    print(f"{len(ctx.docs)} transcripts, {total:,} informant words; {len(gold)} intended codes; "
          f"{len(ours)} candidates ranked by each method")
    print(f"{'ranking':28} {'precision@20':>13} {'recall@20':>10} {'recall@50':>10}")
    for name, order in (("suggester (keyness.v1)", ours), ("raw frequency", by_frequency), ("TF-IDF over documents", by_tfidf)):
        p20, r20, r50 = metrics(order, gold)
        print(f"{name:28} {p20:>13.2f} {r20:>10.2f} {r50:>10.2f}")
    print("top 20 suggested:", ", ".join(f"{n}{'*' if n in gold else ''}" for n in ours[:20]), "(* = intended)")
    known = (sources["lexicon"] + sources["fallback"]) / n_words
    print(f"lemma coverage of {n_words:,} alphabetic informant tokens: lexicon {sources['lexicon'] / n_words:.1%}, "
          f"+ fallbacks {known:.1%}, + names/acronyms {(known * n_words + sources['name']) / n_words:.1%}; "
          f"unknown {sources['unknown'] / n_words:.1%}")
    ours, theirs, n_gold = lemma_accuracy()
    print(f"lemma accuracy on {n_gold} hand-checked forms: ours {ours:.1%}"
          + (f", simplemma {theirs:.1%}" if theirs is not None else ""))
    if simplemma_known is not None:
        print(f"simplemma (nb) knows {simplemma_known:.1%} of the same tokens (it gives no word class)")
    else:
        print("simplemma not installed: pip install simplemma to compare")


if __name__ == "__main__":
    main()
