"""The entreprises home's segmentation: business journeys and their obligations by sector and phase.

A step belongs to a sector when its `applies_if` could hold with the journey's `secteur` question
answered with that sector (the engine's static analysis, `Condition.could_be_true`; other answers
stay open). A step belongs to a phase by its `when` (the shared phase keys). Also: the answers a
business already gives (sector, legal form) to prefill a new run of a business journey.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# The plan's phases and their titles, as the results page names them (one list for the whole app).
from app.runner.results import PHASE_TITLES as PHASES

SECTOR_QUESTION = "secteur"
LEGAL_FORM_QUESTION = "forme_juridique"


@dataclass
class SegmentedJourney:
    journey: object
    steps: list = field(default_factory=list)  # schema Steps that may apply in the segment


def _phase_of(step) -> str | None:
    return getattr(step, "when", None)


def steps_for(journey, sector: str | None, phase: str | None) -> list:
    has_sector = any(q.id == SECTOR_QUESTION for q in journey.journey.questions)
    domains = {SECTOR_QUESTION: [sector]} if sector and has_sector else {}
    found = []
    for compiled in journey.compiled_steps:
        if phase and _phase_of(compiled.step) != phase:
            continue
        if domains and compiled.applies_if is not None and not compiled.applies_if.could_be_true(domains):
            continue
        found.append(compiled.step)
    return found


def segmented(sector: str | None, phase: str | None) -> list[SegmentedJourney]:
    from app.catalog import get_catalog

    journeys = sorted(get_catalog().for_audience("entreprises"), key=lambda j: j.journey.title.get("fr", j.id))
    found = []
    for journey in journeys:
        steps = steps_for(journey, sector, phase)
        if steps or (not sector and not phase):
            found.append(SegmentedJourney(journey, steps))
    return found


# Text questions a business journey may ask that the business's record answers.
TEXT_FROM_BUSINESS = {"nom_entreprise": "name", "neq": "neq"}


def known_answers(journey, business) -> dict:
    """Answers the business's record already gives (sector, legal form, name, NEQ), when the journey
    asks them and, for a choice, offers that option. The member can still change them in the runner."""
    known = {}
    for question_id, value in ((SECTOR_QUESTION, business.sector), (LEGAL_FORM_QUESTION, business.legal_form)):
        question = journey.question(question_id)
        if question is not None and question.type == "choice" and any(o.value == value for o in question.options):
            known[question_id] = value
    for question_id, attribute in TEXT_FROM_BUSINESS.items():
        question, value = journey.question(question_id), getattr(business, attribute)
        if question is not None and question.type == "text" and value:
            known[question_id] = value
    return known

