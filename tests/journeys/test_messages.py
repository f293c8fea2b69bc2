"""Every engine message exists in plain French and in English, with the same parameters."""
from __future__ import annotations

import re

import pytest

from app.journeys.errors import MESSAGES, PHRASES
from app.journeys.i18n import translate

SAME_IN_BOTH = {"question", "option", "organisation", "answered()"}


@pytest.mark.parametrize("msgid", sorted(set(MESSAGES.values()) | set(PHRASES.values())))
def test_translated_with_the_same_parameters(msgid):
    french = translate("fr", msgid)
    assert translate("en", msgid) == msgid
    if msgid not in SAME_IN_BOTH:
        assert french != msgid
    assert sorted(re.findall(r"%\((\w+)\)s", french)) == sorted(re.findall(r"%\((\w+)\)s", msgid))


def test_compiled_journey_exposes_ids(tmp_path):
    from pathlib import Path

    from app.journeys import load_catalog

    journey = load_catalog(Path(__file__).parent / "fixtures" / "catalog").get("exemple")
    assert [q.id for q in journey.compiled_questions][:2] == ["type_evenement", "date_evenement"]
    assert [s.id for s in journey.compiled_steps][0] == "declarer"
    assert not hasattr(journey, "__no_such_thing__")
