"""What Mon dossier shows: the citizen's runs with their plans and step progress, and *À venir*
(deadlines in the coming days across every journey, overdue first).

Plans are rebuilt from the run's answers and its pinned journey version with the engine, so the
dossier never stores a second copy of the rules; only the citizen's ticks are stored (StepProgress).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import abort
from sqlalchemy import delete, select

from app.core.db import db, utcnow
from app.dossier.models import STEP_STATUSES, StepProgress

UPCOMING_DAYS = 30


@dataclass
class PlannedStep:
    id: str
    title: dict
    organisation: dict | None
    deadline: date | None
    overdue: bool
    status: str | None  # done | not_applicable | None (to do)
    passed: bool = False  # the date is before today; a passed suggested date is no longer "coming"
    kind: str | None = None  # legal | suggested


@dataclass
class SavedRun:
    """A run as a list in Mon dossier (or Mon dossier entreprise) shows it."""

    run: object
    journey: object | None  # the compiled journey, None when its version is no longer known

    @property
    def title(self) -> dict:
        return self.journey.journey.title if self.journey is not None else {"fr": self.run.journey_id}

    @property
    def completed(self) -> bool:
        return self.run.status == "completed"


@dataclass
class RunView(SavedRun):
    steps: list[PlannedStep] = field(default_factory=list)

    @property
    def open_steps(self) -> list[PlannedStep]:
        return [step for step in self.steps if step.status is None]

    @property
    def summary(self) -> tuple[dict, str] | None:
        """What tells two runs of one journey apart: (question label, answer as said), from the
        journey's anchor date (the birth, the move, the death), else its first answer."""
        if self.journey is None or not self.run.answers:
            return None
        from app.runner.display import human_answer

        definition = self.journey.journey
        questions = {question.id: question for question in definition.questions}
        answered = [qid for qid in ([definition.anchor_date] if definition.anchor_date else []) + list(questions)
                    if qid in questions and questions[qid].type != "group" and self.run.answers.get(qid) is not None]
        if not answered:
            return None
        question = questions[answered[0]]
        return question.label, human_answer(question, self.run.answers[question.id])


def user_runs(user) -> list:
    from app.runner.models import Run

    return list(db.session.execute(
        select(Run).where(Run.user_id == user.id).order_by(Run.updated_at.desc())
    ).scalars())


def owned_run(user, run_id) -> object:
    """The run if this user owns it; 404 otherwise (another account's run is indistinguishable from none)."""
    from app.runner.models import Run

    run = db.session.get(Run, str(run_id))
    if run is None or run.user_id is None or run.user_id != user.id:
        abort(404)
    return run


def statuses(run_id: str) -> dict[str, str]:
    rows = db.session.execute(select(StepProgress).where(StepProgress.run_id == run_id)).scalars()
    return {row.step_id: row.status for row in rows}


def run_view(run, today: date) -> RunView:
    from app.catalog import get_journey
    from app.runner import flow

    journey = get_journey(run.journey_id, run.journey_version)
    view = RunView(run=run, journey=journey)
    if journey is None or run.status != "completed":
        return view
    ticks = statuses(run.id)
    plan = flow.plan(journey, run.answers or {}, today)
    for planned in plan.steps:
        organisation = planned.organisation
        view.steps.append(PlannedStep(
            id=planned.step.id,
            title=planned.step.title,
            organisation=organisation.name if organisation is not None else None,
            deadline=planned.deadline,
            overdue=planned.overdue,
            status=ticks.get(planned.step.id),
            passed=planned.passed,
            kind=planned.kind,
        ))
    return view


def set_statuses(run, wanted: dict[str, str | None], allowed_steps: set[str]) -> int:
    """Store the citizen's ticks for this run (the caller commits); unknown steps are ignored."""
    current = {row.step_id: row for row in db.session.execute(
        select(StepProgress).where(StepProgress.run_id == run.id)).scalars()}
    changed = 0
    for step_id, status in wanted.items():
        if step_id not in allowed_steps:
            continue
        row = current.get(step_id)
        if status in STEP_STATUSES:
            if row is None:
                db.session.add(StepProgress(run_id=run.id, step_id=step_id, status=status))
                changed += 1
            elif row.status != status:
                row.status, row.updated_at = status, utcnow()
                changed += 1
        elif row is not None:
            db.session.delete(row)
            changed += 1
    return changed


def delete_progress(run_ids: list[str]) -> None:
    if run_ids:
        db.session.execute(delete(StepProgress).where(StepProgress.run_id.in_(run_ids)))


@dataclass
class Upcoming:
    run_view: RunView
    step: PlannedStep

    @property
    def deadline(self) -> date:
        return self.step.deadline


def upcoming(user, today: date, days: int = UPCOMING_DAYS, views: list[RunView] | None = None) -> list[Upcoming]:
    """Open steps due within `days` (and every overdue one), overdue first, then by date.
    A suggested date that has passed is not overdue and no longer coming: it is left out."""
    views = views if views is not None else [run_view(run, today) for run in user_runs(user)]
    horizon = today + timedelta(days=days)
    items = [Upcoming(view, step) for view in views for step in view.open_steps
             if step.deadline is not None and step.deadline <= horizon
             and not (step.passed and not step.overdue)]
    return sorted(items, key=lambda item: (not item.step.overdue, item.step.deadline, item.step.id))
