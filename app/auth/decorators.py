"""Access checks as decorators: `role_required(*roles)` next to the route, readable at a glance.

Anonymous visitors go to the login page (Flask-Login's unauthorized handler); a signed-in user
without any of the roles gets 403.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app
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
