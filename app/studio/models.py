"""What citizens tell the staff (feedback, step reports, complaints) and the indicators' targets."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import db, utcnow

HELPFUL, STEP_REPORT, COMPLAINT = "helpful", "step", "complaint"
OPEN, CLOSED = "open", "closed"


class Feedback(db.Model):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    journey_id: Mapped[Optional[str]] = mapped_column(String(80), index=True, nullable=True)
    step_id: Mapped[Optional[str]] = mapped_column(String(80), nullable=True)
    helpful: Mapped[Optional[bool]] = mapped_column(Boolean, nullable=True)
    # Scrubbed before it is stored (scrub.py): no e-mail, phone, NAS, health number or postal code.
    comment: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    answer: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    answered_by: Mapped[Optional[str]] = mapped_column(String(254), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)


class IndicatorTarget(db.Model):
    __tablename__ = "indicator_targets"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    target: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[Optional[str]] = mapped_column(String(254), nullable=True)
    updated_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
