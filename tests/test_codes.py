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
    assert check_decision("accepted", {"a"}, "a") is None
    assert "names no code" in check_decision("merged:zzz", {"a"}, "a")
    assert "allowed" in check_decision("maybe", {"a"}, "a")
