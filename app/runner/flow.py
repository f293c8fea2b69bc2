"""The questionnaire's questions to the engine, in one place: the route, item questions, parsing, the plan.

Views never call `app.journeys` directly, so the web layer has a single, small contract with the engine.
"""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext, ngettext

from app.journeys import engine
from app.journeys.answers import AnswerError, parse_answer
from app.journeys.plan import build_plan
from app.runner.display import localized

__all__ = ["AnswerError", "plan", "current_answers", "first_unanswered", "first_unanswered_item_question",
           "group_problem", "is_complete", "item_questions", "parse", "visible_questions"]


def visible_questions(journey, answers: dict, today: date) -> list:
    return list(engine.visible_questions(journey, answers, today))


def current_answers(journey, answers: dict, today: date) -> dict:
    """Only answers on the current route: those to questions now hidden are dropped."""
    return dict(engine.current_answers(journey, answers, today))


def first_unanswered(journey, answers: dict, today: date):
    """The first visible question without an answer (a skipped optional question counts as answered)."""
    return engine.next_question(journey, answers, today)


def is_complete(journey, answers: dict, today: date) -> bool:
    return engine.is_complete(journey, answers, today)


def parse(question, raw, today: date):
    return parse_answer(question, raw, today=today, max_length_cap=current_app.config.get("MAX_ANSWER_LENGTH", 2000))


def item_questions(journey, group, item: dict, answers: dict, today: date) -> list:
    """The questions asked about one item of a repeating group, given that item's answers so far."""
    return list(engine.visible_item_questions(group, item, answers, today, journey=journey))


def plan(journey, answers: dict, today: date):
    from app.catalog import get_catalog

    return build_plan(journey, answers, today, organisations=get_catalog().organisations)


def first_unanswered_item_question(journey, group, item: dict, answers: dict, today: date):
    for question in item_questions(journey, group, item, answers, today):
        if question.id not in item:
            return question
    return None


def group_problem(journey, group, items: list, answers: dict, today: date) -> str | None:
    """Why a group's list cannot be accepted yet (too few items, an item half answered), or None."""
    if any(first_unanswered_item_question(journey, group, item, answers, today) for item in items):
        return gettext("Complete or remove the items marked “To complete”.")
    if len(items) < group.min_items:
        return ngettext("Add at least one item (%(item)s).", "Add at least %(num)d items (%(item)s).",
                        group.min_items, item=localized(group.item_label))
    return None
