"""Mon dossier entreprise: what a business's members share, rebuilt from the business's runs.

- results: every journey run for the business (by any member), with who started it;
- obligations: each step of a completed run's plan, plus the next due dates of its recurring steps
  (from the engine, app/journeys/recurring.py), each with its tick (who did it and when);
- declarations and form drafts made from those runs;
- activity: who did what (BusinessEvent).

Plans are rebuilt from the runs' answers with the engine, never stored twice; only ticks are stored.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.auth.models import User
from app.core.db import db
from app.dossier.overview import SavedRun
from app.entreprises.models import BusinessEvent, BusinessRun, ObligationTick
from app.journeys.recurring import upcoming

RECURRING_COUNT = 4  # due dates listed per recurring obligation


@dataclass
class Obligation:
    run_id: str
    step_id: str
    title: dict
    organisation: dict | None
    due: date | None
    recurring: bool
    journey_title: dict
    done_by: str | None = None   # the member's email
    done_at: object = None

    @property
    def key(self) -> str:
        return f"{self.run_id}|{self.step_id}|{self.due.isoformat() if self.due else ''}"

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass
class BusinessResult(SavedRun):
    started_by: str | None = None


def emails(user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).all())


def business_results(business_id: str) -> list[BusinessResult]:
    from app.catalog import get_journey
    from app.runner.models import Run

    rows = db.session.execute(
        select(Run, BusinessRun.started_by).join(BusinessRun, BusinessRun.run_id == Run.id)
        .where(BusinessRun.business_id == business_id).order_by(Run.updated_at.desc())).all()
    who = emails(started_by for _, started_by in rows)
    return [BusinessResult(run, get_journey(run.journey_id, run.journey_version), who.get(started_by))
            for run, started_by in rows]


def obligations(business_id: str, today: date, results: list[BusinessResult] | None = None) -> list[Obligation]:
    """Every obligation of the business's completed runs: open ones by due date, then done ones."""
    from app.runner import flow

    results = results if results is not None else business_results(business_id)
    found: list[Obligation] = []
    for result in results:
        if not result.completed or result.journey is None:
            continue
        journey, answers = result.journey, result.run.answers or {}
        recurring_ids = set()
        for occurrence in upcoming(journey, answers, today, RECURRING_COUNT):
            recurring_ids.add(occurrence.step.id)
            found.append(Obligation(result.run.id, occurrence.step.id, occurrence.step.title,
                                    occurrence.organisation.name if occurrence.organisation else None,
                                    occurrence.due, True, result.title))
        for planned in flow.plan(journey, answers, today).steps:
            if planned.step.id in recurring_ids:
                continue
            found.append(Obligation(result.run.id, planned.step.id, planned.step.title,
                                    planned.organisation.name if planned.organisation else None,
                                    planned.deadline, False, result.title))
    ticks = {(t.run_id, t.step_id, t.due_date): t for t in db.session.execute(
        select(ObligationTick).where(ObligationTick.business_id == business_id)).scalars()}
    who = emails(t.done_by for t in ticks.values())
    for obligation in found:
        tick = ticks.get((obligation.run_id, obligation.step_id, obligation.due))
        if tick is not None:
            obligation.done_by, obligation.done_at = who.get(tick.done_by), tick.done_at
    found.sort(key=lambda o: (o.done, o.due is None, o.due or date.max, o.step_id))
    return found


def set_tick(business_id: str, obligation: Obligation, user_id: int, done: bool) -> bool:
    """Tick or untick one obligation (the caller commits); True when something changed."""
    tick = db.session.execute(select(ObligationTick).where(
        ObligationTick.business_id == business_id, ObligationTick.run_id == obligation.run_id,
        ObligationTick.step_id == obligation.step_id, ObligationTick.due_date == obligation.due)).scalar_one_or_none()
    if done and tick is None:
        db.session.add(ObligationTick(business_id=business_id, run_id=obligation.run_id,
                                      step_id=obligation.step_id, due_date=obligation.due, done_by=user_id))
        return True
    if not done and tick is not None:
        db.session.delete(tick)
        return True
    return False


def record(business_id: str, user_id: int | None, action: str, **details) -> None:
    """Add one activity line (ids and codes only) to the current transaction."""
    db.session.add(BusinessEvent(business_id=business_id, user_id=user_id, action=action, details=details))


def activity(business_id: str, limit: int = 30) -> list[tuple[BusinessEvent, str | None]]:
    events = list(db.session.execute(select(BusinessEvent).where(BusinessEvent.business_id == business_id)
                                     .order_by(BusinessEvent.at.desc(), BusinessEvent.id.desc()).limit(limit)).scalars())
    who = emails(e.user_id for e in events)
    return [(event, who.get(event.user_id)) for event in events]


def declarations_and_forms(business_id: str) -> tuple[list, list]:
    from app.declarations.models import Declaration
    from app.forms.models import FormDraft

    run_ids = select(BusinessRun.run_id).where(BusinessRun.business_id == business_id)
    declarations = list(db.session.execute(select(Declaration).where(Declaration.run_id.in_(run_ids))
                                           .order_by(Declaration.created_at.desc())).scalars())
    drafts = list(db.session.execute(select(FormDraft).where(FormDraft.run_id.in_(run_ids))
                                     .order_by(FormDraft.updated_at.desc())).scalars())
    return declarations, drafts
