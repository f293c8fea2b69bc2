"""The business journeys: at least six scenarios each (journeys/tests/<id>/), each giving exactly its
steps in plan order with their dates, and — for the moving declaration — exactly its recipients
with the fields each receives (a business without employees is not sent to the CNESST)."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.journeys import build_plan, load_catalog
from app.journeys.recipients import declaration_recipients
from app.journeys.scenarios import load_scenarios

ROOT = Path(__file__).resolve().parents[2]
JOURNEYS = ("embaucher-premier-employe", "demenager-entreprise", "fermer-entreprise")
CATALOG = load_catalog(ROOT / "journeys")
SCENARIOS = [s for journey_id in JOURNEYS for s in load_scenarios(ROOT / "journeys" / "tests", journey_id)]


@pytest.mark.parametrize("journey_id", JOURNEYS)
def test_each_business_journey_has_six_scenarios_and_every_step_a_source(journey_id):
    journey = CATALOG.get(journey_id)
    assert journey.journey.audience == "entreprises"
    assert len([s for s in SCENARIOS if s.journey_id == journey_id]) >= 6
    assert all(step.sources for step in journey.journey.steps)
    covered = {step for s in SCENARIOS if s.journey_id == journey_id for step, _ in s.expected_steps}
    assert covered == {step.id for step in journey.journey.steps}, "every step appears in some scenario"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: f"{s.journey_id}/{s.name}")
def test_scenario_steps_order_and_recipients(scenario):
    journey = CATALOG.get(scenario.journey_id)
    plan = build_plan(journey, scenario.answers, scenario.today)
    assert [(step.id, step.deadline) for step in plan.steps] == scenario.expected_steps, scenario.description
    assert [step.id for step in plan.steps[:len(scenario.first_steps)]] == scenario.first_steps
    sent = declaration_recipients(journey, scenario.answers, scenario.today) if journey.journey.declaration else {}
    assert sent == scenario.recipients, scenario.description


def test_the_moving_declaration_reaches_the_cnesst_only_for_an_employer():
    moving = [s for s in SCENARIOS if s.journey_id == "demenager-entreprise"]
    for scenario in moving:
        assert ("cnesst" in scenario.recipients) == scenario.answers["employes"]
        assert {"registraire-entreprises", "revenu-quebec"} <= set(scenario.recipients)
    assert any(not s.answers["employes"] for s in moving) and any(s.answers["employes"] for s in moving)


def test_recurring_obligations_of_a_first_hire():
    from datetime import date

    from app.journeys.recurring import upcoming

    journey = CATALOG.get("embaucher-premier-employe")
    answers = {"secteur": "restauration", "date_premier_jour": "2026-09-15", "deja_inscrit_retenues": False,
               "frequence_remises": "trimestrielle"}
    found = [(o.step.id, o.due) for o in upcoming(journey, answers, date(2026, 8, 1), count=2)]
    assert found == [
        ("versements-retenues", date(2026, 10, 15)), ("versements-retenues", date(2027, 1, 15)),
        ("feuillets-t4", date(2027, 3, 1)), ("releves-1-sommaire", date(2027, 3, 1)),
        ("feuillets-t4", date(2028, 2, 29)), ("releves-1-sommaire", date(2028, 2, 29)),
    ]
