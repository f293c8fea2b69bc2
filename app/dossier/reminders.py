"""`flask reminders send`: one digest per opted-in citizen of the open steps due in the next 7 days.

Idempotent: every (user, run, step, due date) announced is recorded in `reminder_sends` in the same
transaction as the send, so a second run the same day (or the next) mails nobody again about it.
Only confirmed email addresses receive reminders.
"""
from __future__ import annotations

import logging
from datetime import date

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.auth.models import User
from app.core import audit, mail
from app.core.db import db
from app.dossier import overview
from app.dossier.models import ReminderSend
from app.dossier.profile import get_profile

log = logging.getLogger(__name__)
REMINDER_DAYS = 7


def _already_sent(user_id: int) -> set[tuple[str, str, date]]:
    rows = db.session.execute(select(ReminderSend).where(ReminderSend.user_id == user_id)).scalars()
    return {(row.run_id, row.step_id, row.due_date) for row in rows}


def due_items(user, today: date) -> list[overview.Upcoming]:
    sent = _already_sent(user.id)
    return [item for item in overview.upcoming(user, today, days=REMINDER_DAYS)
            if item.deadline >= today
            and (item.run_view.run.id, item.step.id, item.deadline) not in sent]


def send_reminders(today: date) -> dict:
    """Send the digests; returns counts (mails sent, steps announced, failures)."""
    counts = {"mails": 0, "steps": 0, "failed": 0}
    users = db.session.execute(
        select(User).where(User.reminders_opt_in.is_(True), User.email_verified_at.is_not(None)).order_by(User.id)
    ).scalars().all()
    for user in users:
        items = due_items(user, today)
        if not items:
            continue
        profile = get_profile(user)
        language = (profile.language if profile and profile.language else None) or current_app.config["BABEL_DEFAULT_LOCALE"]
        try:
            for item in items:
                db.session.add(ReminderSend(user_id=user.id, run_id=item.run_view.run.id, step_id=item.step.id,
                                            due_date=item.deadline))
            audit.record("reminders.sent", user.id, steps=len(items))
            db.session.flush()
            _mail_digest(user, items, today, language)
            db.session.commit()
        except Exception as error:  # one citizen's failure must not stop the others; their steps stay unsent
            db.session.rollback()
            # The type only: SMTP and SQL messages can carry the address.
            log.error("reminder digest failed for user id %s (%s)", user.id, type(error).__name__)
            counts["failed"] += 1
            continue
        counts["mails"] += 1
        counts["steps"] += len(items)
    return counts


def _mail_digest(user, items, today: date, language: str) -> None:
    # The mail templates use the request-bound helpers (url_for, language): give them a request.
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context("/", base_url=base), force_locale(language):
        subject = gettext("Parcours: your steps due in the next %(days)d days", days=REMINDER_DAYS)
        context = {"items": items, "today": today, "subject": subject}
        text = render_template("dossier/mail/reminders.txt", **context)
        html = render_template("dossier/mail/reminders.html", **context)
        mail.send(user.email, subject, text, html)
