"""Administrators managing a business's members: change a role, remove a member.

A business always keeps at least one administrator: the last one can be neither made a collaborator
nor removed (someone must be able to invite and remove). The check and the change happen in one
transaction with the business's administrator rows locked, so two administrators demoting each
other at the same moment cannot leave the business with none.
"""
from __future__ import annotations

from flask import abort
from flask_babel import gettext
from sqlalchemy import select

from app.core.db import db
from app.entreprises import dossier
from app.entreprises.models import ADMIN, BusinessMember


def member_of(business_id: str, member_id: int) -> tuple[BusinessMember, str | None]:
    """The member `member_id` of this business and their email address, or 404 (a member of
    another business is indistinguishable from none)."""
    target = db.session.execute(select(BusinessMember).where(
        BusinessMember.id == member_id, BusinessMember.business_id == business_id)).scalar_one_or_none()
    if target is None:
        abort(404)
    return target, dossier.emails([target.user_id]).get(target.user_id)


def change_role(target: BusinessMember, role: str, *, by: int) -> bool:
    """Give `target` the role; False (nothing changed) when that would leave no administrator."""
    if role == target.role:
        return True
    if target.role == ADMIN and _other_administrators(target) == 0:
        db.session.rollback()
        return False
    target.role = role
    dossier.record(target.business_id, by, "member_role_changed", role=role)
    db.session.commit()
    return True


def remove(target: BusinessMember, *, by: int) -> bool:
    """Remove `target` from the business; False (nothing removed) when they are its last administrator."""
    if target.role == ADMIN and _other_administrators(target) == 0:
        db.session.rollback()
        return False
    business_id, role = target.business_id, target.role
    db.session.delete(target)
    dossier.record(business_id, by, "member_removed", role=role)
    db.session.commit()
    return True


def last_administrator_message() -> str:
    return gettext("This member is the only administrator of the business. "
                   "Make another member administrator first.")


def _other_administrators(target: BusinessMember) -> int:
    """How many administrators besides `target`, with every administrator row of the business
    locked, `target`'s included: two administrators demoting each other wait for one another, and
    the second then sees the first's change."""
    ids = db.session.execute(select(BusinessMember.id).where(
        BusinessMember.business_id == target.business_id, BusinessMember.role == ADMIN)
        .with_for_update()).scalars().all()
    return len([member_id for member_id in ids if member_id != target.id])
