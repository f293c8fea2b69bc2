"""A scenario's `first_steps` open its plan in that order, and its `recipients` are exactly the
organisations the déclaration unique goes to, each with exactly the fields it receives (least data),
for a citizen whose profile is complete. Only scenarios that state them are checked."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.journeys import build_plan, load_catalog
from app.journeys.engine import current_answers
from app.journeys.scenarios import read_scenario
from app.journeys.sources import PROFILE_FIELDS, parse_source, resolve

ROOT = Path(__file__).resolve().parents[2]
JOURNEYS = ROOT / "journeys"
COMPLETE_PROFILE = {name: f"<{name}>" for name in PROFILE_FIELDS if "." not in name}
NEW_JOURNEYS = ("s-installer-au-quebec", "perdre-son-autonomie", "se-marier", "se-separer")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(JOURNEYS)


def scenarios(key):
    for path in sorted((JOURNEYS / "tests").glob("*/*.yaml")):
        if read_scenario(path).__dict__.get(key) is not None:
            yield pytest.param(path, id=f"{path.parent.name}/{path.name}")


def _present(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (dict, list)):
        return any(_present(v) for v in (value.values() if isinstance(value, dict) else value))
    return value is not None


def recipients(journey, answers, today) -> dict[str, list[str]]:
    current = current_answers(journey, answers, today)
    sent = {}
    for partner in journey.partners_to_send(current, today):
        fields = [name for name, text in partner.fields.items()
                  if _present(resolve(parse_source(text), current, COMPLETE_PROFILE, {}))]
        if fields:
            sent[partner.organisation] = fields
    return sent


@pytest.mark.parametrize("path", list(scenarios("first_steps")))
def test_the_plan_opens_with_the_first_steps(catalog, path):
    scenario = read_scenario(path)
    journey = catalog.get(scenario.journey_id)
    plan = build_plan(journey, scenario.answers, scenario.today)
    opening = [step.id for step in plan.steps[:len(scenario.first_steps)]]
    assert opening == scenario.first_steps, scenario.description


@pytest.mark.parametrize("path", list(scenarios("recipients")))
def test_the_declaration_goes_to_exactly_the_recipients(catalog, path):
    scenario = read_scenario(path)
    journey = catalog.get(scenario.journey_id)
    if journey.declaration is None:  # a journey without a déclaration unique sends nothing
        assert scenario.recipients == {}, scenario.description
        return
    assert recipients(journey, scenario.answers, scenario.today) == scenario.recipients, scenario.description


@pytest.mark.parametrize("journey_id", NEW_JOURNEYS)
def test_each_new_journey_has_six_scenarios_stating_first_steps_and_recipients(journey_id):
    paths = sorted((JOURNEYS / "tests" / journey_id).glob("*.yaml"))
    assert len(paths) >= 6
    for path in paths:
        scenario = read_scenario(path)
        assert scenario.first_steps and scenario.recipients is not None, path.name


@pytest.mark.parametrize("journey_id", NEW_JOURNEYS)
def test_each_new_journey_is_complete_content(catalog, journey_id):
    """8 to 15 questions, at least 12 steps, each with a phase and an official source; a declaration
    with a notice saying whose data it carries."""
    journey = catalog.get(journey_id)
    questions = [q for q in journey.questions]
    assert 8 <= len(questions) <= 15
    assert len(journey.steps) >= 12
    for step in journey.steps:
        assert step.when and step.sources, step.id
        assert all(source.url.startswith("https://") for source in step.sources)
    assert journey.declaration is not None and journey.declaration.notices


def test_a_caregiver_without_a_basis_sends_nothing_about_their_relative(catalog):
    journey = catalog.get("perdre-son-autonomie")
    answers = {"pour_qui": "proche", "age_proche": "plus_70", "milieu_proche": "domicile",
               "besoins_proche": ["changer_milieu"], "capacite_proche": "oui", "logement_cher": False,
               "nouveau_milieu": "chsld_ri", "autorisation_proche": "aucun",
               "personne": {"given_names": "Rose", "family_name": "Côté", "birth_date": "1940-05-05"}}
    from datetime import date
    today = date(2026, 5, 1)
    assert recipients(journey, answers, today) == {}
    # The person's name was never even asked: no basis, no question about them.
    assert "personne" not in current_answers(journey, answers, today)
    authorised = {**answers, "autorisation_proche": "autorisation"}
    assert set(recipients(journey, authorised, today)) == {"cisss", "ramq", "revenu-quebec"}


def test_the_separation_declaration_never_names_the_former_spouse(catalog):
    journey = catalog.get("se-separer")
    sources = [text for partner in journey.declaration.partners for text in partner.fields.values()]
    assert all(text.startswith(("profile.", "answers.date_separation", "answers.garde", "answers.nouvelle_adresse"))
               for text in sources)
