"""Signed-in sessions: a fresh session at every login, an idle timeout, and a logout that really ends it.

Sessions are Flask's signed cookies. At login the cookie is emptied and refilled (only the language
and the visitor's runs survive, for claiming), and a new random token is put in it; the SHA-256 of that
token is a `LoginSession` row. Every request with a token checks the row: no row (logged out
elsewhere, password reset, account deleted) or no activity for IDLE_TIMEOUT_MINUTES means the session
is over, and the visitor sees the "session expired" page.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import current_app, g, redirect, request, session, url_for
from flask_login import login_user, logout_user
from sqlalchemy import delete

from app.auth.models import LoginSession, User
from app.core.db import db, utcnow

TOKEN_KEY = "login_token"
# Keys that outlive a login or logout: the language, and the runs a visitor started before signing in.
KEPT_KEYS = ("lang", "runs")
# Writing last_seen_at on every request would turn each page view into a database write.
TOUCH_EVERY = timedelta(seconds=60)
# Pages served directly after a stale session is ended (the others detour by the "session expired" page).
EXEMPT_ENDPOINTS = {"static", "auth.static", "auth.session_expired", "auth.login", "auth.logout", "auth.logged_out"}


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _reset_cookie(keep: tuple[str, ...] = KEPT_KEYS) -> None:
    kept = {key: session[key] for key in keep if key in session}
    session.clear()
    session.update(kept)


def start(user: User) -> None:
    """Log `user` in with a brand-new session (the caller commits)."""
    _reset_cookie()
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(id=_digest(token), user_id=user.id))
    session[TOKEN_KEY] = token
    session.permanent = False
    user.last_login_at = utcnow()
    login_user(user, remember=False)


def end(keep: tuple[str, ...] = ("lang",)) -> None:
    """Log out: delete the server-side row and empty the cookie (the caller commits)."""
    token = session.get(TOKEN_KEY)
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.id == _digest(token)))
    logout_user()
    _reset_cookie(keep)


def end_all_for(user_id: int) -> None:
    """Every browser signed in to this account is signed out (password reset, account deletion)."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))


def current_login_session() -> LoginSession | None:
    return g.get("login_session")


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: only a user whose session row was found for this request."""
    row = current_login_session()
    if row is None or str(row.user_id) != str(user_id):
        return None
    return db.session.get(User, row.user_id)


def enforce_idle_timeout():
    """before_request: end a session that is unknown or idle, then send the visitor to the expiry page."""
    token = session.get(TOKEN_KEY)
    if not token or request.endpoint in ("static", "auth.static"):
        return None
    row = db.session.get(LoginSession, _digest(token))
    now = utcnow()
    timeout = timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])
    if row is not None and now - as_utc(row.last_seen_at) <= timeout:
        if now - as_utc(row.last_seen_at) > TOUCH_EVERY:
            row.last_seen_at = now
            db.session.commit()
        g.login_session = row
        return None
    if row is not None:
        db.session.delete(row)
    # The runs in the cookie belong to the account now: a next person at this computer must not see them.
    end(keep=("lang",))
    db.session.commit()
    if request.endpoint in EXEMPT_ENDPOINTS:
        return None
    return redirect(url_for("auth.session_expired"))


def seconds_left() -> int:
    row = current_login_session()
    if row is None:
        return 0
    timeout = timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])
    return max(0, int((as_utc(row.last_seen_at) + timeout - utcnow()).total_seconds()))
