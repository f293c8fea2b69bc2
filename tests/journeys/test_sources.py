"""Data sources name where a declaration or form value comes from."""
from __future__ import annotations

import pytest

from app.journeys.sources import Source, SourceError, parse_source, resolve

ANSWERS = {"date_naissance": "2026-02-20", "defunt": {"family_name": "Tremblay"},
           "enfants": [{"prenom": "Léa"}, {"prenom": "Noé"}, {}], "vide": None}
PROFILE = {"sin": "046 454 286", "address": {"city": "Québec"}}
LOOKUPS = {"ramq": {"numero": "TREL 1234"}}


@pytest.mark.parametrize("text, value", [
    ("answers.date_naissance", "2026-02-20"),
    ("answers.defunt.family_name", "Tremblay"),
    ("answers.defunt.given_names", None),
    ("answers.enfants[].prenom", ["Léa", "Noé", None]),
    ("answers.vide[].prenom", None),
    ("answers.absente", None),
    ("answers.date_naissance.city", None),
    ("profile.sin", "046 454 286"),
    ("profile.address.city", "Québec"),
    ("profile.email", None),
    ("lookup.ramq.numero", "TREL 1234"),
    ("lookup.dec.numero", None),
])
def test_resolve(text, value):
    source = parse_source(text)
    assert str(source) == text
    assert resolve(source, ANSWERS, PROFILE, LOOKUPS) == value


def test_parsed_parts():
    assert parse_source("answers.enfants[].prenom") == Source("answers", "enfants", "prenom", True,
                                                              "answers.enfants[].prenom")
    assert parse_source(" lookup.retraite-quebec.rente ").name == "retraite-quebec"


@pytest.mark.parametrize("text, reason", [
    ("answer.date", "unknown_kind"),
    ("", "unknown_kind"),
    ("answers", "malformed"),
    ("answers.Date", "malformed"),
    ("answers.a.b.c", "malformed"),
    ("profile.pointure", "unknown_profile_field"),
    ("profile.", "malformed"),
    ("lookup.ramq", "malformed"),
])
def test_malformed_sources(text, reason):
    with pytest.raises(SourceError) as raised:
        parse_source(text)
    assert (raised.value.code, raised.value.reason) == ("unknown_source", reason)
    assert isinstance(raised.value, ValueError)
