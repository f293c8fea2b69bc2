"""Personal data out of free text before it is stored: e-mails, phone numbers, NAS, health insurance
numbers and postal codes are replaced by a marker. A comment is about the service, never the person."""
from __future__ import annotations

import re

MARK = "[…]"
_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),                                   # e-mail
    re.compile(r"\b[A-Za-z]{4}\s?\d{4}\s?\d{4}\b"),                                # RAMQ health number
    re.compile(r"\b\d{3}[\s.-]?\d{3}[\s.-]?\d{3}\b"),                              # NAS (SIN)
    re.compile(r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b"),          # phone
    re.compile(r"\b[ABCEGHJ-NPRSTVXYabceghj-nprstvxy]\d[A-Za-z][\s-]?\d[A-Za-z]\d\b"),  # postal code
]
MAX_LENGTH = 2000


def scrub(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()[:MAX_LENGTH]
    for pattern in _PATTERNS:
        text = pattern.sub(MARK, text)
    return text or None
