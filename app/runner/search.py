"""The home page search: a citizen's own words ("je déménage", "mon mari est mort") -> life events.

Each journey is indexed from its title, summary, keywords and search synonyms (journey data, in
every language it offers). Words are folded (no accents, no case), stripped of grammatical little
words, and reduced to their Snowball stem in French and in English, so "déménage", "déménagement"
and "demenager" meet. A journey is found when enough of the query's meaningful words meet its
words; the best matches come first.
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


class JourneyIndex:
    """The words and stems of one journey's searchable texts."""

    def __init__(self, texts: Iterable[str]):
        self.words: set[str] = set()
        for text in texts:
            self.words.update(meaningful_words(text))
        self.stems: set[str] = set().union(*(stems(word) for word in self.words)) if self.words else set()

    def matches(self, word: str) -> bool:
        if stems(word) & self.stems or word in self.words:
            return True
        return len(word) >= PREFIX_MIN_LENGTH and any(known.startswith(word) for known in self.words)


def searchable_texts(journey) -> list[str]:
    """Title, summary, keywords and synonyms, in every language the journey is written in.

    Every language, not only the reader's: a French speaker reading the English site still types French."""
    texts = []
    for field in (journey.title, journey.summary, journey.keywords or {}):
        texts.extend(field.values())
    for phrases in (getattr(journey, "synonyms", None) or {}).values():
        texts.extend(phrases)
    return texts


def searchable_text(journey, lang: str) -> str:
    """Everything the search reads about a journey, folded (kept for callers that show or log it)."""
    return normalize(" ".join(searchable_texts(journey)))


def search(journeys: Iterable, query: str, lang: str) -> list:
    """Journeys matching the query, best first (then in catalogue order).

    A journey needs at least half of the query's meaningful words, and at least one, to be found:
    "je déménage à Longueuil" still finds Déménager although Longueuil is in no journey."""
    words = list(dict.fromkeys(meaningful_words(query[:MAX_QUERY_LENGTH])))
    if not words:
        words = list(dict.fromkeys(normalize(query[:MAX_QUERY_LENGTH]).split()))
    if not words:
        return []
    needed = max(1, math.ceil(len(words) / 2))
    scored = []
    for position, journey in enumerate(journeys):
        index = JourneyIndex(searchable_texts(journey))  # cheap: stems are cached per word
        score = sum(1 for word in words if index.matches(word))
        if score >= needed:
            scored.append((-score, position, journey))
    return [journey for _, _, journey in sorted(scored, key=lambda entry: entry[:2])]
