"""How many more codebook extracts do Nynorsk transcripts get now that a keyword also matches its
other written form (arbeidsgiver -> arbeidsgivar, thematic.nlp.nynorsk.other_spellings)?

    python benchmarks/nynorsk_matching.py [--study DIR ...]     (default: both examples)

Each study is copied to a temporary folder and coded with the first example's codebook
(arbeidsinkludering; ungdom-jobbstotte has none of its own), once with keywords as written and
once with their other spellings too. Per transcript: its language as read (nn/nb), and its
codebook extracts (sentence x code) each way. Bokmål files should not change.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

from studies import EXAMPLES, commit, copy_study  # noqa: E402
from thematic.context import Context  # noqa: E402
from thematic.matching import KeywordMatcher, parse_keyword  # noqa: E402
from thematic.nlp.lemmas import NOUN_CONTEXT, VERB_CONTEXT, Lemmatiser  # noqa: E402
from thematic.project import load_project  # noqa: E402

CODEBOOK = "arbeidsinkludering"


def matcher(ctx: Context, written_only: bool) -> KeywordMatcher:
    """Phase 2's matcher over the codebook (as thematic.phases.code builds it)."""
    from thematic.codebook import load_codebook

    lemmatiser = Lemmatiser()
    length = ctx.project.params("code")["compound_min_length"]
    books = [load_codebook(path) for path in ctx.project.codebook_paths()]
    keywords = {c.id: [parse_keyword(k, lemmatiser.keyword_lemma, length) for k in c.keywords] for b in books for c in b.codes}
    if written_only:
        with mock.patch("thematic.matching.spellings", lambda k: [k]):
            return KeywordMatcher(None, keywords, lemmatiser.readings, VERB_CONTEXT | NOUN_CONTEXT)
    return KeywordMatcher(None, keywords, lemmatiser.readings, VERB_CONTEXT | NOUN_CONTEXT)


def extracts(ctx: Context, m: KeywordMatcher) -> dict[str, tuple[int, set[str]]]:
    """item -> (codebook extracts, forms matched)."""
    out = {}
    for doc in ctx.docs:
        informant = {t.index for t in doc.informant_turns}
        rows = m.item_matches(ctx.analyses[doc.id], doc.text, informant)
        out[doc.id] = (sum(len(codes) for *_, codes in rows), {f for *_, codes in rows for fs in codes.values() for f in fs})
    return out


def measure(source: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_study(source, tmp)
        settings = (root / "thematic.yaml").read_text(encoding="utf-8")
        if "codebooks: []" in settings:
            (root / "thematic.yaml").write_text(settings.replace("codebooks: []", f"codebooks: [{CODEBOOK}]"), encoding="utf-8")
        ctx = Context(load_project(root))
        before, after = extracts(ctx, matcher(ctx, True)), extracts(ctx, matcher(ctx, False))
        language = {d.id: ctx.pipeline.for_text(d.text).language for d in ctx.docs}
    print(f"=== study: {source.name} (codebook {CODEBOOK}) ===")
    print(f"{'transcript':16} {'lang':>4} {'written':>8} {'+spellings':>11}  new forms")
    for item in sorted(before):
        new = sorted(after[item][1] - before[item][1])
        print(f"{item:16} {language[item]:>4} {before[item][0]:>8} {after[item][0]:>11}  {', '.join(new)}")
    for lang in sorted(set(language.values())):
        items = [i for i in before if language[i] == lang]
        print(f"{'all ' + lang:16} {lang:>4} {sum(before[i][0] for i in items):>8} {sum(after[i][0] for i in items):>11}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, action="append", help="a study folder (repeatable)")
    args = parser.parse_args()
    print(f"Nynorsk keyword matching at commit {commit()}\n")
    for source in args.study or EXAMPLES:
        measure(source.resolve())


if __name__ == "__main__":
    main()
