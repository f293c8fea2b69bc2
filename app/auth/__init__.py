"""Accounts: registration, email verification, login/logout with rotated server-checked sessions,
idle timeout, password reset, roles (`role_required`) and claiming anonymous runs."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from app.auth import sessions
from app.auth.limits import limiter

login_manager = LoginManager()


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
    limiter.init_app(app)
    app.before_request(sessions.enforce_idle_timeout)
    app.register_blueprint(bp)

    @app.context_processor
    def session_timing():
        from flask import current_app

        return {
            "idle_timeout_minutes": current_app.config["IDLE_TIMEOUT_MINUTES"],
            "idle_warning_minutes": current_app.config["IDLE_WARNING_MINUTES"],
        }
