"""Accounts: registration, email verification, login/logout with rotated server-checked sessions,
idle timeout, password reset, roles (`role_required`) and claiming anonymous runs."""
from __future__ import annotations

from flask import session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from app.auth import limits, sessions


class AccountLoginManager(LoginManager):
    """Flask-Login with its "strong" session protection applied to signed-in sessions only.

    Flask-Login checks any non-empty cookie against the browser's IP and user agent. An anonymous
    visitor's cookie (language, runs, CSRF secret) has no `_id` to match, so every request "failed"
    the check: Flask-Login rewrote the cookie and sent a second Set-Cookie clearing a remember cookie
    we never use (flask-login issue #569). There is no user to protect in such a cookie; a signed-in
    one (it carries `_user_id`) is still checked exactly as before.
    """

    def _session_protection_failed(self):
        if "_user_id" not in session:
            return False
        return super()._session_protection_failed()


login_manager = AccountLoginManager()


def init_app(app) -> None:
    from app.auth import models  # noqa: F401  (registers the tables)
    from app.core import audit  # noqa: F401  (registers audit_events)
    from app.auth.views import bp

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(sessions.load_user)
    login_manager.init_app(app)
    limits.init_app(app)
    app.before_request(sessions.enforce_idle_timeout)
    app.register_blueprint(bp)
    from app.auth.cli import users

    app.cli.add_command(users)

    @app.context_processor
    def session_timing():
        from flask import current_app

        return {
            "idle_timeout_minutes": current_app.config["IDLE_TIMEOUT_MINUTES"],
            "idle_warning_minutes": current_app.config["IDLE_WARNING_MINUTES"],
        }
