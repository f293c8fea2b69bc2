"""Forms storage: the citizen's `FormDraft`s and `GovernmentRead`s (what a registry held about them, when read).

A draft keeps the values the citizen reviewed, already checked and with read-only values recomputed
on the server, so the PDF is built from it as it is. A government read keeps the latest answer of
one registry for one citizen (found, holds nothing, or unavailable); its data is personal, so it is
stored encrypted with `app.core.crypto` like the NAS in the profile.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import db, utcnow

# Government read statuses: the registry answered with data, answered that it holds nothing about
# the citizen, or did not answer in time (down, timeout, error). The last two must never be confused.
FOUND = "found"
NOT_FOUND = "not_found"
UNAVAILABLE = "unavailable"
READ_STATUSES = (FOUND, NOT_FOUND, UNAVAILABLE)


class FormDraft(db.Model):
    __tablename__ = "form_drafts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The run whose answers prefilled the form (no foreign key, like every reference to runs).
    run_id: Mapped[Optional[str]] = mapped_column(String(36), index=True, nullable=True)
    form_id: Mapped[str] = mapped_column(String(80))
    form_version: Mapped[int] = mapped_column(Integer)
    # field id -> canonical value (str, bool, number) of every field that exists after conditions
    field_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # field id -> the source that gave the value ("profile.sin", "lookup.ramq.x", "citizen", ...)
    origins: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # "draft" while something required is missing, "ready" once the whole form is valid
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class GovernmentRead(db.Model):
    __tablename__ = "government_reads"
    __table_args__ = (UniqueConstraint("user_id", "organisation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))
    # Encrypted JSON object of the fields read (None unless found).
    data_encrypted: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    # When the registry itself says it read the data (its read_at), else when we asked.
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    consented_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
