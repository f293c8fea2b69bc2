"""Where a value comes from: the small grammar of data sources used by declarations and forms.

    answers.<question_id>                   the canonical answer
    answers.<question_id>.<sub>             a sub-field of an address/person answer
    answers.<group_id>[].<item_question_id> the list of that item answer across the group's items
    profile.<field>                         a field of the citizen's profile (PROFILE_FIELDS)
    lookup.<organisation_id>.<field>        a value read from a partner registry

`parse_source` checks the form only; the loader checks that questions and sub-fields exist.
`resolve` is pure: it reads plain mappings and returns None for anything missing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

PROFILE_FIELDS = (
    "given_names", "family_name", "birth_date", "email", "phone", "address", "address.street",
    "address.city", "address.province", "address.postal_code", "sin", "health_number", "language",
)
SUB_FIELDS = {
    "address": ("street", "city", "province", "postal_code"),
    "person": ("given_names", "family_name", "birth_date"),
}

_ID = r"[a-z][a-z0-9_]*"
_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_ANSWER = re.compile(rf"answers\.(?P<question>{_ID})(?:(?P<each>\[\])\.(?P<item>{_ID})|\.(?P<sub>{_ID}))?")
_PROFILE = re.compile(r"profile\.(?P<field>[a-z_]+(?:\.[a-z_]+)?)")
_LOOKUP = re.compile(rf"lookup\.(?P<organisation>{_SLUG})\.(?P<field>[A-Za-z0-9_]+)")


class SourceError(ValueError):
    """A malformed data source; `reason` is a key of errors.PHRASES."""

    def __init__(self, text: str, reason: str):
        self.text, self.reason, self.code = text, reason, "unknown_source"
        super().__init__(f"{text!r}: {reason}")


@dataclass(frozen=True)
class Source:
    kind: str                       # answers | profile | lookup
    name: str                       # question id, profile field or organisation id
    sub: Optional[str] = None       # sub-field (answers) or field (lookup)
    each: bool = False              # answers.<group>[].<item>: one value per item
    text: str = ""

    def __str__(self) -> str:
        return self.text


def parse_source(text: str) -> Source:
    text = (text or "").strip()
    kind = text.split(".", 1)[0]
    if kind == "answers":
        match = _ANSWER.fullmatch(text)
        if match:
            return Source("answers", match["question"], match["item"] or match["sub"], bool(match["each"]), text)
    elif kind == "profile":
        match = _PROFILE.fullmatch(text)
        if match:
            if match["field"] not in PROFILE_FIELDS:
                raise SourceError(text, "unknown_profile_field")
            return Source("profile", match["field"], text=text)
    elif kind == "lookup":
        match = _LOOKUP.fullmatch(text)
        if match:
            return Source("lookup", match["organisation"], match["field"], text=text)
    else:
        raise SourceError(text, "unknown_kind")
    raise SourceError(text, "malformed")


def resolve(source: Source, answers: Mapping, profile: Mapping, lookups: Mapping) -> Any:
    """The value `source` names, or None when it is missing."""
    if source.kind == "profile":
        head, _, sub = source.name.partition(".")
        value = profile.get(head)
        return _get(value, sub) if sub else value
    if source.kind == "lookup":
        return _get(lookups.get(source.name), source.sub)
    value = answers.get(source.name)
    if source.each:
        return None if value is None else [_get(item, source.sub) for item in value]
    return _get(value, source.sub) if source.sub else value


def _get(value, key):
    return value.get(key) if isinstance(value, Mapping) else None
