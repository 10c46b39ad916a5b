"""The extracts that show a theme: the lazy-greedy heap picks exactly what ranking every extract
again at every pick picks."""

from __future__ import annotations

import random
from types import SimpleNamespace

from thematic.extracts import LONG, SHORT, representative_extracts


def picked_by_scanning(codes: list, limit: int) -> list[dict]:
    """The rule written plainly: at each pick, rank every extract left."""
    by_id, codes_of = {}, {}
    for code in codes:
        for e in code.extracts:
            by_id[e["id"]] = e
            codes_of.setdefault(e["id"], set()).add(code.id)
    pool, chosen, people, items, shown = list(by_id.values()), [], set(), set(), set()
    while pool and len(chosen) < limit:
        best = min(pool, key=lambda e: ((e.get("participant") or e["item"]) in people,
                                        not SHORT <= len(e["text"].split()) <= LONG, e["item"] in items,
                                        -len(codes_of[e["id"]] - shown), -len(codes_of[e["id"]]),
                                        e["item"], e["span"][0], e["id"]))
        pool.remove(best)
        chosen.append(best)
        people.add(best.get("participant") or best["item"])
        items.add(best["item"])
        shown |= codes_of[best["id"]]
    return chosen


def random_codes(rng: random.Random) -> list:
    extracts = []
    for n in range(rng.randint(1, 60)):
        item = f"i{rng.randint(1, 6)}"
        start = rng.randint(0, 500)
        extracts.append({"id": f"{item}:{start}", "item": item, "participant": rng.choice([None, f"{item}/p{rng.randint(1, 2)}"]),
                         "span": [start, start + 10], "text": " ".join(["ord"] * rng.choice([3, SHORT, 20, LONG + 1]))})
    return [SimpleNamespace(id=f"kode-{k}", extracts=rng.sample(extracts, rng.randint(0, len(extracts))))
            for k in range(rng.randint(1, 5))]


def test_the_heap_picks_what_a_scan_of_every_extract_picks():
    rng = random.Random(3)
    for _ in range(400):
        codes, limit = random_codes(rng), rng.randint(1, 8)
        assert representative_extracts(codes, limit) == picked_by_scanning(codes, limit)


def test_phases_3_and_5_find_each_extracts_facts_once_per_run(monkeypatch):
    import thematic.extracts as extracts
    from thematic.context import Context

    rng = random.Random(5)
    codes = random_codes(rng)
    monkeypatch.setattr(extracts, "counted", lambda ctx: (codes, False))
    ctx = Context(project=None)  # type: ignore[arg-type]  # picked needs only the run's memo
    assert extracts.picked(ctx, codes, 4) == representative_extracts(codes, 4)
    facts = ctx.memo("extract-facts", codes, dict)
    assert len(facts) == len({e["id"] for c in codes for e in c.extracts})  # one per extract picked among
    kept = dict(facts)
    assert extracts.picked(ctx, codes[:1], 2) == representative_extracts(codes[:1], 2)
    assert facts == kept  # the second theme's extracts were all known


def test_the_picks_depend_on_which_codes_not_their_order_so_a_set_is_picked_from_once(monkeypatch):
    import thematic.extracts as extracts
    from thematic.context import Context

    rng = random.Random(11)
    for _ in range(200):  # random_codes makes extracts that share an id with other words, too
        codes, limit = random_codes(rng), rng.randint(1, 8)
        assert representative_extracts(codes, limit) == representative_extracts(codes[::-1], limit)
    codes = random_codes(random.Random(12))
    monkeypatch.setattr(extracts, "counted", lambda ctx: (codes, False))
    made: list[int] = []
    real = extracts.greedy_picks
    monkeypatch.setattr(extracts, "greedy_picks", lambda c, f=None: made.append(len(c)) or real(c, f))
    ctx = Context(project=None)  # type: ignore[arg-type]
    first = extracts.picked(ctx, codes, 3)
    assert extracts.picked(ctx, codes[::-1], 3) == first and made == [len(codes)]  # phase 5, the same theme
    extracts.picked(ctx, codes[:1], 3)
    assert len(made) == 2  # other codes are another pick


def test_a_longer_list_of_picks_begins_with_the_shorter_so_phase_5_goes_on_from_phase_3(monkeypatch):
    import thematic.extracts as extracts
    from thematic.context import Context

    rng = random.Random(13)
    for _ in range(100):
        codes = random_codes(rng)
        assert representative_extracts(codes, 3) == representative_extracts(codes, 7)[:3]
    codes = random_codes(random.Random(14))
    expected = {n: representative_extracts(codes, n) for n in (2, 3, 4)}
    monkeypatch.setattr(extracts, "counted", lambda ctx: (codes, False))
    started: list[int] = []
    real = extracts.greedy_picks
    monkeypatch.setattr(extracts, "greedy_picks", lambda c, f=None: started.append(1) or real(c, f))
    ctx = Context(project=None)  # type: ignore[arg-type]
    assert extracts.picked(ctx, codes, 3) == expected[3]
    assert extracts.picked(ctx, codes[::-1], 4) == expected[4] and started == [1]
    assert extracts.picked(ctx, codes, 2) == expected[2] and started == [1]
