"""Where a citizen's runs live: rows in the database, found through the signed session cookie.

`session['runs']` maps journey id -> run id, so an anonymous run survives a server restart.
A run that belongs to an account is only found while that account is signed in.
"""
from __future__ import annotations

from flask import session
from flask_login import current_user

from app.core.db import db
from app.runner.models import Run

MAX_REMEMBERED_RUNS = 20


def current_run(journey_id: str) -> Run | None:
    run_id = session.get("runs", {}).get(journey_id)
    if not isinstance(run_id, str):
        return None
    run = db.session.get(Run, run_id)
    if run is None or run.journey_id != journey_id:
        return None
    if run.user_id is not None and run.user_id != _signed_in_user_id():
        return None
    return run


def _signed_in_user_id() -> int | None:
    return current_user.id if current_user and current_user.is_authenticated else None


def start_run(journey) -> Run:
    run = Run(journey_id=journey.id, journey_version=journey.version, answers={}, status="in_progress",
              user_id=_signed_in_user_id())
    db.session.add(run)
    db.session.commit()
    remembered = {k: v for k, v in session.get("runs", {}).items() if k != journey.id}
    remembered = dict(list(remembered.items())[-(MAX_REMEMBERED_RUNS - 1):])
    remembered[journey.id] = run.id
    session["runs"] = remembered
    return run


def save_answers(run: Run, answers: dict, complete: bool) -> None:
    """Store the answers (a new dict, so SQLAlchemy sees the change); a changed run is no longer completed."""
    run.answers = dict(answers)
    if run.status == "completed" and not complete:
        run.status = "in_progress"
    db.session.commit()


def mark_completed(run: Run) -> None:
    run.status = "completed"
    db.session.commit()
