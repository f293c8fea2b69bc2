"""The personalised plan: the steps that apply to a set of answers, with deadlines and groups.

Deadlines are counted from a date answer (the journey's anchor date by default); a step whose
rules all fail, or whose reference date is unanswered, has no deadline. Steps are grouped
relative to the anchor date (today when the anchor is unanswered): before the event, within 30
days, later, no deadline.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Mapping, Optional

from .conditions import as_date
from .deadlines import apply_rule
from .definition import CompiledStep, JourneyDefinition
from .engine import current_answers
from .recurring import next_due
from .schema import Organisation, Step

GROUPS = ("before", "within_30_days", "later", "no_deadline")
URGENT_DAYS = 7


@dataclass(slots=True)  # not frozen: frozen dataclasses are several times slower to build
class PlanStep:
    step: Step
    organisation: Optional[Organisation]
    deadline: Optional[date]
    overdue: bool
    urgent: bool
    group: str
    because: list[tuple[str, Any]]

    @property
    def id(self) -> str:
        return self.step.id


@dataclass(frozen=True)
class Plan:
    steps: list[PlanStep]
    anchor: Optional[date]
    answers: dict = field(repr=False)  # the current-route answers the plan was built from

    @property
    def groups(self) -> dict[str, list[PlanStep]]:
        grouped = {name: [s for s in self.steps if s.group == name] for name in GROUPS}
        return {name: steps for name, steps in grouped.items() if steps}


def step_deadline(compiled: CompiledStep, answers: Mapping, today: date) -> Optional[date]:
    for rule in compiled.deadline_rules:
        if rule.condition is None or rule.condition.evaluate(answers, today):
            if rule.rule.recurring is not None:
                return next_due(compiled, answers, today)
            reference = as_date(answers.get(rule.of))
            return None if reference is None else apply_rule(rule.rule, reference)
    return None


def _group(deadline: Optional[date], anchor: date) -> str:
    if deadline is None:
        return "no_deadline"
    if deadline < anchor:
        return "before"
    return "within_30_days" if deadline <= anchor + timedelta(days=30) else "later"


def build_plan(journey: JourneyDefinition, answers: Mapping, today: date,
               organisations: Optional[Mapping[str, Organisation]] = None) -> Plan:
    current = current_answers(journey, answers, today)
    anchor = as_date(current.get(journey.journey.anchor_date)) if journey.journey.anchor_date else None
    reference = anchor or today
    soon = today + timedelta(days=URGENT_DAYS)
    organisations = organisations if organisations is not None else journey.organisations
    steps = []
    for compiled in journey.compiled_steps:
        if compiled.applies_if is not None and not compiled.applies_if.evaluate(current, today):
            continue
        deadline = step_deadline(compiled, current, today)
        overdue = deadline is not None and deadline < today
        steps.append(PlanStep(
            step=compiled.step,
            organisation=organisations.get(compiled.step.organisation),
            deadline=deadline,
            overdue=overdue,
            urgent=deadline is not None and deadline <= soon,
            group=_group(deadline, reference),
            because=[(name, current[name]) for name in compiled.because if current.get(name) is not None],
        ))
    return Plan(steps, anchor, current)
