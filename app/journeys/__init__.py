"""Journeys as data: the schema, the loader, the condition language and the engine (pure Python).

Nothing here imports Flask or the database; the web layer calls these functions.
"""
from .answers import AnswerError, parse_answer
from .conditions import ConditionError, compile_condition
from .definition import JourneyDefinition
from .engine import current_answers, is_complete, next_question, unanswered_questions, visible_questions
from .errors import DefinitionError, DefinitionErrors
from .loader import Catalog, load_catalog
from .plan import Plan, PlanStep, build_plan

__all__ = [
    "AnswerError", "Catalog", "ConditionError", "DefinitionError", "DefinitionErrors", "JourneyDefinition",
    "Plan", "PlanStep", "build_plan", "compile_condition", "current_answers", "is_complete", "load_catalog",
    "next_question", "parse_answer", "unanswered_questions", "visible_questions",
]
