"""Claiming: the runs a visitor started anonymously join their account at login or registration,
and the account's in-progress runs come back into the session so the runner finds them.

`session['runs']` is {journey_id: run_id} (the runner's contract). A run already owned by another
account is never taken over.
"""
from __future__ import annotations

from flask import session
from sqlalchemy import select

from app.core.db import db


def claim_session_runs(user) -> int:
    """Give the anonymous runs of this browser to `user` (the caller commits); returns how many."""
    from app.runner.models import Run

    # Staff previews of drafts (app/runner/mode.py) are never anyone's run.
    run_ids = [run_id for key, run_id in (session.get("runs") or {}).items()
               if isinstance(run_id, str) and not key.startswith("preview:")]
    if not run_ids:
        return 0
    runs = db.session.execute(select(Run).where(Run.id.in_(run_ids))).scalars().all()
    claimed = 0
    for run in runs:
        if run.user_id is None:
            run.user_id = user.id
            claimed += 1
    return claimed


def restore_user_runs(user) -> None:
    """Put the account's in-progress runs in the session; a run of this browser wins for its journey."""
    from app.runner.models import Run

    current = {journey: run_id for journey, run_id in (session.get("runs") or {}).items()}
    owned = db.session.execute(
        select(Run).where(Run.user_id == user.id).order_by(Run.updated_at.desc())
    ).scalars().all()
    owned_ids = {run.id for run in owned}
    # Drop anything in the cookie that is not this user's (e.g. a run another account owns).
    runs = {journey: run_id for journey, run_id in current.items() if run_id in owned_ids}
    for run in owned:  # newest first, so the most recent run of each journey wins
        if run.status == "in_progress" and run.journey_id not in runs:
            runs[run.journey_id] = run.id
    session["runs"] = runs
