"""Who may use the studio, as decorators next to each route.

Anyone without a staff role (an anonymous visitor, a citizen, a business member) gets a 404: the
studio does not exist for them, so its URLs tell an attacker nothing. Staff without the right role
for an action (an editor trying to publish) get a 403 explaining why.
"""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from app.auth.models import ADMIN, STAFF_EDITOR, STAFF_PUBLISHER

STAFF_ROLES = (STAFF_EDITOR, STAFF_PUBLISHER, ADMIN)
PUBLISHER_ROLES = (STAFF_PUBLISHER, ADMIN)


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*STAFF_ROLES))


def can_publish(user) -> bool:
    return is_staff(user) and user.has_role(*PUBLISHER_ROLES)


def staff_required(view):
    """Editors, publishers and admins; everyone else sees a 404."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not is_staff(current_user):
            abort(404)
        return view(*args, **kwargs)

    wrapped.studio_access = "staff"
    return wrapped


def publisher_required(view):
    """Publishers and admins; other staff get a 403, everyone else a 404."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not is_staff(current_user):
            abort(404)
        if not can_publish(current_user):
            abort(403)
        return view(*args, **kwargs)

    wrapped.studio_access = "publisher"
    return wrapped
