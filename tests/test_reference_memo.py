"""The study's memo of general frequencies: the same values as wordfreq's table, served from its
file without the table (not yet used by the phases: see the module)."""

from __future__ import annotations

from pathlib import Path

import pytest

import thematic.nlp.reference_memo as memo_module
from thematic.nlp.reference import reference_frequency
from thematic.nlp.reference_memo import MEMO_FILE, load_memo

def _no_table(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The forms the memo had to ask wordfreq's table for."""
    asked: list[str] = []

    def lookup(form: str, forms: tuple = ()) -> float:
        asked.append(form)
        return reference_frequency(form, forms)

    monkeypatch.setattr(memo_module, "reference_frequency", lookup)
    return asked


def test_the_memo_gives_the_table_s_values_and_serves_them_from_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    asked = _no_table(monkeypatch)
    memo = load_memo(tmp_path, "v1")
    forms = ["Oppfølgingen", "oppfølging", "tettere"]
    assert memo.frequency("oppfølging", forms) == reference_frequency("oppfølging", forms)
    assert memo.frequency("ukjentordxyz", ()) == 0.0 and len(asked) == 4
    memo.save()
    again = load_memo(tmp_path, "v1")
    assert again.frequency("oppfølging", forms) == reference_frequency("oppfølging", forms)
    assert again.frequency("ukjentordxyz", ()) == 0.0 and len(asked) == 4  # none asked again
    assert load_memo(tmp_path, "v2").known == {}  # another wordfreq or reference code: empty


def test_a_damaged_memo_is_empty_and_rewritten(tmp_path: Path):
    (tmp_path / MEMO_FILE).write_text("{not json", encoding="utf-8")
    memo = load_memo(tmp_path, "v1")
    assert memo.known == {} and memo.frequency("tid", ()) == reference_frequency("tid", ())
    memo.save()
    assert load_memo(tmp_path, "v1").known == {"tid": reference_frequency("tid", ())}
