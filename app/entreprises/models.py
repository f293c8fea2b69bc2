"""Business space storage: `Business`, its `BusinessMember`s (administrateur, collaborateur),
pending `BusinessInvitation`s, the journeys run for the business (`BusinessRun`), the obligations
ticked off (`ObligationTick`, with who and when) and the business's activity log (`BusinessEvent`).

Every row hangs off a business; access is always checked through `access.member_business`.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import db, utcnow

ADMIN = "administrateur"
COLLABORATOR = "collaborateur"
MEMBER_ROLES = (ADMIN, COLLABORATOR)


def _uuid() -> str:
    return str(uuid.uuid4())


class Business(db.Model):
    __tablename__ = "businesses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    name: Mapped[str] = mapped_column(String(200))
    neq: Mapped[str | None] = mapped_column(String(10), index=True)
    legal_form: Mapped[str] = mapped_column(String(40))
    sector: Mapped[str] = mapped_column(String(40), index=True)
    street: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(7))
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class BusinessMember(db.Model):
    __tablename__ = "business_members"
    __table_args__ = (UniqueConstraint("business_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[str] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BusinessInvitation(db.Model):
    __tablename__ = "business_invitations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    business_id: Mapped[str] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    invited_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_by: Mapped[int | None] = mapped_column(Integer)


class BusinessRun(db.Model):
    """A questionnaire run (app/runner) answered for a business, by one of its members."""
    __tablename__ = "business_runs"

    run_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    business_id: Mapped[str] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    journey_id: Mapped[str] = mapped_column(String(80))
    started_by: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ObligationTick(db.Model):
    """An obligation done: one step of a business run, for one due date (recurring steps have many)."""
    __tablename__ = "obligation_ticks"
    __table_args__ = (UniqueConstraint("business_id", "run_id", "step_id", "due_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[str] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[str] = mapped_column(String(36))
    step_id: Mapped[str] = mapped_column(String(100))
    due_date: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[int | None] = mapped_column(Integer)
    done_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BusinessEvent(db.Model):
    """Who did what in the business, shown to its members (ids and codes only: no personal data)."""
    __tablename__ = "business_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[str] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
