"""Who receives a journey's déclaration unique, and which fields each one gets, for a set of answers.

A partner receives the declaration only when its `send_if` holds for the current-route answers
(see JourneyDefinition.partners_to_send), and only the fields that have a value: the least data.
The declaration review (app/declarations/review.py) offers exactly these; the scenarios assert them.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from .definition import JourneyDefinition
from .engine import current_answers
from .sources import parse_source, resolve

# A profile holding every field, for scenarios: what each partner receives from a complete profile.
COMPLETE_PROFILE = {
    "given_names": "Camille", "family_name": "Tremblay", "birth_date": "1990-05-04",
    "email": "camille@example.org", "phone": "418 555-0100", "sin": "046 454 286",
    "health_number": "TREC 9005 0412", "language": "fr",
    "address": {"street": "123, rue Principale", "city": "Québec", "province": "QC", "postal_code": "G1R 2B5"},
}


def present(value: Any) -> bool:
    """Whether a value would be sent: blank texts and empty lists or addresses are not."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(present(v) for v in value.values())
    if isinstance(value, list):
        return any(present(v) for v in value)
    return True


def declaration_recipients(journey: JourneyDefinition, answers: Mapping, today: date,
                           profile: Mapping = COMPLETE_PROFILE) -> dict[str, list[str]]:
    """organisation id -> the field names it receives, for the partners whose send_if holds."""
    current = current_answers(journey, answers, today)
    recipients = {}
    for partner in journey.partners_to_send(current, today):
        recipients[partner.organisation] = [
            name for name, text in partner.fields.items()
            if present(resolve(parse_source(text), current, profile, {}))]
    return recipients
