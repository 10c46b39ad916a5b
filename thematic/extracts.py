"""Choosing the extracts that show a theme: spread over participants, not just the most frequent."""

from __future__ import annotations

import heapq
from collections import defaultdict
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, NamedTuple

from thematic.artefacts import Flow
from thematic.codes import EffectiveCode, counted_codes
from thematic.corpus import Document
from thematic.errors import StaleQuoteError
from thematic.store import STORE_FILE, read_store

if TYPE_CHECKING:
    from thematic.context import Context

SHORT, LONG = 8, 60  # words: extracts outside this range quote badly
QUOTE_KEYS = ("id", "item", "participant", "speaker", "line", "span", "text")


def picked(ctx: Context, codes: list[EffectiveCode], limit: int) -> list[dict]:
    """representative_extracts of codes that count in this run, each extract's fixed facts found
    once for phases 3 and 5 (for as long as the counted codes that hold the extracts live), and
    each set of codes picked from once: phase 5's themes are mostly phase 3's (their codes listed
    central first there), the picks depend only on which codes, and a longer list of picks
    begins with the shorter one, so phase 5's four go on from phase 3's three."""
    source = counted(ctx)[0]
    done = ctx.memo("extract-picks", source, dict)
    key = frozenset(code.id for code in codes)
    if key not in done:
        done[key] = ([], greedy_picks(codes, ctx.memo("extract-facts", source, dict)))
    got, more = done[key]
    got.extend(islice(more, max(limit - len(got), 0)))
    return got[:limit]


def representative_extracts(codes: list[EffectiveCode], limit: int, facts: dict | None = None) -> list[dict]:
    """The first `limit` of greedy_picks."""
    return list(islice(greedy_picks(codes, facts), limit))


def greedy_picks(codes: list[EffectiveCode], facts: dict | None = None) -> Iterator[dict]:
    """Greedy picks: a participant not yet quoted first, then quotable length, a new data item,
    codes not yet shown, extracts carrying several codes; ties by place in the data, so the choice is stable.
    A pick only ever makes the others' ranks worse, so a heap of the ranks each had when last
    looked at finds the best without ranking every extract again for every pick (lazy greedy)."""
    by_id: dict[str, dict] = {}
    codes_of: dict[str, set[str]] = defaultdict(set)
    for code in sorted(codes, key=lambda c: c.id):  # which codes, not their order: two may share an extract id
        for extract in code.extracts:
            by_id[extract["id"]] = extract
            codes_of[extract["id"]].add(code.id)
    people: set[str] = set()
    items: set[str] = set()
    shown: set[str] = set()

    def rank(c: _Candidate) -> tuple:  # unique: it ends with the extract's place and id
        return (c.unit in people, c.unquotable, c.item in items, -len(c.codes - shown), c.more, c.place)

    known = {} if facts is None else facts
    heap = [(rank(c), c) for c in (_candidate(e, codes_of[k], known) for k, e in by_id.items())]
    heapq.heapify(heap)
    while heap:
        _, best = heapq.heappop(heap)
        now = rank(best)
        if heap and now > heap[0][0]:  # worse since it was ranked: back in, with its rank now
            heapq.heappush(heap, (now, best))
            continue
        yield best.extract
        people.add(best.unit)
        items.add(best.item)
        shown |= best.codes


class _Candidate(NamedTuple):
    """An extract with the parts of its rank that do not change between picks (a tuple: tens of
    thousands of them are made per theme at 1M words)."""

    extract: dict
    unit: str
    unquotable: bool
    item: str
    place: tuple
    codes: set[str]
    more: int  # minus the number of codes it carries


def _candidate(e: dict, codes: set[str], known: dict[int, tuple]) -> _Candidate:
    """The candidate, its facts from `known` (keyed by the dict's id, checked to be that dict)."""
    held = known.get(id(e))
    if held is None or held[0] is not e:
        item = e["item"]
        words = len(e["text"].split())
        held = known[id(e)] = (e, e.get("participant") or item, not SHORT <= words <= LONG, item,
                               (item, (e.get("span") or [0])[0], e["id"]))
    return _Candidate(*held, codes, -len(codes))


def quote(extract: dict) -> dict:
    """An extract as artefacts quote it: where it is, who said it, and the verbatim text."""
    out = {k: extract[k] for k in QUOTE_KEYS if k in extract}
    if "span" in out:
        out["span"] = Flow(out["span"])
    return out


