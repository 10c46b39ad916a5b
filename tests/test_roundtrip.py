"""export -> import -> run -> export: the example study comes back with the same codes and the
same extracts (item, text, offsets), so a project that leaves thematic can come back to it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET
from helpers import invoke

NS = "{urn:QDA-XML:project:1.0}"


def codings(path: Path) -> tuple[set[str], set[tuple[str, str, int, int, str]]]:
    """The codable codes' names, and every coding as (code, source, start, end, the text there)."""
    with zipfile.ZipFile(path) as archive:
        root = SafeET.fromstring(archive.read("project.qde"))
        texts = {name.split("/")[1].split(".")[0]: archive.read(name).decode("utf-8")
                 for name in archive.namelist() if name.startswith("sources/")}
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{NS}Code") if c.get("isCodable") == "true"}
    out = set()
    for source in root.iter(f"{NS}TextSource"):
        text = texts[source.get("guid")]
        for selection in source.iter(f"{NS}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            for coding in selection.iter(f"{NS}CodeRef"):
                out.add((names[coding.get("targetGUID")], source.get("name"), start, end, text[start:end]))
    return set(names.values()), out


def test_export_import_run_export_gives_the_same_codes_and_extracts(analysed_example: Path, tmp_path: Path):
    first = tmp_path / "eksport.qdpx"
    assert invoke("export", analysed_example, "-o", first).exit_code == 0
    study = tmp_path / "importert"
    result = invoke("import", first, study)
    assert result.exit_code == 0, result.output
    result = invoke("run", study)
    assert result.exit_code == 0, result.output
    second = tmp_path / "igjen.qdpx"
    assert invoke("export", study, "-o", second).exit_code == 0
    codes, extracts = codings(first)
    assert len(extracts) > 400
    assert codings(second) == (codes, extracts)


def test_the_import_itself_gives_back_every_code_and_extract(analysed_example: Path, tmp_path: Path):
    """Before any run: the imported study's own codes are the exported ones, with their extracts."""
    import yaml

    first = tmp_path / "eksport.qdpx"
    assert invoke("export", analysed_example, "-o", first).exit_code == 0
    study = tmp_path / "importert"
    assert invoke("import", first, study).exit_code == 0
    codes, extracts = codings(first)
    data = yaml.safe_load((study / "analysis" / "2-codes.yaml").read_text(encoding="utf-8"))
    mine = {(c["label"], f"{e['item']}.txt", *e["span"], e["text"]) for c in data["codes"] for e in c["extracts"]}
    assert {c["label"] for c in data["codes"]} == codes
    assert mine == extracts
    names = sorted(p.name for p in (study / "interviews").iterdir())
    assert names == sorted(p.name for p in (analysed_example / "interviews").iterdir())
    for name in names:
        assert (study / "interviews" / name).read_text(encoding="utf-8") == \
            (analysed_example / "interviews" / name).read_text(encoding="utf-8")


def test_memos_and_participants_come_back_about_what_they_were_about(tiny_study: Path, tmp_path: Path):
    import yaml

    assert invoke("run", tiny_study).exit_code == 0
    theme = yaml.safe_load((tiny_study / "analysis" / "5-themes.yaml").read_text(encoding="utf-8"))["themes"][0]
    for args in (["-m", "Logg: jeg leter etter tid."], ["--item", "mentor-a", "-m", "Kort intervju."],
                 ["--code", "skreddersom", "-m", "Ordet brukes om alt."], ["--theme", theme["id"], "-m", "Bærende tema."]):
        assert invoke("memo", tiny_study, *args).exit_code == 0
    exported = tmp_path / "mini.qdpx"
    assert invoke("export", tiny_study, "-o", exported).exit_code == 0
    study = tmp_path / "importert"
    result = invoke("import", exported, study)
    assert result.exit_code == 0, result.output
    memos = yaml.safe_load((study / "memos.yaml").read_text(encoding="utf-8"))["memos"]
    about = {(next((k for k in ("item", "code", "theme") if k in m), "study"), m.get("item") or m.get("code"), m["text"])
             for m in memos}
    assert ("study", None, "Logg: jeg leter etter tid.") in about
    assert ("item", "mentor-a", "Kort intervju.") in about
    assert ("code", "skreddersom", "Ordet brukes om alt.") in about
    assert any(a == "study" and t.startswith(f"Om kategorien «{theme['name'] if theme.get('name') else theme['proposed_name']}»")
               and t.endswith("Bærende tema.") for a, _, t in about)
    people = yaml.safe_load((study / "participants.yaml").read_text(encoding="utf-8"))
    assert people["veiledere"] == {"role": "NAV-veileder"}  # both speakers' attribute, said once for the item
    assert people["mentor-a"] == {"role": "mentor"}
