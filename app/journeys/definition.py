"""A journey compiled for the engine: the validated pydantic Journey plus compiled conditions and indexes.

Built once by the loader; the engine only reads it. Attribute access falls through to the
pydantic Journey, so `definition.title` or `definition.steps` work as on the schema model
(use `compiled_steps`/`compiled_questions` for the engine's view).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .conditions import Condition
from .schema import Deadline, Journey, Organisation, Question, Step


@dataclass(frozen=True)
class CompiledQuestion:
    question: Question
    show_if: Optional[Condition]
    items: tuple["CompiledQuestion", ...] = ()

    @property
    def id(self) -> str:
        return self.question.id


@dataclass(frozen=True)
class CompiledRule:
    """One deadline rule: counted from the date answer `of`, chosen when `condition` holds (or has none)."""
    rule: Deadline
    of: str
    condition: Optional[Condition]


@dataclass(frozen=True)
class CompiledStep:
    step: Step
    applies_if: Optional[Condition]
    deadline_rules: tuple[CompiledRule, ...]
    because: tuple[str, ...]  # question ids applies_if reads, in question order

    @property
    def id(self) -> str:
        return self.step.id


@dataclass(frozen=True, eq=False)
class JourneyDefinition:
    journey: Journey
    source_file: str
    compiled_questions: tuple[CompiledQuestion, ...]
    compiled_steps: tuple[CompiledStep, ...]
    # question id (top level and items) -> Question
    questions_by_id: dict[str, Question] = field(repr=False)
    # question id -> ids of the questions whose show_if reads it
    dependencies: dict[str, tuple[str, ...]] = field(repr=False)
    # question id -> ids of the steps whose applies_if, deadline `if` or deadline `of` reads it
    step_dependencies: dict[str, tuple[str, ...]] = field(repr=False)
    # question id -> position in the journey, to list answers in question order
    question_order: dict[str, int] = field(repr=False)
    # declaration partner organisation id -> compiled send_if (None: always sent);
    # ("notice", index) -> the compiled `if` of a declaration notice
    partner_conditions: dict = field(default_factory=dict, repr=False)
    # organisation id -> Organisation, for the organisations this journey's steps name
    organisations: dict[str, Organisation] = field(default_factory=dict, repr=False)

    def question(self, question_id: str) -> Optional[Question]:
        return self.questions_by_id.get(question_id)

    def partners_to_send(self, answers, today) -> list:
        """The declaration partners whose send_if holds for these (current-route) answers."""
        if self.journey.declaration is None:
            return []
        return [p for p in self.journey.declaration.partners
                if (condition := self.partner_conditions.get(p.organisation)) is None
                or condition.evaluate(answers, today)]

    def declaration_notices(self, answers, today) -> list:
        """The declaration notices whose condition holds (texts to show on the declaration page)."""
        if self.journey.declaration is None:
            return []
        return [notice.text for index, notice in enumerate(self.journey.declaration.notices)
                if (condition := self.partner_conditions.get(("notice", index))) is not None
                and condition.evaluate(answers, today)]

    def step(self, step_id: str) -> Optional[Step]:
        return next((s.step for s in self.compiled_steps if s.id == step_id), None)

    def __getattr__(self, name):
        # Only called when normal lookup fails: expose the schema fields (id, title, steps...).
        if name.startswith("__") or name in ("journey", "organisations", "partner_conditions"):
            raise AttributeError(name)
        return getattr(self.journey, name)


__all__ = ["CompiledQuestion", "CompiledRule", "CompiledStep", "JourneyDefinition", "Organisation"]