def verify_quote(doc: Document | None, extract: dict, source: str) -> None:
    """Refuse a quote that no longer matches the transcript it claims to come from."""
    if doc is None:
        raise StaleQuoteError(f"{source}: extract {extract.get('id')} cites item {extract['item']!r}, which is not in the corpus")
    span = extract.get("span")
    found = doc.text[span[0]:span[1]] if span else (extract["text"] if extract["text"] in doc.text else None)
    if found != extract["text"]:
        raise StaleQuoteError(
            f"{source}: extract {extract.get('id')} no longer matches {doc.path}:{extract.get('line', '?')}",
            fix="re-run thematic run to refresh the extracts (the transcript changed)",
        )


def _located(doc: Document, extract: dict) -> dict | None:
    """A hand-written extract (item + verbatim text) with the span, line, turn and speaker it has."""
    start = doc.text.find(extract["text"])
    if start < 0 or not extract["text"].strip():
        return None
    turn = next((t for t in doc.turns if t.start <= start < t.end), None)
    where = {"id": f"{doc.id}:{start}", "span": Flow([start, start + len(extract["text"])]), "line": doc.line_at(start)}
    if turn is not None:
        where |= {"participant": turn.participant, "speaker": turn.speaker, "turn": turn.index}
    return {**where, **extract}


def coded(ctx: Context) -> dict:
    """Phase 2's codes as phases 3-6 use them: each machine code that can count with all its
    extracts from the extract store, hand-written extracts located in their transcripts. The
    codes that can count are decided on the YAML's samples (counted_as_written): a sample is
    empty only when its code has no extract (or none is shown), and then the draft's codes are
    taken, which include every code that counts outside a draft. Suggestions nobody took up,
    most of the store, are not read. Once per 2-codes.yaml read."""
    data = ctx.artefact("code")
    wanted = {source for code in counted_as_written(ctx) for source in code.sources}
    return ctx.memo("code+extracts", data, lambda: resolve_manual_extracts(
        with_stored_extracts(data, ctx.project.machine_dir, wanted), ctx.docs_by_id, ctx.source("code")))


def counted_as_written(ctx: Context) -> list[EffectiveCode]:
    """The codes that count, from 2-codes.yaml alone (its shown extracts, not the store's), once."""
    data = ctx.artefact("code")
    return ctx.memo("counted-as-written", data, lambda: counted_codes(data)[0])


def counted(ctx: Context) -> tuple[list[EffectiveCode], bool]:
    """codes.counted_codes of `coded`, built once for phases 3-6 (they only read the codes)."""
    data = coded(ctx)
    return ctx.memo("counted", data, lambda: counted_codes(data))


def with_stored_extracts(codes_data: dict, machine_dir: Path, wanted: set[str] | None = None) -> dict:
    """Each code the store has (of `wanted`, if given) with all its extracts; the rest (manual
    codes, a decided code phase 2 no longer finds) keep what the YAML holds."""
    store = codes_data.get("extract_store")
    if not isinstance(store, dict):
        return codes_data
    stored = read_store(machine_dir / STORE_FILE, store.get("digest", ""),
                        (c["id"] for c in codes_data.get("codes", [])
                         if c.get("origin") != "manual" and (wanted is None or c["id"] in wanted)))
    codes = [{**c, "extracts": stored[c["id"]]} if c["id"] in stored and c.get("origin") != "manual" else c
             for c in codes_data.get("codes", [])]
    return {**codes_data, "codes": codes}


def resolve_manual_extracts(codes_data: dict, docs: dict[str, Document], source: str) -> dict:
    """Codes data whose hand-written extracts point at their source; one not in its transcript
    is refused with the code and the text, so a typo never becomes a quote."""
    codes = []
    for code in codes_data.get("codes", []):
        extracts = []
        for extract in code.get("extracts", []):
            if "span" not in extract:
                doc = docs.get(extract["item"])
                located = _located(doc, extract) if doc is not None else None
                if located is None:
                    raise StaleQuoteError(f"{source}: code {code['id']}: extract «{extract['text']}» is not in "
                                          f"item {extract['item']!r}", fix="copy the words exactly from the transcript")
                extract = located
            extracts.append(extract)
        codes.append({**code, "extracts": extracts})
    return {**codes_data, "codes": codes}
