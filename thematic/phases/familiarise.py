"""Phase 1, familiarisation: a profile of every data item for the researcher's first reading."""

from __future__ import annotations

from array import array
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator

from thematic.artefacts import Loaded, sha256_file
from thematic.context import Context
from thematic.corpus import INFORMANT, INTERVIEWER, Document, corpus_paths, participant_attributes
from thematic.item_cache import CACHE_DIR, ItemCache, cache_key
from thematic.nlp.analysis import DocAnalysis
from thematic.nlp.reference import log_ratio, reference_frequency
from thematic.nlp.stopwords import is_stop

KEY_POS = ("NOUN",)
ITEM_FORMAT = "familiarise-items.v1"  # what is cached per item; bump when it or key_terms changes


def key_terms(doc: Document, analysis: DocAnalysis, limit: int, min_count: int) -> dict[str, int]:
    """Noun lemmas unusually frequent in the informants' talk compared with general Norwegian."""
    total, counts, forms = noun_counts(doc, analysis, min_count)
    scored = [(log_ratio(n, total, reference_frequency(lemma, forms[lemma])), lemma) for lemma, n in counts.items()]
    top = sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:limit]
    return {lemma: counts[lemma] for _, lemma in top}


def noun_counts(doc: Document, analysis: DocAnalysis, min_count: int) -> tuple[int, dict[str, int], dict[str, set[str]]]:
    """The informants' word count, and each key noun lemma said at least `min_count` times with
    its count and spellings. Read off the analysis columns with numpy: a token object per word
    cost more than the rest of the phase."""
    import numpy

    words = _informant_words(doc, analysis)
    key_tags = [i for i, tag in enumerate(analysis.tags) if tag in KEY_POS]
    at = numpy.flatnonzero(words & numpy.isin(_column(analysis.tag), key_tags))
    lemma_of = _column(analysis.lemma)[at]
    ids, counts = numpy.unique(lemma_of, return_counts=True)
    kept = {i: n for i, n in zip(ids.tolist(), counts.tolist())
            if n >= min_count and not is_stop(analysis.lemmas[i], KEY_POS[0])}
    forms: dict[str, set[str]] = defaultdict(set)
    chosen = numpy.isin(lemma_of, list(kept))
    for i, lemma in zip(at[chosen].tolist(), lemma_of[chosen].tolist()):
        forms[analysis.lemmas[lemma]].add(doc.text[analysis.start[i]:analysis.end[i]])
    return int(words.sum()), {analysis.lemmas[i]: n for i, n in kept.items()}, forms


def _informant_words(doc: Document, analysis: DocAnalysis):  # type: ignore[no-untyped-def]
    """A mask over the word columns: True for the words of the informants' sentences."""
    import numpy

    rows = _column(analysis.sentences).reshape(-1, 5)
    rows = rows[numpy.isin(rows[:, 0], [t.index for t in doc.informant_turns])]
    edges = numpy.zeros(len(analysis.lemma) + 1, dtype="int64")
    numpy.add.at(edges, rows[:, 3], 1)
    numpy.add.at(edges, rows[:, 4], -1)
    return numpy.cumsum(edges[:-1]) > 0


def _column(values: array):  # type: ignore[no-untyped-def]
    """An int64 column as a numpy view (no copy)."""
    import numpy

    return numpy.frombuffer(values, dtype="int64") if len(values) else numpy.zeros(0, dtype="int64")


def _speakers(doc: Document, participants: dict) -> list[dict[str, Any]]:
    """Who speaks in the item, interviewer first, informants with their attributes."""
    return [_with_attributes(doc, row, participants) for row in _voices(doc)]


def _voices(doc: Document) -> list[dict[str, Any]]:
    """Each speaker's turns and words, from the transcript alone (cached with the key terms)."""
    turns: dict[str, list] = {}
    for turn in doc.turns:
        if turn.role in (INFORMANT, INTERVIEWER):
            turns.setdefault(turn.speaker or doc.id, []).append(turn)
    rows = [{"label": label, "role": said[0].role, **_who({t.participant or label for t in said}),
             "turns": len(said), "words": sum(t.words for t in said)} for label, said in turns.items()]
    return sorted(rows, key=lambda r: (r["role"] != INTERVIEWER, r["label"]))


def _with_attributes(doc: Document, row: dict[str, Any], participants: dict) -> dict[str, Any]:
    """An informant's attributes from participants.yaml: outside the cache, so editing them re-reads no item."""
    attrs = participant_attributes(participants, doc.id, row["label"])
    if row["role"] == INFORMANT and attrs:
        return {**row, "attributes": dict(sorted(attrs.items()))}
    return row


def _who(people: set[str]) -> dict[str, Any]:
    """One person, or the count of anonymous voices where paragraphs cannot be told apart
    (never the first paragraph's voice id passed off as the participant)."""
    if len(people) == 1:
        return {"participant": next(iter(people))}
    return {"voices": len(people)}


def _language(ctx: Context, doc: Document) -> dict[str, str]:
    """The language the item was read as, for a study not in plain bokmål (language: nn/auto)."""
    if ctx.project.settings["language"] == "nb":
        return {}
    return {"language": ctx.pipeline.for_text(doc.text).language}


