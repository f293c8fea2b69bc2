"""Where a citizen's runs live: rows in the database, found through the signed session cookie.

`session['runs']` maps journey id -> run id, so an anonymous run survives a server restart.
A run that belongs to an account is only found while that account is signed in.

Reads return a `RunRecord` (a plain snapshot) and writes are single UPDATE statements, both on the
SQLAlchemy Core table: every questionnaire page reads its run, and the ORM's identity map, unit of
work and session teardown cost about three times a Core statement for that one row (measured by
bench/profile_question.py). The `Run` model stays the schema and serves the account pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import session
from flask_login import current_user
from sqlalchemy import bindparam, select, update

from app.core.db import db
from app.runner.models import Run

MAX_REMEMBERED_RUNS = 20

_runs = Run.__table__
_READ = select(_runs.c.id, _runs.c.journey_id, _runs.c.journey_version, _runs.c.answers, _runs.c.status,
               _runs.c.user_id).where(_runs.c.id == bindparam("run_id"))


@dataclass(frozen=True)
class RunRecord:
    """A run as one request sees it."""

    id: str
    journey_id: str
    journey_version: int
    answers: dict[str, Any]
    status: str
    user_id: int | None


def current_run(journey_id: str) -> RunRecord | None:
    run_id = session.get("runs", {}).get(journey_id)
    if not isinstance(run_id, str):
        return None
    with db.engine.connect() as connection:
        row = connection.execute(_READ, {"run_id": run_id}).first()
    if row is None or row.journey_id != journey_id:
        return None
    if row.user_id is not None and row.user_id != _signed_in_user_id():
        return None
    return RunRecord(id=row.id, journey_id=row.journey_id, journey_version=row.journey_version,
                     answers=row.answers or {}, status=row.status, user_id=row.user_id)


def _signed_in_user_id() -> int | None:
    return current_user.id if current_user and current_user.is_authenticated else None


def start_run(journey) -> RunRecord:
    run = Run(journey_id=journey.id, journey_version=journey.version, answers={}, status="in_progress",
              user_id=_signed_in_user_id())
    db.session.add(run)
    db.session.commit()
    remembered = {k: v for k, v in session.get("runs", {}).items() if k != journey.id}
    remembered = dict(list(remembered.items())[-(MAX_REMEMBERED_RUNS - 1):])
    remembered[journey.id] = run.id
    session["runs"] = remembered
    return RunRecord(id=run.id, journey_id=run.journey_id, journey_version=run.journey_version,
                     answers={}, status=run.status, user_id=run.user_id)


def save_answers(run: RunRecord, answers: dict, complete: bool) -> None:
    """Store the answers; a changed run that is no longer complete is no longer completed either."""
    values: dict[str, Any] = {}
    if answers != run.answers:
        values["answers"] = dict(answers)
    if run.status == "completed" and not complete:
        values["status"] = "in_progress"
    if values:  # the same answer posted again changes nothing, not even `updated_at`
        _update(run.id, values)


def mark_completed(run: RunRecord) -> None:
    if run.status != "completed":
        _update(run.id, {"status": "completed"})


def _update(run_id: str, values: dict) -> None:
    """One UPDATE in its own transaction (`updated_at` follows from the column's `onupdate`)."""
    with db.engine.begin() as connection:
        connection.execute(update(_runs).where(_runs.c.id == run_id).values(**values))
