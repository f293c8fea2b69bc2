"""The audit log: `record(action, user_id, **details)` appends one `AuditEvent` (table `audit_events`).

Details must never hold personal data (no names, NAS, health numbers, addresses, emails): only ids,
field names and counts. Events have no foreign key to users so they outlive a deleted account.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import db, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(Integer, index=True, nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record(action: str, user_id: int | None, **details: Any) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits with its own change)."""
    event = AuditEvent(action=action, user_id=user_id, details=details)
    db.session.add(event)
    return event


def record_access(action: str, user_id: int | None, **details: Any) -> AuditEvent:
    """An access to sensitive data must be logged even when the caller only reads and never commits:
    commit at once when the session holds no other change, else join the caller's transaction."""
    event = record(action, user_id, **details)
    session = db.session
    if not any(obj is not event for obj in session.new) and not session.dirty and not session.deleted:
        session.commit()
    return event
