"""The extract store: every extract beside the YAML, which shows a bounded sample and names the store."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import yaml

from thematic.errors import ArtefactError
from thematic.store import STORE_FILE, read_store, write_store

from helpers import invoke, load

EXTRACT = {"id": "a:0", "item": "a", "participant": "a", "speaker": "Mentor", "turn": 2, "line": 3,
           "span": [0, 12], "text": "Tiden går fort."}


def test_a_store_gives_back_what_was_written_and_refuses_one_that_is_not_the_yamls(tmp_path: Path):
    timed = dict(EXTRACT, id="a:20", span=[20, 30], time="00:01:02", speaker=None)
    meta = write_store(tmp_path / STORE_FILE, {"tid": [EXTRACT, timed], "tom": []})
    assert meta["extracts"] == 2 and meta["file"] == STORE_FILE
    assert read_store(tmp_path / STORE_FILE, meta["digest"], ["tid", "tom", "annen"]) == {"tid": [EXTRACT, timed]}
    with closing(sqlite3.connect(tmp_path / STORE_FILE)) as db:  # by item, made after the rows: still there
        assert db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'extracts' "
                          "AND sql IS NOT NULL").fetchall() == [("extracts_item",)]
    with pytest.raises(ArtefactError, match="does not belong to 2-codes.yaml"):
        read_store(tmp_path / STORE_FILE, "0" * 64, ["tid"])
    (tmp_path / STORE_FILE).write_bytes(b"not a database at all, just bytes" * 10)
    with pytest.raises(ArtefactError, match="not a thematic extract store"):
        read_store(tmp_path / STORE_FILE, meta["digest"], ["tid"])
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_yaml_shows_a_bounded_sample_and_phases_3_to_6_see_every_extract(tiny_study: Path, tmp_path: Path):
    small = tmp_path / "small"
    shutil.copytree(tiny_study, small)
    text = (small / "thematic.yaml").read_text(encoding="utf-8").replace("phases:\n", "phases:\n  code: {extracts_shown: 1}\n")
    (small / "thematic.yaml").write_text(text, encoding="utf-8")
    for study in (tiny_study, small):
        assert invoke("run", study).exit_code == 0
    shown = {c["id"]: c for c in load(small, "2-codes.yaml")["codes"]}
    full = {c["id"]: c for c in load(tiny_study, "2-codes.yaml")["codes"]}
    assert any(c["extracts_total"] > 1 for c in full.values())
    for code_id, code in shown.items():
        assert len(code["extracts"]) == min(1, code["extracts_total"]) and code["extracts_total"] == full[code_id]["extracts_total"]
    for name in ("3-candidate-themes.yaml", "5-themes.yaml"):
        assert load(small, name)["themes"] == load(tiny_study, name)["themes"]


def test_a_missing_or_foreign_store_makes_phase_2_stale_and_a_run_mends_it(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    store = tiny_study / "analysis" / ".thematic" / STORE_FILE
    store.unlink()
    assert "stale" in _row(invoke("status", tiny_study).output, "2 code")
    assert invoke("run", tiny_study).exit_code == 0
    assert store.is_file() and "fresh" in _row(invoke("status", tiny_study).output, "2 code")
    with sqlite3.connect(store) as db:
        db.execute("UPDATE meta SET value = 'x' WHERE key = 'digest'")
    assert "stale" in _row(invoke("status", tiny_study).output, "2 code")
    assert invoke("run", tiny_study).exit_code == 0 and "fresh" in _row(invoke("status", tiny_study).output, "2 code")


def test_a_decision_reaches_phases_3_to_6_without_re_running_phase_2(tiny_study: Path):
    assert invoke("run", tiny_study).exit_code == 0
    path = tiny_study / "analysis" / "2-codes.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("decision: pending", text.index("- id: tid\n"))
    path.write_text(text[:at] + "decision: rejected" + text[at + len("decision: pending"):], encoding="utf-8")
    result = invoke("run", tiny_study)
    assert result.exit_code == 0
    assert "skipped" in _row(result.output, "2 code") and "ran" in _row(result.output, "3 themes")
    assert all("tid" not in t["codes"] for t in load(tiny_study, "3-candidate-themes.yaml")["themes"])
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["extract_store"]["extracts"] > 0


def _row(table: str, phase: str) -> str:
    """The line of a rich table that starts with this phase."""
    return next(line for line in table.splitlines() if line.count("│") > 3 and line.split("│")[1].strip() == phase)


def _shown_as_before(extracts: list[dict], limit: int) -> list[dict]:
    """The sample rule as a whole list: each participant's first extract before anyone's second."""
    seen: set = set()
    first, rest = [], []
    for i, extract in enumerate(extracts):
        (rest if extract["participant"] in seen else first).append(i)
        seen.add(extract["participant"])
    return [extracts[i] for i in sorted((first + rest)[:limit])]


@pytest.mark.parametrize("limit", [1, 3, 20])
def test_a_sample_chosen_as_extracts_stream_by_is_the_one_chosen_from_all_of_them(limit: int):
    import random

    from thematic.phases.code import Sample
    from thematic.store import extract_of, row_of

    rng = random.Random(limit)
    extracts = [dict(EXTRACT, id=f"a:{i}", span=[i, i + 1], participant=rng.choice(["p1", "p2", "p3", None]))
                for i in range(40)]
    sample = Sample(limit)
    for extract in extracts:
        sample.add(row_of(extract))
    assert sample.count == 40 and sample.shown() == [extract_of(row_of(e)) for e in _shown_as_before(extracts, limit)]


def test_phase_2_stores_each_items_extracts_as_it_is_read_and_lets_its_counts_go_before_the_index(
        tiny_study: Path, monkeypatch: pytest.MonkeyPatch):
    import gc

    import thematic.item_coding as item_coding
    import thematic.phases.code as code
    import thematic.store as store
    from thematic.suggest import Candidate

    events: list = []
    results, add, index = item_coding.item_results, store.StoreWriter.add, code.writer

    def handed_out(*args, **kwargs):  # type: ignore[no-untyped-def]
        for doc, result in results(*args, **kwargs):
            events.append(("read", doc.id))
            yield doc, result

    def added(self, rows):  # type: ignore[no-untyped-def]
        rows = list(rows)
        events.append(("stored", sorted({row[1] for _, row in rows})))
        add(self, rows)

    def indexing(source):  # type: ignore[no-untyped-def]
        write = index(source)

        def checked(db):  # type: ignore[no-untyped-def]
            events.append(("index", sum(isinstance(o, Candidate) for o in gc.get_objects())))
            return write(db)
        return checked

    monkeypatch.setattr(item_coding, "item_results", handed_out)
    monkeypatch.setattr(store.StoreWriter, "add", added)
    monkeypatch.setattr(code, "writer", indexing)
    assert invoke("run", tiny_study).exit_code == 0
    reads = [e for e in events if e[0] == "read"]
    assert len(reads) == 3 and events[:6:2] == reads  # each item's extracts stored before the next is read
    assert all(events[i + 1] == ("stored", [reads[i // 2][1]]) for i in (0, 2, 4))
    assert events[-1] == ("index", 0)  # no suggestion candidate alive while the index is built


def test_a_phase_2_that_stops_halfway_leaves_the_old_store_and_no_temp_file(tiny_study: Path,
                                                                           monkeypatch: pytest.MonkeyPatch):
    import thematic.phases.code as code

    assert invoke("run", tiny_study).exit_code == 0
    folder = tiny_study / "analysis" / ".thematic"
    before = (folder / STORE_FILE).read_bytes()

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ArtefactError("stopped on purpose")

    monkeypatch.setattr(code, "merge_counts", broken)
    assert "stopped on purpose" in invoke("code", tiny_study, "--force").output
    assert (folder / STORE_FILE).read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_the_digest_names_the_content_however_the_rows_came_in(tmp_path: Path):
    from thematic.store import row_of, writing

    later = dict(EXTRACT, id="b:5", item="b", span=[5, 9])
    whole = write_store(tmp_path / "a.sqlite", {"tid": [EXTRACT, later], "tom": [later]})
    with writing(tmp_path / "b.sqlite") as store:  # item by item, the codes interleaved
        store.add([("tom", row_of(later)), ("tid", row_of(EXTRACT))])
        store.add([("tid", row_of(later))])
        streamed = store.finish()
    assert streamed == dict(whole, file="b.sqlite") and read_store(tmp_path / "b.sqlite", streamed["digest"], ["tid", "tom"]) == \
        read_store(tmp_path / "a.sqlite", whole["digest"], ["tid", "tom"])
    other = write_store(tmp_path / "c.sqlite", {"tid": [EXTRACT, dict(later, text="Annen tekst.")], "tom": [later]})
    assert other["digest"] != whole["digest"]
