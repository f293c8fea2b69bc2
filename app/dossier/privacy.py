"""Law 25 rights and retention: everything held about a citizen (export), account deletion, and the
purge of old anonymous runs.

Other packages that keep data linked to a user or a run register hooks in `app.extensions`:
  - "dossier_export_sections": callables (user) -> (section name, JSON-able data) added to the export;
  - "run_deletion_hooks": callables (run_ids: list[str]) -> None, run before runs are deleted;
  - "user_deletion_hooks": callables (user_id: int) -> None, run before the user row is deleted;
  - "pending_before_deletion": callables (user_id: int) -> list of {number, organisations}: what
    will still be sent after the account is deleted (shown on the confirmation pages);
  - "retention_hooks": callables () -> int, run by the retention purge.
Hooks run inside the same transaction, so a failure leaves everything as it was.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from app.auth import sessions
from app.auth.models import LoginSession, User
from app.core import audit
from app.core.audit import AuditEvent
from app.core.db import db, utcnow
from app.dossier import overview
from app.dossier.models import Profile, ReminderSend, StepProgress
from app.dossier.profile import profile_values


def register_hook(app, kind: str, hook) -> None:
    app.extensions.setdefault(kind, []).append(hook)


def _hooks(kind: str) -> list:
    return list(current_app.extensions.get(kind, []))


def _iso(moment) -> str | None:
    return sessions.as_utc(moment).isoformat() if moment is not None else None


def export_data(user) -> dict:
    """Everything Parcours holds about this citizen, as plain JSON-able data."""
    runs = overview.user_runs(user)
    run_ids = [run.id for run in runs]
    progress = db.session.execute(
        select(StepProgress).where(StepProgress.run_id.in_(run_ids)).order_by(StepProgress.id)
    ).scalars().all() if run_ids else []
    reminders = db.session.execute(
        select(ReminderSend).where(ReminderSend.user_id == user.id).order_by(ReminderSend.id)).scalars().all()
    events = db.session.execute(
        select(AuditEvent).where(AuditEvent.user_id == user.id).order_by(AuditEvent.id)).scalars().all()
    data = {
        "account": {
            "email": user.email,
            "roles": list(user.roles or []),
            "created_at": _iso(user.created_at),
            "email_verified_at": _iso(user.email_verified_at),
            "last_login_at": _iso(user.last_login_at),
            "reminders_opt_in": bool(user.reminders_opt_in),
        },
        "profile": profile_values(user, purpose="export"),
        "runs": [{
            "id": run.id,
            "journey_id": run.journey_id,
            "journey_version": run.journey_version,
            "status": run.status,
            "created_at": _iso(run.created_at),
            "updated_at": _iso(run.updated_at),
            "answers": run.answers or {},
        } for run in runs],
        "step_progress": [{"run_id": row.run_id, "step_id": row.step_id, "status": row.status,
                           "updated_at": _iso(row.updated_at)} for row in progress],
        "reminders_sent": [{"run_id": row.run_id, "step_id": row.step_id, "due_date": row.due_date.isoformat(),
                            "sent_at": _iso(row.sent_at)} for row in reminders],
        "audit_events": [{"at": _iso(event.at), "action": event.action, "details": event.details}
                         for event in events],
    }
    for hook in _hooks("dossier_export_sections"):
        name, section = hook(user)
        data[name] = section
    return data


def delete_runs(run_ids: list[str]) -> None:
    """Runs, their answers and their progress (the caller commits)."""
    from app.runner.models import Run

    if not run_ids:
        return
    for hook in _hooks("run_deletion_hooks"):
        hook(run_ids)
    overview.delete_progress(run_ids)
    db.session.execute(delete(Run).where(Run.id.in_(run_ids)))


def pending_before_deletion(user_id: int) -> list[dict]:
    return [item for hook in _hooks("pending_before_deletion") for item in hook(user_id)]


def delete_account(user) -> None:
    """Delete the account and everything linked to it in one transaction; keep one audit event
    without personal data. Raises on a database error, after rolling back."""
    user_id = user.id
    try:
        run_ids = [run.id for run in overview.user_runs(user)]
        delete_runs(run_ids)
        for hook in _hooks("user_deletion_hooks"):
            hook(user_id)
        db.session.execute(delete(ReminderSend).where(ReminderSend.user_id == user_id))
        db.session.execute(delete(Profile).where(Profile.user_id == user_id))
        db.session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))
        db.session.execute(delete(User).where(User.id == user_id))
        audit.record("account.deleted", user_id, runs_deleted=len(run_ids))
        sessions.end()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def purge_anonymous_runs(days: int | None = None) -> int:
    """Delete anonymous runs untouched for RETENTION_DAYS days; returns how many."""
    from app.runner.models import Run

    days = current_app.config["RETENTION_DAYS"] if days is None else days
    cutoff = utcnow() - timedelta(days=days)
    run_ids = list(db.session.execute(
        select(Run.id).where(Run.user_id.is_(None), Run.updated_at < cutoff)).scalars())
    delete_runs(run_ids)
    for hook in _hooks("retention_hooks"):
        hook()
    idle = utcnow() - timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])
    db.session.execute(delete(LoginSession).where(LoginSession.last_seen_at < idle))
    audit.record("retention.purged", None, anonymous_runs=len(run_ids), retention_days=days)
    db.session.commit()
    return len(run_ids)
