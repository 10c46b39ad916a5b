"""A stop list for interviews: closed-class words, spoken fillers and generic talk.

spaCy's nb list comes from news text and drops content words that are codes here (tid, folk,
mål, kontakt), so it is not used. NEVER_CODES are words no researcher would code, whatever the
tagger says they are: negation and polarity (ikke, which Ordbank also lists as a noun),
quantifiers and measures (par, bit, rest), discourse nouns (snakk), nouns emptied by fixed
phrases (få tak i, et sted, neste gang) and adverbs or adjectives that surface as noun readings
(godt, feil, lett). Bokmål and nynorsk forms both.
"""

from __future__ import annotations

FILLERS = frozenset(
    "altså liksom sånn sånt sånne ehm eh øh øhm mm mhm hm ja nei jo nå da vel ok okei "
    "akkurat egentlig faktisk bare litt mye veldig ganske helt kanskje selvfølgelig".split()
)
GENERIC_NOUNS = frozenset(
    "ting måte gang del slag sak fall stund år dag uke måned side tilfelle eksempel greie "
    "problem spørsmål svar folk person menneske prosent begynnelse slutt stykke halvdel "
    "mandag tirsdag onsdag torsdag fredag lørdag søndag klokke time minutt sekund "
    # the same in Nynorsk
    "gong veke månad døme byrjing halvdel måndag tysdag laurdag sundag".split()
)

NEVER_CODES = frozenset(
    # negation and polarity
    "ikke ikkje aldri ingen inga ingenting intet "
    # quantifiers and measures
    "alt alle mange mykje lite noe noko par bit rest resten halvpart masse haug "
    # discourse nouns and nouns emptied by fixed phrases
    "snakk tak sted stad neste punkt runde type sort grad "
    # adverbs and adjectives that surface as noun readings
    "godt feil lett bra vel først sist".split()
)


# Adjectives too general to make an adjective + noun phrase an idea of its own: the phrase stays a
# variant of its noun ("vanlig portefølje" is portefølje, "psykisk helse" is not just helse).
# Evaluative, size, time, order and quantity words, bokmål and nynorsk.
LIGHT_ADJECTIVES = frozenset(
    "god dårlig bra fin grei flott stor liten lang kort høy lav ny gammel ung annen egen hel "
    "samme vanlig viktig vanskelig lett enkel forskjellig ulik rett riktig klar sikker mulig "
    "sann ordentlig skikkelig færre flere mange mest mindre større "
    "første andre tredje fjerde femte sjette sjuende åttende niende tiende siste neste "
    "gammal eigen heil vanskeleg mogleg fleire".split()
)


def is_stop(lemma: str, pos: str) -> bool:
    """True for words that never make a code on their own."""
    return (pos == "FUNC" or lemma in FILLERS or lemma in GENERIC_NOUNS or lemma in NEVER_CODES
            or len(lemma) < 2)
