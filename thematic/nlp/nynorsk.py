"""Lemma and word class for Nynorsk: hand-written closed classes and strong verbs, simplemma's
nn lemmas for the rest, word classes from the Ordbank (bokmål) lexicon or a suffix rule.

The bokmål lexicon alone reads Nynorsk badly: it does not know `brukarane` or `ikkje`, and
knows many Nynorsk forms as other bokmål words (`vart` -> vare, `kvar` -> kvare, `vener` -> vene).
simplemma (MIT) has an nn dictionary but no word classes and some old a-infinitives (`sitja`).
Measured on two gold lists by benchmarks/nynorsk_lemmas.py.
"""

from __future__ import annotations

from functools import lru_cache

from thematic.nlp.lemmas import ADJ, FUNC, NOUN, PROPN, VERB, Lemmatiser, _readings

NYNORSK_VERSION = "nynorsk-lemmas.v1"  # the tables and rules below (part of the nn pipeline's version)
SPELLINGS_VERSION = "nb-nn-spellings.v2"  # the SPELLING_* tables and rules below (part of matching's version)


def _table(text: str) -> dict[str, str]:
    """'lemma: form form ...' lines -> form -> lemma (the lemma is a form of itself)."""
    out: dict[str, str] = {}
    for line in text.strip().splitlines():
        lemma, _, forms = line.partition(":")
        for form in [lemma.strip(), *forms.split()]:
            out.setdefault(form, lemma.strip())
    return out


# Closed classes: pronouns, determiners, prepositions, conjunctions, and the adverbs and
# particles no code is made of. All are FUNC, so never key terms or suggestions.
CLOSED = _table("""
eg: meg
du: deg
han: honom
ho: henne
vi: oss me
de: dykk
dei: deim
det:
den:
seg:
min: mi mitt mine
din: di ditt dine
sin: si sitt sine
vår: vårt våre
dykkar:
deira:
hans:
hennar:
ein: ei eit éin eitt
denne: dette desse
nokon: noko nokre
ingen: inga inkje
kvar: kvart kvarannan
kvarandre:
kven:
kva:
kor:
korleis:
kvifor:
kvi:
når:
all: alt alle
annan: anna andre
same:
sjølv: sjølve
begge:
ikkje:
ingenting:
no:
då:
berre:
heime:
mykje:
lite:
litt:
meir:
mest:
òg:
og:
også:
heller:
elles:
difor: derfor
då:
enno:
framleis:
saman:
att:
igjen:
likevel:
lenge:
snart:
alltid:
aldri:
ofte:
kanskje:
eigentleg:
nok:
jo:
vel:
heilt:
veldig:
ganske:
her:
der:
dit:
hit:
dær:
åleine:
òg:
frå:
til:
på:
i:
av:
med:
om:
over:
under:
mellom:
etter:
hos:
ved:
mot:
gjennom:
sidan:
rundt:
blant:
utan:
innan:
kring:
langs:
utanfor:
innanfor:
bortsett:
medan:
fordi:
dersom:
viss:
at:
som:
enn:
men:
eller:
for:
så:
både:
verken:
korkje:
""")

# Strong and irregular verbs, whose forms the bokmål lexicon reads as other words.
VERBS = _table("""
vere: er var vore vera
verte: vert vart vorte verta
bli: blir blei blitt
ha: har hadde hatt
gå: går gjekk gått
få: får fekk fått
kome: kjem kom komme komen
seie: seier sa sagt seia
gjere: gjer gjorde gjort gjera
gje: gjev gav gjeve
gi: gir gitt
vite: veit visste visst
ta: tek tok teke tatt
sjå: ser såg sett
stå: står stod stått
liggje: ligg låg ligge
sitje: sit sat sete sitte
setje: set sette
leggje: legg la lagt legge
spørje: spør spurde spurt
trenge: treng trong trunge trengde
finne: finn fann funne
finnast: finst fanst funnest
synast: synest syntest synst
kjennast: kjennest kjendest
lese: les las
skrive: skriv skreiv
halde: held heldt
velje: vel valde valt
telje: tel talde talt
fortelje: fortel fortalde fortalt
drive: driv dreiv
bere: ber bar bore
ete: et åt
sove: søv sov
skulle: skal
kunne: kan
ville: vil
måtte: må
burde: bør
tore: tør torde
""")

