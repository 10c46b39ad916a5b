"""thematic.names: a listed name is replaced in every form it takes, lines stay where they were,
and a detected name is filed as a place or a person."""

from __future__ import annotations

import pytest

from thematic.names import Found, Replacer, found_names, kinds, name_forms


def listed(pseudonyms: dict[str, str], keep: tuple[str, ...] = ()) -> Replacer:
    """A replacer as anonymise builds it for the researcher's list: every case form."""
    return Replacer({}, any_case=pseudonyms, keep=keep)


def test_the_bug_report_sentence_loses_every_ole():
    replace = listed({"Ole Bakken": "[navn 1]", "Ole": "[navn 1]", "Bakken": "[navn 1]"})
    text = "Han heter Ole Bakken. Da ringer jeg Ole, og Ole svarer alltid"
    assert replace(text) == "Han heter [navn 1]. Da ringer jeg [navn 1], og [navn 1] svarer alltid"
    assert replace.tally == {"[navn 1]": 3}


@pytest.mark.parametrize("text, expected", [
    ("OLE BAKKEN og ole bakken og Ole bakken", "[n] og [n] og [n]"),
    ("Oles bil, Ole's bil, Ole’s bil, BAKKENS hus", "[n]s bil, [n]'s bil, [n]’s bil, [n]S hus"),
    ("«Ole» og (Bakken) og 'Ole'", "«[n]» og ([n]) og '[n]'"),
    ("Ole-saken og Olesen og Olea", "[n]-saken og Olesen og Olea"),
    ("Anne-Grethe, Anne Grethe, ANNE-GRETHE, Anne og Grethe", "[a], [a], [a], [a] og [a]"),
])
def test_listed_names_in_every_case_genitive_and_spelling(text: str, expected: str):
    replace = listed({"Ole Bakken": "[n]", "Ole": "[n]", "Bakken": "[n]",
                      "Anne-Grethe": "[a]", "Anne": "[a]", "Grethe": "[a]"})
    assert replace(text) == expected


def test_a_line_broken_name_keeps_its_line_break_and_lines_keep_their_numbers():
    replace = listed({"Ole Bakken": "[n]", "Ole": "[n]", "Bakken": "[n]", "Anne Grethe": "[a]"})
    seen: list[tuple[str, int]] = []
    text = "Ja, Ole\nBakken kom. Ole \n Bakken også.\nAnne-\nGrethe her.\nOle\n\nBakken"
    copy = replace(text, lambda pseudonym, line: seen.append((pseudonym, line)))
    assert copy == "Ja, [n]\n kom. [n]\n også.\n[a]\n her.\n[n]\n\n[n]"
    assert copy.count("\n") == text.count("\n")
    assert seen == [("[n]", 1), ("[n]", 2), ("[a]", 4), ("[n]", 6), ("[n]", 8)]


def test_a_line_break_before_a_speaker_label_is_not_joined():
    replace = listed({"Ole Bakken": "[n]", "Ole": "[n]", "Bakken": "[n]"})
    assert replace("Intervjuer: Hei, Ole\nBakken: Hei.\n") == "Intervjuer: Hei, [n]\n[n]: Hei.\n"


def test_keep_leaves_a_word_alone_exactly_as_written_there():
    replace = listed({"Ole Bakken": "[n]", "Bakken": "[n]"}, keep=("bakken",))
    text = "Ole Bakken gikk opp bakken, over bakkens topp, til Bakken og BAKKEN."
    assert replace(text) == "[n] gikk opp bakken, over bakkens topp, til [n] og [n]."


def test_detected_terms_are_replaced_as_written_and_the_longest_term_wins():
    replace = Replacer({"Fatima": "[f]", "Kari Nordmann": "[k]", "Kari": "[k]"})
    assert replace("Fatima, fatima, Kari Nordmann, Kari\nNordmann, Karis") == "[f], fatima, [k], [k]\n, [k]s"
    assert replace.matches("Kari Nordmann og Kari") == {"Kari Nordmann": 1, "Kari": 1}


def test_name_forms_are_the_runs_of_capitalised_words():
    assert name_forms("Anne-Grethe Moe") == [
        "Anne", "Anne Grethe", "Anne Grethe Moe", "Grethe", "Grethe Moe", "Moe"]
    assert name_forms("Jan van der Berg") == ["Jan", "Jan van der Berg", "Berg"]
    assert "K." not in name_forms("Ole K. Bakken")


def test_detected_names_after_place_prepositions_or_with_place_endings_are_places():
    known = {"kari": "N:Kari"}.get
    text = ("Vi bor i Elvestad, og jeg kjører til Fjordvik. Han jobber utenfor Oslo hos Fatima. "
            "Hun heter Vikstad og snakket med Kari Elvestad. Han kommer fra Nordby. Og Agnes? Og Johannes.")
    found = list(found_names(text, known))
    assert Found("Elvestad", "i") in found and Found("Kari Elvestad", "med") in found
    assert kinds(found) == {
        "Elvestad": "sted", "Fjordvik": "sted", "Oslo": "sted", "Fatima": "navn", "Vikstad": "navn",
        "Kari Elvestad": "navn", "Nordby": "sted", "Agnes": "navn", "Johannes": "navn"}


def test_a_term_without_a_word_replaces_nothing():
    replace = Replacer({"-": "[x]"}, any_case={" - ": "[y]"})
    assert replace("Ja - nei, Ole.") == "Ja - nei, Ole." and replace.pattern is None
