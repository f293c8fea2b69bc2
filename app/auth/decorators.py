"""Access checks as decorators: `role_required(*roles)` and `verified_required` next to the route,
readable at a glance.

Anonymous visitors go to the login page (Flask-Login's unauthorized handler); a signed-in user
without any of the roles gets 403. `verified_required` guards what acts on someone's identity
(registry look-ups, declarations): a citizen whose e-mail address is not confirmed gets a page
saying why and how to receive the link again (403), never the action.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, render_template
from flask_login import current_user


def role_required(*roles: str):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def verified_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_verified:
            return unverified_page()
        return view(*args, **kwargs)

    return wrapped


def unverified_page():
    from app.auth.forms import EmptyForm

    return render_template("auth/verify_required.html", form=EmptyForm()), 403
