"""The questionnaire logic: which questions are on the route, which answers count, what to ask next.

Answers are `{question_id: canonical value}`; a group's answer is a list of item dicts. A key
present with None means the question was seen and skipped. Only answers on the *current route*
count: `current_answers` walks the questions in order and keeps an answer only when its question
is visible given the answers kept so far, so a stale answer can never keep a later question
visible nor reach the plan.
"""
from __future__ import annotations

from datetime import date
from typing import Mapping, Optional

from .definition import CompiledQuestion, JourneyDefinition
from .schema import Question


def _route(journey: JourneyDefinition, answers: Mapping, today: date) -> tuple[list[CompiledQuestion], dict]:
    visible: list[CompiledQuestion] = []
    current: dict = {}
    for compiled in journey.compiled_questions:
        if compiled.show_if is not None and not compiled.show_if.evaluate(current, today):
            continue
        visible.append(compiled)
        key = compiled.question.id
        if key in answers:
            value = answers[key]
            if compiled.items and value is not None:
                value = [current_item(compiled, item, current, today) for item in value]
            current[key] = value
    return visible, current


def current_item(group: CompiledQuestion, item: Mapping, answers: Mapping, today: date) -> dict:
    """The item's answers that are on its current route (same rule as for the whole journey)."""
    kept: dict = {}
    for compiled in group.items:
        key = compiled.question.id
        if key in item and (compiled.show_if is None or compiled.show_if.evaluate(answers, today, kept)):
            kept[key] = item[key]
    return kept


def visible_item_questions(group: CompiledQuestion | Question, item: Mapping, answers: Mapping,
                           today: date, journey: Optional[JourneyDefinition] = None) -> list[Question]:
    """The item questions to ask for one item of a group, given that item's answers so far."""
    group = _compiled(journey, group) if isinstance(group, Question) else group
    kept, visible = {}, []
    for compiled in group.items:
        if compiled.show_if is None or compiled.show_if.evaluate(answers, today, kept):
            visible.append(compiled.question)
            if compiled.question.id in item:
                kept[compiled.question.id] = item[compiled.question.id]
    return visible


def _compiled(journey: Optional[JourneyDefinition], question: Question) -> CompiledQuestion:
    if journey is None:
        raise TypeError("pass journey= when giving a schema Question")
    return next(c for c in journey.compiled_questions if c.question.id == question.id)


def visible_questions(journey: JourneyDefinition, answers: Mapping, today: date) -> list[Question]:
    """The questions on the current route, in definition order."""
    return [c.question for c in _route(journey, answers, today)[0]]


def current_answers(journey: JourneyDefinition, answers: Mapping, today: date) -> dict:
    """Only the answers of questions on the current route (hidden ones dropped, in order)."""
    return _route(journey, answers, today)[1]


def _missing(question: Question, current: Mapping) -> bool:
    return question.id not in current or (question.required and current[question.id] is None)


def unanswered_questions(journey: JourneyDefinition, answers: Mapping, today: date) -> list[Question]:
    """Visible questions not answered yet: no key, or None for a required one."""
    visible, current = _route(journey, answers, today)
    return [c.question for c in visible if _missing(c.question, current)]


def next_question(journey: JourneyDefinition, answers: Mapping, today: date) -> Optional[Question]:
    """The first visible question still to ask (the runner asks every visible question once)."""
    visible, current = _route(journey, answers, today)
    return next((c.question for c in visible if _missing(c.question, current)), None)


def is_complete(journey: JourneyDefinition, answers: Mapping, today: date) -> bool:
    return next_question(journey, answers, today) is None