VERB_CONTEXT = frozenset("å skal kan vil må bør skulle kunne ville måtte eg du han ho hen [hen] vi me de dei".split())
NOUN_CONTEXT = frozenset(
    "ein ei eit den denne dette desse min mi mitt mine din di ditt dine sin si sitt sine vår vårt "
    "våre hans hennar dykkar deira nokon noko nokre mange fleire alle all kvar kvart "
    "i på om med for til frå av under etter mellom utan hos ved mot gjennom".split()
)
_NOUN_ENDS = ("ar", "ing", "heit", "skap", "dom", "nad", "sjon", "else", "leik", "eri", "ist", "itet", "isme")
_ADJ_ENDS = ("leg", "ig", "sam", "isk", "laus", "full", "bar")
_DEFINITE = ("ane", "ene", "en", "et")  # only nouns end so after their stem (brukarane, skulen)
_PLURAL = ("ar", "er", "a", "i", "o")  # nouns after a lemma without -e (dagar, vener, bygda)
_VERB_ENDS = ("ar", "er", "r", "a", "te", "de", "dde", "t", "d", "ast", "est", "st", "ande")
_ACUTE = str.maketrans("óáíú", "oaiu")  # old spellings in simplemma's data (nót); é stays (kafé)

@lru_cache(maxsize=1)
def _simplemma():  # type: ignore[no-untyped-def]
    """simplemma, imported on first Nynorsk word only: bokmål studies never load it."""
    import simplemma

    return simplemma


def simplemma_version() -> str:
    from thematic.versions import required_version

    return required_version("simplemma")


def simplemma_lemma(lower: str, noun: bool = False) -> str | None:
    """simplemma's nn lemma, its old a-infinitives as e-infinitives (`hjelpte` -> hjelpa ->
    hjelpe, told by the passive `hjelpast` being a known form) unless the word is its own
    lemma and a noun (`data`), old accents dropped (`nót` -> `not`); None when it only echoes
    the word back."""
    sm = _simplemma()
    lemma = sm.lemmatize(lower, lang="nn")
    if lemma == lower and not sm.is_known(lower, lang="nn"):
        return None
    if lemma.endswith("a") and len(lemma) > 2 and not (noun and lemma == lower) and is_verb_lemma(lemma):
        lemma = lemma[:-1] + "e"
    return lemma.translate(_ACUTE)


def is_verb_lemma(lemma: str) -> bool:
    """Whether simplemma knows the lemma's passive (`tenkjast` for tenkje): nouns have none."""
    stem = lemma[:-1] if lemma.endswith(("a", "e")) else lemma
    return _simplemma().is_known(stem + "ast", lang="nn")


class NynorskLemmatiser(Lemmatiser):
    """The bokmål Lemmatiser's interface, reading Nynorsk."""

    verb_context = VERB_CONTEXT
    noun_context = NOUN_CONTEXT

    def _analyse(self, form: str, lower: str, context: str) -> tuple[str, str]:
        if form.isupper() and len(form) > 1:
            return form, PROPN
        if lower in CLOSED:
            return CLOSED[lower], FUNC
        if lower in VERBS:
            return VERBS[lower], VERB
        readings = _readings(self.table[lower]) if lower in self.table else []
        noun = bool(readings) and all(pos != VERB for pos, _ in readings)
        lemma = simplemma_lemma(lower, noun) if lower.isalpha() else None
        fitting = self._fitting(readings, lemma, context)
        if fitting:
            return fitting
        if lemma is None:
            if readings:
                return self._choose(lower, readings, context)
            adj = adjective(lower)
            return (adj, ADJ) if adj else super()._analyse(form, lower, context)
        return lemma, self._word_class(lower, lemma, readings, context)

    def _fitting(self, readings: list[tuple[str, str]], lemma: str | None, context: str) -> tuple[str, str] | None:
        """A reading of the class the context asks for ("ein del" a noun, "å bygge" a verb)
        whose lemma is Nynorsk too: simplemma's, or one its dictionary knows."""
        wanted = (VERB,) if context == "v" else (NOUN, ADJ) if context == "n" else ()
        for pos in wanted:
            for cls, lem in readings:
                if cls == pos and (lem == lemma or _simplemma().is_known(lem, lang="nn")):
                    return lem, cls
        return None

    def _word_class(self, lower: str, lemma: str, readings: list[tuple[str, str]], context: str) -> str:
        """The lexicon's class where it lists this lemma for the form; else the form's ending;
        else the lexicon's class for the lemma itself; else the lemma's ending."""
        agree = [(pos, lem) for pos, lem in readings if lem == lemma]
        if agree:
            return self._choose(lower, agree, context)[1]
        by_form = form_class(lower, lemma)
        if by_form:
            return by_form
        entry = self.table.get(lemma)
        own = [(pos, lem) for pos, lem in _readings(entry) if lem == lemma and pos != FUNC] if entry else []
        return self._choose(lower, own, context)[1] if own else lemma_class(lemma)


