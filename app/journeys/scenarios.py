"""Journey test scenarios (`journeys/tests/<journey-id>/*.yaml`): canonical answers, the day they are
run and the exact plan expected (step ids in plan order, each with its deadline or none).

`first_steps` lists, in order, the ids of the steps the plan must open with (what to do first);
`recipients` maps each organisation the déclaration unique must go to onto the field names it
receives (with a complete profile); `{}` when no one receives it.

Read by the scenario tests, the browser tests and the engine benchmark, so all three agree on
what a scenario says.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Optional

from app.journeys.loader import read_yaml


@dataclass(frozen=True)
class Scenario:
    journey_id: str
    name: str
    description: str
    today: date
    answers: dict[str, Any]
    expected_steps: list[tuple[str, Optional[date]]]
    first_steps: Optional[list[str]] = None
    recipients: Optional[dict[str, list[str]]] = None


def canonical(value):
    """Answers as the engine stores them: YAML dates become 'YYYY-MM-DD' strings."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    return value


def _as_date(value) -> Optional[date]:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def read_scenario(path: Path) -> Scenario:
    _, data = read_yaml(path.read_text(encoding="utf-8"))
    return Scenario(
        journey_id=path.parent.name,
        name=path.stem,
        description=data.get("description", ""),
        today=_as_date(data["today"]),
        answers=canonical(data.get("answers") or {}),
        expected_steps=[(step["id"], _as_date(step.get("deadline"))) for step in data["expected_steps"]],
        first_steps=data.get("first_steps"),
        recipients=data.get("recipients"),
    )


def load_scenarios(tests_dir: Path, journey_id: str) -> list[Scenario]:
    """Every scenario of a journey, in file name order."""
    return [read_scenario(path) for path in sorted((tests_dir / journey_id).glob("*.yaml"))]
