from thematic.matching import find, parse_keyword
from thematic.nlp.analysis import Token


def tokens(*lemmas: str) -> tuple[Token, ...]:
    return tuple(Token(i, i + 1, lemma, "NOUN") for i, lemma in enumerate(lemmas))


def keyword(raw: str):
    return parse_keyword(raw, str.lower, compound_min_length=6)


def test_long_keywords_match_as_compound_heads():
    assert list(find(keyword("oppfølging"), tokens("arbeidsgiveroppfølging"))) == [(0, 0)]


def test_short_keywords_match_whole_words_unless_starred():
    assert list(find(keyword("mål"), tokens("spørsmål"))) == []
    assert list(find(keyword("*tid"), tokens("arbeidstid"))) == [(0, 0)]
    assert list(find(keyword("tid"), tokens("tid"))) == [(0, 0)]


def test_multiword_keywords_match_lemma_sequences():
    kw = keyword("tett oppfølging")
    assert list(find(kw, tokens("veldig", "tett", "oppfølging"))) == [(1, 2)]
    assert list(find(kw, tokens("tett", "og", "oppfølging"))) == []
