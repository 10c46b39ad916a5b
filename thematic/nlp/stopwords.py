"""A stop list for interviews: closed-class words, spoken fillers and generic talk.

spaCy's nb list comes from news text and drops content words that are codes here (tid, folk,
mål, kontakt), so it is not used.
"""

from __future__ import annotations

FILLERS = frozenset(
    "altså liksom sånn sånt sånne ehm eh øh øhm mm mhm hm ja nei jo nå da vel ok okei "
    "akkurat egentlig faktisk bare litt mye veldig ganske helt kanskje selvfølgelig".split()
)
GENERIC_NOUNS = frozenset(
    "ting måte gang del slag sak fall stund år dag uke måned side tilfelle eksempel greie "
    "problem spørsmål svar folk person menneske prosent begynnelse slutt stykke halvdel "
    "mandag tirsdag onsdag torsdag fredag lørdag søndag klokke time minutt sekund".split()
)


def is_stop(lemma: str, pos: str) -> bool:
    """True for words that never make a code on their own."""
    return pos == "FUNC" or lemma in FILLERS or lemma in GENERIC_NOUNS or len(lemma) < 2
