from thematic.codes import check_decision, effective_codes


def code(cid: str, decision: str = "pending", origin: str = "codebook", extracts=("x",)) -> dict:
    return {"id": cid, "label": cid.title(), "origin": origin, "decision": decision, "theme_hint": "t",
            "extracts": [{"id": f"{e}-{cid}" if e != "x" else "doc:1", "item": "doc", "text": e,
                          "participant": "doc", "span": [1, 2]} for e in extracts]}


def ids(data: dict) -> list[str]:
    return [c.id for c in effective_codes(data)]


def test_rejected_codes_and_pending_suggestions_do_not_count():
    data = {"codes": [code("a"), code("b", "rejected"), code("c", origin="suggested")]}
    assert ids(data) == ["a"]


def test_renamed_codes_take_the_new_name_and_merged_extracts_join_the_target():
    data = {"codes": [code("a", "renamed:Individuell tilpasning"), code("b", "merged:a", extracts=("y",)), code("c")]}
    result = {c.id: c for c in effective_codes(data)}
    assert set(result) == {"individuell-tilpasning", "c"}
    merged = result["individuell-tilpasning"]
    assert merged.label == "Individuell tilpasning" and merged.sources == ["a", "b"]
    assert len(merged.extracts) == 2


def test_decision_errors_say_what_is_allowed():
    codes = {"a": code("a")}
    assert check_decision("accepted", codes, "a") is None
    assert "names no code" in check_decision("merged:zzz", codes, "a")
    assert "allowed" in check_decision("maybe", codes, "a")


def test_a_rename_onto_another_codes_id_is_refused_with_the_merge_that_says_it():
    codes = {c["id"]: c for c in (code("tidspress"), code("hastverk"), code("press", "renamed:Tid"))}
    assert "merged:tidspress" in check_decision("renamed:Tidspress", codes, "hastverk")
    assert check_decision("renamed:Tidspress", codes, "tidspress") is None  # a new label for itself
    assert "merged:press" in check_decision("renamed:tid", codes, "hastverk")  # two renamed to one name
    assert check_decision("renamed:Tid og press", codes, "hastverk") is None


def test_a_merge_into_a_rejected_code_is_refused():
    codes = {c["id"]: c for c in (code("a", "rejected"), code("b"))}
    assert "rejected" in check_decision("merged:a", codes, "b")


def test_merging_into_a_suggestion_takes_it_up_with_both_codes_extracts():
    data = {"codes": [code("a", origin="suggested", decision="suggested"), code("b", "merged:a", extracts=("y",))]}
    (only,) = effective_codes(data)
    assert only.id == "a" and only.sources == ["a", "b"] and len(only.extracts) == 2


def test_the_codes_that_count_share_their_extracts_and_give_a_hand_written_one_an_id():
    """Phases 3-6 hold one copy of each stored extract (50,000 per 1M words), not two."""
    stored = {"id": "a:0", "item": "a", "span": [0, 4], "text": "tekst"}
    mine = {"item": "a", "text": "tekst"}
    data = {"codes": [{"id": "x", "origin": "codebook", "decision": "accepted", "extracts": [stored]},
                      {"id": "y", "origin": "manual", "extracts": [mine]}]}
    extracts = {c.id: c.extracts for c in effective_codes(data)}
    assert extracts["x"][0] is stored
    assert extracts["y"][0]["id"].startswith("a:") and "id" not in mine
