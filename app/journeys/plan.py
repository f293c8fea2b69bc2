"""The personalised plan: the steps that apply to a set of answers, with deadlines and phases.

Deadlines are counted from a date answer (the journey's anchor date by default); a step whose
rules all fail, or whose reference date is unanswered, has no deadline. Steps are grouped by the
phase of life each declares (`when`, in the order of PHASES), then ordered by urgency and date:
what to do first comes first. Only a legal deadline can be overdue or urgent; a suggested date
that has passed is only `passed`.
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
from .schema import PHASES, Organisation, Step

GROUPS = PHASES
URGENT_DAYS = 7


@dataclass(slots=True)  # not frozen: frozen dataclasses are several times slower to build
class PlanStep:
    step: Step
    organisation: Optional[Organisation]
    deadline: Optional[date]
    overdue: bool  # a legal deadline that has passed
    urgent: bool   # a legal deadline within URGENT_DAYS (or overdue)
    group: str     # the step's phase
    because: list[tuple[str, Any]]
    kind: Optional[str] = None  # legal | suggested, None without a deadline
    passed: bool = False        # the date (legal or suggested) is before today
    # (group id, item index, item question id, answer): the items of a group whose answers made
    # the step apply, e.g. ("enfants", 1, "handicap", True), so the reason can name the child
    because_items: list = field(default_factory=list)

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


def step_rule(compiled: CompiledStep, answers: Mapping, today: date) -> tuple[Optional[date], Optional[str]]:
    """The deadline of a step and its kind (legal or suggested), or (None, None)."""
    for rule in compiled.deadline_rules:
        if rule.condition is None or rule.condition.evaluate(answers, today):
            if rule.rule.recurring is not None:
                return next_due(compiled, answers, today), rule.rule.kind
            reference = as_date(answers.get(rule.of))
            return (None, None) if reference is None else (apply_rule(rule.rule, reference), rule.rule.kind)
    return None, None


def _item_reasons(journey: JourneyDefinition, compiled: CompiledStep, current: Mapping, today: date) -> list:
    """The items of each group the step's condition reads that would, alone, make the step apply."""
    condition = compiled.applies_if
    if condition is None or not condition.item_names:
        return []
    reasons = []
    for group_id in compiled.because:
        group = journey.questions_by_id.get(group_id)
        items = current.get(group_id)
        if group is None or group.type != "group" or not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not condition.evaluate({**current, group_id: [item]}, today):
                continue
            for question in group.questions:
                if question.id in condition.item_names and item.get(question.id) is not None:
                    reasons.append((group_id, index, question.id, item[question.id]))
    return reasons


def _order(step: PlanStep, index: int) -> tuple:
    # Within a phase: urgent (or overdue) legal deadlines first, then the other legal deadlines by
    # date, then the rest (suggested dates, no date) in the order the journey lists them.
    legal = step.kind == "legal"
    return (PHASES.index(step.group), not step.urgent, not legal, step.deadline if legal else date.max, index)


def build_plan(journey: JourneyDefinition, answers: Mapping, today: date,
               organisations: Optional[Mapping[str, Organisation]] = None) -> Plan:
    current = current_answers(journey, answers, today)
    anchor = as_date(current.get(journey.journey.anchor_date)) if journey.journey.anchor_date else None
    soon = today + timedelta(days=URGENT_DAYS)
    organisations = organisations if organisations is not None else journey.organisations
    steps = []
    for compiled in journey.compiled_steps:
        if compiled.applies_if is not None and not compiled.applies_if.evaluate(current, today):
            continue
        deadline, kind = step_rule(compiled, current, today)
        passed = deadline is not None and deadline < today
        legal = kind == "legal"
        steps.append(PlanStep(
            step=compiled.step,
            organisation=organisations.get(compiled.step.organisation),
            deadline=deadline,
            overdue=legal and passed,
            urgent=legal and deadline <= soon,
            group=compiled.step.when,
            because=[(name, current[name]) for name in compiled.because if current.get(name) is not None],
            kind=kind,
            passed=passed,
            because_items=_item_reasons(journey, compiled, current, today),
        ))
    ordered = [step for _, step in sorted(enumerate(steps), key=lambda pair: _order(pair[1], pair[0]))]
    return Plan(ordered, anchor, current)
