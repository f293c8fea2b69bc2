"""The home page search: a citizen's own words ("je déménage", "mon mari est mort") -> life events.

Each journey is indexed from its title, summary, keywords and search synonyms (journey data, in
every language it offers). Words are folded (no accents, no case), stripped of grammatical little
words, and reduced to their Snowball stem in French and in English, so "déménage", "déménagement"
and "demenager" meet. A journey is found when enough of the query's meaningful words meet its
words; the most relevant come first (`relevance`: where the words are found, whether the query
names a business).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

MAX_QUERY_LENGTH = 100
# A word this long or longer also matches the indexed words it starts ("demenag" while typing).
PREFIX_MIN_LENGTH = 4

# Grammatical words that carry no meaning for finding a life event (folded, as `normalize` gives them).
# Linguistic data, not text shown to anyone.
STOP_WORDS = frozenset("""
    a au aux avec ce ces c d de des du elle en est et etre il ils j je l la le les leur lui m ma mais
    me mes moi mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses son sur t ta te tes
    toi ton tu un une vos votre vous y ai as avons avez ont suis es sommes etes sont avoir faire fait
    vais va vont veux veut voudrais comment quoi quand dois doit besoin aide aider
    an and are at be i in is it me my of on or our the to we what with you your how do need help
    want get got has have had will would
""".split())

_STEMMERS = (snowballstemmer.stemmer("french"), snowballstemmer.stemmer("english"))


def normalize(text: str) -> str:
    """'Décès d’un proche' -> 'deces d un proche': no accents, no case, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = bare.casefold().replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[\W_]+", " ", folded).strip()


def meaningful_words(text: str) -> list[str]:
    """The folded words of a text, without the grammatical little words."""
    return [word for word in normalize(text).split() if word not in STOP_WORDS]


@lru_cache(maxsize=4096)
def stems(word: str) -> frozenset[str]:
    """The French and English Snowball stems of a folded word (folded first: people type without accents)."""
    return frozenset(stemmer.stemWord(word) for stemmer in _STEMMERS)


def word_meets(word: str, known: str) -> bool:
    """A query word meets an indexed word: same stem, same word, or (long enough) the start of it."""
    if word == known or stems(word) & stems(known):
        return True
    return len(word) >= PREFIX_MIN_LENGTH and known.startswith(word)


class JourneyIndex:
    """The words and stems of one journey's searchable texts."""

    def __init__(self, texts: Iterable[str]):
        self.phrases: list[list[str]] = [words for words in map(meaningful_words, texts) if words]
        self.words: set[str] = {word for phrase in self.phrases for word in phrase}
        self.stems: set[str] = set().union(*(stems(word) for word in self.words)) if self.words else set()

    def matches(self, word: str) -> bool:
        if stems(word) & self.stems or word in self.words:
            return True
        return len(word) >= PREFIX_MIN_LENGTH and any(known.startswith(word) for known in self.words)

    def has_phrase(self, words: list[str]) -> bool:
        """The query's words follow each other, in order, in one of the texts ("changer d'adresse")."""
        size = len(words)
        return any(all(word_meets(word, known) for word, known in zip(words, phrase[start:start + size]))
                   for phrase in self.phrases if len(phrase) >= size for start in range(len(phrase) - size + 1))


# Where a query word is found says how relevant the journey is: its name says most, then the phrases
# written for citizens' own words (synonyms), then its keywords, then its summary. A word counts once,
# at its best place.
FIELD_WEIGHTS = {"title": 4, "synonyms": 3, "keywords": 2, "summary": 1}
# The whole query (two words or more) found as one phrase of the journey: each word counts once more.
PHRASE_BONUS_PER_WORD = 1
# Who the query speaks for: words naming a business favour business journeys; without them, the
# person typing speaks of their own life and citizen journeys are favoured. Smaller than any field
# weight: it orders journeys that match equally well, it never lifts a weak match over a strong one.
AUDIENCE_BONUS = 0.5
CITIZENS, BUSINESSES = "citoyens", "entreprises"
# Linguistic data (folded), not text shown to anyone.
BUSINESS_WORDS = frozenset("""
    entreprise entreprises commerce commerces compagnie societe pme affaires employeur
    business businesses company shop store firm employer
""".split())


def _field_texts(journey) -> dict[str, list[str]]:
    synonyms = getattr(journey, "synonyms", None) or {}
    return {
        "title": list((journey.title or {}).values()),
        "synonyms": [phrase for phrases in synonyms.values() for phrase in phrases],
        "keywords": list((journey.keywords or {}).values()),
        "summary": list((journey.summary or {}).values()),
    }


def searchable_texts(journey) -> list[str]:
    """Title, summary, keywords and synonyms, in every language the journey is written in.

    Every language, not only the reader's: a French speaker reading the English site still types French."""
    return [text for texts in _field_texts(journey).values() for text in texts]


def searchable_text(journey, lang: str) -> str:
    """Everything the search reads about a journey, folded (kept for callers that show or log it)."""
    return normalize(" ".join(searchable_texts(journey)))


def speaks_of_a_business(words: Iterable[str]) -> bool:
    business_stems = _business_stems()
    return any(word in BUSINESS_WORDS or stems(word) & business_stems for word in words)


@lru_cache(maxsize=1)
def _business_stems() -> frozenset[str]:
    return frozenset().union(*(stems(word) for word in BUSINESS_WORDS))


def relevance(journey, words: list[str], for_business: bool) -> tuple[int, float]:
    """(how many query words the journey meets, its score): each word weighs what its best place weighs,
    the whole query met as one phrase adds to it, and the journey's audience breaks near ties."""
    indexes = {field: JourneyIndex(texts) for field, texts in _field_texts(journey).items()}
    met, score = 0, 0.0
    for word in words:
        weight = max((FIELD_WEIGHTS[field] for field, index in indexes.items() if index.matches(word)), default=0)
        met += weight > 0
        score += weight
    if met and len(words) > 1 and any(index.has_phrase(words) for index in indexes.values()):
        score += PHRASE_BONUS_PER_WORD * len(words)
    is_business = getattr(journey, "audience", CITIZENS) == BUSINESSES
    if met and is_business == for_business:
        score += AUDIENCE_BONUS
    return met, score


def search(journeys: Iterable, query: str, lang: str) -> list:
    """Journeys matching the query, most relevant first; equal ones citizen journeys first, then in
    catalogue order.

    A journey needs at least half of the query's meaningful words, and at least one, to be found:
    "je déménage à Longueuil" still finds Déménager although Longueuil is in no journey. Relevance:
    see `relevance` ("je déménage" finds Déménager before Déménager l'entreprise: both titles say
    "déménager", the query names no business, and Déménager's own phrases say "je déménage")."""
    words = list(dict.fromkeys(meaningful_words(query[:MAX_QUERY_LENGTH])))
    if not words:
        words = list(dict.fromkeys(normalize(query[:MAX_QUERY_LENGTH]).split()))
    if not words:
        return []
    needed = max(1, math.ceil(len(words) / 2))
    for_business = speaks_of_a_business(words)
    scored = []
    for position, journey in enumerate(journeys):
        met, score = relevance(journey, words, for_business)  # cheap: stems are cached per word
        if met >= needed:
            audience_order = 1 if getattr(journey, "audience", CITIZENS) == BUSINESSES else 0
            scored.append((-score, audience_order, position, journey))
    return [entry[-1] for entry in sorted(scored, key=lambda entry: entry[:3])]
