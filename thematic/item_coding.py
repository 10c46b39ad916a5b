"""Phase 2's work per transcript, cached: its codebook matches and the tallies the suggester sums.

An item's result depends only on its analysis (content, turns, pipeline), which of its turns are
informants', the keywords and the versions of the matching and counting; its key in the item
cache (thematic.item_cache, folder cache/code) hashes exactly those, so one edited transcript is
matched and counted again and the others are read. Results are handed out one at a time in
corpus order and read from the cache only then, so the whole corpus's results are never in
memory at once. Missing results are made on as many processes as the run has (thematic.jobs).
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any, Iterator

from thematic.artefacts import canonical_hash
from thematic.context import Context
from thematic.corpus import Document
from thematic.item_cache import CACHE_DIR, ItemCache, cache_key
from thematic.jobs import run_items, workers_pay
from thematic.matching import Keyword, KeywordMatcher, signature_of
from thematic.nlp.analysis import Analyses, DocAnalysis
from thematic.nlp.lemmas import Lemmatiser
from thematic.nlp.lexicon import LEXICON_VERSION, lookups_version
from thematic.suggest import ALGORITHM, COUNTS_FORMAT, item_counts

ITEM_FORMAT = "code-items.v1"  # what is cached per item; bump when it changes
KEPT_CHARS = 8_000_000  # results made on workers for the first ~1.3M words stay in memory (~40 MB) till handed out
_MATCHERS: dict[str, KeywordMatcher] = {}  # in a worker process: one per set of keywords, built once


def item_result(doc: Document, analysis: DocAnalysis, matcher: KeywordMatcher, counting: bool) -> dict[str, Any]:
    """One item's codebook matches and, when suggesting, its tallies."""
    informant = {t.index for t in doc.informant_turns}
    return {"matches": matcher.item_matches(analysis, doc.text, informant),
            "counts": item_counts(doc.text, analysis, informant) if counting else None}


def item_results(ctx: Context, matcher: KeywordMatcher, counting: bool) -> Iterator[tuple[Document, dict[str, Any]]]:
    """Every item with its result, in corpus order: read from the cache as it is handed out, or
    made then (in this process), or made beforehand on the run's workers when that pays. The
    cache is pruned once the last one is handed out."""
    cache = ItemCache(ctx.project.machine_dir / CACHE_DIR / "code", "coding", ctx.warnings.append)
    depends = [ITEM_FORMAT, matcher.signature(), LEXICON_VERSION, lookups_version(), counting and [ALGORITHM, COUNTS_FORMAT]]
    docs, analyses = ctx.docs, ctx.analyses  # each analysis read only when its item is made (nlp.analysis.Analyses)
    keys = [cache_key(analyses.key_of(d.id), [t.index for t in d.informant_turns], depends) for d in docs]
    missing = [i for i, key in enumerate(keys) if not cache.path(key).is_file()]
    step = ctx.progress("Coding", len(missing))
    made = _made_elsewhere(cache, matcher, counting, [(docs[i], analyses, keys[i]) for i in missing], step)
    made = {missing[j]: result for j, result in made.items()}
    for i, (doc, key) in enumerate(zip(docs, keys)):
        result = made.pop(i, None) or cache.get(key)
        if result is None:
            result = item_result(doc, analyses[doc.id], matcher, counting)
            cache.put(key, result)
            step(doc.id)
        yield doc, result
    cache.prune()


def _made_elsewhere(cache: ItemCache, matcher: KeywordMatcher, counting: bool,
                    work: list[tuple[Document, Analyses, str]], step: Any) -> dict[int, dict[str, Any]]:
    """When workers pay: the missing results made on them (and this process) and cached; those
    of the first KEPT_CHARS of text also kept in memory (not read back from the cache: ~0.15 s
    per 1M words), and any the cache cannot keep. Otherwise nothing: each is made when handed out."""
    if not workers_pay(len(work), sum(len(doc.text) for doc, _, _ in work)):
        return {}
    kept: dict[int, dict[str, Any]] = {}
    room = [0, *accumulate(len(doc.text) for doc, _, _ in work)]

    def done(j: int, result: dict[str, Any]) -> None:
        doc, _, key = work[j]
        if not cache.put(key, result) or room[j + 1] <= KEPT_CHARS:
            kept[j] = result
        step(doc.id)

    run_items(len(work), lambda j: item_result(work[j][0], work[j][1][work[j][0].id], matcher, counting),
              lambda j: (item_elsewhere, (matcher.keywords, matcher.deciding, counting, work[j][0], work[j][1][work[j][0].id])),
              sum(len(doc.text) for doc, _, _ in work), done, (matcher_elsewhere, (matcher.keywords, matcher.deciding)))
    return kept


def item_elsewhere(keywords: dict[str, list[Keyword]], deciding: frozenset[str], counting: bool,
                   doc: Document, analysis: DocAnalysis) -> dict[str, Any]:
    """item_result in a worker process, its matcher built there once."""
    return item_result(doc, analysis, matcher_elsewhere(keywords, deciding), counting)


def matcher_elsewhere(keywords: dict[str, list[Keyword]], deciding: frozenset[str]) -> KeywordMatcher:
    """The matcher for these keywords in a worker process, built once (with the lexicon)."""
    key = canonical_hash(signature_of(keywords, deciding))
    if key not in _MATCHERS:
        _MATCHERS[key] = KeywordMatcher(None, keywords, Lemmatiser().readings, deciding)
    return _MATCHERS[key]
