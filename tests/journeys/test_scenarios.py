"""Every scenario in journeys/tests/<journey-id>/*.yaml gives exactly its expected steps and deadlines.

A scenario lists canonical answers (dates as 'YYYY-MM-DD' strings or YAML dates), the day it is
run, and the exact plan: step ids in plan order, each with its deadline (or null). The fixture
catalogue under tests/journeys/fixtures proves the runner itself even when journeys/ is empty.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.journeys import build_plan, load_catalog
from app.journeys.loader import read_yaml

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "journeys", Path(__file__).parent / "fixtures" / "catalog"]


def canonical(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    return value


def scenario_files():
    for directory in CATALOGUES:
        for path in sorted((directory / "tests").glob("*/*.yaml")):
            yield pytest.param(directory, path, id=f"{path.parent.name}/{path.name}")


_catalogues = {}


def catalogue(directory):
    if directory not in _catalogues:
        _catalogues[directory] = load_catalog(directory)
    return _catalogues[directory]


def load_scenario(path: Path) -> dict:
    _, data = read_yaml(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("directory, path", list(scenario_files()))
def test_scenario(directory, path):
    scenario = load_scenario(path)
    journey = catalogue(directory).get(path.parent.name)
    assert journey is not None, f"no journey {path.parent.name!r} for {path}"
    answers = canonical(scenario["answers"])
    unknown = [key for key in answers if journey.question(key) is None]
    assert not unknown, f"answers to questions the journey does not have: {unknown}"
    today = scenario["today"]
    today = today if isinstance(today, date) else date.fromisoformat(today)
    plan = build_plan(journey, answers, today)
    expected = [(step["id"], canonical(step.get("deadline"))) for step in scenario["expected_steps"]]
    actual = [(step.id, step.deadline.isoformat() if step.deadline else None) for step in plan.steps]
    assert actual == expected, scenario.get("description", "")


def test_the_fixture_scenarios_are_found():
    assert any("exemple/" in p.id for p in scenario_files())
