"""Every scenario in journeys/tests/<journey-id>/*.yaml gives exactly its expected plan and declaration.

A scenario lists canonical answers (dates as 'YYYY-MM-DD' strings or YAML dates), the day it is
run, the exact plan (step ids in plan order, each with its deadline or null), the ids of the first
steps in order (what to do first), and the déclaration unique's recipients with the fields each
receives. The fixture catalogue under tests/journeys/fixtures proves the runner itself even when
journeys/ is empty.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from app.journeys import build_plan, load_catalog
from app.journeys.recipients import declaration_recipients
from app.journeys.scenarios import read_scenario

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "journeys", Path(__file__).parent / "fixtures" / "catalog"]


def scenario_files():
    for directory in CATALOGUES:
        for path in sorted((directory / "tests").glob("*/*.yaml")):
            yield pytest.param(directory, path, id=f"{path.parent.name}/{path.name}")


_catalogues = {}


def catalogue(directory):
    if directory not in _catalogues:
        _catalogues[directory] = load_catalog(directory)
    return _catalogues[directory]


@pytest.mark.parametrize("directory, path", list(scenario_files()))
def test_scenario(directory, path):
    scenario = read_scenario(path)
    journey = catalogue(directory).get(scenario.journey_id)
    assert journey is not None, f"no journey {scenario.journey_id!r} for {path}"
    unknown = [key for key in scenario.answers if journey.question(key) is None]
    assert not unknown, f"answers to questions the journey does not have: {unknown}"
    plan = build_plan(journey, scenario.answers, scenario.today)
    actual = [(step.id, step.deadline) for step in plan.steps]
    assert actual == scenario.expected_steps, scenario.description


@pytest.mark.parametrize("directory, path", list(scenario_files()))
def test_scenario_first_steps_come_first_in_order(directory, path):
    scenario = read_scenario(path)
    assert scenario.first_steps, f"{path.name}: every scenario lists first_steps"
    plan = build_plan(catalogue(directory).get(scenario.journey_id), scenario.answers, scenario.today)
    assert [step.id for step in plan.steps[:len(scenario.first_steps)]] == scenario.first_steps


@pytest.mark.parametrize("directory, path", list(scenario_files()))
def test_scenario_declaration_goes_only_where_the_answers_say(directory, path):
    scenario = read_scenario(path)
    assert scenario.recipients is not None, f"{path.name}: every scenario lists recipients ({{}} for none)"
    journey = catalogue(directory).get(scenario.journey_id)
    actual = declaration_recipients(journey, scenario.answers, scenario.today) if journey.declaration else {}
    assert actual == scenario.recipients, scenario.description


def test_the_fixture_scenarios_are_found():
    assert any("exemple/" in p.id for p in scenario_files())
