"""Plain French (issue 11): no sentence of the French catalogues is longer than 25 words, and a colon
always has its space before it (a no-break space, so it never starts a line)."""
from __future__ import annotations

import re

from babel.messages.pofile import read_po

from app.core.config import PROJECT_ROOT

MAX_WORDS = 25
CATALOGUES = sorted((PROJECT_ROOT / "translations").glob("*/fr/LC_MESSAGES/messages.po"))


def french_texts():
    for path in CATALOGUES:
        with path.open("rb") as file:
            for message in read_po(file):
                if message.id:
                    for text in message.string if isinstance(message.string, tuple) else (message.string,):
                        yield path.parent.parent.parent.name, text or ""


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 5


def test_no_french_sentence_is_over_25_words():
    long = []
    for package, text in french_texts():
        for sentence in re.split(r"(?<=[.!?;])\s+", text):
            words = re.findall(r"[\w’'%()-]+", sentence)
            if len(words) > MAX_WORDS:
                long.append(f"{package}: {len(words)} words: {sentence}")
    assert not long, "\n".join(long)


def test_every_french_colon_has_a_space_before_it():
    glued = [f"{package}: {text}" for package, text in french_texts()
             if re.search(r"[^\s\u00a0\u202f:]:(\s|$)", text)]
    assert not glued, "\n".join(glued)
