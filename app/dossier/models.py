"""Mon dossier storage: the citizen's `Profile` (NAS and RAMQ numbers encrypted), `StepProgress`
per run and step, and `ReminderSend` (what each reminder digest already announced)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import db, utcnow

DONE = "done"
NOT_APPLICABLE = "not_applicable"
STEP_STATUSES = (DONE, NOT_APPLICABLE)


class Profile(db.Model):
    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    given_names: Mapped[str | None] = mapped_column(String(200))
    family_name: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(30))
    language: Mapped[str | None] = mapped_column(String(2))
    street: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    province: Mapped[str | None] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(7))
    # AES-GCM tokens from app.core.crypto ("<key id>.<base64>"); the last digits alone allow a masked display
    # without decrypting (and without an audited access).
    sin_encrypted: Mapped[str | None] = mapped_column(Text)
    sin_last_digits: Mapped[str | None] = mapped_column(String(3))
    health_number_encrypted: Mapped[str | None] = mapped_column(Text)
    health_number_last_digits: Mapped[str | None] = mapped_column(String(4))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class StepProgress(db.Model):
    __tablename__ = "step_progress"
    __table_args__ = (UniqueConstraint("run_id", "step_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(String(36), index=True)
    step_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class ReminderSend(db.Model):
    __tablename__ = "reminder_sends"
    __table_args__ = (UniqueConstraint("user_id", "run_id", "step_id", "due_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    run_id: Mapped[str] = mapped_column(String(36))
    step_id: Mapped[str] = mapped_column(String(100))
    due_date: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