def _stems(lemma: str) -> tuple[str, ...]:
    """What endings attach to: `følgje` -> følgj, følg (the past drops the j: følgde)."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    return (stem, stem[:-1]) if stem.endswith("j") else (stem,)


def form_class(form: str, lemma: str) -> str | None:
    """A class the form's ending tells: definite noun endings, adjective -en forms (ope, opne),
    verb endings on a lemma with a passive; None when the ending could be either."""
    stems = _stems(lemma)
    if any(form == stem + end for stem in stems for end in _DEFINITE):
        return NOUN
    if lemma.endswith("en") and form in (lemma[:-1], lemma[:-2] + "ne", lemma[:-1] + "t"):
        return ADJ
    if not lemma.endswith("e") and any(form == lemma + end for end in _PLURAL):
        return NOUN
    if lemma.endswith(("e", "ast")) and any(form == stem + end for stem in stems for end in _VERB_ENDS):
        return VERB if lemma.endswith("ast") or is_verb_lemma(lemma) else None
    return None


def lemma_class(lemma: str) -> str:
    """Word class from the lemma's own ending, for a lemma the bokmål lexicon does not know."""
    if lemma.endswith("ast") or (lemma.endswith("e") and is_verb_lemma(lemma)):
        return VERB
    return ADJ if lemma.endswith(_ADJ_ENDS) else NOUN


def adjective(form: str) -> str | None:
    """`slitsamt`, `slitsame` -> slitsam: adjective endings simplemma does not know."""
    for end in ("t", "e"):
        if form.endswith(end) and form[:-1].endswith(_ADJ_ENDS) and len(form) > 5:
            return form[:-1]
    return None


# Bokmål and Nynorsk spellings of one word, so a codebook keyword in one written form matches
# its lemma in the other (thematic.matching): `arbeidsgiver` finds `arbeidsgivaren`, `brukar`
# finds `brukeren`. Endings apply at the end of a lemma; parts as the whole word, its first or
# last compound part, or (5+ letters) anywhere; words only as a whole word (in a phrase). A
# spelling that is no word never matches, so the rules may over-generate; pairs where one
# spelling is another word in the other form are left out (tru is belief, seier is also "says",
# nb "høyre" is right: "høre til" matched it in bokmål text).
SPELLING_ENDINGS = (
    ("er", "ar"),      # agent nouns and plurals: bruker/brukar, arbeidsavklaringspenger/-pengar
    ("het", "heit"),   # åpenhet/openheit
    ("lig", "leg"),    # tilgjengelig/tilgjengeleg
    ("gge", "ggje"), ("kke", "kkje"), ("lge", "lgje"), ("nke", "nkje"),  # bygge/byggje, følge/følgje
)
SPELLING_PARTS = (
    ("giver", "givar"), ("lønn", "løn"), ("selv", "sjølv"), ("syk", "sjuk"), ("oppgave", "oppgåve"),
    ("sted", "stad"), ("hjem", "heim"), ("uke", "veke"), ("vei", "veg"), ("mestr", "meistr"),
    ("mester", "meister"), ("tjeneste", "teneste"), ("drøm", "draum"),
    ("åpen", "open"), ("hel", "heil"), ("leder", "leiar"), ("kjent", "kjend"),
)
SPELLING_WORDS = (
    ("drømme", "drøyme"), ("være", "vere"), ("komme", "kome"), ("gjøre", "gjere"), ("spørre", "spørje"),
    ("velge", "velje"), ("selge", "selje"), ("søke", "søkje"), ("ikke", "ikkje"), ("noe", "noko"),
    ("noen", "nokon"), ("mye", "mykje"), ("bare", "berre"), ("hjemme", "heime"), ("hvordan", "korleis"),
    ("hva", "kva"),
)
MAX_SPELLINGS = 8  # per word: a compound of many rule parts stays a short list


def _both_ways(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return pairs + tuple((b, a) for a, b in pairs)


def other_spellings(lemma: str) -> list[str]:
    """The lemma in the other written form (both ways: nb -> nn and nn -> nb), itself first."""
    out = [lemma]
    for word in out:
        for spelt in _respelt(word):
            if spelt not in out and len(out) < MAX_SPELLINGS:
                out.append(spelt)
    return out


def _respelt(word: str) -> list[str]:
    """Each single change one rule makes to the word, in either direction."""
    out = [b for a, b in _both_ways(SPELLING_WORDS) if word == a]
    for a, b in _both_ways(SPELLING_ENDINGS):
        if word.endswith(a) and len(word) >= len(a) + 2:
            out.append(word[:-len(a)] + b)
    for a, b in _both_ways(SPELLING_PARTS):
        out += _part_replaced(word, a, b)
    return out


def _part_replaced(word: str, part: str, other: str) -> list[str]:
    """`part` as `other`: as the whole word, its start or end, or (5+ letters) anywhere; never
    where the word has `other` already (lønn is not løn + n)."""
    if word == part:
        return [other]
    out = []
    if word.startswith(part) and not word.startswith(other):
        out.append(other + word[len(part):])
    if word.endswith(part) and not word.endswith(other):
        out.append(word[:-len(part)] + other)
    if len(part) >= 5 and part in word[1:-1] and other not in word:
        out.append(word.replace(part, other))
    return out
