"""The structured view of a journey and the warnings staff see before publishing.

Everything is read from the validated pydantic models and the compiled journey, never from a list
of fields written here, so a new field in the schema shows up without touching this module. The
few names this module knows are the condition fields (`*_if`, `if`) and the `sources` of a step.

Warnings (each names what to fix):
- a question no scenario answers, a step no scenario's plan contains;
- a step without `sources`, or whose sources were last checked more than 12 months ago;
- a declaration recipient no scenario sends to.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterator, Optional

import yaml
from pydantic import BaseModel

from app.journeys.conditions import ConditionError, compile_condition, question_type
from app.journeys.engine import current_answers
from app.journeys.loader import read_yaml
from app.journeys.scenarios import scenario_from_text

STALE_AFTER = timedelta(days=365)


@dataclass
class Warning:
    code: str  # what is wrong, for the template to word: see templates/studio/_warnings.html
    subject: str  # the question, step or partner id
    line: int = 0
    detail: str = ""


@dataclass
class Structure:
    questions: list[dict] = field(default_factory=list)
    conditions: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


def is_condition_field(name: str) -> bool:
    return name == "if" or name == "if_" or name.endswith("_if")


def _conditions(model: BaseModel, path: tuple) -> Iterator[tuple[tuple, str, str]]:
    """(path, field, condition text) of every condition in a model, whatever its depth."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        key = info.alias or name
        if isinstance(value, str) and is_condition_field(key):
            yield path, key, value
        elif isinstance(value, BaseModel):
            yield from _conditions(value, path + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _conditions(item, path + (key, index))


def line_finder(text: str):
    """path -> line number (1-based) in the YAML text."""
    try:
        root, _ = read_yaml(text)
    except yaml.YAMLError:
        root = None

    def line(path: tuple) -> int:
        node = root
        for part in path:
            if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            elif isinstance(node, yaml.MappingNode):
                found = next((v for k, v in node.value if k.value == part), None)
                if found is None:
                    break
                node = found
            else:
                break
        return node.start_mark.line + 1 if node is not None else 1

    return line


def _as_date(value) -> Optional[date]:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def _source_items(step) -> Optional[list]:
    sources = getattr(step, "sources", None)
    if sources is None:
        return None
    return list(sources) if isinstance(sources, (list, tuple)) else [sources]


def _get(item: Any, name: str):
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def structure(compiled, text: str, scenario_results: list, scenarios: dict[str, str], today: date) -> Structure:
    journey = compiled.journey
    line = line_finder(text)
    view = Structure()
    for index, question in enumerate(journey.questions):
        view.questions.append({"id": question.id, "type": question.type, "label": question.label,
                               "show_if": question.show_if, "line": line(("questions", index)),
                               "item_ids": [q.id for q in question.questions]})
    for path, key, condition in _conditions(journey, ()):
        kind, subject = _where(journey, path)
        view.conditions.append({"kind": kind, "subject": subject, "field": key, "condition": condition,
                                "line": line(path + (key,))})
    planned = {step_id for result in scenario_results for step_id, _ in result.actual}
    for index, step in enumerate(journey.steps):
        sources = _source_items(step)
        checked = [d for d in (_as_date(_get(s, "checked")) for s in sources or []) if d]
        view.steps.append({"id": step.id, "title": step.title, "organisation": step.organisation,
                           "applies_if": step.applies_if, "line": line(("steps", index)),
                           "sources": [{"url": _get(s, "url"), "checked": _as_date(_get(s, "checked"))}
                                       for s in sources or []]})
        if step.id not in planned:
            view.warnings.append(Warning("step_not_covered", step.id, line(("steps", index))))
        if not sources:
            view.warnings.append(Warning("step_without_sources", step.id, line(("steps", index))))
        elif not checked or min(checked) < today - STALE_AFTER:
            oldest = min(checked) if checked else None
            view.warnings.append(Warning("step_sources_stale", step.id, line(("steps", index)),
                                         oldest.isoformat() if oldest else ""))
    answered = set()
    parsed = []
    for name, text_ in sorted(scenarios.items()):
        try:
            scenario = scenario_from_text(text_, journey.id, name)
        except (ValueError, KeyError, TypeError, yaml.YAMLError):
            continue
        parsed.append(scenario)
        answered |= set(scenario.answers)
        for value in scenario.answers.values():
            if isinstance(value, list):
                answered |= {k for item in value if isinstance(item, dict) for k in item}
    for index, question in enumerate(journey.questions):
        if question.id not in answered:
            view.warnings.append(Warning("question_not_answered", question.id, line(("questions", index))))
    declaration = getattr(journey, "declaration", None)
    for index, partner in enumerate(getattr(declaration, "partners", None) or []):
        exercised = _partner_exercised(compiled, partner, parsed)
        view.partners.append({"organisation": partner.organisation, "exercised": exercised,
                              "line": line(("declaration", "partners", index))})
        if not exercised:
            view.warnings.append(Warning("partner_not_exercised", partner.organisation,
                                         line(("declaration", "partners", index))))
    return view


def _partner_exercised(compiled, partner, scenarios) -> bool:
    """Whether some scenario sends the declaration to this partner (its send_if holds, when it has one)."""
    if not scenarios:
        return False
    condition_text = next((getattr(partner, name) for name in type(partner).model_fields
                           if is_condition_field(name) and isinstance(getattr(partner, name), str)), None)
    if condition_text is None:
        return True
    journey = compiled.journey
    scope = {q.id: question_type(q) for q in journey.questions}
    groups = {q.id: {i.id: question_type(i) for i in q.questions} for q in journey.questions if q.questions}
    try:
        condition = compile_condition(condition_text, scope, groups)
    except ConditionError:
        return False
    for scenario in scenarios:
        answers = current_answers(compiled, scenario.answers, scenario.today)
        try:
            if condition.evaluate(answers, scenario.today):
                return True
        except Exception:  # noqa: BLE001 - a scenario that cannot be evaluated does not count
            continue
    return False


def _where(journey, path: tuple) -> tuple[str, str]:
    """('question', id), ('step', id) or ('other', dotted path): where a condition sits."""
    if len(path) >= 2 and path[0] in ("questions", "steps") and isinstance(path[1], int):
        items = getattr(journey, path[0])
        if path[1] < len(items):
            return path[0][:-1], items[path[1]].id
    return "other", ".".join(str(p) for p in path) or "journey"
