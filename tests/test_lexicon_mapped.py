"""The memory-mapped table behind the lexicon and the reference frequencies: every key found with
its value, nothing else found, and a file that is not exactly what `save` wrote never trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.nlp import mapped_table

TABLE = {"hund": "N:hund", "hunden": "N:hund", "går": "V:gå|N:gåre", "og": "X:og", "ærlig": "A:ærlig",
         "arbeidsinkludering": "N:arbeidsinkludering", "x": "", "i": "0.03019951720402016"}


def _saved(tmp_path: Path, table: dict[str, str]) -> mapped_table.MappedTable:
    path = tmp_path / "table"
    mapped_table.save(path, table)
    found = mapped_table.read(path)
    assert found is not None
    return found


def test_every_key_is_found_with_its_value_and_nothing_else(tmp_path: Path):
    found = _saved(tmp_path, TABLE)
    assert found == TABLE and len(found) == len(TABLE) and found.longest == len("arbeidsinkludering")
    assert all(found[key] == value and key in found for key, value in TABLE.items())
    for missing in ("hun", "unden", "hunde", "g", "", "og\t", "\nog", "Hund", "ærli", "\udcff"):
        assert missing not in found and found.get(missing, "-") == "-"
    with pytest.raises(KeyError):
        found["katt"]


def test_a_large_table_round_trips(tmp_path: Path):
    """Many keys a bucket and empty buckets alike (the bucket count is a power of two near n/2)."""
    table = {f"ord{i}": f"N:ord{i % 97}" for i in range(5000)}
    found = _saved(tmp_path, table)
    assert dict(found.items()) == table and "ord5000" not in found


def test_an_empty_table_round_trips(tmp_path: Path):
    assert dict(_saved(tmp_path, {}).items()) == {}


@pytest.mark.parametrize("change", [
    lambda data: data[:-3],  # truncated
    lambda data: data.replace(b"V:g\xc3\xa5", b"V:gi", 1),  # one changed value: the checksum differs
    lambda data: data.replace(b" 8 ", b" 9 ", 1),  # the count in the header
    lambda data: data.replace(b"mapped.v1 le", b"mapped.v1 be", 1),  # another byte order
    lambda data: data[:40] + data[41:],  # a byte gone from the header
    lambda data: b"",
])
def test_a_file_that_is_not_what_save_wrote_is_not_read(tmp_path: Path, change):
    path = tmp_path / "table"
    mapped_table.save(path, TABLE)
    path.write_bytes(change(path.read_bytes()))
    assert mapped_table.read(path) is None


def test_keys_or_values_that_do_not_fit_a_line_are_refused(tmp_path: Path):
    for bad in ({"a\tb": "x"}, {"a": "x\ny"}, {"": "x"}):
        with pytest.raises(ValueError):
            mapped_table.save(tmp_path / "bad", bad)
    assert not (tmp_path / "bad").exists()


@pytest.fixture()
def fake_wordfreq(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """wordfreq's list replaced by a small one, in a fresh cache folder; counts the full loads."""
    from thematic.nlp import reference

    loads: list[int] = []
    monkeypatch.setenv("THEMATIC_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(reference, "_wordfreq", lambda: loads.append(1) or {"hund": 1e-4, "hunden": 2.5e-5, "og": 0.0288})
    reference._frequencies.cache_clear()
    yield loads
    reference._frequencies.cache_clear()  # the real list again for the tests after


def test_reference_frequencies_come_from_wordfreq_once_then_from_the_mapped_copy(fake_wordfreq):
    from thematic.nlp import reference

    assert reference.reference_frequency("Hund", ["hunden", "Hunden"]) == 1e-4 + 2.5e-5
    assert reference.reference_frequency("katt", []) == 0.0
    assert reference.cache_path().is_file() and fake_wordfreq == [1]
    reference._frequencies.cache_clear()  # a new process
    assert reference.reference_frequency("og", ()) == 0.0288 and fake_wordfreq == [1]
    assert not isinstance(reference._frequencies(), dict)
