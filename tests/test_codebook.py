from pathlib import Path

import pytest

from thematic.codebook import load_codebook
from thematic.errors import ArtefactError

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_codebook_is_valid_and_every_code_has_keywords_and_a_theme():
    from thematic.project import resolve_codebook

    path = resolve_codebook(ROOT / "no-study", "arbeidsinkludering")
    assert path.parent.parent.name == "thematic"  # read from inside the package, however installed
    assert (ROOT / "codebooks" / "arbeidsinkludering.yaml").read_bytes() == path.read_bytes()  # the top-level view
    book = load_codebook(path)
    assert book.id == "arbeidsinkludering"
    assert len(book.codes) >= 20
    themes = {t.id for t in book.themes}
    assert all(code.keywords and code.theme in themes for code in book.codes)


@pytest.mark.parametrize("body, line, words", [
    ("codes:\n  - id: a\n    label: A\n    theme: nope\n", 6, "not one of the codebook's themes"),
    ("codes:\n  - id: Æ x\n    label: A\n", 4, "is not an id"),
    ("codes:\n  - id: a\n    label: A\n    colour: red\n", 6, "unknown field 'colour'"),
])
def test_codebook_errors_name_the_line(tmp_path: Path, body: str, line: int, words: str):
    path = tmp_path / "cb.yaml"
    path.write_text("codebook: {id: cb, title: T}\nthemes: []\n" + body, encoding="utf-8")
    with pytest.raises(ArtefactError) as info:
        load_codebook(path)
    assert str(info.value).startswith(f"{path}:{line}:") and words in str(info.value)
