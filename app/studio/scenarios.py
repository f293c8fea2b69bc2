"""A journey's test scenarios in the studio: kept with each draft and version, run against a draft.

Scenarios start as the files `journeys/tests/<journey>/*.yaml` and are read by the same reader
(`app.journeys.scenarios`). A scenario passes when the plan built from its answers, on its day,
is exactly its expected steps in order, each with its deadline.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

import yaml
from flask import current_app

from app.journeys.plan import build_plan
from app.journeys.scenarios import scenario_from_text

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass
class ScenarioResult:
    name: str
    description: str = ""
    passed: bool = False
    expected: list[tuple[str, Optional[date]]] = field(default_factory=list)
    actual: list[tuple[str, Optional[date]]] = field(default_factory=list)
    error: Optional[str] = None  # the scenario itself cannot be read or names unknown questions

    @property
    def rows(self) -> list[dict]:
        """Expected and actual side by side, one row per position, each marked same or different."""
        rows = []
        for index in range(max(len(self.expected), len(self.actual))):
            expected = self.expected[index] if index < len(self.expected) else None
            actual = self.actual[index] if index < len(self.actual) else None
            rows.append({"expected": expected, "actual": actual, "same": expected == actual})
        return rows


def file_scenarios(journey_id: str) -> dict[str, str]:
    folder = Path(current_app.config["JOURNEYS_DIR"]) / "tests" / journey_id
    if journey_id.startswith("_") or not folder.is_dir():
        return {}
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.yaml"))}


def run_one(journey, name: str, text: str) -> ScenarioResult:
    try:
        scenario = scenario_from_text(text, journey.id, name)
    except (ValueError, KeyError, TypeError, yaml.YAMLError) as problem:
        return ScenarioResult(name, error=str(problem))
    result = ScenarioResult(name, scenario.description, expected=list(scenario.expected_steps))
    unknown = sorted(key for key in scenario.answers if journey.question(key) is None)
    if unknown:
        result.error = ", ".join(unknown)
        return result
    try:
        plan = build_plan(journey, scenario.answers, scenario.today)
    except Exception as problem:  # noqa: BLE001 - a broken answer must show as a failure, not a crash
        result.error = str(problem)
        return result
    result.actual = [(step.id, step.deadline) for step in plan.steps]
    result.passed = result.actual == result.expected
    return result


def run_all(journey, scenarios: dict[str, str]) -> list[ScenarioResult]:
    return [run_one(journey, name, text) for name, text in sorted(scenarios.items())]


def scenario_text(description: str, today: date, answers: dict, plan_steps) -> str:
    """A scenario written from a run: its answers and the plan they give now."""
    data = {
        "description": description,
        "today": today.isoformat(),
        "answers": answers,
        "expected_steps": [{"id": step.id, "deadline": step.deadline.isoformat() if step.deadline else None}
                           for step in plan_steps],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
