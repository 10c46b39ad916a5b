"""A researcher's # comments survive the machine's rewrite of an artefact, beside what they were about."""

from __future__ import annotations

import yaml

from thematic.comments import comments_of, with_comments
from thematic.yaml_guard import PlainLoader

OLD = """\
# Mine kommentarer til kodene
meta: {schema: x}
codes:
# usikker på denne, se intervju 3
- id: tidspress
  label: 'Tidspress # ikke en kommentar'
  decision: accepted  # avgjort på veiledningsmøtet
  notes: |
    # dette er notat-tekst, ikke kommentar
    linje to
  evidence:  # tallene er maskinens
    frequency: 3
- id: gammel
  decision: rejected  # for vag
"""

NEW = """\
meta: {schema: x}
codes:
- id: angst
  decision: suggested
- id: tidspress
  label: 'Tidspress # ikke en kommentar'
  decision: accepted
  notes: |
    # dette er notat-tekst, ikke kommentar
    linje to
  evidence:
    frequency: 4
"""


def carried(old: str, new: str) -> tuple[str, list]:
    return with_comments(new, comments_of(old, yaml.compose(old, Loader=PlainLoader)))


def test_comments_go_back_beside_the_same_record_and_field():
    text, orphans = carried(OLD, NEW)
    lines = text.splitlines()
    assert lines[0] == "# Mine kommentarer til kodene" and lines[1].startswith("meta:")
    assert lines[lines.index("- id: tidspress") - 1] == "# usikker på denne, se intervju 3"
    assert "  decision: accepted  # avgjort på veiledningsmøtet" in lines
    assert "  evidence:  # tallene er maskinens" in lines
    assert yaml.safe_load(text) == yaml.safe_load(NEW)  # comments only: the data is the machine's


def test_a_comment_whose_record_is_gone_is_kept_at_the_end_with_where_it_stood():
    text, orphans = carried(OLD, NEW)
    assert [o.text for o in orphans] == ["# for vag"]
    assert text.rstrip("\n").splitlines()[-1] == "# [gone: codes[gammel].decision] # for vag"
    again, _ = carried(text, NEW)  # kept, not doubled, on the next rewrite
    assert again.count("# for vag") == 1 and again.count("# usikker") == 1


def test_hashes_inside_text_are_not_comments_and_files_without_comments_are_untouched():
    plain = NEW.replace("# dette er notat-tekst, ikke kommentar", "notat")
    assert comments_of(plain, yaml.compose(plain, Loader=PlainLoader)) == []
    found = comments_of(NEW, yaml.compose(NEW, Loader=PlainLoader))
    assert found == []  # '# ikke en kommentar' is inside a quoted label, the notes line inside a block
    assert with_comments(NEW, []) == (NEW, [])


def test_a_researchers_comments_in_2_codes_yaml_survive_a_forced_rewrite(tiny_study):
    from helpers import invoke

    assert invoke("run", tiny_study).exit_code == 0
    path = tiny_study / "analysis" / "2-codes.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("- id: tid\n", "# Tid: se notatet fra veiledningsmøtet\n- id: tid\n", 1)
    at = text.index("decision: pending", text.index("- id: samarbeid\n"))
    text = text[:at] + "decision: pending  # vent til intervju 4 er kodet" + text[at + len("decision: pending"):]
    path.write_text(text, encoding="utf-8")
    result = invoke("code", tiny_study, "--force")
    assert result.exit_code == 0, result.output
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[lines.index("- id: tid") - 1] == "# Tid: se notatet fra veiledningsmøtet"
    record = lines.index("- id: samarbeid")
    assert "  decision: pending  # vent til intervju 4 er kodet" in lines[record:record + 8]
    assert invoke("status", tiny_study).exit_code == 0
