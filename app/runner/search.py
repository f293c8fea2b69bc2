"""The home page search: accent- and case-insensitive matching of every word typed against a journey's texts."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_QUERY_LENGTH = 100


def normalize(text: str) -> str:
    """'Décès d’un proche' -> 'deces d un proche': no accents, no case, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = bare.casefold().replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[\W_]+", " ", folded).strip()


def searchable_text(journey, lang: str) -> str:
    """Title, summary and keywords in the reader's language and in French (the reference language)."""
    parts = []
    for field in (journey.title, journey.summary, journey.keywords or {}):
        for language in dict.fromkeys((lang, "fr")):
            parts.append(field.get(language, ""))
    return normalize(" ".join(parts))


def search(journeys: Iterable, query: str, lang: str) -> list:
    """Journeys whose texts contain every word of the query (as a word start), in catalogue order."""
    words = normalize(query[:MAX_QUERY_LENGTH]).split()
    if not words:
        return []
    found = []
    for journey in journeys:
        haystack = " " + searchable_text(journey, lang)
        if all(" " + word in haystack for word in words):
            found.append(journey)
    return found