def profile(doc: Document, analysis: DocAnalysis, params: dict) -> dict[str, Any]:
    """What phase 1 reads from one item alone, the part worth caching: its voices and key terms."""
    return {"voices": _voices(doc), "key_terms": key_terms(doc, analysis, params["key_terms"], params["min_count"])}


def _item(ctx: Context, doc: Document, profiled: dict[str, Any]) -> dict[str, Any]:
    speakers = [_with_attributes(doc, row, ctx.participants) for row in profiled["voices"]]
    words = {role: sum(s["words"] for s in speakers if s["role"] == role) for role in (INFORMANT, INTERVIEWER)}
    turns = {role: sum(s["turns"] for s in speakers if s["role"] == role) for role in (INFORMANT, INTERVIEWER)}
    return {
        "id": doc.id,
        "file": ctx.project.relative(doc.path),
        "sha256": doc.sha256,
        **_language(ctx, doc),
        "words": {"informants": words[INFORMANT], "interviewer": words[INTERVIEWER]},
        "turns": {"informants": turns[INFORMANT], "interviewer": turns[INTERVIEWER]},
        "speakers": speakers,
        "key_terms": profiled["key_terms"],
        "notes": "",
    }


def profiles(ctx: Context, params: dict) -> Iterator[tuple[Document, dict[str, Any]]]:
    """Every item with its profile, read from the item cache (folder cache/familiarise) or made.

    The key hashes what a profile depends on: the item's analysis (content, turn spans,
    pipeline), its id, its turns' roles and speakers, the parameters, the word lists key terms
    are scored with and ITEM_FORMAT; one edited transcript is profiled again, the others read.
    An item analysed in this run is profiled as soon as its analysis is made (when_analysed),
    so profiling shares the cores with the analyses still running on the workers.
    """
    from thematic.nlp.analysis import when_analysed

    cache = ItemCache(ctx.project.machine_dir / CACHE_DIR / "familiarise", "familiarisation", ctx.warnings.append)
    depends = [ITEM_FORMAT, params["key_terms"], params["min_count"], _word_lists()]
    made: dict[str, dict[str, Any]] = {}
    with when_analysed(lambda doc, analysis: made.update({doc.id: _profiled(cache, doc, analysis, params, depends)})):
        analyses = ctx.analyses
    for doc in ctx.docs:
        yield doc, made.pop(doc.id, None) or _profiled(cache, doc, analyses[doc.id], params, depends)
    cache.prune()


def _profiled(cache: ItemCache, doc: Document, analysis: DocAnalysis, params: dict, depends: list) -> dict[str, Any]:
    """One item's profile from the cache, else made and cached (an analysis without a key: made)."""
    key = cache_key(analysis.key, doc.id, [(t.index, t.role, t.speaker, t.participant) for t in doc.turns],
                    depends) if analysis.key else ""
    found = cache.get(key) if key else None
    if found is None:
        found = profile(doc, analysis, params)
        if key:
            cache.put(key, found)
    return found


def _word_lists() -> list[str]:
    """What key terms are scored against besides the analysis: wordfreq's version and our stop
    list and reference code, by content (a change there re-scores every item)."""
    from thematic.nlp import reference, stopwords
    from thematic.versions import required_version

    return [required_version("wordfreq"), sha256_file(Path(stopwords.__file__)), sha256_file(Path(reference.__file__))]


def _start_workers(ctx: Context) -> None:
    """Workers for the NLP pass start loading now, beside this process's own loading (nlp.analysis):
    on a study's first run before the transcripts are read, else once they are."""
    from thematic.nlp.analysis import start_early, start_first

    if "analyses" in ctx.__dict__:
        return
    model, language, cache = ctx.project.settings["nlp"]["model"], ctx.project.settings["language"], ctx.project.nlp_cache
    if "docs" not in ctx.__dict__ and start_first(_file_sizes(ctx), model, language, cache):
        return
    start_early(ctx.docs, model, language, cache)


def _file_sizes(ctx: Context) -> list[int]:
    """The transcripts' sizes in bytes, without reading them (none when one cannot be told:
    reading them says why)."""
    try:
        return [path.stat().st_size for path in corpus_paths(ctx.project)]
    except OSError:
        return []


def run(ctx: Context, params: dict) -> dict[str, Any]:
    _start_workers(ctx)
    items = [_item(ctx, doc, profiled) for doc, profiled in profiles(ctx, params)]
    participants = sorted({p for doc in ctx.docs for p in doc.participants})
    return {
        "summary": {
            "items": len(items),
            "participants": len(participants),
            "informant_words": sum(i["words"]["informants"] for i in items),
            "interviewer_words": sum(i["words"]["interviewer"] for i in items),
        },
        "items": items,
    }


def validate(loaded: Loaded) -> None:
    for i, item in enumerate(loaded.records("items", "item")):
        if not isinstance(item.get("notes", ""), str):
            raise loaded.error(["items", i, "notes"], "notes must be text (use | for several lines)")
