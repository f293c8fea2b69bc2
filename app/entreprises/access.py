"""Who may see a business: its members only. Every business route goes through `member_business`,
which answers 404 to anyone else (a business you are not a member of is indistinguishable from none).
"""
from __future__ import annotations

from functools import wraps

from flask import abort, g
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.db import db
from app.entreprises.models import ADMIN, Business, BusinessMember


def membership(user_id: int, business_id: str) -> BusinessMember | None:
    return db.session.execute(select(BusinessMember).where(
        BusinessMember.business_id == business_id, BusinessMember.user_id == user_id)).scalar_one_or_none()


def user_businesses(user_id: int) -> list[tuple[Business, str]]:
    rows = db.session.execute(
        select(Business, BusinessMember.role).join(BusinessMember, BusinessMember.business_id == Business.id)
        .where(BusinessMember.user_id == user_id).order_by(Business.name))
    return [(business, role) for business, role in rows]


def member_business(admin: bool = False):
    """Decorator for routes taking `<uuid:business_id>`: signed in, member (administrateur when
    `admin`), else 404 (403 for a collaborator on an administrator's action). Sets g.business, g.member."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(business_id, *args, **kwargs):
            member = membership(current_user.id, str(business_id))
            if member is None:
                abort(404)
            if admin and member.role != ADMIN:
                abort(403)
            g.business, g.member = db.session.get(Business, str(business_id)), member
            return view(business_id, *args, **kwargs)

        wrapped.business_access = "admin" if admin else "member"
        return wrapped

    return decorator
